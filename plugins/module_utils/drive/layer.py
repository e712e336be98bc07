# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The spec's optional `layer`: what surrounded the protocol node in a parsed definition.

qemu_drive_parse returns it for json:, option strings, -blockdev mappings and disk XML, and
the renderers take their defaults from it, so `parse | render` keeps the input's meaning:

  format            the format driver above the protocol node (raw, qcow2, ...)
  read_only         the node is opened read-only (read-only=on, <readonly/>)
  node_name         node-name of the protocol node
  format_node_name  node-name of the format node
  target_dev, target_bus, device   libvirt's <target dev bus> and <disk device>
  secret_usage, secret_uuid        the libvirt secret of an iSCSI <auth> (libvirt_disk_xml's arguments)
  options           every other key around the drive (-drive if=, id=, cache.direct=, a
                    format's own options), as given; kept for review, no renderer writes them
"""

from __future__ import annotations

import re

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import (
    check_keys, need_bool, need_mapping, need_str,
)

__all__ = ["LAYER_KEYS", "FORMAT_DRIVERS", "normalize_layer", "split_layer", "layer_default"]

LAYER_KEYS = {"format", "read_only", "node_name", "format_node_name", "target_dev", "target_bus", "device",
              "secret_usage", "secret_uuid", "options"}
# Block drivers that sit above a protocol node (block/*.c format_name, plus the filters).
FORMAT_DRIVERS = ("raw", "qcow2", "qcow", "qed", "vmdk", "vpc", "vdi", "vhdx", "luks", "dmg", "cloop",
                  "bochs", "parallels", "copy-on-read", "throttle", "preallocate", "compress")
_NODE_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,30}\Z")  # block.c: bdrv_assign_node_name


def normalize_layer(layer):
    need_mapping(layer, "layer")
    check_keys(layer, "layer", LAYER_KEYS)
    out = {}
    for key in ("format", "target_dev", "target_bus", "device", "secret_usage", "secret_uuid"):
        if layer.get(key) is not None:
            out[key] = need_str(layer[key], "layer." + key)
    if "format" in out and out["format"] not in FORMAT_DRIVERS:
        raise SpecError("layer.format", out["format"], "expected one of: %s" % ", ".join(FORMAT_DRIVERS))
    for key in ("node_name", "format_node_name"):
        if layer.get(key) is not None:
            name = need_str(layer[key], "layer." + key)
            if not _NODE_NAME_RE.match(name):
                raise SpecError("layer." + key, name, "expected a QEMU node name: a letter, then up to 30 "
                                "letters, digits, '-', '.', '_'")
            out[key] = name
    if layer.get("read_only") is not None:
        out["read_only"] = need_bool(layer["read_only"], "layer.read_only")
    if layer.get("options"):
        out["options"] = dict(need_mapping(layer["options"], "layer.options"))
    return out


def split_layer(spec):
    """(the spec without `layer`, the normalized layer or {})."""
    if hasattr(spec, "keys") and "layer" in spec:
        rest = {key: value for key, value in spec.items() if key != "layer"}
        return rest, normalize_layer(spec["layer"]) if spec["layer"] is not None else {}
    return spec, {}


def layer_default(spec, key, given):
    """A renderer argument: the caller's value, else the parsed layer's."""
    if given is not None:
        return given
    return split_layer(spec)[1].get(key)
