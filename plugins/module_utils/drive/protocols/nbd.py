# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NBD: nbd://, nbd+unix:// and the legacy nbd: strings (QEMU block/nbd.c:
nbd_parse_uri, nbd_parse_filename; the NBD project's doc/uri.md, of which QEMU reads a subset)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive import options as opt
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import (
    check_qemu_host, check_keys, check_port, need_str,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.servers import (
    host_port, normalize_servers, server_field, server_from_address, socket_address,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.versions import QEMU_GATES, has, version_text
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.uri_text import (
    parse_query, quote_path, quote_query_value, unquote_strict,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.protocol import Protocol
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.versions import libvirt_has

SCHEMES = ("nbd", "nbd+tcp", "nbd+unix")
DEFAULT_PORT = 10809  # NBD_DEFAULT_PORT
KEYS = {"protocol", "server", "servers", "export", "options"}
MAX_EXPORT = 4096  # NBD_MAX_STRING_SIZE
OPTIONS = {
    "tls_creds": opt.need_object_id,
    "tls_hostname": opt.as_str,
    "reconnect_delay": opt.as_uint32,
    "open_timeout": opt.as_uint32,
}
_GATED = ("tls_hostname", "open_timeout", "reconnect_delay")  # versions.QEMU_GATES["nbd_" + name]


def normalize(spec, version):
    check_keys(spec, "", KEYS)
    servers = normalize_servers(spec, DEFAULT_PORT, unix=True)
    export = spec.get("export")
    export = "" if export is None else need_str(export, "export", allow_empty=True)
    if len(export.encode("utf-8")) > MAX_EXPORT:
        raise SpecError("export", export, "at most %d bytes (NBD_MAX_STRING_SIZE)" % MAX_EXPORT)
    options = opt.normalize_options(spec, OPTIONS)
    for name in _GATED:
        if name in options and not has("nbd_" + name, version):
            raise SpecError("options." + name, options[name],
                            "needs QEMU >= %s" % version_text(QEMU_GATES["nbd_" + name].since))
    if "socket" in servers[0] and "tls_creds" in options and "tls_hostname" not in options:
        # iotest 233: 'No hostname for certificate validation'
        raise SpecError("options.tls_hostname", None,
                        "required with tls_creds over a Unix socket (QEMU has no host name to check)")
    out = {"protocol": "nbd", "servers": servers, "export": export}
    if options:
        out["options"] = options
    return out


def uri(spec, version, omit=False):
    if spec.get("options") and not omit:
        raise opt.unexpressible(spec["options"], "URI", "nbd")
    server = spec["servers"][0]
    if has("glib_uri_dot_segments", version) and {".", ".."} & set(spec["export"].split("/")):
        # GLib's g_uri_parse removes dot segments from the path (RFC 3986 5.2.4), also when
        # written as %2E: QEMU >= 9.1 would ask the server for another export.
        raise SpecError("export", spec["export"], "a '.' or '..' segment is removed from an NBD URI by QEMU %s "
                        "(%s); use qemu_drive_opts or qemu_blockdev for this export"
                        % (version_text(version), QEMU_GATES["glib_uri_dot_segments"].source))
    export = quote_path(spec["export"])
    if "socket" in server:
        return "nbd+unix:///%s?socket=%s" % (export, quote_query_value(server["socket"], version))
    return "nbd://%s%s" % (host_port(server, DEFAULT_PORT), "/" + export if export else "")


def legacy(spec, version, omit=False):
    """nbd:HOST:PORT[:exportname=E] / nbd:unix:PATH[:exportname=E] (nbd_parse_filename)."""
    if spec.get("options") and not omit:
        raise opt.unexpressible(spec["options"], "legacy nbd: string", "nbd")
    server, export = spec["servers"][0], spec["export"]
    if "socket" in server:
        if ":exportname=" in server["socket"]:
            raise SpecError(server_field(0, "socket"), server["socket"], "cannot contain ':exportname=' in the legacy form")
        text = "nbd:unix:%s" % server["socket"]
    else:
        text = "nbd:" + host_port(server)
    if export:
        text += ":exportname=" + export
    if "://" in text:
        # block/nbd.c sends any filename containing '://' to the URI parser.
        raise SpecError("export" if "://" in export else server_field(0, "socket"), export or server.get("socket"),
                        "the legacy form cannot contain '://'; use the URI form")
    return text


def blockdev(spec, version):
    node = {"driver": "nbd", "server": socket_address(spec["servers"][0])}
    if spec["export"]:
        node["export"] = spec["export"]
    options = spec.get("options", {})
    for name in ("tls_creds", "tls_hostname", "reconnect_delay", "open_timeout"):
        if name in options:
            node[name.replace("_", "-")] = options[name]
    return node


def disk_unexpressible(spec, disk):
    """Options the <source protocol='nbd'> of this libvirt cannot carry."""
    allowed = {"tls_creds", "tls_hostname"}
    if libvirt_has("nbd_reconnect", disk.libvirt_version):
        allowed.add("reconnect_delay")  # <reconnect delay=>
    return set(spec.get("options", {})) - allowed


def disk_source(spec, source, host_el, disk):
    source.set("protocol", "nbd")
    if spec["export"]:
        source.set("name", spec["export"])
    options = spec.get("options", {})
    if "tls_creds" in options:
        source.set("tls", "yes")  # libvirt brings its own x509 credentials (qemu.conf nbd_tls_*)
    if "tls_hostname" in options:
        source.set("tlsHostname", options["tls_hostname"])
    host_el(spec["servers"][0])
    if "reconnect_delay" in options and libvirt_has("nbd_reconnect", disk.libvirt_version):
        ET.SubElement(source, "reconnect", {"delay": str(options["reconnect_delay"])})


def from_uri(parts, text):
    scheme = parts["scheme"]
    path = unquote_strict(parts["path"], "export")
    export = path[1:] if path.startswith("/") else path
    spec = {"protocol": "nbd", "export": export}
    if parts["authority"] is None:
        # Without '://' block/nbd.c uses the legacy parser
        # (nbd_parse_filename), which wants 'nbd:'.
        raise SpecError("uri", text, "an NBD URI needs '//': nbd://HOST[:PORT]/EXPORT or "
                        "nbd+unix:///EXPORT?socket=PATH")
    if scheme == "nbd+unix":
        params = parse_query(parts["query"], text, parts["qemu_version"])
        if parts["host"] or parts["port"] or list(params) != ["socket"]:
            raise SpecError("uri", text, "nbd+unix URIs take no host or port and exactly one "
                            "query parameter: nbd+unix:///EXPORT?socket=PATH")
        spec["server"] = {"socket": params["socket"]}
        return spec
    if not parts["host"]:
        raise SpecError("uri", text, "an NBD TCP URI needs a host: nbd://HOST[:PORT]/EXPORT")
    if parts["query"] is not None:
        raise SpecError("uri", text, "QEMU rejects any query parameter in an NBD TCP URI")
    spec["server"] = {"host": parts["host"], "port": parts["port"] or DEFAULT_PORT}
    return spec


def from_legacy(text):
    """Inverse of legacy(), following nbd_parse_filename()."""
    body = text[len("nbd:"):]
    export = ""
    cut = body.find(":exportname=")
    if cut >= 0:
        body, export = body[:cut], body[cut + len(":exportname="):]
        if export == "":
            raise SpecError("uri", text, "an empty exportname= leaves no server (QEMU: NBD server address missing)")
    if body.startswith("unix:"):
        return {"protocol": "nbd", "server": {"socket": body[len("unix:"):]}, "export": export}
    if body.startswith("["):
        end = body.find("]")
        host, port = body[1:end], body[end + 2:] if body[end + 1:end + 2] == ":" else ""
    else:
        host, _sep, port = body.rpartition(":")
        if ":" in host:
            # util/qemu-sockets.c: inet_parse reads the host up to the first ':' unless it is in
            # brackets; QEMU 7.2 reads 'nbd:::1:5' as host '' and port ':1:5'.
            raise SpecError("uri", text, "an IPv6 host needs brackets in the legacy form: nbd:[HOST]:PORT")
    if not host or not port:
        raise SpecError("uri", text, "the legacy form needs HOST:PORT (the port is mandatory)")
    check_port(port, "port")
    check_qemu_host(host, "host")
    return {"protocol": "nbd", "server": {"host": host, "port": int(port)}, "export": export}


def from_blockdev(node):
    """A nbd node back to a spec; the legacy flat host/port/path keys as
    block/nbd.c: nbd_process_legacy_socket_options reads them."""
    legacy = [key for key in ("host", "port", "path") if node.has(key)]
    if legacy and node.has("server"):
        raise SpecError(node.where(legacy[0]), node.raw(legacy[0]),
                        "Cannot use 'server' and path/host/port at the same time")
    if node.has("path") and node.has("host"):
        raise SpecError(node.where("path"), node.raw("path"), "path and host may not be used at the same time")
    if node.has("port") and not node.has("host"):
        raise SpecError(node.where("port"), node.raw("port"), "port may not be used without host")
    if node.has("host"):
        server = {"host": node.text("host"), "port": node.text("port") or DEFAULT_PORT}
    elif node.has("path"):
        server = {"socket": node.text("path")}
    elif node.has("server"):
        server = server_from_address(node.child("server", node.tree_at("server")))
    else:
        raise SpecError(node.where("server"), None, "NBD server address missing")
    spec = {"protocol": "nbd", "server": server, "export": node.text("export") or ""}
    options = {}
    for name in ("tls_creds", "tls_hostname"):
        value = node.text(name.replace("_", "-"))
        if value is not None:
            options[name] = value
    for name in ("reconnect_delay", "open_timeout"):
        value = node.integer(name.replace("_", "-"))
        if value is not None:
            options[name] = value
    if options:
        spec["options"] = options
    return spec


def from_disk_source(source, servers):
    """<source protocol='nbd' name='EXPORT' tls='yes' tlsHostname='...'> with <reconnect delay/>
    (formatdomain 'Hard drives')."""
    options = {}
    if source.get("tls") == "yes":
        # libvirt brings its own x509 credentials; a QEMU spec needs the tls-creds object's id.
        raise SpecError("source.tls", "yes", "libvirt's own NBD TLS credentials (qemu.conf nbd_tls_x509_cert_dir) "
                        "have no QEMU object id to put in options.tls_creds; read the -blockdev or json: form "
                        "QEMU was given instead")
    if source.get("tlsHostname") is not None:
        options["tls_hostname"] = source.get("tlsHostname")
    reconnect = source.find("reconnect")
    if reconnect is not None and reconnect.get("delay") is not None:
        options["reconnect_delay"] = reconnect.get("delay")  # libvirt >= 9.2 (libvirt/versions.py)
    spec = {"protocol": "nbd", "servers": servers, "export": source.get("name") or ""}
    if options:
        spec["options"] = options
    return spec


PROTOCOL = Protocol(
    names=("nbd",), schemes=SCHEMES, keys=frozenset(KEYS), normalize=normalize, uri=uri, blockdev=blockdev,
    disk_source=disk_source, disk_unexpressible=disk_unexpressible, from_uri=from_uri, from_blockdev=from_blockdev,
    from_disk_source=from_disk_source, options=OPTIONS, legacy=legacy, from_legacy=from_legacy,
    disk_children=("reconnect",),
)
