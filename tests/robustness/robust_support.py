# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared pieces of the robustness suite (imported by name; conftest.py holds the fixtures): hypothesis budget, real tools, hostile data.

Budget: derandomized (a fixed seed), ``ROBUST_EXAMPLES`` examples per property by default and
``FUZZ_EXAMPLES`` under ``FUZZ=1`` (``make fuzz``). Nothing here connects anywhere but 127.0.0.1.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

FUZZ = os.environ.get("FUZZ") == "1"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3000")) if FUZZ else int(os.environ.get("ROBUST_EXAMPLES", "200"))

settings.register_profile(
    "robustness", derandomize=True, max_examples=EXAMPLES, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
ROBUST = settings.get_profile("robustness")
