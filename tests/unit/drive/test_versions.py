"""QEMU versions and the version gates of the drive filters (drive/versions.py): each way a version
is written -> the exact (major, minor), or the whole message of the refusal; and which side of
each gate a version is on. The gates themselves are shown on the real QEMU by the live tests each
Gate names (proof)."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.versions import (
    DEFAULT_QEMU_VERSION, QEMU_GATES, Gate, has, parse_qemu_version, parse_version, version_text,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.tests.support.ids import printable_ids

READ = [
    (None, (10, 0)),
    ("7.2", (7, 2)),
    ("7.2.22", (7, 2)),
    (" 10.0 ", (10, 0)),
    ("10", (10, 0)),
    (" 9 ", (9, 0)),
    (10, (10, 0)),
    ((9, 1), (9, 1)),
    ([9, 1, 3], (9, 1)),
    ((10, 0, "rc1"), (10, 0)),  # only major and minor are read
    (7.2, (7, 2)),
    (10.0, (10, 0)),
    ("999.999.999", (999, 999)),
]


@pytest.mark.parametrize("value,expected", READ, ids=printable_ids([row[0] for row in READ], 60))
def test_parse_qemu_version(value, expected):
    version = parse_qemu_version(value)
    assert (version, type(version)) == (expected, tuple)


REFUSED = [(9,), ("9", "1"), (True, 1), (9, True), (9, 1.0), True, "1000.0", "7.2.1000", "7.", ".7", "x", b"7.2",
           "\u0667.2", "", "7.2.3.4", {"major": 7}]


@pytest.mark.parametrize("value", REFUSED, ids=["row%d" % i for i in range(len(REFUSED))])
def test_parse_qemu_version_refused(value):
    with pytest.raises(SpecError) as caught:
        parse_qemu_version(value)
    assert (caught.value.field, str(caught.value)) == (
        "qemu_version", "qemu_version: %r is not accepted; expected a QEMU version such as '7.2' or '10.0.3'" % (value,))


def test_parse_version_names_its_field_and_default():
    assert parse_version(None, "libvirt_version", (11, 3), "a libvirt version") == (11, 3)
    with pytest.raises(SpecError) as caught:
        parse_version("x", "libvirt_version", (11, 3), "a libvirt version such as '9.0'")
    assert str(caught.value) == "libvirt_version: 'x' is not accepted; expected a libvirt version such as '9.0'"


def test_default_and_text():
    assert DEFAULT_QEMU_VERSION == (10, 0)
    assert (version_text((9, 1)), version_text((10, 0))) == ("9.1", "10.0")


@pytest.mark.parametrize("gate,versions", [
    (Gate(since=(7, 0), until=(9, 1)), {(6, 2): False, (7, 0): True, (9, 0): True, (9, 1): False}),
    (Gate(since=(7, 0)), {(6, 99): False, (7, 0): True, (99, 0): True}),
    (Gate(until=(9, 1)), {(0, 0): True, (9, 0): True, (9, 1): False}),
    (Gate(), {(0, 0): True, (99, 0): True}),
], ids=["both", "since", "until", "none"])
def test_gate_holds(gate, versions):
    assert {version: gate.holds(version) for version in versions} == versions


def test_gate_fields():
    gate = Gate((7, 0), (9, 1), "block/x.c: f", "tests/live/x.py::t")
    assert (gate.since, gate.until, gate.source, gate.proof) == ((7, 0), (9, 1), "block/x.c: f", "tests/live/x.py::t")
    assert (Gate().since, Gate().until, Gate().source, Gate().proof) == (None, None, "", "")


@pytest.mark.parametrize("feature,before,since", [
    ("glib_uri", (9, 0), (9, 1)),
    ("ssh_ipv6_uri", (9, 0), (9, 1)),
    ("ssh_sha256_uri", (6, 2), (7, 0)),
    ("ssh_sha256", (6, 0), (6, 1)),
    ("nbd_tls_hostname", (6, 2), (7, 0)),
    ("nbd_reconnect_delay", (4, 1), (4, 2)),
    ("rbd_namespace", (4, 2), (5, 0)),
])
def test_has_since(feature, before, since):
    assert (has(feature, before), has(feature, since)) == (False, True)


@pytest.mark.parametrize("feature,last,gone", [("gluster_rdma", (9, 0), (9, 1)), ("sheepdog", (6, 0), (6, 1))])
def test_has_until(feature, last, gone):
    assert (has(feature, last), has(feature, gone)) == (True, False)


def test_every_gate_names_its_source_and_proof():
    for name, gate in QEMU_GATES.items():
        assert gate.source and gate.proof.startswith("tests/live/drive/"), name
