# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NBD drives (drive/protocols/nbd.py): the field and the whole message of each refusal, as the
other drive error tables do (tests/unit/drive/test_server_address_errors.py), and the readings of
each form. QEMU 7.2 and 10.0 open the URI, legacy, -drive and -blockdev shapes here
(tests/live/drive/test_drive_filters_live.py nbd-*; dot segments:
tests/live/drive/test_drive_differential_fuzz.py; the option gates:
tests/live/drive/test_version_gates_live.py); libvirt 9.0 and 11.3 validate the disk XML
(tests/live/libvirt/test_libvirt_version_gates_live.py)."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import (
    normalize, render_blockdev, render_uri,
)
from ansible_collections.virt_uri.toolkit.tests.support.ids import row_ids
from ansible_collections.virt_uri.toolkit.tests.support.refusals import spec_refusal

NBD = {"protocol": "nbd", "server": {"host": "192.0.2.1", "port": 30000}}
SOCK = {"protocol": "nbd", "server": {"socket": "/tmp/nbd.sock"}}
LAYER = {"device": "disk", "read_only": False}


SPEC_ERRORS = [
    (dict(NBD, export="a" * 4097), None, "export", "export: %s...(4099 chars) is not accepted; at most 4096 bytes "
     "(NBD_MAX_STRING_SIZE)" % repr("a" * 4097)[:120]),
    (dict(NBD, export="\u00e9" * 2049), None, "export", "export: %s...(2051 chars) is not accepted; at most 4096 "
     "bytes (NBD_MAX_STRING_SIZE)" % repr("\u00e9" * 2049)[:120]),
    (dict(NBD, export=1), None, "export", "export: 1 is not accepted; expected a string, got int"),
    (dict(NBD, options={"tls_hostname": "h"}), "6.2", "options.tls_hostname",
     "options.tls_hostname: 'h' is not accepted; needs QEMU >= 7.0"),
    (dict(NBD, options={"open_timeout": 1}), "6.2", "options.open_timeout",
     "options.open_timeout: 1 is not accepted; needs QEMU >= 7.0"),
    (dict(NBD, options={"reconnect_delay": 1}), "4.1", "options.reconnect_delay",
     "options.reconnect_delay: 1 is not accepted; needs QEMU >= 4.2"),
    (dict(NBD, options={"reconnect_delay": -1}), None, "options.reconnect_delay",
     "options.reconnect_delay: -1 is not accepted; expected an integer between 0 and 4294967295"),
    (dict(NBD, options={"tls_creds": "0x"}), None, "options.tls_creds", "options.tls_creds: '0x' is not accepted; "
     "expected a QEMU object id: a letter, then letters, digits, '-', '.', '_'"),
    (dict(NBD, foo=1), None, "foo", "foo: 1 is not accepted; unknown key; accepted keys here: export, options, "
     "protocol, server, servers"),
    (dict(SOCK, options={"tls_creds": "tls0"}), None, "options.tls_hostname",
     "options.tls_hostname: required with tls_creds over a Unix socket (QEMU has no host name to check)"),
]


@pytest.mark.parametrize("spec,version,field,message", SPEC_ERRORS, ids=row_ids(SPEC_ERRORS))
def test_spec_refusal(spec, version, field, message):
    assert spec_refusal(normalize, spec, version) == (field, message)


def test_normalize():
    norm = {"protocol": "nbd", "servers": [{"host": "192.0.2.1", "port": 30000}], "export": ""}
    assert normalize(dict(NBD, export=None)) == norm
    assert normalize(dict(NBD, export="a" * 4096))["export"] == "a" * 4096
    assert normalize(dict(NBD, options={"tls_hostname": "h", "open_timeout": 1, "reconnect_delay": 0}), "7.0") == dict(
        norm, options={"tls_hostname": "h", "open_timeout": 1, "reconnect_delay": 0})
    assert normalize(dict(NBD, options={"reconnect_delay": 1}), "4.2") == dict(norm, options={"reconnect_delay": 1})
    assert normalize(dict(SOCK, options={"tls_creds": "tls0", "tls_hostname": "h"})) == {
        "protocol": "nbd", "servers": [{"socket": "/tmp/nbd.sock"}], "export": "",
        "options": {"tls_creds": "tls0", "tls_hostname": "h"}}


def _unexpressible(names, form):
    return ("options", "options: %r is not accepted; %s cannot be written in the nbd %s; use qemu_drive_opts, "
            "qemu_blockdev or libvirt_disk_xml, or pass on_unexpressible='omit' to drop them knowingly"
            % (sorted(names), ", ".join(sorted(names)), form))


_DOTS = ("is not accepted; a '.' or '..' segment is removed from an NBD URI by QEMU %s (block/nbd.c: nbd_parse_uri "
         "(g_uri_parse remove_dot_segments)); use qemu_drive_opts or qemu_blockdev for this export")
