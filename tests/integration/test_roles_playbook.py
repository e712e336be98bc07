"""The roles through real ansible-playbook runs: check mode writes nothing, diff mode shows the
text change, a second run changes nothing, and planted secret values never reach the output
(even at -vvv --diff) or the written files."""

import re

from ansible_collections.virt_uri.toolkit.tests.support.playbook import run_playbook

ROLES_PLAY = """
- name: Roles under a scratch root
  hosts: localhost
  gather_facts: false
  vars:
    libvirt_client_root: "{root}"
    qemu_drives_root: "{root}"
    libvirt_client_uri_aliases: {aliases}
    libvirt_client_users: [{{name: nobody, config_home: /home/op/.config}}]
    qemu_drives_qemu_version: "7.2"
    # Secret values a real inventory keeps next to the drive definitions (e.g. from a vault),
    # used to create the QEMU/libvirt secret objects - the roles only ever see their ids.
    chap_password: PLANTED-chap-9f1c2b
    cookie_value: PLANTED-cookie-77ab0e
    secret_objects: {{chap0: "{{{{ chap_password }}}}", cookie0: "{{{{ cookie_value }}}}"}}
    qemu_drives_vms:
      - name: vm1
        drives:
          - {{protocol: iscsi, server: {{host: 192.0.2.10}}, target: "iqn.2001-04.com.example:storage",
             lun: 1, user: chap, credentials: secret, password_secret: chap0,
             secret_usage: iscsi-chap, target_dev: sdb, target_bus: scsi}}
          - {{protocol: https, server: {{host: images.example.com}}, path: /base.img,
             options: {{cookie_secret: cookie0}}, xml_on_unexpressible: omit}}
  roles:
    - virt_uri.toolkit.libvirt_client
    - virt_uri.toolkit.qemu_drives
"""

PLANTED = ("PLANTED-chap-9f1c2b", "PLANTED-cookie-77ab0e")


def _play(tmp_path, aliases="{lab: 'test:///default'}"):
    return ROLES_PLAY.format(root=tmp_path / "root", aliases=aliases)


def _recap_changed(stdout):
    match = re.search(r"localhost\s+: ok=\d+\s+changed=(\d+)", stdout)
    assert match, stdout
    return int(match.group(1))


def _written(tmp_path):
    return sorted(p for p in (tmp_path / "root").rglob("*") if p.is_file())


def test_check_mode_writes_nothing(tmp_path):
    proc = run_playbook(tmp_path, _play(tmp_path), ["--check", "--diff"])
    assert _recap_changed(proc.stdout) > 0
    assert _written(tmp_path) == []
    assert '+uri_aliases = [\n+  "lab=test:///default",\n+]' in proc.stdout


def test_second_run_and_check_run_change_nothing(tmp_path):
    run_playbook(tmp_path, _play(tmp_path))
    files = _written(tmp_path)
    assert tmp_path / "root/etc/libvirt/libvirt.conf" in files
    assert tmp_path / "root/home/op/.config/libvirt/libvirt.conf" in files
    assert tmp_path / "root/etc/qemu-drives/vm1/drives.args" in files
    assert _recap_changed(run_playbook(tmp_path, _play(tmp_path)).stdout) == 0
    assert _recap_changed(run_playbook(tmp_path, _play(tmp_path), ["--check"]).stdout) == 0


def test_diff_mode_shows_the_text_change(tmp_path):
    run_playbook(tmp_path, _play(tmp_path))
    proc = run_playbook(tmp_path, _play(tmp_path, "{lab: 'test:///default?x=1'}"), ["--diff"])
    assert '-  "lab=test:///default",\n+  "lab=test:///default?x=1",' in proc.stdout
    conf = (tmp_path / "root/etc/libvirt/libvirt.conf").read_text()
    assert conf == 'uri_aliases = [\n  "lab=test:///default?x=1",\n]\n'


