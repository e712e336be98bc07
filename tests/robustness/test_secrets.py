# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets: with default settings no planted password, CHAP secret or cookie appears in a rendered
string, a file the roles write, `-vvv` output or a `--diff`, whether the play succeeds or fails."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from ansible_collections.virt_uri.toolkit.tests.support.playbook import run_playbook

PASSWORD = "Planted-Pw-7f3a9c"
CHAP = "Planted-Chap-51d0e2"
COOKIE = "Planted-Cookie-a86b44"
URI_PW = "Planted-UriPw-c2e917"
PROXY_PW = "Planted-Proxy-3b7d10"
SECRETS = (PASSWORD, CHAP, COOKIE, URI_PW, PROXY_PW)


def _play(tmp_path, name, text, extra=()):
    return run_playbook(tmp_path, text, name=name, check=False, timeout=600,
                        env={"ANSIBLE_KEEP_REMOTE_FILES": "0"},
                        extra_args=("-e", "ansible_python_interpreter=%s" % sys.executable, "-vvv", "--diff", *extra))


def _assert_clean(proc, root):
    text = proc.stdout + proc.stderr
    for secret in SECRETS:
        assert secret not in text, "%s appears in the output:\n%s" % (secret, text[text.find(secret) - 400:][:900])
    for path in Path(root).rglob("*"):
        if path.is_file():
            content = path.read_text(errors="replace")
            for secret in SECRETS:
                assert secret not in content, "%s appears in %s" % (secret, path)


# Drives as users write them, with secrets where a careless renderer would put them.
DRIVES = [
    {"protocol": "iscsi", "server": {"host": "192.0.2.10"}, "target": "iqn.2001-04.com.example:storage", "lun": 1,
     "user": "chap", "password_secret": "chap0", "secret_usage": "iscsi-chap", "target_dev": "sdb", "target_bus": "scsi"},
    {"protocol": "https", "server": {"host": "192.0.2.20"}, "path": "/images/a.img", "options": {"sslverify": True},
     "target_dev": "vdb"},
    {"protocol": "nbd", "server": {"host": "192.0.2.1"}, "export": "vm1"},
]


def _vms(extra_drive=None):
    drives = list(DRIVES) + ([extra_drive] if extra_drive else [])
    return [{"name": "vm1", "drives": drives}]


@pytest.mark.parametrize("planted", [
    None,
    {"protocol": "iscsi", "server": {"host": "192.0.2.11"}, "target": "iqn.2001-04.com.example:s2", "lun": 0,
     "user": "chap", "password": CHAP, "credentials": "inline", "target_dev": "sdc"},
    {"protocol": "iscsi", "server": {"host": "192.0.2.11"}, "target": "iqn.2001-04.com.example:s2", "lun": 0,
     "user": "chap", "password": CHAP, "target_dev": "sdc"},
    {"protocol": "http", "server": {"host": "192.0.2.21"}, "path": "/b.img", "options": {"cookie": "sid=" + COOKIE},
     "target_dev": "vdc"},
    {"protocol": "https", "server": {"host": "192.0.2.21"}, "path": "/c.img", "user": "u", "password": PASSWORD,
     "credentials": "env", "target_dev": "vdd"},
], ids=["ids-only", "chap-inline", "chap-plain", "cookie-plain", "curl-password-env"])
def test_qemu_drives_role_never_shows_planted_secrets(tmp_path, planted):
    root = tmp_path / "root"
    root.mkdir()
    play = """- hosts: localhost
  gather_facts: false
  vars:
    proxy_password: %s
    qemu_drives_root: %s
    qemu_drives_vms: %s
  roles:
    - role: virt_uri.toolkit.qemu_drives
""" % (PROXY_PW, root, json.dumps(_vms(planted)))
    proc = _play(tmp_path, "drives.yml", play)
    if planted is None:
        assert proc.returncode == 0, proc.stdout[-3000:]
        assert list(root.rglob("drives.args")), "the role wrote nothing"
    else:
        assert proc.returncode != 0, "a plain secret was accepted with default settings"
    _assert_clean(proc, root)
    # a second run (check mode, diff) shows nothing either
    _assert_clean(_play(tmp_path, "drives.yml", play, extra=("--check",)), root)


