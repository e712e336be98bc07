# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""virConf grammar: libvirt tests/virconftest.c, then virConfReadString on libvirt 9.0;
formatter; editor."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.tests.support.ids import printable_ids
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.virconf import (
    VirConfDocument,
    VirConfEntry,
    VirConfSyntaxError,
    format_virconf_statement,
    format_virconf_value,
    parse_virconf,
    validate_virconf_name,
)

FC4 = """kernel="/boot/vmlinuz-2.6.15-1.2054_FC5xenU"
ramdisk="/boot/initrd-2.6.15-1.2054_FC5xenU.img"
memory=128 # should be enough
name="fc4"
vif = [ 'mac=aa:00:00:00:00:11, bridge=xenbr0', ]
disk = ['file:/xen/fc4.img,sda1,w']
root = "/dev/sda1"
extra = "ro selinux=0 3"
on_reboot   = 'restart'
# just for testing ...
tst = [ 1, 2, [ 3, 4 ], 5]
"""

FC4_OUT = """kernel = "/boot/vmlinuz-2.6.15-1.2054_FC5xenU"
ramdisk = "/boot/initrd-2.6.15-1.2054_FC5xenU.img"
memory = 128 # should be enough
name = "fc4"
vif = [ "mac=aa:00:00:00:00:11, bridge=xenbr0" ]
disk = [ "file:/xen/fc4.img,sda1,w" ]
root = "/dev/sda1"
extra = "ro selinux=0 3"
on_reboot = "restart"
# just for testing ...
tst = [ 1, 2, [ 3, 4 ], 5 ]
"""


def serialize(doc):
    """virConfWriteMem's layout, from our entries: the canonical output of virconftest.c."""
    lines = []
    for entry in doc.entries:
        if entry.name is None:
            lines.append("#%s" % entry.comment)
        else:
            line = "%s = %s" % (entry.name, format_virconf_value(entry.value))
            lines.append(line + (" #%s" % entry.comment if entry.comment is not None else ""))
    return "".join(line + "\n" for line in lines)


def test_fc4_roundtrip():
    assert serialize(parse_virconf(FC4)) == FC4_OUT


def test_no_newline():
    assert serialize(parse_virconf("log_level=1")) == "log_level = 1\n"


def test_memory_no_newline():
    doc = parse_virconf("ullong = '123456789'\nstring = 'foo'\nuint = 12345")
    assert doc.as_dict() == {"ullong": "123456789", "string": "foo", "uint": 12345}


def test_int_types():
    doc = parse_virconf("int = -1729\nuint = 1729\nllong = -6963472309248\n"
                        "ullong = 6963472309248\nsize_t = 87539319\nssize_t = -87539319\n"
                        'string = "foo"\n')
    assert doc.get("llong") == -6963472309248 and doc.get("string") == "foo"


def test_string_list():
    assert parse_virconf('string_list = ["foo", "bar"]\nstring = "foo"\n').get(
        "string_list") == ["foo", "bar"]


