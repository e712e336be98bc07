# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One block definition (flat dotted keys, as QEMU holds them after qdict_flatten) back to a spec.

Shared by json: filenames, -blockdev mappings and option strings. The definition is either the
protocol node itself ({"driver": "nbd", ...}) or a format node with the protocol node as its
'file' child ({"driver": "qcow2", "file": {"driver": "nbd", ...}}). A protocol node may instead
hold a 'filename' (block.c: bdrv_fill_options hands it to the driver's bdrv_parse_filename, or
finds the driver from its prefix with bdrv_find_protocol).
"""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.layer import FORMAT_DRIVERS, normalize_layer
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.node_reader import NodeReader
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.node_tree import (
    crumple_flat, flatten_tree, subtree,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.registry import PROTOCOLS
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.spec import normalize_spec

__all__ = ["read_definition", "GENERIC_KEYS"]

# Options of every block node (block.c: bdrv_runtime_opts / BlockdevOptions base members).
GENERIC_KEYS = ("node-name", "read-only", "auto-read-only", "force-share", "discard", "detect-zeroes",
                "cache")


def _where(prefix, key):
    return "%s.%s" % (prefix, key) if prefix else key


def _take_generic(flat, prefix, layer, strict, name_key):
    """Move the generic block keys of one node into the layer."""
    for key in list(flat):
        head = key.split(".", 1)[0]
        if head not in GENERIC_KEYS:
            continue
        value = flat.pop(key)
        if key == "node-name":
            layer[name_key] = value
        elif key == "read-only":
            reader = NodeReader({"read-only": value}, prefix, "block", strict)
            read_only = reader.boolean("read-only")
            if layer.get("read_only") not in (None, read_only):
                raise SpecError(_where(prefix, key), value, "differs from read-only on the other node")
            layer["read_only"] = read_only
        else:
            layer.setdefault("options", {})[_where(prefix, key)] = value


def read_definition(flat, form, strict, read_filename, qemu_version=None, layer=None, frontend=None):
    """The normalized spec (with `layer` when the input had one) of a flat block definition.

    form: the input's name for messages; read_filename(text, field) gives the raw spec of a URI
    or legacy filename; layer: keys already read by the caller (-drive's readonly=); frontend(key):
    whether a key the protocol node does not read belongs to the guest device (-drive's if=, id=).
    """
    flat = dict(flat)
    layer = dict(layer or {})
    driver = flat.pop("driver", None)
    if driver is not None and not isinstance(driver, str):
        raise SpecError("driver", driver, "expected a driver name (a string)")
    if isinstance(flat.get("file"), str):
        raise SpecError("file", flat["file"], "in %s a string 'file' names an existing node (a reference); "
                        "give the node itself: \"file\": {\"driver\": ...}" % form)
    if driver in PROTOCOLS:
        proto, prefix = dict(flat, driver=driver), ""
    elif driver is None and "filename" in flat and not any(k.startswith("file.") for k in flat):
        proto, prefix = flat, ""  # the filename's protocol is the top node (bdrv_find_protocol)
    elif driver is None or driver in FORMAT_DRIVERS:
        proto = subtree(flat, "file")
        if "filename" in flat:
            proto["filename"] = flat.pop("filename")  # a format node opens its file child by filename
        if not proto:
            raise SpecError("file", None, "required in %s: a protocol node (driver=PROTOCOL, or file.driver=... "
                            "under a format driver such as %s)" % (form, driver or "raw"))
        prefix = "file"
        if driver is not None:
            layer["format"] = driver
        rest = {k: v for k, v in flat.items() if not k.startswith("file.")}
        _take_generic(rest, "", layer, strict, "format_node_name")
        if rest:
            layer.setdefault("options", {}).update(rest)
    else:
        raise SpecError("driver", driver, "unknown driver; network protocols: %s; formats above them: %s"
                        % (", ".join(sorted(PROTOCOLS)), ", ".join(FORMAT_DRIVERS)))
    spec = _read_protocol(dict(proto), prefix, strict, read_filename, qemu_version, layer,
                          frontend if prefix == "" else None)
    norm = normalize_spec(spec, qemu_version)[1]
    if layer:
        norm["layer"] = normalize_layer(layer)
    return norm


def _protocol_of(raw):
    return raw.get("protocol")


def _read_protocol(proto, prefix, strict, read_filename, qemu_version, layer, frontend=None):
    _take_generic(proto, prefix, layer, strict, "node_name")
    driver = proto.pop("driver", None)
    filename = proto.pop("filename", None)
    if driver is not None and (not isinstance(driver, str) or driver not in PROTOCOLS):
        raise SpecError(_where(prefix, "driver"), driver, "unknown driver; network protocols: %s"
                        % ", ".join(sorted(PROTOCOLS)))
    if filename is not None:
        if strict:
            raise SpecError(_where(prefix, "filename"), filename, "-blockdev / blockdev-add take no filename "
                            "(QAPI has no such member); give the driver's options")
        if not isinstance(filename, str):
            raise SpecError(_where(prefix, "filename"), filename, "expected a string")
        raw = read_filename(filename, _where(prefix, "filename"))
        if driver is not None and driver != _protocol_of(raw):
            raise SpecError(_where(prefix, "driver"), driver, "does not match the filename %r, which is for "
                            "QEMU's %s driver" % (filename, _protocol_of(raw)))
        if not proto:
            return raw
        # Options next to a filename: the driver's parse_filename fills the location keys and
        # refuses them given twice (block/nbd.c, block/ssh.c: "Option '%s' cannot be used with a
        # file name"); the other options join them.
        module, norm, version = normalize_spec(raw, qemu_version)
        from_name = flatten_tree(module.blockdev(norm, version))
        from_name.pop("driver", None)
        for key in proto:
            if key in from_name or any(k.startswith(key + ".") for k in from_name):
                raise SpecError(_where(prefix, key), proto[key], "Option '%s' cannot be used with a file name"
                                % key)
        from_name.update(proto)
        proto, driver = from_name, _protocol_of(raw)
        strict = False
    if driver is None:
        raise SpecError(_where(prefix, "driver"), None, "required: the protocol driver (%s)"
                        % ", ".join(sorted(PROTOCOLS)))
    module = PROTOCOLS[driver]
    node = NodeReader(crumple_flat(proto, prefix), prefix, driver, strict)
    spec = module.from_blockdev(node)
    for key in sorted(k for k in node.tree if k not in node.used):
        if frontend is not None and frontend(key):
            layer.setdefault("options", {})[key] = node.raw(key)
    node.finish()
    return spec
