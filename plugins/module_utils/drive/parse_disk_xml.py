# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A libvirt <disk type='network'> element back to a drive spec (inverse of disk_xml.py).

The XML is read with the standard library's expat parser with DTDs and entity declarations
refused (what defusedxml does): a <disk> element never needs them, and an entity could expand
to gigabytes or name a local file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.parsers import expat

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.layer import normalize_layer
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.registry import PROTOCOLS
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.spec import normalize_spec

__all__ = ["parse_disk_xml", "read_xml_element"]


class _Refused(Exception):
    pass


def _refuse_dtd(*_args):
    raise _Refused("a DTD or entity declaration")


def read_xml_element(text, field):
    """Parse one XML element, refusing DOCTYPE, entity declarations and external references."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.UnparsedEntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd
    try:
        parser.Parse(text, True)
        return builder.close()
    except _Refused as exc:
        raise SpecError(field, text[:60], "%s is not read (a <disk> element needs none; entities can expand "
                        "without bound)" % exc) from exc
    except expat.ExpatError as exc:
        raise SpecError(field, text[:60], "not well-formed XML: %s" % exc) from exc


def _servers(source):
    out = []
    for index, host in enumerate(source.findall("host")):
        field = "source.host.%d" % index
        transport = host.get("transport", "tcp")
        if transport == "unix":
            if host.get("socket") is None:
                raise SpecError(field + ".socket", None, "required with transport='unix'")
            out.append({"socket": host.get("socket")})
            continue
        if transport not in ("tcp", "rdma"):
            raise SpecError(field + ".transport", transport, "expected tcp, unix or rdma")
        if host.get("name") is None:
            raise SpecError(field + ".name", None, "required: the server's host name or address")
        server = {"host": host.get("name")}
        if host.get("port") is not None:
            server["port"] = host.get("port")
        if transport == "rdma":
            server["transport"] = "rdma"
        out.append(server)
    return out


def _check_children(source, protocol):
    """Every child of <source> is read by the protocol (its disk_children) or refused: a child
    the protocol does not read would be dropped from the spec without a word."""
    read = ("host",) + PROTOCOLS[protocol].disk_children
    for child in source:
        if child.tag not in read:
            # The tag only: a misplaced <cookies> would otherwise quote its secret values.
            raise SpecError("source." + child.tag, "<%s>" % child.tag,
                            "not read back for protocol '%s' (its <source> children read back: %s); the "
                            "drive spec has no place for it, so it would be lost" % (protocol, ", ".join(read)))


def parse_disk_xml(text, qemu_version=None):
    """<disk type='network'>...</disk> -> spec, with layer {format, read_only, target_dev, target_bus,
    device} and, for iSCSI CHAP, layer.secret_usage / secret_uuid (the libvirt secret)."""
    disk = read_xml_element(text.strip(), "disk")
    if disk.tag != "disk":
        raise SpecError("disk", disk.tag, "expected a <disk> element")
    if disk.get("type") != "network":
        raise SpecError("disk.type", disk.get("type"), "expected type='network' (a file or block disk is "
                        "not a network drive)")
    source = disk.find("source")
    if source is None:
        raise SpecError("source", None, "required: <source protocol=... name=...>")
    protocol = source.get("protocol")
    if protocol not in PROTOCOLS:
        raise SpecError("source.protocol", protocol, "expected one of: %s" % ", ".join(sorted(PROTOCOLS)))
    _check_children(source, protocol)
    spec = PROTOCOLS[protocol].from_disk_source(source, _servers(source))
    layer = {}
    auth = source.find("auth")
    if auth is not None:
        spec["user"] = auth.get("username")
        secret = auth.find("secret")
        if secret is not None:
            for attr in ("usage", "uuid"):
                if secret.get(attr) is not None:
                    layer["secret_" + attr] = secret.get(attr)
    driver = disk.find("driver")
    if driver is not None and driver.get("type") is not None:
        layer["format"] = driver.get("type")
    target = disk.find("target")
    if target is not None:
        layer.update({k: v for k, v in (("target_dev", target.get("dev")), ("target_bus", target.get("bus")))
                      if v is not None})
    layer["device"] = disk.get("device", "disk")
    layer["read_only"] = disk.find("readonly") is not None
    norm = normalize_spec(spec, qemu_version)[1]
    norm["layer"] = normalize_layer(layer)
    return norm
