# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drive strings back to a drive spec: URIs, legacy nbd:/sheepdog: strings, json: filenames."""

from __future__ import annotations


from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import need_str
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.protocols import nbd, sheepdog
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.registry import SCHEMES
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.spec import normalize_spec
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.uri_text import split_uri

__all__ = ["parse_drive"]


def parse_drive(text, qemu_version=None):
    """Return the normalized drive spec that `text` stands for (as QEMU would read it)."""
    text = need_str(text, "uri")
    if text.startswith("json:"):
        raise SpecError("uri", text[:40], "json: filenames are not parsed back; keep the drive spec instead")
    # bdrv_find_protocol(): the prefix before the first ':' is the protocol, case-sensitive.
    prefix = text.split(":", 1)[0]
    # nbd and sheepdog read a filename without '://' as their legacy form.
    if prefix == "nbd" and "://" not in text:
        raw = nbd.from_legacy(text)
    elif prefix == "sheepdog" and "://" not in text:
        raw = sheepdog.from_legacy(text)
    elif prefix in SCHEMES and text != prefix:
        raw = SCHEMES[prefix].from_uri(split_uri(text), text)
    else:
        raise SpecError("uri", text, "unknown protocol '%s' (QEMU matches it case-sensitively); known: %s"
                        % (prefix, ", ".join(sorted(SCHEMES))))
    return normalize_spec(raw, qemu_version)[1]
