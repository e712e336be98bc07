"""The spec's `server` / `servers` part (drive/servers.py): normalize_servers with the protocols'
settings, the QAPI address each server becomes, its 'host:port', and error fields given back as
the user wrote them ('server.host' for the one-server shorthand). Each row: the spec -> the exact
servers, or the field and the whole message of the refusal. Reading addresses back:
test_server_address_errors.py."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.servers import (
    fields_as_written, host_port, normalize_servers, server_field, socket_address,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

# The protocols' settings (protocols/*.py: normalize)
NBD = {"default_port": 10809, "unix": True}
GLUSTER = {"default_port": 24007, "unix": True, "many": True, "transports": ("rdma",)}
ISCSI = {"default_port": 3260}
RBD = {"default_port": 6789, "many": True}

NORMALIZED = [
    (NBD, {"server": {"socket": "/s"}}, [{"socket": "/s"}]),
    (NBD, {"server": {"host": "h"}}, [{"host": "h", "port": 10809}]),
    (NBD, {"server": {"host": "h", "port": None}}, [{"host": "h", "port": 10809}]),
    (ISCSI, {"servers": [{"host": "h", "port": "3261"}]}, [{"host": "h", "port": 3261}]),
    (RBD, {"servers": ({"host": "a"}, {"host": "b", "port": 1})}, [{"host": "a", "port": 6789}, {"host": "b", "port": 1}]),
    (GLUSTER, {"servers": [{"host": "::1"}, {"socket": "/s"}, {"host": "h", "transport": "rdma"},
                           {"host": "i", "transport": "tcp"}]},
     [{"host": "::1", "port": 24007}, {"socket": "/s"}, {"host": "h", "port": 24007, "transport": "rdma"},
      {"host": "i", "port": 24007}]),
]


@pytest.mark.parametrize("caller,spec,expected", NORMALIZED, ids=["row%d" % i for i in range(len(NORMALIZED))])
def test_normalize_servers(caller, spec, expected):
    assert normalize_servers(spec, **caller) == expected


REFUSED = [
    (NBD, {"server": {"host": "h"}, "servers": []}, "server",
     "server: {'host': 'h'} is not accepted; give either 'server' or 'servers', not both"),
    (NBD, {"servers": "h"}, "servers",
     "servers: 'h' is not accepted; expected a list of {host, port} or {socket} mappings"),
    (NBD, {"servers": b"h"}, "servers",
     "servers: b'h' is not accepted; expected a list of {host, port} or {socket} mappings"),
    (NBD, {"servers": 5}, "servers", "servers: 5 is not accepted; expected a list of {host, port} or {socket} mappings"),
    (NBD, {"servers": {"host": "h"}}, "servers",
     "servers: {'host': 'h'} is not accepted; expected a list of {host, port} or {socket} mappings"),
    (NBD, {}, "servers", "servers: required: a list of {host, port} or {socket} mappings (or 'server:' for one)"),
    (ISCSI, {}, "servers", "servers: required: a list of {host, port} mappings (or 'server:' for one)"),
    (GLUSTER, {"servers": []}, "servers", "servers: [] is not accepted; at least one server is required"),
    (NBD, {"servers": [{"host": "a"}, {"host": "b"}]}, "servers",
     "servers: [{'host': 'a'}, {'host': 'b'}] is not accepted; this protocol takes exactly one server"),
    (NBD, {"server": "h"}, "server", "server: 'h' is not accepted; expected a mapping, got str"),
    (GLUSTER, {"servers": [{"host": "a"}, "b"]}, "servers.1", "servers.1: 'b' is not accepted; expected a mapping, got str"),
    (NBD, {"server": {"host": "h", "sock": "/s"}}, "server.sock",
     "server.sock: '/s' is not accepted; unknown key; accepted keys here: host, port, socket"),
    (ISCSI, {"server": {"host": "h", "socket": "/s"}}, "server.socket",
     "server.socket: '/s' is not accepted; unknown key; accepted keys here: host, port"),
    (GLUSTER, {"servers": [{"host": "h", "tls": 1}]}, "servers.0.tls",
     "servers.0.tls: 1 is not accepted; unknown key; accepted keys here: host, port, socket, transport"),
    (RBD, {"servers": [{"host": "h", "transport": "rdma"}]}, "servers.0.transport",
     "servers.0.transport: 'rdma' is not accepted; unknown key; accepted keys here: host, port"),
    (NBD, {"server": {"socket": "/s", "host": "h"}}, "server",
     "server: {'socket': '/s', 'host': 'h'} is not accepted; a Unix socket server takes only 'socket', not host/port"),
    (NBD, {"server": {"socket": "/s", "port": 1}}, "server",
     "server: {'socket': '/s', 'port': 1} is not accepted; a Unix socket server takes only 'socket', not host/port"),
    (NBD, {"server": {"socket": "rel"}}, "server.socket",
     "server.socket: 'rel' is not accepted; expected an absolute socket path starting with '/'"),
    (NBD, {"server": {"port": 1}}, "server.host", "server.host: required (or 'socket' for a Unix socket)"),
    (ISCSI, {"server": {"port": 1}}, "server.host", "server.host: required"),
    (GLUSTER, {"servers": [{"host": "h"}, {"port": 1}]}, "servers.1.host",
     "servers.1.host: required (or 'socket' for a Unix socket)"),
    (NBD, {"server": {"host": "bad host"}}, "server.host",
     "server.host: 'bad host' is not accepted; expected a host name (letters, digits, '-', '.'), an IPv4 address "
     "or an IPv6 address"),
    (NBD, {"server": {"host": "h", "port": 0}}, "server.port",
     "server.port: 0 is not accepted; expected an integer between 1 and 65535"),
    (GLUSTER, {"servers": [{"host": "h", "transport": "udp"}]}, "servers.0.transport",
     "servers.0.transport: 'udp' is not accepted; expected one of: tcp, rdma"),
]


@pytest.mark.parametrize("caller,spec,field,message", REFUSED, ids=["row%d" % i for i in range(len(REFUSED))])
def test_normalize_servers_refused(caller, spec, field, message):
    with pytest.raises(SpecError) as caught:
        normalize_servers(spec, **caller)
    assert (caught.value.field, str(caught.value)) == (field, message)


@pytest.mark.parametrize("server,typed,address", [
    ({"socket": "/s"}, True, {"type": "unix", "path": "/s"}),
    ({"socket": "/s"}, False, {"path": "/s"}),
    ({"host": "h", "port": 10809}, True, {"type": "inet", "host": "h", "port": "10809"}),
    ({"host": "::1", "port": 22}, False, {"host": "::1", "port": "22"}),
])
def test_socket_address(server, typed, address):
    assert socket_address(server, typed) == address


def test_socket_address_is_typed_by_default():
    assert socket_address({"socket": "/s"}) == {"type": "unix", "path": "/s"}


@pytest.mark.parametrize("server,default_port,text", [
    ({"host": "h", "port": 10809}, 10809, "h"),
    ({"host": "h", "port": 10810}, 10809, "h:10810"),
    ({"host": "h", "port": 10809}, None, "h:10809"),
    ({"host": "2001:db8::1", "port": 22}, 22, "[2001:db8::1]"),
    ({"host": "2001:db8::1", "port": 2222}, 22, "[2001:db8::1]:2222"),
])
def test_host_port(server, default_port, text):
    assert host_port(server, default_port) == text


def test_host_port_always_writes_the_port_by_default():
    assert host_port({"host": "::1", "port": 3260}) == "[::1]:3260"


def test_server_field():
    assert (server_field(0), server_field(2, "host")) == ("servers.0", "servers.2.host")


@fields_as_written
def _raises(spec, field, value="x"):
    """A renderer that refuses `field` (as the normalized spec names it)."""
    raise SpecError(field, value, "refused here")


AS_WRITTEN = [
    ({"server": {}}, "servers.0.socket", "server.socket"),
    ({"server": {}}, "servers.0", "server"),
    ({"server": {}}, "servers.0.transport", "server.transport"),
    ({"server": {}}, "servers.01", "servers.01"),
    ({"server": {}}, "servers.1.host", "servers.1.host"),
    ({"server": {}}, "options.timeout", "options.timeout"),
    ({"servers": [{}]}, "servers.0.socket", "servers.0.socket"),
    ({"server": {}, "servers": [{}]}, "servers.0.host", "servers.0.host"),
    ("nbd://h", "servers.0.host", "servers.0.host"),
]


@pytest.mark.parametrize("spec,field,written", AS_WRITTEN, ids=["row%d" % i for i in range(len(AS_WRITTEN))])
def test_fields_as_written(spec, field, written):
    with pytest.raises(SpecError) as caught:
        _raises(spec, field)
    assert (caught.value.field, str(caught.value)) == (written, "%s: 'x' is not accepted; refused here" % written)


def test_fields_as_written_keeps_a_field_that_is_not_a_path():
    with pytest.raises(SpecError) as caught:
        _raises({"server": {}}, ("servers.0",), None)
    assert (caught.value.field, str(caught.value)) == (("servers.0",), "('servers.0',): refused here")


def test_fields_as_written_passes_results_and_arguments():
    @fields_as_written
    def render(spec, version=None, *, form="uri"):
        return (spec, version, form)

    assert render({"server": {}}, "7.2", form="xml") == ({"server": {}}, "7.2", "xml")
    assert render.__name__ == "render"
