# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""QEMU versions and the features that appeared or disappeared with them (spec A.11)."""

from __future__ import annotations

import re

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

__all__ = ["DEFAULT_QEMU_VERSION", "GLIB_URI", "parse_qemu_version", "version_text"]

# The newest QEMU whose sources the specs were read from; users on older QEMU say so.
DEFAULT_QEMU_VERSION = (10, 0)

# QEMU 9.1 moved block/nbd.c, block/gluster.c, block/ssh.c from util/uri.c to GLib's GUri.
GLIB_URI = (9, 1)

_VERSION_RE = re.compile(r"^(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?$")


def parse_qemu_version(value):
    """Turn `7.2`, `7.2.22`, `10` or a (major, minor) pair into a (major, minor) tuple."""
    if value is None:
        return DEFAULT_QEMU_VERSION
    if isinstance(value, (tuple, list)) and len(value) >= 2 and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value[:2]
    ):
        return (value[0], value[1])
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, 0)
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        match = _VERSION_RE.match(value.strip())
        if match:
            return (int(match.group(1)), int(match.group(2)))
        if value.strip().isdigit():
            return (int(value.strip()), 0)
    raise SpecError("qemu_version", value, "expected a QEMU version such as '7.2' or '10.0.3'")


def version_text(version):
    return "%d.%d" % version
