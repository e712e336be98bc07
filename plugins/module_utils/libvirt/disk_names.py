# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Disk target names as libvirt counts them: vda..vdz, vdaa..vdzz, vdaaa.. (bijective base 26)."""

from __future__ import annotations

__all__ = ["disk_name", "disk_index", "free_disk_names"]

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# src/util/virutil.c virDiskNameToIndex: the prefixes it strips before the letters.
_PREFIXES = ("fd", "hd", "vd", "sd", "xvd", "ubd")


def disk_name(index, prefix="vd"):
    """src/util/virutil.c virIndexToDiskName: 0 -> vda, 25 -> vdz, 26 -> vdaa, 702 -> vdaaa."""
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise ValueError("a disk index is an integer >= 0, not %r" % (index,))
    letters = []
    ctr = index
    while ctr >= 0:
        letters.append(_LETTERS[ctr % 26])
        ctr = ctr // 26 - 1
    return prefix + "".join(reversed(letters))


def disk_index(name):
    """src/util/virutil.c virDiskNameToIndex: vda -> 0, vdaa -> 26; None if not a disk name.

    Trailing digits (a partition, 'sda1') are ignored, as libvirt ignores them.
    """
    if not isinstance(name, str):
        return None
    prefix = next((p for p in _PREFIXES if name.startswith(p)), None)
    if prefix is None:
        return None
    rest = name[len(prefix):].rstrip("0123456789")
    if not rest or any(c not in _LETTERS for c in rest):
        return None
    index = 0
    for position, char in enumerate(rest):
        index = (index + (1 if position else 0)) * 26 + _LETTERS.index(char)
    return index


def free_disk_names(count, taken, prefix="vd"):
    """The first `count` names with `prefix` that are not in `taken`, lowest index first."""
    names = []
    index = 0
    while len(names) < count:
        name = disk_name(index, prefix)
        if name not in taken:
            names.append(name)
        index += 1
    return names
