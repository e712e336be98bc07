# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""GlusterFS drives (drive/protocols/gluster.py): the field and the whole message of each refusal,
as the other drive error tables do (tests/unit/drive/test_server_address_errors.py), and the
readings of each form. QEMU 7.2 and 10.0 open the tcp, unix and two-server shapes here
(tests/live/drive/test_drive_filters_live.py gluster, gluster-unix, gluster-two-servers); the
gluster+unix and rdma version rules are QEMU's (block/gluster.c: qemu_gluster_parse_uri;
drive/versions.py glib_uri, gluster_rdma)."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import (
    normalize, render_blockdev, render_uri,
)
from ansible_collections.virt_uri.toolkit.tests.support.ids import row_ids
from ansible_collections.virt_uri.toolkit.tests.support.refusals import spec_refusal

GLUSTER = {"protocol": "gluster", "servers": [{"host": "192.0.2.1"}], "volume": "testvol", "path": "a.img"}
RDMA = dict(GLUSTER, servers=[{"host": "h"}, {"host": "r", "transport": "rdma"}])


SPEC_ERRORS = [
    (RDMA, "9.1", "servers.1.transport", "servers.1.transport: 'rdma' is not accepted; gluster+rdma was removed in "
     "QEMU 9.1 (it always fell back to tcp); use 'tcp'"),
    ({"protocol": "gluster", "servers": [{"host": "h"}]}, None, "volume", "volume: required: the gluster volume name"),
    ({"protocol": "gluster", "servers": [{"host": "h"}], "volume": "v"}, None, "path",
     "path: required: the gluster image path inside the volume"),
    (dict(GLUSTER, volume="a/b"), None, "volume", "volume: 'a/b' is not accepted; a volume name cannot contain '/'"),
    (dict(GLUSTER, volume=1), None, "volume", "volume: 1 is not accepted; expected a string, got int"),
    (dict(GLUSTER, path="//"), None, "path",
     "path: '//' is not accepted; expected an image path inside the volume, e.g. dir/a.img"),
    (dict(GLUSTER, path=1), None, "path", "path: 1 is not accepted; expected a string, got int"),
    (dict(GLUSTER, options={"debug": 10}), None, "options.debug",
     "options.debug: 10 is not accepted; expected an integer between 0 and 9"),
    (dict(GLUSTER, options={"logfile": 1}), None, "options.logfile",
     "options.logfile: 1 is not accepted; expected a string, got int"),
    (dict(GLUSTER, foo=1), None, "foo", "foo: 1 is not accepted; unknown key; accepted keys here: options, path, "
     "protocol, server, servers, volume"),
]


@pytest.mark.parametrize("spec,version,field,message", SPEC_ERRORS, ids=row_ids(SPEC_ERRORS))
def test_spec_refusal(spec, version, field, message):
    assert spec_refusal(normalize, spec, version) == (field, message)


def test_normalize():
    assert normalize(RDMA, "9.0") == dict(RDMA, servers=[{"host": "h", "port": 24007},
                                                         {"host": "r", "port": 24007, "transport": "rdma"}])
    # QEMU skips the leading slashes of the path, nothing else
    assert normalize(dict(GLUSTER, path="//Xd/a", options={"debug": 9, "logfile": "/l"})) == dict(
        GLUSTER, servers=[{"host": "192.0.2.1", "port": 24007}], path="Xd/a", options={"debug": 9, "logfile": "/l"})
    assert normalize(dict(GLUSTER, servers=[{"host": "h", "transport": "tcp"}]))["servers"] == [
        {"host": "h", "port": 24007}]


@pytest.mark.parametrize("spec,kwargs,refusal", [
    (dict(GLUSTER, servers=[{"host": "a"}, {"host": "b"}]), {}, (
        "servers", "servers: [{'host': 'a', 'port': 24007}, {'host': 'b', 'port': 24007}] is not accepted; a gluster "
        "URI names one server; for several use gluster_json, qemu_drive_opts or qemu_blockdev")),
    (dict(GLUSTER, servers=[{"host": "a"}, {"host": "b"}]), {"on_unexpressible": "omit"}, (
        "servers", "servers: [{'host': 'a', 'port': 24007}, {'host': 'b', 'port': 24007}] is not accepted; a gluster "
        "URI names one server; for several use gluster_json, qemu_drive_opts or qemu_blockdev")),
    (dict(GLUSTER, options={"debug": 1}), {}, (
        "options", "options: ['debug'] is not accepted; debug cannot be written in the gluster URI; use "
        "qemu_drive_opts, qemu_blockdev or libvirt_disk_xml, or pass on_unexpressible='omit' to drop them knowingly")),
], ids=["two-servers", "two-servers-omit", "option"])
def test_uri_refusal(spec, kwargs, refusal):
    assert spec_refusal(render_uri, spec, **kwargs) == refusal


