# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""client_conf_edit: one libvirt.conf planned as the libvirt_conf module plans it, called
in-process (the module runs it inside ansible-playbook): the exact new text, the result and the
PlannedFile for each case, every refusal as its whole message; then check_with_virsh with this
host's real virsh (libvirt's own reader) as the oracle."""

from __future__ import annotations

import json
import pwd

import pytest

from ansible.module_utils import basic

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet.client_conf_edit import (
    FileFailure,
    check_with_virsh,
    plan_conf_file,
    render_managed,
    resolved_request,
    setting_error,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.host_files import PlannedFile
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires

TEST = "test:///default"
LIMIT = 10 * 1024 * 1024  # virConf's MAX_CONFIG_FILE_SIZE, as parse_virconf enforces it


def conf(tmp_path, text):
    """The file's path; ``text`` None leaves it missing."""
    path = tmp_path / "libvirt.conf"
    if text is not None:
        path.write_text(text)
    return str(path)


def plan(tmp_path, existing, settings, strategy="merge", header="H", **request):
    path = conf(tmp_path, existing)
    planned, result = plan_conf_file(dict(request, path=path, settings=settings), strategy, header)
    assert result.pop("path") == path
    assert result.pop("changed") is False  # set by the module once written
    assert result.pop("validated_with") == ["virconf"]
    return planned, result


def attributes(planned):
    return {name: getattr(planned, name) for name in PlannedFile.__slots__ if name != "path"}


def refusal(tmp_path, existing, settings, strategy="merge", header="H"):
    path = conf(tmp_path, existing)
    with pytest.raises(FileFailure) as err:
        plan_conf_file({"path": path, "settings": settings}, strategy, header)
    return path, str(err.value), err.value.key


def test_setting_error_always_starts_at_settings():
    assert setting_error("uri_default", SpecError("uri_default", "a", "x")) == \
        "settings.uri_default: 'a' is not accepted; x"
    assert setting_error("uri_aliases", SpecError("uri_aliases.a.b", "u", "y")) == \
        "settings.uri_aliases.a.b: 'u' is not accepted; y"
    assert setting_error("bad-key", SpecError("settings key", "bad-key", "z")) == \
        "settings.bad-key: settings key: 'bad-key' is not accepted; z"


def test_failure_carries_the_key():
    assert (str(FileFailure("m")), FileFailure("m").key) == ("m", None)
    assert (str(FileFailure("m", "k")), FileFailure("m", "k").key) == ("m", "k")


@pytest.mark.parametrize("header, settings, text", [
    (None, {}, ""),
    ("", {}, ""),
    (None, {"a": 1, "b": None, "c": "s"}, 'a = 1\nc = "s"\n'),
    ("one\n\nthree", {}, "# one\n#\n# three\n"),
    ("one", {"l": ["x", "y"]}, '# one\nl = [\n  "x",\n  "y",\n]\n'),
], ids=["nothing", "empty header", "no header, null skipped", "blank header line", "list"])
def test_render_managed(header, settings, text):
    assert render_managed(header, settings) == text


