# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sheepdog (QEMU <= 6.0 only): URIs, the legacy form, options (QEMU 5.2
block/sheepdog.c: sd_parse_uri, parse_vdiname)."""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import (
    check_keys, is_decimal, need_int, need_str,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.servers import (
    host_port, normalize_servers, server_field, server_from_address, socket_address,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.uri_text import (
    parse_query, quote_path, quote_query_value, unquote_strict,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.versions import has, version_text
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.protocol import Protocol

SCHEMES = ("sheepdog", "sheepdog+tcp", "sheepdog+unix")
DEFAULT_PORT = 7000
KEYS = {"protocol", "server", "servers", "vdi", "snapshot"}
MAX_NAME = 255  # SD_MAX_VDI_LEN / SD_MAX_VDI_TAG_LEN


def _snapshot(value):
    """A non-zero snapshot id (int) or a tag (string that is not all digits 0-9: block/sheepdog.c
    sd_parse_uri reads the fragment with strtoul, and takes it as a tag when that reads 0)."""
    if is_decimal(value):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return need_int(value, "snapshot", 1, 4294967295)
    tag = need_str(value, "snapshot")
    if len(tag.encode("utf-8")) > MAX_NAME:
        raise SpecError("snapshot", tag, "a tag has at most %d bytes" % MAX_NAME)
    return tag


def normalize(spec, version):
    if not has("sheepdog", version):
        raise SpecError("protocol", "sheepdog", "the sheepdog driver was removed in QEMU 6.1 (qemu_version=%s); "
                        "set qemu_version to the older QEMU that runs it" % version_text(version))
    check_keys(spec, "", KEYS)
    if "server" not in spec and "servers" not in spec:
        spec = dict(spec, server={"host": "localhost"})  # sheepdog's own default
    servers = normalize_servers(spec, DEFAULT_PORT, unix=True)
    if "vdi" not in spec:
        raise SpecError("vdi", None, "required: the VDI name")
    vdi = need_str(spec["vdi"], "vdi")
    if len(vdi.encode("utf-8")) > MAX_NAME:
        raise SpecError("vdi", vdi, "VDI name is too long (at most %d bytes)" % MAX_NAME)
    out = {"protocol": "sheepdog", "servers": servers, "vdi": vdi}
    if spec.get("snapshot") is not None:
        out["snapshot"] = _snapshot(spec["snapshot"])
    return out


def uri(spec, version, omit=False):
    server = spec["servers"][0]
    frag = "" if "snapshot" not in spec else "#" + quote_path(str(spec["snapshot"]))
    if "socket" in server:
        socket = quote_query_value(server["socket"], version)
        return "sheepdog+unix:///%s?socket=%s%s" % (quote_path(spec["vdi"]), socket, frag)
    return "sheepdog://%s/%s%s" % (host_port(server), quote_path(spec["vdi"]), frag)


def legacy(spec, version, omit=False):
    """sheepdog:[host:port:]vdi[:snapid|:tag]; rebuilt by QEMU into a URI, so no ':' or '/' inside."""
    server = spec["servers"][0]
    if "socket" in server:
        raise SpecError(server_field(0, "socket"), server["socket"], "the legacy sheepdog: form has no Unix socket; use the URI")
    parts = [server["host"], str(server["port"]), spec["vdi"]]
    if "snapshot" in spec:
        parts.append(str(spec["snapshot"]))
    for name, value in ((server_field(0, "host"), server["host"]), ("vdi", spec["vdi"]),
                        ("snapshot", str(spec.get("snapshot", "")))):
        if set(value) & set(":/?#%"):
            raise SpecError(name, value, "the legacy sheepdog: form cannot carry ':', '/', '?', '#' or '%'; use the URI")
    return "sheepdog:" + ":".join(parts)


def blockdev(spec, version):
    node = {"driver": "sheepdog", "server": socket_address(spec["servers"][0]), "vdi": spec["vdi"]}
    snap = spec.get("snapshot")
    if isinstance(snap, int):
        node["snap-id"] = snap
    elif snap is not None:
        node["tag"] = snap
    return node


def disk_unexpressible(spec, disk):  # pylint: disable=unused-argument
    """<source protocol='sheepdog' name='VDI'> names no snapshot and carries no option."""
    return set(spec.get("options", {})) | ({"snapshot"} if "snapshot" in spec else set())


def disk_source(spec, source, host_el, disk):  # pylint: disable=unused-argument
    source.set("protocol", "sheepdog")
    source.set("name", spec["vdi"])
    host_el(spec["servers"][0])


def from_uri(parts, text):
    if parts["authority"] is None:
        raise SpecError("uri", text, "a sheepdog URI needs '//': sheepdog[+tcp|+unix]://[host:port]/vdi")
    vdi = unquote_strict(parts["path"], "vdi")[1:]
    if not vdi:
        raise SpecError("uri", text, "missing file path in URI")
    spec = {"protocol": "sheepdog", "vdi": vdi}
    params = parse_query(parts["query"], text, parts["qemu_version"])
    if parts["scheme"] == "sheepdog+unix":
        if parts["host"] or parts["port"] or list(params) != ["socket"]:
            raise SpecError("uri", text, "sheepdog+unix takes no server address and requires ?socket=PATH")
        spec["server"] = {"socket": params["socket"]}
    else:
        if params:
            raise SpecError("uri", text, "unexpected query parameters")
        spec["server"] = {"host": parts["host"] or "localhost", "port": parts["port"] or DEFAULT_PORT}
    if parts["fragment"]:
        spec["snapshot"] = unquote_strict(parts["fragment"], "snapshot")
    return spec


def from_legacy(text):
    fields = text[len("sheepdog:"):].split(":")
    spec = {"protocol": "sheepdog"}
    if len(fields) >= 3:
        spec["server"] = {"host": fields[0], "port": fields[1]}
        fields = fields[2:]
    if not fields or not fields[0] or len(fields) > 2:
        raise SpecError("uri", text, "expected sheepdog:[host:port:]vdi[:snapid|:tag]")
    spec["vdi"] = fields[0]
    if len(fields) == 2:
        spec["snapshot"] = fields[1]
    return spec


def from_blockdev(node):
    """A sheepdog node (QAPI BlockdevOptionsSheepdog, QEMU 2.9-5.2) back to a spec."""
    spec = {"protocol": "sheepdog", "vdi": node.text("vdi", required="the VDI name")}
    if node.has("server"):
        spec["server"] = server_from_address(node.child("server", node.tree_at("server")))
    snap_id, tag = node.integer("snap-id"), node.text("tag")
    tag = tag or None  # block/sheepdog.c: sd_open reads an empty tag as none
    if snap_id is not None and tag is not None:
        raise SpecError(node.where("tag"), tag, "give snap-id or tag, not both")
    if snap_id is not None or tag is not None:
        spec["snapshot"] = snap_id if snap_id is not None else tag
    return spec


def from_disk_source(source, servers):
    """<source protocol='sheepdog' name='VDI'>."""
    return {"protocol": "sheepdog", "servers": servers, "vdi": source.get("name") or ""}


PROTOCOL = Protocol(
    names=("sheepdog",), schemes=SCHEMES, keys=frozenset(KEYS), normalize=normalize, uri=uri,
    blockdev=blockdev, disk_source=disk_source, disk_unexpressible=disk_unexpressible, from_uri=from_uri, from_blockdev=from_blockdev,
    from_disk_source=from_disk_source, legacy=legacy, from_legacy=from_legacy,
)
