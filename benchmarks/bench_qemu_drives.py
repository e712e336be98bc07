# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""qemu_drives cost on one host: 10 VMs x 3 drives against one ansible.builtin.template task.

    .venv/bin/python benchmarks/bench_qemu_drives.py      (DRIVES_VMS=10 DRIVES_PER_VM=3 DRIVES_ROUNDS=5)

Three playbooks run alternately on a local connection, each on a clean scratch root and then
again (rerun): the qemu_drives role writing every VM's drives.args, blockdev.json and disk XML
(10 x (2 + 3) = 50 files), one template task writing one file from the same variables, and an
empty play (Ansible's own start-up). Figures are printed, never asserted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

VMS = int(os.environ.get("DRIVES_VMS", "10"))
PER_VM = int(os.environ.get("DRIVES_PER_VM", "3"))
ROUNDS = int(os.environ.get("DRIVES_ROUNDS", "5"))

HEAD = """- name: {name}
  hosts: localhost
  gather_facts: false
  vars_files: [vars.yml]
"""
PLAYS = {
    "role": HEAD.format(name="qemu_drives") + "  roles:\n    - virt_uri.toolkit.qemu_drives\n",
    "template": HEAD.format(name="one template task") + """  tasks:
    - name: Write one file
      ansible.builtin.template:
        src: drives.j2
        dest: "{{ qemu_drives_root }}/drives.txt"
        mode: "0640"
""",
    "empty": HEAD.format(name="empty play") + "  tasks: []\n",
}
TEMPLATE = """{% for vm in qemu_drives_vms %}
{% for d in vm.drives %}
{{ vm.name }} {{ loop.index0 }} nbd://{{ d.server.host }}/{{ d.export }}
{% endfor %}
{% endfor %}
"""


def variables(root):
    vms = [{"name": "vm%02d" % v, "drives": [{"protocol": "nbd", "server": {"host": "192.0.2.%d" % (d + 1)},
                                              "export": "vm%02d-disk%d" % (v, d)} for d in range(PER_VM)]}
           for v in range(VMS)]
    return {"qemu_drives_root": str(root), "qemu_drives_qemu_version": "7.2", "qemu_drives_vms": vms,
            "ansible_python_interpreter": sys.executable}


CPU = {}  # play -> CPU seconds of every run (first runs and reruns)


def run_play(base, name, env):
    proc, wall, cpu = common.run_timed([common.venv_bin("ansible-playbook"), "-i", "localhost,", "-c", "local",
                                        str(base / (name + ".yml"))], env=env, cwd=str(base))
    CPU.setdefault(name, []).append(cpu)
    if proc.returncode != 0:
        raise SystemExit("%s failed (%d):\n%s\n%s" % (name, proc.returncode, proc.stdout[-4000:], proc.stderr[-2000:]))
    match = re.search(r"localhost\s+: ok=\d+\s+changed=(\d+)", proc.stdout)
    return wall, int(match.group(1)) if match else 0  # the empty play has no recap line


def main():
    common.print_machine()
    base = Path(tempfile.mkdtemp(prefix="bench-drives."))
    root = base / "root"
    try:
        (base / "vars.yml").write_text(json.dumps(variables(root)))
        (base / "drives.j2").write_text(TEMPLATE)
        for name, text in PLAYS.items():
            (base / (name + ".yml")).write_text(text)
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(common.COLLECTIONS), ANSIBLE_NOCOLOR="1",
                   ANSIBLE_CONFIG=str(common.ROOT / "ansible.cfg"), ANSIBLE_LOCAL_TEMP=str(base / "tmp"),
                   PATH="%s:%s" % (Path(sys.executable).parent, os.environ.get("PATH", "")))
        first = {name: [] for name in PLAYS}
        again = {name: [] for name in PLAYS}
        changed = {name: set() for name in PLAYS}
        rerun_changed = {name: set() for name in PLAYS}
        files = 0
        for _round in range(ROUNDS):
            for name in PLAYS:
                shutil.rmtree(root, ignore_errors=True)
                root.mkdir()
                wall, count = run_play(base, name, env)
                first[name].append(wall)
                changed[name].add(count)
                if name == "role":
                    files = sum(1 for p in root.rglob("*") if p.is_file())
                wall, count = run_play(base, name, env)
                again[name].append(wall)
                rerun_changed[name].add(count)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    med = {k: common.median(v) for k, v in first.items()}
    med_again = {k: common.median(v) for k, v in again.items()}
    print()
    print("qemu_drives: %d VMs x %d drives on one host (%d files), %d alternating rounds, medians"
          % (VMS, PER_VM, files, ROUNDS))
    print(common.table(["play", "first run s", "changed", "rerun s", "rerun changed"], [
        (name, "%.2f" % med[name], "/".join(map(str, sorted(changed[name]))), "%.2f" % med_again[name],
         "/".join(map(str, sorted(rerun_changed[name])))) for name in PLAYS]))
    print()

    def over_empty(name, table):
        return table[name] - table["empty"]

    print(common.table(["figure", "first run", "rerun", "goal"], [
        ("role / template, whole playbook", "%.2f" % (med["role"] / med["template"]),
         "%.2f" % (med_again["role"] / med_again["template"]), "<= 1.5"),
        ("role / template, beyond the empty play", "%.2f" % (over_empty("role", med) / over_empty("template", med)),
         "%.2f" % (over_empty("role", med_again) / over_empty("template", med_again)), ""),
        ("role beyond the empty play, s", "%.2f" % over_empty("role", med), "%.2f" % over_empty("role", med_again), ""),
        ("template beyond the empty play, s", "%.2f" % over_empty("template", med),
         "%.2f" % over_empty("template", med_again), ""),
    ]))
    print()
    print(common.table(["play", "wall s median (min-max), first run", "wall s, rerun", "CPU s median (min-max), all runs"], [
        (name, common.spread(first[name], "%.2f"), common.spread(again[name], "%.2f"), common.spread(CPU[name], "%.2f"))
        for name in PLAYS]))
    print("role / template, CPU (medians of all runs): %.2f" % (common.median(CPU["role"]) / common.median(CPU["template"])))
    print("load average at the end: %.1f/%.1f/%.1f" % os.getloadavg())


if __name__ == "__main__":
    main()
