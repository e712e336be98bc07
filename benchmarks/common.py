# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers for the benchmark scripts: Ansible set-up, alternating timing, tables."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLLECTIONS = ROOT / "collections"
LINK = COLLECTIONS / "ansible_collections" / "virt_uri" / "toolkit"


def setup_collection():
    """Make ansible_collections.virt_uri.toolkit importable and let Ansible find FQCN plugins."""
    if not LINK.exists():
        LINK.parent.mkdir(parents=True, exist_ok=True)
        LINK.symlink_to(Path("..", "..", ".."))
    if str(COLLECTIONS) not in sys.path:
        sys.path.insert(0, str(COLLECTIONS))
    os.environ.setdefault("ANSIBLE_COLLECTIONS_PATH", str(COLLECTIONS))
    os.environ.setdefault("ANSIBLE_CONFIG", str(ROOT / "ansible.cfg"))
    from ansible.plugins.loader import init_plugin_loader
    init_plugin_loader([str(COLLECTIONS)])


def make_templar(variables, workdir):
    """A Templar whose variables come from a YAML vars file read by Ansible's DataLoader.

    As in a playbook, the data is tagged (origin) and the templar wraps it in its lazy
    containers when a template touches it.
    """
    import yaml
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar

    path = Path(workdir) / "bench_vars.yml"
    path.write_text(yaml.safe_dump(variables, sort_keys=False))
    loader = DataLoader()
    loaded = loader.load_from_file(str(path))
    return Templar(loader=loader, variables=dict(loaded)), loader


def trusted(text):
    from ansible.template import trust_as_template
    return trust_as_template(text)


def alternate(cases, rounds, warmup=1):
    """Run every callable of `cases` ({name: fn}) once per round, alternating; return
    {name: [seconds per round]} (warm-up rounds are discarded)."""
    times = {name: [] for name in cases}
    for index in range(warmup + rounds):
        for name, func in cases.items():
            start = time.perf_counter()
            func()
            elapsed = time.perf_counter() - start
            if index >= warmup:
                times[name].append(elapsed)
    return times


def median(values):
    return statistics.median(values)


def table(headers, rows):
    """A plain-text table (also valid Markdown)."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"

    out = [line(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out.extend(line(r) for r in cells[1:])
    return "\n".join(out)


def machine():
    """nproc, CPU model, Python and ansible-core versions."""
    model = "unknown"
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                model = text.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from ansible.release import __version__ as ansible_version
    import jinja2
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "ansible-core": ansible_version,
        "jinja2": jinja2.__version__,
        "kernel": platform.release(),
        "loadavg": "%.1f/%.1f/%.1f" % os.getloadavg(),  # other work on the machine skews the figures
    }


def print_machine():
    info = machine()
    print("machine: " + ", ".join("%s=%s" % kv for kv in info.items()))


def venv_bin(name):
    return str(Path(sys.executable).parent / name)


def run(cmd, **kwargs):
    return subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)


def run_timed(cmd, **kwargs):
    """Run `cmd`; return (process, wall seconds, CPU seconds).

    CPU is user + system time of the process and everything it waited for (Ansible's forked
    workers and the modules they start), from getrusage(RUSAGE_CHILDREN) before and after: on a
    shared machine it moves much less with the load than the wall time does.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = run(cmd, **kwargs)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc, wall, cpu


def spread(values, fmt="%.1f"):
    """'median (min-max)' of a list of figures."""
    return (fmt + " (" + fmt + "-" + fmt + ")") % (median(values), min(values), max(values))
