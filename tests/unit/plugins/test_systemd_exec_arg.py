"""systemd_exec_arg: one row per case, input -> the exact ExecStart= word(s)."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.virt_uri.toolkit.plugins.filter.systemd_exec_arg import systemd_exec_arg
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.systemd_exec import quote_exec_arg, quote_exec_line

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


@pytest.mark.parametrize("value,expected", [
    ("a\x1bb", '"a\\x1bb"'),          # lower-case hex, as the row above
    ("a\x7fb", '"a\\x7fb"'),          # DEL is a control character too
    ("a\x80b\xe9", '"a\x80b\xe9"'),   # above DEL: written as it is
    ("a\rb\a\b\f\v", '"a\\rb\\a\\b\\f\\v"'),
    (1.5, '"1.5"'),
], ids=["escape", "del", "non-ascii", "c escapes", "float"])
def test_quote_exec_arg_exact(value, expected):
    assert quote_exec_arg(value) == expected


@pytest.mark.parametrize("call, message", [
    (lambda: quote_exec_arg(None), "value: expected a string (or a number)"),
    (lambda: quote_exec_arg(True), "value: True is not accepted; expected a string (or a number)"),
    (lambda: quote_exec_arg(["a"]), "value: ['a'] is not accepted; expected a string (or a number)"),
    (lambda: quote_exec_arg("a\x00b"), "value: 'a\\x00b' is not accepted; NUL cannot be passed on a command line"),
    (lambda: quote_exec_line("/bin/q"), "args: '/bin/q' is not accepted; expected a list of arguments"),
    (lambda: quote_exec_line(b"/bin/q"), "args: b'/bin/q' is not accepted; expected a list of arguments"),
    (lambda: quote_exec_line({"/bin/q": 1}), "args: {'/bin/q': 1} is not accepted; expected a list of arguments"),
    (lambda: quote_exec_line([]), "args: [] is not accepted; expected at least the program to run"),
    (lambda: quote_exec_line(("/bin/q", "a\x00")),
     "args[1]: 'a\\x00' is not accepted; NUL cannot be passed on a command line"),
    (lambda: quote_exec_line(["/bin/q", "a", False]),
     "args[2]: False is not accepted; expected a string (or a number)"),
], ids=["none", "bool", "list", "nul", "line is a string", "line is bytes", "line is a mapping", "empty line",
        "nul in a word", "bool in a word"])
def test_quote_refusals_whole_message(call, message):
    with pytest.raises(SpecError) as err:
        call()
    assert str(err.value) == message


def test_quote_exec_line_tuple():
    assert quote_exec_line(("/bin/q$", "$x")) == '"/bin/q$" "$$x"'
