# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parametrize ids that pytest keeps as they are.

pytest escapes an explicit id (non-ASCII, control characters, backslashes) each time it collects
the module, so an escaped id is not found when a second pytest run in the same process selects it
by node id (mutmut's stats run, then its clean run: exit 4, "not found"). Printable ASCII without
a backslash is left alone.
"""

from __future__ import annotations

import re


def printable_ids(values, width, text=repr):
    """``text(value)[:width]`` of each value, other characters and backslashes as '?'."""
    return [re.sub(r"[^ -\[\]-~]", "?", text(v)[:width]) for v in values]


def row_ids(rows):
    """'row0', 'row1', ... for a table whose rows are too long to name."""
    return ["row%d" % i for i in range(len(rows))]