URI_ERRORS = [
    (dict(NBD, options={"tls_creds": "tls0"}), None, _unexpressible(["tls_creds"], "URI")),
    (dict(NBD, export="a/../b"), "9.1", ("export", "export: 'a/../b' " + _DOTS % "9.1")),
    (dict(NBD, export="a/."), "10.0", ("export", "export: 'a/.' " + _DOTS % "10.0")),
    (dict(NBD, export=".."), None, ("export", "export: '..' " + _DOTS % "10.0")),  # no version: the newest known
]


@pytest.mark.parametrize("spec,version,refusal", URI_ERRORS, ids=row_ids(URI_ERRORS))
def test_uri_refusal(spec, version, refusal):
    assert spec_refusal(render_uri, spec, version) == refusal


@pytest.mark.parametrize("spec,version,expected", [
    (dict(NBD, export="a/../b"), "9.0", "nbd://192.0.2.1:30000/a/../b"),  # 7.2 keeps dot segments
    (dict(NBD, export="a/..b"), "10.0", "nbd://192.0.2.1:30000/a/..b"),
    ({"protocol": "nbd", "server": {"host": "h"}}, None, "nbd://h"),
    (dict(SOCK, export="e"), None, "nbd+unix:///e?socket=/tmp/nbd.sock"),
], ids=["dots-before-9.1", "not-a-dot-segment", "default-port", "unix"])
def test_uri(spec, version, expected):
    assert render_uri(spec, version) == expected
    assert parse_drive(expected, version) == normalize(spec, version)


def test_uri_omits_options():
    assert render_uri(dict(NBD, options={"tls_creds": "tls0"}), on_unexpressible="omit") == "nbd://192.0.2.1:30000"


LEGACY_ERRORS = [
    (dict(NBD, options={"tls_creds": "tls0"}), _unexpressible(["tls_creds"], "legacy nbd: string")),
    ({"protocol": "nbd", "server": {"socket": "/a:exportname=b"}}, (
        "server.socket", "server.socket: '/a:exportname=b' is not accepted; cannot contain ':exportname=' in the "
        "legacy form")),
    ({"protocol": "nbd", "servers": [{"socket": "/a:exportname=b"}]}, (
        "servers.0.socket", "servers.0.socket: '/a:exportname=b' is not accepted; cannot contain ':exportname=' in "
        "the legacy form")),
    ({"protocol": "nbd", "server": {"socket": "/a://b"}}, (
        "server.socket", "server.socket: '/a://b' is not accepted; the legacy form cannot contain '://'; use the URI "
        "form")),
    (dict(NBD, export="x://y"), (
        "export", "export: 'x://y' is not accepted; the legacy form cannot contain '://'; use the URI form")),
]


@pytest.mark.parametrize("spec,refusal", LEGACY_ERRORS, ids=row_ids(LEGACY_ERRORS))
def test_legacy_refusal(spec, refusal):
    assert spec_refusal(render_uri, spec, syntax="legacy") == refusal


@pytest.mark.parametrize("spec,expected", [
    (dict(SOCK, export="e"), "nbd:unix:/tmp/nbd.sock:exportname=e"),
    ({"protocol": "nbd", "server": {"host": "h"}}, "nbd:h:10809"),  # the legacy form needs the port
    (dict(NBD, options={"tls_creds": "tls0"}), "nbd:192.0.2.1:30000"),
], ids=["unix-export", "default-port", "omitted"])
def test_legacy(spec, expected):
    assert render_uri(spec, syntax="legacy", on_unexpressible="omit") == expected
    assert parse_drive(expected) == {k: v for k, v in normalize(spec).items() if k != "options"}


def test_blockdev():
    spec = dict(SOCK, export="e", options={"tls_creds": "t", "tls_hostname": "h", "reconnect_delay": 1,
                                           "open_timeout": 2})
    node = {"driver": "nbd", "server": {"type": "unix", "path": "/tmp/nbd.sock"}, "export": "e", "tls-creds": "t",
            "tls-hostname": "h", "reconnect-delay": 1, "open-timeout": 2}
    assert render_blockdev(spec) == node
    assert parse_drive(node) == normalize(spec)
    assert render_blockdev(NBD) == {"driver": "nbd", "server": {"type": "inet", "host": "192.0.2.1", "port": "30000"}}


_PORT = "is not accepted; the legacy form needs HOST:PORT (the port is mandatory)"
_UNIX = ("is not accepted; nbd+unix URIs take no host or port and exactly one query parameter: "
         "nbd+unix:///EXPORT?socket=PATH")
