# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading a QAPI SocketAddress back (servers.server_from_address, through parse_drive): the
field and the whole message of each refusal, as the libvirt error table does - the survivors
of the servers.py mutation run were nearly all in these messages (docs/mutation.md)."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

NBD = {"driver": "nbd", "export": "e"}
GLUSTER = 'json:{"driver":"gluster","volume":"v","path":"p","server":[%s]}'

ROWS = [
    (dict(NBD, server={"type": "inet", "host": "h", "port": "1", "ipv4": True}), "server.ipv4",
     "server.ipv4: True is not accepted; the drive spec has no ipv4 address option; remove it to read this drive"),
    (dict(NBD, server={"type": "inet", "host": "h", "port": "1", "keep-alive": True}), "server.keep-alive",
     "server.keep-alive: True is not accepted; the drive spec has no keep-alive address option; remove it to "
     "read this drive"),
    ({"driver": "ssh", "server": {"host": "h", "port": "22", "ipv6": True}, "path": "/p"}, "server.ipv6",
     "server.ipv6: True is not accepted; the drive spec has no ipv6 address option; remove it to read this drive"),
    (dict(NBD, server={"type": "unix"}), "server.path",
     "server.path: required for a unix address: Parameter 'path' is missing"),
    (dict(NBD, server={"type": "vsock", "cid": "3", "port": "1"}), "server.type",
     "server.type: 'vsock' is not accepted; expected 'inet' or 'unix' (the drive spec has no vsock or fd servers)"),
    (dict(NBD, server={"type": "tcp", "host": "h", "port": "1"}), "server.type",
     "server.type: 'tcp' is not accepted; expected 'inet' or 'unix' (the drive spec has no vsock or fd servers)"),
    (dict(NBD, server={"host": "h", "port": "1"}), "server.type",
     "server.type: required by QEMU's nbd driver (the address type, inet or unix): Parameter 'type' is missing"),
    (dict(NBD, server={"type": "inet", "port": "1"}), "server.host",
     "server.host: required by QEMU's nbd driver (the server host): Parameter 'host' is missing"),
    (dict(NBD, server={"type": "inet", "host": "h"}), "server.port",
     "server.port: required by QEMU's nbd driver (the server port (a string in QAPI)): Parameter 'port' is missing"),
    # block/gluster.c (qemu_gluster_parse_json) also reads 'tcp' and a unix 'socket' key
    (GLUSTER % '{"type":"unix","path":"/a","socket":"/b"}', "server.0.socket",
     "server.0.socket: '/b' is not accepted; Conflicting parameters 'path' and 'socket' (block/gluster.c)"),
    (GLUSTER % '{"type":"rdma","host":"h"}', "server.0.type",
     "server.0.type: 'rdma' is not accepted; expected 'inet' or 'unix' (or 'tcp') (the drive spec has no vsock "
     "or fd servers)"),
    (dict(NBD, server={"type": "inet", "host": "h", "port": "1", "numeric": True}), "server.numeric",
     "server.numeric: True is not accepted; the drive spec has no numeric address option; remove it to read "
     "this drive"),
    (dict(NBD, server={"type": "inet", "host": "h", "port": "1", "to": 2}), "server.to",
     "server.to: 2 is not accepted; the drive spec has no to address option; remove it to read this drive"),
    (dict(NBD, server={"type": "inet", "host": "h", "port": "1", "mptcp": True}), "server.mptcp",
     "server.mptcp: True is not accepted; the drive spec has no mptcp address option; remove it to read this "
     "drive"),
    # -blockdev is strictly typed by QAPI (SocketAddress): gluster's 'tcp' and 'socket' are json:-only
    ({"driver": "gluster", "volume": "v", "path": "p", "server": [{"type": "tcp", "host": "h", "port": "1"}]},
     "server.0.type", "server.0.type: 'tcp' is not accepted; expected 'inet' or 'unix' (the drive spec has no "
     "vsock or fd servers)"),
    ({"driver": "gluster", "volume": "v", "path": "p", "server": [{"type": "unix", "socket": "/s"}]},
     "server.0.path", "server.0.path: required for a unix address: Parameter 'path' is missing"),
    ('json:{"driver":"nbd","server":{"type":"unix","path":"/p","socket":"/s"}}', "server.socket",
     "server.socket: '/s' is not accepted; QEMU's nbd driver has no such option, or the drive spec cannot "
     "carry it; options read here: path, type"),
    (GLUSTER % '{"type":"unix","path":"/a","x":1}', "server.0.x",
     "server.0.x: 1 is not accepted; QEMU's gluster driver has no such option, or the drive spec cannot carry "
     "it; options read here: path, type"),
    # ssh's server is an InetSocketAddress: no 'type' member
    ({"driver": "ssh", "path": "/p", "server": {"host": "h", "port": "22", "type": "inet"}}, "server.type",
     "server.type: 'inet' is not accepted; QEMU's ssh driver has no such option, or the drive spec cannot carry "
     "it; options read here: host, port"),
    ({"driver": "ssh", "path": "/p", "server": {"path": "/s"}}, "server.host",
     "server.host: required by QEMU's ssh driver (the server host): Parameter 'host' is missing"),
]


@pytest.mark.parametrize("value,field,message", ROWS, ids=["row%d" % i for i in range(len(ROWS))])
def test_address_refusal(value, field, message):
    with pytest.raises(SpecError) as caught:
        parse_drive(value)
    assert (caught.value.field, str(caught.value)) == (field, message)


@pytest.mark.parametrize("server,expected", [
    ('{"type":"tcp","host":"h","port":"24007"}', {"host": "h", "port": 24007}),
    ('{"type":"unix","socket":"/s"}', {"socket": "/s"}),
    ('{"type":"unix","path":"/p"}', {"socket": "/p"}),
])
def test_gluster_reads_tcp_and_socket(server, expected):
    assert parse_drive(GLUSTER % server)["servers"] == [expected]


@pytest.mark.parametrize("value,servers", [
    (dict(NBD, server={"type": "inet", "host": "h", "port": "1"}), [{"host": "h", "port": 1}]),
    (dict(NBD, server={"type": "unix", "path": "/p"}), [{"socket": "/p"}]),
    ({"driver": "ssh", "path": "/p", "server": {"host": "h", "port": "2222"}}, [{"host": "h", "port": 2222}]),
    (GLUSTER % '{"type":"unix","path":"/a"},{"type":"inet","host":"h","port":"1"}', [{"socket": "/a"}, {"host": "h", "port": 1}]),
    ({"driver": "gluster", "volume": "v", "path": "p", "server": [{"type": "inet", "host": "h", "port": "1"}]},
     [{"host": "h", "port": 1}]),
], ids=["nbd-inet", "nbd-unix", "ssh", "gluster-json", "gluster-blockdev"])
def test_addresses_read_back(value, servers):
    assert parse_drive(value)["servers"] == servers
