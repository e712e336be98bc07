"""Rendering table: one row per case — spec, version, every form that matters for it."""

import json

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import (
    render_blockdev, render_chap_env, render_json_pseudo, render_opts, render_uri,
)

NBD = {"protocol": "nbd", "server": {"host": "192.0.2.1", "port": 30000}}
SOCK = {"protocol": "nbd", "server": {"socket": "/tmp/nbd-socket"}}
ISCSI = {"protocol": "iscsi", "server": {"host": "192.0.2.1"}, "target": "iqn.2001-04.com.example", "lun": 1}
SSH = {"protocol": "ssh", "server": {"host": "host"}, "user": "user", "path": "/path/to/disk.img"}
GLUSTER = {"protocol": "gluster", "servers": [{"host": "192.0.2.1"}], "volume": "testvol", "path": "a.img"}

URIS = [
    # The source document's examples (seeds/000): the same strings come out.
    (ISCSI, None, "iscsi://192.0.2.1/iqn.2001-04.com.example/1"),
    (dict(ISCSI, user="user", password="password", credentials="inline"), None,
     "iscsi://user%password@192.0.2.1/iqn.2001-04.com.example/1"),
    (NBD, None, "nbd://192.0.2.1:30000"),
    (SOCK, None, "nbd+unix:///?socket=/tmp/nbd-socket"),
    # One %-escape for what both parsers decode alike, two for '%' and '&' on QEMU >= 9.1
    # (tests/live/drive/test_version_gates_live.py opens each on 7.2 and 10.0).
    ({"protocol": "nbd", "server": {"socket": "/t/a b#c?d;e\u00e9+=f"}}, "7.2",
     "nbd+unix:///?socket=/t/a%20b%23c%3Fd%3Be%C3%A9+=f"),
    ({"protocol": "nbd", "server": {"socket": "/t/a b#c?d;e\u00e9+=f"}}, "10.0",
     "nbd+unix:///?socket=/t/a%20b%23c%3Fd%3Be%C3%A9+=f"),
    ({"protocol": "nbd", "server": {"socket": "/t/a%b&c"}}, "7.2", "nbd+unix:///?socket=/t/a%25b%26c"),
    ({"protocol": "nbd", "server": {"socket": "/t/a%b&c"}}, "9.0", "nbd+unix:///?socket=/t/a%25b%26c"),
    ({"protocol": "nbd", "server": {"socket": "/t/a%b&c"}}, "9.1", "nbd+unix:///?socket=/t/a%2525b%2526c"),
    ({"protocol": "nbd", "server": {"socket": "/t/a%b&c"}}, None, "nbd+unix:///?socket=/t/a%2525b%2526c"),
    ({"protocol": "gluster", "servers": [{"socket": "/t/g&1 x"}], "volume": "v", "path": "a"}, "10.0",
     "gluster+unix:/v/a?socket=/t/g%25261%20x"),
    ({"protocol": "gluster", "servers": [{"socket": "/t/g&1 x"}], "volume": "v", "path": "a"}, "7.2",
     "gluster+unix:/v/a?socket=/t/g%261%20x"),
    ({"protocol": "sheepdog", "server": {"socket": "/t/s&1"}, "vdi": "vm"}, "5.2",
     "sheepdog+unix:///vm?socket=/t/s%261"),
    (dict(NBD, export="disk one/a"), None, "nbd://192.0.2.1:30000/disk%20one/a"),
    (dict(NBD, export="/leading"), None, "nbd://192.0.2.1:30000//leading"),
    ({"protocol": "nbd", "server": {"host": "2001:db8::1"}, "export": "e"}, None, "nbd://[2001:db8::1]/e"),
    (SSH, None, "ssh://user@host/path/to/disk.img"),
    (dict(SSH, options={"host_key_check": "sha256:" + "ab" * 32}), "7.0",
     "ssh://user@host/path/to/disk.img?host_key_check=sha256:" + "ab" * 32),
    (dict(SSH, options={"host_key_check": "yes"}), None, "ssh://user@host/path/to/disk.img"),
    ({"protocol": "sheepdog", "server": {"host": "192.0.2.1", "port": 30000}, "vdi": "MyVirtualMachine"}, "5.2",
     "sheepdog://192.0.2.1:30000/MyVirtualMachine"),
    ({"protocol": "sheepdog", "server": {"socket": "/var/run/sheep.sock"}, "vdi": "vm", "snapshot": 2}, "5.2",
     "sheepdog+unix:///vm?socket=/var/run/sheep.sock#2"),
    (GLUSTER, None, "gluster://192.0.2.1/testvol/a.img"),
    ({"protocol": "gluster", "servers": [{"socket": "/var/run/glusterd.socket"}], "volume": "v", "path": "/d/a"},
     None, "gluster+unix:/v/d/a?socket=/var/run/glusterd.socket"),
    ({"protocol": "gluster", "servers": [{"host": "h", "transport": "rdma"}], "volume": "v", "path": "a"}, "9.0",
     "gluster+rdma://h/v/a"),
    ({"protocol": "https", "server": {"host": "vsphere.example.com"}, "user": "user", "password": "password",
      "credentials": "inline", "path": "/folder/test/test-flat.vmdk?dcPath=Datacenter&dsName=datastore1"}, None,
     "https://user:password@vsphere.example.com/folder/test/test-flat.vmdk?dcPath=Datacenter&dsName=datastore1"),
    ({"protocol": "ftp", "server": {"host": "h", "port": 2121}, "path": "/a b.iso"}, None, "ftp://h:2121/a%20b.iso"),
]


