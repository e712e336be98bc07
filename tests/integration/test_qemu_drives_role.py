"""The qemu_drives role through ansible-playbook: one planning call, one write, all or nothing."""

import json
import os
import re

from ansible_collections.virt_uri.toolkit.tests.support.playbook import run_playbook
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires

PLAY = """
- name: qemu_drives under a scratch root
  hosts: localhost
  gather_facts: false
  vars:
    qemu_drives_root: "{root}"
    qemu_drives_qemu_version: "7.2"
{extra}
  roles:
    - virt_uri.toolkit.qemu_drives
"""

NBD = "{protocol: nbd, server: {host: 127.0.0.1}, export: e%d}"


def play(tmp_path, vms, extra=""):
    text = "    qemu_drives_vms: %s\n%s" % (json.dumps(vms) if not isinstance(vms, str) else vms, extra)
    return PLAY.format(root=tmp_path / "root", extra=text)


def vms(count_vms=2, drives=3):
    return [{"name": "vm%d" % v, "drives": [{"protocol": "nbd", "server": {"host": "127.0.0.1"},
                                             "export": "vm%d-d%d" % (v, d)} for d in range(drives)]}
            for v in range(count_vms)]


def recap_changed(stdout):
    match = re.search(r"localhost\s+: ok=\d+\s+changed=(\d+)", stdout)
    assert match, stdout
    return int(match.group(1))


def written(tmp_path):
    return sorted(str(p.relative_to(tmp_path / "root")) for p in (tmp_path / "root").rglob("*") if p.is_file())


def test_check_mode_writes_nothing_and_shows_a_diff_per_file(tmp_path):
    proc = run_playbook(tmp_path, play(tmp_path, vms()), ["--check", "--diff"])
    assert recap_changed(proc.stdout) == 1
    assert not (tmp_path / "root").exists()
    for vm in ("vm0", "vm1"):
        for name in ("drives.args", "blockdev.json", "disk-vda.xml", "disk-vdb.xml", "disk-vdc.xml"):
            assert "+++ after: %s/etc/qemu-drives/%s/%s" % (tmp_path / "root", vm, name) in proc.stdout


def test_write_rerun_changes_nothing_then_a_one_drive_change_is_one_file(tmp_path):
    run_playbook(tmp_path, play(tmp_path, vms()))
    assert len(written(tmp_path)) == 10
    assert oct((tmp_path / "root/etc/qemu-drives/vm0/drives.args").stat().st_mode & 0o777) == "0o640"
    assert oct((tmp_path / "root/etc/qemu-drives/vm0").stat().st_mode & 0o777) == "0o750"
    assert recap_changed(run_playbook(tmp_path, play(tmp_path, vms())).stdout) == 0
    assert recap_changed(run_playbook(tmp_path, play(tmp_path, vms()), ["--check"]).stdout) == 0
    changed = vms()
    changed[1]["drives"][2]["export"] = "new"
    proc = run_playbook(tmp_path, play(tmp_path, changed), ["--diff"])
    assert recap_changed(proc.stdout) == 1
    diffed = re.findall(r"\+\+\+ after: (\S+)", proc.stdout)
    assert [p.split("/etc/qemu-drives/")[1] for p in diffed] == [
        "vm1/drives.args", "vm1/blockdev.json", "vm1/disk-vdc.xml"]
    assert "file.export=new" in (tmp_path / "root/etc/qemu-drives/vm1/drives.args").read_text()


def test_interface_injection_refused_and_nothing_written(tmp_path):
    bad = vms()
    bad[1]["drives"][0]["interface"] = "virtio,file=/etc/shadow"
    proc = run_playbook(tmp_path, play(tmp_path, bad), check=False)
    assert proc.returncode != 0
    assert ("qemu_drives_vms[1] (vm1) drive 0: interface: 'virtio,file=/etc/shadow' is not accepted; expected "
            "one of: none, ide, scsi, floppy, pflash, mtd, sd, virtio, xen") in proc.stdout + proc.stderr
    assert not (tmp_path / "root").exists()