PARSE_ERRORS = [
    ("nbd:h", "uri", "uri: 'nbd:h' " + _PORT),
    ("nbd:h:", "uri", "uri: 'nbd:h:' " + _PORT),
    ("nbd::5", "uri", "uri: 'nbd::5' " + _PORT),
    ("nbd:[::1]", "uri", "uri: 'nbd:[::1]' " + _PORT),
    ("nbd:[::1]5", "uri", "uri: 'nbd:[::1]5' " + _PORT),
    # ':exportname=' right after 'nbd:' is still the export option (strstr finds it at offset 0)
    ("nbd::exportname=", "uri", "uri: 'nbd::exportname=' is not accepted; an empty exportname= leaves no server "
     "(QEMU: NBD server address missing)"),
    ("nbd:h:1:exportname=", "uri", "uri: 'nbd:h:1:exportname=' is not accepted; an empty exportname= leaves no "
     "server (QEMU: NBD server address missing)"),
    ("nbd:[::1]x5", "uri", "uri: 'nbd:[::1]x5' " + _PORT),   # QEMU 7.2: error parsing IPv6 address
    ("nbd:[::1]]:5", "uri", "uri: 'nbd:[::1]]:5' " + _PORT),
    # util/qemu-sockets.c: inet_parse; QEMU 7.2 resolves 'nbd:::1:5' as host '' port ':1:5'
    ("nbd:::1:5", "uri", "uri: 'nbd:::1:5' is not accepted; an IPv6 host needs brackets in the legacy form: "
     "nbd:[HOST]:PORT"),
    ("nbd:h:0", "port", "port: 0 is not accepted; expected an integer between 1 and 65535"),
    ("nbd:999.1.1.1:5", "host", "host: '999.1.1.1' is not accepted; not a valid IPv4 address"),
    ("nbd+unix://h/e?socket=/s", "uri", "uri: 'nbd+unix://h/e?socket=/s' " + _UNIX),
    ("nbd+unix://:5/e?socket=/s", "uri", "uri: 'nbd+unix://:5/e?socket=/s' " + _UNIX),
    ("nbd+unix:///e", "uri", "uri: 'nbd+unix:///e' " + _UNIX),
    ("nbd+unix:///e?socket=/s&x=1", "uri", "uri: 'nbd+unix:///e?socket=/s&x=1' " + _UNIX),
    ("nbd+unix:/e?socket=/s", "uri", "uri: 'nbd+unix:/e?socket=/s' is not accepted; an NBD URI needs '//': "
     "nbd://HOST[:PORT]/EXPORT or nbd+unix:///EXPORT?socket=PATH"),
    ("nbd:///e", "uri", "uri: 'nbd:///e' is not accepted; an NBD TCP URI needs a host: nbd://HOST[:PORT]/EXPORT"),
    ("nbd://h/e?x=1", "uri", "uri: 'nbd://h/e?x=1' is not accepted; QEMU rejects any query parameter in an NBD TCP "
     "URI"),
    ("nbd://h/%zz", "export", "export: '/%zz' is not accepted; invalid %-encoding"),
]


@pytest.mark.parametrize("text,field,message", PARSE_ERRORS, ids=row_ids(PARSE_ERRORS))
def test_parse_refusal(text, field, message):
    assert spec_refusal(parse_drive, text) == (field, message)


@pytest.mark.parametrize("text,expected", [
    ("nbd:h:1:exportname=e", {"servers": [{"host": "h", "port": 1}], "export": "e"}),
    ("nbd:[::1]:5:exportname=e", {"servers": [{"host": "::1", "port": 5}], "export": "e"}),
    ("nbd:unix:/s", {"servers": [{"socket": "/s"}], "export": ""}),
    # block/nbd.c: nbd_parse_filename cuts at the first ':exportname=' (strstr)
    ("nbd:unix:/s:exportname=a:exportname=b", {"servers": [{"socket": "/s"}], "export": "a:exportname=b"}),
    ("nbd://h/e", {"servers": [{"host": "h", "port": 10809}], "export": "e"}),
    ("nbd+tcp://h:5", {"servers": [{"host": "h", "port": 5}], "export": ""}),
    ("nbd://h/%2Fe", {"servers": [{"host": "h", "port": 10809}], "export": "/e"}),
], ids=["legacy", "legacy-ipv6", "legacy-unix", "legacy-first-exportname", "uri-default-port", "nbd+tcp",
        "escaped-slash"])
def test_parse(text, expected):
    assert parse_drive(text) == dict(expected, protocol="nbd")


_SERVER = '"server":{"type":"inet","host":"h","port":"1"}'
NODE_ERRORS = [
    ('json:{"driver":"nbd","host":"h",%s}' % _SERVER, "host",
     "host: 'h' is not accepted; Cannot use 'server' and path/host/port at the same time"),
    ('json:{"driver":"nbd","port":"5",%s}' % _SERVER, "port",
     "port: '5' is not accepted; Cannot use 'server' and path/host/port at the same time"),
    ('json:{"driver":"nbd","path":"/s",%s}' % _SERVER, "path",
     "path: '/s' is not accepted; Cannot use 'server' and path/host/port at the same time"),
    ('json:{"driver":"nbd","path":"/s","host":"h"}', "path",
     "path: '/s' is not accepted; path and host may not be used at the same time"),
    ('json:{"driver":"nbd","port":"5"}', "port", "port: '5' is not accepted; port may not be used without host"),
    ('json:{"driver":"nbd"}', "server", "server: NBD server address missing"),
]


