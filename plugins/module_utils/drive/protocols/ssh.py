# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SSH: ssh:// URIs, the ssh driver's options and libvirt's ssh disk (libvirt >= 11.3)
(QEMU block/ssh.c: parse_uri, ssh_process_legacy_options)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive import options as opt
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import (
    check_keys, is_ipv6, need_str,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.servers import (
    host_port, normalize_servers, server_field, server_from_address, socket_address,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.versions import has
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.uri_text import (
    parse_query, quote_path, quote_userinfo, unquote_strict,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.protocol import Protocol
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml_parts import GENERIC_NAME_RE, XML_BAD

SCHEMES = ("ssh",)
DEFAULT_PORT = 22
KEYS = {"protocol", "server", "servers", "path", "user", "options"}
_HASH_RE = re.compile(r"^(md5|sha1|sha256):([0-9A-Fa-f]{2}(?::?[0-9A-Fa-f]{2})*)\Z")  # \Z: "$" matches before a final newline
_HASH_LEN = {"md5": 16, "sha1": 20, "sha256": 32}


def _host_key_check(value, field):
    if value is True or value is False:
        return "yes" if value else "no"
    text = need_str(value, field)
    if text in ("yes", "no"):
        return text
    match = _HASH_RE.match(text)
    if not match:
        raise SpecError(field, text, "expected 'yes' (known_hosts), 'no', or md5:HEX, sha1:HEX, sha256:HEX "
                        "(hex digits, optionally ':'-separated)")
    digits = match.group(2).replace(":", "")
    if len(digits) != 2 * _HASH_LEN[match.group(1)]:
        raise SpecError(field, text, "a %s fingerprint has %d bytes" % (match.group(1), _HASH_LEN[match.group(1)]))
    return text


OPTIONS = {"host_key_check": _host_key_check}


def normalize(spec, version):
    check_keys(spec, "", KEYS)
    servers = normalize_servers(spec, DEFAULT_PORT)
    if "path" not in spec:
        raise SpecError("path", None, "required: the path of the image on the server")
    # block/ssh.c: connect_to_ssh() hands the path to sftp_open() as is, so a relative path
    # is relative to the login directory (tests/live/drive/test_version_gates_live.py).
    path = need_str(spec["path"], "path")
    out = {"protocol": "ssh", "servers": servers, "path": path}
    if spec.get("user") is not None:
        out["user"] = need_str(spec["user"], "user")
    options = opt.normalize_options(spec, OPTIONS)
    if options.get("host_key_check") == "yes":
        del options["host_key_check"]  # the default: check ~/.ssh/known_hosts
    if options:
        out["options"] = options
    return out


def uri(spec, version, omit=False):
    server = spec["servers"][0]
    check = spec.get("options", {}).get("host_key_check")
    if is_ipv6(server["host"]) and not has("ssh_ipv6_uri", version):
        # util/uri.c (<= 9.0) keeps the brackets, so libssh is asked to resolve '[::1]'.
        raise SpecError(server_field(0, "host"), server["host"], "QEMU < 9.1 cannot read an IPv6 address in an ssh "
                        "URI; use qemu_drive_opts or qemu_blockdev")
    if check and check.startswith("sha256:") and not has("ssh_sha256_uri", version):
        raise SpecError("options.host_key_check", check, "sha256 in a URI needs QEMU >= 7.0; use md5/sha1 "
                        "or qemu_blockdev (sha256 there since 6.1)")
    if not spec["path"].startswith("/"):
        # ssh_parse_uri() takes the URI path, which always starts with '/' after the host.
        raise SpecError("path", spec["path"], "a relative path has no ssh URI form (ssh://HOST/P opens '/P'); "
                        "use qemu_drive_opts or qemu_blockdev")
    user = quote_userinfo(spec["user"]) + "@" if "user" in spec else ""
    query = "?host_key_check=" + check if check else ""
    return "ssh://%s%s%s%s" % (user, host_port(server, DEFAULT_PORT), quote_path(spec["path"]), query)


def blockdev(spec, version):
    node = {"driver": "ssh", "server": socket_address(spec["servers"][0], typed=False), "path": spec["path"]}
    if "user" in spec:
        node["user"] = spec["user"]
    check = spec.get("options", {}).get("host_key_check")
    if check == "no":
        node["host-key-check"] = {"mode": "none"}
    elif check:
        kind, digits = check.split(":", 1)
        if kind == "sha256" and not has("ssh_sha256", version):
            raise SpecError("options.host_key_check", check, "sha256 needs QEMU >= 6.1")
        node["host-key-check"] = {"mode": "hash", "type": kind, "hash": digits}
    return node


def disk_unexpressible(spec, disk):
    dropped = set(spec.get("options", {}))
    if "user" in spec and disk.ssh_keyfile is None and disk.ssh_agent_socket is None:
        dropped.add("user")  # <identity username=> needs keyfile= or agentsock=
    return dropped


def disk_source(spec, source, host_el, disk):
    source.set("protocol", "ssh")
    source.set("name", spec["path"])
    host_el(spec["servers"][0])
    if "user" in spec and (disk.ssh_keyfile is not None or disk.ssh_agent_socket is not None):
        _identity(source, spec["user"], disk.ssh_keyfile, disk.ssh_agent_socket)


def _identity(source, user, keyfile, agent_socket):
    """<identity username= keyfile=|agentsock=> (domaincommon.rng: diskSourceNetworkProtocolSSHKeyDef)."""
    if (keyfile is None) == (agent_socket is None):
        raise SpecError("ssh_keyfile", keyfile, "an ssh user in libvirt XML needs exactly one of ssh_keyfile "
                        "or ssh_agent_socket")
    if not GENERIC_NAME_RE.match(user):
        raise SpecError("user", user, "libvirt's domain schema allows only letters, digits, '_', '+' and '-' "
                        "in an ssh user name")
    name, path = ("ssh_keyfile", keyfile) if keyfile is not None else ("ssh_agent_socket", agent_socket)
    if not isinstance(path, str) or not path.startswith("/") or "\n" in path or XML_BAD.search(path):
        raise SpecError(name, path, "an absolute path without newlines (libvirt's absFilePath)")
    ET.SubElement(source, "identity", {"username": user, "keyfile" if keyfile is not None else "agentsock": path})


def from_uri(parts, text):
    if not parts["host"]:
        raise SpecError("uri", text, "missing hostname in URI (ssh://[USER@]HOST[:PORT]/PATH)")
    if not parts["path"]:
        raise SpecError("uri", text, "missing remote path in URI")
    spec = {"protocol": "ssh", "server": {"host": parts["host"], "port": parts["port"] or DEFAULT_PORT},
            "path": unquote_strict(parts["path"], "path")}
    if parts["userinfo"] is not None:
        spec["user"] = unquote_strict(parts["userinfo"], "user")
    params = parse_query(parts["query"], text, parts["qemu_version"])
    unknown = set(params) - {"host_key_check"}
    if unknown:
        raise SpecError("uri", text, "unsupported query parameter(s) %s; only host_key_check" % ", ".join(sorted(unknown)))
    if "host_key_check" in params:
        spec["options"] = {"host_key_check": params["host_key_check"]}
    return spec


def from_blockdev(node):
    """An ssh node back to a spec; the legacy flat host/port/host_key_check keys as
    block/ssh.c: ssh_process_legacy_options reads them."""
    legacy = [key for key in ("host", "port") if node.has(key)]
    if legacy and node.has("server"):
        raise SpecError(node.where(legacy[0]), node.raw(legacy[0]), "Cannot use 'server' and host/port at the "
                        "same time (block/ssh.c)")
    if node.has("port") and not node.has("host"):
        raise SpecError(node.where("port"), node.raw("port"), "port may not be used without host")
    if node.has("host"):
        server = {"host": node.text("host"), "port": node.text("port") or DEFAULT_PORT}
    elif node.has("server"):
        server = server_from_address(node.child("server", node.tree_at("server")), typed=False)
    else:
        raise SpecError(node.where("server"), None, "required: Parameter 'server' is missing")
    spec = {"protocol": "ssh", "server": server, "path": node.text("path", required="the image path")}
    user = node.text("user")
    if user is not None:
        spec["user"] = user
    check = None
    if node.has("host_key_check") and not node.strict:
        check = node.text("host_key_check")  # 'no', 'yes', 'md5:HEX', ... as in the URI
    if node.has("host-key-check"):
        if check is not None:
            raise SpecError(node.where("host_key_check"), check, "give host-key-check or host_key_check, not both")
        hkc = node.child("host-key-check", node.tree_at("host-key-check"))
        mode = hkc.text("mode", required="none, known_hosts or hash")
        if mode == "none":
            check = "no"
        elif mode == "known_hosts":
            check = "yes"
        elif mode == "hash":
            kind = hkc.text("type", required="md5, sha1 or sha256")
            check = "%s:%s" % (kind, hkc.text("hash", required="the fingerprint in hex"))
        else:
            raise SpecError(hkc.where("mode"), mode, "expected none, known_hosts or hash")
        hkc.finish()
    if check is not None:
        spec["options"] = {"host_key_check": check}
    return spec


def from_disk_source(source, servers):
    """<source protocol='ssh' name='PATH'> with <identity username=> (libvirt 11.3's schema; 9.0's has
    no ssh disk: libvirt/versions.py LIBVIRT_GATES['ssh_disk'])."""
    spec = {"protocol": "ssh", "servers": servers, "path": source.get("name") or ""}
    identity = source.find("identity")
    if identity is not None and identity.get("username") is not None:
        spec["user"] = identity.get("username")
    return spec


PROTOCOL = Protocol(
    names=("ssh",), schemes=SCHEMES, keys=frozenset(KEYS), normalize=normalize, uri=uri, blockdev=blockdev,
    disk_source=disk_source, disk_unexpressible=disk_unexpressible, from_uri=from_uri, from_blockdev=from_blockdev,
    from_disk_source=from_disk_source, options=OPTIONS, disk_since="ssh_disk", disk_children=("identity",),
)
