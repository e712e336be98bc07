# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the robustness suite (helpers live in robust_support.py)."""

import pytest

import robust_support


@pytest.fixture(scope="session")
def libvirt_lib():
    return robust_support.load_libvirt()
