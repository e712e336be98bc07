# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""plan_drive_files, exactly: each role setting's refusal as its whole message, the files of a
plan compared whole (drives.args, blockdev.json, disk-*.xml), the role keys passed to the core."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet.drive_files import (
    PlanError,
    ROLE_VARIABLES,
    plan_drive_files,
    with_guess,
)

NBD = {"protocol": "nbd", "server": {"host": "127.0.0.1"}, "export": "e"}
ISCSI = {"protocol": "iscsi", "server": {"host": "127.0.0.1"}, "target": "iqn.2001-04.com.example:t", "lun": 0,
         "user": "u", "password_secret": "sec0"}
ISCSI_USER = {k: v for k, v in ISCSI.items() if k != "password_secret"}
NBD_WORD = ("driver=raw,file.driver=nbd,file.server.type=inet,file.server.host=127.0.0.1,"
            "file.server.port=10809,file.export=e,if=virtio,id=drive0")
VM_NAME = ("expected a file-name-safe VM name: letters, digits, '_', '.', '+', '-' (not starting with "
           "'.', '+' or '-')")
DEV_NAME = "expected a device name such as vda, sdb, hdc"


def messages(**role_vars):
    with pytest.raises(PlanError) as err:
        plan_drive_files(role_vars)
    assert str(err.value) == "\n".join(err.value.messages)
    return err.value.messages


def files(**role_vars):
    return {f["path"]: f["content"] for f in plan_drive_files(role_vars)["files"]}