@pytest.mark.parametrize("text,field,message", NODE_ERRORS, ids=row_ids(NODE_ERRORS))
def test_node_refusal(text, field, message):
    assert spec_refusal(parse_drive, text) == (field, message)


@pytest.mark.parametrize("text,expected", [
    # the legacy flat keys (block/nbd.c: nbd_process_legacy_socket_options)
    ('json:{"driver":"nbd","host":"h"}', {"servers": [{"host": "h", "port": 10809}], "export": ""}),
    ('json:{"driver":"nbd","host":"h","port":"5","export":"e"}', {"servers": [{"host": "h", "port": 5}], "export": "e"}),
    ('json:{"driver":"nbd","path":"/s","tls-creds":"t","tls-hostname":"h","reconnect-delay":3,"open-timeout":4}',
     {"servers": [{"socket": "/s"}], "export": "",
      "options": {"tls_creds": "t", "tls_hostname": "h", "reconnect_delay": 3, "open_timeout": 4}}),
], ids=["host", "host-port", "path-options"])
def test_parse_node(text, expected):
    assert parse_drive(text) == dict(expected, protocol="nbd")


def test_disk_xml():
    spec = dict(NBD, export="e", options={"tls_creds": "tls0", "tls_hostname": "th", "reconnect_delay": 5})
    xml = render_disk_xml(spec)
    assert xml == (
        '<disk type="network" device="disk">\n  <driver name="qemu" type="raw" />\n'
        '  <source protocol="nbd" name="e" tls="yes" tlsHostname="th">\n'
        '    <host name="192.0.2.1" port="30000" />\n    <reconnect delay="5" />\n'
        '  </source>\n  <target dev="vda" bus="virtio" />\n</disk>')
    # libvirt's tls='yes' names its own credentials, not a QEMU object: refused on the way back
    assert spec_refusal(parse_drive, xml) == (
        "source.tls", "source.tls: 'yes' is not accepted; libvirt's own NBD TLS credentials (qemu.conf "
        "nbd_tls_x509_cert_dir) have no QEMU object id to put in options.tls_creds; read the -blockdev or json: form "
        "QEMU was given instead")
    back = parse_drive(xml.replace(' tls="yes"', ""))
    assert back == {"protocol": "nbd", "servers": [{"host": "192.0.2.1", "port": 30000}], "export": "e",
                    "options": {"tls_hostname": "th", "reconnect_delay": 5},
                    "layer": {"format": "raw", "target_dev": "vda", "target_bus": "virtio", "device": "disk",
                              "read_only": False}}


def test_disk_xml_reconnect_gate():
    spec = dict(NBD, options={"reconnect_delay": 5})
    # <reconnect> is in libvirt's schema from 9.2 (libvirt/versions.py nbd_reconnect)
    assert '<reconnect delay="5" />' in render_disk_xml(spec, libvirt_version="9.2")
    assert spec_refusal(render_disk_xml, spec, libvirt_version="9.1") == (
        "options", "options: ['reconnect_delay'] is not accepted; reconnect_delay cannot be written in the nbd "
        "libvirt disk XML; use qemu_blockdev or qemu_drive_opts, or pass on_unexpressible='omit' to drop them "
        "knowingly")
    assert "reconnect" not in render_disk_xml(spec, libvirt_version="9.1", on_unexpressible="omit")
    assert spec_refusal(render_disk_xml, dict(NBD, options={"open_timeout": 1})) == (
        "options", "options: ['open_timeout'] is not accepted; open_timeout cannot be written in the nbd libvirt disk "
        "XML; use qemu_blockdev or qemu_drive_opts, or pass on_unexpressible='omit' to drop them knowingly")


def _disk(attrs, children):
    return "<disk type='network' device='disk'><source protocol='nbd'%s>%s</source></disk>" % (attrs, children)


@pytest.mark.parametrize("xml,expected", [
    (_disk(" tls='no'", "<host name='h'/>"), {"servers": [{"host": "h", "port": 10809}], "export": ""}),
    (_disk("", "<host transport='unix' socket='/s'/><reconnect/>"), {"servers": [{"socket": "/s"}], "export": ""}),
], ids=["tls-no-default-port", "reconnect-without-delay"])
def test_disk_xml_reading(xml, expected):
    assert parse_drive(xml) == dict(expected, protocol="nbd", layer=LAYER)
