# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every output form of one drive spec: URI, -drive options, -blockdev, json:, environment.

Each function validates the spec for the target QEMU version first, so a string that this
QEMU would reject or read differently is never returned (SpecError instead).
"""

from __future__ import annotations

import json
import re

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.qemu_opts import (
    escape_opt_value, flatten_options, join_opts,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.layer import split_layer
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.servers import fields_as_written
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.spec import normalize_spec

__all__ = [
    "normalize", "render_uri", "render_opts", "render_blockdev", "render_json_pseudo",
    "render_chap_env",
]

_NODE_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,30}\Z")
_FORMAT_RE = re.compile(r"^[a-z][a-z0-9_\-]*\Z")


@fields_as_written
def normalize(spec, qemu_version=None):
    """The spec with defaults filled in: what qemu_drive_parse returns for its URI."""
    return normalize_spec(spec, qemu_version)[1]


@fields_as_written
def render_uri(spec, qemu_version=None, syntax="uri", on_unexpressible="fail"):
    """The URI (or, with syntax='legacy', the legacy nbd:/sheepdog:/rbd: string) for `spec`."""
    module, norm, version = normalize_spec(spec, qemu_version)
    if on_unexpressible not in ("fail", "omit"):
        raise SpecError("on_unexpressible", on_unexpressible, "expected 'fail' or 'omit'")
    omit = on_unexpressible == "omit"
    if syntax == "uri":
        return module.uri(norm, version, omit)
    if syntax == "legacy" and module.legacy is not None:
        return module.legacy(norm, version, omit)
    raise SpecError("syntax", syntax, "expected 'uri'%s" % (" or 'legacy'" if module.legacy is not None else
                    " (a legacy form exists only for nbd, sheepdog and rbd)"))


def _check_node_name(value, field):
    if not isinstance(value, str) or not _NODE_NAME_RE.match(value):
        raise SpecError(field, value, "expected a QEMU node name: a letter, then up to "
                        "30 letters, digits, '-', '.', '_'")
    return value


def _layered_tree(spec, qemu_version, fmt=None, node_name=None, read_only=None, blockdev=False):
    """The protocol node, under its format node when there is one; node names and read-only from the
    arguments, else from the spec's parsed `layer` (drive/layer.py)."""
    module, norm, version = normalize_spec(spec, qemu_version)
    layer = split_layer(spec)[1]
    node = module.blockdev(norm, version)
    fmt = layer.get("format") if fmt is None else fmt
    node_name = layer.get("node_name") if node_name is None else node_name
    read_only = layer.get("read_only") if read_only is None else read_only
    if node_name is not None:
        node["node-name"] = _check_node_name(node_name, "node_name")
    if blockdev and module.read_only:
        # curl cannot write, and -blockdev has no auto-read-only by default: QEMU refuses a
        # writable node (block/curl.c: curl_open, "curl driver does not support writes")
        if read_only is False:
            raise SpecError("read_only", read_only, "true or unset for %s: QEMU's curl driver cannot write (it says "
                            "'curl driver does not support writes')" % norm["protocol"])
        if read_only is None:
            read_only = True  # a value that is no boolean is refused below, as for any driver
    if read_only is not None:
        if not isinstance(read_only, bool):
            raise SpecError("read_only", read_only, "expected a boolean")
        node["read-only"] = read_only
    tree = _wrap_format(node, fmt)
    if tree is not node:
        if layer.get("format_node_name") is not None:
            tree["node-name"] = layer["format_node_name"]
        if read_only is not None:
            tree["read-only"] = read_only
    return tree


@fields_as_written
def render_blockdev(spec, qemu_version=None, node_name=None, read_only=None, fmt=None):
    """The strict QAPI mapping for -blockdev / blockdev-add (ports are strings); with a format
    (or a parsed spec's layer.format) the format node holds the protocol node as 'file'."""
    return _layered_tree(spec, qemu_version, fmt, node_name, read_only, blockdev=True)


def _wrap_format(node, fmt):
    if fmt is None:
        return node
    if not isinstance(fmt, str) or not _FORMAT_RE.match(fmt):
        raise SpecError("format", fmt, "expected a block format driver name such as 'raw' or 'qcow2'")
    return {"driver": fmt, "file": node}


@fields_as_written
def render_opts(spec, qemu_version=None, prefix="file.", fmt=None, as_mapping=False):
    """The option string for -drive (prefix 'file.') or --image-opts (prefix '')."""
    if prefix not in ("file.", ""):
        raise SpecError("prefix", prefix, "expected 'file.' (for -drive) or '' (for --image-opts)")
    tree = _layered_tree(spec, qemu_version, fmt)
    if tree.get("file") is not None:
        # A format layer on top: its protocol child is always under 'file.'.
        pairs = flatten_options(tree)
    else:
        pairs = flatten_options(tree, prefix)
    if as_mapping:
        return dict(pairs)
    return join_opts(pairs)


@fields_as_written
def render_json_pseudo(spec, qemu_version=None, fmt=None, escape_commas=False, protocols=None):
    """The json:{...} pseudo-protocol filename; escape_commas doubles commas for QemuOpts values."""
    norm = normalize_spec(spec, qemu_version)[1]
    if protocols is not None and norm["protocol"] not in protocols:
        raise SpecError("protocol", norm["protocol"], "expected one of: %s" % ", ".join(protocols))
    node = _layered_tree(spec, qemu_version, fmt)
    text = "json:" + json.dumps(node, separators=(",", ":"), ensure_ascii=False)
    return escape_opt_value(text) if escape_commas else text


@fields_as_written
def render_chap_env(spec, qemu_version=None):
    """LIBISCSI_CHAP_USERNAME / _PASSWORD for an iscsi spec with credentials='env'."""
    module, norm, version = normalize_spec(spec, qemu_version)
    if norm["protocol"] != "iscsi" or norm.get("credentials") != "env":
        raise SpecError("credentials", norm.get("credentials"),
                        "the CHAP environment exists only for protocol 'iscsi' with credentials 'env'")
    return {"LIBISCSI_CHAP_USERNAME": norm["user"], "LIBISCSI_CHAP_PASSWORD": norm["password"]}
