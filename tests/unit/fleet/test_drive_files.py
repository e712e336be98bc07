"""The qemu_drives plan: file layout, names as libvirt gives them, every check in role terms."""

import json

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet.drive_file_check import check_drive_file
from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet.drive_files import PlanError, plan_drive_files
from ansible_collections.virt_uri.toolkit.plugins.module_utils.qemu_opts import split_opts

NBD = {"protocol": "nbd", "server": {"host": "127.0.0.1"}, "export": "e"}


def plan(vms, **role_vars):
    role_vars["qemu_drives_vms"] = vms
    return plan_drive_files(role_vars)


def files(vms, **role_vars):
    return {f["path"]: f["content"] for f in plan(vms, **role_vars)["files"]}


def errors(vms, **role_vars):
    with pytest.raises(PlanError) as info:
        plan(vms, **role_vars)
    return info.value.messages


def drive_words(content):
    words = content.splitlines()
    return [dict(split_opts(v)) for f, v in zip(words[0::2], words[1::2]) if f == "-drive"]


def test_layout_and_contents():
    out = files([{"name": "vm1", "drives": [NBD, dict(NBD, export="f", format="qcow2", node_name="root")]}],
                qemu_drives_root="/srv/r")
    assert list(out) == ["/srv/r/etc/qemu-drives/vm1/drives.args", "/srv/r/etc/qemu-drives/vm1/blockdev.json",
                         "/srv/r/etc/qemu-drives/vm1/disk-vda.xml", "/srv/r/etc/qemu-drives/vm1/disk-vdb.xml"]
    args = out["/srv/r/etc/qemu-drives/vm1/drives.args"]
    assert args == ("-drive\ndriver=raw,file.driver=nbd,file.server.type=inet,file.server.host=127.0.0.1,"
                    "file.server.port=10809,file.export=e,if=virtio,id=drive0\n"
                    "-drive\ndriver=qcow2,file.driver=nbd,file.server.type=inet,file.server.host=127.0.0.1,"
                    "file.server.port=10809,file.export=f,if=virtio,id=root\n")
    nodes = json.loads(out["/srv/r/etc/qemu-drives/vm1/blockdev.json"])
    assert [(n["driver"], n["node-name"], n["file"]["export"]) for n in nodes] == [
        ("raw", "drive0", "e"), ("qcow2", "root", "f")]
    assert '<target dev="vdb" bus="virtio" />' in out["/srv/r/etc/qemu-drives/vm1/disk-vdb.xml"]
    assert '<driver name="qemu" type="qcow2" />' in out["/srv/r/etc/qemu-drives/vm1/disk-vdb.xml"]
    for path, content in out.items():
        check_drive_file(path, content)


def test_blockdev_style_and_forms():
    out = files([{"name": "vm1", "drives": [dict(NBD, read_only=True)]}], qemu_drives_args_style="blockdev",
                qemu_drives_forms=["args"])
    assert list(out) == ["/etc/qemu-drives/vm1/drives.args"]
    flag, value = out["/etc/qemu-drives/vm1/drives.args"].splitlines()
    assert flag == "-blockdev"
    node = json.loads(value)
    assert node["read-only"] is True and node["file"]["read-only"] is True and node["node-name"] == "drive0"


def test_read_only_drive_gets_readonly_on():
    out = files([{"name": "vm1", "drives": [{"protocol": "https", "server": {"host": "h.example.com"},
                                             "path": "/a.img"}]}], qemu_drives_forms=["args"])
    assert drive_words(out["/etc/qemu-drives/vm1/drives.args"])[0]["readonly"] == "on"


def test_free_names_first():
    drives = [NBD, dict(NBD, target_dev="vda"), NBD, dict(NBD, target_dev="vdc"), NBD]
    out = files([{"name": "vm1", "drives": drives}], qemu_drives_forms=["xml"])
    devs = [p.rsplit("disk-", 1)[1][:-4] for p in out]
    assert devs == ["vdb", "vda", "vdd", "vdc", "vde"]


def test_names_past_26_drives_as_libvirt_counts():
    out = files([{"name": "vm1", "drives": [NBD] * 30}], qemu_drives_forms=["xml"])
    devs = [p.rsplit("disk-", 1)[1][:-4] for p in out]
    assert len(set(devs)) == 30
    assert devs[24:] == ["vdy", "vdz", "vdaa", "vdab", "vdac", "vdad"]


def test_bus_prefix_and_no_xml_drive_takes_no_name():
    drives = [dict(NBD, target_bus="scsi"), dict(NBD, xml=False), NBD]
    out = files([{"name": "vm1", "drives": drives}], qemu_drives_forms=["xml"])
    assert [p.rsplit("/", 1)[1] for p in out] == ["disk-sda.xml", "disk-vda.xml"]


def test_injection_through_interface_refused():
    msgs = errors([{"name": "vm1", "drives": [dict(NBD, interface="virtio,file=/etc/shadow")]}])
    assert msgs == ["qemu_drives_vms[0] (vm1) drive 0: interface: 'virtio,file=/etc/shadow' is not accepted; "
                    "expected one of: none, ide, scsi, floppy, pflash, mtd, sd, virtio, xen (QEMU's -drive if= "
                    "values)"]