SETTINGS = [
    # (id, role variables, the messages)
    ("root relative", {"qemu_drives_root": "rel"},
     ["qemu_drives_root: 'rel' is not accepted; expected an absolute path"]),
    ("root with NUL, dir with newline", {"qemu_drives_root": "/a\x00", "qemu_drives_dir": "/b\n"},
     ["qemu_drives_root: '/a\\x00' is not accepted; expected an absolute path",
      "qemu_drives_dir: '/b\\n' is not accepted; expected an absolute path"]),
    ("dir not text", {"qemu_drives_dir": 5}, ["qemu_drives_dir: 5 is not accepted; expected an absolute path"]),
    ("dir empty", {"qemu_drives_dir": ""}, ["qemu_drives_dir: '' is not accepted; expected an absolute path"]),
    ("booleans", {"qemu_drives_allow_plain_passwords": "maybe", "qemu_drives_strict_variables": 3},
     ["qemu_drives_allow_plain_passwords: 'maybe' is not accepted; expected a boolean",
      "qemu_drives_strict_variables: 3 is not accepted; expected a boolean"]),
    ("args style", {"qemu_drives_args_style": ["drive"]},
     ["qemu_drives_args_style: ['drive'] is not accepted; expected one of: drive, blockdev"]),
    ("xml_on_unexpressible", {"qemu_drives_xml_on_unexpressible": "drop"},
     ["qemu_drives_xml_on_unexpressible: 'drop' is not accepted; expected one of: fail, omit"]),
    ("forms a string", {"qemu_drives_forms": "args"},
     ["qemu_drives_forms: 'args' is not accepted; expected a list of: args, blockdev, xml"]),
    ("forms with a number", {"qemu_drives_forms": ["args", 1]},
     ["qemu_drives_forms: ['args', 1] is not accepted; expected a list of: args, blockdev, xml"]),
    ("forms unknown", {"qemu_drives_forms": ["json"]},
     ["qemu_drives_forms: ['json'] is not accepted; expected a list of: args, blockdev, xml"]),
    ("qemu version", {"qemu_drives_qemu_version": [1]},
     ["qemu_drives_qemu_version: [1] is not accepted; expected a QEMU version such as '7.2' or '10.0.3'"]),
    ("libvirt version", {"qemu_drives_libvirt_version": [1]},
     ["qemu_drives_libvirt_version: [1] is not accepted; expected a libvirt version such as '9.0' or '11.3.0'"]),
    ("vms not a list", {"qemu_drives_vms": {"name": "x"}},
     ["qemu_drives_vms: {'name': 'x'} is not accepted; expected a list of VMs ({name: ..., drives: [...]})"]),
    ("strict", {"qemu_drives_vm": [], "qemu_drives_zz": 1, "qemu_drives_strict_variables": "yes"},
     ["unknown variables (qemu_drives_strict_variables is true): qemu_drives_vm (did you mean qemu_drives_vms?), "
      "qemu_drives_zz (did you mean qemu_drives_vms?); the role takes: " + ", ".join(sorted(ROLE_VARIABLES))]),
    ("drives not a list", {"qemu_drives_vms": [{"name": "v", "drives": "x"}]},
     ["qemu_drives_vms[0] (v): drives: 'x' is not accepted; expected a list of drive specs"]),
    ("drive not a mapping", {"qemu_drives_vms": [{"name": "v", "drives": [NBD, 5]}]},
     ["qemu_drives_vms[0] (v) drive 1: 5 is not accepted; expected a drive spec (a mapping)"]),
    ("unknown VM keys sorted", {"qemu_drives_vms": [{"name": "v", "drives": [NBD], "zz": 1, 5: 2}]},
     ["qemu_drives_vms[0] (v): 5, zz: unknown VM keys; a VM takes name and drives (drive keys go into drives)"]),
    # 'vm\n': libvirt 9.0 and 11.3 refuse a domain name with a newline (test_vm_names_live.py)
    ("bad VM names", {"qemu_drives_vms": [{"name": ".."}, {"name": "."}, {"name": 5}, {"name": "-a"}, {},
                                          {"name": "vm\n"}]},
     ["qemu_drives_vms[0]: name: '..' is not accepted; " + VM_NAME,
      "qemu_drives_vms[1]: name: '.' is not accepted; " + VM_NAME,
      "qemu_drives_vms[2]: name: 5 is not accepted; " + VM_NAME,
      "qemu_drives_vms[3]: name: '-a' is not accepted; " + VM_NAME,
      "qemu_drives_vms[4]: name: None is not accepted; " + VM_NAME,
      "qemu_drives_vms[5]: name: 'vm\\n' is not accepted; " + VM_NAME]),
    ("a bad VM name still checks its drives", {"qemu_drives_vms": [{"name": "a/b", "drives": [dict(NBD, format="x")]}]},
     ["qemu_drives_vms[0]: name: 'a/b' is not accepted; " + VM_NAME,
      "qemu_drives_vms[0] drive 0: format: 'x' is not accepted; expected one of: raw, qcow2, qcow, qed, vmdk, vpc, "
      "vdi, vhdx, dmg, cloop, bochs, parallels"]),
    ("plain passwords", {"qemu_drives_forms": ["args"], "qemu_drives_vms": [{"name": "v", "drives": [
        dict(ISCSI_USER, credentials="env"), dict(ISCSI_USER, password="p"), dict(ISCSI, credentials="secret")]}]},
     ["qemu_drives_vms[0] (v) drive 0: credentials: 'env' is not accepted; a plain password would be written into "
      "the files, so it needs qemu_drives_allow_plain_passwords: true - use password_secret (a QEMU secret object id)",
      "qemu_drives_vms[0] (v) drive 0: password: required with credentials 'env'",
      "qemu_drives_vms[0] (v) drive 1: credentials: 'inline' is not accepted; a plain password would be written into "
      "the files, so it needs qemu_drives_allow_plain_passwords: true - use password_secret (a QEMU secret object id)",
      "qemu_drives_vms[0] (v) drive 1: password: <hidden> is not accepted; a plain password is rendered only with "
      "credentials 'inline' or 'env'; by default give password_secret (the id of a QEMU secret object)"]),
    ("credentials inline without a password", {"qemu_drives_forms": ["args"], "qemu_drives_vms": [
        {"name": "v", "drives": [dict(ISCSI_USER, credentials="inline")]}]},
     ["qemu_drives_vms[0] (v) drive 0: credentials: 'inline' is not accepted; a plain password would be written "
      "into the files, so it needs qemu_drives_allow_plain_passwords: true - use password_secret (a QEMU secret "
      "object id)",
      "qemu_drives_vms[0] (v) drive 0: password: required with credentials 'inline'"]),
    ("option needs a newer QEMU", {"qemu_drives_qemu_version": "2.11",
                                   "qemu_drives_vms": [{"name": "v", "drives": [dict(NBD, options={"reconnect_delay": 1})]}]},
     ["qemu_drives_vms[0] (v) drive 0: options.reconnect_delay: 1 is not accepted; needs QEMU >= 4.2"]),
    ("read_only text", {"qemu_drives_vms": [{"name": "v", "drives": [dict(NBD, read_only="sometimes", xml="nah")]}]},
     ["qemu_drives_vms[0] (v) drive 0: read_only: 'sometimes' is not accepted; expected a boolean",
      "qemu_drives_vms[0] (v) drive 0: xml: 'nah' is not accepted; expected a boolean"]),
    ("target_dev not text", {"qemu_drives_vms": [{"name": "v", "drives": [dict(NBD, target_dev=["vda"]), NBD]}]},
     ["qemu_drives_vms[0] (v) drive 0: target_dev: ['vda'] is not accepted; " + DEV_NAME]),
    ("target_dev a number", {"qemu_drives_vms": [{"name": "v", "drives": [dict(NBD, target_dev=5)]}]},
     ["qemu_drives_vms[0] (v) drive 0: target_dev: 5 is not accepted; " + DEV_NAME]),
    ("device and bus", {"qemu_drives_vms": [{"name": "v", "drives": [dict(NBD, device="tape"), dict(NBD, target_bus="pci")]}]},
     ["qemu_drives_vms[0] (v) drive 0: device: 'tape' is not accepted; expected one of: disk, cdrom, lun, floppy",
      "qemu_drives_vms[0] (v) drive 1: target_bus: 'pci' is not accepted; expected one of: virtio, scsi, sata, ide, "
      "usb, xen, sd, fdc"]),
    ("target_bus not text", {"qemu_drives_vms": [{"name": "v", "drives": [dict(NBD, target_bus=["x"])]}]},
     ["qemu_drives_vms[0] (v) drive 0: target_bus: ['x'] is not accepted; expected one of: virtio, scsi, sata, "
      "ide, usb, xen, sd, fdc"]),
    ("a failed drive does not stop the disk XML of the next",
     {"qemu_drives_vms": [{"name": "v", "drives": [dict(NBD, export=5), dict(NBD, device="tape")]}]},
     ["qemu_drives_vms[0] (v) drive 0: export: 5 is not accepted; expected a string, got int",
      "qemu_drives_vms[0] (v) drive 1: device: 'tape' is not accepted; expected one of: disk, cdrom, lun, floppy"]),
    ("no ssh disk in libvirt 9.0", {"qemu_drives_libvirt_version": "9.0", "qemu_drives_vms": [
        {"name": "v", "drives": [{"protocol": "ssh", "server": {"host": "h"}, "path": "/d.img"}]}]},
     ["qemu_drives_vms[0] (v) drive 0: protocol: 'ssh' is not accepted; libvirt's domain schema (9.0, "
      "qemu_drives_libvirt_version) has no ssh network disk; set xml: false on this drive (its drives.args and "
      "blockdev.json are still written) or leave xml out of qemu_drives_forms"]),
    ("options the disk XML cannot carry", {"qemu_drives_vms": [{"name": "v", "drives": [
        {"protocol": "gluster", "server": {"host": "h"}, "volume": "v", "path": "a.img",
         "options": {"debug": 9, "logfile": "/x"}}]}]},
     ["qemu_drives_vms[0] (v) drive 0: options: ['debug', 'logfile'] is not accepted; debug, logfile cannot be "
      "written in libvirt disk XML; set xml_on_unexpressible: omit on this drive (or "
      "qemu_drives_xml_on_unexpressible: omit) to leave them out of disk-vda.xml knowingly, or xml: false"]),
    ("duplicate node names after a bad one", {"qemu_drives_vms": [{"name": "v", "drives": [
        dict(NBD, node_name="0bad"), dict(NBD, node_name="n"), dict(NBD, node_name="n")]}]},
     ["qemu_drives_vms[0] (v) drive 0: node_name: '0bad' is not accepted; expected a QEMU node name: a letter, "
      "then up to 30 letters, digits, '-', '.', '_'",
      "qemu_drives_vms[0] (v) drive 2: node_name: 'n' is not accepted; drive 1 already has this node name (QEMU: "
      "'Duplicate nodes with node-name')"]),
    ("iscsi without a libvirt secret", {"qemu_drives_vms": [{"name": "v", "drives": [ISCSI]}],
                                        "qemu_drives_forms": ["xml"]},
     ["qemu_drives_vms[0] (v) drive 0: secret_usage: iSCSI CHAP in libvirt XML needs exactly one of secret_usage "
      "or secret_uuid (the libvirt secret holding the password)"]),
]