def test_secrets_never_in_output_or_files(tmp_path):
    proc = run_playbook(tmp_path, _play(tmp_path), ["-vvv", "--diff"])
    output = proc.stdout + proc.stderr
    files = _written(tmp_path)
    assert files
    for secret in PLANTED:
        assert secret not in output
        for path in files:
            assert secret not in path.read_text(errors="replace"), path
    args = (tmp_path / "root/etc/qemu-drives/vm1/drives.args").read_text()
    assert "file.password-secret=chap0" in args and "file.cookie-secret=cookie0" in args
    assert oct((tmp_path / "root/etc/qemu-drives/vm1/drives.args").stat().st_mode & 0o777) == "0o640"


def test_plain_password_refused_without_echo(tmp_path):
    play = _play(tmp_path).replace(
        "credentials: secret, password_secret: chap0",
        "credentials: inline, password: PLANTED-inline-5d3e")
    proc = run_playbook(tmp_path, play, ["-vvv", "--diff"], check=False)
    assert proc.returncode != 0
    assert "PLANTED-inline-5d3e" not in proc.stdout + proc.stderr
    assert not (tmp_path / "root/etc/qemu-drives").exists()


CLIENT_PLAY = """
- name: libvirt_client alone
  hosts: localhost
  gather_facts: false
  vars:
    libvirt_client_root: "{root}"
{vars}
  roles:
    - virt_uri.toolkit.libvirt_client
"""


def _client(tmp_path, variables, extra=(), check=True):
    text = CLIENT_PLAY.format(root=tmp_path / "root", vars="\n".join(
        "    " + line for line in variables.strip().splitlines()))
    return run_playbook(tmp_path, text, extra, check=check)


def test_unknown_variable_is_named_and_nothing_is_created(tmp_path):
    """The typo's aliases are not written and, with nothing else to set, no file is created."""
    proc = _client(tmp_path, """
libvirt_client_uri_alias: {lab: "test:///default"}
libvirt_client_uri_aliases_x: {lab: "test:///default"}
""")
    text = " ".join((proc.stdout + proc.stderr).split())
    assert "unknown variables libvirt_client_uri_alias, libvirt_client_uri_aliases_x are ignored" in text
    assert _written(tmp_path) == []
    assert _recap_changed(proc.stdout) == 0


def test_unknown_variable_fails_when_strict(tmp_path):
    proc = _client(tmp_path, """
libvirt_client_strict_vars: true
libvirt_client_uri_alias: {lab: "test:///default"}
libvirt_client_uri_aliases: {lab: "test:///default"}
""", check=False)
    assert proc.returncode != 0
    assert "unknown variables libvirt_client_uri_alias are ignored" in " ".join(proc.stdout.split())
    assert _written(tmp_path) == []


def test_list_form_of_aliases_and_an_existing_files_mode(tmp_path):
    conf = tmp_path / "root/etc/libvirt/libvirt.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text('# mine\nkeepalive_count = 3\n')
    conf.chmod(0o600)
    _client(tmp_path, """
libvirt_client_uri_aliases: ["b=test:///default?b", "a=test:///default?a"]
libvirt_client_uri_aliases_host: [{alias: c, uri: "test:///default?c"}]
""")
    assert conf.read_text() == ('# mine\nkeepalive_count = 3\nuri_aliases = [\n  "a=test:///default?a",\n'
                                '  "b=test:///default?b",\n  "c=test:///default?c",\n]\n')
    assert oct(conf.stat().st_mode & 0o777) == "0o600"


def test_bad_value_names_the_role_variable(tmp_path):
    proc = _client(tmp_path, """
libvirt_client_uri_aliases: {lab: "test:///default"}
libvirt_client_users: [{name: nobody, config_home: /home/op/.config, settings: {remote_mode: fast}}]
""", check=False)
    assert proc.returncode != 0
    assert "libvirt_client_users[0] (nobody).settings.remote_mode: 'fast' is not accepted; one of: " \
        "auto, legacy, direct" in proc.stdout
    assert _written(tmp_path) == []