# virConfReadString on libvirt 9.0: input, error (None: OK), canonical re-serialization, values
PROBES = [
    ('uri_default = "qemu:///system"', None, 'uri_default = "qemu:///system"\n'),
    ("uri_default = 'qemu:///system'", None, 'uri_default = "qemu:///system"\n'),
    ('uri_default = "a\\"b"', "1: expecting a separator", None),
    ("uri_default = 'it''s'", "1: expecting a separator", None),
    ('uri_default = """multi\nline"""', None, 'uri_default = """multi\nline"""\n'),
    ('uri_default = "a\\nb"', None, 'uri_default = "a\\nb"\n'),
    ("uri_default = qemu:///system", "1: expecting a value", None),
    ('uri_aliases = ["a=qemu:///system", "b=test:///default",]', None,
     'uri_aliases = [ "a=qemu:///system", "b=test:///default" ]\n'),
    ('uri_aliases = [\n  "a=qemu:///system",\n  "b=test:///default",\n]\n', None,
     'uri_aliases = [ "a=qemu:///system", "b=test:///default" ]\n'),
    ('uri_aliases = [\n  "a=qemu:///system",   # comment\n  "b=test:///default",\n]',
     "2: expecting a value", None),
    ('uri_aliases = [\n  # leading comment\n  "a=qemu:///system",\n]', "2: expecting a value",
     None),
    ('uri_aliases = [ "a" ] # trailing comment ok', None,
     'uri_aliases = [ "a" ] # trailing comment ok\n'),
    ('uri_aliases = [ 1, "a=b" ]', None, 'uri_aliases = [ 1, "a=b" ]\n'),
    ("uri_aliases = []", None, "uri_aliases = [  ]\n"),
    ("x = 1; a = 2", None, "x = 1\na = 2\n"),
    ("x = 1 a = 2", "1: expecting a separator", None),
    ("x = 1.5", "1: expecting a separator", None),
    ("x = 0x10", "1: expecting a separator", None),
    ("x = -0", None, "x = 0\n"),
    ("x = +5", None, "x = 5\n"),
    ("x = true", "1: expecting a value", None),
    ("x-y = 1", "1: expecting an assignment", None),
    ("_x = 1", "1: expecting a name", None),
    ("x1_y = 1", None, "x1_y = 1\n"),
    ('x = "unterminated', "1: unterminated string", None),
    ('x = "a" # trailing comment', None, 'x = "a" # trailing comment\n'),
    ('x = [ "a", [ "b" ] ]', None, 'x = [ "a", [ "b" ] ]\n'),
    ('x = "a"\nx = "b"', None, 'x = "a"\nx = "b"\n'),
    ('   x   =    "a"   ', None, 'x = "a"\n'),
    ('x = [ "a" "b" ]', "1: expecting a separator in list", None),
    ("x =", "1: expecting a value", None),
    ('x = "\u00e9"', None, 'x = "\u00e9"\n'),
    ("# only comment", None, "# only comment\n"),
    ("", None, ""),
    ('x = ""', None, 'x = ""\n'),
    ("\n", "2: expecting a name", None),
    ("   ", "1: expecting a name", None),
    ("\n\n# c\n", None, "# c\n"),
    ("x=1\n\n\n", None, "x = 1\n"),
    ("\n\nx=1", None, "x = 1\n"),
    ('x=""""""', "1: expecting a separator", None),
    ('x="""""" ', None, 'x = ""\n'),
    ('x="""a""""', "1: expecting a separator", None),
    ('x = """a"b"""', None, "x = 'a\"b'\n"),
    ("x = 'a\"b'", None, "x = 'a\"b'\n"),
    ('x = "a\nb"', "1: unterminated string", None),
    ('x = [\n"a"\n,\n"b"\n]', None, 'x = [ "a", "b" ]\n'),
    ('x = [ ,"a" ]', "1: expecting a value", None),
    ('x = [ "a", , "b" ]', "1: expecting a value", None),
    ('x = ["a"', "1: list is not closed with ]", None),
    ("X = 1", None, "X = 1\n"),
    ('x = "a";', None, 'x = "a"\n'),
    ('x = "a" ; y = "b" # c', None, 'x = "a"\ny = "b" # c\n'),
    # An 'X' where a value, a separator or the rest of a comment goes; read by libvirt 9.0 and
    # 11.3 alike (tests/live/libvirt/test_libvirt_live.py, READINGS).
    ("x = X", "1: expecting a value", None),
    ("x = 1X", "1: expecting a separator", None),
    ("# aXb", None, "# aXb\n"),
    ('x = "v" # aXb', None, 'x = "v" # aXb\n'),
]


@pytest.mark.parametrize("text,error,out", PROBES, ids=printable_ids([p[0] for p in PROBES], 40))
def test_libvirt90_probe(text, error, out):
    if error:
        with pytest.raises(VirConfSyntaxError) as info:
            parse_virconf(text)
        assert str(info.value) == "configuration file syntax error: memory conf:" + error
    else:
        assert serialize(parse_virconf(text)) == out


def test_duplicate_first_wins():
    assert parse_virconf('x = "a"\nx = "b"').get("x") == "a"


def test_overflow_refused():
    with pytest.raises(VirConfSyntaxError, match="numeric overflow"):
        parse_virconf("x = 99999999999999999999")


def test_error_names_the_file():
    with pytest.raises(VirConfSyntaxError) as info:
        parse_virconf("a = 1\nb = [\n# c\n]", filename="/etc/libvirt/libvirt.conf")
    assert str(info.value) == ("configuration file syntax error: /etc/libvirt/libvirt.conf:3: "
                               "expecting a value")
    assert info.value.field == "/etc/libvirt/libvirt.conf:3"


