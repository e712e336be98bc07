# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the unit tests of host_files (test_host_files.py, test_host_files_exact.py),
and the hypothesis profile hack/mutate runs the unit tests with."""

from __future__ import annotations

import os

import pytest
from hypothesis import Phase, settings

# Under hack/mutate a property only has to fail, not to find the smallest failing example:
# shrinking made each mutant a property kills cost seconds to minutes. Same examples, same
# verdicts; the phases are left to the property runs everywhere else.
settings.register_profile("mutate", phases=[Phase.explicit, Phase.reuse, Phase.generate])
if os.environ.get("VIRT_URI_HYPOTHESIS_PROFILE") == "mutate":
    settings.load_profile("mutate")


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "etc").mkdir()
    old = tmp_path / "etc" / "old.conf"
    old.write_text("a = 1\n")
    old.chmod(0o640)
    return tmp_path
