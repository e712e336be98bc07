# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""iSCSI: libiscsi URLs and QEMU's iscsi driver options (libiscsi lib/init.c:
iscsi_parse_full_url, iscsi_parse_url; QEMU block/iscsi.c: iscsi_open, apply_chap)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import quote

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive import options as opt
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.credentials import normalize_credentials
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import (
    check_qemu_host, check_keys, is_decimal, need_int, need_str,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.servers import host_port, normalize_servers
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.uri_text import unquote_strict
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.protocol import Protocol
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml_parts import secret_auth

SCHEMES = ("iscsi", "iser")
DEFAULT_PORT = 3260
KEYS = {"protocol", "server", "servers", "target", "lun", "user", "password", "password_secret",
        "credentials", "options"}
# libiscsi copies at most MAX_STRING_SIZE (255) bytes after 'iscsi://' and silently drops the rest.
MAX_URL_TAIL = 255
_DIGESTS = ("crc32c", "none", "crc32c-none", "none-crc32c")
# libiscsi splits the userinfo at the first '@', and user from password at the first '%'
# (else ':'); none of it is %-decoded, so these characters cannot be carried.
_BAD_USER = set("%:@/?#")
_BAD_PASSWORD = set("@/?#")


def _digest(value, field):
    if value not in _DIGESTS:
        raise SpecError(field, value, "expected one of: %s" % ", ".join(_DIGESTS))
    return value


def _transport(value, field):
    if value not in ("tcp", "iser"):
        raise SpecError(field, value, "expected 'tcp' or 'iser'")
    return value


OPTIONS = {
    "initiator_name": opt.as_str,
    "timeout": opt.as_uint32,
    "header_digest": _digest,
    "transport": _transport,
}


def normalize(spec, version):
    check_keys(spec, "", KEYS)
    servers = normalize_servers(spec, DEFAULT_PORT)
    if "target" not in spec:
        raise SpecError("target", None, "required: the target IQN, e.g. iqn.2001-04.com.example:storage")
    target = need_str(spec["target"], "target")
    if "/" in target:
        raise SpecError("target", target, "an iSCSI target name cannot contain '/' (libiscsi ends it there)")
    if "lun" not in spec:
        raise SpecError("lun", None, "required: the LUN number (0 for the first)")
    lun = need_int(spec["lun"], "lun", 0, None)
    if lun > 255:
        # libiscsi (lib/pdu.c: iscsi_pdu_set_lun) writes the LUN as a bare 16-bit number, with no
        # flat-space addressing bits: tgtd reads 257 as LUN 1 and 256 as LUN 0 (QEMU 7.2 and 10.0,
        # tests/live/drive/test_drive_differential_fuzz.py::test_iscsi_lun_above_255_is_misread).
        raise SpecError("lun", lun, "a LUN 0-255: libiscsi sends a higher LUN without the "
                        "flat-space addressing bits, and the target reads another LUN "
                        "(tgtd: 256 as LUN 0, 257 as LUN 1)")
    out = {"protocol": "iscsi", "servers": servers, "target": target, "lun": lun}
    out.update(normalize_credentials(spec, ("secret", "env", "inline")))
    if out.get("credentials") == "inline":
        if _BAD_USER & set(out["user"]):
            raise SpecError("user", out["user"], "libiscsi cannot carry %s in a URL user name"
                            % " ".join(sorted(_BAD_USER)))
        if _BAD_PASSWORD & set(out["password"]):
            raise SpecError("password", out["password"], "libiscsi cannot carry '@', '/', '?' or '#' in a "
                            "URL password; use credentials 'secret' (password_secret) or 'env'", secret=True)
    options = opt.normalize_options(spec, OPTIONS)
    if options.get("transport") == "tcp":
        del options["transport"]
    if options:
        out["options"] = options
    return out


def _portal(server):
    return host_port(server)


def _h2i(c):
    if 0x41 <= c <= 0x46:  # A-F
        return c - 0x41 + 10
    if 0x61 <= c <= 0x66:  # a-f
        return c - 0x61 + 10
    return c - 0x30


def _libiscsi_decode(text):
    """The bytes libiscsi's iscsi_decode_url_string() makes of `text` (lib/init.c; seen with QEMU
    7.2 and libiscsi 1.19 by tests/robustness/test_injection.py): after decoding an escape it shifts
    the rest of the string left but keeps its cursor, so the next two characters are not examined."""
    buf = bytearray(text.encode("utf-8"))
    i = 0
    while i < len(buf):
        if buf[i] != 0x25:  # '%'
            i += 1
            continue
        if i + 2 >= len(buf):
            break  # a truncated escape ends the decoding
        buf[i:i + 3] = bytes([((_h2i(buf[i + 1]) << 4) | _h2i(buf[i + 2])) & 0xFF])
        i += 3  # the C cursor moved past the escape's three old bytes
    return bytes(buf)


def uri(spec, version, omit=False):
    options = spec.get("options", {})
    dropped = [k for k in options if k != "transport"]
    if "password_secret" in spec:
        dropped += ["user", "password_secret"]
    elif "user" in spec and "credentials" not in spec:
        # a user with no password (its libvirt secret is only in disk XML): the URL would log in
        # without CHAP (block/iscsi.c: apply_chap refuses a user without a password)
        dropped.append("user")
    if dropped and not omit:
        raise opt.unexpressible(dropped, "URL", "iscsi")
    server = spec["servers"][0]
    auth = ""
    if spec.get("credentials") == "inline":
        auth = "%s%%%s@" % (spec["user"], spec["password"])
    target = quote(spec["target"], safe="-._~:")
    if _libiscsi_decode(target) != spec["target"].encode("utf-8"):
        raise SpecError("target", spec["target"], "libiscsi would read this target differently from a URL "
                        "(after a %-escape its decoder skips the next two characters, so escapes less than "
                        "three characters apart are left undecoded); use qemu_drive_opts or qemu_blockdev")
    tail = "%s%s/%s/%d" % (auth, host_port(server, DEFAULT_PORT), target, spec["lun"])
    if len(tail.encode("utf-8")) > MAX_URL_TAIL:
        raise SpecError("target", spec["target"], "the URL would be %d bytes after 'iscsi://'; libiscsi "
                        "silently truncates beyond %d; use qemu_drive_opts or qemu_blockdev"
                        % (len(tail.encode("utf-8")), MAX_URL_TAIL))
    return "%s://%s" % ("iser" if options.get("transport") == "iser" else "iscsi", tail)


def blockdev(spec, version):
    if spec.get("credentials") in ("env", "inline"):
        raise SpecError("credentials", spec["credentials"], "a plain password is written only into a URL "
                        "(inline) or the environment (env); for -drive/-blockdev options use "
                        "password_secret with a QEMU secret object")
    options = spec.get("options", {})
    node = {"driver": "iscsi", "transport": options.get("transport", "tcp"),
            "portal": _portal(spec["servers"][0]), "target": spec["target"], "lun": spec["lun"]}
    if "user" in spec:
        if "password_secret" not in spec:
            # block/iscsi.c: 'CHAP username specified but no password was given'
            raise SpecError("password_secret", None, "required with user for -drive / -blockdev (the id of a "
                            "QEMU secret object holding the CHAP password)")
        node["user"] = spec["user"]
        node["password-secret"] = spec["password_secret"]
    for name in ("initiator_name", "header_digest", "timeout"):
        if name in options:
            node[name.replace("_", "-")] = options[name]
    return node


def disk_unexpressible(spec, disk):  # pylint: disable=unused-argument
    """Options the <source protocol='iscsi'> cannot carry (libvirt 9.0 domaincommon.rng)."""
    return set(spec.get("options", {})) - {"initiator_name"}


def disk_source(spec, source, host_el, disk):
    source.set("protocol", "iscsi")
    source.set("name", "%s/%d" % (spec["target"], spec["lun"]))
    host_el(spec["servers"][0])
    if "user" in spec:
        secret_auth(spec, source, disk, "iSCSI CHAP")
    if "initiator_name" in spec.get("options", {}):
        ET.SubElement(ET.SubElement(source, "initiator"), "iqn", {"name": spec["options"]["initiator_name"]})


def from_uri(parts, text):
    """libiscsi's iscsi_parse_url(), not RFC 3986: first '@', first '%', first '/'."""
    scheme, rest = text.split("://", 1)
    if len(rest.encode("utf-8")) > MAX_URL_TAIL:
        raise SpecError("uri", text, "longer than libiscsi's %d bytes after '%s://'" % (MAX_URL_TAIL, scheme))
    if "?" in rest or "#" in rest:
        raise SpecError("uri", text, "query strings and fragments are not supported: header_digest / "
                        "data_digest crash qemu-img; use the options of qemu_drive_opts instead")
    spec = {"protocol": "iscsi"}
    if scheme == "iser":
        spec["options"] = {"transport": "iser"}
    if "@" in rest:
        userinfo, rest = rest.split("@", 1)
        cut = userinfo.find("%") if "%" in userinfo else userinfo.find(":")
        if cut < 0:
            raise SpecError("uri", text, "a user without a password in the URL needs the password in "
                            "LIBISCSI_CHAP_PASSWORD; write the spec with credentials 'env'")
        spec.update(user=userinfo[:cut], password=userinfo[cut + 1:], credentials="inline")
    portal, sep, path = rest.partition("/")
    target, sep2, lun = path.partition("/")
    if not sep or not sep2 or not is_decimal(lun):
        raise SpecError("uri", text, "expected iscsi://[user%password@]host[:port]/target-iqn/lun")
    match = re.match(r"^(?:\[([^\]]+)\]|([^:\[\]]+))(?::([0-9]+))?$", portal)
    if not match:
        raise SpecError("uri", text, "cannot read the portal host[:port] (IPv6 needs brackets)")
    host = check_qemu_host(match.group(1) or match.group(2), "host")
    spec["server"] = {"host": host, "port": int(match.group(3) or DEFAULT_PORT)}
    spec["target"] = unquote_strict(target, "target")
    if _libiscsi_decode(target) != spec["target"].encode("utf-8"):
        raise SpecError("uri", text, "QEMU (libiscsi) reads this target as %r, not %r: its decoder skips "
                        "the two characters after each %%-escape"
                        % (_libiscsi_decode(target).decode("utf-8", "replace"), spec["target"]))
    spec["lun"] = int(lun)
    return spec


_PORTAL_RE = re.compile(r"^(?:\[([^\]]*)\]|([^:\[\]]+))(?::([0-9]+))?$")


def portal_server(portal, field):
    """{host, port} of a portal 'host[:port]' / '[v6]:port' as libiscsi's iscsi_connect_async reads it:
    the port after the last ':' unless ']' follows it, IPv6 only in brackets."""
    match = _PORTAL_RE.match(portal)
    if not match:
        if portal.count(":") > 1 and "[" not in portal:
            raise SpecError(field, portal, "an IPv6 portal needs brackets, '[::1]:3260' (libiscsi takes the "
                            "port after the last ':')")
        raise SpecError(field, portal, "expected a portal 'host[:port]' or '[IPv6]:port' (a ',TPGT' suffix "
                        "is not read here)")
    return {"host": match.group(1) if match.group(1) is not None else match.group(2),
            "port": int(match.group(3)) if match.group(3) else DEFAULT_PORT}


def from_blockdev(node):
    """An iscsi node back to a spec (block/iscsi.c: iscsi_open reads the same keys)."""
    what = "Need all of transport, portal and target options"
    transport = node.text("transport", required=what)
    if transport not in ("tcp", "iser"):
        raise SpecError(node.where("transport"), transport, "Unknown transport: %s (expected tcp or iser)"
                        % transport)
    spec = {"protocol": "iscsi",
            "server": portal_server(node.text("portal", required=what), node.where("portal")),
            "target": node.text("target", required=what)}
    lun = node.integer("lun")
    spec["lun"] = 0 if lun is None else lun
    user, secret = node.text("user"), node.text("password-secret")
    password = None if node.strict else node.text("password")  # -drive only, deprecated since 8.0
    if secret is not None and password is not None:
        raise SpecError(node.where("password"), password, "'password' and 'password-secret' properties are "
                        "mutually exclusive", secret=True)
    if user is not None:
        if secret is None and password is None:
            raise SpecError(node.where("password-secret"), None, "CHAP username specified but no password "
                            "was given")
        spec["user"] = user
        if secret is not None:
            spec["password_secret"] = secret
        else:
            spec.update(password=password, credentials="inline")
    options = {"transport": transport}
    for name in ("initiator_name", "header_digest"):
        value = node.text(name.replace("_", "-"))
        if value is not None:
            options[name] = value
    timeout = node.integer("timeout")
    if timeout is not None:
        options["timeout"] = timeout
    spec["options"] = options
    return spec


def from_disk_source(source, servers):
    """<source protocol='iscsi' name='IQN[/LUN]'> with <initiator><iqn name/></initiator>: no '/LUN'
    is LUN 0, as libvirt reads it (src/storage_file/storage_source_backingstore.c:
    virStorageSourceParseBackingJSONiSCSI); <auth> is read by parse_disk_xml.py."""
    name = source.get("name") or ""
    target, sep, lun = name.partition("/")
    if not target:
        raise SpecError("source.name", name, "expected 'TARGET-IQN/LUN'")
    spec = {"protocol": "iscsi", "servers": servers, "target": target, "lun": lun if sep else 0}
    initiator = source.find("initiator/iqn")
    if initiator is not None:
        spec["options"] = {"initiator_name": initiator.get("name")}
    return spec


PROTOCOL = Protocol(
    names=("iscsi",), schemes=SCHEMES, keys=frozenset(KEYS), normalize=normalize, uri=uri, blockdev=blockdev,
    disk_source=disk_source, disk_unexpressible=disk_unexpressible, from_uri=from_uri, from_blockdev=from_blockdev,
    from_disk_source=from_disk_source, options=OPTIONS, disk_children=("auth", "initiator"),
)
