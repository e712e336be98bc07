# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property-based fuzzing of the qemu_drives plan (fleet/drive_files.py) with hostile role input.

Each plan either raises PlanError (every message in role terms) or returns files that read back
to exactly what was asked: every -drive word splits (as QEMU's QemuOpts does) into the core's
options plus if=/id=/readonly= and nothing else, every if=/id= is the checked value, every file
passes the module's candidate check, every XML is one <disk> with a unique target.
"""

from __future__ import annotations

import json

from hypothesis import event, given, strategies as st
from lxml import etree

from robust_support import ROBUST
from hostile import hostile_text, hostile_value, plausible_drive, drive_input, version_str

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.attach_keys import INTERFACES
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_opts
from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet.drive_file_check import check_drive_file
from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet.drive_files import PlanError, plan_drive_files
from ansible_collections.virt_uri.toolkit.plugins.module_utils.qemu_opts import split_opts

ROLE_KEYS = {
    "interface": st.one_of(st.sampled_from(INTERFACES), hostile_text, hostile_value),
    "node_name": st.one_of(st.from_regex(r"[A-Za-z][A-Za-z0-9_.\-]{0,31}", fullmatch=True), hostile_text),
    "format": st.one_of(st.sampled_from(["raw", "qcow2", "luks", "file"]), hostile_text),
    "target_dev": st.one_of(st.sampled_from(["vda", "vdb", "sdb", "vdaa", "hdc"]), hostile_text),
    "target_bus": st.sampled_from(["virtio", "scsi", "ide", "sata"]),
    "xml": st.one_of(st.booleans(), hostile_value),
    "read_only": st.one_of(st.booleans(), hostile_value),
    "xml_on_unexpressible": st.sampled_from(["fail", "omit"]),
}
drive = st.one_of(
    st.builds(lambda spec, keys: dict(spec, **keys), plausible_drive,
              st.fixed_dictionaries({}, optional=ROLE_KEYS)),
    plausible_drive, drive_input)
vm = st.one_of(
    st.fixed_dictionaries({"name": st.one_of(st.sampled_from(["vm1", "vm2", "a.b+c-d"]), hostile_text)},
                          optional={"drives": st.lists(drive, max_size=5)}),
    hostile_value)
role_vars = st.fixed_dictionaries(
    {"qemu_drives_vms": st.one_of(st.lists(vm, max_size=3), hostile_value)},
    optional={"qemu_drives_forms": st.one_of(st.just(["args", "blockdev", "xml"]), st.just(["xml"]), hostile_value),
              "qemu_drives_args_style": st.one_of(st.sampled_from(["drive", "blockdev"]), hostile_value),
              "qemu_drives_qemu_version": st.one_of(version_str, hostile_value),
              "qemu_drives_xml_on_unexpressible": st.sampled_from(["fail", "omit"]),
              "qemu_drives_root": st.one_of(st.just("/srv/x"), hostile_text),
              "qemu_drives_allow_plain_passwords": st.booleans()})


def check_drive_word(text, nodes_by_id):
    pairs = split_opts(text)
    names = [name for name, _value in pairs]
    assert len(names) == len(set(names)), text          # no option given twice
    assert all(v is not None for _n, v in pairs), text    # no bare flag smuggled in
    got = dict(pairs)
    assert got["if"] in INTERFACES, text
    spec, version, fmt = nodes_by_id[got["id"]]
    expected = render_opts(spec, version, fmt=fmt, as_mapping=True)
    extra = set(got) - set(expected)
    assert extra <= {"if", "id", "readonly"}, text
    assert {k: got[k] for k in expected} == expected, text


@ROBUST
@given(role_vars)
def test_plan_reads_back(variables):
    try:
        plan = plan_drive_files(variables)
    except PlanError as exc:
        assert exc.messages
        for message in exc.messages:
            assert message.startswith(("qemu_drives_", "unknown variables")), message
        event("PlanError")
        return
    event("planned %d files" % len(plan["files"]))
    version = variables.get("qemu_drives_qemu_version")
    for vm_spec in variables["qemu_drives_vms"] or []:
        specs = {}
        for index, one in enumerate(vm_spec.get("drives") or []):
            role_keys = set(ROLE_KEYS) | {"secret_usage", "secret_uuid", "device"}
            spec = {k: v for k, v in one.items() if k not in role_keys}
            specs[one.get("node_name", "drive%d" % index)] = (spec, version, one.get("format", "raw"))
        mine = [f for f in plan["files"] if "/%s/" % vm_spec["name"] in f["path"]]
        devs = []
        for item in mine:
            check_drive_file(item["path"], item["content"])
            name = item["path"].rsplit("/", 1)[1]
            if name == "drives.args":
                words = item["content"].split("\n")[:-1]
                assert len(words) == 2 * len(specs)
                for flag, value in zip(words[0::2], words[1::2]):
                    if flag == "-drive":
                        check_drive_word(value, specs)
                    else:
                        assert json.loads(value)["node-name"] in specs
            elif name == "blockdev.json":
                assert [n["node-name"] for n in json.loads(item["content"])] == list(specs)
            else:
                root = etree.fromstring(item["content"].encode())
                assert root.tag == "disk"
                dev = root.find("target").get("dev")
                assert name == "disk-%s.xml" % dev
                devs.append(dev)
        assert len(devs) == len(set(devs))


GOOD_KEYS = {
    "interface": st.sampled_from(INTERFACES),
    "node_name": st.from_regex(r"[A-Za-z][A-Za-z0-9_.\-]{0,30}", fullmatch=True),
    "format": st.sampled_from(["raw", "qcow2", "vmdk"]),
    "target_dev": st.sampled_from(["vda", "vdb", "sdb", "vdaa", "hdc"]),
    "read_only": st.booleans(),
    "xml_on_unexpressible": st.just("omit"),
}
plausible_vms = st.lists(
    st.builds(lambda name, drives: {"name": name, "drives": drives},
              st.sampled_from(["vm1", "vm2", "a.b+c-d", "x_1"]),
              st.lists(st.builds(lambda spec, keys: dict(spec, **keys), plausible_drive,
                                 st.fixed_dictionaries({}, optional=GOOD_KEYS)), max_size=4)),
    max_size=3, unique_by=lambda v: v["name"])


@ROBUST
@given(plausible_vms, st.sampled_from([["args", "blockdev"], ["args", "blockdev", "xml"], ["args"]]),
       st.sampled_from(["drive", "blockdev"]), st.one_of(st.none(), version_str))
def test_plausible_plan_reads_back(vms, forms, style, version):
    test_plan_reads_back.hypothesis.inner_test({
        "qemu_drives_vms": vms, "qemu_drives_forms": forms, "qemu_drives_args_style": style,
        "qemu_drives_qemu_version": version})
