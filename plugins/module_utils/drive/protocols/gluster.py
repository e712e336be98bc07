# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""GlusterFS: gluster[+tcp|+unix|+rdma] URIs, several servers, debug/logfile (QEMU block/gluster.c:
qemu_gluster_parse_uri, qemu_gluster_parse_json)."""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive import options as opt
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import (
    check_keys, need_int, need_str,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.servers import (
    host_port, normalize_servers, server_field, server_from_address, socket_address,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.versions import has
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.uri_text import (
    parse_query, quote_path, quote_query_value, unquote_strict,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.protocol import Protocol

SCHEMES = ("gluster", "gluster+tcp", "gluster+unix", "gluster+rdma")
DEFAULT_PORT = 24007
KEYS = {"protocol", "server", "servers", "volume", "path", "options"}


def _debug(value, field):
    return need_int(value, field, 0, 9)


OPTIONS = {"debug": _debug, "logfile": opt.as_str}


def normalize(spec, version):
    check_keys(spec, "", KEYS)
    servers = normalize_servers(spec, DEFAULT_PORT, unix=True, many=True, transports=("rdma",))
    for index, server in enumerate(servers):
        if server.get("transport") == "rdma" and not has("gluster_rdma", version):
            raise SpecError(server_field(index, "transport"), "rdma", "gluster+rdma was removed in QEMU 9.1 "
                            "(it always fell back to tcp); use 'tcp'")
    for key in ("volume", "path"):
        if key not in spec:
            what = "volume name" if key == "volume" else "image path inside the volume"
            raise SpecError(key, None, "required: the gluster %s" % what)
    volume = need_str(spec["volume"], "volume")
    if "/" in volume:
        raise SpecError("volume", volume, "a volume name cannot contain '/'")
    path = need_str(spec["path"], "path").lstrip("/")  # QEMU skips leading slashes
    if not path:
        raise SpecError("path", spec["path"], "expected an image path inside the volume, e.g. dir/a.img")
    out = {"protocol": "gluster", "servers": servers, "volume": volume, "path": path}
    options = opt.normalize_options(spec, OPTIONS)
    if options:
        out["options"] = options
    return out


def uri(spec, version, omit=False):
    if len(spec["servers"]) > 1:
        raise SpecError("servers", spec["servers"], "a gluster URI names one server; for several use "
                        "gluster_json, qemu_drive_opts or qemu_blockdev")
    if spec.get("options") and not omit:
        raise opt.unexpressible(spec["options"], "URI", "gluster")
    server = spec["servers"][0]
    tail = "/%s/%s" % (quote_path(spec["volume"]), quote_path(spec["path"]))
    if "socket" in server:
        # 'gluster+unix:///v/p' is rejected by QEMU >= 9.1 (GUri gives host ""); the form
        # without an authority is read alike by util/uri.c and GUri (block/gluster.c:
        # qemu_gluster_parse_uri wants uri->server NULL for unix, and GUri gives "" for '///').
        return "gluster+unix:%s?socket=%s" % (tail, quote_query_value(server["socket"], version))
    scheme = "gluster+rdma" if server.get("transport") == "rdma" else "gluster"
    return "%s://%s%s" % (scheme, host_port(server, DEFAULT_PORT), tail)


def blockdev(spec, version):
    servers = []
    for index, server in enumerate(spec["servers"]):
        if server.get("transport") == "rdma":
            raise SpecError(server_field(index, "transport"), "rdma", "rdma exists only in the URI form")
        servers.append(socket_address(server))
    node = {"driver": "gluster", "volume": spec["volume"], "path": spec["path"], "server": servers}
    node.update(spec.get("options", {}))
    return node


def disk_unexpressible(spec, disk):  # pylint: disable=unused-argument
    """The <source protocol='gluster'> carries no option."""
    return set(spec.get("options", {}))


def disk_source(spec, source, host_el, disk):  # pylint: disable=unused-argument
    source.set("protocol", "gluster")
    source.set("name", "%s/%s" % (spec["volume"], spec["path"]))
    for server in spec["servers"]:
        host_el(server)


def from_uri(parts, text):
    path = unquote_strict(parts["path"], "path").lstrip("/")
    volume, _sep, image = path.partition("/")
    image = image.lstrip("/")
    if not volume or not image:
        raise SpecError("uri", text, "expected gluster[+transport]://[host[:port]]/volume/path")
    params = parse_query(parts["query"], text, parts["qemu_version"])
    spec = {"protocol": "gluster", "volume": volume, "path": image}
    if parts["scheme"] == "gluster+unix":
        if parts["authority"] is not None and has("glib_uri", parts["qemu_version"]):
            # block/gluster.c: qemu_gluster_parse_uri() wants no host, and GUri gives "" for '//'.
            raise SpecError("uri", text, "QEMU >= 9.1 rejects gluster+unix:// with an empty authority "
                            "('invalid URI'); write gluster+unix:/VOLUME/PATH?socket=SOCKET")
        if parts["host"] or parts["port"] or list(params) != ["socket"]:
            raise SpecError("uri", text, "gluster+unix takes no host or port and exactly ?socket=PATH")
        spec["servers"] = [{"socket": params["socket"]}]
        return spec
    if params:
        raise SpecError("uri", text, "a gluster TCP URI takes no query parameters")
    server = {"host": parts["host"] or "localhost", "port": parts["port"] or DEFAULT_PORT}
    if parts["scheme"] == "gluster+rdma":
        server["transport"] = "rdma"
    spec["servers"] = [server]
    return spec


def from_blockdev(node):
    """A gluster node back to a spec (block/gluster.c: qemu_gluster_parse_json for -drive / json:,
    QAPI BlockdevOptionsGluster for -blockdev)."""
    raw = node.tree_at("server")
    if raw is None:
        raise SpecError(node.where("server"), None, "Parameter 'server' is missing")
    if not isinstance(raw, (list, tuple)) or not raw:
        raise SpecError(node.where("server"), raw, "expected a non-empty list of server addresses")
    servers = [server_from_address(node.child("server.%d" % i, entry), gluster=True)
               for i, entry in enumerate(raw)]
    spec = {"protocol": "gluster", "servers": servers, "volume": node.text("volume", required="the volume"),
            "path": node.text("path", required="the image path in the volume")}
    options = {}
    debug = node.integer("debug")
    if debug is not None:
        options["debug"] = min(debug, 9)  # block/gluster.c clamps larger levels to 9
    logfile = node.text("logfile")
    if logfile is not None:
        options["logfile"] = logfile
    if options:
        spec["options"] = options
    return spec


def from_disk_source(source, servers):
    """<source protocol='gluster' name='VOLUME/PATH'> with one <host> per server."""
    name = (source.get("name") or "").lstrip("/")
    volume, _sep, path = name.partition("/")
    return {"protocol": "gluster", "servers": servers, "volume": volume, "path": path}


PROTOCOL = Protocol(
    names=("gluster",), schemes=SCHEMES, keys=frozenset(KEYS), normalize=normalize, uri=uri,
    blockdev=blockdev, disk_source=disk_source, disk_unexpressible=disk_unexpressible, from_uri=from_uri, from_blockdev=from_blockdev,
    from_disk_source=from_disk_source, options=OPTIONS,
)