@pytest.mark.parametrize("key,value,accepted", [
    ("node_name", "a,file=/etc/shadow", "expected a QEMU node name"),
    ("node_name", "0abc", "expected a QEMU node name"),
    ("node_name", "a" * 32, "expected a QEMU node name"),
    ("format", "raw,file=/etc/shadow", "expected one of: raw, qcow2"),
    ("format", "luks", "expected one of: raw, qcow2"),
    ("read_only", "maybe", "expected a boolean"),
    ("target_dev", "vda/../x", "expected a device name"),
    ("xml_on_unexpressible", "drop", "expected one of: fail, omit"),
])
def test_role_keys_checked(key, value, accepted):
    msgs = errors([{"name": "vm1", "drives": [dict(NBD, **{key: value})]}])
    assert len(msgs) == 1, msgs
    assert msgs[0].startswith("qemu_drives_vms[0] (vm1) drive 0: %s: %r is not accepted; %s" % (key, value, accepted))


def test_node_name_31_characters_accepted():
    out = files([{"name": "vm1", "drives": [dict(NBD, node_name="a" * 31)]}], qemu_drives_forms=["blockdev"])
    assert json.loads(out["/etc/qemu-drives/vm1/blockdev.json"])[0]["node-name"] == "a" * 31


def test_one_message_per_failed_check_across_vms():
    vms = [{"name": "vm1", "drives": [NBD]},
           {"name": "vm2", "drives": [{"protocol": "nbd", "server": {"host": "h", "port": 70000}},
                                      dict(NBD, interface="virtio,file=/etc/shadow"),
                                      dict(NBD, node_name="drive0")]},
           {"name": "vm2"}, {"name": "../x"}, "vm4"]
    msgs = errors(vms, qemu_drives_args_style="json")
    assert msgs == [
        "qemu_drives_args_style: 'json' is not accepted; expected one of: drive, blockdev",
        "qemu_drives_vms[1] (vm2) drive 0: server.port: 70000 is not accepted; expected an integer between 1 and 65535",
        "qemu_drives_vms[1] (vm2) drive 1: interface: 'virtio,file=/etc/shadow' is not accepted; expected one of: "
        "none, ide, scsi, floppy, pflash, mtd, sd, virtio, xen (QEMU's -drive if= values)",
        "qemu_drives_vms[1] (vm2) drive 2: node_name: 'drive0' is not accepted; drive 0 already has this node name "
        "(QEMU: 'Duplicate nodes with node-name')",
        "qemu_drives_vms[2]: name: 'vm2' is not accepted; another VM of qemu_drives_vms has this name (its files "
        "would overwrite the other's)",
        "qemu_drives_vms[3]: name: '../x' is not accepted; expected a file-name-safe VM name: letters, digits, '_', "
        "'.', '+', '-' (not starting with '.', '+' or '-')",
        "qemu_drives_vms[4]: 'vm4' is not accepted; expected a mapping {name: ..., drives: [...]}",
    ]


def test_duplicate_target_dev():
    msgs = errors([{"name": "vm1", "drives": [dict(NBD, target_dev="vdb"), dict(NBD, target_dev="vdb")]}])
    assert msgs == ["qemu_drives_vms[0] (vm1) drive 1: target_dev: 'vdb' is not accepted; drive 0 already uses "
                    "this name (libvirt: 'target ... duplicated for disk sources')"]


def test_ssh_xml_advice_in_role_terms():
    """libvirt 11.3 (the default libvirt_version) has ssh disks; a user needs an <identity> the role
    cannot give, so the advice names the role's switches."""
    ssh = {"protocol": "ssh", "server": {"host": "h"}, "path": "/d.img"}
    out = files([{"name": "vm1", "drives": [ssh]}])
    assert any('protocol="ssh"' in content for content in out.values())
    msgs = errors([{"name": "vm1", "drives": [dict(ssh, user="u")]}])
    assert len(msgs) == 1 and msgs[0].startswith("qemu_drives_vms[0] (vm1) drive 0: ") and "user" in msgs[0], msgs
    out = files([{"name": "vm1", "drives": [dict(ssh, user="u", xml=False)]}])
    assert sorted(p.rsplit("/", 1)[1] for p in out) == ["blockdev.json", "drives.args"]


def test_unexpressible_advice_in_role_terms():
    gluster = {"protocol": "gluster", "server": {"host": "h"}, "volume": "v", "path": "a.img",
               "options": {"debug": 9}}
    msgs = errors([{"name": "vm1", "drives": [gluster]}])
    assert msgs == ["qemu_drives_vms[0] (vm1) drive 0: options: ['debug'] is not accepted; debug cannot be "
                    "written in libvirt disk XML; set xml_on_unexpressible: omit on this drive (or "
                    "qemu_drives_xml_on_unexpressible: omit) to leave them out of disk-vda.xml knowingly, or "
                    "xml: false"]
    assert files([{"name": "vm1", "drives": [gluster]}], qemu_drives_xml_on_unexpressible="omit")


