#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fleet cost: the libvirt_client role on N inventory hosts against one ansible.builtin.template
task per host, in interleaved rounds; wall and CPU seconds
(median, min-max), the rerun's changed count; the lookup's per-call cost.

    .venv/bin/python benchmarks/bench_fleet.py      (FLEET_HOSTS=200 FLEET_ROUNDS=3 FLEET_FORKS=5)

Every host is a local connection with its own root directory (libvirt_client_root), so nothing
outside the temporary directory is written and nothing is contacted.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

HOSTS = int(os.environ.get("FLEET_HOSTS", "200"))
ROUNDS = int(os.environ.get("FLEET_ROUNDS", "3"))
FORKS = os.environ.get("FLEET_FORKS", "5")
LOOKUP_CALLS = int(os.environ.get("LOOKUP_CALLS", "300"))

ROLE_PLAY = """- name: libvirt_client on the fleet
  hosts: fleet
  gather_facts: false
  roles:
    - role: virt_uri.toolkit.libvirt_client
"""

# What a user writes without the collection: one template task per host, same aliases.
BASELINE_PLAY = """- name: plain template on the fleet
  hosts: fleet
  gather_facts: false
  tasks:
    - name: Write libvirt.conf
      ansible.builtin.template:
        src: libvirt.conf.j2
        dest: "{{ libvirt_client_root }}/libvirt.conf"
        mode: "0644"
"""
BASELINE_TEMPLATE = """# {{ ansible_managed }}
{% set aliases = libvirt_client_uri_aliases | combine(libvirt_client_uri_aliases__site | default({}))
                 | combine(libvirt_client_uri_aliases_host | default({})) %}
uri_aliases = [
{% for name, uri in aliases | dictsort %}
  "{{ name }}={{ uri }}",
{% endfor %}
]
uri_default = "{{ libvirt_client_uri_default }}"
"""


def write_inventory(base, hosts):
    lines = ["fleet:", "  vars:", "    ansible_connection: local",
             "    ansible_python_interpreter: %s" % sys.executable,
             "    libvirt_client_system_path: /libvirt.conf",
             "    libvirt_client_uri_default: local",
             "    libvirt_client_uri_aliases:",
             "      local: qemu:///system",
             "      hail: qemu+ssh://root@hail.example.com/system?keyfile=/root/.ssh/id_ed25519",
             "      lab: qemu+tls://lab.example.com/system",
             "    libvirt_client_uri_aliases__site:",
             "      test: test:///default",
             "  hosts:"]
    for i in range(hosts):
        root = base / "roots" / ("h%03d" % i)
        root.mkdir(parents=True, exist_ok=True)
        lines += ["    h%03d:" % i,
                  "      libvirt_client_root: %s" % root,
                  "      libvirt_client_uri_aliases_host:",
                  "        self: qemu+ssh://root@h%03d.example.com/system" % i]
    (base / "inventory.yml").write_text("\n".join(lines) + "\n")


def run_play(base, play_name, env):
    """(wall s, CPU s, changed, hosts in the recap) of one ansible-playbook run."""
    proc, wall, cpu = common.run_timed([common.venv_bin("ansible-playbook"), "-i", str(base / "inventory.yml"),
                                        "-f", FORKS, str(base / play_name)], env=env, cwd=str(base))
    if proc.returncode != 0:
        raise SystemExit("%s failed (%d):\n%s\n%s" % (play_name, proc.returncode, proc.stdout[-4000:], proc.stderr[-2000:]))
    changed = sum(int(m.group(1)) for m in re.finditer(r"^\S+\s+:\s+ok=\d+\s+changed=(\d+)", proc.stdout, re.M))
    hosts = len(re.findall(r"^\S+\s+:\s+ok=", proc.stdout, re.M))
    return wall, cpu, changed, hosts


def clean_roots(base):
    for root in (base / "roots").iterdir():
        for child in root.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()


def lookup_cost(base):
    """µs per lookup call: through the templar (as a playbook calls it) and the plugin's run()."""
    common.setup_collection()
    conf = base / "lookup-libvirt.conf"
    conf.write_text('uri_aliases = [ "local=qemu:///system", "hail=qemu+ssh://root@hail.example.com/system" ]\n'
                    'uri_default = "hail"\n')
    templar, loader = common.make_templar({"conf": str(conf)}, base)
    expr = common.trusted("{{ lookup('virt_uri.toolkit.libvirt_default_uri', config=conf, probe=false) }}")
    first = templar.template(expr)
    assert first == "qemu+ssh://root@hail.example.com/system", first
    from ansible.plugins.loader import lookup_loader
    plugin = lookup_loader.get("virt_uri.toolkit.libvirt_default_uri", loader=loader, templar=templar)
    env_saved = os.environ.pop("LIBVIRT_DEFAULT_URI", None)
    try:
        times = common.alternate({
            "templar": lambda: [templar.template(expr) for _call in range(LOOKUP_CALLS)],
            "run()": lambda: [plugin.run([], variables={}, config=str(conf), probe=False) for _call in range(LOOKUP_CALLS)],
        }, rounds=3)
    finally:
        if env_saved is not None:
            os.environ["LIBVIRT_DEFAULT_URI"] = env_saved
    return {k: common.median(v) / LOOKUP_CALLS * 1e6 for k, v in times.items()}