FORMAT = [
    ("plain", '"plain"'),
    ('with "double"', "'with \"double\"'"),
    ("it's", '"it\'s"'),
    ("both ' and \" here", '"""both \' and " here"""'),
    ("two\nlines", '"""two\nlines"""'),
    ("cr\rinside", '"""cr\rinside"""'),
    ("back\\slash", '"back\\slash"'),
    ("", '""'),
    (0, "0"),
    (-5, "-5"),
    (2 ** 64 - 1, "18446744073709551615"),
    (True, "1"),
    (False, "0"),
    ([], "[  ]"),
    (["a", 1, ["b"]], '[ "a", 1, [ "b" ] ]'),
]


@pytest.mark.parametrize("value,text", FORMAT, ids=printable_ids([f[0] for f in FORMAT], 30))
def test_format(value, text):
    assert format_virconf_value(value) == text
    assert parse_virconf("k = " + text + "\n").get("k") == (int(value) if isinstance(value, bool) else value)


NO_TRIPLE = ("a string libvirt.conf can hold: with a newline or both quote kinds it must be written "
             "\"\"\"...\"\"\", which cannot contain '\"\"\"' nor end in '\"' (the grammar has no escapes)")
NO_TYPE = ("a string, an integer, a boolean (written 0/1) or a list of those (libvirt.conf has no "
           "floats, null or mappings)")
INT_RANGE = "an integer from -9223372036854775808 to 18446744073709551615"
REFUSED_VALUES = [
    ('a"""b\nc', "value: 'a\"\"\"b\\nc' is not accepted; " + NO_TRIPLE),
    ('x\ny"', "value: 'x\\ny\"' is not accepted; " + NO_TRIPLE),
    ('both \' and "', "value: 'both \\' and \"' is not accepted; " + NO_TRIPLE),
    ("nul\x00", "value: 'nul\\x00' is not accepted; a string without NUL (libvirt strings are C strings)"),
    (1.5, "value: 1.5 is not accepted; " + NO_TYPE),
    (None, "value: " + NO_TYPE),
    ({"a": 1}, "value: {'a': 1} is not accepted; " + NO_TYPE),
    (2 ** 64, "value: 18446744073709551616 is not accepted; " + INT_RANGE),
    (-(2 ** 63) - 1, "value: -9223372036854775809 is not accepted; " + INT_RANGE),
    (["a", 2 ** 64], "value.1: 18446744073709551616 is not accepted; " + INT_RANGE),
    ([["b", 1.5]], "value.0.1: 1.5 is not accepted; " + NO_TYPE),
]


@pytest.mark.parametrize("value,message", REFUSED_VALUES, ids=printable_ids([r[0] for r in REFUSED_VALUES], 30))
def test_format_refuses_unrepresentable(value, message):
    with pytest.raises(SpecError) as info:
        format_virconf_value(value)
    assert str(info.value) == message


def test_format_refusal_names_the_field_given():
    with pytest.raises(SpecError) as info:
        format_virconf_value(["a", 'x\ny"'], "uri_aliases")
    assert (info.value.field, str(info.value)) == (
        "uri_aliases.1", "uri_aliases.1: 'x\\ny\"' is not accepted; " + NO_TRIPLE)


USER_FILE = """# libvirt client config, managed by hand
uri_default = 'qemu:///system'   # my default

uri_aliases = [
  "hail=qemu+ssh://root@hail.example.com/system",\x20\x20\x20
  "sleet=qemu+ssh://root@sleet.example.com/system",
]
remote_mode="legacy"; tls_priority = "NORMAL"
"""


def test_editor_changes_only_the_key():
    doc = parse_virconf(USER_FILE)
    assert doc.set("uri_default", "test:///default")
    assert doc.render() == USER_FILE.replace("'qemu:///system'", '"test:///default"')


def test_editor_same_value_keeps_quoting():
    doc = parse_virconf(USER_FILE)
    assert doc.set("uri_default", "qemu:///system") is False
    assert doc.render() == USER_FILE


def test_editor_replaces_multiline_list():
    doc = parse_virconf(USER_FILE)
    doc.set("uri_aliases", ["t=test:///default"])
    assert doc.render() == (USER_FILE.split("uri_aliases", maxsplit=1)[0]
                            + 'uri_aliases = [\n  "t=test:///default",\n]\n'
                            'remote_mode="legacy"; tls_priority = "NORMAL"\n')


def test_editor_one_alias_changed_is_a_one_line_change():
    text = 'uri_aliases = [\n  "a=test:///default",\n  "b=qemu:///system",\n]\nx = 1 # mine\n'
    doc = parse_virconf(text)
    doc.set("uri_aliases", ["a=test:///default", "b=qemu:///session"])
    assert doc.render() == text.replace("qemu:///system", "qemu:///session")