MERGE = [
    # (id, existing text or None (missing), settings, new text or None (nothing planned), result)
    ("missing file, one key", None, {"uri_default": TEST},
     'uri_default = "test:///default"\n',
     dict(changed_keys=["uri_default"], settings={"uri_default": TEST}, nothing_to_write=False)),
    ("missing file, only removals", None, {"uri_default": None, "remote_mode": None}, None,
     dict(changed_keys=[], settings={}, nothing_to_write=True)),
    ("missing file, no settings", None, {}, None,
     dict(changed_keys=[], settings={}, nothing_to_write=True)),
    ("missing file, settings null", None, None, None,
     dict(changed_keys=[], settings={}, nothing_to_write=True)),
    ("missing file, a removal and a key", None, {"remote_mode": None, "keepalive_count": 3},
     "keepalive_count = 3\n",
     dict(changed_keys=["keepalive_count"], settings={"keepalive_count": 3}, nothing_to_write=False)),
    ("empty file is kept", "", {"uri_default": None}, "",
     dict(changed_keys=[], settings={}, nothing_to_write=False)),
    ("same value, quoting kept", "uri_default = 'test:///default' # mine\n", {"uri_default": TEST},
     "uri_default = 'test:///default' # mine\n",
     dict(changed_keys=[], settings={"uri_default": TEST}, nothing_to_write=False)),
    ("replace, remove, add", 'uri_default = "qemu:///system" # keep\nremote_mode = "legacy"\n',
     {"uri_default": TEST, "remote_mode": None, "keepalive_interval": 5},
     'uri_default = "test:///default" # keep\nkeepalive_interval = 5\n',
     dict(changed_keys=["uri_default", "remote_mode", "keepalive_interval"],
          settings={"uri_default": TEST, "keepalive_interval": 5}, nothing_to_write=False)),
    ("untouched keys stay", '# top\nremote_mode = "legacy"\n', {"tls_priority": "NORMAL"},
     '# top\nremote_mode = "legacy"\ntls_priority = "NORMAL"\n',
     dict(changed_keys=["tls_priority"], settings={"remote_mode": "legacy", "tls_priority": "NORMAL"},
          nothing_to_write=False)),
    ("removing a missing key changes nothing", 'remote_mode = "legacy"\n', {"uri_default": None},
     'remote_mode = "legacy"\n',
     dict(changed_keys=[], settings={"remote_mode": "legacy"}, nothing_to_write=False)),
    ("uri_default names an alias of the file", 'uri_aliases = [ "a=test:///default" ]\n',
     {"uri_default": "a"}, 'uri_aliases = [ "a=test:///default" ]\nuri_default = "a"\n',
     dict(changed_keys=["uri_default"], settings={"uri_aliases": ["a=" + TEST], "uri_default": "a"},
          nothing_to_write=False)),
    ("uri_default names an alias set with it", 'uri_aliases = [ "a=test:///default" ]\n',
     {"uri_aliases": {"b": TEST}, "uri_default": "b"},
     'uri_aliases = [\n  "b=test:///default",\n]\nuri_default = "b"\n',
     dict(changed_keys=["uri_aliases", "uri_default"],
          settings={"uri_aliases": ["b=" + TEST], "uri_default": "b"}, nothing_to_write=False)),
    ("boolean written as 0/1", "keepalive_required = 0\n", {"keepalive_required": True},
     "keepalive_required = 1\n",
     dict(changed_keys=["keepalive_required"], settings={"keepalive_required": 1}, nothing_to_write=False)),
    ("duplicates of a key collapse", "k = 1\nk = 2\n", {"k": 3}, "k = 3\n",
     dict(changed_keys=["k"], settings={"k": 3}, nothing_to_write=False)),
]


@pytest.mark.parametrize("existing, settings, text, result", [m[1:] for m in MERGE],
                         ids=[m[0] for m in MERGE])
def test_merge(tmp_path, existing, settings, text, result):
    planned, got = plan(tmp_path, existing, settings)
    assert got == result
    if text is None:
        assert planned is None
    else:
        assert (planned.text, planned.before) == (text, existing)


MANAGED = [
    # (id, existing, settings, header, new text or None, result)
    ("header and keys, others dropped", 'uri_default = "qemu:///system" # keep\nremote_mode = "legacy"\n',
     {"uri_default": TEST}, "Managed\n\nby Ansible", '# Managed\n#\n# by Ansible\nuri_default = "test:///default"\n',
     dict(changed_keys=["uri_default", "remote_mode"], settings={"uri_default": TEST}, nothing_to_write=False)),
    ("same value is no change, dropped keys are", 'uri_default = "test:///default"\nk = 1\nj = 2\n',
     {"uri_default": TEST}, None, 'uri_default = "test:///default"\n',
     dict(changed_keys=["k", "j"], settings={"uri_default": TEST}, nothing_to_write=False)),
    ("a removed key is named once", "k = 1 # c\n", {"k": None}, "", "",
     dict(changed_keys=["k"], settings={}, nothing_to_write=False)),
    ("null values are not written", None, {"k": None, "j": 2}, "H", "# H\nj = 2\n",
     dict(changed_keys=["j"], settings={"j": 2}, nothing_to_write=False)),
    ("missing file, header only", None, {}, "H", None,
     dict(changed_keys=[], settings={}, nothing_to_write=True)),
]


