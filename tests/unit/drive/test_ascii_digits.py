# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One digit rule for the drive core: QEMU reads ASCII digits only (drive/fields.py: is_decimal).

str.isdigit() and a regex \\d take other scripts' digits; this keeps them out of the drive code,
where each one read a number QEMU refuses (tests/live/drive/test_ascii_digits_live.py).
"""

import re
from pathlib import Path

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import is_decimal, need_int

DRIVE = Path(__file__).resolve().parents[3] / "plugins" / "module_utils" / "drive"
UNICODE_DIGITS = re.compile(r"\.isdigit\(\)|\.isdecimal\(\)|\.isnumeric\(\)|\\d")


def test_no_unicode_digit_rule_in_the_drive_code():
    found = ["%s:%d: %s" % (path.relative_to(DRIVE), number, line.strip())
             for path in sorted(DRIVE.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if UNICODE_DIGITS.search(line) and not line.lstrip().startswith("#")]
    assert not found, found


@pytest.mark.parametrize("text,expected", [
    ("0", True), ("10809", True), ("", False), ("\u0661\u0660", False), ("\u00b2", False), ("1\u0660", False),
    ("1\n", False), (" 1", False), ("+1", False), (1, False),
])
def test_is_decimal(text, expected):
    assert is_decimal(text) is expected


def test_need_int_reads_ascii_digits_as_before():
    assert need_int(" 42 ", "f") == 42
    assert need_int("-3", "f") == -3
    assert need_int(7, "f") == 7
