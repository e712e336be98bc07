# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The `server` / `servers` part of a drive spec: TCP {host, port} or Unix {socket}."""

from __future__ import annotations

import functools

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import (
    check_qemu_host, check_keys, check_port, check_socket_path, host_in_uri, need_mapping,
)

__all__ = ["normalize_servers", "socket_address", "server_from_address", "server_field", "fields_as_written",
           "host_port"]


def host_port(server, default_port=None):
    """'host:port' of a TCP server as a URI authority or a legacy string writes it: an IPv6 address
    in brackets; the port left out when it is `default_port`, the one the protocol's parser fills
    in for a URI without a port (None: always written)."""
    if default_port is not None and server["port"] == default_port:
        return host_in_uri(server["host"])
    return "%s:%d" % (host_in_uri(server["host"]), server["port"])


def server_field(index, key=None):
    """The path of a normalized server (or of one of its keys) in an error: 'servers.1.host'.
    fields_as_written() turns it into 'server.host' where the user wrote 'server:'."""
    return "servers.%d%s" % (index, "" if key is None else "." + key)


def _as_written(spec, field):
    """`field` as the user wrote the spec: the normalized spec always has a 'servers' list, the
    user's may have the one-server shorthand 'server:', whose paths have no index."""
    if not hasattr(spec, "get") or "server" not in spec or "servers" in spec or not isinstance(field, str):
        return field
    if field == "servers.0" or field.startswith("servers.0."):
        return "server" + field[len("servers.0"):]
    return field


def fields_as_written(render):
    """Decorate a function whose first argument is the user's drive spec: a SpecError it raises
    names the field as the user wrote it (server.socket, not servers.0.socket)."""

    @functools.wraps(render)
    def wrapper(spec, *args, **kwargs):
        try:
            return render(spec, *args, **kwargs)
        except SpecError as exc:
            renamed = _as_written(spec, exc.field)
            if renamed != exc.field:
                exc.rename(renamed)
            raise

    return wrapper


def normalize_servers(spec, default_port, unix=False, many=False, transports=()):
    """Return the list of servers with defaults filled in.

    `unix`: a {socket: path} entry is allowed; `many`: more than one server is allowed;
    `transports`: extra TCP transports a server may name (gluster's legacy 'rdma').
    """
    if "server" in spec and "servers" in spec:
        raise SpecError("server", spec["server"], "give either 'server' or 'servers', not both")
    if "server" in spec:
        raw, base = [spec["server"]], "server"
    elif "servers" in spec:
        raw, base = spec["servers"], "servers"
        if isinstance(raw, (str, bytes)) or not hasattr(raw, "__iter__") or hasattr(raw, "keys"):
            raise SpecError("servers", raw, "expected a list of {host, port} or {socket} mappings")
        raw = list(raw)
    else:
        raise SpecError("servers", None, "required: a list of {host, port}%s mappings (or 'server:' "
                        "for one)" % (" or {socket}" if unix else ""))
    if not raw:
        raise SpecError(base, raw, "at least one server is required")
    if len(raw) > 1 and not many:
        raise SpecError(base, raw, "this protocol takes exactly one server")
    out = []
    for index, entry in enumerate(raw):
        field = base if base == "server" else "%s.%d" % (base, index)
        need_mapping(entry, field)
        allowed = {"host", "port"} | ({"socket"} if unix else set()) | ({"transport"} if transports else set())
        check_keys(entry, field, allowed)
        if "socket" in entry:
            if "host" in entry or "port" in entry:
                raise SpecError(field, dict(entry), "a Unix socket server takes only 'socket', not host/port")
            out.append({"socket": check_socket_path(entry["socket"], field + ".socket")})
            continue
        if "host" not in entry:
            raise SpecError(field + ".host", None, "required%s" % (" (or 'socket' for a Unix socket)" if unix else ""))
        server = {"host": check_qemu_host(entry["host"], field + ".host")}
        server["port"] = check_port(entry["port"], field + ".port") if entry.get("port") is not None else default_port
        transport = entry.get("transport", "tcp")
        if transport != "tcp":
            if transport not in transports:
                raise SpecError(field + ".transport", transport, "expected one of: %s"
                                % ", ".join(("tcp",) + tuple(transports)))
            server["transport"] = transport
        out.append(server)
    return out


def socket_address(server, typed=True):
    """QAPI SocketAddress for a normalized server: ports are strings (qapi/sockets.json)."""
    if "socket" in server:
        return {"type": "unix", "path": server["socket"]} if typed else {"path": server["socket"]}
    addr = {"type": "inet"} if typed else {}
    addr.update({"host": server["host"], "port": str(server["port"])})
    return addr


def server_from_address(addr, typed=True, gluster=False):
    """Inverse of socket_address(): a NodeReader (drive/node_reader.py) on a QAPI SocketAddress
    (typed) or InetSocketAddress (ssh's, no 'type') gives a spec server {host, port} / {socket}.

    gluster: the -drive/json: path of block/gluster.c (qemu_gluster_parse_json) also reads
    type 'tcp' as inet and a unix 'socket' key as the path.
    """
    kind = addr.text("type", required="the address type, inet or unix") if typed else "inet"
    if gluster and not addr.strict and kind == "tcp":
        kind = "inet"
    if kind == "inet":
        server = {"host": addr.text("host", required="the server host"),
                  "port": addr.text("port", required="the server port (a string in QAPI)")}
        for extra in ("numeric", "to", "ipv4", "ipv6", "keep-alive", "mptcp"):
            if addr.has(extra):
                raise SpecError(addr.where(extra), addr.raw(extra), "the drive spec has no %s address "
                                "option; remove it to read this drive" % extra)
    elif kind == "unix" and typed:
        path = addr.text("path")
        if gluster and not addr.strict and addr.has("socket"):
            if path is not None:
                raise SpecError(addr.where("socket"), addr.raw("socket"), "Conflicting parameters 'path' "
                                "and 'socket' (block/gluster.c)")
            path = addr.text("socket")
        if path is None:
            raise SpecError(addr.where("path"), None, "required for a unix address: Parameter 'path' is missing")
        server = {"socket": path}
    else:
        raise SpecError(addr.where("type"), kind, "expected 'inet' or 'unix'%s (the drive spec has no vsock "
                        "or fd servers)" % (" (or 'tcp')" if gluster and not addr.strict else ""))
    addr.finish()
    return server