@pytest.mark.parametrize("existing, settings, header, text, result", [m[1:] for m in MANAGED],
                         ids=[m[0] for m in MANAGED])
def test_managed(tmp_path, existing, settings, header, text, result):
    planned, got = plan(tmp_path, existing, settings, "managed", header)
    assert got == result
    if text is None:
        assert planned is None
    else:
        assert (planned.text, planned.before) == (text, existing)


def test_the_planned_file_carries_the_request(tmp_path):
    planned, _result = plan(tmp_path, None, {"k": 1}, mode="0600", owner="root", group="adm",
                            dir_mode="0700", create_owner="alice", create_group="1001")
    assert attributes(planned) == dict(
        text="k = 1\n", before=None, mode="0600", owner="root", group="adm", dir_mode="0700",
        dir_owner="alice", dir_group="1001", new_file_mode=0o644, new_owner="alice",
        new_group="1001")
    assert planned.path == str(tmp_path / "libvirt.conf")


def test_the_planned_file_defaults(tmp_path):
    planned, _result = plan(tmp_path, "k = 0\n", {"k": 1})
    assert attributes(planned) == dict(
        text="k = 1\n", before="k = 0\n", mode=None, owner=None, group=None, dir_mode="0755",
        dir_owner=None, dir_group=None, new_file_mode=0o644, new_owner=None, new_group=None)


REFUSED = [
    # (id, existing, settings, message after "PATH" is put in, key)
    ("syntax error in the file", 'uri_default = "x', {"uri_default": TEST},
     "PATH cannot be read by libvirt, so it is left untouched: configuration file syntax error: "
     "PATH:1: unterminated string", None),
    ("bad key name", "", {"bad-key": 1},
     "settings.bad-key: settings key: 'bad-key' is not accepted; a libvirt.conf key: a letter, then "
     "letters, digits or '_' (no '-', '.', leading '_' or digit)", "bad-key"),
    ("string key given a number", "", {"uri_default": 5},
     "settings.uri_default: 5 is not accepted; a string (libvirt says \"expected a string for "
     "'uri_default' parameter\" otherwise)", "uri_default"),
    ("choice key", "", {"keepalive_count": 1, "remote_mode": "fast"},
     "settings.remote_mode: 'fast' is not accepted; one of: auto, legacy, direct", "remote_mode"),
    ("bad alias name", "", {"uri_aliases": {"bad.name": TEST}},
     "settings.uri_aliases.bad.name: 'bad.name' is not accepted; an alias name made of 'a-Z, 0-9, "
     "_, -' (libvirt says \"Malformed 'uri_aliases' config entry ..., aliases may only contain "
     "'a-Z, 0-9, _, -'\")", "uri_aliases"),
    ("float value", "", {"k": 1.5},
     "settings.k: 1.5 is not accepted; a string, an integer, a boolean (written 0/1) or a list of "
     "those (libvirt.conf has no floats, null or mappings)", "k"),
    ("uri_default names an alias the new uri_aliases drop", 'uri_aliases = [ "a=test:///default" ]\n',
     {"uri_aliases": {"b": TEST}, "uri_default": "a"},
     "settings.uri_default: 'a' is not accepted; libvirt says 'no connection driver available for URI "
     "'a' does not include a driver name'; write driver:///path (e.g. qemu:///system) or define it as "
     "an alias in uri_aliases", "uri_default"),
    ("uri_default names no alias of the file", 'uri_aliases = [ "b=test:///default" ]\n',
     {"uri_default": "a"},
     "settings.uri_default: 'a' is not accepted; libvirt says 'no connection driver available for URI "
     "'a' does not include a driver name'; write driver:///path (e.g. qemu:///system) or define it as "
     "an alias in uri_aliases", "uri_default"),
]


@pytest.mark.parametrize("existing, settings, message, key", [r[1:] for r in REFUSED],
                         ids=[r[0] for r in REFUSED])
