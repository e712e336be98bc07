# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The keys that attach a drive beside its protocol options: if=, id= / node-name, the format.

Each reaches QEMU's command line or -blockdev JSON as a value, so each is checked against what
QEMU accepts; a value that would add an option ('virtio,file=/etc/shadow') is refused.
"""

from __future__ import annotations

import re

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

__all__ = ["INTERFACES", "FORMATS", "check_interface", "check_node_name", "check_format"]

# blockdev.c if_name[]: the values drive_new() accepts for -drive if= (QEMU 7.2 .. 10.0).
INTERFACES = ("none", "ide", "scsi", "floppy", "pflash", "mtd", "sd", "virtio", "xen")
# Image format drivers (block/*.c with .format_name and no .protocol_name) that open over a network
# protocol node with no option beyond 'file': qemu-img --help 'Supported formats' of 7.2 and 10.0.
# luks is left out: block/crypto.c needs a key-secret the role has no key for.
FORMATS = ("raw", "qcow2", "qcow", "qed", "vmdk", "vpc", "vdi", "vhdx", "dmg", "cloop", "bochs", "parallels")
# util/id.c id_wellformed(): a letter, then letters, digits, '-', '.', '_'; block.c
# bdrv_assign_node_name() also refuses a node name of 32 or more characters ("Node name too long").
_NODE_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,30}\Z")


def check_interface(value, field="interface"):
    if value not in INTERFACES or not isinstance(value, str):
        raise SpecError(field, value, "expected one of: %s (QEMU's -drive if= values)" % ", ".join(INTERFACES))
    return value


def check_node_name(value, field="node_name"):
    """A node name / drive id: QEMU's id_wellformed() and the 31-character node name limit."""
    if not isinstance(value, str) or not _NODE_NAME_RE.match(value):
        raise SpecError(field, value, "expected a QEMU node name: a letter, then up to 30 letters, digits, "
                        "'-', '.', '_'")
    return value


def check_format(value, field="format"):
    if value not in FORMATS or not isinstance(value, str):
        raise SpecError(field, value, "expected one of: %s" % ", ".join(FORMATS))
    return value
