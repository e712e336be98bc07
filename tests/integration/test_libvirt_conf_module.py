"""The libvirt_conf module through ansible-playbook: merge keeps every other byte, managed owns
the file, check mode writes nothing, bad values and unreadable files fail naming the key or the
path with nothing written, and libvirt itself (virsh) checked the candidate."""

import json
import shutil

import pytest

from ansible_collections.virt_uri.toolkit.tests.support.playbook import run_playbook
from ansible_collections.virt_uri.toolkit.tests.support.requires import find_tool, unavailable, under_ci

EXISTING = """# hand-written
uri_default = "test:///default?old=1"   # keep this comment
keepalive_interval = 5; keepalive_count = 3
site = 'say "hi"'
"""

TASK = """
- name: libvirt_conf
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Run the module
      virt_uri.toolkit.libvirt_conf: {args}
      register: result
      ignore_errors: true
    - name: Save the result
      ansible.builtin.copy:
        content: "{{{{ result | to_json }}}}"
        dest: "{out}"
        mode: "0600"
      check_mode: false
"""


def run_module(tmp_path, args, extra=()):
    out = tmp_path / "result.json"
    proc = run_playbook(tmp_path, TASK.format(args=json.dumps(args), out=out), extra)
    return json.loads(out.read_text()), proc


@pytest.fixture
def conf(tmp_path):
    path = tmp_path / "libvirt.conf"
    path.write_text(EXISTING)
    return path


def test_merge_changes_only_the_given_keys(tmp_path, conf):
    res, _proc = run_module(tmp_path, {"path": str(conf), "settings": {
        "uri_aliases": {"t1": "test:///default"}, "uri_default": "t1", "keepalive_count": None}})
    assert res["changed"] and not res.get("failed"), res
    assert conf.read_text() == (
        '# hand-written\nuri_default = "t1"   # keep this comment\nkeepalive_interval = 5\n'
        "site = 'say \"hi\"'\nuri_aliases = [\n  \"t1=test:///default\",\n]\n")
    assert res["changed_keys"] == ["uri_aliases", "uri_default", "keepalive_count"]
    # virsh is part of the test environment (bindep.txt): without it, only outside CI, the
    # module validates with virconf alone -- and says so.
    expected = ["virconf", "virsh"] if find_tool("virsh") or under_ci() else ["virconf"]
    assert res["validated_with"] == expected
    again, _proc = run_module(tmp_path, {"path": str(conf), "settings": {
        "uri_aliases": {"t1": "test:///default"}, "uri_default": "t1", "keepalive_count": None}})
    assert not again["changed"], again


