# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Disk target names (src/util/virutil.c: virIndexToDiskName, virDiskNameToIndex), in process.

Every index and name here is one tests/live/libvirt/test_disk_names_live.py compares with
libvirt 9.0's and 11.3's own functions (ctypes): the values are libvirt's answers.
"""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.disk_names import (
    disk_index,
    disk_name,
    free_disk_names,
)

NAMES = [
    (0, "a"), (1, "b"), (25, "z"), (26, "aa"), (27, "ab"), (51, "az"), (52, "ba"), (701, "zz"),
    (702, "aaa"), (703, "aab"), (18277, "zzz"), (18278, "aaaa"), (475253, "zzzz"),
    (475254, "aaaaa"),
]


@pytest.mark.parametrize("index,letters", NAMES, ids=[str(i) for i, _l in NAMES])
@pytest.mark.parametrize("prefix", ["vd", "sd", "hd", "xvd"])
def test_name_and_index_both_ways(index, letters, prefix):
    assert disk_name(index, prefix) == prefix + letters
    assert disk_index(prefix + letters) == index


def test_vd_is_the_default_prefix():
    assert disk_name(27) == "vdab"


@pytest.mark.parametrize("name,index", [
    ("vda1", 0), ("sdb12", 1), ("vdz9", 25), ("ubdc", 2), ("fdb", 1), ("xvdaa", 26),
])
def test_odd_names_libvirt_reads(name, index):
    assert disk_index(name) == index


@pytest.mark.parametrize("name", ["vd", "vdA", "vdaX", "vd1", "nvme0n1", None, 3])
def test_not_disk_names(name):
    assert disk_index(name) is None


@pytest.mark.parametrize("index", [-1, True, 1.0, "1", None])
def test_an_index_is_a_non_negative_integer(index):
    with pytest.raises(ValueError) as info:
        disk_name(index)
    assert str(info.value) == "a disk index is an integer >= 0, not %r" % (index,)


def test_free_names_lowest_first_skipping_taken():
    assert free_disk_names(3, {"vda", "vdc"}) == ["vdb", "vdd", "vde"]
    assert free_disk_names(2, {"vd" + letters for _i, letters in NAMES[:4]} | {"sdb"}) == \
        ["vdc", "vdd"]
    assert free_disk_names(2, {"sda"}, "sd") == ["sdb", "sdc"]
    assert free_disk_names(2, {"vda"}, "sd") == ["sda", "sdb"]
    assert free_disk_names(0, set()) == []
