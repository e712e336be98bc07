"""Run a playbook with the checkout's collection and read back what it wrote."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_playbook(tmp_path, playbook_text, extra_args=(), env=None, check=True):
    """Write `playbook_text` to tmp_path and run it on localhost with a local connection."""
    playbook = tmp_path / "playbook.yml"
    playbook.write_text(playbook_text)
    bindir = Path(sys.executable).parent
    run_env = dict(os.environ)
    run_env.update({
        "ANSIBLE_COLLECTIONS_PATH": str(ROOT / "collections"),
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
        "PATH": "%s:%s" % (bindir, run_env.get("PATH", "")),
    })
    run_env.update(env or {})
    proc = subprocess.run(
        [str(bindir / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook), *extra_args],
        capture_output=True, text=True, env=run_env, timeout=300, check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError("ansible-playbook failed (%d):\n%s\n%s" % (proc.returncode, proc.stdout, proc.stderr))
    return proc


def read_json(path):
    return json.loads(Path(path).read_text())
