"""Upstream vectors and real-tool answers read through the drive model.

Each row: the string QEMU / libiscsi / libvirt was given, and what the real code made of it.
"""

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_blockdev


def tcp(host, port):
    return [{"host": host, "port": port}]


# QEMU 10.0 block/nbd.c: nbd_parse_uri on real GLib g_uri_parse; qemu-img 7.2 (util/uri.c).
NBD_OK = [
    ("nbd://127.0.0.1:1/exp", tcp("127.0.0.1", 1), "exp"),
    ("nbd://[::1]:1/exp", tcp("::1", 1), "exp"),
    ("nbd://localhost", tcp("localhost", 10809), ""),
    ("nbd://localhost/", tcp("localhost", 10809), ""),
    ("nbd://localhost//disk", tcp("localhost", 10809), "/disk"),
    ("nbd://h/hello%20world", tcp("h", 10809), "hello world"),
    ("nbd+tcp://h:0/e", tcp("h", 10809), "e"),
    ("nbd+unix:///exp?socket=/tmp/s", [{"socket": "/tmp/s"}], "exp"),
    ("nbd+unix://?socket=/tmp/s", [{"socket": "/tmp/s"}], ""),
    ("nbd+unix:///e?socket=/tmp/a%20b", [{"socket": "/tmp/a b"}], "e"),
    ("nbd://user@h/e", tcp("h", 10809), "e"),
    ("nbd://h/e#frag", tcp("h", 10809), "e"),
    ("nbd://h/%E2%82%AC", tcp("h", 10809), "\u20ac"),
    ("nbd://h/a%2Fb", tcp("h", 10809), "a/b"),
    ("nbd:127.0.0.1:1", tcp("127.0.0.1", 1), ""),
    ("nbd:127.0.0.1:1:exportname=foo", tcp("127.0.0.1", 1), "foo"),
    ("nbd:[::1]:1:exportname=a:b", tcp("::1", 1), "a:b"),
    ("nbd:unix:/tmp/nonexist.sock", [{"socket": "/tmp/nonexist.sock"}], ""),
    ("nbd:unix:/tmp/nonexist.sock:exportname=e", [{"socket": "/tmp/nonexist.sock"}], "e"),
]

NBD_BAD = [
    "nbd+unix:///exp",                       # no socket
    "nbd+unix://h/e?socket=/s",              # host with unix
    "nbd+unix://:5/e?socket=/s",             # port with unix
    "nbd://h/e?socket=/x",                   # any query on TCP
    "nbd:///e",                              # no host
    "nbd+unix:///e?socket=a&socket=b",       # repeated (<= 9.0 rejects)
    "nbd+unix:///e?socket=/s&tls-hostname=x",  # two params
    "nbd://h:99999/e",                       # port out of range
    "nbd://h/%zz",                           # invalid %-encoding
    "nbds://127.0.0.1:1/exp",                # Unknown protocol 'nbds'
    "nbd+vsock://1:1/exp",
    "NBD://127.0.0.1:1/e",                   # case-sensitive protocol
    "nbd+unix:/exp?socket=/tmp/nonexist.sock",  # legacy parser: must start with nbd:
    "nbd:127.0.0.1",                         # port is mandatory
    "nbd:127.0.0.1:1:exportname=",           # NBD server address missing
    "nbd:",
]


@pytest.mark.parametrize("text,servers,export", NBD_OK)
def test_nbd_vectors(text, servers, export):
    spec = parse_drive(text)
    assert spec == {"protocol": "nbd", "servers": servers, "export": export}


@pytest.mark.parametrize("text", NBD_BAD)
def test_nbd_rejected_vectors(text):
    with pytest.raises(SpecError):
        parse_drive(text)


# libiscsi 1.19 lib/init.c: iscsi_parse_full_url on the real library.
ISCSI_OK = [
    ("iscsi://server/iqn.ronnie.test/1", "server", 3260, "iqn.ronnie.test", 1, {}),
    ("iscsi://192.0.2.1:3260/iqn.2001-04.com.example:storage/0", "192.0.2.1", 3260,
     "iqn.2001-04.com.example:storage", 0, {}),
    ("iscsi://user%password@192.0.2.1/iqn.2001-04.com.example/1", "192.0.2.1", 3260,
     "iqn.2001-04.com.example", 1, {"user": "user", "password": "password", "credentials": "inline"}),
    ("iscsi://user:pass@h/iqn.x:t/0", "h", 3260, "iqn.x:t", 0,
     {"user": "user", "password": "pass", "credentials": "inline"}),
    ("iscsi://u%p%q@h/iqn.x:t/0", "h", 3260, "iqn.x:t", 0,
     {"user": "u", "password": "p%q", "credentials": "inline"}),
    ("iscsi://[fec0:2727::3]:3260/iqn.ronnie.test/1", "fec0:2727::3", 3260, "iqn.ronnie.test", 1, {}),
    ("iscsi://h/iqn.x%3At/7", "h", 3260, "iqn.x:t", 7, {}),
    ("iscsi://h/iqn.x:t/01", "h", 3260, "iqn.x:t", 1, {}),
]

