# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the unit tests of host_files (test_host_files.py, test_host_files_exact.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "etc").mkdir()
    old = tmp_path / "etc" / "old.conf"
    old.write_text("a = 1\n")
    old.chmod(0o640)
    return tmp_path
