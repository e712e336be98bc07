"""A protocol's `options` mapping (drive/options.py): the table check (normalize_options), the
reusable checks the protocol tables share (sizes, unsigned 32-bit numbers, QEMU object ids) and
the error for options an output form cannot carry. Each row: the input -> the exact value, or
the field and the whole message of the refusal."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive import options as opt
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.tests.support.ids import printable_ids

FIELD = "options.readahead"
SIZE_MESSAGE = "expected bytes as an integer or a size such as '64k', '1M'"

SIZES = [
    ("4096", 4096),
    ("512b", 512),
    ("64k", 64 * 1024),
    ("64K", 64 * 1024),
    ("3M", 3 * 1024 ** 2),
    ("2G", 2 * 1024 ** 3),
    ("1T", 1024 ** 4),
    (" 1M ", 1024 ** 2),
    ("0", 0),
    (131072, 131072),
    (0, 0),
]


@pytest.mark.parametrize("value,expected", SIZES, ids=printable_ids([row[0] for row in SIZES], 60))
def test_parse_size(value, expected):
    assert opt.parse_size(value, FIELD) == expected


SIZE_REFUSED = [
    ("1.5M", "options.readahead: '1.5M' is not accepted; " + SIZE_MESSAGE),
    ("64kb", "options.readahead: '64kb' is not accepted; " + SIZE_MESSAGE),
    ("-512", "options.readahead: '-512' is not accepted; " + SIZE_MESSAGE),
    ("M", "options.readahead: 'M' is not accepted; " + SIZE_MESSAGE),
    ("", "options.readahead: '' is not accepted; " + SIZE_MESSAGE),
    (-1, "options.readahead: -1 is not accepted; expected an integer >= 0"),
    (True, "options.readahead: True is not accepted; expected an integer, got a boolean"),
    (1.5, "options.readahead: 1.5 is not accepted; expected an integer, got float"),
]


@pytest.mark.parametrize("value,message", SIZE_REFUSED, ids=printable_ids([row[0] for row in SIZE_REFUSED], 60))
def test_parse_size_refused(value, message):
    with pytest.raises(SpecError) as caught:
        opt.parse_size(value, FIELD)
    assert (caught.value.field, str(caught.value)) == (FIELD, message)


@pytest.mark.parametrize("value,expected", [(0, 0), ("17", 17), (4294967295, 4294967295)])
def test_as_uint32(value, expected):
    assert opt.as_uint32(value, "options.timeout") == expected


@pytest.mark.parametrize("value", [-1, 4294967296])
def test_as_uint32_refused(value):
    with pytest.raises(SpecError) as caught:
        opt.as_uint32(value, "options.timeout")
    assert (caught.value.field, str(caught.value)) == (
        "options.timeout", "options.timeout: %d is not accepted; expected an integer between 0 and 4294967295" % value)


@pytest.mark.parametrize("value,expected", [("on", True), ("No", False), (True, True), (False, False)])
def test_as_bool(value, expected):
    assert opt.as_bool(value, "options.sslverify") is expected


def test_as_str():
    assert opt.as_str("iqn.2005-03.org.open-iscsi:x", "options.initiator_name") == "iqn.2005-03.org.open-iscsi:x"


def test_as_checks_name_the_field():
    with pytest.raises(SpecError) as caught:
        opt.as_bool("maybe", "options.sslverify")
    assert str(caught.value) == ("options.sslverify: 'maybe' is not accepted; expected a boolean "
                                 "(true/false, yes/no, on/off)")
    with pytest.raises(SpecError) as caught:
        opt.as_str(5, "options.initiator_name")
    assert str(caught.value) == "options.initiator_name: 5 is not accepted; expected a string, got int"


@pytest.mark.parametrize("value", ["a", "Z", "sec0", "a-1.b_2"])
def test_object_id(value):
    assert opt.need_object_id(value, "password_secret") == value


OBJECT_ID_MESSAGE = "expected a QEMU object id: a letter, then letters, digits, '-', '.', '_'"


@pytest.mark.parametrize("value,message", [
    ("0a", "password_secret: '0a' is not accepted; " + OBJECT_ID_MESSAGE),
    ("_a", "password_secret: '_a' is not accepted; " + OBJECT_ID_MESSAGE),
    ("a b", "password_secret: 'a b' is not accepted; " + OBJECT_ID_MESSAGE),
    ("a,b", "password_secret: 'a,b' is not accepted; " + OBJECT_ID_MESSAGE),
    ("a\n", "password_secret: 'a\\n' is not accepted; " + OBJECT_ID_MESSAGE),
    ("", "password_secret: '' is not accepted; expected a non-empty string"),
    (5, "password_secret: 5 is not accepted; expected a string, got int"),
], ids=["row%d" % i for i in range(7)])
def test_object_id_refused(value, message):
    with pytest.raises(SpecError) as caught:
        opt.need_object_id(value, "password_secret")
    assert (caught.value.field, str(caught.value)) == ("password_secret", message)


def _seen(value, field):
    return (field, value)


TABLE = {"a": _seen, "b": _seen, "c": _seen}


@pytest.mark.parametrize("spec,expected", [
    ({}, {}),
    ({"options": None}, {}),
    ({"options": {}}, {}),
    # each value goes to its check with its own field; a None value is left out, not the ones after it
    ({"options": {"c": 3, "a": None, "b": "x"}}, {"c": ("options.c", 3), "b": ("options.b", "x")}),
    ({"options": {"a": None}}, {}),
], ids=["row%d" % i for i in range(5)])
def test_normalize_options(spec, expected):
    assert opt.normalize_options(spec, TABLE) == expected


@pytest.mark.parametrize("spec,field,message", [
    ({"options": "a=1"}, "options", "options: 'a=1' is not accepted; expected a mapping, got str"),
    ({"options": ["a"]}, "options", "options: ['a'] is not accepted; expected a mapping, got list"),
    ({"options": {"a": 1, "d": 2}}, "options.d", "options.d: 2 is not accepted; unknown key; accepted keys here: a, b, c"),
    ({"options": {"d": None}}, "options.d", "options.d: unknown key; accepted keys here: a, b, c"),
], ids=["row%d" % i for i in range(4)])
def test_normalize_options_refused(spec, field, message):
    with pytest.raises(SpecError) as caught:
        opt.normalize_options(spec, TABLE)
    assert (caught.value.field, str(caught.value)) == (field, message)


def test_unexpressible_names_the_options_sorted():
    err = opt.unexpressible({"tls_creds", "open_timeout"}, "URI", "nbd")
    assert (err.field, err.value) == ("options", ["open_timeout", "tls_creds"])
    assert str(err) == ("options: ['open_timeout', 'tls_creds'] is not accepted; open_timeout, tls_creds cannot be "
                        "written in the nbd URI; use qemu_drive_opts, qemu_blockdev or libvirt_disk_xml, or pass "
                        "on_unexpressible='omit' to drop them knowingly")


def test_unexpressible_with_other_alternatives():
    err = opt.unexpressible(["user", "password_secret"], "libvirt disk XML", "iscsi", "qemu_blockdev or qemu_drive_opts")
    assert str(err) == ("options: ['password_secret', 'user'] is not accepted; password_secret, user cannot be "
                        "written in the iscsi libvirt disk XML; use qemu_blockdev or qemu_drive_opts, or pass "
                        "on_unexpressible='omit' to drop them knowingly")