PLAYS = (("role", "role.yml"), ("template", "baseline.yml"))


def main():
    common.print_machine()
    loads = [os.getloadavg()[0]]
    base = Path(tempfile.mkdtemp(prefix="bench-fleet."))
    # figures[play][run] -> {"wall": [...], "cpu": [...], "changed": [...]}, run = "first" / "rerun"
    figures = {name: {run: {"wall": [], "cpu": [], "changed": []} for run in ("first", "rerun")}
               for name, _play in PLAYS}
    rows, sample = [], ""
    try:
        write_inventory(base, HOSTS)
        (base / "role.yml").write_text(ROLE_PLAY)
        (base / "baseline.yml").write_text(BASELINE_PLAY)
        (base / "libvirt.conf.j2").write_text(BASELINE_TEMPLATE)
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(common.COLLECTIONS), ANSIBLE_NOCOLOR="1",
                   ANSIBLE_CONFIG=str(common.ROOT / "ansible.cfg"), ANSIBLE_LOCAL_TEMP=str(base / "tmp"),
                   ANSIBLE_HOST_KEY_CHECKING="0", ANSIBLE_RETRY_FILES_ENABLED="0",
                   PATH="%s:%s" % (Path(sys.executable).parent, os.environ.get("PATH", "")))
        # Interleaved: template, role, template, role ... so that a burst of other work on the
        # machine hits both plays alike; each play on clean roots (first run), then again (rerun).
        for index in range(ROUNDS):
            for name, play in reversed(PLAYS):
                clean_roots(base)
                for run in ("first", "rerun"):
                    wall, cpu, changed, hosts = run_play(base, play, env)
                    assert hosts == HOSTS, (hosts, HOSTS)
                    cell = figures[name][run]
                    cell["wall"].append(wall)
                    cell["cpu"].append(cpu)
                    cell["changed"].append(changed)
                    loads.append(os.getloadavg()[0])
                    rows.append(("%s round %d, %s" % (name, index + 1, run), "%.1f" % wall, "%.1f" % cpu,
                                 changed, "%.1f" % loads[-1]))
                if name == "role":
                    sample = (base / "roots" / "h000" / "libvirt.conf").read_text()
        lookup = lookup_cost(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)

    def med(name, run, what):
        return common.median(figures[name][run][what])

    print()
    print("fleet: %d hosts (local connections, a root directory each), forks=%s, %d interleaved round(s)"
          % (HOSTS, FORKS, ROUNDS))
    print(common.table(["run", "wall s", "CPU s", "changed", "load (1 min) after"], rows))
    print()
    print(common.table(["play, run", "wall s median (min-max)", "CPU s median (min-max)", "changed"], [
        ("%s, %s" % (name, run), common.spread(figures[name][run]["wall"]), common.spread(figures[name][run]["cpu"]),
         "/".join(str(c) for c in sorted(set(figures[name][run]["changed"]))))
        for name, _play in PLAYS for run in ("first", "rerun")]))
    print()
    print(common.table(["fleet figure", "value", "goal"], [
        ("ratio role / template, first run, wall (medians)", "%.2f" % (med("role", "first", "wall") / med("template", "first", "wall")), "<= 1.0"),
        ("ratio role / template, first run, CPU (medians)", "%.2f" % (med("role", "first", "cpu") / med("template", "first", "cpu")), ""),
        ("ratio role / template, rerun, wall (medians)", "%.2f" % (med("role", "rerun", "wall") / med("template", "rerun", "wall")), "<= 1.0"),
        ("ratio role / template, rerun, CPU (medians)", "%.2f" % (med("role", "rerun", "cpu") / med("template", "rerun", "cpu")), ""),
        ("role rerun changed count (max over rounds)", max(figures["role"]["rerun"]["changed"]), "0"),
        ("per host, first run wall: role / template, ms", "%.0f / %.0f" % (
            med("role", "first", "wall") / HOSTS * 1000, med("template", "first", "wall") / HOSTS * 1000), ""),
        ("lookup libvirt_default_uri through the templar, µs per call", "%.0f" % lookup["templar"], ""),
        ("lookup libvirt_default_uri plugin run(), µs per call", "%.0f" % lookup["run()"], ""),
        ("load average (1 min) over the runs: min / median / max", "%.1f / %.1f / %.1f" % (
            min(loads), common.median(loads), max(loads)), ""),
    ]))
    print()
    print("a file the role wrote (h000):\n" + sample)
    print("load average at the end: %.1f/%.1f/%.1f" % os.getloadavg())


if __name__ == "__main__":
    main()
