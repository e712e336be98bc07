"""The list fast path: the drive filters and libvirt_remote_uri take a list of specs."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.virt_uri.toolkit.plugins.filter.gluster_json import gluster_json
from ansible_collections.virt_uri.toolkit.plugins.filter.libvirt_disk_xml import libvirt_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.filter.libvirt_remote_uri import libvirt_remote_uri
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_drive_chap_env import qemu_drive_chap_env
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_drive_json import qemu_drive_json
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_blockdev import qemu_blockdev
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_drive_opts import qemu_drive_opts
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_drive_uri import qemu_drive_uri

DRIVES = [
    {"protocol": "nbd", "server": {"host": "192.0.2.1"}, "export": "a b"},
    {"protocol": "iscsi", "server": {"host": "2001:db8::1", "port": 3261},
     "target": "iqn.2001-04.com.example:s", "lun": 2},
    {"protocol": "gluster", "server": {"socket": "/run/g.sock"}, "volume": "v", "path": "p.img"},
]
CONNS = [
    {"driver": "qemu", "transport": "ssh", "user": "root", "host": "h.example.com", "path": "/system"},
    {"driver": "test", "path": "/default"},
]


@pytest.mark.parametrize("func", [qemu_drive_uri, qemu_drive_opts, qemu_blockdev, qemu_drive_json, libvirt_disk_xml])
def test_drive_list_equals_per_item(func):
    assert func(DRIVES) == [func(d) for d in DRIVES]
    assert func(tuple(DRIVES)) == [func(d) for d in DRIVES]
    assert func(d for d in DRIVES) == [func(d) for d in DRIVES]  # Jinja map()/select() output
    assert func([]) == []


def test_drive_list_keyword_arguments_apply_to_each():
    assert qemu_drive_opts(DRIVES, prefix="") == [qemu_drive_opts(d, prefix="") for d in DRIVES]
    assert qemu_drive_uri(DRIVES[:1], syntax="legacy") == [qemu_drive_uri(DRIVES[0], syntax="legacy")]


def test_libvirt_list_equals_per_item():
    assert libvirt_remote_uri(CONNS) == [libvirt_remote_uri(c) for c in CONNS]


def test_list_error_names_the_index():
    bad = DRIVES + [{"protocol": "nbd", "server": {"host": "bad host"}}]
    with pytest.raises(AnsibleFilterError, match=r"qemu_drive_uri: item 3: server\.host"):
        qemu_drive_uri(bad)
    with pytest.raises(AnsibleFilterError, match=r"libvirt_remote_uri: item 1: "):
        libvirt_remote_uri([CONNS[0], {"driver": "qemu", "host": "h", "port": 99999, "path": "/system"}])
    # qemu_blockdev has its own list loop (node names per item), under the same at_item wrapper
    with pytest.raises(AnsibleFilterError, match=r"qemu_blockdev: item 3: server\.host: 'bad host'"):
        qemu_blockdev(bad, node_name=["d0", "d1", "d2", "d3"])
    with pytest.raises(AnsibleFilterError, match=r"libvirt_disk_xml: item 3: server\.host"):
        libvirt_disk_xml(bad)


def test_list_error_keeps_secrets_hidden():
    spec = {"protocol": "iscsi", "server": {"host": "192.0.2.1"}, "target": "iqn.2001-04.com.example:s",
            "lun": 0, "user": "u", "password": "S3cr3t\x00", "credentials": "inline"}
    with pytest.raises(AnsibleFilterError) as err:
        qemu_drive_uri([DRIVES[0], spec])
    assert "S3cr3t" not in str(err.value)
    assert "item 1" in str(err.value)


def test_blockdev_list_node_names():
    nodes = qemu_blockdev(DRIVES, node_name=["d0", "d1", "d2"])
    assert [n["node-name"] for n in nodes] == ["d0", "d1", "d2"]
    with pytest.raises(AnsibleFilterError, match="node_name"):
        qemu_blockdev(DRIVES, node_name="d0")  # one name for many nodes would collide
    with pytest.raises(AnsibleFilterError, match="node_name"):
        qemu_blockdev(DRIVES, node_name=["d0"])


def test_strings_and_mappings_are_not_lists():
    with pytest.raises(AnsibleFilterError):
        qemu_drive_uri("nbd://192.0.2.1/x")
    assert isinstance(qemu_drive_uri(DRIVES[0]), str)


GLUSTER = [
    {"protocol": "gluster", "servers": [{"host": "192.0.2.1"}, {"socket": "/run/g.sock"}], "volume": "v", "path": "a.img"},
    {"protocol": "gluster", "server": {"host": "2001:db8::2", "port": 24008}, "volume": "w", "path": "b.img"},
]
ISCSI_ENV = [
    {"protocol": "iscsi", "server": {"host": "192.0.2.1"}, "target": "iqn.2001-04.com.example:a", "lun": 0,
     "user": "u1", "password": "p1", "credentials": "env"},
    {"protocol": "iscsi", "server": {"host": "192.0.2.2"}, "target": "iqn.2001-04.com.example:b", "lun": 1,
     "user": "u2", "password": "p2", "credentials": "env"},
]


@pytest.mark.parametrize("func,items", [(gluster_json, GLUSTER), (qemu_drive_chap_env, ISCSI_ENV)])
def test_every_drive_filter_takes_a_list(func, items):
    results = func(items)
    assert results == [func(d) for d in items]
    assert len(set(map(str, results))) == len(items)  # each item rendered, not one result repeated
