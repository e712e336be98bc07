# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults: an interrupted write of libvirt.conf leaves the previous file intact (the module writes
a temporary file in the same directory and renames it), and a broken or unreadable libvirt.conf on
one host fails that host clearly while the rest of the fleet proceeds."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

from ansible_collections.virt_uri.toolkit.tests.support.playbook import ROOT, run_playbook
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires

MODULE = ROOT / "plugins" / "modules" / "libvirt_conf.py"
OLD = '# the user\'s file\nuri_default = "qemu:///system"  # keep\nuri_aliases = [ "old=test:///default" ]\n'


def _module(path, settings, preexec=None, wait=True):
    args = Path(str(path) + ".args.json")
    args.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {
        "path": str(path), "settings": settings, "validate_with_virsh": False}}))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "collections"))
    proc = subprocess.Popen([sys.executable, str(MODULE), str(args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, preexec_fn=preexec, text=True)
    if not wait:
        return proc
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def _big_aliases(n):
    return {"a%05d" % i: "qemu+ssh://root@host%05d.example.com/system?keyfile=/root/.ssh/id_%05d" % (i, i)
            for i in range(n)}


def _leftovers(directory):
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(".libvirt.conf."))


def test_write_killed_by_file_size_limit_leaves_old_file(tmp_path):
    """RLIMIT_FSIZE makes the write of the new text fail half-way (SIGXFSZ kills the module, as a
    full disk or a crash would); libvirt.conf is still the old file, byte for byte."""
    conf = tmp_path / "libvirt.conf"
    conf.write_text(OLD)
    before = conf.stat()

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    code, out, err = _module(conf, {"uri_aliases": _big_aliases(2000)}, preexec=limit)
    assert code != 0, out  # killed (SIGXFSZ) or failed: it did not finish the write
    assert conf.read_text() == OLD
    assert conf.stat().st_ino == before.st_ino
    # without the limit the same call succeeds and replaces the file (a new inode: rename, not rewrite)
    code, out, err = _module(conf, {"uri_aliases": _big_aliases(2000)})
    assert code == 0, (out, err)
    assert conf.stat().st_ino != before.st_ino
    assert "a01999=qemu+ssh://root@host01999.example.com" in conf.read_text()
    assert "# the user's file" in conf.read_text()  # merge kept the user's lines
    print("temporary files left by the killed write:", _leftovers(tmp_path))


def test_sigkill_at_any_moment_leaves_old_or_new_file(tmp_path):
    """SIGKILL at increasing delays during a large write: the file is always either the old text or
    the complete new text, never a mixture or a truncation."""
    conf = tmp_path / "libvirt.conf"
    conf.write_text(OLD)
    code, _out, err = _module(tmp_path / "ref.conf", {"uri_aliases": _big_aliases(6000)})
    assert code == 0, err
    (tmp_path / "ref.conf").write_text(OLD)
    code, _out, err = _module(tmp_path / "ref.conf", {"uri_aliases": _big_aliases(6000)})
    new = (tmp_path / "ref.conf").read_text()
    states = {"old": 0, "new": 0}
    for step in range(24):
        conf.write_text(OLD)
        proc = _module(conf, {"uri_aliases": _big_aliases(6000)}, wait=False)
        time.sleep(0.05 + step * 0.04)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        text = conf.read_text()
        assert text in (OLD, new), "a partial libvirt.conf (%d bytes) after SIGKILL at step %d" % (len(text), step)
        states["old" if text == OLD else "new"] += 1
    print("SIGKILL outcomes:", states, "leftover temporary files:", _leftovers(tmp_path))


FLEET_PLAY = """- name: libvirt_client on three hosts
  hosts: fleet
  gather_facts: false
  roles:
    - role: virt_uri.toolkit.libvirt_client
"""


def test_broken_or_unreadable_conf_fails_only_that_host(tmp_path):
    """h1's libvirt.conf has a syntax error, h2's cannot be read by the user running Ansible: both
    fail with a message naming the file; h0 is configured anyway; h1 and h2 are left untouched."""
    unshare = requires(tool="unshare")
    requires(root="running the play as uid 1000 in a user namespace")
    roots = {h: tmp_path / h for h in ("h0", "h1", "h2")}
    for root in roots.values():
        root.mkdir()
    broken = 'uri_default = "qemu:///system\nuri_aliases = [ "x=test:///default" \n'
    (roots["h1"] / "libvirt.conf").write_text(broken)
    (roots["h2"] / "libvirt.conf").write_text(OLD)
    (roots["h2"] / "libvirt.conf").chmod(0o000)
    inventory = {"fleet": {"vars": {
        "ansible_connection": "local", "ansible_python_interpreter": sys.executable,
        "libvirt_client_system_path": "/libvirt.conf", "libvirt_client_uri_default": "local",
        "libvirt_client_uri_aliases": {"local": "qemu:///system", "hail": "qemu+ssh://root@hail.example.com/system"}},
        "hosts": {h: {"libvirt_client_root": str(root)} for h, root in roots.items()}}}
    (tmp_path / "inventory.json").write_text(json.dumps(inventory))
    home = tmp_path / "home"
    home.mkdir()
    for p in [tmp_path, home] + list(roots.values()):
        p.chmod(0o777)
    proc = run_playbook(tmp_path, FLEET_PLAY, name="play.yml", inventory=tmp_path / "inventory.json",
                        prefix=(unshare, "--user", "--map-user=1000", "--map-group=1000"), check=False,
                        timeout=600, env={"HOME": str(home)})
    out = proc.stdout
    assert proc.returncode == 2, (proc.returncode, out, proc.stderr)  # some hosts failed
    recap = {line.split()[0]: line for line in out.splitlines() if " : ok=" in line}
    assert "failed=0" in recap["h0"] and "unreachable=0" in recap["h0"], out
    assert "failed=1" in recap["h1"] and "failed=1" in recap["h2"], out
    written = (roots["h0"] / "libvirt.conf").read_text()
    assert '"local=qemu:///system"' in written and 'uri_default = "local"' in written
    assert (roots["h1"] / "libvirt.conf").read_text() == broken
    (roots["h2"] / "libvirt.conf").chmod(0o644)
    assert (roots["h2"] / "libvirt.conf").read_text() == OLD
    # clear per-host messages naming the file (ansible-core 2.19+: "[ERROR]: Task failed: Module failed: MSG")
    errors = [line for line in out.splitlines() if line.startswith("[ERROR]:")]
    h1_fail = [line for line in errors if str(roots["h1"] / "libvirt.conf") in line]
    h2_fail = [line for line in errors if str(roots["h2"] / "libvirt.conf") in line]
    print("\n".join(errors))
    assert h1_fail and "cannot be read by libvirt" in h1_fail[0] and "unterminated string" in h1_fail[0], errors
    assert h2_fail and "Permission denied" in h2_fail[0], errors
    assert "Traceback" not in h2_fail[0] and "MODULE FAILURE" not in h2_fail[0], h2_fail[0]
