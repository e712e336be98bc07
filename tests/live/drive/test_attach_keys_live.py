# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's attach keys (if=, id / node-name, format) against QEMU 10.0 itself.

QEMU runs from the Debian trixie root (/var/cache/virt_uri_toolkit/trixie-root, QEMU 10.0.13) in a
private mount namespace: ``qemu-system-x86_64 -M none`` parses -drive exactly as a VM start does
and reports what it opened over QMP (query-block); nothing is connected to.
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.attach_keys import FORMATS, INTERFACES
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_opts
from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet.drive_files import PlanError, plan_drive_files
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires, unavailable
from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import trixie_root_path

ROOT = trixie_root_path()  # $VIRT_URI_TRIXIE_ROOT or the root hack/trixie-root builds
NBD = {"protocol": "nbd", "server": {"host": "127.0.0.1", "port": 1}, "export": "x"}
QMP = '{"execute":"qmp_capabilities"}\n{"execute":"query-block"}\n{"execute":"quit"}\n'


@pytest.fixture(scope="module")
def trixie():
    requires(tool="unshare", root="QEMU 10 in the trixie root (chroot, mount namespace)")
    if not os.path.exists(os.path.join(ROOT, "usr/bin/qemu-system-x86_64")):
        unavailable("the trixie root with qemu-system-x86 at %s (hack/trixie-root)" % ROOT)
    return ROOT


def in_root(root, scratch, argv, stdin=""):
    """Run argv in the trixie root with `scratch` bound at /mnt; returns (rc, stdout + stderr)."""
    script = ('set -e; R="$1"; S="$2"; shift 2; mount -t proc proc "$R/proc"; mount --rbind /dev "$R/dev"; '
              'mount --bind "$S" "$R/mnt"; exec chroot "$R" "$@"')
    proc = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", root,
                           str(scratch), *argv], input=stdin, capture_output=True, text=True, timeout=60,
                          check=False)
    return proc.returncode, proc.stdout + proc.stderr


def qemu_drive(root, scratch, drive):
    return in_root(root, scratch, ["qemu-system-x86_64", "-M", "none", "-nodefaults", "-display", "none", "-S",
                                   "-qmp", "stdio", "-drive", drive], QMP)


@pytest.fixture()
def local_image(tmp_path, trixie):
    rc, out = in_root(trixie, tmp_path, ["qemu-img", "create", "-f", "raw", "/mnt/local.img", "1M"])
    assert rc == 0, out
    return tmp_path


def test_text_after_if_is_read_as_more_options(trixie, local_image):
    """Why interface is checked: QEMU reads 'virtio,file=...' as if= plus a file= of its own."""
    injected = "none,file=/mnt/local.img,format=raw"
    rc, out = qemu_drive(trixie, local_image, "if=%s,id=drive0" % injected)
    assert rc == 0, out
    block = next(json.loads(line) for line in out.splitlines() if '"device": "drive0"' in line)
    assert block["return"][0]["inserted"]["file"] == "/mnt/local.img"  # QEMU opened the injected local file
    # What the old role wrote for such an interface: QEMU takes file= as the drive's filename.
    old = render_opts(NBD, fmt="raw") + ",if=none,file=/mnt/local.img,id=drive0"
    rc, out = qemu_drive(trixie, local_image, old)
    assert rc != 0 and "cannot be used with a file name" in out, out
    with pytest.raises(PlanError) as info:
        plan_drive_files({"qemu_drives_vms": [{"name": "vm", "drives": [dict(NBD, interface=injected)]}]})
    assert "interface: 'none,file=/mnt/local.img,format=raw' is not accepted" in str(info.value)


@pytest.mark.parametrize("interface", INTERFACES + ("bogus", "VIRTIO"))
def test_accepted_interfaces_are_qemu_if_values(trixie, tmp_path, interface):
    rc, out = qemu_drive(trixie, tmp_path, "driver=null-co,if=%s,id=drive0" % interface)
    # blockdev.c drive_new(): an unknown if= fails with "Unsupported bus type"; a known one may still
    # fail later because -M none has no such bus, which is not the parser refusing it.
    refused = "unsupported bus type" in out.lower()
    assert refused == (interface not in INTERFACES), out
    if interface == "none":
        assert rc == 0, out


@pytest.mark.parametrize("name,ok", [("a" * 31, True), ("n.1-x_y", True), ("a" * 32, False), ("0abc", False),
                                     ("a,b", False), ("#block1", False)])
def test_node_name_rule_is_qemus(trixie, tmp_path, name, ok):
    rc, out = in_root(trixie, tmp_path, ["qemu-img", "info", "--image-opts",
                                         "driver=null-co,node-name=%s" % name.replace(",", ",,")])
    assert (rc == 0) == ok, out
    try:
        plan_drive_files({"qemu_drives_vms": [{"name": "vm", "drives": [dict(NBD, node_name=name)]}],
                          "qemu_drives_forms": ["blockdev"]})
        accepted = True
    except PlanError:
        accepted = False
    assert accepted == ok


def test_formats_are_qemu_format_drivers(trixie, tmp_path):
    rc, out = in_root(trixie, tmp_path, ["qemu-img", "--help"])
    supported = set(re.search(r"Supported (?:image )?formats:\s*(.*?)\n\n", out, re.S).group(1).split())
    assert "raw" in supported and "qcow2" in supported, out
    assert set(FORMATS) <= supported, set(FORMATS) - supported
