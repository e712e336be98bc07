# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sheepdog drives (drive/protocols/sheepdog.py, QEMU <= 6.0): the field and the whole message of
each refusal, as the other drive error tables do (tests/unit/drive/test_server_address_errors.py),
and the readings of each form (QEMU 5.2 block/sheepdog.c: sd_parse_uri, parse_vdiname, sd_open;
the URI and legacy shapes are those of tests/unit/drive/test_render_table.py)."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import (
    normalize, render_blockdev, render_uri,
)
from ansible_collections.virt_uri.toolkit.tests.support.ids import row_ids
from ansible_collections.virt_uri.toolkit.tests.support.refusals import spec_refusal

V = "5.2"  # a QEMU that still has the driver
SHEEP = {"protocol": "sheepdog", "server": {"host": "h", "port": 7000}, "vdi": "vm"}
LOCAL = [{"host": "localhost", "port": 7000}]


_SNAP = "snapshot: %s is not accepted; expected an integer between 1 and 4294967295"
SPEC_ERRORS = [
    (SHEEP, "6.1", "protocol", "protocol: 'sheepdog' is not accepted; the sheepdog driver was removed in QEMU 6.1 "
     "(qemu_version=6.1); set qemu_version to the older QEMU that runs it"),
    ({"protocol": "sheepdog", "server": {"host": "h"}}, V, "vdi", "vdi: required: the VDI name"),
    (dict(SHEEP, vdi=1), V, "vdi", "vdi: 1 is not accepted; expected a string, got int"),
    (dict(SHEEP, vdi="a" * 256), V, "vdi", "vdi: %s...(258 chars) is not accepted; VDI name is too long (at most "
     "255 bytes)" % repr("a" * 256)[:120]),
    (dict(SHEEP, snapshot=True), V, "snapshot", "snapshot: True is not accepted; expected a string, got bool"),
    (dict(SHEEP, snapshot=1.5), V, "snapshot", "snapshot: 1.5 is not accepted; expected a string, got float"),
    (dict(SHEEP, snapshot=0), V, "snapshot", _SNAP % "0"),
    (dict(SHEEP, snapshot="0"), V, "snapshot", _SNAP % "0"),
    (dict(SHEEP, snapshot=4294967296), V, "snapshot", _SNAP % "4294967296"),
    (dict(SHEEP, snapshot=""), V, "snapshot", "snapshot: '' is not accepted; expected a non-empty string"),
    (dict(SHEEP, snapshot="a" * 256), V, "snapshot", "snapshot: %s...(258 chars) is not accepted; a tag has at most "
     "255 bytes" % repr("a" * 256)[:120]),
    (dict(SHEEP, foo=1), V, "foo", "foo: 1 is not accepted; unknown key; accepted keys here: protocol, server, "
     "servers, snapshot, vdi"),
]


@pytest.mark.parametrize("spec,version,field,message", SPEC_ERRORS, ids=row_ids(SPEC_ERRORS))
def test_spec_refusal(spec, version, field, message):
    assert spec_refusal(normalize, spec, version) == (field, message)


@pytest.mark.parametrize("spec,expected", [
    (SHEEP, {"servers": [{"host": "h", "port": 7000}], "vdi": "vm"}),
    ({"protocol": "sheepdog", "vdi": "vm"}, {"servers": LOCAL, "vdi": "vm"}),  # sheepdog's own default server
    (dict(SHEEP, vdi="a" * 255, snapshot="12"), {"servers": [{"host": "h", "port": 7000}], "vdi": "a" * 255, "snapshot": 12}),
    (dict(SHEEP, snapshot="b" * 255), {"servers": [{"host": "h", "port": 7000}], "vdi": "vm", "snapshot": "b" * 255}),
    (dict(SHEEP, snapshot=4294967295), {"servers": [{"host": "h", "port": 7000}], "vdi": "vm",
                                        "snapshot": 4294967295}),
], ids=["plain", "default-server", "decimal-tag-is-an-id", "longest-tag", "largest-id"])
def test_normalize(spec, expected):
    assert normalize(spec, V) == dict(expected, protocol="sheepdog")
    assert normalize(SHEEP, "6.0")["vdi"] == "vm"


@pytest.mark.parametrize("spec,expected", [
    (dict(SHEEP, snapshot="t1"), "sheepdog://h:7000/vm#t1"),
    (dict(SHEEP, snapshot=3), "sheepdog://h:7000/vm#3"),
    (dict(SHEEP, vdi="a b"), "sheepdog://h:7000/a%20b"),
    ({"protocol": "sheepdog", "server": {"host": "::1"}, "vdi": "vm"}, "sheepdog://[::1]:7000/vm"),
    ({"protocol": "sheepdog", "server": {"socket": "/s"}, "vdi": "vm", "snapshot": "t"},
     "sheepdog+unix:///vm?socket=/s#t"),
], ids=["tag", "id", "escape", "ipv6", "unix"])
def test_uri(spec, expected):
    assert render_uri(spec, V) == expected
    assert parse_drive(expected, V) == normalize(spec, V)