ISCSI_BAD = [
    "iscsi://h/iqn.x:t",             # Could not parse <lun>
    "iscsi://h/iqn.x:t/",
    "iscsi://h/iqn.x:t/x",
    "iscsi://h/iqn.x:t/1/2",
    "iscsi://h/iqn.x:t/1#frag",
    "iscsi://h/iqn.x:t/1?header_digest=crc32c",   # crashes qemu-img 7.2 (SIGSEGV)
    "iscsi://u%p@h?x=1/iqn.x:t/1",
    "ISCSI://h/iqn.x:t/1",
    "iscsi://h/" + "a" * 300 + "/1",            # silently truncated by libiscsi
    "iscsi://h/iqn.x:t/-1",                     # libiscsi takes it; no LUN is negative
    "iscsi://h//1",                             # empty target
]


@pytest.mark.parametrize("text,host,port,target,lun,creds", ISCSI_OK)
def test_iscsi_vectors(text, host, port, target, lun, creds):
    expected = {"protocol": "iscsi", "servers": tcp(host, port), "target": target, "lun": lun}
    expected.update(creds)
    assert parse_drive(text) == expected


@pytest.mark.parametrize("text", ISCSI_BAD)
def test_iscsi_rejected_vectors(text):
    with pytest.raises(SpecError):
        parse_drive(text)


# QEMU 10.0 block/gluster.c: qemu_gluster_parse_uri and block/ssh.c: parse_uri on GLib.
OTHER_OK = [
    ("gluster://1.2.3.4/testvol/a.img",
     {"protocol": "gluster", "servers": tcp("1.2.3.4", 24007), "volume": "testvol", "path": "a.img"}),
    ("gluster+tcp://1.2.3.4:24007/testvol/dir/a.img",
     {"protocol": "gluster", "servers": tcp("1.2.3.4", 24007), "volume": "testvol", "path": "dir/a.img"}),
    ("gluster+tcp://[1:2:3:4:5:6:7:8]:24007/testvol/dir/a.img",
     {"protocol": "gluster", "servers": tcp("1:2:3:4:5:6:7:8", 24007), "volume": "testvol", "path": "dir/a.img"}),
    ("gluster+unix:/testvol/dir/a.img?socket=/tmp/glusterd.socket",
     {"protocol": "gluster", "servers": [{"socket": "/tmp/glusterd.socket"}], "volume": "testvol",
      "path": "dir/a.img"}),
    ("gluster://h//testvol//dir//a.img",
     {"protocol": "gluster", "servers": tcp("h", 24007), "volume": "testvol", "path": "dir//a.img"}),
    ("gluster://h:0/v/a", {"protocol": "gluster", "servers": tcp("h", 24007), "volume": "v", "path": "a"}),
    ("gluster://h/v/a%20b.img", {"protocol": "gluster", "servers": tcp("h", 24007), "volume": "v", "path": "a b.img"}),
    ("ssh://user@host/path/to/disk.img",
     {"protocol": "ssh", "servers": tcp("host", 22), "user": "user", "path": "/path/to/disk.img"}),
    ("ssh://host:2222/tmp/x?host_key_check=no",
     {"protocol": "ssh", "servers": tcp("host", 2222), "path": "/tmp/x", "options": {"host_key_check": "no"}}),
    ("ssh://u:pw@host/tmp/x", {"protocol": "ssh", "servers": tcp("host", 22), "user": "u:pw", "path": "/tmp/x"}),
    ("ssh://user%40dom@host/tmp/x",
     {"protocol": "ssh", "servers": tcp("host", 22), "user": "user@dom", "path": "/tmp/x"}),
    ("ssh://[::1]/tmp/x", {"protocol": "ssh", "servers": tcp("::1", 22), "path": "/tmp/x"}),
    ("ssh://host/~/x", {"protocol": "ssh", "servers": tcp("host", 22), "path": "/~/x"}),
    ("ssh://host/tmp/a%20b", {"protocol": "ssh", "servers": tcp("host", 22), "path": "/tmp/a b"}),
]

OTHER_BAD = [
    "gluster+unix:///vol/img",                       # no socket
    "gluster+unix://127.0.0.1/vol/img?socket=/tmp/x",
    "gluster://127.0.0.1:1/vol/img?socket=/x",
    "gluster://127.0.0.1:1/vol",                     # no image path
    "gluster://h/testvol/",
    "gluster+foo://127.0.0.1:1/vol/img",             # Unknown protocol
    "ssh://127.0.0.1:1",                             # missing remote path
    "ssh:///tmp/x",                                  # missing hostname
    "ssh://127.0.0.1:1/tmp/x?host_key_check=bogus",  # unknown host_key_check setting
]


@pytest.mark.parametrize("text,expected", OTHER_OK)
def test_gluster_ssh_vectors(text, expected):
    assert parse_drive(text) == expected


