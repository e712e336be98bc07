# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The qemu_drives role's VM names (fleet/drive_files.py: its files are named after them) against
libvirt 9.0 and 11.3: a name ending in a newline, which the name check's '$' let through, is a
domain name libvirt refuses (src/conf/domain_conf.c: virDomainDefParseXML -> virXMLCheckIllegalChars
"invalid char in name"); the test:///default driver needs no daemon and connects nowhere."""

from __future__ import annotations

import os
import tempfile

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet.drive_files import PlanError, plan_drive_files

DOMAIN = "<domain type='test'><name>%s</name><memory>1024</memory><os><type>hvm</type></os></domain>"


@pytest.mark.parametrize("name, refused", [("vm", False), ("vm&#10;", True)], ids=["plain", "newline"])
def test_libvirt_refuses_a_domain_name_with_a_newline(generation, name, refused):
    generation.tool("virsh")
    with tempfile.NamedTemporaryFile("w", suffix=".xml", dir="/tmp", delete=False) as fh:
        fh.write(DOMAIN % name)
    try:
        proc = generation.run(["virsh", "-c", "test:///default", "define", fh.name], timeout=60)
    finally:
        os.unlink(fh.name)
    if refused:
        assert proc.returncode != 0 and "invalid char in name" in proc.stderr, proc.stderr
    else:
        assert proc.returncode == 0, proc.stderr
    vms = {"qemu_drives_vms": [{"name": "vm\n" if refused else "vm", "drives": []}]}
    if refused:
        with pytest.raises(PlanError) as err:
            plan_drive_files(vms)
        assert [e.split(" is not accepted")[0] for e in err.value.messages] == ["qemu_drives_vms[0]: name: 'vm\\n'"]
    else:
        plan_drive_files(vms)