@pytest.mark.parametrize("spec,version,expected", URIS)
def test_uri(spec, version, expected):
    assert render_uri(spec, version) == expected


LEGACY = [
    (NBD, None, "nbd:192.0.2.1:30000"),
    (SOCK, None, "nbd:unix:/tmp/nbd-socket"),
    (dict(NBD, export="a:b"), None, "nbd:192.0.2.1:30000:exportname=a:b"),
    ({"protocol": "nbd", "server": {"host": "::1", "port": 1}}, None, "nbd:[::1]:1"),
    ({"protocol": "sheepdog", "server": {"host": "h", "port": 7000}, "vdi": "vm", "snapshot": "t1"}, "5.2",
     "sheepdog:h:7000:vm:t1"),
]


@pytest.mark.parametrize("spec,version,expected", LEGACY)
def test_legacy(spec, version, expected):
    assert render_uri(spec, version, syntax="legacy") == expected


OPTS = [
    (SSH, "file.", "file.driver=ssh,file.server.host=host,file.server.port=22,file.path=/path/to/disk.img,"
                   "file.user=user"),
    (dict(NBD, export="a,b"), "", "driver=nbd,server.type=inet,server.host=192.0.2.1,server.port=30000,"
                                  "export=a,,b"),
    (dict(ISCSI, user="u", password_secret="sec0", options={"timeout": 5, "header_digest": "crc32c"}), "",
     "driver=iscsi,transport=tcp,portal=192.0.2.1:3260,target=iqn.2001-04.com.example,lun=1,user=u,"
     "password-secret=sec0,header-digest=crc32c,timeout=5"),
    ({"protocol": "https", "server": {"host": "h"}, "path": "/a.img", "credentials": "inline",
      "options": {"sslverify": "off", "readahead": "64k", "cookie": "a=1; b=2"}}, "file.",
     "file.driver=https,file.url=https://h/a.img,file.sslverify=off,file.readahead=65536,file.cookie=a=1; b=2"),
]


@pytest.mark.parametrize("spec,prefix,expected", OPTS)
def test_opts(spec, prefix, expected):
    assert render_opts(spec, prefix=prefix) == expected


def test_opts_with_format_layer():
    text = render_opts(GLUSTER, fmt="qcow2")
    assert text.startswith("driver=qcow2,file.driver=gluster,file.volume=testvol,")
    assert render_opts(GLUSTER, fmt="qcow2", as_mapping=True)["file.server.0.port"] == "24007"


def test_json_pseudo_matches_the_document_example():
    spec = {"protocol": "http", "server": {"host": "archives.example.org"}, "path": "/F20.qcow2",
            "options": {"readahead": "64k"}}
    text = render_json_pseudo(spec, escape_commas=True)
    assert text == ('json:{"driver":"http",,"url":"http://archives.example.org/F20.qcow2",,'
                    '"readahead":65536}')
    assert json.loads(render_json_pseudo(spec)[5:]) == {"driver": "http", "url": "http://archives.example.org/F20.qcow2",
                                                        "readahead": 65536}


def test_chap_env():
    spec = dict(ISCSI, user="user", password="p@ss/word", credentials="env")
    assert render_uri(spec) == "iscsi://192.0.2.1/iqn.2001-04.com.example/1"
    assert render_chap_env(spec) == {"LIBISCSI_CHAP_USERNAME": "user", "LIBISCSI_CHAP_PASSWORD": "p@ss/word"}


