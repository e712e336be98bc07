# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SSH drives (drive/protocols/ssh.py): the field and the whole message of each refusal, as the
other drive error tables do (tests/unit/drive/test_server_address_errors.py), and the readings of
each form. QEMU 7.2 and 10.0 open the URI, -drive and -blockdev shapes here against sshd
(tests/live/drive/test_drive_filters_live.py ssh-*; the IPv6 and sha256 gates:
tests/live/drive/test_version_gates_live.py); libvirt 11.3 validates the ssh disk, 9.0 has none
(tests/live/libvirt/test_libvirt_version_gates_live.py test_disk_xml_gates)."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import (
    normalize, render_blockdev, render_uri,
)
from ansible_collections.virt_uri.toolkit.tests.support.ids import row_ids
from ansible_collections.virt_uri.toolkit.tests.support.refusals import spec_refusal

SSH = {"protocol": "ssh", "server": {"host": "host"}, "user": "user", "path": "/path/to/disk.img"}
NORM = {"protocol": "ssh", "servers": [{"host": "host", "port": 22}], "path": "/path/to/disk.img", "user": "user"}
SHA256 = "sha256:" + "ab" * 32
MD5 = "md5:" + "ab" * 16


_CHECK = ("is not accepted; expected 'yes' (known_hosts), 'no', or md5:HEX, sha1:HEX, sha256:HEX (hex digits, "
          "optionally ':'-separated)")
SPEC_ERRORS = [
    ({"protocol": "ssh", "server": {"host": "h"}}, "path", "path: required: the path of the image on the server"),
    (dict(SSH, path=1), "path", "path: 1 is not accepted; expected a string, got int"),
    (dict(SSH, user=1), "user", "user: 1 is not accepted; expected a string, got int"),
    (dict(SSH, options={"host_key_check": 1}), "options.host_key_check",
     "options.host_key_check: 1 is not accepted; expected a string, got int"),
    (dict(SSH, options={"host_key_check": "md5:zz"}), "options.host_key_check", "options.host_key_check: 'md5:zz' "
     + _CHECK),
    (dict(SSH, options={"host_key_check": "md5:a"}), "options.host_key_check", "options.host_key_check: 'md5:a' "
     + _CHECK),
    # QEMU 7.2 and 10.0 compare the newline too and refuse the key (test_trailing_newline_live.py)
    (dict(SSH, options={"host_key_check": SHA256 + "\n"}), "options.host_key_check",
     "options.host_key_check: %r " % (SHA256 + "\n") + _CHECK),
    (dict(SSH, options={"host_key_check": "sha512:ab"}), "options.host_key_check",
     "options.host_key_check: 'sha512:ab' " + _CHECK),
    (dict(SSH, options={"host_key_check": "md5:" + "ab" * 15}), "options.host_key_check",
     "options.host_key_check: 'md5:%s' is not accepted; a md5 fingerprint has 16 bytes" % ("ab" * 15)),
    (dict(SSH, options={"host_key_check": "sha1:" + "ab" * 21}), "options.host_key_check",
     "options.host_key_check: 'sha1:%s' is not accepted; a sha1 fingerprint has 20 bytes" % ("ab" * 21)),
    (dict(SSH, foo=1), "foo", "foo: 1 is not accepted; unknown key; accepted keys here: options, path, protocol, "
     "server, servers, user"),
]


@pytest.mark.parametrize("spec,field,message", SPEC_ERRORS, ids=row_ids(SPEC_ERRORS))
def test_spec_refusal(spec, field, message):
    assert spec_refusal(normalize, spec) == (field, message)


@pytest.mark.parametrize("check,expected", [
    (True, None), ("yes", None), (False, "no"), ("no", "no"),  # 'yes' is the default: known_hosts
    ("sha1:" + "ab" * 20, "sha1:" + "ab" * 20),
    ("sha256:" + ":".join(["AB"] * 32), "sha256:" + ":".join(["AB"] * 32)),
], ids=["true", "yes", "false", "no", "sha1", "sha256-colons"])
def test_host_key_check(check, expected):
    norm = normalize(dict(SSH, options={"host_key_check": check}))
    assert norm == (NORM if expected is None else dict(NORM, options={"host_key_check": expected}))


def test_normalize_relative_path_and_no_user():
    assert normalize({"protocol": "ssh", "server": {"host": "h"}, "path": "rel/p", "user": None}) == {
        "protocol": "ssh", "servers": [{"host": "h", "port": 22}], "path": "rel/p"}


