"""A value with a trailing newline is refused by each full-value check: a regex ending in '$' also
matches before a final newline, so 'n0\\n' passed as a node name, 'h\\n' as a host, 'u\\n' as a
CHAP user; the checks end in '\\Z'. QEMU 7.2 and 10.0 refuse such a node name and object id, and
libvirt 9.0's and 11.3's schema such a host name, user, secret usage and target dev
(tests/live/drive/test_trailing_newline_live.py); QEMU 7.2 rejects a raw newline in a URI query,
10.0 reads it as part of the value (tests/live/drive/test_version_gates_live.py)."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.attach_keys import check_node_name
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import (
    check_libvirt_schema_host, render_disk_xml,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.layer import normalize_layer
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.options import need_object_id
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_blockdev, render_uri
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

NBD = {"protocol": "nbd", "server": {"host": "h"}}
ISCSI = {"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 0, "user": "u"}
UUID = "0a1b2c3d-0000-1111-2222-333344445555"
NODE_NAME = "expected a QEMU node name: a letter, then up to 30 letters, digits, '-', '.', '_'"
HOST = "expected a host name (letters, digits, '-', '.'), an IPv4 address or an IPv6 address"

ROWS = [
    (lambda: render_uri({"protocol": "nbd", "server": {"host": "h\n"}}), "server.host",
     "server.host: 'h\\n' is not accepted; " + HOST),
    (lambda: parse_drive("nbd://h\n/e"), "server.host", "server.host: 'h\\n' is not accepted; " + HOST),
    (lambda: need_object_id("sec0\n", "password_secret"), "password_secret",
     "password_secret: 'sec0\\n' is not accepted; expected a QEMU object id: a letter, then letters, digits, "
     "'-', '.', '_'"),
    (lambda: normalize_layer({"node_name": "n0\n"}), "layer.node_name",
     "layer.node_name: 'n0\\n' is not accepted; " + NODE_NAME),
    (lambda: normalize_layer({"format_node_name": "n0\n"}), "layer.format_node_name",
     "layer.format_node_name: 'n0\\n' is not accepted; " + NODE_NAME),
    (lambda: check_node_name("n0\n"), "node_name", "node_name: 'n0\\n' is not accepted; " + NODE_NAME),
    (lambda: render_blockdev(NBD, node_name="n0\n"), "node_name", "node_name: 'n0\\n' is not accepted; " + NODE_NAME),
    (lambda: render_blockdev(NBD, fmt="raw\n"), "format",
     "format: 'raw\\n' is not accepted; expected a block format driver name such as 'raw' or 'qcow2'"),
    (lambda: render_disk_xml(NBD, target_dev="vda\n"), "target_dev",
     "target_dev: 'vda\\n' is not accepted; expected a device name such as vda, sdb, hdc"),
    (lambda: check_libvirt_schema_host("h\n", "servers.0.host"), "servers.0.host",
     "servers.0.host: 'h\\n' is not accepted; libvirt's domain schema allows only letters, digits, '.' and '-' "
     "in a disk host name (no '_')"),
    (lambda: render_disk_xml(dict(ISCSI, user="u\n"), secret_usage="x"), "user",
     "user: 'u\\n' is not accepted; libvirt's domain schema allows only letters, digits, '_', '+' and '-' in the "
     "user name of iSCSI CHAP"),
    (lambda: render_disk_xml(ISCSI, secret_usage="x\n"), "secret_usage",
     "secret_usage: 'x\\n' is not accepted; expected a non-empty usage name without '/' or newlines (libvirt's "
     "objectName)"),
    (lambda: render_disk_xml(ISCSI, secret_uuid=UUID + "\n"), "secret_uuid",
     "secret_uuid: '%s\\n' is not accepted; expected a UUID" % UUID),
    (lambda: parse_drive("nbd+unix:///e?socket=/s\n", "7.2"), "uri",
     "uri: 'nbd+unix:///e?socket=/s\\n' is not accepted; QEMU < 9.1 (util/uri.c) rejects the characters '\\n' "
     "in a query; %-escape them"),
]


@pytest.mark.parametrize("call,field,message", ROWS, ids=["row%d" % i for i in range(len(ROWS))])
def test_trailing_newline_is_refused(call, field, message):
    with pytest.raises(SpecError) as caught:
        call()
    assert (caught.value.field, str(caught.value)) == (field, message)


def test_without_the_newline_each_is_accepted():
    assert render_uri(NBD) == "nbd://h"
    assert need_object_id("sec0", "password_secret") == "sec0"
    assert normalize_layer({"node_name": "n0", "format_node_name": "f0"}) == {"node_name": "n0", "format_node_name": "f0"}
    assert check_node_name("n0") == "n0"
    assert render_blockdev(NBD, node_name="n0", fmt="raw") == {
        "driver": "raw", "file": {"driver": "nbd", "server": {"type": "inet", "host": "h", "port": "10809"},
                                  "node-name": "n0"}}
    assert check_libvirt_schema_host("h", "servers.0.host") == "h"
    assert 'dev="vda"' in render_disk_xml(NBD, target_dev="vda")
    assert '<secret type="iscsi" usage="x" />' in render_disk_xml(ISCSI, secret_usage="x")
    assert '<secret type="iscsi" uuid="%s" />' % UUID in render_disk_xml(ISCSI, secret_uuid=UUID)


def test_qemu_10_reads_the_newline_as_part_of_the_query_value():
    assert parse_drive("nbd+unix:///e?socket=/s\n", "10.0")["servers"] == [{"socket": "/s\n"}]
