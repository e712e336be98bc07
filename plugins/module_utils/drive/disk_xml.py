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
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.servers import fields_as_written, server_field
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.spec import normalize_spec
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.versions import version_text
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.versions import (
    libvirt_has, parse_libvirt_version,
)

__all__ = ["render_disk_xml"]

_DEV_RE = re.compile(r"^(?:[hsv]d|xvd|ubd)[a-z]{1,3}$")
_BUSES = ("virtio", "scsi", "sata", "ide", "usb", "xen", "sd", "fdc")
_DEVICES = ("disk", "cdrom", "lun", "floppy")
_FORMATS = ("raw", "qcow2", "qed", "vmdk", "vpc", "vdi", "vhdx", "luks", "dmg", "cloop", "bochs", "parallels")
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
# Spec options each <source> can express (libvirt 9.0 domaincommon.rng); anything else would be
# dropped, so it is refused unless the caller says on_unexpressible='omit'.
_CURL = ("http", "https", "ftp", "ftps")
_XML_OPTIONS = {
    "ssh": set(),
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
# libvirt's domain schema (virt-xml-validate): <host name> is dnsName or an IP address
# (check_libvirt_schema_host), <auth username> is genericName, <secret usage> is objectName.
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


def check_libvirt_schema_host(host, field):
    """libvirt's domain schema rule for <host name> (domaincommon.rng diskSourceNetworkHost:
    basictypes.rng dnsName or an IP address), stricter than QEMU's, which the host already passed
    (drive/fields.py check_qemu_host takes '_')."""
    if ":" not in host and not _DNS_NAME_RE.match(host):
        raise SpecError(field, host, "libvirt's domain schema allows only letters, digits, '.' and '-' in "
                        "a disk host name (no '_')")
    return host


def _xml_options(protocol, libvirt_version):
    allowed = set(_XML_OPTIONS[protocol])
    if protocol == "nbd" and libvirt_has("nbd_reconnect", libvirt_version):
        allowed.add("reconnect_delay")  # <reconnect delay=>
    return allowed


@fields_as_written
def render_disk_xml(spec, qemu_version=None, target_dev=None, target_bus=None, device=None,
                    fmt=None, secret_usage=None, secret_uuid=None, read_only=None, on_unexpressible="fail",
                    libvirt_version=None, ssh_keyfile=None, ssh_agent_socket=None):
    """A <disk type='network'> element as a string, valid for `libvirt_version`'s schema.

    iSCSI CHAP, RBD and http/https/ftp/ftps users refer to a libvirt secret (secret_usage or
    secret_uuid); an ssh user names its key with ssh_keyfile or ssh_agent_socket.
    Arguments left out come from a parsed spec's layer (drive/layer.py), else vda / virtio / disk / raw.
    """
    module, norm, version = normalize_spec(spec, qemu_version)
    lv_version = parse_libvirt_version(libvirt_version)
    layer = split_layer(spec)[1]
    target_dev = target_dev or layer.get("target_dev", "vda")
    target_bus = target_bus or layer.get("target_bus", "virtio")
    device = device or layer.get("device", "disk")
    fmt = fmt or layer.get("format", "raw")
    if secret_usage is None and secret_uuid is None:
        secret_usage, secret_uuid = layer.get("secret_usage"), layer.get("secret_uuid")
    read_only = layer.get("read_only") if read_only is None else read_only
    _xml_text(norm)
    protocol = norm["protocol"]
    if protocol not in _XML_OPTIONS or (protocol == "ssh" and not libvirt_has("ssh_disk", lv_version)):
        raise SpecError("protocol", protocol, "libvirt %s's domain schema has no %s network disk%s; use "
                        "qemu_blockdev or qemu_drive_opts" % (version_text(lv_version), protocol,
                                                              " (libvirt 11.3 has)" if protocol == "ssh" else ""))
    _choice(on_unexpressible, "on_unexpressible", ("fail", "omit"))
    dropped = set(norm.get("options", {})) - _xml_options(protocol, lv_version)
    has_secret = secret_usage is not None or secret_uuid is not None
    if protocol in _CURL:
        creds = {key for key in ("user", "password", "password_secret") if key in norm}
        if creds and not ("user" in norm and has_secret):
            dropped |= creds  # <auth username=> needs the password in a libvirt secret
    if protocol == "ssh" and "user" in norm and ssh_keyfile is None and ssh_agent_socket is None:
        dropped.add("user")  # <identity username=> needs keyfile= or agentsock=
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
        index = next(i for i, known in enumerate(norm["servers"]) if known is server)
        if "socket" in server:
            if "\n" in server["socket"] or "\r" in server["socket"]:
                raise SpecError(server_field(index, "socket"), server["socket"], "libvirt's domain schema (absFilePath) "
                                "allows no newline in a socket path")
            ET.SubElement(source, "host", {"transport": "unix", "socket": server["socket"]})
        else:
            check_libvirt_schema_host(server["host"], server_field(index, "host"))
            attrs = {"name": server["host"]}
            if "port" in server:  # NFS servers have none (libnfs uses the portmapper)
                attrs["port"] = str(server["port"])
            if server.get("transport") == "rdma":
                attrs["transport"] = "rdma"
            ET.SubElement(source, "host", attrs)

    module.disk_source(norm, source, host_el)
    _source_extras(norm, source, secret_usage, secret_uuid, lv_version)
    if protocol == "ssh" and "user" in norm and "user" not in dropped:
        _ssh_identity(source, norm["user"], ssh_keyfile, ssh_agent_socket)
    ET.SubElement(disk, "target", {"dev": target_dev, "bus": target_bus})
    if read_only or (read_only is None and module.read_only):
        ET.SubElement(disk, "readonly")
    ET.indent(disk, "  ")
    return ET.tostring(disk, encoding="unicode")


def _ssh_identity(source, user, keyfile, agent_socket):
    """<identity username= keyfile=|agentsock=> (domaincommon.rng: diskSourceNetworkProtocolSSHKeyDef)."""
    if (keyfile is None) == (agent_socket is None):
        raise SpecError("ssh_keyfile", keyfile, "an ssh user in libvirt XML needs exactly one of ssh_keyfile "
                        "or ssh_agent_socket")
    if not _GENERIC_NAME_RE.match(user):
        raise SpecError("user", user, "libvirt's domain schema allows only letters, digits, '_', '+' and '-' "
                        "in an ssh user name")
    name, path = ("ssh_keyfile", keyfile) if keyfile is not None else ("ssh_agent_socket", agent_socket)
    if not isinstance(path, str) or not path.startswith("/") or "\n" in path or _XML_BAD.search(path):
        raise SpecError(name, path, "an absolute path without newlines (libvirt's absFilePath)")
    ET.SubElement(source, "identity", {"username": user, "keyfile" if keyfile is not None else "agentsock": path})


def _source_extras(norm, source, secret_usage, secret_uuid, lv_version):
    """auth, initiator, ssl, cookies, readahead, timeout, reconnect."""
    options = norm.get("options", {})
    protocol = norm["protocol"]
    has_secret = secret_usage is not None or secret_uuid is not None
    if protocol == "rbd":
        _rbd_extras(norm, source, secret_usage, secret_uuid)
    elif "user" in norm and (protocol == "iscsi" or (protocol in _CURL and has_secret)):
        # curl's <auth> takes a secret of type 'iscsi' too (validated by libvirt 9.0 and 11.3).
        what = "iSCSI CHAP" if protocol == "iscsi" else "a %s user" % protocol
        if norm.get("credentials") in ("env", "inline"):
            raise SpecError("credentials", norm["credentials"], "libvirt takes the password of %s only from "
                            "a libvirt secret: use credentials 'secret' with secret_usage or secret_uuid" % what)
        if (secret_usage is None) == (secret_uuid is None):
            raise SpecError("secret_usage", secret_usage, "%s in libvirt XML needs exactly one of "
                            "secret_usage or secret_uuid (the libvirt secret holding the password)" % what)
        if not _GENERIC_NAME_RE.match(norm["user"]):
            raise SpecError("user", norm["user"], "libvirt's domain schema allows only letters, digits, '_', "
                            "'+' and '-' in the user name of %s" % what)
        _auth(source, norm["user"], "iscsi", secret_usage, secret_uuid)
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
    if "timeout" in options and protocol in _CURL:
        ET.SubElement(source, "timeout", {"seconds": str(options["timeout"])})
    if "reconnect_delay" in options and protocol == "nbd" and libvirt_has("nbd_reconnect", lv_version):
        ET.SubElement(source, "reconnect", {"delay": str(options["reconnect_delay"])})


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
