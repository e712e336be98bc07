"""The scalar checks every protocol shares (drive/fields.py): strings, integers, booleans, mappings,
unknown keys, hosts, ports and socket paths. Each row: the value -> the exact normalized value, or
the field and the whole message of the refusal (a secret is never shown)."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive import fields
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError


class _Tagged(str):
    """Ansible's data tagging hands over str subclasses (_AnsibleTaggedStr)."""


class _KeysOnly:
    def keys(self):
        return []

    def __repr__(self):
        return "_KeysOnly()"


class _GetOnly:
    def get(self, key, default=None):
        return default

    def __repr__(self):
        return "_GetOnly()"


class _TaggedDict(dict):
    pass


# 253 characters: the longest DNS name (RFC 1123), labels of at most 63
LONGEST = ".".join(["a" * 63] * 3 + ["a" * 61])
HOST = "expected a host name (letters, digits, '-', '.'), an IPv4 address or an IPv6 address"

ACCEPTED = [
    (fields.need_mapping, ({"a": 1}, "x"), {"a": 1}),
    (fields.need_str, ("a", "x"), "a"),
    (fields.need_str, ("", "x", True), ""),
    (fields.need_int, (" 42 ", "x"), 42),
    (fields.need_int, ("+5", "x"), 5),
    (fields.need_int, ("-3", "x"), -3),
    (fields.need_int, ("1" * 20, "x"), int("1" * 20)),
    (fields.need_int, (1, "x", 1, 5), 1),
    (fields.need_int, (5, "x", 1, 5), 5),
    (fields.need_int, (0, "x", 0), 0),
    (fields.need_bool, ("Yes", "x"), True),
    (fields.need_bool, ("on", "x"), True),
    (fields.need_bool, ("1", "x"), True),
    (fields.need_bool, ("true", "x"), True),
    (fields.need_bool, ("OFF", "x"), False),
    (fields.need_bool, ("0", "x"), False),
    (fields.need_bool, ("no", "x"), False),
    (fields.need_bool, ("False", "x"), False),
    (fields.need_bool, (False, "x"), False),
    (fields.need_bool, (True, "x"), True),
    (fields.check_keys, ({"a": 1}, "options", {"a", "b"}), None),
    (fields.check_qemu_host, ("2001:DB8::0001", "h"), "2001:db8::1"),
    (fields.check_qemu_host, ("::1", "h"), "::1"),
    (fields.check_qemu_host, ("192.0.2.1", "h"), "192.0.2.1"),
    (fields.check_qemu_host, ("a_b.example.", "h"), "a_b.example."),
    (fields.check_qemu_host, ("a-b", "h"), "a-b"),
    (fields.check_qemu_host, ("x", "h"), "x"),
    (fields.check_qemu_host, ("a" * 63, "h"), "a" * 63),
    (fields.check_qemu_host, (LONGEST, "h"), LONGEST),
    (fields.check_port, (1, "p"), 1),
    (fields.check_port, (65535, "p"), 65535),
    (fields.check_port, ("22", "p"), 22),
    (fields.check_socket_path, ("/" + "a" * 106, "s"), "/" + "a" * 106),
    (fields.check_socket_path, ("/" + "\u00e9" * 53, "s"), "/" + "\u00e9" * 53),  # 107 bytes in UTF-8
    (fields.host_in_uri, ("::1",), "[::1]"),
    (fields.host_in_uri, ("192.0.2.1",), "192.0.2.1"),
    (fields.is_ipv6, ("::1",), True),
    (fields.is_ipv6, ("h",), False),
]


@pytest.mark.parametrize("check,args,expected", ACCEPTED, ids=["row%d" % i for i in range(len(ACCEPTED))])
def test_accepted(check, args, expected):
    result = check(*args)
    assert (result, type(result)) == (expected, type(expected))


def test_plain_types_come_back():
    """A tagged str comes back as a plain str; a mapping is returned as it was given."""
    text = fields.need_str(_Tagged("a"), "x")
    assert (text, type(text)) == ("a", str)
    mapping = _TaggedDict(a=1)
    assert fields.need_mapping(mapping, "x") is mapping