ERRORS = [
    # (spec, version, form, field as the user wrote it, words of the message)
    ({"protocol": "nbd"}, None, "uri", "servers", "required: a list of {host, port} or {socket}"),
    ({"protocol": "NBD", "server": {"host": "h"}}, None, "uri", "protocol", "expected one of: ftp, ftps"),
    ({"protocol": "nbd", "server": {"host": "h", "port": 0}}, None, "uri", "server.port", "between 1 and 65535"),
    ({"protocol": "nbd", "server": {"host": "h", "port": "x"}}, None, "uri", "server.port", "expected an integer (digits 0-9), got str"),
    ({"protocol": "nbd", "server": {"host": "h", "port": True}}, None, "uri", "server.port", "got a boolean"),
    ({"protocol": "nbd", "server": {"host": "[::1]"}}, None, "uri", "server.host", "without brackets (::1)"),
    ({"protocol": "nbd", "server": {"host": "bad host"}}, None, "uri", "server.host", "expected a host name"),
    ({"protocol": "nbd", "server": {"socket": "relative"}}, None, "uri", "server.socket", "absolute socket path"),
    ({"protocol": "nbd", "server": {"host": "h"}, "export": "a://b"}, None, "legacy", "export", "cannot contain '://'"),
    ({"protocol": "nbd", "server": {"host": "h"}, "options": {"tls_creds": "t"}}, None, "uri", "options", "tls_creds cannot be written in the nbd URI"),
    ({"protocol": "nbd", "server": {"socket": "/s"}, "options": {"tls_creds": "t"}}, None, "blockdev",
     "options.tls_hostname", "required with tls_creds over a Unix socket"),
    ({"protocol": "nbd", "server": {"host": "h"}, "options": {"tls_hostname": "x"}}, "6.2", "blockdev",
     "options.tls_hostname", "needs QEMU >= 7.0"),
    ({"protocol": "nbd", "server": {"host": "h"}, "options": {"bogus": 1}}, None, "blockdev", "options.bogus", "unknown key; accepted keys here: open_timeout"),
    ({"protocol": "nbd", "server": {"host": "h"}, "exprot": "x"}, None, "uri", "exprot", "unknown key; accepted keys here: export"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t"}, None, "uri", "lun", "required: the LUN number"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": "x"}, None, "uri", "lun", "expected an integer (digits 0-9), got str"),
    # libiscsi's LUN 256 + n reaches LUN n (test_iscsi_lun_above_255_is_misread)
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 256}, None, "blockdev", "lun", "a LUN 0-255"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 16383}, None, "uri", "lun", "a LUN 0-255"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "a/b", "lun": 0}, None, "uri", "target", "cannot contain '/'"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 0, "user": "u",
      "password": "a@b", "credentials": "inline"}, None, "uri", "password", "'@', '/', '?' or '#' in a URL password"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 0, "user": "u",
      "password": "x"}, None, "uri", "password", "only with credentials 'inline' or 'env'"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 0, "user": "u",
      "password_secret": "s"}, None, "uri", "options", "password_secret, user cannot be written in the iscsi URL"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 0,
      "options": {"header_digest": "crc32c"}}, None, "uri", "options", "header_digest cannot be written"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 0, "user": "u",
      "password": "pass-word", "credentials": "inline"}, None, "blockdev", "credentials", "use password_secret with a QEMU secret object"),
    ({"protocol": "ssh", "server": {"host": "h"}, "path": "rel"}, None, "uri", "path", "a relative path has no ssh URI form"),
    ({"protocol": "ssh", "server": {"host": "::1"}, "path": "/p"}, "9.0", "uri", "server.host", "QEMU < 9.1 cannot read an IPv6 address in an ssh URI"),
    ({"protocol": "ssh", "server": {"host": "h"}, "path": "/p", "options": {"host_key_check": "sha256:ab"}},
     None, "uri", "options.host_key_check", "32 bytes"),
    ({"protocol": "ssh", "server": {"host": "h"}, "path": "/p",
      "options": {"host_key_check": "sha256:" + "ab" * 32}}, "6.2", "uri", "options.host_key_check", "sha256 in a URI needs QEMU >= 7.0"),
    ({"protocol": "sheepdog", "vdi": "v"}, None, "uri", "protocol", "removed in QEMU 6.1"),
    ({"protocol": "gluster", "servers": [{"host": "h"}, {"host": "i"}], "volume": "v", "path": "p"}, None, "uri",
     "servers", "a gluster URI names one server"),
    ({"protocol": "gluster", "servers": [{"host": "h", "transport": "rdma"}], "volume": "v", "path": "p"}, None,
     "uri", "servers.0.transport", "gluster+rdma was removed in QEMU 9.1"),
    ({"protocol": "gluster", "servers": [{"host": "h"}], "volume": "v", "path": "p", "options": {"debug": 10}},
     None, "blockdev", "options.debug", "between 0 and 9"),
    ({"protocol": "http", "server": {"host": "h"}, "path": "/a", "options": {"sslverify": False}}, None,
     "blockdev", "options.sslverify", "only for https and ftps"),
    ({"protocol": "https", "server": {"host": "h"}, "path": "/a", "options": {"readahead": 1000}}, None,
     "blockdev", "options.readahead", "multiple of 512"),
    ({"protocol": "https", "server": {"host": "h"}, "path": "/a", "options": {"timeout": 10001}}, None,
     "blockdev", "options.timeout", "between 0 and 10000"),
    ({"protocol": "https", "server": {"host": "h"}, "path": "/a",
      "credentials": "inline", "options": {"cookie": "a=b", "cookie_secret": "c"}}, None, "blockdev",
     "options.cookie_secret", "both cookie and cookie secret"),
    ({"protocol": "https", "server": {"host": "h"}, "path": "/a", "options": {"cookie": "a=b"}}, None,
     "blockdev", "options.cookie", "rendered only with credentials 'inline'"),
    ({"protocol": "ftp", "server": {"host": "h"}, "path": "/a", "options": {"cookie": "a=b"}}, None,
     "blockdev", "options.cookie", "only for http and https"),
    ({"protocol": "https", "server": {"host": "h"}, "path": "/a?b c"}, None, "uri", "path", "only URI query characters"),
    ({"protocol": "nbd", "server": {"host": "h"}}, "seven", "uri", "qemu_version", "such as '7.2'"),
    # A zone id is refused with its reason, not as 'not a valid IPv6 address' (the SpecError
    # raised for it used to be caught as a ValueError by the address check).
    ({"protocol": "nbd", "server": {"host": "fe80::1%eth0"}}, None, "uri", "server.host", "IPv6 zone ids ('%')"),
    ({"protocol": "gluster", "servers": [{"host": "h"}, {"host": "fe80::1%eth0"}], "volume": "v", "path": "p"},
     None, "blockdev", "servers.1.host", "IPv6 zone ids ('%')"),
    # Paths of the normalized servers list are given back as the user wrote them: 'server.X'
    # for the one-server shorthand, 'servers.N.X' for a list.
    ({"protocol": "nbd", "server": {"socket": "/s:exportname=x"}}, None, "legacy", "server.socket",
     "cannot contain ':exportname=' in the legacy form"),
    ({"protocol": "nbd", "servers": [{"socket": "/s:exportname=x"}]}, None, "legacy", "servers.0.socket",
     "cannot contain ':exportname=' in the legacy form"),
    ({"protocol": "nbd", "server": {"socket": "/a://b"}}, None, "legacy", "server.socket", "cannot contain '://'"),
    ({"protocol": "sheepdog", "server": {"socket": "/s"}, "vdi": "v"}, "6.0", "legacy", "server.socket",
     "the legacy sheepdog: form has no Unix socket"),
    ({"protocol": "nfs", "server": {"host": "::1"}, "path": "/e/f"}, "9.0", "uri", "server.host",
     "QEMU < 9.1 cannot read an IPv6 address in an NFS URI"),
    ({"protocol": "gluster", "server": {"host": "h", "transport": "rdma"}, "volume": "v", "path": "p"}, None,
     "uri", "server.transport", "gluster+rdma was removed in QEMU 9.1"),
    # A spec's number is read with the digits QEMU reads, 0-9 ('\u0661\u0660' was taken as 10).
    ({"protocol": "nbd", "server": {"host": "h", "port": "\u0661\u0660\u0668\u0660\u0669"}}, None, "uri", "server.port",
     "expected an integer (digits 0-9), got str"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": "\u0660"}, None, "uri", "lun",
     "expected an integer (digits 0-9), got str"),
    ({"protocol": "nbd", "server": {"socket": "/s\nt"}}, None, "xml", "server.socket", "no newline in a socket path"),
    ({"protocol": "gluster", "servers": [{"host": "h"}, {"host": "b_c"}], "volume": "v", "path": "p"}, None, "xml",
     "servers.1.host", "only letters, digits, '.' and '-'"),
]


@pytest.mark.parametrize("spec,version,form,field,words", ERRORS, ids=["%s-%s" % (e[3], e[4][:30]) for e in ERRORS])
def test_errors_name_the_field(spec, version, form, field, words):
    render = {"uri": render_uri, "blockdev": render_blockdev, "xml": render_disk_xml,
              "legacy": lambda s, v: render_uri(s, v, syntax="legacy")}[form]
    with pytest.raises(SpecError) as info:
        render(spec, version)
    assert info.value.field == field, str(info.value)
    assert str(info.value).startswith(field + ": "), str(info.value)
    assert words in str(info.value)
    secrets = [spec.get("password"), spec.get("options", {}).get("cookie")]
    for secret in filter(None, secrets):
        assert secret not in str(info.value)


def test_secret_never_in_error_message():
    spec = dict(ISCSI, user="u", password="hunter2@", credentials="inline")
    with pytest.raises(SpecError) as info:
        render_uri(spec)
    assert "hunter2" not in str(info.value)


def test_omit_drops_unexpressible_options_knowingly():
    spec = dict(NBD, options={"tls_creds": "tls0"})
    assert render_uri(spec, on_unexpressible="omit") == "nbd://192.0.2.1:30000"
