# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The libvirt filters and the libvirt_default_uri lookup through real ansible-playbook runs."""

from __future__ import annotations

import json
import subprocess

import pytest

from ansible_collections.virt_uri.toolkit.tests.support.playbook import playbook_env
from ansible_collections.virt_uri.toolkit.tests.support.playbook import run_playbook as support_run_playbook
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires


def clean_env(tmp_path, extra=None):
    """Nothing from the caller's environment: the lookup's result depends on HOME/XDG_*."""
    return playbook_env(tmp_path, extra, inherit=False)


def run_playbook(tmp_path, tasks, env=None, prefix=()):
    play = ("- hosts: localhost\n  connection: local\n  gather_facts: false\n"
            "  tasks:\n" + tasks)
    return support_run_playbook(tmp_path, play, env=env or clean_env(tmp_path), check=False, prefix=prefix,
                                name="play.yml")


def test_filters_and_lookup(tmp_path):
    conf = tmp_path / "libvirt.conf"
    conf.write_text('uri_aliases = [ "t=test:///default", "hail=qemu+ssh://root@hail.example.com/system" ]\n')
    out = tmp_path / "out.json"
    tasks = """
    - name: render, parse, validate aliases, resolve
      ansible.builtin.copy:
        dest: %(out)s
        content: "{{ result | to_nice_json }}"
      vars:
        conn:
          driver: qemu
          transport: ssh
          user: root
          host: "fe80::1%%eth0"
          port: 2222
          path: /system
          params: {keyfile: /root/.ssh/id ed25519, no_verify: true}
        result:
          remote: "{{ conn | virt_uri.toolkit.libvirt_remote_uri }}"
          parsed: "{{ 'qemu+ssh://root@[::1]:2222/system?keyfile=/k&no_verify=1&a=1;b=2' | virt_uri.toolkit.libvirt_uri_parse }}"
          semicolon_kept: "{{ 'test:///default?a=1;b=2&c=3' | virt_uri.toolkit.libvirt_uri_parse }}"
          ordered: "{{ 'test:///default?foo=one&foo=two' | virt_uri.toolkit.libvirt_uri_parse(ordered=true) }}"
          aliases: "{{ {'hail': 'qemu+ssh://root@hail.example.com/system',
                        'local': {'driver': 'qemu', 'path': '/system'}} | virt_uri.toolkit.libvirt_uri_aliases }}"
          alias_t: "{{ lookup('virt_uri.toolkit.libvirt_default_uri', 't', config='%(conf)s') }}"
          steps: "{{ lookup('virt_uri.toolkit.libvirt_default_uri', 'hail', config='%(conf)s', steps=true) }}"
          no_alias: "{{ lookup('virt_uri.toolkit.libvirt_default_uri', 'test:///default', config='%(conf)s', no_aliases=true) }}"
""" % {"out": out, "conf": conf}
    result = run_playbook(tmp_path, tasks)
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(out.read_text())
    assert data["remote"] == ("qemu+ssh://root@[fe80::1%25eth0]:2222/system"
                              "?keyfile=%2Froot%2F.ssh%2Fid%20ed25519&no_verify=1")
    assert data["parsed"] == {"driver": "qemu", "transport": "ssh", "user": "root", "host": "::1",
                              "port": 2222, "path": "/system",
                              "params": {"keyfile": "/k", "no_verify": "1", "a": "1", "b": "2"},
                              "fragment": None}
    assert data["semicolon_kept"]["params"] == {"a": "1;b=2", "c": "3"}
    assert data["ordered"]["params"] == [["foo", "one"], ["foo", "two"]]
    assert data["aliases"] == ["hail=qemu+ssh://root@hail.example.com/system",
                               "local=qemu:///system"]
    assert data["alias_t"] == "test:///default"
    assert data["steps"]["uri"] == "qemu+ssh://root@hail.example.com/system"
    assert data["steps"]["source"] == "name"
    assert [s["step"] for s in data["steps"]["steps"]] == ["config", "name", "alias"]
    assert data["no_alias"] == "test:///default"


