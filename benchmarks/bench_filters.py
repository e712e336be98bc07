#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter cost inside Ansible's own templar, against hand-written Jinja; plugin load cost.

    .venv/bin/python benchmarks/bench_filters.py        (BENCH_N=10000 BENCH_ROUNDS=5)

Every variant renders the same N specs in one template; variants run alternately in one
process and the median round is reported.  Outputs are compared before timing so every
variant renders the same strings.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

N = int(os.environ.get("BENCH_N", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


# ---------------------------------------------------------------- data
def drive_specs(n):
    """Mixed protocols, IPv4/IPv6/DNS hosts, default and explicit ports, Unix sockets."""
    out = []
    for i in range(n):
        k = i % 11
        v4, v6, dns = "192.0.2.%d" % (i % 250 + 1), "2001:db8::%x" % (i % 4096 + 1), "host%d.example.com" % i
        if k == 0:
            out.append({"protocol": "nbd", "server": {"host": v4, "port": 10809}, "export": "vm%d" % i})
        elif k == 1:
            out.append({"protocol": "nbd", "server": {"host": v6, "port": 10900 + i % 50}, "export": "vm%d" % i})
        elif k == 2:
            out.append({"protocol": "nbd", "server": {"socket": "/run/nbd/vm%d.sock" % i}, "export": "vm%d" % i})
        elif k == 3:
            out.append({"protocol": "iscsi", "server": {"host": v4, "port": 3261},
                        "target": "iqn.2001-04.com.example:s%d" % i, "lun": i % 8})
        elif k == 4:
            out.append({"protocol": "iscsi", "server": {"host": v6},
                        "target": "iqn.2001-04.com.example:s%d" % i, "lun": 0})
        elif k == 5:
            out.append({"protocol": "ssh", "server": {"host": dns, "port": 2222}, "user": "root",
                        "path": "/var/lib/images/vm%d.img" % i})
        elif k == 6:
            out.append({"protocol": "gluster", "server": {"host": v4}, "volume": "vol%d" % (i % 7),
                        "path": "dir/vm%d.img" % i})
        elif k == 7:
            out.append({"protocol": "gluster", "server": {"socket": "/run/glusterd.socket"},
                        "volume": "vol%d" % (i % 7), "path": "vm%d.img" % i})
        elif k == 8:
            out.append({"protocol": "https", "server": {"host": dns, "port": 8443}, "path": "/images/vm%d.img" % i})
        elif k == 9:
            out.append({"protocol": "http", "server": {"host": v6}, "path": "/images/vm%d.img" % i})
        else:
            out.append({"protocol": "ssh", "server": {"host": v4}, "path": "/srv/vm%d.qcow2" % i})
    return out


def conn_specs(n):
    out = []
    for i in range(n):
        k = i % 5
        if k == 0:
            out.append({"driver": "qemu", "transport": "ssh", "user": "root", "host": "h%d.example.com" % i,
                        "port": 2222, "path": "/system", "params": {"keyfile": "/root/.ssh/id%d" % i}})
        elif k == 1:
            out.append({"driver": "qemu", "transport": "tls", "host": "2001:db8::%x" % (i % 4096 + 1),
                        "path": "/system"})
        elif k == 2:
            out.append({"driver": "qemu", "transport": "unix", "path": "/system",
                        "params": {"socket": "/run/libvirt/s%d" % i}})
        elif k == 3:
            out.append({"driver": "test", "transport": "tcp", "host": "192.0.2.%d" % (i % 250 + 1),
                        "port": 16510, "path": "/default"})
        else:
            out.append({"driver": "qemu", "transport": "ssh", "user": "admin%d" % i, "host": "192.0.2.9",
                        "path": "/session"})
    return out


# ---------------------------------------------------------------- templates
# What users write today: concatenation, no validation, no escaping.
HAND_DRIVE = r"""{% set dp = {'nbd': 10809, 'iscsi': 3260, 'ssh': 22, 'gluster': 24007, 'http': 80, 'https': 443, 'ftp': 21, 'ftps': 990} -%}
{% for d in drives -%}
{% set s = d.server -%}
{% set h = ('[' ~ s.host ~ ']') if (s.host is defined and ':' in s.host) else s.host -%}
{% set p = (':' ~ s.port) if (s.port is defined and s.port != dp[d.protocol]) else '' -%}
{% if d.protocol == 'nbd' -%}
{% if s.socket is defined %}nbd+unix:///{{ d.export }}?socket={{ s.socket }}{% else %}nbd://{{ h }}{{ p }}/{{ d.export }}{% endif %}
{% elif d.protocol == 'iscsi' -%}
iscsi://{{ h }}{{ p }}/{{ d.target }}/{{ d.lun }}
{% elif d.protocol == 'ssh' -%}
ssh://{{ (d.user ~ '@') if d.user is defined else '' }}{{ h }}{{ p }}{{ d.path }}
{% elif d.protocol == 'gluster' -%}
{% if s.socket is defined %}gluster+unix:/{{ d.volume }}/{{ d.path }}?socket={{ s.socket }}{% else
%}gluster://{{ h }}{{ p }}/{{ d.volume }}/{{ d.path }}{% endif %}
{% else -%}
{{ d.protocol }}://{{ h }}{{ p }}{{ d.path }}
{% endif -%}
{{ '\n' }}{% endfor %}"""

# Ansible escapes backslashes in template expressions: the newline is a real one.
HAND_DRIVE = HAND_DRIVE.replace("{{ '\\n' }}", "{{ '\n' }}")
FILTER_DRIVE_LOOP = "{% for d in drives %}{{ d | virt_uri.toolkit.qemu_drive_uri }}\n{% endfor %}"
FILTER_DRIVE_MAP = "{{ drives | map('virt_uri.toolkit.qemu_drive_uri') | join('\n') }}"
FILTER_DRIVE_LIST = "{{ drives | virt_uri.toolkit.qemu_drive_uri | join('\n') }}"

HAND_CONN = r"""{% for c in conns -%}
{% set t = c.transport | default('') %}{% set u = c.user | default('') %}{% set h = c.host | default('') -%}
{{ c.driver }}{{ ('+' ~ t) if t else '' }}://{{ (u ~ '@') if u else '' -}}
{{ (('[' ~ h ~ ']') if ':' in h else h) if h else '' }}{{ (':' ~ c.port) if c.port | default(0) else '' }}{{ c.path -}}
{% if c.params | default({}) %}?{% for k, v in c.params.items() %}{{ k }}={{ v | urlencode | replace('/', '%2F')
}}{% if not loop.last %}&{% endif %}{% endfor %}{% endif %}{{ '\n' }}{% endfor %}"""
HAND_CONN = HAND_CONN.replace("{{ '\\n' }}", "{{ '\n' }}")
FILTER_CONN_LOOP = "{% for c in conns %}{{ c | virt_uri.toolkit.libvirt_remote_uri }}\n{% endfor %}"
FILTER_CONN_MAP = "{{ conns | map('virt_uri.toolkit.libvirt_remote_uri') | join('\n') }}"
FILTER_CONN_LIST = "{{ conns | virt_uri.toolkit.libvirt_remote_uri | join('\n') }}"


def lines(text):
    return [x for x in str(text).splitlines() if x.strip()]


def list_fast_path_available(templar, var):
    from ansible.errors import AnsibleError
    try:
        templar.template(common.trusted(FILTER_DRIVE_LIST if var == "drives" else FILTER_CONN_LIST))
        return True
    except AnsibleError:
        return False


def input_types(templar, filter_module, core_name, filter_name, var):
    """The types the filter's core function receives from the templar (the spec mapping and its
    first value): proof the data went through Ansible's lazy/tagged containers."""
    seen = []
    original = getattr(filter_module, core_name)

    def spy(spec, *args, **kwargs):
        if not seen:
            seen.append(type(spec).__name__)
            seen.append(type(next(iter(spec.values()))).__name__)
        return original(spec, *args, **kwargs)

    setattr(filter_module, core_name, spy)
    try:
        templar.template(common.trusted("{{ %s[0] | virt_uri.toolkit.%s }}" % (var, filter_name)))
    finally:
        setattr(filter_module, core_name, original)
    return " / ".join(seen) if seen else "not observed"


def bench_family(title, templar, var, data, hand, loop, mapped, listed, direct_func, bare_env, results):
    n = len(data)
    variants = {"hand-written Jinja (no validation)": hand, "filter, one call per spec ({% for %})": loop,
                "filter via map()": mapped}
    if list_fast_path_available(templar, var):
        variants["filter, whole list in one call"] = listed
    expected = None
    for name, src in variants.items():
        got = lines(templar.template(common.trusted(src)))
        if expected is None:
            expected = got
        if got != expected or len(got) != n:
            diff = next((i for i, (a, b) in enumerate(zip(expected, got)) if a != b), None)
            raise SystemExit("%s: %r renders differently (%d lines; first difference at %s: %r vs %r)" % (
                title, name, len(got), diff, expected[diff] if diff is not None else None,
                got[diff] if diff is not None else None))
    cases = {name: (lambda src=src: templar.template(common.trusted(src))) for name, src in variants.items()}
    plain = [dict(x) for x in data]
    cases["direct Python call on plain dicts (core only)"] = lambda: [direct_func(x) for x in plain]
    if bare_env is not None:
        env, hand_src, loop_src = bare_env
        t_hand, t_loop = env.from_string(hand_src), env.from_string(loop_src)
        cases["bare Jinja2: hand-written"] = lambda: t_hand.render(**{var: plain})
        cases["bare Jinja2: filter per spec"] = lambda: t_loop.render(**{var: plain})
    times = common.alternate(cases, ROUNDS)
    hand_us = common.median(times["hand-written Jinja (no validation)"]) / n * 1e6
    for name in cases:
        us = common.median(times[name]) / n * 1e6
        results.append((title, name, "%.1f" % us, "%.2f" % (us / hand_us)))


IMPORT_PRELUDE = """
import sys, time, importlib
sys.path.insert(0, %r)
import ansible.errors, ansible.plugins.lookup, ansible.plugins.filter, ansible.utils.display
import ansible.template, ansible.module_utils.common.text.converters
from ansible.plugins.loader import init_plugin_loader
init_plugin_loader([%r])
import ipaddress, urllib.parse, json, re, shlex, functools, types
P = 'ansible_collections.virt_uri.toolkit.plugins.'
t = time.perf_counter()
"""

SAMPLE_CALLS = {
    "qemu_drive_uri": "{'protocol': 'nbd', 'server': {'host': '192.0.2.1'}, 'export': 'x'}",
    "libvirt_remote_uri": "{'driver': 'qemu', 'transport': 'ssh', 'host': 'h.example.com', 'path': '/system'}",
}


def import_scenarios():
    """{scenario: python code run after Ansible itself is loaded}."""
    names = sorted(p.stem for p in (common.ROOT / "plugins" / "filter").glob("*.py") if p.stem != "__init__")
    all_mods = ["filter." + n for n in names] + ["lookup.libvirt_default_uri"]
    core_mods = sorted("module_utils." + str(p.relative_to(common.ROOT / "plugins" / "module_utils"))[:-3].replace("/", ".")
                       for p in (common.ROOT / "plugins" / "module_utils").rglob("*.py") if p.stem != "__init__")
    imp_all = "for m in %r: importlib.import_module(P + m)\n" % all_mods
    return {
        "import every filter module and the lookup": imp_all,
        "everything: every plugin module and every module_utils module (upper bound)": (
            imp_all + "for m in %r: importlib.import_module(P + m)\n" % core_mods),
        "qemu_drive_uri: import + first call": (
            "m = importlib.import_module(P + 'filter.qemu_drive_uri')\n"
            "m.qemu_drive_uri(%s)\n" % SAMPLE_CALLS["qemu_drive_uri"]),
        "libvirt_remote_uri: import + first call": (
            "m = importlib.import_module(P + 'filter.libvirt_remote_uri')\n"
            "m.libvirt_remote_uri(%s)\n" % SAMPLE_CALLS["libvirt_remote_uri"]),
        "lookup libvirt_default_uri: import": "importlib.import_module(P + 'lookup.libvirt_default_uri')\n",
    }, len(all_mods)


def import_cost(runs=7):
    """Time the collection adds when a playbook first uses its plugins.

    Ansible compiles collection plugins and module_utils from source on every run (its
    collection loader keeps no bytecode cache), so this is paid once per ansible-playbook
    process.  In a fresh process Ansible is imported first (a running playbook has it), then a
    scenario runs; reported: median wall time over `runs` processes, and for the first
    scenario the sum of -X importtime self times of the collection's modules.
    """
    scenarios, count = import_scenarios()
    rows = []
    for title, body in scenarios.items():
        code = IMPORT_PRELUDE % (str(common.COLLECTIONS), str(common.COLLECTIONS)) + body + \
            "print('WALL', time.perf_counter() - t)\n"
        walls, selfs = [], []
        for _run in range(runs):
            proc = common.run([sys.executable, "-X", "importtime", "-c", code])
            if proc.returncode != 0:
                raise SystemExit(proc.stderr)
            walls.append(float(proc.stdout.split("WALL", 1)[1]))
            selfs.append(sum(int(m.group(1)) for m in re.finditer(
                r"import time:\s+(\d+) \|\s+\d+ \|\s+\S*ansible_collections\.virt_uri\S*", proc.stderr)) / 1000.0)
        rows.append((title, "%.1f" % (common.median(walls) * 1000), "%.1f" % common.median(selfs)))
    return rows, count


def main():
    common.setup_collection()
    common.print_machine()
    import jinja2
    from ansible_collections.virt_uri.toolkit.plugins.filter import libvirt_remote_uri as lru_mod
    from ansible_collections.virt_uri.toolkit.plugins.filter import qemu_drive_uri as qdu_mod

    drives, conns = drive_specs(N), conn_specs(N)
    with tempfile.TemporaryDirectory() as tmp:
        templar, _tmp = common.make_templar({"drives": drives, "conns": conns}, tmp)
        print("vars from DataLoader: %s of %s" % (type(templar.available_variables["drives"]).__name__,
              type(templar.available_variables["drives"][0]).__name__))
        print("qemu_drive_uri receives: %s" % input_types(templar, qdu_mod, "render_uri", "qemu_drive_uri", "drives"))
        print("libvirt_remote_uri receives: %s" % input_types(templar, lru_mod, "render_libvirt_uri", "libvirt_remote_uri", "conns"))
        env = jinja2.Environment(trim_blocks=True)
        env.filters["virt_uri.toolkit.qemu_drive_uri"] = qdu_mod.qemu_drive_uri
        env.filters["virt_uri.toolkit.libvirt_remote_uri"] = lru_mod.libvirt_remote_uri
        results = []
        start = time.perf_counter()
        bench_family("qemu_drive_uri", templar, "drives", drives, HAND_DRIVE, FILTER_DRIVE_LOOP,
                     FILTER_DRIVE_MAP, FILTER_DRIVE_LIST, qdu_mod.qemu_drive_uri,
                     (env, HAND_DRIVE, FILTER_DRIVE_LOOP), results)
        bench_family("libvirt_remote_uri", templar, "conns", conns, HAND_CONN, FILTER_CONN_LOOP,
                     FILTER_CONN_MAP, FILTER_CONN_LIST, lru_mod.libvirt_remote_uri,
                     (env, HAND_CONN, FILTER_CONN_LOOP), results)
        elapsed = time.perf_counter() - start
    print()
    print("N=%d specs per template, %d alternating rounds (+1 warm-up), median round; %.0f s total"
          % (N, ROUNDS, elapsed))
    print(common.table(["filter", "variant", "µs per spec", "ratio to hand-written"], results))
    rows, count = import_cost()
    print()
    print("plugin load (%d plugin modules; goal <= 20 ms), after Ansible itself is loaded, median of 7 processes:" % count)
    print(common.table(["scenario", "wall ms", "collection modules' import self time, ms"], rows))
    print("load average at the end: %.1f/%.1f/%.1f" % os.getloadavg())


if __name__ == "__main__":
    main()
