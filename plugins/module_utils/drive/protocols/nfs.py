# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NFS through QEMU's libnfs driver: nfs://host/export/file?uid=... and the QAPI
BlockdevOptionsNfs node (qapi/block-core.json).

QEMU's NFSServer has a host and no port: libnfs asks the server's portmapper (port 111) for
the mount and NFS ports, and block/nfs.c: nfs_parse_uri ignores a port in the URI. So a spec
takes no port, and a URI with one is refused rather than read as something else.
"""

from __future__ import annotations

import re

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive import options as opt
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import (
    check_qemu_host, check_keys, host_in_uri, is_ipv6, need_int, need_mapping, need_str,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.servers import server_field
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.uri_text import (
    parse_query, quote_path, unquote_strict,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.versions import has
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.protocol import Protocol

SCHEMES = ("nfs",)
KEYS = {"protocol", "server", "servers", "path", "options"}
# block/nfs.c: the driver clamps larger values with a warning, i.e. reads them differently.
MAX_READAHEAD = 1048576  # QEMU_NFS_MAX_READAHEAD_SIZE
MAX_PAGE_CACHE = 2048  # pages: QEMU_NFS_MAX_PAGECACHE_SIZE = 8 MiB / NFS_BLKSIZE (4096)
MAX_DEBUG = 2  # QEMU_NFS_MAX_DEBUG_LEVEL


def _ranged(maximum):
    def check(value, field):
        return need_int(value, field, 0, maximum)
    return check


# spec option -> (QAPI member, URI query parameter); nfs_parse_uri() knows exactly these
# parameter names (QEMU 7.2 and 10.0 alike) and refuses any other.
OPTIONS = {
    "uid": _ranged(4294967295),
    "gid": _ranged(4294967295),
    "tcp_syn_count": _ranged(255),
    "readahead_size": _ranged(MAX_READAHEAD),
    "page_cache_size": _ranged(MAX_PAGE_CACHE),
    "debug": _ranged(MAX_DEBUG),
}
NAMES = {
    "uid": ("user", "uid"),
    "gid": ("group", "gid"),
    "tcp_syn_count": ("tcp-syn-count", "tcp-syncnt"),
    "readahead_size": ("readahead-size", "readahead"),
    "page_cache_size": ("page-cache-size", "pagecache"),
    "debug": ("debug", "debug"),
}
_BY_QUERY = {query: name for name, (_member, query) in NAMES.items()}
_DIGITS = re.compile(r"^[0-9]+$")


def _server(spec):
    if "server" in spec and "servers" in spec:
        raise SpecError("server", spec["server"], "give either 'server' or 'servers', not both")
    if "servers" in spec:
        raw = spec["servers"]
        if isinstance(raw, (str, bytes)) or hasattr(raw, "keys") or not hasattr(raw, "__iter__"):
            raise SpecError("servers", raw, "expected a list with one {host} mapping")
        raw = list(raw)
        if len(raw) != 1:
            raise SpecError("servers", raw, "NFS takes exactly one server")
        entry, field = raw[0], server_field(0)
    elif "server" in spec:
        entry, field = spec["server"], "server"
    else:
        raise SpecError("server", None, "required: {host: NFS server}")
    need_mapping(entry, field)
    check_keys(entry, field, {"host", "port"})
    if entry.get("port") is not None:
        raise SpecError(field + ".port", entry["port"], "QEMU's NFS driver has no port: libnfs finds the "
                        "mount and NFS ports through the server's portmapper (port 111)")
    if "host" not in entry:
        raise SpecError(field + ".host", None, "required")
    return {"host": check_qemu_host(entry["host"], field + ".host")}


def normalize(spec, version):
    check_keys(spec, "", KEYS)
    server = _server(spec)
    if "path" not in spec:
        raise SpecError("path", None, "required: the image's absolute path, export directory included "
                        "(e.g. /srv/nfs/disk.img)")
    path = need_str(spec["path"], "path")
    # nfs_client_open(): export = up to the last '/', file = the rest.
    if not path.startswith("/") or path.endswith("/"):
        raise SpecError("path", path, "expected an absolute path ending in the image's file name "
                        "(the export is everything before the last '/')")
    out = {"protocol": "nfs", "servers": [server], "path": path}
    options = opt.normalize_options(spec, OPTIONS)
    if options:
        out["options"] = options
    return out


def uri(spec, version, omit=False):
    host = spec["servers"][0]["host"]
    if is_ipv6(host) and not has("nfs_ipv6_uri", version):
        # util/uri.c (<= 9.0) keeps the brackets, so libnfs is asked to resolve '[::1]'.
        raise SpecError(server_field(0, "host"), host, "QEMU < 9.1 cannot read an IPv6 address in an NFS URI "
                        "(libnfs: 'Invalid address:[%s]'); use qemu_drive_opts or qemu_blockdev" % host)
    query = "&".join("%s=%d" % (NAMES[name][1], value) for name, value in sorted(spec.get("options", {}).items()))
    return "nfs://%s%s%s" % (host_in_uri(spec["servers"][0]["host"]), quote_path(spec["path"]),
                             "?" + query if query else "")


def blockdev(spec, version):
    node = {"driver": "nfs", "server": {"type": "inet", "host": spec["servers"][0]["host"]},
            "path": spec["path"]}
    for name, value in spec.get("options", {}).items():
        node[NAMES[name][0]] = value
    return node


# Spec options libvirt's <source protocol='nfs'> cannot carry (only <identity user group>).
def disk_unexpressible(spec, disk):  # pylint: disable=unused-argument
    """Options the <source protocol='nfs'> cannot carry: all but uid/gid (<identity>)."""
    return set(spec.get("options", {})) - {"uid", "gid"}


def disk_source(spec, source, host_el, disk):  # pylint: disable=unused-argument
    source.set("protocol", "nfs")
    source.set("name", spec["path"])
    host_el(spec["servers"][0])
    options = spec.get("options", {})
    # libvirt 9.0's schema requires <identity>; its user/group take a name or '+uid'.
    identity = {}
    if "uid" in options:
        identity["user"] = "+%d" % options["uid"]
    if "gid" in options:
        identity["group"] = "+%d" % options["gid"]
    source.append(source.makeelement("identity", identity))


def from_uri(parts, text):
    if parts["authority"] is None or not parts["host"]:
        raise SpecError("uri", text, "QEMU: 'missing hostname in URI' (nfs://HOST/EXPORT/FILE)")
    if parts["port"] is not None:
        raise SpecError("uri", text, "QEMU's NFS driver ignores a port in the URI (libnfs uses the "
                        "portmapper); drop ':%d'" % parts["port"])
    if parts["userinfo"] is not None or parts["fragment"] is not None:
        raise SpecError("uri", text, "an NFS URI takes no user@ and no #fragment")
    if is_ipv6(parts["host"]) and not has("nfs_ipv6_uri", parts["qemu_version"]):
        raise SpecError("uri", text, "QEMU < 9.1 reads the host as '[%s]' with its brackets, which libnfs "
                        "cannot resolve" % parts["host"])
    path = unquote_strict(parts["path"], "path")
    spec = {"protocol": "nfs", "server": {"host": parts["host"]}, "path": path}
    options = {}
    for name, value in parse_query(parts["query"], text).items():
        if name not in _BY_QUERY:
            raise SpecError("uri", text, "QEMU: 'Unknown NFS parameter name: %s'; known: %s"
                            % (name, ", ".join(sorted(_BY_QUERY))))
        if not _DIGITS.match(value):
            # parse_uint_full() takes 0x.. and 0.. too; the spec keeps plain decimal
            raise SpecError("uri", text, "the NFS parameter %s needs a decimal number" % name)
        options[_BY_QUERY[name]] = int(value)
    if options:
        spec["options"] = options
    return spec


def from_blockdev(node):
    """An nfs node back to a spec (QAPI BlockdevOptionsNfs; block/nfs.c: nfs_client_open)."""
    raw = node.tree_at("server")
    if raw is None:
        raise SpecError(node.where("server"), None, "QEMU: 'NFS server address missing'")
    addr = node.child("server", raw)
    kind = addr.text("type", required="the transport, 'inet'")
    if kind != "inet":
        raise SpecError(addr.where("type"), kind, "expected 'inet' (QAPI NFSTransport)")
    server = {"host": addr.text("host", required="the NFS server host")}
    addr.finish()
    spec = {"protocol": "nfs", "server": server, "path": node.text("path", required="the image path")}
    options = {}
    for name, (member, _query) in NAMES.items():
        value = node.integer(member)
        if value is not None:
            options[name] = value
    if options:
        spec["options"] = options
    return spec


def from_disk_source(source, servers):
    """<source protocol='nfs' name='/EXPORT/FILE'><host name/><identity user group/></source>;
    libvirt resolves names, so only '+N' (a numeric id) maps onto QEMU's uid/gid."""
    if len(servers) != 1:
        raise SpecError("source.host", servers, "NFS takes exactly one <host>")
    spec = {"protocol": "nfs", "server": servers[0], "path": source.get("name")}
    identity = source.find("identity")
    ids = {}
    if identity is not None:
        for attr, name in (("user", "uid"), ("group", "gid")):
            value = identity.get(attr)
            if value is None:
                continue
            if not re.match(r"^\+[0-9]+$", value):
                raise SpecError("source.identity." + attr, value, "only a numeric id written '+N' can be "
                                "read back: libvirt looks names up on its own host")
            ids[name] = int(value[1:])
    if ids:
        spec["options"] = ids
    return spec


PROTOCOL = Protocol(
    names=("nfs",), schemes=SCHEMES, keys=frozenset(KEYS), normalize=normalize, uri=uri, blockdev=blockdev,
    disk_source=disk_source, disk_unexpressible=disk_unexpressible, from_uri=from_uri, from_blockdev=from_blockdev,
    from_disk_source=from_disk_source, options=OPTIONS, disk_children=("identity",),
)