URI_ERRORS = [
    (dict(SSH, server={"host": "::1"}), "9.0", "server.host", "server.host: '::1' is not accepted; QEMU < 9.1 cannot "
     "read an IPv6 address in an ssh URI; use qemu_drive_opts or qemu_blockdev"),
    (dict(SSH, options={"host_key_check": SHA256}), "6.2", "options.host_key_check",
     "options.host_key_check: %r is not accepted; sha256 in a URI needs QEMU >= 7.0; use md5/sha1 or qemu_blockdev "
     "(sha256 there since 6.1)" % SHA256),
    (dict(SSH, path="rel/p"), None, "path", "path: 'rel/p' is not accepted; a relative path has no ssh URI form "
     "(ssh://HOST/P opens '/P'); use qemu_drive_opts or qemu_blockdev"),
]


@pytest.mark.parametrize("spec,version,field,message", URI_ERRORS, ids=row_ids(URI_ERRORS))
def test_uri_refusal(spec, version, field, message):
    assert spec_refusal(render_uri, spec, version) == (field, message)


@pytest.mark.parametrize("spec,version,expected", [
    (dict(SSH, server={"host": "::1", "port": 2222}), "9.1", "ssh://user@[::1]:2222/path/to/disk.img"),
    (dict(SSH, options={"host_key_check": SHA256}), "7.0", "ssh://user@host/path/to/disk.img?host_key_check=" + SHA256),
    (dict(SSH, options={"host_key_check": "no"}), None, "ssh://user@host/path/to/disk.img?host_key_check=no"),
    (dict(SSH, user="u@x", path="/a b"), None, "ssh://u%40x@host/a%20b"),
    ({"protocol": "ssh", "server": {"host": "h"}, "path": "/p"}, None, "ssh://h/p"),
], ids=["ipv6", "sha256", "no-check", "escapes", "no-user"])
def test_uri(spec, version, expected):
    assert render_uri(spec, version) == expected
    assert parse_drive(expected, version) == normalize(spec, version)


@pytest.mark.parametrize("spec,version,node", [
    (dict(SSH, options={"host_key_check": SHA256}), "6.1",
     {"driver": "ssh", "server": {"host": "host", "port": "22"}, "path": "/path/to/disk.img", "user": "user",
      "host-key-check": {"mode": "hash", "type": "sha256", "hash": "ab" * 32}}),
    (dict(SSH, options={"host_key_check": "no"}), None,
     {"driver": "ssh", "server": {"host": "host", "port": "22"}, "path": "/path/to/disk.img", "user": "user",
      "host-key-check": {"mode": "none"}}),
    (dict(SSH, options={"host_key_check": MD5}), None,
     {"driver": "ssh", "server": {"host": "host", "port": "22"}, "path": "/path/to/disk.img", "user": "user",
      "host-key-check": {"mode": "hash", "type": "md5", "hash": "ab" * 16}}),
    ({"protocol": "ssh", "server": {"host": "h"}, "path": "/p"}, None,
     {"driver": "ssh", "server": {"host": "h", "port": "22"}, "path": "/p"}),
    # the hash keeps its ':' separators; QEMU 7.2 and 10.0 open it (test_drive_filters_live.py ssh-sha256-colons)
    (dict(SSH, options={"host_key_check": "sha256:" + ":".join(["AB"] * 32)}), None,
     {"driver": "ssh", "server": {"host": "host", "port": "22"}, "path": "/path/to/disk.img", "user": "user",
      "host-key-check": {"mode": "hash", "type": "sha256", "hash": ":".join(["AB"] * 32)}}),
], ids=["sha256", "none", "md5", "plain", "sha256-colons"])
def test_blockdev(spec, version, node):
    assert render_blockdev(spec, version) == node
    assert parse_drive(node, version) == normalize(spec, version)


def test_blockdev_sha256_gate():
    assert spec_refusal(render_blockdev, dict(SSH, options={"host_key_check": SHA256}), "6.0") == (
        "options.host_key_check", "options.host_key_check: %r is not accepted; sha256 needs QEMU >= 6.1" % SHA256)