@pytest.mark.parametrize("role_vars, expected", [s[1:] for s in SETTINGS], ids=[s[0] for s in SETTINGS])
def test_refusals_whole(role_vars, expected):
    assert messages(**role_vars) == expected


def test_with_guess():
    assert with_guess("other") == "other"
    assert with_guess("qemu_drives_dirs") == "qemu_drives_dirs (did you mean qemu_drives_dir?)"


@pytest.mark.parametrize("root, directory, base", [
    ("/", "/d//", "/d/v"), ("/r/", "/", "/r/v"), ("/rX", "/dX/", "/rX/dX/v"), (None, None, "/etc/qemu-drives/v"),
    ("", "/etc/qemu-drives", "/etc/qemu-drives/v"),
], ids=["root slash", "dir slash", "names ending in X", "null means default", "empty root"])
def test_paths(root, directory, base):
    assert list(files(qemu_drives_root=root, qemu_drives_dir=directory, qemu_drives_forms=["args"],
                      qemu_drives_vms=[{"name": "v", "drives": [NBD]}])) == [base + "/drives.args"]


def test_null_variables_mean_the_defaults():
    assert plan_drive_files({"qemu_drives_vms": None, "qemu_drives_forms": None, "qemu_drives_args_style": None,
                             "qemu_drives_strict_variables": None}) == {"files": [], "unknown_variables": []}
    assert files(qemu_drives_vms=[{"name": "v", "drives": None}]) == {
        "/etc/qemu-drives/v/drives.args": "", "/etc/qemu-drives/v/blockdev.json": "[]\n"}
    assert files(qemu_drives_vms=[{"name": "v"}], qemu_drives_forms=["args"]) == {
        "/etc/qemu-drives/v/drives.args": ""}


