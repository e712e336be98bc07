# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the robustness suite (helpers live in robust_support.py)."""

import pytest

from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import (  # noqa: F401  pylint: disable=unused-import
    generation_fixture,
)


@pytest.fixture(scope="session")
def libvirt_lib(generation):
    """The libvirt parsers of each oracle generation (libvirt 9.0 here, 11.3 in the trixie root):
    ``uri_parse``, ``uri_fields``, ``conf_read``, ``conf_keys`` (tests/support/libvirt_oracle.py)."""
    generation.tool("virsh")
    return generation.libvirt()
