"""systemd_exec_arg: one row per case, input -> the exact ExecStart= word(s)."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.virt_uri.toolkit.plugins.filter.systemd_exec_arg import systemd_exec_arg

ROWS = [
    ("plain", "file.driver=nbd", '"file.driver=nbd"'),
    ("percent is a specifier", "nbd://192.0.2.1/disk%20one", '"nbd://192.0.2.1/disk%%20one"'),
    ("dollar is expanded at start", "a$HOME", '"a$$HOME"'),
    ("backslash and quote", 'a\\b"c', '"a\\\\b\\"c"'),
    ("space stays inside the quotes", "a b", '"a b"'),
    ("newline and tab as C escapes", "a\nb\tc", '"a\\nb\\tc"'),
    ("other control character", "a\x01b", '"a\\x01b"'),
    ("number", 10809, '"10809"'),
    ("blockdev JSON", '{"driver": "nbd", "export": "a\\"b"}', '"{\\"driver\\": \\"nbd\\", \\"export\\": \\"a\\\\\\"b\\"}"'),
]


@pytest.mark.parametrize("value,expected", [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_quote_one_argument(value, expected):
    assert systemd_exec_arg(value) == expected


def test_list_quotes_every_word_and_keeps_dollar_in_the_program():
    assert systemd_exec_arg(["/opt/q$1/qemu", "-drive", "file=a$b%c"]) == '"/opt/q$1/qemu" "-drive" "file=a$$b%%c"'


@pytest.mark.parametrize("value,field", [
    (None, "value"), (True, "value"), ({"a": 1}, "value"), ("a\x00b", "value"),
    ([], "args"), (["/bin/q", None], "args[1]"),
])
def test_refused(value, field):
    with pytest.raises(AnsibleFilterError, match=r"systemd_exec_arg: %s: " % field.replace("[", r"\[").replace("]", r"\]")):
        systemd_exec_arg(value)