_HKC = 'json:{"driver":"ssh","server":{"host":"h","port":"22"},"path":"/p","host-key-check":%s}'
PARSE_ERRORS = [
    ("ssh:///p", "uri", "uri: 'ssh:///p' is not accepted; missing hostname in URI (ssh://[USER@]HOST[:PORT]/PATH)"),
    ("ssh://h", "uri", "uri: 'ssh://h' is not accepted; missing remote path in URI"),
    ("ssh://h/p?x=1&y=2", "uri",
     "uri: 'ssh://h/p?x=1&y=2' is not accepted; unsupported query parameter(s) x, y; only host_key_check"),
    ("ssh://h/p%zz", "path", "path: '/p%zz' is not accepted; invalid %-encoding"),
    ("ssh://u%zz@h/p", "user", "user: 'u%zz' is not accepted; invalid %-encoding"),
    ('json:{"driver":"ssh","host":"h","server":{"host":"h","port":"22"},"path":"/p"}', "host",
     "host: 'h' is not accepted; Cannot use 'server' and host/port at the same time (block/ssh.c)"),
    ('json:{"driver":"ssh","port":"22","server":{"host":"h","port":"22"},"path":"/p"}', "port",
     "port: '22' is not accepted; Cannot use 'server' and host/port at the same time (block/ssh.c)"),
    ('json:{"driver":"ssh","port":"22","path":"/p"}', "port",
     "port: '22' is not accepted; port may not be used without host"),
    ('json:{"driver":"ssh","path":"/p"}', "server", "server: required: Parameter 'server' is missing"),
    ('json:{"driver":"ssh","server":{"host":"h","port":"22"}}', "path",
     "path: required by QEMU's ssh driver (the image path): Parameter 'path' is missing"),
    ('json:{"driver":"ssh","host":"h","path":"/p","host_key_check":"no","host-key-check":{"mode":"none"}}',
     "host_key_check", "host_key_check: 'no' is not accepted; give host-key-check or host_key_check, not both"),
    (_HKC % '{"mode":"x"}', "host-key-check.mode",
     "host-key-check.mode: 'x' is not accepted; expected none, known_hosts or hash"),
    (_HKC % '{}', "host-key-check.mode", "host-key-check.mode: required by QEMU's ssh driver (none, known_hosts or "
     "hash): Parameter 'mode' is missing"),
    (_HKC % '{"mode":"hash"}', "host-key-check.type", "host-key-check.type: required by QEMU's ssh driver (md5, sha1 "
     "or sha256): Parameter 'type' is missing"),
    (_HKC % '{"mode":"hash","type":"md5"}', "host-key-check.hash", "host-key-check.hash: required by QEMU's ssh "
     "driver (the fingerprint in hex): Parameter 'hash' is missing"),
    (_HKC % '{"mode":"none","x":1}', "host-key-check.x", "host-key-check.x: 1 is not accepted; QEMU's ssh driver has "
     "no such option, or the drive spec cannot carry it; options read here: mode"),
    # -blockdev has no legacy host_key_check (QAPI BlockdevOptionsSsh)
    ({"driver": "ssh", "server": {"host": "h", "port": "22"}, "path": "/p", "host_key_check": "no"}, "host_key_check",
     "host_key_check: 'no' is not accepted; QEMU's ssh driver has no such option, or the drive spec cannot carry it; "
     "options read here: path, server, user"),
]


@pytest.mark.parametrize("value,field,message", PARSE_ERRORS, ids=row_ids(PARSE_ERRORS))
def test_parse_refusal(value, field, message):
    assert spec_refusal(parse_drive, value) == (field, message)


# The query as that QEMU splits it (tests/live/drive/test_version_gates_live.py
# test_ssh_uri_query_as_that_qemu_splits_it): 7.2's util/uri.c splits on ';' too and refuses a raw
# space, 10.0's GLib reads 'no;x=1' as the value.
QUERY_ERRORS = [
    ("ssh://h/p?host_key_check=no;x=1", "7.2", "uri",
     "uri: 'ssh://h/p?host_key_check=no;x=1' is not accepted; unsupported query parameter(s) x; only host_key_check"),
    ("ssh://h/p?host_key_check=no;x=1", "10.0", "options.host_key_check",
     "options.host_key_check: 'no;x=1' " + _CHECK),
    ("ssh://h/p?host_key_check=no x=1", "7.2", "uri", "uri: 'ssh://h/p?host_key_check=no x=1' is not accepted; "
     "QEMU < 9.1 (util/uri.c) rejects the characters ' ' in a query; %-escape them"),
]


@pytest.mark.parametrize("value,version,field,message", QUERY_ERRORS, ids=row_ids(QUERY_ERRORS))
def test_query_refusal_per_version(value, version, field, message):
    assert spec_refusal(parse_drive, value, version) == (field, message)


