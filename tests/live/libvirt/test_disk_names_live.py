# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Disk target names against libvirt's own virIndexToDiskName / virDiskNameToIndex (ctypes)."""

from __future__ import annotations

import ctypes

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.disk_names import (
    disk_index, disk_name, free_disk_names,
)


@pytest.fixture(scope="module")
def libvirt_names(oracle):
    oracle.virIndexToDiskName.restype = ctypes.c_void_p
    oracle.virIndexToDiskName.argtypes = [ctypes.c_uint, ctypes.c_char_p]
    oracle.virDiskNameToIndex.restype = ctypes.c_int
    oracle.virDiskNameToIndex.argtypes = [ctypes.c_char_p]

    def to_name(index, prefix):
        raw = oracle.virIndexToDiskName(index, prefix.encode())
        return ctypes.string_at(raw).decode()  # a few bytes leaked per call: fine for a test process

    return to_name, lambda name: oracle.virDiskNameToIndex(name.encode())


@pytest.mark.parametrize("prefix", ["vd", "sd", "hd", "xvd"])
def test_names_as_libvirt_gives_them(libvirt_names, prefix):
    to_name, to_index = libvirt_names
    for index in list(range(0, 1500)) + [18277, 18278, 475253, 475254]:
        name = disk_name(index, prefix)
        assert name == to_name(index, prefix), index
        assert disk_index(name) == to_index(name) == index, name


@pytest.mark.parametrize("name", ["vda1", "sdb12", "vd", "vdA", "vd1", "nvme0n1", "vdz9", "ubdc", "fdb", "xvdaa"])
def test_index_of_odd_names_as_libvirt_reads_them(libvirt_names, name):
    expected = libvirt_names[1](name)
    assert disk_index(name) == (None if expected < 0 else expected)


def test_free_names_skip_taken():
    assert free_disk_names(3, {"vda", "vdc"}) == ["vdb", "vdd", "vde"]
    assert free_disk_names(2, {disk_name(i) for i in range(26)}) == ["vdaa", "vdab"]
