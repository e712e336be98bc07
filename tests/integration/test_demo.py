"""`make demo` (hack/demo), the README's main job, renders the sample fleet and libvirt reads it."""

import os
import shutil
import subprocess
import sys

from ansible_collections.virt_uri.toolkit.tests.support.playbook import ROOT
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires


def test_demo_renders_the_fleet(tmp_path):
    requires(tool="virsh")
    requires(tool="unshare")
    # hack/demo writes build/demo/ of the checkout: run it on a copy, so a developer's tree stays as it was
    work = tmp_path / "checkout"
    shutil.copytree(ROOT, work, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "build", "collections", ".hypothesis", ".pytest_cache", "tests"))
    (work / "collections" / "ansible_collections" / "virt_uri").mkdir(parents=True)
    (work / "collections" / "ansible_collections" / "virt_uri" / "toolkit").symlink_to(work)
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
               ANSIBLE_COLLECTIONS_PATH=str(work / "collections"), ANSIBLE_CONFIG=str(work / "ansible.cfg"))
    proc = subprocess.run([str(work / "hack" / "demo")], cwd=work, env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    out = proc.stdout
    assert "hail: aliases hail, local, sandbox, sleet; uri_default local; VMs web" in out
    # virsh as uid 1000 resolved the alias from the file the role wrote
    assert "virsh -c sandbox uri   # as uid 1000\ntest:///default" in out
    assert "failed=0" in out and "failed=1" not in out
    for rendered in ("hail/etc/libvirt/libvirt.conf", "hail/etc/qemu-drives/web/drives.args",
                     "hail/etc/qemu-drives/web/disk-sdb.xml", "sleet/home/operator/.config/libvirt/libvirt.conf"):
        assert (work / "build" / "demo" / rendered).is_file(), rendered
