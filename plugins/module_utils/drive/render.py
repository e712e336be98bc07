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
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.spec import normalize_spec

__all__ = [
    "normalize", "render_uri", "render_opts", "render_blockdev", "render_json_pseudo",
    "render_chap_env",
]

_NODE_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,30}$")
_FORMAT_RE = re.compile(r"^[a-z][a-z0-9_\-]*$")


def normalize(spec, qemu_version=None):
    """The spec with defaults filled in: what qemu_drive_parse returns for its URI."""
    return normalize_spec(spec, qemu_version)[1]


def render_uri(spec, qemu_version=None, syntax="uri", on_unexpressible="fail"):
    """The URI (or, with syntax='legacy', the legacy nbd:/sheepdog:/rbd: string) for `spec`."""
    module, norm, version = normalize_spec(spec, qemu_version)
    if on_unexpressible not in ("fail", "omit"):
        raise SpecError("on_unexpressible", on_unexpressible, "expected 'fail' or 'omit'")
    omit = on_unexpressible == "omit"
    if syntax == "uri":
        return module.uri(norm, version, omit)
    if syntax == "legacy" and hasattr(module, "legacy"):
        return module.legacy(norm, version, omit)
    raise SpecError("syntax", syntax, "expected 'uri'%s" % (" or 'legacy'" if hasattr(module, "legacy") else
                    " (a legacy form exists only for nbd, sheepdog and rbd)"))


def render_blockdev(spec, qemu_version=None, node_name=None, read_only=None):
    """The strict QAPI mapping for -blockdev / blockdev-add (ports are strings)."""
    module, norm, version = normalize_spec(spec, qemu_version)
    node = module.blockdev(norm, version)
    if node_name is not None:
        if not isinstance(node_name, str) or not _NODE_NAME_RE.match(node_name):
            raise SpecError("node_name", node_name, "expected a QEMU node name: a letter, then up to "
                            "30 letters, digits, '-', '.', '_'")
        node["node-name"] = node_name
    if read_only is None and getattr(module, "READ_ONLY", False):
        read_only = True  # curl cannot write, and -blockdev has no auto-read-only by default
    if read_only is not None:
        if not isinstance(read_only, bool):
            raise SpecError("read_only", read_only, "expected a boolean")
        node["read-only"] = read_only
    return node


def _wrap_format(node, fmt):
    if fmt is None:
        return node
    if not isinstance(fmt, str) or not _FORMAT_RE.match(fmt):
        raise SpecError("format", fmt, "expected a block format driver name such as 'raw' or 'qcow2'")
    return {"driver": fmt, "file": node}


def render_opts(spec, qemu_version=None, prefix="file.", fmt=None, as_mapping=False):
    """The option string for -drive (prefix 'file.') or --image-opts (prefix '')."""
    if prefix not in ("file.", ""):
        raise SpecError("prefix", prefix, "expected 'file.' (for -drive) or '' (for --image-opts)")
    module, norm, version = normalize_spec(spec, qemu_version)
    node = module.blockdev(norm, version)
    if fmt is not None:
        # A format layer on top: its protocol child is always under 'file.'.
        pairs = flatten_options(_wrap_format(node, fmt))
    else:
        pairs = flatten_options(node, prefix)
    if as_mapping:
        return dict(pairs)
    return join_opts(pairs)


def render_json_pseudo(spec, qemu_version=None, fmt=None, escape_commas=False, protocols=None):
    """The json:{...} pseudo-protocol filename; escape_commas doubles commas for QemuOpts values."""
    module, norm, version = normalize_spec(spec, qemu_version)
    if protocols is not None and norm["protocol"] not in protocols:
        raise SpecError("protocol", norm["protocol"], "expected one of: %s" % ", ".join(protocols))
    node = _wrap_format(module.blockdev(norm, version), fmt)
    text = "json:" + json.dumps(node, separators=(",", ":"), ensure_ascii=False)
    return escape_opt_value(text) if escape_commas else text


def render_chap_env(spec, qemu_version=None):
    """LIBISCSI_CHAP_USERNAME / _PASSWORD for an iscsi spec with credentials='env'."""
    module, norm, version = normalize_spec(spec, qemu_version)
    if norm["protocol"] != "iscsi" or norm.get("credentials") != "env":
        raise SpecError("credentials", norm.get("credentials"),
                        "the CHAP environment exists only for protocol 'iscsi' with credentials 'env'")
    return {"LIBISCSI_CHAP_USERNAME": norm["user"], "LIBISCSI_CHAP_PASSWORD": norm["password"]}