@pytest.mark.parametrize("expr,field", [
    ("{{ {'driver': 'qemu', 'transport': 'ssh', 'host': 'h', 'path': '/system', "
     "'params': {'no_verify': 'yes'}} | virt_uri.toolkit.libvirt_remote_uri }}", "params.no_verify"),
    ("{{ {'driver': 'qemu', 'host': 'system'} | virt_uri.toolkit.libvirt_remote_uri }}",
     "maybe you want qemu:///system"),
    ("{{ 'qemu+bogus:///system' | virt_uri.toolkit.libvirt_uri_parse }}", "transport"),
    ("{{ {'bad.alias': 'test:///default'} | virt_uri.toolkit.libvirt_uri_aliases }}",
     "uri_aliases.bad.alias"),
    ("{{ lookup('virt_uri.toolkit.libvirt_default_uri', 'nosuch', config='CONF') }}",
     "does not include a driver name"),
])
def test_bad_input_fails_the_task_cleanly(tmp_path, expr, field):
    conf = tmp_path / "libvirt.conf"
    conf.write_text("# empty\n")
    tasks = """
    - name: bad input
      ansible.builtin.debug:
        msg: "%s"
""" % expr.replace("CONF", str(conf))
    result = run_playbook(tmp_path, tasks)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert field in output
    assert "Traceback" not in output


def test_password_is_not_echoed(tmp_path):
    tasks = """
    - name: password without consent
      ansible.builtin.debug:
        msg: "{{ {'driver': 'esx', 'host': 'h', 'path': '/', 'user': 'admin', 'password': lookup('env', 'THE_PW')} | virt_uri.toolkit.libvirt_remote_uri }}"
"""
    result = run_playbook(tmp_path, tasks, env=clean_env(tmp_path, {"THE_PW": "Sup3rS3cret"}))
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "password" in output
    assert "Sup3rS3cret" not in output


def test_lookup_as_unprivileged_user_equals_virsh(tmp_path):
    """The lookup with no term, for a non-root user (user namespace), matches ``virsh uri``."""
    unshare, virsh = requires(tool=("unshare", "virsh"), root="mapping the play to uid 1000")
    xdg = tmp_path / "xdg"
    (xdg / "libvirt").mkdir(parents=True)
    (xdg / "libvirt" / "libvirt.conf").write_text(
        'uri_default = "mine"\nuri_aliases = [ "mine=test:///default?who=user" ]\n')
    env = clean_env(tmp_path, {"XDG_CONFIG_HOME": str(xdg)})
    prefix = [unshare, "--user", "--map-user=1000", "--map-group=1000"]
    out = tmp_path / "out.txt"
    tasks = """
    - ansible.builtin.copy:
        dest: %s
        content: "{{ lookup('virt_uri.toolkit.libvirt_default_uri') }}"
""" % out
    result = run_playbook(tmp_path, tasks, env=env, prefix=prefix)
    assert result.returncode == 0, result.stdout + result.stderr
    virsh_result = subprocess.run(prefix + ["env", "-i"] + ["%s=%s" % kv for kv in env.items()]
                                  + [virsh, "uri"], capture_output=True, text=True, check=False)
    assert virsh_result.returncode == 0, virsh_result.stderr
    assert out.read_text() == virsh_result.stdout.strip() == "test:///default?who=user"


def test_lookup_as_root_equals_virsh(tmp_path):
    """As root the lookup reads /etc/libvirt/libvirt.conf (bind-mounted in a private mount
    namespace, so the real one is untouched) and never the XDG file."""
    unshare, virsh = requires(tool=("unshare", "virsh"), root="bind-mounting /etc/libvirt")
    etc = tmp_path / "etc-libvirt"
    etc.mkdir()
    (etc / "libvirt.conf").write_text(
        '# root\nuri_default = "r"\nuri_aliases = [ "r=test:///default?who=root" ]\n')
    xdg = tmp_path / "xdg"
    (xdg / "libvirt").mkdir(parents=True)
    (xdg / "libvirt" / "libvirt.conf").write_text('uri_default = "test:///default?who=xdg"\n')
    env = clean_env(tmp_path, {"XDG_CONFIG_HOME": str(xdg)})
    prefix = [unshare, "-m", "sh", "-c", 'mount --bind "$0" /etc/libvirt && exec "$@"', str(etc)]
    out = tmp_path / "out.txt"
    tasks = """
    - ansible.builtin.copy:
        dest: %s
        content: "{{ lookup('virt_uri.toolkit.libvirt_default_uri') }}"
""" % out
    result = run_playbook(tmp_path, tasks, env=env, prefix=prefix)
    assert result.returncode == 0, result.stdout + result.stderr
    virsh_result = subprocess.run(prefix + [virsh, "uri"], capture_output=True, text=True,
                                  env=env, check=False)
    assert virsh_result.returncode == 0, virsh_result.stderr
    assert out.read_text() == virsh_result.stdout.strip() == "test:///default?who=root"