def test_managed_check_mode_and_diff(tmp_path, conf):
    res, proc = run_module(tmp_path, {"path": str(conf), "strategy": "managed",
                                      "settings": {"uri_aliases": ["a=test:///default", "b=test:///default?b"]}},
                           ["--check", "--diff"])
    assert res["changed"], res
    assert conf.read_text() == EXISTING
    assert '-site = \'say "hi"\'' in proc.stdout
    assert '+  "b=test:///default?b",' in proc.stdout
    res, _proc = run_module(tmp_path, {"path": str(conf), "strategy": "managed", "mode": "0600",
                                       "settings": {"uri_aliases": ["a=test:///default", "b=test:///default?b"]}})
    assert conf.read_text().endswith('uri_aliases = [\n  "a=test:///default",\n  "b=test:///default?b",\n]\n')
    assert conf.read_text().startswith("# Managed by Ansible")
    assert oct(conf.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("settings, needle", [
    ({"uri_aliases": {"bad.name": "test:///default"}}, "settings.uri_aliases.bad.name: 'bad.name'"),
    ({"uri_default": "nodriver"}, "settings.uri_default"),
    ({"remote_mode": "fast"}, "settings.remote_mode: 'fast' is not accepted; one of: auto, legacy, direct"),
    ({"tls_priority": 7}, "settings.tls_priority: 7 is not accepted; a string"),
    ({"x": "a\"\"\"b\n"}, "settings.x"),
    ({"bad-key": 1}, "settings key: 'bad-key'"),
])
def test_bad_values_fail_naming_the_key_and_write_nothing(tmp_path, conf, settings, needle):
    res, _proc = run_module(tmp_path, {"path": str(conf), "settings": settings})
    assert res.get("failed"), res
    assert needle in res["msg"], res["msg"]
    assert conf.read_text() == EXISTING


def test_unreadable_file_fails_with_libvirts_message_and_path(tmp_path, conf):
    conf.write_text("uri_aliases = [ \"a=test:///default\" # no comments in lists\n]\n")
    res, _proc = run_module(tmp_path, {"path": str(conf), "settings": {"uri_default": "test:///default"}})
    assert res.get("failed"), res
    assert "configuration file syntax error: %s:1: expecting a separator in list" % conf in res["msg"]
    assert conf.read_text().startswith("uri_aliases = [ \"a=test:///default\" # no")


def test_backup_keeps_the_old_text(tmp_path, conf):
    res, _proc = run_module(tmp_path, {"path": str(conf), "backup": True, "settings": {"uri_default": "test:///default"}})
    assert res["changed"] and res["backup_file"], res
    with open(res["backup_file"]) as handle:
        assert handle.read() == EXISTING


def test_file_the_user_cannot_read_fails_naming_path_and_reason(tmp_path, conf):
    """An OSError on reading (here permission denied) is a clear failure, not a bare errno, and
    nothing is written. Run directly as an unprivileged user (root in a user namespace mapped to
    uid 1000 when the tests run as root: DAC_OVERRIDE does not apply to the host's files)."""
    import os
    import subprocess
    import sys
    from ansible_collections.virt_uri.toolkit.tests.support.playbook import ROOT

    prefix = []
    if os.geteuid() == 0:
        unshare = shutil.which("unshare")
        if not unshare or subprocess.run([unshare, "--user", "--map-user=1000", "true"],
                                         capture_output=True, check=False).returncode != 0:
            message = "needs 'unshare --user' to read as a non-root user"
            unavailable(message)
        prefix = [unshare, "--user", "--map-user=1000", "--map-group=1000"]
    args = tmp_path / "args.json"
    args.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {
        "path": str(conf), "settings": {"uri_default": "test:///default"}, "validate_with_virsh": False}}))
    conf.chmod(0o000)
    try:
        proc = subprocess.run(prefix + [sys.executable, str(ROOT / "plugins/modules/libvirt_conf.py"), str(args)],
                              capture_output=True, text=True, check=False, timeout=120,
                              env=dict(os.environ, PYTHONPATH=str(ROOT / "collections")))
    finally:
        conf.chmod(0o644)
    res = json.loads(proc.stdout)
    assert res.get("failed"), res
    assert res["msg"] == "%s cannot be read (Permission denied), so it is left untouched" % conf, res["msg"]
    assert "Errno" not in res["msg"] and "Traceback" not in proc.stdout + proc.stderr
    assert conf.read_text() == EXISTING
    assert sorted(p.name for p in tmp_path.iterdir()) == ["args.json", "libvirt.conf"]


def test_files_all_or_nothing_error_names_the_file(tmp_path, conf):
    other = tmp_path / "user" / "libvirt.conf"
    res, _proc = run_module(tmp_path, {"create_dirs": True, "files": [
        {"path": str(conf), "settings": {"uri_default": "test:///default"}},
        {"path": str(other), "settings": {"remote_mode": "fast"}}]})
    assert res.get("failed"), res
    assert res["msg"] == "files[1] (%s): settings.remote_mode: 'fast' is not accepted; one of: " \
        "auto, legacy, direct" % other, res["msg"]
    assert conf.read_text() == EXISTING and not (tmp_path / "user").exists()


def test_files_written_together_with_a_diff_each(tmp_path, conf):
    other = tmp_path / "user" / "libvirt.conf"
    conf.chmod(0o600)
    res, proc = run_module(tmp_path, {"create_dirs": True, "files": [
        {"path": str(conf), "settings": {"uri_default": "test:///default"}},
        {"path": str(other), "settings": {"uri_aliases": ["u=test:///default"]},
         "create_owner": "nobody"}]}, ["--diff"])
    assert res["changed"] and [f["changed"] for f in res["files"]] == [True, True], res
    assert '+uri_default = "test:///default"   # keep this comment' in proc.stdout
    assert '+  "u=test:///default",' in proc.stdout
    assert oct(conf.stat().st_mode & 0o777) == "0o600"  # merge keeps an existing file's mode
    assert other.read_text() == 'uri_aliases = [\n  "u=test:///default",\n]\n'
    assert other.stat().st_uid == other.parent.stat().st_uid == 65534
    assert oct(other.stat().st_mode & 0o777) == "0o644"


