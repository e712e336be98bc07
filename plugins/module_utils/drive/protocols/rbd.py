# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ceph RBD: the legacy rbd:pool[/namespace]/image[@snap][:key=value...] string and the QAPI
BlockdevOptionsRbd node (qapi/block-core.json). RBD has no URI form.

The cephx key never goes into a string: it is the id of a QEMU secret object (key_secret,
QAPI 'key-secret'), whose data QEMU hands to librados base64-encoded
(block/rbd.c: qemu_rbd_set_auth, qcrypto_secret_lookup_as_base64), so the object is created
with format=base64 and the key as `ceph auth get-key` prints it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive import options as opt
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import (
    check_qemu_host, check_keys, check_port, need_str,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.servers import host_port, normalize_servers
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.versions import QEMU_GATES, has, version_text
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml_parts import GENERIC_NAME_RE, auth_element
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.protocol import Protocol

SCHEMES = ("rbd",)
DEFAULT_PORT = 6789  # the Ceph monitor's msgr v1 port (libvirt's and QEMU's documented default)
KEYS = {"protocol", "server", "servers", "pool", "namespace", "image", "snapshot", "user", "key_secret",
        "conf", "options"}
AUTH_MODES = ("cephx", "none")  # QAPI RbdAuthMode
# spec field -> versions.QEMU_GATES key (qapi/block-core.json 'Since'); the node exists since 2.9.
_GATES = {"namespace": "rbd_namespace", "key_secret": "rbd_key_secret",
          "options.auth_client_required": "rbd_auth_client_required"}
# qemu_rbd_next_tok() skips the character after a backslash; qemu_rbd_unescape() drops the
# backslash. These are the delimiters of the legacy string (pool '/', namespace '/', '@' snap,
# ':' options, '=' option names) and the backslash itself.
_LEGACY_SPECIAL = re.compile(r"([\\/@:=])")
_MON_HOST_RE = re.compile(r"^(?:\[([0-9A-Fa-f:.]+)\]|([^:\[\]]+))(?::([0-9]+))?$")


def _auth_modes(value, field):
    if isinstance(value, str):
        value = [value]
    if isinstance(value, (bytes, dict)) or not hasattr(value, "__iter__") or hasattr(value, "keys"):
        raise SpecError(field, value, "expected a list of: %s" % ", ".join(AUTH_MODES))
    modes = list(value)
    if not modes:
        raise SpecError(field, modes, "expected at least one of: %s" % ", ".join(AUTH_MODES))
    for mode in modes:
        if mode not in AUTH_MODES:
            raise SpecError(field, modes, "expected a list of: %s" % ", ".join(AUTH_MODES))
    if len(set(modes)) != len(modes):
        raise SpecError(field, modes, "each mode at most once")
    return modes


OPTIONS = {"auth_client_required": _auth_modes}


def _name(spec, key, required):
    if spec.get(key) is None:
        if required:
            what = {"pool": "the Ceph pool name", "image": "the RBD image name"}[key]
            raise SpecError(key, None, "required: %s" % what)
        return None
    return need_str(spec[key], key)


def normalize(spec, version):
    check_keys(spec, "", KEYS)
    out = {"protocol": "rbd", "pool": _name(spec, "pool", True)}
    namespace = spec.get("namespace")
    if namespace is not None and namespace != "":
        out["namespace"] = need_str(namespace, "namespace")
    out["image"] = _name(spec, "image", True)
    for key in ("snapshot", "user"):
        if spec.get(key) is not None:
            out[key] = need_str(spec[key], key)
    if spec.get("key_secret") is not None:
        out["key_secret"] = opt.need_object_id(spec["key_secret"], "key_secret")
    if spec.get("conf") is not None:
        conf = need_str(spec["conf"], "conf")
        if not conf.startswith("/"):
            raise SpecError("conf", conf, "expected an absolute path to a ceph.conf file")
        out["conf"] = conf
    if "server" in spec or "servers" in spec:
        out["servers"] = normalize_servers(spec, DEFAULT_PORT, many=True)
    options = opt.normalize_options(spec, OPTIONS)
    if options:
        out["options"] = options
    for key, gate in _GATES.items():
        name = key.rsplit(".", maxsplit=1)[-1]
        present = name in options if key.startswith("options.") else key in out
        if present and not has(gate, version):
            raise SpecError(key, options[name] if key.startswith("options.") else out[key],
                            "needs QEMU >= %s (qapi/block-core.json BlockdevOptionsRbd)"
                            % version_text(QEMU_GATES[gate].since))
    return out


def _escape(text):
    return _LEGACY_SPECIAL.sub(r"\\\1", text)


def _mon_host(servers):
    """librados mon_host: host:port entries, IPv6 in brackets, ';'-separated (as
    block/rbd.c: qemu_rbd_mon_host builds it from the QAPI server list)."""
    return ";".join(host_port(server) for server in servers)


def uri(spec, version, omit=False):
    raise SpecError("syntax", "uri", "RBD has no URI form in QEMU; use syntax='legacy' for the "
                    "rbd:pool/image string, or qemu_drive_opts / qemu_blockdev")


def legacy(spec, version, omit=False):
    """rbd:POOL[/NAMESPACE]/IMAGE[@SNAP][:id=USER][:conf=FILE][:mon_host=...] (qemu_rbd_parse_filename).

    Servers go into the mon_host key=value pair, which QEMU >= 6.0 accepts with a deprecation
    warning; the key secret and auth_client_required have no place in the string.
    """
    dropped = list(spec.get("options", {}))
    if "key_secret" in spec:
        dropped.append("key_secret")
    if dropped and not omit:
        raise opt.unexpressible(dropped, "legacy rbd: string", "rbd",
                                "qemu_drive_opts, qemu_blockdev or libvirt_disk_xml (or give "
                                "file.key-secret next to the string)")
    text = "rbd:" + _escape(spec["pool"])
    if "namespace" in spec:
        text += "/" + _escape(spec["namespace"])
    text += "/" + _escape(spec["image"])
    if "snapshot" in spec:
        text += "@" + _escape(spec["snapshot"])
    if "user" in spec:
        text += ":id=" + _escape(spec["user"])
    if "conf" in spec:
        text += ":conf=" + _escape(spec["conf"])
    if "servers" in spec:
        text += ":mon_host=" + _escape(_mon_host(spec["servers"]))
    return text


def blockdev(spec, version):
    node = {"driver": "rbd", "pool": spec["pool"]}
    for key in ("namespace", "image", "conf", "snapshot", "user"):
        if key in spec:
            node[key] = spec[key]
    if "key_secret" in spec:
        node["key-secret"] = spec["key_secret"]
    options = spec.get("options", {})
    if "auth_client_required" in options:
        node["auth-client-required"] = list(options["auth_client_required"])
    if "servers" in spec:
        # InetSocketAddressBase: ports are strings
        node["server"] = [{"host": s["host"], "port": str(s["port"])} for s in spec["servers"]]
    return node


def disk_unexpressible(spec, disk):  # pylint: disable=unused-argument
    """<source protocol='rbd'> carries no option, nor a namespace: libvirt splits name='pool/image'
    at the first '/'."""
    return set(spec.get("options", {})) | ({"namespace"} if "namespace" in spec else set())


def disk_source(spec, source, host_el, disk):
    # libvirt splits name='POOL/IMAGE' at the first '/' (src/conf/domain_conf.c:
    # virDomainDiskSourceNetworkParse) and has no escape: a '/' in the pool is read as part of
    # the image (libvirt 9.0 and 11.3, tests/live/libvirt/test_rbd_disk_name_live.py); a '/'
    # in the image stays in the image, so it is accepted.
    if "/" in spec["pool"]:
        raise SpecError("pool", spec["pool"], "libvirt's <source protocol='rbd' name='POOL/IMAGE'> cannot carry a "
                        "'/' in the pool (libvirt reads 'a/b' + 'c' as pool 'a', image 'b/c'); use the QEMU "
                        "forms (legacy rbd: string, options, json:, blockdev)")
    source.set("protocol", "rbd")
    source.set("name", "%s/%s" % (spec["pool"], spec["image"]))
    for server in spec.get("servers", ()):
        host_el(server)
    _disk_extras(spec, source, disk)


def _disk_extras(spec, source, disk):
    """<auth> with a libvirt 'ceph' secret in place of the QEMU key_secret, <snapshot>, <config>."""
    if disk.secret_usage is not None and disk.secret_uuid is not None:
        raise SpecError("secret_usage", disk.secret_usage, "give secret_usage or secret_uuid, not both")
    if "key_secret" in spec and not disk.has_secret:
        raise SpecError("key_secret", spec["key_secret"], "in libvirt XML the cephx key comes from a libvirt "
                        "secret of type 'ceph': give secret_usage or secret_uuid")
    if "user" in spec:
        if not disk.has_secret:
            raise SpecError("user", spec["user"], "libvirt's <auth username> needs a libvirt 'ceph' secret: "
                            "give secret_usage or secret_uuid")
        if not GENERIC_NAME_RE.match(spec["user"]):
            raise SpecError("user", spec["user"], "libvirt's domain schema allows only letters, digits, '_', "
                            "'+' and '-' in an RBD user name")
        auth_element(source, spec["user"], "ceph", disk.secret_usage, disk.secret_uuid)
    elif disk.has_secret:
        raise SpecError("user", None, "required with secret_usage / secret_uuid (libvirt's <auth username>)")
    if "snapshot" in spec:
        if not GENERIC_NAME_RE.match(spec["snapshot"]):
            raise SpecError("snapshot", spec["snapshot"], "libvirt's domain schema allows only letters, "
                            "digits, '_', '+' and '-' in an RBD snapshot name")
        ET.SubElement(source, "snapshot", {"name": spec["snapshot"]})
    if "conf" in spec:
        if "\n" in spec["conf"] or "\r" in spec["conf"]:
            raise SpecError("conf", spec["conf"], "libvirt's domain schema (absFilePath) allows no newline")
        ET.SubElement(source, "config", {"file": spec["conf"]})


def _unescape(text):
    """qemu_rbd_unescape(): a backslash makes the next character literal (a trailing one stays)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            i += 1
        out.append(text[i])
        i += 1
    return "".join(out)


def _next_tok(text, delim):
    """qemu_rbd_next_tok() / qemu_rbd_strchr(): (token, rest or None) split at the first
    unescaped `delim` (a backslash hides the character after it)."""
    i = 0
    while i < len(text):
        if text[i] == delim:
            return text[:i], text[i + 1:]
        if text[i] == "\\" and i + 1 < len(text):
            i += 1
        i += 1
    return text, None


def _parse_mon_host(value, text):
    servers = []
    for entry in re.split(r"[;, ]+", value.strip()):
        match = _MON_HOST_RE.match(entry)
        if not match:
            raise SpecError("uri", text, "cannot read the mon_host entry %r (host[:port], IPv6 in brackets)" % entry)
        host = check_qemu_host(match.group(1) or match.group(2), "servers.host")
        port = check_port(match.group(3), "servers.port") if match.group(3) else DEFAULT_PORT
        servers.append({"host": host, "port": port})
    return servers


def from_legacy(text):
    """Inverse of legacy(), following qemu_rbd_parse_filename()."""
    rest = text[len("rbd:"):]
    pool, rest = _next_tok(rest, "/")
    if rest is None:
        raise SpecError("uri", text, "QEMU: 'Pool name is required' (rbd:POOL/IMAGE)")
    spec = {"protocol": "rbd", "pool": _unescape(pool)}
    if _next_tok(rest, "@")[1] is not None:  # qemu_rbd_strchr(): an unescaped '@'
        image, rest = _next_tok(rest, "@")
        snapshot, rest = _next_tok(rest, ":")
        spec["snapshot"] = _unescape(snapshot)
    else:
        image, rest = _next_tok(rest, ":")
    namespace, tail = _next_tok(image, "/")
    if tail is not None:  # QEMU >= 5.0: pool/namespace/image
        spec["namespace"], image = _unescape(namespace), tail
    spec["image"] = _unescape(image)
    while rest is not None:
        name, rest = _next_tok(rest, "=")
        if rest is None:
            raise SpecError("uri", text, "QEMU: 'conf option %s has no value'" % _unescape(name))
        name = _unescape(name)
        value, rest = _next_tok(rest, ":")
        value = _unescape(value)
        if name == "conf":
            spec["conf"] = value
        elif name == "id":
            spec["user"] = value
        elif name == "mon_host":
            spec["servers"] = _parse_mon_host(value, text)
        else:
            # librados settings (key, auth_supported, ...) go straight to rados_conf_set();
            # a key in clear is a secret in a string, the rest is not part of the drive spec.
            raise SpecError("uri", "rbd:..." if name == "key" else text,
                            "the legacy option '%s' is not part of the rbd drive spec (accepted: id, conf, "
                            "mon_host); give the key as key_secret, other Ceph settings in the conf file"
                            % name)
    return spec


def from_uri(parts, text):
    """'rbd:' strings are never URIs: the registry's scheme lookup lands here."""
    return from_legacy(text)


def from_blockdev(node):
    """An rbd node back to a spec (QAPI BlockdevOptionsRbd; block/rbd.c: qemu_rbd_open). A -drive /
    json: node's legacy 'filename' never reaches here: parse_tree takes it off and reads it as a filename."""
    spec = {"protocol": "rbd", "pool": node.text("pool", required="the pool"),
            "image": node.text("image", required="the image")}
    for key in ("namespace", "snapshot", "conf", "user"):
        value = node.text(key)
        if value is not None:
            spec[key] = value
    raw = node.tree_at("server")
    if raw is not None:
        if not isinstance(raw, (list, tuple)) or not raw:
            raise SpecError(node.where("server"), raw, "expected a non-empty list of monitor addresses")
        servers = []
        for index, entry in enumerate(raw):
            addr = node.child("server.%d" % index, entry)
            servers.append({"host": addr.text("host", required="the monitor host"),
                            "port": addr.text("port", required="the monitor port (a string in QAPI)")})
            addr.finish()
        spec["servers"] = servers
    secret = node.text("key-secret")
    if secret is not None:
        spec["key_secret"] = secret
    modes = node.tree_at("auth-client-required")
    if modes is not None:
        spec["options"] = {"auth_client_required": modes}
    return spec


def from_disk_source(source, servers):
    """<source protocol='rbd' name='POOL/IMAGE'> with monitors as <host>, <snapshot>, <config>
    (the <auth> element is read by the caller)."""
    pool, sep, image = (source.get("name") or "").partition("/")
    if not sep:
        raise SpecError("source.name", source.get("name"), "expected POOL/IMAGE")
    spec = {"protocol": "rbd", "pool": pool, "image": image}
    if servers:
        spec["servers"] = servers
    snapshot = source.find("snapshot")
    if snapshot is not None:
        spec["snapshot"] = snapshot.get("name")
    config = source.find("config")
    if config is not None:
        spec["conf"] = config.get("file")
    return spec


PROTOCOL = Protocol(
    names=("rbd",), schemes=SCHEMES, keys=frozenset(KEYS), normalize=normalize, uri=uri, blockdev=blockdev,
    disk_source=disk_source, disk_unexpressible=disk_unexpressible, from_uri=from_uri, from_blockdev=from_blockdev,
    from_disk_source=from_disk_source, options=OPTIONS, legacy=legacy,
    disk_children=("auth", "snapshot", "config"),
)