def test_statement_lists_one_entry_per_line():
    assert format_virconf_statement("uri_aliases", ["a=test:///default", "b=q:///s"]) == \
        'uri_aliases = [\n  "a=test:///default",\n  "b=q:///s",\n]'
    assert format_virconf_statement("x", [["n", 1]]) == 'x = [\n  [ "n", 1 ],\n]'
    assert format_virconf_statement("x", []) == "x = [  ]"
    assert format_virconf_statement("x", "v") == 'x = "v"'
    assert parse_virconf(format_virconf_statement("x", ["a", ["b"]]) + "\n").get("x") == ["a", ["b"]]


def test_editor_appends_new_key():
    doc = parse_virconf("# only\nx = 1")
    doc.set("uri_default", "test:///default")
    assert doc.render() == '# only\nx = 1\nuri_default = "test:///default"\n'


def test_editor_remove_on_shared_line():
    doc = parse_virconf(USER_FILE)
    doc.remove("remote_mode")
    assert doc.render().endswith('"sleet=qemu+ssh://root@sleet.example.com/system",\n]\n'
                                 'tls_priority = "NORMAL"\n')
    doc.remove("tls_priority")
    doc.remove("uri_aliases")
    assert doc.render() == ("# libvirt client config, managed by hand\n"
                            "uri_default = 'qemu:///system'   # my default\n\n")


def test_editor_remove_duplicates_and_whitespace_only_result():
    doc = parse_virconf('\nx = "a"\nx = "b"\n')
    assert doc.remove("x")
    assert doc.render() == ""  # "\n" alone would be a syntax error for libvirt
    assert doc.remove("x") is False


def test_editor_set_drops_later_duplicates():
    doc = parse_virconf('x = "a" # first\ny = 1\nx = "b"\n')
    doc.set("x", "c")
    assert doc.render() == 'x = "c" # first\ny = 1\n'


def test_editor_refuses_bad_key_and_value():
    doc = parse_virconf("")
    with pytest.raises(SpecError):
        doc.set("bad-key", "x")
    with pytest.raises(SpecError):
        doc.set("x", 'ends with quote\n"')
    assert doc.render() == ""


# remove() on every layout of a statement: alone on its line, first / middle / last of a ';' line,
# with a comment, at the start or end of the file. Each result was read by virConfReadString on
# the host's libvirt 9.0 (tests/support/libvirt_oracle.py conf_read): exactly the other keys.
REMOVALS = [
    ("a = 1; b = 2; c = 3\n", "b", "a = 1; c = 3\n"),
    ("a = 1; b = 2\n", "b", "a = 1\n"),
    ("a = 1 ;b = 2\n", "a", "b = 2\n"),
    ("x = 1\n  b = 2  \ny = 3\n", "b", "x = 1\ny = 3\n"),
    ("\nb = 2\nx = 1\n", "b", "\nx = 1\n"),
    ("b = 2 # c\nx = 1\n", "b", "x = 1\n"),
    ("x = 1\nb = 2", "b", "x = 1\n"),
    ("a = 1;b = 2;\n", "b", "a = 1;\n"),
    ("a = 1;\t b = 2\n", "b", "a = 1\n"),
    ("a = 1; b = 2; X = 3\n", "b", "a = 1; X = 3\n"),
    ("a = 1; b = 2;\nc = 3\n", "b", "a = 1; \nc = 3\n"),
    ("a = 1\nb = 2; c = 3\n", "b", "a = 1\nc = 3\n"),
    ("a = 1\nc = 3; b = 2\n", "b", "a = 1\nc = 3\n"),
    ("a = 1\nc = 3;  b = 2 # z\nd = 4\n", "b", "a = 1\nc = 3\nd = 4\n"),
    ("a = 1; b = 2", "b", "a = 1"),
    ("a = 1; b = 2;", "b", "a = 1; "),
    ("a = 1 ; b = 2\n", "b", "a = 1 \n"),
]


@pytest.mark.parametrize("text,key,out", REMOVALS, ids=printable_ids([r[0] for r in REMOVALS], 40))
def test_editor_remove_layouts(text, key, out):
    doc = parse_virconf(text)
    assert doc.remove(key) is True
    assert doc.render() == out


def test_editor_set_on_an_empty_file_and_booleans():
    doc = parse_virconf("")
    assert doc.set("k", True)
    assert doc.render() == "k = 1\n"  # virConfSaveValue writes a boolean as 0/1
    assert doc.get("k") == 1