def test_files_directories_get_dir_mode(tmp_path):
    """dir_mode applies to the directories created for each item of files, as for path."""
    deep = tmp_path / "a" / "b" / "libvirt.conf"
    res, _proc = run_module(tmp_path, {"create_dirs": True, "dir_mode": "0710", "files": [
        {"path": str(deep), "settings": {"uri_default": "test:///default"}}]})
    assert res["changed"], res
    assert [oct(d.stat().st_mode & 0o777) for d in (deep.parent.parent, deep.parent)] == ["0o710", "0o710"]


def test_nothing_to_write_creates_no_file(tmp_path):
    path = tmp_path / "absent.conf"
    res, _proc = run_module(tmp_path, {"path": str(path), "settings": {"tls_priority": None}})
    assert not res["changed"] and res["files"][0]["nothing_to_write"], res
    assert not path.exists()


def test_changed_list_one_entry_per_line_rest_untouched(tmp_path, conf):
    text = ('uri_aliases = [\n  "a=test:///default",\n  "b=test:///default?b",\n]\n'
            'keepalive_count = 3   # mine\n')
    conf.write_text(text)
    res, proc = run_module(tmp_path, {"path": str(conf), "settings": {
        "uri_aliases": ["a=test:///default", "b=test:///default?b2"]}}, ["--diff"])
    assert res["changed"], res
    assert conf.read_text() == text.replace("?b\"", "?b2\"")
    assert '-  "b=test:///default?b",' in proc.stdout and '+  "b=test:///default?b2",' in proc.stdout
    assert '-  "a=test:///default",' not in proc.stdout


def _as_unprivileged(tmp_path, module_args):
    import os
    import subprocess
    import sys
    from ansible_collections.virt_uri.toolkit.tests.support.playbook import ROOT

    prefix = []
    if os.geteuid() == 0:
        unshare = shutil.which("unshare")
        if not unshare or subprocess.run([unshare, "--user", "--map-user=1000", "true"],
                                         capture_output=True, check=False).returncode != 0:
            unavailable("needs 'unshare --user' to run as a non-root user")
        prefix = [unshare, "--user", "--map-user=1000", "--map-group=1000"]
    args = tmp_path / "args.json"
    args.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": module_args}))
    proc = subprocess.run(prefix + [sys.executable, str(ROOT / "plugins/modules/libvirt_conf.py"), str(args)],
                          capture_output=True, text=True, check=False, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(ROOT / "collections")))
    args.unlink()
    return json.loads(proc.stdout), proc


def test_unwritable_directory_is_named_not_a_temporary_file(tmp_path):
    """As a non-root user (its own directory, without the write bit): the error names the file
    and the directory, not the temporary file the write would have used."""
    target = tmp_path / "ro" / "libvirt.conf"
    target.parent.mkdir()
    target.parent.chmod(0o555)
    try:
        res, proc = _as_unprivileged(tmp_path, {"path": str(target), "validate_with_virsh": False,
                                                "settings": {"uri_default": "test:///default"}})
    finally:
        target.parent.chmod(0o755)
    assert res.get("failed"), res
    assert res["msg"] == "cannot write %s: the directory %s is not writable (Permission denied)" \
        % (target, target.parent), res["msg"]
    assert "Traceback" not in proc.stdout + proc.stderr
    assert list(target.parent.iterdir()) == []


def test_a_users_file_is_found_in_this_hosts_passwd(tmp_path):
    # files[].user without path: the module reads the home directory from the host's own passwd
    # (nobody's is /nonexistent on Debian), so the role needs no getent task; check mode writes
    # nothing there.
    import pwd  # pylint: disable=import-outside-toplevel

    home = pwd.getpwnam("nobody").pw_dir
    res, proc = run_module(tmp_path, {"create_dirs": True, "files": [
        {"user": "nobody", "settings": {"uri_default": "test:///default"}}]},
        ["--check", "--diff"])
    assert not res.get("failed"), res
    assert res["files"][0]["path"] == home + "/.config/libvirt/libvirt.conf", res
    assert res["changed"] and "+uri_default = \"test:///default\"" in proc.stdout


def test_an_unknown_user_fails_and_nothing_is_written(tmp_path, conf):
    res, _proc = run_module(tmp_path, {"create_dirs": True, "files": [
        {"path": str(conf), "settings": {"uri_default": "test:///default"}},
        {"user": "no-such-user-here", "settings": {"uri_default": "test:///default"}}]})
    assert res.get("failed"), res
    assert res["msg"] == "files[1] (user no-such-user-here): user: 'no-such-user-here' is not " \
        "accepted; a user in this host's passwd database, or give the file's path (libvirt_client " \
        "role: home or config_home in libvirt_client_users)", res["msg"]
    assert conf.read_text() == EXISTING
