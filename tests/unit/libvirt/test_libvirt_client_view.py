# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One user's client view (libvirt_client_info's core), in process, on a fake filesystem root:
the whole report for each outcome, passwords masked everywhere. The answers themselves are
checked against the real virsh in tests/live/libvirt/test_client_info_live.py."""

from __future__ import annotations

import collections
import socket

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.client_view import (
    LIBVIRT_ENVIRONMENT,
    describe_client,
    mask_password,
    user_environment,
)
from ansible_collections.virt_uri.toolkit.tests.unit.libvirt.test_libvirt_default_uri import (
    STALE,
    no_group_4242,
)

NO_HOME = "HOME: a home directory (or XDG_CONFIG_HOME) to find libvirt.conf of a non-root user"
NO_UID = 4242424  # no passwd entry on any host the tests run on


def make_root(tmp_path, files):
    """``files``: {path inside the root: text}; passwd/group for root and u (1000)."""
    root = tmp_path / "root"
    files = dict({"/etc/passwd": "root:x:0:0:root:/root:/bin/sh\nu:x:1000:1000::/home/u:/bin/sh\n",
                  "/etc/group": "root:x:0:\nu:x:1000:\n"}, **files)
    for path, text in files.items():
        (root / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (root / path.lstrip("/")).write_text(text)
    return str(root)


def empty_report(**changes):
    report = {"user": None, "uid": 1000, "home": None,
              "config": {"path": None, "exists": False, "settings": {}, "aliases": {}, "error": None},
              "uri": None, "raw": None, "source": None, "steps": [], "warnings": [], "error": None,
              "sockets": []}
    report.update(changes)
    return report


# -- masking -------------------------------------------------------------------------------

@pytest.mark.parametrize("text,masked", [
    ("qemu+ssh://u:secret@h/system", "qemu+ssh://u:********@h/system"),
    ("x://:p@h", "x://:********@h"),
    ("a qemu+ssh://u:s@h/x and 'test://a:b@c/d'", "a qemu+ssh://u:********@h/x and 'test://a:********@c/d'"),
    ("qemu+ssh://u@h/system", "qemu+ssh://u@h/system"),
    ("qemu+ssh://h:22/system", "qemu+ssh://h:22/system"),
    ("u:secret@h", "u:secret@h"),
], ids=["user-password", "empty-user", "two-in-a-message", "no-password", "port", "no-scheme"])
def test_mask_password(text, masked):
    assert mask_password(text) == masked


@pytest.mark.parametrize("value", [None, 3, ["qemu+ssh://u:secret@h/system"]], ids=["none", "int", "list"])
def test_mask_password_leaves_other_values(value):
    assert mask_password(value) is value


# -- the environment of another user -------------------------------------------------------

Passwd = collections.namedtuple("Passwd", "pw_dir pw_uid pw_gid")


def passwd(name):
    return Passwd("/home/" + name, 1000, 1001)


def test_user_environment_takes_the_libvirt_variables_only():
    task = {name: "/v/" + name for name in LIBVIRT_ENVIRONMENT}
    task.update({"XDG_CONFIG_HOME": "/mine", "HOME": "/root", "OTHER": "1"})
    uid, gid, environ = user_environment("u", task, {"XDG_RUNTIME_DIR": "/r"}, passwd)
    assert (uid, gid) == (1000, 1001)
    assert environ == dict({"HOME": "/home/u", "USER": "u", "LOGNAME": "u", "XDG_RUNTIME_DIR": "/r"},
                           **{name: "/v/" + name for name in LIBVIRT_ENVIRONMENT})


def test_user_environment_extra_wins():
    assert user_environment("u", {"LIBVIRT_DEFAULT_URI": "a"}, {"LIBVIRT_DEFAULT_URI": "b", "HOME": "/h"},
                            passwd)[2] == {"HOME": "/h", "USER": "u", "LOGNAME": "u",
                                           "LIBVIRT_DEFAULT_URI": "b"}
    assert user_environment("u", {}, None, passwd) == (
        1000, 1001, {"HOME": "/home/u", "USER": "u", "LOGNAME": "u"})


def test_the_libvirt_variables():
    assert LIBVIRT_ENVIRONMENT == ("LIBVIRT_DEFAULT_URI", "LIBVIRT_AUTOSTART", "VIRTD_PATH",
                                   "LIBVIRTD_PATH", "VIRSH_DEFAULT_CONNECT_URI")


# -- the report ----------------------------------------------------------------------------

CONF = ('uri_default = "t"\nuri_aliases = [ "t=qemu+ssh://u:secret@h/system", "t=test:///default", '
        '"bad", "p=qemu+ssh://a:b@h/system", "q=test:///default?x=y" ]\nremote_mode = "legacy"\n')


def test_a_user_with_aliases_everything_masked(tmp_path):
    root = make_root(tmp_path, {"/x/libvirt/libvirt.conf": CONF, "/rt/libvirt/libvirt-sock": ""})
    report = describe_client(1000, {"HOME": "/home/u", "XDG_CONFIG_HOME": "/x", "XDG_RUNTIME_DIR": "/rt"},
                             user="u", root=root)
    path = "/x/libvirt/libvirt.conf"
    assert report == {
        "user": "u", "uid": 1000, "home": "/home/u",
        "config": {"path": path, "exists": True, "error": None,
                   "settings": {"uri_default": "t", "remote_mode": "legacy",
                                "uri_aliases": ["t=qemu+ssh://u:********@h/system", "t=test:///default",
                                                "bad", "p=qemu+ssh://a:********@h/system",
                                                "q=test:///default?x=y"]},
                   "aliases": {"t": "qemu+ssh://u:********@h/system",
                               "p": "qemu+ssh://a:********@h/system", "q": "test:///default?x=y"}},
        "uri": "qemu+ssh://u:********@h/system", "raw": "qemu+ssh://u:********@h/system",
        "source": "uri_default", "warnings": [], "error": None,
        "steps": [{"step": "config", "path": path, "result": path + " loaded"},
                  {"step": "LIBVIRT_DEFAULT_URI", "result": "not set"},
                  {"step": "uri_default", "result": "t"},
                  {"step": "alias", "result": "t=qemu+ssh://u:********@h/system"}],
        "sockets": [{"path": "/rt/libvirt/libvirt-sock", "daemon": "libvirtd", "kind": "monolithic",
                     "scope": "session", "admin": False, "read_only": False}]}


@pytest.mark.parametrize("value", ['"t=test:///default"', "1"], ids=["a-string", "an-integer"])
def test_aliases_of_another_type_show_none(tmp_path, value):
    root = make_root(tmp_path, {"/x/libvirt/libvirt.conf": "uri_aliases = %s\n" % value})
    report = describe_client(1000, {"XDG_CONFIG_HOME": "/x", "HOME": "/h"}, root=root,
                             name="test:///default")
    assert report["config"]["aliases"] == {}
    assert report["config"]["settings"] == {"uri_aliases": "t=test:///default" if value != "1" else 1}


def test_root_sees_the_system_sockets_and_fails_without_probe(tmp_path):
    root = make_root(tmp_path, {"/var/run/libvirt/libvirt-sock": "", "/var/run/libvirt/virtqemud-sock-ro": "",
                                "/home/u/.config/libvirt/libvirt.conf": 'uri_default = "test:///u"\n'})
    report = describe_client(0, {"XDG_CONFIG_HOME": "/home/u/.config", "XDG_RUNTIME_DIR": "/rt"},
                             user="root", home="/root", root=root, probe=False)
    path = "/etc/libvirt/libvirt.conf"
    assert report == empty_report(
        user="root", uid=0, home="/root",
        config={"path": path, "exists": False, "settings": {}, "aliases": {}, "error": None},
        steps=[{"step": "config", "path": path, "result": path + " does not exist"},
               {"step": "LIBVIRT_DEFAULT_URI", "result": "not set"},
               {"step": "uri_default", "result": "not set in " + path}],
        error="uri: a default URI: set LIBVIRT_DEFAULT_URI or uri_default in %s (probe=false: no "
              "daemon socket was probed) [config: %s does not exist; LIBVIRT_DEFAULT_URI: not "
              "set; uri_default: not set in %s]" % (path, path, path),
        sockets=[{"path": "/var/run/libvirt/libvirt-sock", "daemon": "libvirtd", "kind": "monolithic",
                  "scope": "system", "admin": False, "read_only": False},
                 {"path": "/var/run/libvirt/virtqemud-sock-ro", "daemon": "virtqemud", "kind": "modular",
                  "scope": "system", "admin": False, "read_only": True}])


def test_the_probe_connect_and_group_reach_the_lookup(tmp_path):
    qemu = "/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so"
    root = make_root(tmp_path, {"/usr/sbin/libvirtd": "", qemu: ""})
    env = {"HOME": "/home/u", "XDG_RUNTIME_DIR": "/rt"}
    assert describe_client(1000, env, root=root, egid=1000)["uri"] == "qemu:///session"
    report = describe_client(1000, env, root=root, egid=4242)
    assert report["uri"] is None
    assert report["error"] == no_group_4242("/rt/libvirt")


def test_connect_reaches_the_probe(tmp_path):
    qemu = "/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so"
    root = make_root(tmp_path, {qemu: ""})
    (tmp_path / "root/var/run/libvirt").mkdir(parents=True)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(tmp_path / "root/var/run/libvirt/libvirt-sock"))
    stale.close()
    assert describe_client(0, {}, root=root)["uri"] == "qemu:///system"  # the socket file only
    report = describe_client(0, {}, root=root, connect=True)
    assert report["uri"] is None
    assert report["error"] == STALE


def test_the_root_is_the_hosts_by_default(tmp_path):
    (tmp_path / "libvirt").mkdir()
    (tmp_path / "libvirt/libvirt.conf").write_text('uri_default = "test:///default"\n')
    report = describe_client(1000, {"XDG_CONFIG_HOME": str(tmp_path), "HOME": "/h"}, probe=False)
    assert (report["config"]["exists"], report["config"]["settings"], report["uri"]) == (
        True, {"uri_default": "test:///default"}, "test:///default")


def test_a_name_is_resolved_with_the_aliases(tmp_path):
    root = make_root(tmp_path, {"/x/libvirt/libvirt.conf": CONF})
    report = describe_client(1000, {"XDG_CONFIG_HOME": "/x", "HOME": "/h"}, root=root, name="t")
    assert (report["uri"], report["source"], report["error"]) == (
        "qemu+ssh://u:********@h/system", "name", None)


def test_no_home_at_all(tmp_path):
    report = describe_client(NO_UID, {}, root=make_root(tmp_path, {}))
    assert report == empty_report(uid=NO_UID, error=NO_HOME,
                                  config={"path": None, "exists": False, "settings": {},
                                          "aliases": {}, "error": NO_HOME})


def test_a_config_of_the_wrong_type_is_read_but_fails_the_lookup(tmp_path):
    root = make_root(tmp_path, {"/y/libvirt/libvirt.conf": "uri_default = 1\n"})
    report = describe_client(1000, {"XDG_CONFIG_HOME": "/y", "HOME": "/h"}, root=root, probe=False,
                             home="/hh")
    path = "/y/libvirt/libvirt.conf"
    assert report == empty_report(
        home="/hh",
        config={"path": path, "exists": True, "settings": {"uri_default": 1}, "aliases": {},
                "error": None},
        steps=[{"step": "config", "path": path, "result": path + " loaded"},
               {"step": "LIBVIRT_DEFAULT_URI", "result": "not set"}],
        error="uri_default: 1 is not accepted; a string (libvirt says 'internal error: %s: expected "
              "a string for 'uri_default' parameter') [config: %s loaded; LIBVIRT_DEFAULT_URI: not "
              "set]" % (path, path))


def test_a_config_with_a_syntax_error_exists_in_the_root(tmp_path):
    root = make_root(tmp_path, {"/z/libvirt/libvirt.conf": 'uri_default = "qemu+ssh://me:pw@h/system\n'})
    report = describe_client(1000, {"XDG_CONFIG_HOME": "/z", "HOME": "/h"}, root=root, probe=False)
    path = "/z/libvirt/libvirt.conf"
    assert report == empty_report(
        home="/h",
        config={"path": path, "exists": True, "settings": {}, "aliases": {},
                "error": "configuration file syntax error: %s:1: unterminated string" % path},
        steps=[{"step": "config", "path": path, "result": path + " cannot be used"}],
        error="%s:1: 'unterminated string' is not accepted; libvirt says 'configuration file syntax "
              "error: %s:1: unterminated string' [config: %s cannot be used]" % (path, path, path))


def test_an_unreadable_config_error_is_masked(tmp_path):
    # a directory where the file should be, under a path that looks like a URI with a password
    root = make_root(tmp_path, {"/q:/u:pw@/libvirt/libvirt.conf/keep": ""})
    report = describe_client(1000, {"XDG_CONFIG_HOME": "/q://u:pw@", "HOME": "/h"}, root=root,
                             probe=False)
    path = "/q://u:pw@/libvirt/libvirt.conf"
    masked = "/q://u:********@/libvirt/libvirt.conf"
    assert report["config"] == {"path": path, "exists": True, "settings": {}, "aliases": {},
                                "error": "config: %r is not accepted; a readable libvirt.conf (Is a "
                                         "directory)" % masked}
    assert report["steps"] == [{"step": "config", "path": path, "result": masked + " cannot be used"}]
    assert report["error"] == ("config: %r is not accepted; a readable libvirt.conf (Is a directory) "
                               "[config: %s cannot be used]" % (masked, masked))


def test_passwords_in_the_environment_warnings_and_errors_are_masked(tmp_path):
    root = make_root(tmp_path, {})
    env = {"HOME": "/h", "LIBVIRT_DEFAULT_URI": "qemu+ssh://me:pw@h/system",
           "VIRSH_DEFAULT_CONNECT_URI": "qemu+ssh://v:pw2@h/system"}
    report = describe_client(1000, env, root=root, probe=False)
    path = "/h/.config/libvirt/libvirt.conf"
    assert report == empty_report(
        home="/h",
        config={"path": path, "exists": False, "settings": {}, "aliases": {}, "error": None},
        uri="qemu+ssh://me:********@h/system", raw="qemu+ssh://me:********@h/system",
        source="LIBVIRT_DEFAULT_URI",
        steps=[{"step": "config", "path": path, "result": path + " does not exist"},
               {"step": "LIBVIRT_DEFAULT_URI", "result": "qemu+ssh://me:********@h/system"},
               {"step": "alias", "result": "no alias named 'qemu+ssh://me:********@h/system'"}],
        warnings=["VIRSH_DEFAULT_CONNECT_URI=qemu+ssh://v:********@h/system is set: it is deprecated "
                  "and only virsh reads it (virsh connects there when no -c is given); libvirt "
                  "itself uses LIBVIRT_DEFAULT_URI"])
    report = describe_client(1000, dict(env, LIBVIRT_DEFAULT_URI="qemu://me:pw@system"), root=root)
    assert report["uri"] is None
    assert report["steps"][1] == {"step": "LIBVIRT_DEFAULT_URI", "result": "qemu://me:********@system"}
    assert report["error"] == (
        "host: 'system' is not accepted; a host name; libvirt says 'invalid URI "
        "qemu://system (maybe you want qemu:///system)': did you mean qemu:///system? "
        "[config: %s does not exist; LIBVIRT_DEFAULT_URI: qemu://me:********@system; alias: no "
        "alias named 'qemu://me:********@system']" % path)


def test_a_name_that_is_not_a_string_is_an_error_without_steps(tmp_path):
    report = describe_client(1000, {"HOME": "/h"}, root=make_root(tmp_path, {}), name=3)
    assert (report["error"], report["steps"], report["uri"]) == (
        "name: 3 is not accepted; a URI or alias string", [], None)