def test_keys_and_comments_in_file_order():
    doc = parse_virconf("# one\nx = 1\ny = 2\nx = 3\n# two\n")
    assert doc.keys() == ["x", "y"]
    assert doc.comments() == [" one", " two"]
    assert repr(doc.entries[1]) == "VirConfEntry('x', 1, comment=None)"


def test_editor_and_statement_errors_name_the_key():
    doc = parse_virconf("")
    for call in (lambda: doc.set("bad-key", 1), lambda: format_virconf_statement("bad-key", 1)):
        with pytest.raises(SpecError) as info:
            call()
        assert info.value.field == "key" and info.value.value == "bad-key"
    for call in (lambda: doc.set("ratio", 1.5), lambda: format_virconf_statement("ratio", 1.5)):
        with pytest.raises(SpecError) as info:
            call()
        assert info.value.field == "ratio" and info.value.value == 1.5


def test_syntax_error_fields():
    with pytest.raises(VirConfSyntaxError) as info:
        parse_virconf("x = 1\ny =", filename="/etc/libvirt/libvirt.conf")
    err = info.value
    assert (err.filename, err.line, err.info) == ("/etc/libvirt/libvirt.conf", 2, "expecting a value")
    assert (err.field, err.value) == ("/etc/libvirt/libvirt.conf:2", "expecting a value")
    assert err.accepted == ("libvirt says 'configuration file syntax error: "
                            "/etc/libvirt/libvirt.conf:2: expecting a value'")


@pytest.mark.parametrize("name", ["_x", "1x", "x-y", "x.y", "", 5, None])
def test_key_names_libvirt_refuses(name):
    # virConfParseName: a letter first, then letters, digits or '_' (probes above: '_x = 1',
    # 'x-y = 1' are syntax errors for libvirt 9.0).
    with pytest.raises(SpecError) as info:
        validate_virconf_name(name, "users.0.key")
    assert (info.value.field, info.value.value) == ("users.0.key", name)
    assert info.value.accepted == ("a libvirt.conf key: a letter, then letters, digits or '_' "
                                   "(no '-', '.', leading '_' or digit)")


def test_key_names_libvirt_reads():
    assert [validate_virconf_name(n) for n in ("X", "x1_y", "uri_default")] == ["X", "x1_y", "uri_default"]


def test_editor_set_same_text_and_duplicates():
    doc = parse_virconf("x = 1\n")
    assert doc.set("x", 1) is False
    doc = parse_virconf("x = 1\nx = 2\n")
    assert doc.set("x", 1) is True  # the value text is the same, the later duplicate goes
    assert doc.render() == "x = 1\n"


@pytest.mark.parametrize("text,out", [("x = 1\n", "x = 1\nk = 2\n"), ("x = 1\r", "x = 1\rk = 2\n"),
                                      ("x = 1", "x = 1\nk = 2\n")])
def test_editor_append_after_a_line_end(text, out):
    doc = parse_virconf(text)
    doc.set("k", 2)
    assert doc.render() == out


# Errors at the end of the text, in virconf.c's words (virConfParseLong, virConfParseValue,
# virConfParseString); the host's libvirt 9.0 aborts on 'x = -' under ctypes (free(): invalid
# pointer), so these are not probed.
@pytest.mark.parametrize("text,error", [("x = -", "1: unterminated number"),
                                        ("x = [", "1: list is not closed with ]"),
                                        ("x = 'abc", "1: unterminated string"),
                                        ("x = 99999999999999999999", "1: numeric overflow in conf value")])
def test_errors_at_the_end_of_the_text(text, error):
    with pytest.raises(VirConfSyntaxError) as info:
        parse_virconf(text)
    assert str(info.value) == "configuration file syntax error: memory conf:" + error


def test_single_quoted_string_holds_any_letter():
    assert parse_virconf("x = 'aXb'").get("x") == "aXb"


def test_key_error_field_defaults_to_name():
    with pytest.raises(SpecError) as info:
        validate_virconf_name("1x")
    assert (info.value.field, str(info.value)) == (
        "name", "name: '1x' is not accepted; a libvirt.conf key: a letter, then letters, digits or '_' "
        "(no '-', '.', leading '_' or digit)")