REFUSED = [
    (fields.need_mapping, (None, "x"), "x", "x: expected a mapping, got null"),
    (fields.need_mapping, (5, "x"), "x", "x: 5 is not accepted; expected a mapping, got int"),
    (fields.need_mapping, (1.5, "x"), "x", "x: 1.5 is not accepted; expected a mapping, got float"),
    (fields.need_mapping, ("s", "x"), "x", "x: 's' is not accepted; expected a mapping, got str"),
    (fields.need_mapping, (_Tagged("s"), "x"), "x", "x: 's' is not accepted; expected a mapping, got str"),
    (fields.need_mapping, ([1], "x"), "x", "x: [1] is not accepted; expected a mapping, got list"),
    (fields.need_mapping, ((1,), "x"), "x", "x: (1,) is not accepted; expected a mapping, got tuple"),
    (fields.need_mapping, (True, "x"), "x", "x: True is not accepted; expected a mapping, got bool"),
    (fields.need_mapping, ({1}, "x"), "x", "x: {1} is not accepted; expected a mapping, got set"),
    # a mapping has both keys() and get()
    (fields.need_mapping, (_KeysOnly(), "x"), "x", "x: _KeysOnly() is not accepted; expected a mapping, got _KeysOnly"),
    (fields.need_mapping, (_GetOnly(), "x"), "x", "x: _GetOnly() is not accepted; expected a mapping, got _GetOnly"),
    (fields.need_str, (5, "x"), "x", "x: 5 is not accepted; expected a string, got int"),
    (fields.need_str, ("", "x"), "x", "x: '' is not accepted; expected a non-empty string"),
    (fields.need_str, ("a\x00b", "x"), "x", "x: 'a\\x00b' is not accepted; NUL characters cannot be passed to QEMU"),
    (fields.need_str, ("a\x00b", "x", True, True), "x",
     "x: <hidden> is not accepted; NUL characters cannot be passed to QEMU"),
    (fields.need_str, (5, "x", False, True), "x", "x: <hidden> is not accepted; expected a string, got int"),
    (fields.need_str, ("", "x", False, True), "x", "x: <hidden> is not accepted; expected a non-empty string"),
    (fields.need_int, (True, "x"), "x", "x: True is not accepted; expected an integer, got a boolean"),
    (fields.need_int, ("1" * 21, "x"), "x",
     "x: '%s' is not accepted; expected an integer (digits 0-9), got str" % ("1" * 21)),
    (fields.need_int, ("x", "x"), "x", "x: 'x' is not accepted; expected an integer (digits 0-9), got str"),
    (fields.need_int, ("1 2", "x"), "x", "x: '1 2' is not accepted; expected an integer (digits 0-9), got str"),
    (fields.need_int, (1.0, "x"), "x", "x: 1.0 is not accepted; expected an integer, got float"),
    (fields.need_int, (None, "x"), "x", "x: expected an integer, got null"),
    (fields.need_int, (0, "x", 1, 5), "x", "x: 0 is not accepted; expected an integer between 1 and 5"),
    (fields.need_int, (6, "x", 1, 5), "x", "x: 6 is not accepted; expected an integer between 1 and 5"),
    (fields.need_int, ("6", "x", 1, 5), "x", "x: 6 is not accepted; expected an integer between 1 and 5"),
    (fields.need_int, (-1, "x", 0), "x", "x: -1 is not accepted; expected an integer >= 0"),
    (fields.need_bool, ("y", "x"), "x", "x: 'y' is not accepted; expected a boolean (true/false, yes/no, on/off)"),
    (fields.need_bool, (1, "x"), "x", "x: 1 is not accepted; expected a boolean (true/false, yes/no, on/off)"),
    (fields.need_bool, (None, "x"), "x", "x: expected a boolean (true/false, yes/no, on/off)"),
    (fields.check_keys, ({"a": 1, "password": "p"}, "", {"a"}), "password",
     "password: <hidden> is not accepted; unknown key; accepted keys here: a"),
    (fields.check_keys, ({"b": 1}, "options", {"c", "a"}), "options.b",
     "options.b: 1 is not accepted; unknown key; accepted keys here: a, c"),
    (fields.check_keys, ({5: 1}, "", {"a"}), "5", "5: 1 is not accepted; unknown key; accepted keys here: a"),
    (fields.check_qemu_host, ("[::1]", "h"), "h",
     "h: '[::1]' is not accepted; write IPv6 addresses without brackets (::1); brackets are added where a URI "
     "needs them"),
    (fields.check_qemu_host, ("fe80::1%eth0", "h"), "h",
     "h: 'fe80::1%eth0' is not accepted; IPv6 zone ids ('%') cannot be written in QEMU URIs; use a global or "
     "loopback address"),
    (fields.check_qemu_host, ("::1:::", "h"), "h", "h: '::1:::' is not accepted; not a valid IPv6 address"),
    (fields.check_qemu_host, ("[::1", "h"), "h", "h: '[::1' is not accepted; not a valid IPv6 address"),
    (fields.check_qemu_host, ("::1]", "h"), "h", "h: '::1]' is not accepted; not a valid IPv6 address"),
    (fields.check_qemu_host, ("1.2.3", "h"), "h", "h: '1.2.3' is not accepted; not a valid IPv4 address"),
    (fields.check_qemu_host, ("256.1.1.1", "h"), "h", "h: '256.1.1.1' is not accepted; not a valid IPv4 address"),
    (fields.check_qemu_host, ("1.2.3.4.5", "h"), "h", "h: '1.2.3.4.5' is not accepted; not a valid IPv4 address"),
    (fields.check_qemu_host, ("-a", "h"), "h", "h: '-a' is not accepted; " + HOST),
    (fields.check_qemu_host, ("a-", "h"), "h", "h: 'a-' is not accepted; " + HOST),
    (fields.check_qemu_host, ("a.-b", "h"), "h", "h: 'a.-b' is not accepted; " + HOST),
    (fields.check_qemu_host, ("a..b", "h"), "h", "h: 'a..b' is not accepted; " + HOST),
    (fields.check_qemu_host, ("a" * 64, "h"), "h", "h: '%s' is not accepted; %s" % ("a" * 64, HOST)),
    (fields.check_qemu_host, (LONGEST + "a", "h"), "h",
     "h: %s...(256 chars) is not accepted; %s" % (("'" + LONGEST)[:120], HOST)),
    (fields.check_qemu_host, (5, "h"), "h", "h: 5 is not accepted; expected a string, got int"),
    (fields.check_port, (0, "p"), "p", "p: 0 is not accepted; expected an integer between 1 and 65535"),
    (fields.check_port, (65536, "p"), "p", "p: 65536 is not accepted; expected an integer between 1 and 65535"),
    (fields.check_socket_path, ("rel", "s"), "s",
     "s: 'rel' is not accepted; expected an absolute socket path starting with '/'"),
    (fields.check_socket_path, ("", "s"), "s", "s: '' is not accepted; expected a non-empty string"),
    (fields.check_socket_path, ("/" + "a" * 107, "s"), "s",
     "s: '/%s' is not accepted; a Unix socket path is limited to 107 bytes (sun_path)" % ("a" * 107)),
    (fields.check_socket_path, ("/" + "\u00e9" * 53 + "a", "s"), "s",
     "s: '/%sa' is not accepted; a Unix socket path is limited to 107 bytes (sun_path)" % ("\u00e9" * 53)),
]


@pytest.mark.parametrize("check,args,field,message", REFUSED, ids=["row%d" % i for i in range(len(REFUSED))])
def test_refused(check, args, field, message):
    with pytest.raises(SpecError) as caught:
        check(*args)
    assert (caught.value.field, str(caught.value)) == (field, message)


def test_an_address_error_keeps_its_cause():
    with pytest.raises(SpecError) as caught:
        fields.check_qemu_host("256.1.1.1", "h")
    assert isinstance(caught.value.__cause__, ValueError) and not isinstance(caught.value.__cause__, SpecError)
