"""Rendering table: one row per case — spec, version, every form that matters for it."""

import json

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
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
    # (spec, version, form, field named in the message)
    ({"protocol": "nbd"}, None, "uri", "servers"),
    ({"protocol": "NBD", "server": {"host": "h"}}, None, "uri", "protocol"),
    ({"protocol": "nbd", "server": {"host": "h", "port": 0}}, None, "uri", "server.port"),
    ({"protocol": "nbd", "server": {"host": "h", "port": "x"}}, None, "uri", "server.port"),
    ({"protocol": "nbd", "server": {"host": "h", "port": True}}, None, "uri", "server.port"),
    ({"protocol": "nbd", "server": {"host": "[::1]"}}, None, "uri", "server.host"),
    ({"protocol": "nbd", "server": {"host": "bad host"}}, None, "uri", "server.host"),
    ({"protocol": "nbd", "server": {"socket": "relative"}}, None, "uri", "server.socket"),
    ({"protocol": "nbd", "server": {"host": "h"}, "export": "a://b"}, None, "legacy", "export"),
    ({"protocol": "nbd", "server": {"host": "h"}, "options": {"tls_creds": "t"}}, None, "uri", "options"),
    ({"protocol": "nbd", "server": {"socket": "/s"}, "options": {"tls_creds": "t"}}, None, "blockdev",
     "options.tls_hostname"),
    ({"protocol": "nbd", "server": {"host": "h"}, "options": {"tls_hostname": "x"}}, "6.2", "blockdev",
     "options.tls_hostname"),
    ({"protocol": "nbd", "server": {"host": "h"}, "options": {"bogus": 1}}, None, "blockdev", "options.bogus"),
    ({"protocol": "nbd", "server": {"host": "h"}, "exprot": "x"}, None, "uri", "exprot"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t"}, None, "uri", "lun"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": "x"}, None, "uri", "lun"),
    # libiscsi's LUN 256 + n reaches LUN n (test_iscsi_lun_above_255_is_misread)
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 256}, None, "blockdev", "lun"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 16383}, None, "uri", "lun"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "a/b", "lun": 0}, None, "uri", "target"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 0, "user": "u",
      "password": "a@b", "credentials": "inline"}, None, "uri", "password"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 0, "user": "u",
      "password": "x"}, None, "uri", "password"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 0, "user": "u",
      "password_secret": "s"}, None, "uri", "options"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 0,
      "options": {"header_digest": "crc32c"}}, None, "uri", "options"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 0, "user": "u",
      "password": "p", "credentials": "inline"}, None, "blockdev", "credentials"),
    ({"protocol": "ssh", "server": {"host": "h"}, "path": "rel"}, None, "uri", "path"),
    ({"protocol": "ssh", "server": {"host": "::1"}, "path": "/p"}, "9.0", "uri", "servers.0.host"),
    ({"protocol": "ssh", "server": {"host": "h"}, "path": "/p", "options": {"host_key_check": "sha256:ab"}},
     None, "uri", "options.host_key_check"),
    ({"protocol": "ssh", "server": {"host": "h"}, "path": "/p",
      "options": {"host_key_check": "sha256:" + "ab" * 32}}, "6.2", "uri", "options.host_key_check"),
    ({"protocol": "sheepdog", "vdi": "v"}, None, "uri", "protocol"),
    ({"protocol": "gluster", "servers": [{"host": "h"}, {"host": "i"}], "volume": "v", "path": "p"}, None, "uri",
     "servers"),
    ({"protocol": "gluster", "servers": [{"host": "h", "transport": "rdma"}], "volume": "v", "path": "p"}, None,
     "uri", "servers.0.transport"),
    ({"protocol": "gluster", "servers": [{"host": "h"}], "volume": "v", "path": "p", "options": {"debug": 10}},
     None, "blockdev", "options.debug"),
    ({"protocol": "http", "server": {"host": "h"}, "path": "/a", "options": {"sslverify": False}}, None,
     "blockdev", "options.sslverify"),
    ({"protocol": "https", "server": {"host": "h"}, "path": "/a", "options": {"readahead": 1000}}, None,
     "blockdev", "options.readahead"),
    ({"protocol": "https", "server": {"host": "h"}, "path": "/a", "options": {"timeout": 10001}}, None,
     "blockdev", "options.timeout"),
    ({"protocol": "https", "server": {"host": "h"}, "path": "/a",
      "credentials": "inline", "options": {"cookie": "a=b", "cookie_secret": "c"}}, None, "blockdev",
     "options.cookie_secret"),
    ({"protocol": "https", "server": {"host": "h"}, "path": "/a", "options": {"cookie": "a=b"}}, None,
     "blockdev", "options.cookie"),
    ({"protocol": "ftp", "server": {"host": "h"}, "path": "/a", "options": {"cookie": "a=b"}}, None,
     "blockdev", "options.cookie"),
    ({"protocol": "https", "server": {"host": "h"}, "path": "/a?b c"}, None, "uri", "path"),
    ({"protocol": "nbd", "server": {"host": "h"}}, "seven", "uri", "qemu_version"),
]


@pytest.mark.parametrize("spec,version,form,field", ERRORS)
def test_errors_name_the_field(spec, version, form, field):
    render = {"uri": render_uri, "blockdev": render_blockdev,
              "legacy": lambda s, v: render_uri(s, v, syntax="legacy")}[form]
    with pytest.raises(SpecError) as info:
        render(spec, version)
    assert str(info.value).startswith(field + ":"), str(info.value)


def test_secret_never_in_error_message():
    spec = dict(ISCSI, user="u", password="hunter2@", credentials="inline")
    with pytest.raises(SpecError) as info:
        render_uri(spec)
    assert "hunter2" not in str(info.value)


def test_omit_drops_unexpressible_options_knowingly():
    spec = dict(NBD, options={"tls_creds": "tls0"})
    assert render_uri(spec, on_unexpressible="omit") == "nbd://192.0.2.1:30000"
