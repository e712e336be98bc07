# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""libvirt <disk type='network'> elements for a drive spec (formatdomain 'Hard drives')."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml_parts import XML_BAD, DiskXml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.options import unexpressible
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.layer import split_layer
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.servers import fields_as_written, server_field
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.spec import normalize_spec
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.versions import version_text
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.versions import (
    LIBVIRT_GATES, libvirt_has, parse_libvirt_version,
)

__all__ = ["render_disk_xml"]

_DEV_RE = re.compile(r"^(?:[hsv]d|xvd|ubd)[a-z]{1,3}\Z")
_BUSES = ("virtio", "scsi", "sata", "ide", "usb", "xen", "sd", "fdc")
_DEVICES = ("disk", "cdrom", "lun", "floppy")
_FORMATS = ("raw", "qcow2", "qed", "vmdk", "vpc", "vdi", "vhdx", "luks", "dmg", "cloop", "bochs", "parallels")
# libvirt's domain schema (virt-xml-validate): <host name> is dnsName or an IP address
# (check_libvirt_schema_host); the protocols' names and <auth> are in disk_xml_parts.py.
_DNS_NAME_RE = re.compile(r"^[a-zA-Z0-9.\-]+\Z")


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
        elif isinstance(value, str) and XML_BAD.search(value):
            raise SpecError(field, value, "control characters cannot be written in XML")


def check_libvirt_schema_host(host, field):
    """libvirt's domain schema rule for <host name> (domaincommon.rng diskSourceNetworkHost:
    basictypes.rng dnsName or an IP address), stricter than QEMU's, which the host already passed
    (drive/fields.py check_qemu_host takes '_')."""
    if ":" not in host and not _DNS_NAME_RE.match(host):
        raise SpecError(field, host, "libvirt's domain schema allows only letters, digits, '.' and '-' in "
                        "a disk host name (no '_')")
    return host


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
    if module.disk_since is not None and not libvirt_has(module.disk_since, lv_version):
        raise SpecError("protocol", protocol, "libvirt %s's domain schema has no %s network disk (libvirt %s "
                        "has); use qemu_blockdev or qemu_drive_opts"
                        % (version_text(lv_version), protocol, version_text(LIBVIRT_GATES[module.disk_since].since)))
    _choice(on_unexpressible, "on_unexpressible", ("fail", "omit"))
    disk_args = DiskXml(lv_version, secret_usage, secret_uuid, ssh_keyfile, ssh_agent_socket)
    dropped = module.disk_unexpressible(norm, disk_args)
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

    module.disk_source(norm, source, host_el, disk_args)
    ET.SubElement(disk, "target", {"dev": target_dev, "bus": target_bus})
    if read_only or (read_only is None and module.read_only):
        ET.SubElement(disk, "readonly")
    ET.indent(disk, "  ")
    return ET.tostring(disk, encoding="unicode")