def test_27_and_more_drives_get_libvirt_names(tmp_path):
    many = vms(1, 28)
    many[0]["drives"][0]["target_dev"] = "vdb"
    run_playbook(tmp_path, play(tmp_path, many, "    qemu_drives_forms: [xml]\n"))
    names = [p.rsplit("/", 1)[1] for p in written(tmp_path)]
    assert len(names) == 28
    assert {"disk-vda.xml", "disk-vdb.xml", "disk-vdz.xml", "disk-vdaa.xml", "disk-vdab.xml"} <= set(names)
    assert "disk-vdac.xml" not in names  # 28 drives: vda..vdz and vdaa, vdab
    assert '<target dev="vda" bus="virtio" />' in (tmp_path / "root/etc/qemu-drives/vm0/disk-vda.xml").read_text()
    assert "vm0-d1" in (tmp_path / "root/etc/qemu-drives/vm0/disk-vda.xml").read_text()  # first free name


def test_every_failed_check_is_its_own_message(tmp_path):
    bad = vms(3, 2)
    bad[0]["drives"][1]["server"]["port"] = 70000
    bad[2]["drives"][0]["format"] = "qcow2,file=/etc/shadow"
    bad[2]["drives"][1] = {"protocol": "ssh", "server": {"host": "h"}, "path": "/d.img"}
    proc = run_playbook(tmp_path, play(tmp_path, bad, '    qemu_drives_libvirt_version: "9.0"\n'), check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "qemu_drives: 3 problems, nothing was written:" in out
    assert "qemu_drives_vms[0] (vm0) drive 1: server.port: 70000 is not accepted" in out
    assert "qemu_drives_vms[2] (vm2) drive 0: format: 'qcow2,file=/etc/shadow' is not accepted" in out
    assert ("qemu_drives_vms[2] (vm2) drive 1: protocol: 'ssh' is not accepted; libvirt's domain schema (9.0, "
            "qemu_drives_libvirt_version) has no ssh network disk; set xml: false on this drive") in out
    assert not (tmp_path / "root").exists()


def test_libvirt_version_11_3_writes_the_ssh_disk(tmp_path):
    ssh = [{"name": "vm0", "drives": [{"protocol": "ssh", "server": {"host": "127.0.0.1"}, "path": "/d.img"}]}]
    run_playbook(tmp_path, play(tmp_path, ssh, '    qemu_drives_libvirt_version: "11.3"\n'))
    assert '<source protocol="ssh" name="/d.img">' in (tmp_path / "root/etc/qemu-drives/vm0/disk-vda.xml").read_text()


def test_unknown_variable_warns_and_strict_refuses(tmp_path):
    extra = "    qemu_drives_vm: []\n"
    proc = run_playbook(tmp_path, play(tmp_path, vms(1, 1), extra))
    assert "unknown variables ignored: qemu_drives_vm (did you mean qemu_drives_vms?)" in proc.stderr + proc.stdout
    proc = run_playbook(tmp_path, play(tmp_path, vms(1, 1), extra + "    qemu_drives_strict_variables: true\n"),
                        check=False)
    assert proc.returncode != 0
    assert "unknown variables (qemu_drives_strict_variables is true): qemu_drives_vm" in proc.stdout + proc.stderr


def test_nothing_to_write_creates_nothing(tmp_path):
    proc = run_playbook(tmp_path, play(tmp_path, []))
    assert recap_changed(proc.stdout) == 0
    assert not (tmp_path / "root").exists()


def test_one_unwritable_vm_directory_means_nothing_written(tmp_path):
    requires(tool="chattr", root="an immutable directory (root ignores mode bits)")
    run_playbook(tmp_path, play(tmp_path, vms()))
    before = {p: (tmp_path / "root" / p).read_text() for p in written(tmp_path)}
    locked = tmp_path / "root/etc/qemu-drives/vm1"
    changed = vms()
    changed[0]["drives"][0]["export"] = "new0"
    changed[1]["drives"][0]["export"] = "new1"
    os.chmod(locked, 0o500)
    try:
        # root ignores mode bits; an immutable directory stops root too
        assert os.system("chattr +i %s" % locked) == 0
        proc = run_playbook(tmp_path, play(tmp_path, changed), check=False)
    finally:
        os.system("chattr -i %s" % locked)
        os.chmod(locked, 0o750)
    assert proc.returncode != 0
    assert "nothing was written" in proc.stdout
    assert {p: (tmp_path / "root" / p).read_text() for p in written(tmp_path)} == before
