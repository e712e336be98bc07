# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the robustness suite (helpers live in robust_support.py)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import robust_support  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def libvirt_lib():
    return robust_support.load_libvirt()
