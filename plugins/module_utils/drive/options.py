# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Protocol options (the spec's `options` mapping): a table per protocol, one check per option."""

from __future__ import annotations

import re

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import (
    check_keys, need_bool, need_int, need_mapping, need_str,
)

__all__ = ["normalize_options", "need_object_id", "parse_size", "unexpressible"]

_OBJECT_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*\Z")
_SIZE_RE = re.compile(r"^([0-9]+)\s*([bkKMGT]?)$")
_SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "T": 1024 ** 4}


def need_object_id(value, field):
    """A QOM object id (secret, tls-creds): QEMU's id_wellformed() rule."""
    text = need_str(value, field)
    if not _OBJECT_ID_RE.match(text):
        raise SpecError(field, text, "expected a QEMU object id: a letter, then letters, digits, '-', '.', '_'")
    return text


def parse_size(value, field):
    """A size in bytes from an integer or a string with a k/M/G/T/b suffix (QEMU size syntax)."""
    if isinstance(value, str):
        match = _SIZE_RE.match(value.strip())
        if not match:
            raise SpecError(field, value, "expected bytes as an integer or a size such as '64k', '1M'")
        return int(match.group(1)) * _SIZE_UNITS[match.group(2)]
    return need_int(value, field, 0)


def normalize_options(spec, table):
    """Validate spec['options'] against `table` {name: check(value, field) -> value}."""
    raw = spec.get("options")
    if raw is None:
        return {}
    need_mapping(raw, "options")
    check_keys(raw, "options", table)
    out = {}
    for name in raw.keys():
        if raw[name] is None:
            continue
        out[name] = table[name](raw[name], "options." + name)
    return out


def unexpressible(names, form, protocol, alternatives="qemu_drive_opts, qemu_blockdev or libvirt_disk_xml"):
    """The error for spec fields an output form (URI, legacy string, disk XML) cannot carry."""
    return SpecError("options", sorted(names),
                     "%s cannot be written in the %s %s; use %s, or pass on_unexpressible='omit' to drop "
                     "them knowingly" % (", ".join(sorted(names)), protocol, form, alternatives))


# Reusable checks for option tables.
def as_str(value, field):
    return need_str(value, field)


def as_bool(value, field):
    return need_bool(value, field)


def as_uint32(value, field):
    return need_int(value, field, 0, 4294967295)