@pytest.mark.parametrize("text", OTHER_BAD)
def test_gluster_ssh_rejected_vectors(text):
    with pytest.raises(SpecError):
        parse_drive(text)


def test_gluster_rdma_only_before_9_1():
    text = "gluster+rdma://example.com:1234/gv0/vol.img"
    assert parse_drive(text, "9.0")["servers"] == [{"host": "example.com", "port": 1234, "transport": "rdma"}]
    with pytest.raises(SpecError, match="removed in QEMU 9.1"):
        parse_drive(text, "9.1")


# libvirt tests/qemuxmlconfdata/*.x86_64-latest.args: its CI-verified -blockdev JSON
# (storage layer only).
LIBVIRT_BLOCKDEV = [
    ({"protocol": "nbd", "server": {"host": "example.org", "port": 6000}},
     {"driver": "nbd", "server": {"type": "inet", "host": "example.org", "port": "6000"}}),
    ({"protocol": "nbd", "server": {"host": "example.org", "port": 6000}, "export": "bar"},
     {"driver": "nbd", "server": {"type": "inet", "host": "example.org", "port": "6000"}, "export": "bar"}),
    ({"protocol": "nbd", "server": {"host": "::1", "port": 6000}},
     {"driver": "nbd", "server": {"type": "inet", "host": "::1", "port": "6000"}}),
    ({"protocol": "nbd", "server": {"socket": "/var/run/nbdsock"}, "export": "bar"},
     {"driver": "nbd", "server": {"type": "unix", "path": "/var/run/nbdsock"}, "export": "bar"}),
    ({"protocol": "nbd", "server": {"host": "example.org", "port": 6000}, "export": "foo",
      "options": {"reconnect_delay": 10}},
     {"driver": "nbd", "server": {"type": "inet", "host": "example.org", "port": "6000"}, "export": "foo",
      "reconnect-delay": 10}),
    ({"protocol": "nbd", "server": {"host": "example.com", "port": 1234},
      "options": {"tls_creds": "objlibvirt-1-storage_tls0", "tls_hostname": "test-hostname"}},
     {"driver": "nbd", "server": {"type": "inet", "host": "example.com", "port": "1234"},
      "tls-creds": "objlibvirt-1-storage_tls0", "tls-hostname": "test-hostname"}),
    ({"protocol": "iscsi", "server": {"host": "example.org", "port": 6000}, "target": "iqn.1992-01.com.example",
      "lun": 0},
     {"driver": "iscsi", "portal": "example.org:6000", "target": "iqn.1992-01.com.example", "lun": 0,
      "transport": "tcp"}),
    ({"protocol": "iscsi", "server": {"host": "example.org", "port": 6000},
      "target": "iqn.1992-01.com.example:storage", "lun": 1, "user": "myname",
      "password_secret": "libvirt-5-storage-auth-secret0"},
     {"driver": "iscsi", "portal": "example.org:6000", "target": "iqn.1992-01.com.example:storage", "lun": 1,
      "transport": "tcp", "user": "myname", "password-secret": "libvirt-5-storage-auth-secret0"}),
    ({"protocol": "iscsi", "server": {"host": "example.org"}, "target": "iqn.1992-01.com.example:server",
      "lun": 0, "options": {"initiator_name": "iqn.1992-01.com.example:client"}},
     {"driver": "iscsi", "portal": "example.org:3260", "target": "iqn.1992-01.com.example:server", "lun": 0,
      "transport": "tcp", "initiator-name": "iqn.1992-01.com.example:client"}),
    ({"protocol": "https", "server": {"host": "example.org", "port": 1234}, "path": "/test4.img?par=val&other=ble",
      "options": {"sslverify": False, "cookie_secret": "libvirt-1-storage-httpcookie-secret0"}},
     {"driver": "https", "url": "https://example.org:1234/test4.img?par=val&other=ble", "sslverify": False,
      "cookie-secret": "libvirt-1-storage-httpcookie-secret0", "read-only": True}),
    ({"protocol": "gluster", "servers": [{"host": "example.org", "port": 6000}], "volume": "Volume1",
      "path": "Image", "options": {"debug": 4}},
     {"driver": "gluster", "volume": "Volume1", "path": "Image",
      "server": [{"type": "inet", "host": "example.org", "port": "6000"}], "debug": 4}),
    ({"protocol": "gluster", "servers": [{"host": "example.org", "port": 6000}, {"host": "example.org"},
                                         {"socket": "/path/to/sock"}], "volume": "Volume3", "path": "Image.qcow2",
      "options": {"debug": 4}},
     {"driver": "gluster", "volume": "Volume3", "path": "Image.qcow2",
      "server": [{"type": "inet", "host": "example.org", "port": "6000"},
                 {"type": "inet", "host": "example.org", "port": "24007"},
                 {"type": "unix", "path": "/path/to/sock"}], "debug": 4}),
]


@pytest.mark.parametrize("spec,expected", LIBVIRT_BLOCKDEV)
def test_blockdev_matches_libvirt(spec, expected):
    assert render_blockdev(spec) == expected