CLIENT_PLAY = """- hosts: localhost
  gather_facts: false
  vars:
    planted_unused: %s
    libvirt_client_root: %s
    libvirt_client_uri_aliases: %s
  roles:
    - role: virt_uri.toolkit.libvirt_client
"""
GOOD_ALIASES = {"hail": "qemu+ssh://root@hail.example.com/system?keyfile=/root/.ssh/id"}


def test_libvirt_client_role_shows_no_secret(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    ok = _play(tmp_path, "client.yml", CLIENT_PLAY % (PROXY_PW, root, json.dumps(GOOD_ALIASES)))
    assert ok.returncode == 0, ok.stdout[-3000:]
    _assert_clean(ok, root)


def test_libvirt_client_role_refuses_a_password_in_an_alias(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    bad = dict(GOOD_ALIASES, leak="qemu+ssh://root:%s@hail.example.com/system" % URI_PW)
    proc = _play(tmp_path, "client.yml", CLIENT_PLAY % (PROXY_PW, root, json.dumps(bad)))
    _assert_clean(proc, root)
    assert proc.returncode != 0, "a URI with a password was written"


def test_filters_in_a_playbook_never_show_planted_secrets(tmp_path):
    """The filters' own errors (task output with -vvv) hide the planted values."""
    specs = {
        "uri": {"protocol": "iscsi", "server": {"host": "192.0.2.1"}, "target": "iqn.2001-04.com.example:t", "lun": 0,
                "user": "u", "password": CHAP},
        "opts": {"protocol": "https", "server": {"host": "192.0.2.1"}, "path": "/x", "options": {"cookie": "a=" + COOKIE}},
        "xml": {"protocol": "iscsi", "server": {"host": "192.0.2.1"}, "target": "iqn.2001-04.com.example:t", "lun": 0,
                "user": "u", "password": PASSWORD, "credentials": "inline"},
        "conn": {"driver": "qemu", "transport": "ssh", "user": "root", "password": URI_PW, "host": "h.example.com",
                 "path": "/system"},
    }
    play = """- hosts: localhost
  gather_facts: false
  vars:
    specs: %s
  tasks:
    - {debug: {msg: "{{ specs.uri | virt_uri.toolkit.qemu_drive_uri }}"}, ignore_errors: true}
    - {debug: {msg: "{{ specs.opts | virt_uri.toolkit.qemu_drive_opts }}"}, ignore_errors: true}
    - {debug: {msg: "{{ specs.xml | virt_uri.toolkit.libvirt_disk_xml }}"}, ignore_errors: true}
    - {debug: {msg: "{{ specs.conn | virt_uri.toolkit.libvirt_remote_uri }}"}, ignore_errors: true}
    - {debug: {msg: "{{ [specs.uri, specs.opts] | virt_uri.toolkit.qemu_drive_uri }}"}, ignore_errors: true}
""" % json.dumps(specs)
    proc = _play(tmp_path, "filters.yml", play)
    assert proc.stdout.count("fatal: [localhost]") == 5, proc.stdout[-3000:]
    _assert_clean(proc, tmp_path / "tmp")


def test_allowed_plain_password_stays_out_of_output(tmp_path):
    """With qemu_drives_allow_plain_passwords the password goes into the files (asked for), but the
    tasks run with no_log: -vvv and --diff still do not show it."""
    root = tmp_path / "root"
    root.mkdir()
    planted = {"protocol": "iscsi", "server": {"host": "192.0.2.11"}, "target": "iqn.2001-04.com.example:s2", "lun": 0,
               "user": "chap", "password": CHAP, "credentials": "inline", "target_dev": "sdc"}
    play = """- hosts: localhost
  gather_facts: false
  vars:
    qemu_drives_root: %s
    qemu_drives_allow_plain_passwords: true
    qemu_drives_forms: [args, blockdev]
    qemu_drives_vms: %s
  roles:
    - role: virt_uri.toolkit.qemu_drives
""" % (root, json.dumps([{"name": "vm1", "drives": [planted]}]))
    proc = _play(tmp_path, "allowed.yml", play)
    text = proc.stdout + proc.stderr
    assert CHAP not in text, text[text.find(CHAP) - 400:][:900]
    if proc.returncode == 0:
        assert any(CHAP in p.read_text() for p in root.rglob("*") if p.is_file())
