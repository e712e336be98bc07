# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drive spec: one mapping, validated and normalized (defaults filled in) once."""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import need_mapping
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.layer import split_layer
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.registry import PROTOCOLS
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.versions import parse_qemu_version

__all__ = ["normalize_spec", "protocol_module"]


def protocol_module(spec):
    need_mapping(spec, "drive spec")
    name = spec.get("protocol")
    if name not in PROTOCOLS:
        raise SpecError("protocol", name, "expected one of: %s" % ", ".join(sorted(PROTOCOLS)))
    return PROTOCOLS[name]


def normalize_spec(spec, qemu_version=None):
    """Validate `spec` for `qemu_version` and return (module, normalized spec, version)."""
    version = parse_qemu_version(qemu_version)
    spec = split_layer(spec)[0]  # a parsed definition's layer: the renderers' defaults, not the drive
    module = protocol_module(spec)
    return module, module.normalize(spec, version), version
