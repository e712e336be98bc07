# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every drive form back to a drive spec: which reader a value goes to, and URIs / legacy strings."""

from __future__ import annotations

from functools import partial

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import need_str
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse_disk_xml import parse_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse_json import (
    parse_blockdev, parse_json_filename,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse_opts import is_option_string, parse_opts
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.registry import SCHEMES
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.spec import normalize_spec
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.uri_text import split_uri
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.versions import parse_qemu_version

__all__ = ["parse_drive", "parse_filename"]


def parse_drive(value, qemu_version=None):
    """Return the normalized drive spec that `value` stands for (as QEMU or libvirt would read it):
    a URI or legacy string, a json: filename, a -drive / --image-opts option string, a <disk>
    element, or a -blockdev mapping. Keys around the drive come back under `layer`."""
    version = parse_qemu_version(qemu_version)
    # URIs inside the other forms are read with the same version's query decoding.
    read_filename = partial(parse_filename, qemu_version=version)
    if hasattr(value, "keys"):
        return parse_blockdev(value, read_filename, version)
    text = need_str(value, "uri")
    if text.startswith("json:"):
        return parse_json_filename(text, read_filename, version)
    if text.lstrip().startswith("<"):
        return parse_disk_xml(text, version)
    if is_option_string(text):
        return parse_opts(text, read_filename, version)
    return normalize_spec(read_filename(text), version)[1]


def parse_filename(text, field="uri", qemu_version=None):
    """The raw spec of a URI or legacy filename (not yet normalized); `qemu_version` decides how
    query values are decoded (uri_text.parse_query)."""
    if text.startswith("json:"):
        raise SpecError(field, text[:40], "a json: filename inside another definition is not read; give its "
                        "object directly")
    # bdrv_find_protocol(): the prefix before the first ':' is the protocol, case-sensitive.
    prefix = text.split(":", 1)[0]
    protocol = SCHEMES.get(prefix)
    if protocol is not None and protocol.from_legacy is not None and prefix in protocol.names and "://" not in text:
        # nbd and sheepdog read a filename without '://' as their legacy form.
        raw = protocol.from_legacy(text)
    elif protocol is not None and text != prefix:
        raw = protocol.from_uri(split_uri(text, qemu_version=qemu_version), text)
    else:
        raise SpecError(field, text, "unknown protocol '%s' (QEMU matches it case-sensitively); known: %s"
                        % (prefix, ", ".join(sorted(SCHEMES))))
    return raw