@pytest.mark.parametrize("spec,version,expected", [
    (dict(GLUSTER, options={"debug": 1}), None, "gluster://192.0.2.1/testvol/a.img"),  # omitted
    (dict(GLUSTER, servers=[{"host": "h", "port": 24007}]), None, "gluster://h/testvol/a.img"),
    (dict(GLUSTER, servers=[{"host": "h", "port": 1, "transport": "rdma"}]), "9.0", "gluster+rdma://h:1/testvol/a.img"),
    (dict(GLUSTER, servers=[{"socket": "/s"}], path="d/a"), "10.0", "gluster+unix:/testvol/d/a?socket=/s"),
], ids=["omit", "default-port", "rdma", "unix"])
def test_uri(spec, version, expected):
    assert render_uri(spec, version, on_unexpressible="omit") == expected
    assert parse_drive(expected, version) == {k: v for k, v in normalize(spec, version).items() if k != "options"}


def test_blockdev():
    spec = dict(GLUSTER, servers=[{"host": "h"}, {"socket": "/s"}], options={"debug": 2, "logfile": "/l"})
    node = {"driver": "gluster", "volume": "testvol", "path": "a.img",
            "server": [{"type": "inet", "host": "h", "port": "24007"}, {"type": "unix", "path": "/s"}],
            "debug": 2, "logfile": "/l"}
    assert render_blockdev(spec) == node
    assert parse_drive(node) == normalize(spec)
    assert spec_refusal(render_blockdev, RDMA, "9.0") == (
        "servers.1.transport", "servers.1.transport: 'rdma' is not accepted; rdma exists only in the URI form")


_SHAPE = "is not accepted; expected gluster[+transport]://[host[:port]]/volume/path"
_UNIX = "is not accepted; gluster+unix takes no host or port and exactly ?socket=PATH"
_GURI = ("is not accepted; QEMU >= 9.1 rejects gluster+unix:// with an empty authority ('invalid URI'); write "
         "gluster+unix:/VOLUME/PATH?socket=SOCKET")
PARSE_ERRORS = [
    ("gluster://h/v", None, "uri", "uri: 'gluster://h/v' " + _SHAPE),
    ("gluster://h/", None, "uri", "uri: 'gluster://h/' " + _SHAPE),
    ("gluster+unix:///v/a?socket=/s", "10.0", "uri", "uri: 'gluster+unix:///v/a?socket=/s' " + _GURI),
    ("gluster+unix://h/v/a?socket=/s", "10.0", "uri", "uri: 'gluster+unix://h/v/a?socket=/s' " + _GURI),
    ("gluster+unix://h/v/a?socket=/s", "9.0", "uri", "uri: 'gluster+unix://h/v/a?socket=/s' " + _UNIX),
    ("gluster+unix:/v/a", None, "uri", "uri: 'gluster+unix:/v/a' " + _UNIX),
    ("gluster+unix:/v/a?socket=/s&x=1", None, "uri", "uri: 'gluster+unix:/v/a?socket=/s&x=1' " + _UNIX),
    ("gluster://h/v/a?x=1", None, "uri", "uri: 'gluster://h/v/a?x=1' is not accepted; a gluster TCP URI takes no query "
     "parameters"),
    ("gluster+rdma://h:5/v/a", "10.0", "servers.0.transport", "servers.0.transport: 'rdma' is not accepted; "
     "gluster+rdma was removed in QEMU 9.1 (it always fell back to tcp); use 'tcp'"),
    ("gluster://h/v/%zz", None, "path", "path: '/v/%zz' is not accepted; invalid %-encoding"),
    ("gluster://h/v/a?x", None, "uri", "uri: 'gluster://h/v/a?x' is not accepted; query parameters must be name=value "
     "(a decoded '&' or an unescaped ';' in a value splits it for QEMU >= 9.1)"),
    ("<disk type='network'><source protocol='gluster'><host name='h'/></source></disk>", None, "volume",
     "volume: '' is not accepted; expected a non-empty string"),
    ('json:{"driver":"gluster","volume":"v","path":"p"}', None, "server", "server: Parameter 'server' is missing"),
    ('json:{"driver":"gluster","volume":"v","path":"p","server":[]}', None, "server",
     "server: [] is not accepted; expected a non-empty list of server addresses"),
    ('json:{"driver":"gluster","volume":"v","path":"p","server":{"type":"inet","host":"h","port":"1"}}', None,
     "server", "server: {'type': 'inet', 'host': 'h', 'port': '1'} is not accepted; expected a non-empty list of "
     "server addresses"),
    ('json:{"driver":"gluster","path":"p","server":[{"type":"inet","host":"h","port":"1"}]}', None, "volume",
     "volume: required by QEMU's gluster driver (the volume): Parameter 'volume' is missing"),
    ('json:{"driver":"gluster","volume":"v","server":[{"type":"inet","host":"h","port":"1"}]}', None, "path",
     "path: required by QEMU's gluster driver (the image path in the volume): Parameter 'path' is missing"),
]


