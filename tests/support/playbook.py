# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one way tests run ``ansible-playbook``: the checkout's collection, this venv's tools.

``ansible-playbook`` is a separate process: it finds the collection through
ANSIBLE_COLLECTIONS_PATH (the ``collections/`` link ``make collection-link`` and
tests/conftest.py create), not through pytest's import path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def playbook_env(tmp_path, extra=None, inherit=True):
    """Environment for one run: the collection, ansible.cfg, temp dirs under ``tmp_path``.

    ``inherit=False`` starts from an empty environment (own HOME, C.UTF-8 locale) for tests
    whose result depends on what the environment holds (XDG_CONFIG_HOME, HOME, ...).
    """
    if inherit:
        env = dict(os.environ)
        env["PATH"] = "%s:%s" % (VENV_BIN, env.get("PATH", ""))
    else:
        home = tmp_path / "home"
        home.mkdir(exist_ok=True)
        env = {"PATH": "%s:/usr/sbin:/usr/bin:/sbin:/bin" % VENV_BIN, "HOME": str(home), "LC_ALL": "C.UTF-8",
               "ANSIBLE_DEPRECATION_WARNINGS": "0", "ANSIBLE_FORCE_COLOR": "0"}
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": str(ROOT / "collections"),
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
        "ANSIBLE_REMOTE_TMP": str(tmp_path / "ansible-remote-tmp"),
    })
    env.update(extra or {})
    return env


def run_playbook(tmp_path, playbook_text, extra_args=(), env=None, check=True, inventory="localhost,",
                 prefix=(), timeout=300, name="playbook.yml"):
    """Write ``playbook_text`` to ``tmp_path/name`` and run it (local connection unless the
    inventory says otherwise).

    ``env``: extra variables over :func:`playbook_env`, or a full environment when it is the
    result of :func:`playbook_env`.  ``prefix``: argv run in front (``unshare ...``).
    ``check``: raise AssertionError on a non-zero exit.
    """
    playbook = tmp_path / name
    playbook.write_text(playbook_text)
    run_env = env if env is not None and "ANSIBLE_CONFIG" in env else playbook_env(tmp_path, env)
    argv = [*prefix, str(VENV_BIN / "ansible-playbook"), "-i", str(inventory)]
    if inventory == "localhost,":
        argv += ["-c", "local"]
    proc = subprocess.run([*argv, str(playbook), *extra_args], capture_output=True, text=True, env=run_env,
                          timeout=timeout, check=False, cwd=str(tmp_path))
    if check and proc.returncode != 0:
        raise AssertionError("ansible-playbook failed (%d):\n%s\n%s" % (proc.returncode, proc.stdout, proc.stderr))
    return proc


def read_json(path):
    return json.loads(Path(path).read_text())