def test_refused(tmp_path, existing, settings, message, key):
    path, got, got_key = refusal(tmp_path, existing, settings)
    assert (got, got_key) == (message.replace("PATH", path), key)


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(FileFailure) as err:
        plan_conf_file({"path": str(tmp_path), "settings": {"k": 1}}, "merge", "H")
    assert (str(err.value), err.value.key) == ("%s is a directory, expected a file" % tmp_path, None)


def test_a_file_over_the_virconf_limit_is_refused(tmp_path):
    path, got, key = refusal(tmp_path, "#" * LIMIT + "\n", {"k": 1})
    assert (got, key) == ("%s: '(%d chars)' is not accepted; at most 10 MiB (virConf limit)"
                          % (path, LIMIT + 1), None)


@pytest.mark.parametrize("strategy", ["merge", "managed"])
def test_new_text_over_the_virconf_limit_is_refused(tmp_path, strategy):
    """Never planned: a text libvirt would not read (the header or a value makes it too long)."""
    header = "x" * LIMIT if strategy == "managed" else None
    path, got, key = refusal(tmp_path, "", {"k": "v" * (LIMIT if strategy == "merge" else 1)},
                             strategy, header)
    size = LIMIT + len('k = ""\n') if strategy == "merge" else len("# ") + LIMIT + len('\nk = "v"\n')
    assert (got, key) == ("the new text of %s would not parse: %s: '(%d chars)' is not accepted; "
                          "at most 10 MiB (virConf limit)" % (path, path, size), None)


def test_resolved_request_finds_the_home_in_this_hosts_passwd():
    entry = pwd.getpwnam("root")
    assert resolved_request({"user": "root", "path": None, "settings": {}, "create_owner": None,
                             "create_group": None}) == {
        "user": "root", "path": entry.pw_dir.rstrip("/") + "/.config/libvirt/libvirt.conf",
        "settings": {}, "create_owner": "root", "create_group": str(entry.pw_gid)}


@pytest.mark.parametrize("request_, message", [
    ({"user": "no-such-user-h2", "path": None},
     "user: 'no-such-user-h2' is not accepted; a user in this host's passwd database, or give the "
     "file's path (libvirt_client role: home or config_home in libvirt_client_users)"),
    ({"user": None, "path": None}, "path: a file path (or user, for that user's own file)"),
], ids=["unknown user", "neither"])
def test_resolved_request_refuses(request_, message):
    with pytest.raises(FileFailure) as err:
        resolved_request(request_)
    assert (str(err.value), err.value.key) == (message, None)


# check_with_virsh: this host's virsh reads each candidate (virsh_check.py), as the module does.

def make_module(hide=()):
    """A real AnsibleModule; ``hide``: programs get_bin_path does not find; warnings recorded."""
    args = {"_ansible_remote_tmp": "/tmp", "_ansible_keep_remote_files": False}
    try:
        from ansible.module_utils.testing import patch_module_args
    except ImportError:  # pragma: no cover - older ansible-core
        basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()  # pylint: disable=protected-access
        module = basic.AnsibleModule(argument_spec={})
    else:
        with patch_module_args(args):
            module = basic.AnsibleModule(argument_spec={})
    find = module.get_bin_path
    module.get_bin_path = lambda name, *a, **kw: None if name in hide else find(name, *a, **kw)
    module.warnings_seen = []
    module.warn = module.warnings_seen.append
    return module


def candidate(text, before=None, path="/etc/libvirt/libvirt.conf"):
    return PlannedFile(path, text, before=before), {"validated_with": ["virconf"]}


GOOD = 'uri_aliases = [ "a=test:///default" ]\nuri_default = "a"\n'
BAD_ALIAS = 'uri_aliases = [ "bad" ]\n'  # no '=': virURIFindAliasMatch refuses it


def test_virsh_checks_every_changed_candidate():
    requires("virsh")
    planned = [(None, {"validated_with": ["virconf"]}), candidate("k = 1\n", before="k = 1\n"),
               candidate(GOOD, path="/a.conf"), candidate("k = 2\n", before="k = 1\n", path="/b.conf")]
    module = make_module()
    check_with_virsh(module, "auto", planned)
    assert [r["validated_with"] for _p, r in planned] == [
        ["virconf"], ["virconf"], ["virconf", "virsh"], ["virconf", "virsh"]]
    assert module.warnings_seen == []