def test_plain_password_needs_the_role_switch_and_is_never_shown():
    iscsi = {"protocol": "iscsi", "server": {"host": "h"}, "target": "iqn.2001-04.com.example:t", "lun": 0,
             "user": "u", "credentials": "inline", "password": "PLANTED-pw", "xml": False}
    msgs = errors([{"name": "vm1", "drives": [iscsi]}])
    assert "qemu_drives_allow_plain_passwords: true" in msgs[0]
    assert "PLANTED-pw" not in "".join(msgs)
    # allowed, the core still refuses what -blockdev cannot carry (a password is no QAPI option)
    msgs = errors([{"name": "vm1", "drives": [iscsi]}], qemu_drives_allow_plain_passwords=True)
    assert not any("qemu_drives_allow_plain_passwords" in m for m in msgs)
    assert "PLANTED-pw" not in "".join(msgs)


def test_version_checked_in_role_terms():
    assert errors([], qemu_drives_qemu_version="seven") == [
        "qemu_drives_qemu_version: 'seven' is not accepted; expected a QEMU version such as '7.2' or '10.0.3'"]
    msgs = errors([{"name": "vm1", "drives": [dict(NBD, options={"reconnect_delay": 1})]}],
                  qemu_drives_qemu_version="2.11")
    assert msgs and msgs[0].startswith("qemu_drives_vms[0] (vm1) drive 0: ")


def test_unknown_variables_warned_or_refused():
    result = plan([], qemu_drives_vm=[], qemu_drives__names=["x"], qemu_drives_result={})
    assert result == {"files": [], "unknown_variables": ["qemu_drives_vm"]}
    msgs = errors([], qemu_drives_vm=[], qemu_drives_strict_variables=True)
    assert len(msgs) == 1 and msgs[0].startswith(
        "unknown variables (qemu_drives_strict_variables is true): qemu_drives_vm (did you mean qemu_drives_vms?)")


def test_nothing_to_write():
    assert plan([])["files"] == []


def test_unknown_vm_key():
    msgs = errors([{"name": "vm1", "drive": [NBD]}])
    assert msgs == ["qemu_drives_vms[0] (vm1): drive: unknown VM keys; a VM takes name and drives (drive keys "
                    "go into drives)"]


def test_newline_in_a_drive_value_cannot_be_one_args_line():
    msgs = errors([{"name": "vm1", "drives": [dict(NBD, export="a\nb")]}], qemu_drives_forms=["args"])
    assert msgs == ["qemu_drives_vms[0] (vm1) drive 0: -drive file.export: 'a\\nb' is not accepted; drives.args "
                    "holds one argument per line, so no -drive value can contain a newline; use "
                    "qemu_drives_args_style: blockdev (JSON escapes it) or leave args out of qemu_drives_forms"]
    out = files([{"name": "vm1", "drives": [dict(NBD, export="a\nb")]}], qemu_drives_forms=["args"],
                qemu_drives_args_style="blockdev")
    assert len(out["/etc/qemu-drives/vm1/drives.args"].split("\n")) == 3


def test_unforeseen_core_error_is_a_message_not_a_traceback():
    # iscsi with a user and no password_secret: the core raises KeyError (filed in the report)
    iscsi = {"protocol": "iscsi", "server": {"host": "h"}, "target": "iqn.2001-04.com.example:t", "lun": 0,
             "user": "u"}
    msgs = errors([{"name": "vm1", "drives": [iscsi]}])
    assert msgs[0].startswith("qemu_drives_vms[0] (vm1) drive 0: ")


def test_libvirt_version_gates_the_disk_xml():
    """qemu_drives_libvirt_version reaches render_disk_xml: libvirt 9.0 has no ssh disk and no NBD
    <reconnect> (libvirt 11.3 default writes both)."""
    ssh = {"protocol": "ssh", "server": {"host": "h"}, "path": "/d.img"}
    new = files([{"name": "vm1", "drives": [ssh]}], qemu_drives_libvirt_version="11.3")
    assert any('protocol="ssh"' in c for c in new.values())
    msgs = errors([{"name": "vm1", "drives": [ssh]}], qemu_drives_libvirt_version="9.0")
    assert len(msgs) == 1 and "(9.0, qemu_drives_libvirt_version) has no ssh network disk" in msgs[0], msgs
    nbd = [{"name": "vm1", "drives": [dict(NBD, options={"reconnect_delay": 5})]}]
    assert any('<reconnect delay="5"' in c for c in files(nbd).values())
    old = files(nbd, qemu_drives_libvirt_version="9.0", qemu_drives_xml_on_unexpressible="omit")
    xml = [c for p, c in old.items() if p.endswith(".xml")]
    assert len(xml) == 1 and 'protocol="nbd"' in xml[0] and "reconnect" not in xml[0], xml
    assert errors([], qemu_drives_libvirt_version="nine") == [
        "qemu_drives_libvirt_version: 'nine' is not accepted; expected a libvirt version such as '9.0' or '11.3.0'"]
