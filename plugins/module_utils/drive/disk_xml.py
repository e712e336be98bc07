# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""libvirt <disk type='network'> elements for a drive spec (formatdomain 'Hard drives')."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.options import unexpressible
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.layer import split_layer
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.spec import normalize_spec

__all__ = ["render_disk_xml"]

_DEV_RE = re.compile(r"^(?:[hsv]d|xvd|ubd)[a-z]{1,3}$")
_BUSES = ("virtio", "scsi", "sata", "ide", "usb", "xen", "sd", "fdc")
_DEVICES = ("disk", "cdrom", "lun", "floppy")
_FORMATS = ("raw", "qcow2", "qed", "vmdk", "vpc", "vdi", "vhdx", "luks", "dmg", "cloop", "bochs", "parallels")
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
# Spec options each <source> can express (libvirt 9.0 domaincommon.rng); anything else would be
# dropped, so it is refused unless the caller says on_unexpressible='omit'.
_XML_OPTIONS = {
    "nbd": {"tls_creds", "tls_hostname"},
    "iscsi": {"initiator_name"},
    "gluster": set(),
    "sheepdog": set(),
    "rbd": set(),
    "nfs": {"uid", "gid"},
    "http": {"readahead", "timeout", "cookie"},
    "https": {"readahead", "timeout", "cookie", "sslverify"},
    "ftp": {"readahead", "timeout"},
    "ftps": {"readahead", "timeout", "sslverify"},
}
# XML 1.0 cannot carry these at all, even escaped.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# libvirt's domain schema (virt-xml-validate): <host name> is dnsName or an IP address,
# <auth username> is genericName, <secret usage> is objectName.
_DNS_NAME_RE = re.compile(r"^[a-zA-Z0-9.\-]+$")
_GENERIC_NAME_RE = re.compile(r"^[a-zA-Z0-9_+\-]+$")
_OBJECT_NAME_RE = re.compile(r"^[^/\n]+$")


def _choice(value, field, allowed):
    if value not in allowed:
        raise SpecError(field, value, "expected one of: %s" % ", ".join(allowed))
    return value