@pytest.mark.parametrize("policy", ["auto", "true"])
def test_libvirt_rejects_a_candidate(policy):
    requires("virsh")
    planned = [candidate(GOOD, path="/good.conf"), candidate(BAD_ALIAS, path="/home/a/libvirt.conf")]
    with pytest.raises(FileFailure) as err:
        check_with_virsh(make_module(), policy, planned)
    # libvirt 9.0's message (src/util/viruri.c virURIFindAliasMatch), the candidate's own path
    assert (str(err.value), err.value.key) == (
        "libvirt rejects the new /home/a/libvirt.conf, so no file was written: configuration file "
        "syntax error: Malformed 'uri_aliases' config entry 'bad', expected 'alias=uri://host/path'", None)
    assert planned[0][1]["validated_with"] == ["virconf", "virsh"]


def test_libvirt_syntax_error_names_the_target_not_the_temporary_file():
    requires("virsh")
    with pytest.raises(FileFailure) as err:
        check_with_virsh(make_module(), "auto", [candidate('uri_default = "x', path="/etc/x.conf")])
    assert str(err.value) == ("libvirt rejects the new /etc/x.conf, so no file was written: "
                              "configuration file syntax error: /etc/x.conf:1: unterminated string")


def test_no_virsh_true_fails():
    with pytest.raises(FileFailure) as err:
        check_with_virsh(make_module(hide=("virsh",)), "true", [candidate(GOOD)])
    assert (str(err.value), err.value.key) == (
        "validate_with_virsh=true but libvirt could not be run: virsh is not installed", None)


def test_no_virsh_auto_passes_silently():
    planned = [candidate(GOOD), candidate(BAD_ALIAS, path="/b.conf")]
    module = make_module(hide=("virsh",))
    check_with_virsh(module, "auto", planned)
    assert [r["validated_with"] for _p, r in planned] == [["virconf"], ["virconf"]]
    assert module.warnings_seen == []


def test_nothing_changed_needs_no_virsh():
    planned = [(None, {"validated_with": ["virconf"]}), candidate("k = 1\n", before="k = 1\n")]
    check_with_virsh(make_module(hide=("virsh",)), "true", planned)
    assert [r["validated_with"] for _p, r in planned] == [["virconf"], ["virconf"]]


NO_RUNNER = "neither 'unshare --user' nor 'setpriv' can run a command unprivileged here"


def test_virsh_without_an_unprivileged_runner_warns_once():
    requires(tool="virsh", root="running virsh unprivileged (unshare or setpriv) from root")
    planned = [candidate(GOOD), candidate(BAD_ALIAS, path="/b.conf")]
    module = make_module(hide=("unshare", "setpriv"))
    check_with_virsh(module, "auto", planned)
    assert module.warnings_seen == ["libvirt.conf not checked with virsh: " + NO_RUNNER]
    assert [r["validated_with"] for _p, r in planned] == [["virconf"], ["virconf"]]


def test_virsh_without_an_unprivileged_runner_true_fails():
    requires(tool="virsh", root="running virsh unprivileged (unshare or setpriv) from root")
    module = make_module(hide=("unshare", "setpriv"))
    with pytest.raises(FileFailure) as err:
        check_with_virsh(module, "true", [candidate(GOOD)])
    assert str(err.value) == "validate_with_virsh=true but libvirt could not be run: " + NO_RUNNER
    assert module.warnings_seen == []


def test_planned_texts_are_what_libvirt_reads():
    """The texts the merge and managed rows above plan are read by libvirt itself."""
    requires("virsh")
    texts = [m[3] for m in MERGE if m[3]] + [m[4] for m in MANAGED if m[4]]
    planned = [candidate(text, path="/c%d.conf" % i) for i, text in enumerate(texts)]
    check_with_virsh(make_module(), "true", planned)
    assert all(r["validated_with"] == ["virconf", "virsh"] for _p, r in planned)