_LEGACY = "is not accepted; the legacy sheepdog: form cannot carry ':', '/', '?', '#' or '%'; use the URI"
LEGACY_ERRORS = [
    ({"protocol": "sheepdog", "server": {"socket": "/s"}, "vdi": "vm"}, (
        "server.socket", "server.socket: '/s' is not accepted; the legacy sheepdog: form has no Unix socket; use the "
        "URI")),
    ({"protocol": "sheepdog", "server": {"host": "::1"}, "vdi": "vm"}, ("server.host", "server.host: '::1' " + _LEGACY)),
    (dict(SHEEP, vdi="v:m"), ("vdi", "vdi: 'v:m' " + _LEGACY)),
    (dict(SHEEP, vdi="v/m"), ("vdi", "vdi: 'v/m' " + _LEGACY)),
    (dict(SHEEP, vdi="v%m"), ("vdi", "vdi: 'v%m' " + _LEGACY)),
    (dict(SHEEP, snapshot="a#b"), ("snapshot", "snapshot: 'a#b' " + _LEGACY)),
    (dict(SHEEP, snapshot="a?b"), ("snapshot", "snapshot: 'a?b' " + _LEGACY)),
]


@pytest.mark.parametrize("spec,refusal", LEGACY_ERRORS, ids=row_ids(LEGACY_ERRORS))
def test_legacy_refusal(spec, refusal):
    assert spec_refusal(render_uri, spec, V, syntax="legacy") == refusal


@pytest.mark.parametrize("spec,expected", [
    (SHEEP, "sheepdog:h:7000:vm"),
    (dict(SHEEP, snapshot=4), "sheepdog:h:7000:vm:4"),
    (dict(SHEEP, snapshot="t1"), "sheepdog:h:7000:vm:t1"),
    (dict(SHEEP, server={"host": "X"}, vdi="VMX", snapshot="TX"), "sheepdog:X:7000:VMX:TX"),
], ids=["plain", "id", "tag", "upper-case"])
def test_legacy(spec, expected):
    assert render_uri(spec, V, syntax="legacy") == expected
    assert parse_drive(expected, V) == normalize(spec, V)


def test_blockdev():
    assert render_blockdev(dict(SHEEP, snapshot=3), V) == {
        "driver": "sheepdog", "server": {"type": "inet", "host": "h", "port": "7000"}, "vdi": "vm", "snap-id": 3}
    assert render_blockdev(dict(SHEEP, snapshot="t"), V) == {
        "driver": "sheepdog", "server": {"type": "inet", "host": "h", "port": "7000"}, "vdi": "vm", "tag": "t"}
    node = render_blockdev({"protocol": "sheepdog", "server": {"socket": "/s"}, "vdi": "vm"}, V)
    assert node == {"driver": "sheepdog", "server": {"type": "unix", "path": "/s"}, "vdi": "vm"}
    assert parse_drive(node, V) == {"protocol": "sheepdog", "servers": [{"socket": "/s"}], "vdi": "vm"}