# virConfParseString counts the newlines of a triple-quoted string, scanning while two characters
# remain after the current one; each message is libvirt 9.0's virConfReadString error
# (virGetLastErrorMessage, tests/support/libvirt_oracle.py's library) for the same text.
TRIPLE_QUOTE_LINES = [
    ('a = """x\ny"""\nb = ', "3: expecting a value"),
    ('a = """ab\ncd\nef', "3: unterminated string"),
    ('a = """abcdef\n\n', "1: unterminated string"),
    ('a = """abc\nd\n', "2: unterminated string"),
    ('a = """abcd\n\nx', "2: unterminated string"),
    ('a = """abc\n\n\n\n"""\n\nb', "7: expecting an assignment"),
]


@pytest.mark.parametrize("text,error", TRIPLE_QUOTE_LINES, ids=printable_ids(TRIPLE_QUOTE_LINES, 40, lambda r: r[0]))
def test_triple_quoted_string_line_numbers(text, error):
    with pytest.raises(SpecError) as info:
        parse_virconf(text)
    assert str(info.value) == "configuration file syntax error: memory conf:" + error


def test_entries_record_where_each_statement_sits():
    """What the editor cuts by: each statement's text, its value's, its separator's, its line."""
    text = "x = 1\n# top\n\nx = 1 # c\ny = [\n 2,\n]; z = 'a'\n"
    entries = parse_virconf(text).entries
    assert [text[e.start:e.end] for e in entries] == [
        "x = 1", "# top", "x = 1 # c", "y = [\n 2,\n]", "z = 'a'"]
    assert [text[e.value_start:e.value_end] for e in entries] == ["1", "", "1", "[\n 2,\n]", "'a'"]
    assert [text[e.end:e.sep_end] for e in entries] == ["\n", "\n\n", "\n", "; ", "\n"]
    assert [e.line for e in entries] == [1, 2, 4, 5, 7]


def test_an_entry_not_yet_followed_by_a_separator_ends_at_its_statement():
    entry = VirConfEntry("x", 1, None, 0, 5, 4, 5, 1)
    assert (entry.end, entry.sep_end, entry.line) == (5, 5, 1)


def test_document_names_its_file():
    with pytest.raises(VirConfSyntaxError) as info:
        VirConfDocument("x =")
    assert str(info.value) == "configuration file syntax error: memory conf:1: expecting a value"
    doc = parse_virconf("x = 1\n", filename="/etc/libvirt/libvirt.conf")
    assert doc.set("x", 2) is True
    assert (doc.filename, doc.render()) == ("/etc/libvirt/libvirt.conf", "x = 2\n")


def test_bytes_are_read_as_utf8_other_bytes_kept():
    # libvirt reads bytes: 0xff inside a string is kept (tests/live/libvirt/test_libvirt_live.py,
    # READINGS); here it is the lone surrogate U+DCFF, written back as the same byte.
    doc = parse_virconf(b"x = 'a\xffb'\ny = \"\xc3\xa9\"\n")
    assert doc.as_dict() == {"x": "a\udcffb", "y": "\u00e9"}
    assert doc.render().encode("utf-8", "surrogateescape") == b"x = 'a\xffb'\ny = \"\xc3\xa9\"\n"


@pytest.mark.parametrize("text,shown", [(5, "5"), (["x = 1"], "['x = 1']")])
def test_only_text_is_parsed(text, shown):
    with pytest.raises(SpecError) as info:
        parse_virconf(text)
    assert (info.value.field, str(info.value)) == (
        "text", "text: %s is not accepted; the text of a libvirt.conf file" % shown)


def sized(size):
    """A libvirt.conf of exactly ``size`` UTF-8 bytes: uri_default, then a comment of 4-byte
    characters (the limit counts bytes, as virConfReadFile reads them)."""
    body = 'uri_default = "test:///default"\n#'
    pad = size - len(body) - 1
    return body + "\U0001F600" * (pad // 4) + "a" * (pad % 4) + "\n"


def test_size_limit_is_ten_mib_of_bytes():
    # virConfReadFile's MAX_CONFIG_FILE_SIZE (src/util/virconf.c): exactly 10 MiB is read, one
    # byte more is refused (tests/live/libvirt/test_libvirt_live.py, test_virconf_size_limit_is_libvirts).
    limit = 10 * 1024 * 1024
    assert parse_virconf(sized(limit)).get("uri_default") == "test:///default"
    over = sized(limit + 1)
    with pytest.raises(SpecError) as info:
        parse_virconf(over, filename="/etc/libvirt/libvirt.conf")
    assert str(info.value) == ("/etc/libvirt/libvirt.conf: '(%d chars)' is not accepted; at most "
                               "10 MiB (virConf limit)" % len(over))
    assert len(over) < limit // 3  # far fewer characters than the limit: it counts bytes