@pytest.mark.parametrize("value,expected", [
    ("ssh://u@h:2222/p?host_key_check=no", {"servers": [{"host": "h", "port": 2222}], "path": "/p", "user": "u",
                                            "options": {"host_key_check": "no"}}),
    # block/ssh.c: ssh_process_legacy_options (-drive's flat host/port/host_key_check)
    ('json:{"driver":"ssh","host":"h","path":"/p","host_key_check":"no"}',
     {"servers": [{"host": "h", "port": 22}], "path": "/p", "options": {"host_key_check": "no"}}),
    ('json:{"driver":"ssh","host":"h","port":"2","path":"/p","user":"u"}',
     {"servers": [{"host": "h", "port": 2}], "path": "/p", "user": "u"}),
    (_HKC % '{"mode":"known_hosts"}', {"servers": [{"host": "h", "port": 22}], "path": "/p"}),
    (_HKC % ('{"mode":"hash","type":"md5","hash":"%s"}' % ("ab" * 16)),
     {"servers": [{"host": "h", "port": 22}], "path": "/p", "options": {"host_key_check": MD5}}),
], ids=["uri", "drive-legacy-check", "drive-legacy-port", "known-hosts", "hash"])
def test_parse(value, expected):
    assert parse_drive(value) == dict(expected, protocol="ssh")


DISK_ERRORS = [
    (SSH, {}, "options", "options: ['user'] is not accepted; user cannot be written in the ssh libvirt disk XML; use "
     "qemu_blockdev or qemu_drive_opts, or pass on_unexpressible='omit' to drop them knowingly"),
    (dict(SSH, options={"host_key_check": "no"}), {"ssh_keyfile": "/k"}, "options", "options: ['host_key_check'] is "
     "not accepted; host_key_check cannot be written in the ssh libvirt disk XML; use qemu_blockdev or "
     "qemu_drive_opts, or pass on_unexpressible='omit' to drop them knowingly"),
    (SSH, {"libvirt_version": "9.0"}, "protocol", "protocol: 'ssh' is not accepted; libvirt 9.0's domain schema has "
     "no ssh network disk (libvirt 11.3 has); use qemu_blockdev or qemu_drive_opts"),
    (SSH, {"ssh_keyfile": "/k", "ssh_agent_socket": "/a"}, "ssh_keyfile", "ssh_keyfile: '/k' is not accepted; an ssh "
     "user in libvirt XML needs exactly one of ssh_keyfile or ssh_agent_socket"),
    (dict(SSH, user="a b"), {"ssh_keyfile": "/k"}, "user", "user: 'a b' is not accepted; libvirt's domain schema "
     "allows only letters, digits, '_', '+' and '-' in an ssh user name"),
    (SSH, {"ssh_keyfile": "k"}, "ssh_keyfile",
     "ssh_keyfile: 'k' is not accepted; an absolute path without newlines (libvirt's absFilePath)"),
    (SSH, {"ssh_agent_socket": "/a\nb"}, "ssh_agent_socket",
     "ssh_agent_socket: '/a\\nb' is not accepted; an absolute path without newlines (libvirt's absFilePath)"),
    (SSH, {"ssh_agent_socket": 5}, "ssh_agent_socket",
     "ssh_agent_socket: 5 is not accepted; an absolute path without newlines (libvirt's absFilePath)"),
]


@pytest.mark.parametrize("spec,kwargs,field,message", DISK_ERRORS, ids=row_ids(DISK_ERRORS))
def test_disk_xml_refusal(spec, kwargs, field, message):
    assert spec_refusal(render_disk_xml, spec, **kwargs) == (field, message)


LAYER = {"format": "raw", "target_dev": "vda", "target_bus": "virtio", "device": "disk", "read_only": False}


@pytest.mark.parametrize("spec,kwargs,identity", [
    (SSH, {"ssh_keyfile": "/k"}, '    <identity username="user" keyfile="/k" />\n'),
    (SSH, {"ssh_agent_socket": "/run/agent.sock"}, '    <identity username="user" agentsock="/run/agent.sock" />\n'),
    (dict(SSH, user=None), {"ssh_keyfile": "/k"}, ""),
], ids=["keyfile", "agent", "no-user"])
def test_disk_xml(spec, kwargs, identity):
    xml = render_disk_xml(spec, **kwargs)
    assert xml == ('<disk type="network" device="disk">\n  <driver name="qemu" type="raw" />\n'
                   '  <source protocol="ssh" name="/path/to/disk.img">\n    <host name="host" port="22" />\n'
                   '%s  </source>\n  <target dev="vda" bus="virtio" />\n</disk>' % identity)
    assert parse_drive(xml) == dict(normalize(spec), layer=LAYER)


def test_disk_xml_reading():
    xml = "<disk type='network'><source protocol='ssh' name='/p'><host name='h' port='2'/><identity keyfile='/k'/>" \
          "</source></disk>"
    assert parse_drive(xml) == {"protocol": "ssh", "servers": [{"host": "h", "port": 2}], "path": "/p",
                                "layer": {"device": "disk", "read_only": False}}
    assert spec_refusal(parse_drive, xml.replace(" name='/p'", "")) == (
        "path", "path: '' is not accepted; expected a non-empty string")