@pytest.mark.parametrize("text,version,field,message", PARSE_ERRORS, ids=row_ids(PARSE_ERRORS))
def test_parse_refusal(text, version, field, message):
    assert spec_refusal(parse_drive, text, version) == (field, message)


@pytest.mark.parametrize("text,version,expected", [
    ("gluster://h//v//a", None, {"servers": [{"host": "h", "port": 24007}], "volume": "v", "path": "a"}),
    # only slashes are skipped: a leading X or space and a trailing '/' stay (block/gluster.c:
    # parse_volume_options skips the '/'s before the volume and before the image path)
    ("gluster://h/Xv//Xa/", None, {"servers": [{"host": "h", "port": 24007}], "volume": "Xv", "path": "Xa/"}),
    ("gluster://h/v/%20a", None, {"servers": [{"host": "h", "port": 24007}], "volume": "v", "path": " a"}),
    ("<disk type='network'><source protocol='gluster' name='/Xv/Xa'><host name='h'/></source></disk>", None,
     {"servers": [{"host": "h", "port": 24007}], "volume": "Xv", "path": "Xa",
      "layer": {"device": "disk", "read_only": False}}),
    ("gluster+unix:///v/a?socket=/s", "9.0", {"servers": [{"socket": "/s"}], "volume": "v", "path": "a"}),
    ("gluster+unix:/v/a?socket=/s", "10.0", {"servers": [{"socket": "/s"}], "volume": "v", "path": "a"}),
    ("gluster:///v/a", None, {"servers": [{"host": "localhost", "port": 24007}], "volume": "v", "path": "a"}),
    ("gluster+rdma://h:5/v/a", "9.0", {"servers": [{"host": "h", "port": 5, "transport": "rdma"}], "volume": "v",
                                       "path": "a"}),
    ("gluster+tcp://h/v/a", None, {"servers": [{"host": "h", "port": 24007}], "volume": "v", "path": "a"}),
    # block/gluster.c clamps a debug level above 9 to 9
    ('json:{"driver":"gluster","volume":"v","path":"p","debug":12,"logfile":"/l","server":[{"type":"inet",'
     '"host":"h","port":"1"}]}', None,
     {"servers": [{"host": "h", "port": 1}], "volume": "v", "path": "p", "options": {"debug": 9, "logfile": "/l"}}),
], ids=["slashes", "X-and-trailing-slash", "space", "disk-name", "unix-authority-before-9.1", "unix", "no-host", "rdma", "tcp", "json-debug-clamped"])
def test_parse(text, version, expected):
    assert parse_drive(text, version) == dict(expected, protocol="gluster")


def test_disk_xml():
    spec = dict(GLUSTER, servers=[{"host": "h"}, {"socket": "/s"}])
    xml = render_disk_xml(spec)
    assert xml == (
        '<disk type="network" device="disk">\n  <driver name="qemu" type="raw" />\n'
        '  <source protocol="gluster" name="testvol/a.img">\n    <host name="h" port="24007" />\n'
        '    <host transport="unix" socket="/s" />\n  </source>\n  <target dev="vda" bus="virtio" />\n</disk>')
    assert parse_drive(xml) == dict(normalize(spec), layer={"format": "raw", "target_dev": "vda",
                                                            "target_bus": "virtio", "device": "disk",
                                                            "read_only": False})
    assert parse_drive(xml.replace('name="testvol/a.img"', 'name="/testvol/d/a"'))["path"] == "d/a"
    assert spec_refusal(render_disk_xml, dict(GLUSTER, options={"debug": 1})) == (
        "options", "options: ['debug'] is not accepted; debug cannot be written in the gluster libvirt disk XML; use "
        "qemu_blockdev or qemu_drive_opts, or pass on_unexpressible='omit' to drop them knowingly")