@pytest.mark.parametrize("text, value", [("TRUE", True), (" On ", True), ("1", True), ("yes", True),
                                         ("False", False), (" NO ", False), ("off", False), ("0", False)])
def test_boolean_texts(text, value):
    out = files(qemu_drives_vms=[{"name": "v", "drives": [dict(NBD, read_only=text, xml=text)]}])
    assert ("/etc/qemu-drives/v/disk-vda.xml" in out) is value
    assert ("readonly=on" in out["/etc/qemu-drives/v/drives.args"]) is value


def test_blockdev_style_cdrom_on_scsi_whole():
    drive = dict(NBD, read_only="TRUE", device="cdrom", target_bus="scsi", format="qcow2", node_name="n1")
    assert files(qemu_drives_vms=[{"name": "v", "drives": [drive]}], qemu_drives_args_style="blockdev") == {
        "/etc/qemu-drives/v/drives.args":
            '-blockdev\n{"driver":"qcow2","node-name":"n1","file":{"driver":"nbd","server":{"type":"inet",'
            '"host":"127.0.0.1","port":"10809"},"export":"e","read-only":true},"read-only":true}\n',
        "/etc/qemu-drives/v/blockdev.json":
            '[\n  {\n    "driver": "qcow2",\n    "file": {\n      "driver": "nbd",\n      "export": "e",\n'
            '      "read-only": true,\n      "server": {\n        "host": "127.0.0.1",\n        "port": "10809",\n'
            '        "type": "inet"\n      }\n    },\n    "node-name": "n1",\n    "read-only": true\n  }\n]\n',
        "/etc/qemu-drives/v/disk-sda.xml":
            '<disk type="network" device="cdrom">\n  <driver name="qemu" type="qcow2" />\n'
            '  <source protocol="nbd" name="e">\n    <host name="127.0.0.1" port="10809" />\n  </source>\n'
            '  <target dev="sda" bus="scsi" />\n  <readonly />\n</disk>\n'}