_FORM = "is not accepted; expected sheepdog:[host:port:]vdi[:snapid|:tag]"
_UNIX = "is not accepted; sheepdog+unix takes no server address and requires ?socket=PATH"
_SLASHES = "is not accepted; a sheepdog URI needs '//': sheepdog[+tcp|+unix]://[host:port]/vdi"
PARSE_ERRORS = [
    ("sheepdog:h:1:vm:t:x", "uri", "uri: 'sheepdog:h:1:vm:t:x' " + _FORM),
    ("sheepdog:", "uri", "uri: 'sheepdog:' " + _FORM),
    ("sheepdog:h:1:", "uri", "uri: 'sheepdog:h:1:' " + _FORM),
    ("sheepdog://h/", "uri", "uri: 'sheepdog://h/' is not accepted; missing file path in URI"),
    ("sheepdog://h/vm?x=1", "uri", "uri: 'sheepdog://h/vm?x=1' is not accepted; unexpected query parameters"),
    ("sheepdog+unix:///vm", "uri", "uri: 'sheepdog+unix:///vm' " + _UNIX),
    ("sheepdog+unix://h/vm?socket=/s", "uri", "uri: 'sheepdog+unix://h/vm?socket=/s' " + _UNIX),
    ("sheepdog+unix:///vm?socket=/s&x=1", "uri", "uri: 'sheepdog+unix:///vm?socket=/s&x=1' " + _UNIX),
    ("sheepdog+tcp:vm", "uri", "uri: 'sheepdog+tcp:vm' " + _SLASHES),
    ("sheepdog+unix:/vm?socket=/s", "uri", "uri: 'sheepdog+unix:/vm?socket=/s' " + _SLASHES),
    # QEMU 5.2 sd_parse_uri reads the query with util/uri.c (query_params_parse), whose refusal of a raw
    # space tests/live/drive/test_version_gates_live.py shows on QEMU 7.2
    ("sheepdog+unix:///vm?socket=/a b", "uri", "uri: 'sheepdog+unix:///vm?socket=/a b' is not accepted; QEMU < 9.1 "
     "(util/uri.c) rejects the characters ' ' in a query; %-escape them"),
    ("sheepdog://h/v%zz", "vdi", "vdi: '/v%zz' is not accepted; invalid %-encoding"),
    ("sheepdog://h/vm#%zz", "snapshot", "snapshot: '%zz' is not accepted; invalid %-encoding"),
    ('json:{"driver":"sheepdog"}', "vdi", "vdi: required by QEMU's sheepdog driver (the VDI name): Parameter 'vdi' "
     "is missing"),
    ('json:{"driver":"sheepdog","vdi":"v","server":{"type":"inet"}}', "server.host",
     "server.host: required by QEMU's sheepdog driver (the server host): Parameter 'host' is missing"),
    ('json:{"driver":"sheepdog","vdi":"v","snap-id":1,"tag":"t"}', "tag",
     "tag: 't' is not accepted; give snap-id or tag, not both"),
    ("<disk type='network'><source protocol='sheepdog'><host name='h'/></source></disk>", "vdi",
     "vdi: '' is not accepted; expected a non-empty string"),
]


@pytest.mark.parametrize("text,field,message", PARSE_ERRORS, ids=row_ids(PARSE_ERRORS))
def test_parse_refusal(text, field, message):
    assert spec_refusal(parse_drive, text, V) == (field, message)


@pytest.mark.parametrize("text,expected", [
    ("sheepdog:vm", {"servers": LOCAL, "vdi": "vm"}),
    ("sheepdog:vm:3", {"servers": LOCAL, "vdi": "vm", "snapshot": 3}),
    ("sheepdog:h:1:vm", {"servers": [{"host": "h", "port": 1}], "vdi": "vm"}),
    ("sheepdog:///vm#3", {"servers": LOCAL, "vdi": "vm", "snapshot": 3}),
    ("sheepdog+tcp://h:5/vm", {"servers": [{"host": "h", "port": 5}], "vdi": "vm"}),
    # util/uri.c decodes a query value once (QEMU 7.2's does: test_version_gates_live.py DECODED)
    ("sheepdog+unix:///vm?socket=/a%2526b", {"servers": [{"socket": "/a%26b"}], "vdi": "vm"}),
    # block/sheepdog.c: sd_open reads an empty tag as none
    ('json:{"driver":"sheepdog","vdi":"v","tag":""}', {"servers": LOCAL, "vdi": "v"}),
    ('json:{"driver":"sheepdog","vdi":"v","snap-id":2}', {"servers": LOCAL, "vdi": "v", "snapshot": 2}),
    ('json:{"driver":"sheepdog","vdi":"v","tag":"t","server":{"type":"unix","path":"/s"}}',
     {"servers": [{"socket": "/s"}], "vdi": "v", "snapshot": "t"}),
], ids=["legacy-vdi", "legacy-snap", "legacy-server", "uri-default", "sheepdog+tcp", "decoded-once", "empty-tag",
        "snap-id", "tag-unix"])
def test_parse(text, expected):
    assert parse_drive(text, V) == dict(expected, protocol="sheepdog")


def test_disk_xml():
    xml = render_disk_xml(SHEEP, V)
    assert xml == ('<disk type="network" device="disk">\n  <driver name="qemu" type="raw" />\n'
                   '  <source protocol="sheepdog" name="vm">\n    <host name="h" port="7000" />\n  </source>\n'
                   '  <target dev="vda" bus="virtio" />\n</disk>')
    assert parse_drive(xml, V) == dict(normalize(SHEEP, V), layer={"format": "raw", "target_dev": "vda",
                                                                   "target_bus": "virtio", "device": "disk",
                                                                   "read_only": False})
    assert spec_refusal(render_disk_xml, dict(SHEEP, snapshot=3), V) == (
        "options", "options: ['snapshot'] is not accepted; snapshot cannot be written in the sheepdog libvirt disk XML; "
        "use qemu_blockdev or qemu_drive_opts, or pass on_unexpressible='omit' to drop them knowingly")
    assert 'name="vm"' in render_disk_xml(dict(SHEEP, snapshot=3), V, on_unexpressible="omit")
