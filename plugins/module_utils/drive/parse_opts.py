# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""-drive and --image-opts option strings back to a drive spec.

The string is split as QemuOpts splits it (util/qemu-option.c: get_opt_name_value; ',,' is a
literal comma, a repeated name: the last one wins, as qemu_opts_to_qdict keeps it). -drive's
own keys are read as blockdev.c: drive_new reads them: format= is the top node's driver,
file= its filename (a json:{...} there joins the options, block.c: parse_json_protocol),
readonly= the read-only flag; the device keys (if=, id=, index=, ...) come back under
layer.options.
"""

from __future__ import annotations

import re

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.qemu_opts import split_opts
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.node_reader import NodeReader
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse_json import json_options
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse_tree import read_definition

__all__ = ["is_option_string", "parse_opts"]

# A QemuOpts/keyval name, then '=': a URI or legacy string has ':' before any '='.
_OPTS_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*=")
# blockdev.c: qemu_common_drive_opts / qemu_legacy_drive_opts / drive_new keys that describe
# the guest device or the BlockBackend, not the image.
_DEVICE_KEYS = {"if", "id", "index", "media", "bus", "unit", "serial", "addr", "boot", "werror", "rerror",
                "snapshot", "aio", "copy-on-read", "trans", "cyls", "heads", "secs", "group", "stats-account-invalid",
                "stats-account-failed", "stats-intervals", "throttling", "bps", "bps_rd", "bps_wr", "iops",
                "iops_rd", "iops_wr", "iops_size"}
_SHORT_BOOLEANS = ("readonly", "read-only")


def is_option_string(text):
    return bool(_OPTS_RE.match(text))


def _pairs(text):
    flat = {}
    for name, value in split_opts(text):
        if value is None:
            # Short-form booleans (deprecated since QEMU 6.0): 'readonly' is on, 'noreadonly' off.
            if name in _SHORT_BOOLEANS:
                value = "on"
            elif name.startswith("no") and name[2:] in _SHORT_BOOLEANS:
                name, value = name[2:], "off"
            else:
                raise SpecError(name or "options", text[:60], "expected name=value pairs separated by ',' "
                                "(a literal comma in a value is written ',,')")
        if not name:
            raise SpecError("options", text[:60], "an option name is empty")
        flat[name] = value
    return flat


def parse_opts(text, read_filename, qemu_version=None):
    """A -drive string (file.-prefixed keys or file=FILENAME) or an --image-opts string."""
    flat = _pairs(text)
    layer = {}
    if "format" in flat:
        if "driver" in flat:
            raise SpecError("format", flat["format"], "Cannot specify both 'driver' and 'format' (blockdev.c)")
        flat["driver"] = flat.pop("format")
    if "readonly" in flat:
        layer["read_only"] = NodeReader(flat, "", "drive", False).boolean("readonly")
        del flat["readonly"]
    if "file" in flat:
        filename = flat.pop("file")
        if filename.startswith("json:"):
            for key, value in json_options(filename, "file").items():
                if key in flat:
                    raise SpecError(key, flat[key], "given both in file=json:{...} and as an option")
                flat[key] = value
        else:
            flat["filename"] = filename
    # The device keys (if=, id=, ...) go to layer.options; on a protocol node only those its driver
    # does not read ('driver=rbd,...,snapshot=SNAP', 'driver=nfs,...,group=GID' are the driver's).
    return read_definition(flat, "an option string", False, read_filename, qemu_version, layer,
                           frontend=is_device_key)


def is_device_key(key):
    return key.split(".", 1)[0] in _DEVICE_KEYS or key.startswith(("bps", "iops"))