def _xml_text(spec):
    """Refuse characters XML cannot represent, wherever they sit in the spec."""
    stack = [("", spec)]
    while stack:
        field, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(("%s.%s" % (field, k) if field else k, v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(("%s.%d" % (field, i), v) for i, v in enumerate(value))
        elif isinstance(value, str) and _XML_BAD.search(value):
            raise SpecError(field, value, "control characters cannot be written in XML")


def render_disk_xml(spec, qemu_version=None, target_dev=None, target_bus=None, device=None,
                    fmt=None, secret_usage=None, secret_uuid=None, read_only=None, on_unexpressible="fail"):
    """A <disk type='network'> element as a string; iSCSI CHAP refers to a libvirt secret.

    Arguments left out come from a parsed spec's layer (drive/layer.py), else vda / virtio / disk / raw.
    """
    module, norm, version = normalize_spec(spec, qemu_version)
    layer = split_layer(spec)[1]
    target_dev = target_dev or layer.get("target_dev", "vda")
    target_bus = target_bus or layer.get("target_bus", "virtio")
    device = device or layer.get("device", "disk")
    fmt = fmt or layer.get("format", "raw")
    if secret_usage is None and secret_uuid is None:
        secret_usage, secret_uuid = layer.get("secret_usage"), layer.get("secret_uuid")
    read_only = layer.get("read_only") if read_only is None else read_only
    _xml_text(norm)
    if norm["protocol"] not in _XML_OPTIONS:
        raise SpecError("protocol", norm["protocol"], "libvirt's domain schema (9.0) has no %s network disk; "
                        "use qemu_blockdev or qemu_drive_opts" % norm["protocol"])
    _choice(on_unexpressible, "on_unexpressible", ("fail", "omit"))
    dropped = set(norm.get("options", {})) - _XML_OPTIONS[norm["protocol"]]
    if norm["protocol"] in ("http", "https", "ftp", "ftps") and "user" in norm:
        dropped |= {"user"} | ({"password"} if "password" in norm else set())
    if norm["protocol"] == "rbd" and "namespace" in norm:
        dropped.add("namespace")  # <source name='pool/image'>: libvirt splits it at the first '/'
    if norm["protocol"] == "sheepdog" and "snapshot" in norm:
        dropped |= {"snapshot"}  # <source protocol='sheepdog' name='VDI'> names no snapshot
    if dropped and on_unexpressible == "fail":
        raise unexpressible(dropped, "libvirt disk XML", norm["protocol"], "qemu_blockdev or qemu_drive_opts")
    if not isinstance(target_dev, str) or not _DEV_RE.match(target_dev):
        raise SpecError("target_dev", target_dev, "expected a device name such as vda, sdb, hdc")
    _choice(target_bus, "target_bus", _BUSES)
    _choice(device, "device", _DEVICES)
    _choice(fmt, "format", _FORMATS)
    disk = ET.Element("disk", {"type": "network", "device": device})
    ET.SubElement(disk, "driver", {"name": "qemu", "type": fmt})
    source = ET.SubElement(disk, "source")

    def host_el(server):
        if "socket" in server:
            if "\n" in server["socket"] or "\r" in server["socket"]:
                raise SpecError("servers.socket", server["socket"], "libvirt's domain schema (absFilePath) "
                                "allows no newline in a socket path")
            ET.SubElement(source, "host", {"transport": "unix", "socket": server["socket"]})
        else:
            if ":" not in server["host"] and not _DNS_NAME_RE.match(server["host"]):
                raise SpecError("servers.host", server["host"], "libvirt's domain schema allows only letters, "
                                "digits, '.' and '-' in a disk host name (no '_')")
            attrs = {"name": server["host"]}
            if "port" in server:  # NFS servers have none (libnfs uses the portmapper)
                attrs["port"] = str(server["port"])
            if server.get("transport") == "rdma":
                attrs["transport"] = "rdma"
            ET.SubElement(source, "host", attrs)

    module.disk_source(norm, source, host_el)
    _source_extras(norm, source, secret_usage, secret_uuid)
    ET.SubElement(disk, "target", {"dev": target_dev, "bus": target_bus})
    if read_only or (read_only is None and getattr(module, "READ_ONLY", False)):
        ET.SubElement(disk, "readonly")
    ET.indent(disk, "  ")
    return ET.tostring(disk, encoding="unicode")


def _source_extras(norm, source, secret_usage, secret_uuid):
    """auth, initiator, ssl, cookies, readahead, timeout — in the schema's element order."""
    options = norm.get("options", {})
    protocol = norm["protocol"]
    if protocol == "rbd":
        _rbd_extras(norm, source, secret_usage, secret_uuid)
    elif protocol == "iscsi" and "user" in norm:
        if norm.get("credentials") in ("env", "inline"):
            raise SpecError("credentials", norm["credentials"], "libvirt takes CHAP only from a libvirt "
                            "secret: use credentials 'secret' with secret_usage or secret_uuid")
        if (secret_usage is None) == (secret_uuid is None):
            raise SpecError("secret_usage", secret_usage, "iSCSI CHAP in libvirt XML needs exactly one of "
                            "secret_usage or secret_uuid (the libvirt secret holding the password)")
        if not _GENERIC_NAME_RE.match(norm["user"]):
            raise SpecError("user", norm["user"], "libvirt's domain schema allows only letters, digits, '_', "
                            "'+' and '-' in an iSCSI CHAP user name")
        _auth(source, norm["user"], "iscsi", secret_usage, secret_uuid)
    elif "password_secret" in norm or "password" in norm:
        raise SpecError("password_secret" if "password_secret" in norm else "credentials",
                        norm.get("password_secret", "inline"),
                        "libvirt disk XML carries credentials only for iSCSI; drop them or use "
                        "qemu_blockdev")
    if protocol == "iscsi" and "initiator_name" in options:
        ET.SubElement(ET.SubElement(source, "initiator"), "iqn", {"name": options["initiator_name"]})
    if "sslverify" in options:
        ET.SubElement(source, "ssl", {"verify": "yes" if options["sslverify"] else "no"})
    if "cookie" in options:
        cookies = ET.SubElement(source, "cookies")
        for part in options["cookie"].split(";"):
            if not part.strip():
                continue
            name, sep, value = part.strip().partition("=")
            if not sep or not name:
                raise SpecError("options.cookie", options["cookie"], "libvirt needs 'name=value; ...' cookies",
                                secret=True)
            ET.SubElement(cookies, "cookie", {"name": name}).text = value
    if "readahead" in options:
        ET.SubElement(source, "readahead", {"size": str(options["readahead"])})
    if "timeout" in options and protocol in ("http", "https", "ftp", "ftps"):
        ET.SubElement(source, "timeout", {"seconds": str(options["timeout"])})


def _auth(source, user, kind, secret_usage, secret_uuid):
    """<auth username><secret type=iscsi|ceph uuid|usage/></auth> (domaincommon.rng diskAuth)."""
    auth = ET.SubElement(source, "auth", {"username": user})
    if secret_uuid is not None:
        if not isinstance(secret_uuid, str) or not _UUID_RE.match(secret_uuid):
            raise SpecError("secret_uuid", secret_uuid, "expected a UUID")
        ET.SubElement(auth, "secret", {"type": kind, "uuid": secret_uuid})
    else:
        if not isinstance(secret_usage, str) or not _OBJECT_NAME_RE.match(secret_usage) \
                or _XML_BAD.search(secret_usage):
            raise SpecError("secret_usage", secret_usage, "expected a non-empty usage name without '/' "
                            "or newlines (libvirt's objectName)")
        ET.SubElement(auth, "secret", {"type": kind, "usage": secret_usage})


def _rbd_extras(norm, source, secret_usage, secret_uuid):
    """RBD: <auth> with a libvirt 'ceph' secret in place of the QEMU key_secret, <snapshot>, <config>."""
    has_secret = secret_usage is not None or secret_uuid is not None
    if secret_usage is not None and secret_uuid is not None:
        raise SpecError("secret_usage", secret_usage, "give secret_usage or secret_uuid, not both")
    if "key_secret" in norm and not has_secret:
        raise SpecError("key_secret", norm["key_secret"], "in libvirt XML the cephx key comes from a libvirt "
                        "secret of type 'ceph': give secret_usage or secret_uuid")
    if "user" in norm:
        if not has_secret:
            raise SpecError("user", norm["user"], "libvirt's <auth username> needs a libvirt 'ceph' secret: "
                            "give secret_usage or secret_uuid")
        if not _GENERIC_NAME_RE.match(norm["user"]):
            raise SpecError("user", norm["user"], "libvirt's domain schema allows only letters, digits, '_', "
                            "'+' and '-' in an RBD user name")
        _auth(source, norm["user"], "ceph", secret_usage, secret_uuid)
    elif has_secret:
        raise SpecError("user", None, "required with secret_usage / secret_uuid (libvirt's <auth username>)")
    if "snapshot" in norm:
        if not _GENERIC_NAME_RE.match(norm["snapshot"]):
            raise SpecError("snapshot", norm["snapshot"], "libvirt's domain schema allows only letters, "
                            "digits, '_', '+' and '-' in an RBD snapshot name")
        ET.SubElement(source, "snapshot", {"name": norm["snapshot"]})
    if "conf" in norm:
        if "\n" in norm["conf"] or "\r" in norm["conf"]:
            raise SpecError("conf", norm["conf"], "libvirt's domain schema (absFilePath) allows no newline")
        ET.SubElement(source, "config", {"file": norm["conf"]})