def test_libvirt_secrets_reach_the_disk_xml():
    uuid = "0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f"
    out = files(qemu_drives_vms=[{"name": "v", "drives": [dict(ISCSI, secret_usage="libvirtiscsi"),
                                                          dict(ISCSI, secret_uuid=uuid, target_bus="ide")]}],
                qemu_drives_forms=["xml"])
    source = ('<disk type="network" device="disk">\n  <driver name="qemu" type="raw" />\n'
              '  <source protocol="iscsi" name="iqn.2001-04.com.example:t/0">\n'
              '    <host name="127.0.0.1" port="3260" />\n    <auth username="u">\n')
    assert out == {
        "/etc/qemu-drives/v/disk-vda.xml": source + '      <secret type="iscsi" usage="libvirtiscsi" />\n'
        '    </auth>\n  </source>\n  <target dev="vda" bus="virtio" />\n</disk>\n',
        "/etc/qemu-drives/v/disk-hda.xml": source + '      <secret type="iscsi" uuid="%s" />\n'
        '    </auth>\n  </source>\n  <target dev="hda" bus="ide" />\n</disk>\n' % uuid}


def test_a_vm_without_forms_gets_no_files():
    assert files(qemu_drives_vms=[{"name": "v", "drives": [NBD]}], qemu_drives_forms=[]) == {}


def test_two_vms_each_their_files():
    out = files(qemu_drives_vms=[{"name": "a", "drives": [NBD]}, {"name": "b", "drives": [NBD, NBD]}],
                qemu_drives_forms=["args"])
    assert out == {"/etc/qemu-drives/a/drives.args": "-drive\n%s\n" % NBD_WORD,
                   "/etc/qemu-drives/b/drives.args": "-drive\n%s\n-drive\n%s\n" % (
                       NBD_WORD, NBD_WORD.replace("id=drive0", "id=drive1"))}


def test_a_bus_without_a_prefix_of_its_own_names_vd():
    out = files(qemu_drives_vms=[{"name": "v", "drives": [dict(NBD, target_bus="sd")]}], qemu_drives_forms=["xml"])
    assert out == {"/etc/qemu-drives/v/disk-vda.xml":
                   '<disk type="network" device="disk">\n  <driver name="qemu" type="raw" />\n'
                   '  <source protocol="nbd" name="e">\n    <host name="127.0.0.1" port="10809" />\n  </source>\n'
                   '  <target dev="vda" bus="sd" />\n</disk>\n'}


def test_a_newline_is_fine_without_drives_args():
    out = files(qemu_drives_vms=[{"name": "v", "drives": [dict(NBD, export="a\nb")]}], qemu_drives_forms=["blockdev"])
    assert list(out) == ["/etc/qemu-drives/v/blockdev.json"]
    assert '"export": "a\\nb"' in out["/etc/qemu-drives/v/blockdev.json"]
