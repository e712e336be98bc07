# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Disk target names against libvirt's own virIndexToDiskName / virDiskNameToIndex (ctypes),
of libvirt 9.0 and 11.3 (the ``oracle`` fixture of each generation)."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.disk_names import (
    disk_index, disk_name, free_disk_names,
)


@pytest.fixture(scope="module")
def libvirt_names(oracle):
    """(to_name, to_index) of the generation's libvirt (tests/support/libvirt_oracle.py)."""
    return oracle.disk_name, oracle.disk_index


@pytest.mark.parametrize("prefix", ["vd", "sd", "hd", "xvd"])
def test_names_as_libvirt_gives_them(libvirt_names, prefix):
    to_name, to_index = libvirt_names
    for index in list(range(0, 1500)) + [18277, 18278, 475253, 475254]:
        name = disk_name(index, prefix)
        assert name == to_name(index, prefix), index
        assert disk_index(name) == to_index(name) == index, name


@pytest.mark.parametrize("name", ["vda1", "sdb12", "vd", "vdA", "vd1", "nvme0n1", "vdz9", "ubdc", "fdb", "xvdaa", "vdaX"])
def test_index_of_odd_names_as_libvirt_reads_them(libvirt_names, name):
    expected = libvirt_names[1](name)
    assert disk_index(name) == (None if expected < 0 else expected)


def test_free_names_skip_taken():
    assert free_disk_names(3, {"vda", "vdc"}) == ["vdb", "vdd", "vde"]
    assert free_disk_names(2, {disk_name(i) for i in range(26)}) == ["vdaa", "vdab"]
