# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The default-URI lookup's answers and messages, whole (src/libvirt.c: virConnectOpenInternal,
virConnectGetDefaultURI; src/util/virconf.c: virConfLoadConfigPath). What virsh 9.0 and 11.3
answer for the same files is in test_libvirt_aliases_default.py and
tests/live/libvirt/test_client_info_live.py; here: the steps and errors the lookup reports."""

from __future__ import annotations

import os
import pwd
import socket

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.default_uri import (
    DefaultURIError,
    _daemon_default,
    _home,
    client_config_path,
    format_steps,
    read_client_config,
    resolve_default_uri,
)

QEMU = "usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so"
USER_ENV = {"HOME": "/home/u", "XDG_RUNTIME_DIR": "/home/u/rt"}
NO_PROBE = "(probe=false: no daemon socket was probed)"
NO_UID = 4242424  # no passwd entry on any host the tests run on


def make_root(tmp_path, files=(), conf=None):
    """A filesystem root with passwd/group for root and u (1000); ``conf``: {path: text}."""
    root = tmp_path / "root"
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("")
    (root / "etc").mkdir(parents=True, exist_ok=True)
    (root / "etc/passwd").write_text("root:x:0:0:root:/root:/bin/sh\nu:x:1000:1000::/home/u:/bin/sh\n")
    (root / "etc/group").write_text("root:x:0:\nu:x:1000:\n")
    for path, text in (conf or {}).items():
        (root / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (root / path.lstrip("/")).write_text(text)
    return str(root)


def write(tmp_path, text, name="libvirt.conf"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def failure(**kwargs):
    with pytest.raises(SpecError) as info:
        resolve_default_uri(**kwargs)
    return info.value


# -- where libvirt.conf is -----------------------------------------------------------------

def test_home_is_home_else_the_passwd_entry():
    assert _home({"HOME": "/h"}, NO_UID) == "/h"
    assert _home({"HOME": ""}, 0) == pwd.getpwuid(0).pw_dir
    assert _home({}, NO_UID) is None


def test_config_path_of_the_current_process(monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", "/x")
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert client_config_path() == "/x/libvirt/libvirt.conf"
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert client_config_path() == "/etc/libvirt/libvirt.conf"


def test_config_path_from_the_users_passwd_home():
    assert client_config_path(0, {}) == "/etc/libvirt/libvirt.conf"
    uid = next(e.pw_uid for e in pwd.getpwall() if e.pw_uid != 0 and pwd.getpwuid(e.pw_uid).pw_dir)
    assert client_config_path(uid, {"HOME": ""}) == os.path.join(
        pwd.getpwuid(uid).pw_dir, ".config", "libvirt", "libvirt.conf")


def test_config_path_without_any_home():
    with pytest.raises(SpecError) as info:
        client_config_path(NO_UID, {"XDG_CONFIG_HOME": "", "HOME": ""})
    assert (info.value.field, info.value.value) == ("HOME", None)
    assert str(info.value) == ("HOME: a home directory (or XDG_CONFIG_HOME) to find libvirt.conf "
                               "of a non-root user")


# -- reading it ----------------------------------------------------------------------------

def test_a_missing_file_is_none_and_a_directory_is_refused(tmp_path):
    assert read_client_config(str(tmp_path / "nope")) is None
    with pytest.raises(SpecError) as info:
        read_client_config(str(tmp_path))
    assert (info.value.field, info.value.value) == ("config", str(tmp_path))
    assert str(info.value) == "config: %r is not accepted; a readable libvirt.conf (Is a directory)" \
        % str(tmp_path)


def test_the_file_is_read_inside_the_root(tmp_path):
    root = make_root(tmp_path, conf={"/etc/libvirt/libvirt.conf": 'uri_default = "test:///default"\n'})
    assert read_client_config("/etc/libvirt/libvirt.conf", root).as_dict() == \
        {"uri_default": "test:///default"}


def test_bytes_that_are_not_utf8_are_kept(tmp_path):
    path = tmp_path / "libvirt.conf"
    path.write_bytes(b"# caf\xe9\nuri_default = 'test:///d\xe9'\n")
    assert read_client_config(str(path)).as_dict() == {"uri_default": "test:///d\udce9"}


def test_syntax_errors_name_the_file_and_line(tmp_path):
    path = write(tmp_path, "# c\nuri_default = 'test:///default'\nx = 1 2\n")
    with pytest.raises(SpecError) as info:
        read_client_config(path)
    assert str(info.value) == "configuration file syntax error: %s:3: expecting a separator" % path


# -- the steps in a message ----------------------------------------------------------------

def test_format_steps_adds_a_path_the_result_does_not_name():
    assert format_steps([
        {"step": "a", "result": "r"},
        {"step": "b", "result": "x /p y", "path": "/p"},
        {"step": "c", "result": "z", "path": "/q"},
        {"step": "d", "result": "z", "path": ""},
    ]) == "a: r; b: x /p y; c: z (/q); d: z"


def test_default_uri_error_carries_the_steps():
    steps = [{"step": "config", "result": "/c does not exist", "path": "/c"}]
    err = DefaultURIError("uri", "x", "a URI", steps)
    assert (err.field, err.value, err.steps) == ("uri", "x", steps)
    assert err.steps is not steps
    assert str(err) == "uri: 'x' is not accepted; a URI [config: /c does not exist]"


# -- resolution ----------------------------------------------------------------------------

def test_an_unreadable_config_fails_every_lookup(tmp_path):
    err = failure(name="test:///default", environ={}, euid=1000, config_path=str(tmp_path))
    assert isinstance(err, DefaultURIError)
    assert (err.field, err.value) == ("config", str(tmp_path))
    assert err.steps == [{"step": "config", "path": str(tmp_path),
                          "result": "%s cannot be used" % tmp_path}]
    assert str(err) == ("config: %r is not accepted; a readable libvirt.conf (Is a directory) "
                        "[config: %s cannot be used]" % (str(tmp_path), tmp_path))


@pytest.mark.parametrize("env,said", [({}, "not set"), ({"LIBVIRT_DEFAULT_URI": ""}, "empty (ignored)")],
                         ids=["unset", "empty"])
def test_nothing_to_open_without_probe(tmp_path, env, said):
    path = str(tmp_path / "nope")
    err = failure(environ=env, euid=1000, config_path=path, probe=False)
    assert (err.field, err.value) == ("uri", None)
    assert err.steps == [
        {"step": "config", "path": path, "result": "%s does not exist" % path},
        {"step": "LIBVIRT_DEFAULT_URI", "result": said},
        {"step": "uri_default", "result": "not set in %s" % path},
    ]
    assert str(err) == ("uri: a default URI: set LIBVIRT_DEFAULT_URI or uri_default in %s %s "
                        "[config: %s does not exist; LIBVIRT_DEFAULT_URI: %s; uri_default: not set "
                        "in %s]" % (path, NO_PROBE, path, said, path))


def test_uri_default_with_alias_the_whole_answer(tmp_path):
    path = write(tmp_path, 'uri_default = "t"\nuri_aliases = [ "t=test:///default?a=b" ]\n')
    assert resolve_default_uri(environ={"LIBVIRT_DEFAULT_URI": ""}, euid=1000, config_path=path,
                               probe=False) == {
        "uri": "test:///default?a=b", "raw": "test:///default?a=b", "source": "uri_default",
        "config": path, "warnings": [],
        "steps": [{"step": "config", "path": path, "result": "%s loaded" % path},
                  {"step": "LIBVIRT_DEFAULT_URI", "result": "empty (ignored)"},
                  {"step": "uri_default", "result": "t"},
                  {"step": "alias", "result": "t=test:///default?a=b"}]}


def test_uri_default_of_another_type_names_the_file(tmp_path):
    path = write(tmp_path, "uri_default = 1\n")
    err = failure(environ={}, euid=1000, config_path=path, probe=False)
    assert str(err) == ("uri_default: 1 is not accepted; a string (libvirt says 'internal error: "
                        "%s: expected a string for 'uri_default' parameter') [config: %s loaded; "
                        "LIBVIRT_DEFAULT_URI: not set]" % (path, path))


def test_the_environment_variable_and_the_reformatted_uri(tmp_path):
    path = str(tmp_path / "nope")
    result = resolve_default_uri(environ={"LIBVIRT_DEFAULT_URI": "qemu+ssh://h:0/system"},
                                 euid=1000, config_path=path)
    assert (result["uri"], result["raw"], result["source"]) == (
        "qemu+ssh://h/system", "qemu+ssh://h:0/system", "LIBVIRT_DEFAULT_URI")
    assert result["steps"][1:] == [{"step": "LIBVIRT_DEFAULT_URI", "result": "qemu+ssh://h:0/system"},
                                   {"step": "alias", "result": "no alias named 'qemu+ssh://h:0/system'"}]


def test_virsh_default_connect_uri_is_only_a_warning(tmp_path):
    result = resolve_default_uri("test:///default", environ={"VIRSH_DEFAULT_CONNECT_URI": "qemu:///system"},
                                 euid=1000, config_path=str(tmp_path / "nope"))
    assert result["uri"] == "test:///default"
    assert result["warnings"] == [
        "VIRSH_DEFAULT_CONNECT_URI=qemu:///system is set: it is deprecated and only virsh reads it "
        "(virsh connects there when no -c is given); libvirt itself uses LIBVIRT_DEFAULT_URI"]


def test_a_name_that_is_not_a_string(tmp_path):
    err = failure(name=3, environ={}, euid=1000, config_path=str(tmp_path / "nope"))
    assert err.__class__ is SpecError  # not a subclass
    assert (err.field, err.value) == ("name", 3)
    assert str(err) == "name: 3 is not accepted; a URI or alias string"


@pytest.mark.parametrize("name", ["xen", "XEN", "xen://"])
def test_legacy_xen_names(tmp_path, name):
    path = str(tmp_path / "nope")
    result = resolve_default_uri(name, environ={}, euid=1000, config_path=path)
    assert (result["uri"], result["source"]) == ("xen:///system", "name")
    assert result["steps"] == [
        {"step": "config", "path": path, "result": "%s does not exist" % path},
        {"step": "legacy", "result": "%r means xen:///system" % name},
        {"step": "name", "result": "xen:///system"},
        {"step": "alias", "result": "no alias named 'xen:///system'"}]


def test_xen_with_a_path_is_no_legacy_name(tmp_path):
    result = resolve_default_uri("XEN://", environ={}, euid=1000, config_path=str(tmp_path / "nope"))
    assert (result["raw"], result["source"]) == ("XEN://", "name")
    assert [s["step"] for s in result["steps"]] == ["config", "name", "alias"]


@pytest.mark.parametrize("name,env,shown,steps", [
    ("t", {}, "t", "name: t; alias: no alias named 't'"),
    (None, {"LIBVIRT_DEFAULT_URI": "t"}, "(null)", "LIBVIRT_DEFAULT_URI: t; alias: no alias named 't'"),
], ids=["name", "environment"])
def test_a_uri_without_a_driver(tmp_path, name, env, shown, steps):
    path = str(tmp_path / "nope")
    err = failure(name=name, environ=env, euid=1000, config_path=path)
    assert (err.field, err.value) == ("uri", "t")
    assert str(err) == ("uri: 't' is not accepted; a URI with a driver name (libvirt says 'no "
                        "connection driver available for URI '%s' does not include a driver "
                        "name'); define the alias in uri_aliases or write driver:///path "
                        "[config: %s does not exist; %s]" % (shown, path, steps))


def test_no_aliases_skips_the_list(tmp_path):
    path = write(tmp_path, 'uri_aliases = [ "test:///default=qemu:///system" ]\n')
    result = resolve_default_uri("test:///default", environ={}, euid=1000, config_path=path,
                                 no_aliases=True)
    assert (result["uri"], result["steps"][-1]) == (
        "test:///default", {"step": "aliases", "result": "skipped (VIR_CONNECT_NO_ALIASES)"})


def test_an_alias_list_of_another_type_names_the_file(tmp_path):
    path = write(tmp_path, 'uri_aliases = "t=test:///default"\n')
    err = failure(name="t", environ={}, euid=1000, config_path=path)
    assert str(err) == ("uri_aliases: 't=test:///default' is not accepted; a list of strings "
                        "(libvirt says '%s: expected a string list for 'uri_aliases' parameter') "
                        "[config: %s loaded; name: t]" % (path, path))


def test_a_malformed_alias_names_the_file(tmp_path):
    path = write(tmp_path, 'uri_aliases = [ "noeq" ]\n')
    err = failure(name="t", environ={}, euid=1000, config_path=path)
    assert str(err) == ("uri_aliases: 'noeq' is not accepted; libvirt says 'configuration file "
                        "syntax error: Malformed 'uri_aliases' config entry 'noeq', expected "
                        "'alias=uri://host/path'' (%s) [config: %s loaded; name: t]" % (path, path))


def test_qemu_host_system_is_refused_with_the_steps(tmp_path):
    path = str(tmp_path / "nope")
    err = failure(name="qemu://system", environ={}, euid=1000, config_path=path)
    assert (err.field, err.value) == ("host", "system")
    assert str(err) == ("host: 'system' is not accepted; a host name; libvirt says 'invalid "
                        "URI qemu://system (maybe you want qemu:///system)': did you mean "
                        "qemu:///system? [config: %s does not exist; name: qemu://system; alias: "
                        "no alias named 'qemu://system']" % path)


# src/libvirt.c: virConnectCheckURIMissingSlash looks at the schemes qemu, vbox and vz only (no
# +transport) with the server system or session; virsh 9.0 and 11.3 refuse these
# (tests/live/libvirt/test_libvirt_live.py::test_lookup_equals_virsh_uri_unprivileged).
@pytest.mark.parametrize("name,driver,server", [
    ("vbox://system", "vbox", "system"), ("vz://session", "vz", "session"),
    ("qemu://session", "qemu", "session"),
])
def test_missing_slash_of_each_driver(tmp_path, name, driver, server):
    path = str(tmp_path / "nope")
    err = failure(name=name, environ={}, euid=1000, config_path=path)
    assert (err.field, err.value) == ("host", server)
    assert str(err) == ("host: %r is not accepted; a host name; libvirt says 'invalid URI %s (maybe "
                        "you want %s:///%s)': did you mean %s:///%s? [config: %s does not exist; "
                        "name: %s; alias: no alias named %r]" % (
                            server, name, driver, server, driver, server, path, name, name))


def test_a_transport_is_no_missing_slash(tmp_path):
    # 'qemu+ssh' is not the scheme 'qemu': libvirt goes on to connect to the host 'system'
    result = resolve_default_uri("qemu+ssh://system/system", environ={}, euid=1000,
                                 config_path=str(tmp_path / "nope"))
    assert result["uri"] == "qemu+ssh://system/system"


def test_an_unparseable_uri_is_refused_as_uri(tmp_path):
    path = str(tmp_path / "nope")
    err = failure(name="test:///a b", environ={}, euid=1000, config_path=path)
    assert (err.field, err.value) == ("uri", "test:///a b")
    assert str(err) == ("uri: 'test:///a b' is not accepted; libvirt says 'Unable to parse URI "
                        "test:///a b': characters outside RFC 3986 (space, quotes, '<>\\^`{|}', "
                        "non-ASCII, a lone '%%', an empty ':port') must be percent-encoded [config: "
                        "%s does not exist; name: test:///a b; alias: no alias named 'test:///a b']"
                        % path)


# -- the probe -----------------------------------------------------------------------------

def test_root_without_a_daemon(tmp_path):
    root = make_root(tmp_path, conf={"/etc/libvirt/libvirt.conf": "# nothing\n"})
    err = failure(environ={}, euid=0, root=root)
    assert str(err) == (
        "uri: a default URI: set LIBVIRT_DEFAULT_URI or uri_default in /etc/libvirt/libvirt.conf, "
        "or start a libvirt daemon (Failed to connect socket to '/var/run/libvirt/libvirt-sock': "
        "No such file or directory (no daemon running, and root never autostarts one)) [config: "
        "/etc/libvirt/libvirt.conf loaded; LIBVIRT_DEFAULT_URI: not set; uri_default: not set in "
        "/etc/libvirt/libvirt.conf; probe: socket missing (/var/run/libvirt/libvirt-sock)]")


def test_remote_mode_of_the_file_reaches_the_probe(tmp_path):
    root = make_root(tmp_path, ["var/run/libvirt/libvirt-sock", QEMU],
                     conf={"/etc/libvirt/libvirt.conf": 'remote_mode = "direct"\n'})
    err = failure(environ={}, euid=0, root=root)
    assert str(err) == (
        "uri: a default URI: set LIBVIRT_DEFAULT_URI or uri_default in /etc/libvirt/libvirt.conf, "
        "or start a libvirt daemon (libvirt refuses to connect: direct socket mode needs a URI "
        "(remote_mode = \"direct\" and no default URI)) [config: /etc/libvirt/libvirt.conf loaded; "
        "LIBVIRT_DEFAULT_URI: not set; uri_default: not set in /etc/libvirt/libvirt.conf; probe: "
        "remote_mode is 'direct' in libvirt.conf: with no URI there is no driver to pick a direct "
        "socket for]")


def test_remote_mode_of_another_type_names_the_file(tmp_path):
    root = make_root(tmp_path, conf={"/etc/libvirt/libvirt.conf": "remote_mode = 1\n"})
    err = failure(environ={}, euid=0, root=root)
    assert str(err) == ("remote_mode: 1 is not accepted; a string (libvirt says 'internal error: "
                        "/etc/libvirt/libvirt.conf: expected a string for 'remote_mode' parameter') "
                        "[config: /etc/libvirt/libvirt.conf loaded; LIBVIRT_DEFAULT_URI: not set; "
                        "uri_default: not set in /etc/libvirt/libvirt.conf]")


def test_root_with_libvirtd(tmp_path):
    root = make_root(tmp_path, ["var/run/libvirt/libvirt-sock", QEMU])
    result = resolve_default_uri(environ={}, euid=0, root=root)
    assert (result["uri"], result["source"]) == ("qemu:///system", "probe")
    assert result["steps"] == [
        {"step": "config", "path": "/etc/libvirt/libvirt.conf",
         "result": "/etc/libvirt/libvirt.conf does not exist"},
        {"step": "LIBVIRT_DEFAULT_URI", "result": "not set"},
        {"step": "uri_default", "result": "not set in /etc/libvirt/libvirt.conf"},
        {"step": "probe", "result": "socket exists", "path": "/var/run/libvirt/libvirt-sock"},
        {"step": "probe", "result": "libvirtd serves it (monolithic daemon)",
         "path": "/var/run/libvirt/libvirt-admin-sock"},
        {"step": "probe", "result": "the daemon's environment is not readable (no pid in "
         "/var/run/libvirtd.pid): its own LIBVIRT_DEFAULT_URI and uri_default are not known",
         "path": "/var/run/libvirtd.pid"},
        {"step": "probe", "result": "libvirtd loads libvirt_driver_qemu.so first: it answers "
         "qemu:///system"},
        {"step": "probe", "result": "qemu:///system"},
        {"step": "alias", "result": "no alias named 'qemu:///system'"}]


STALE = ("uri: a default URI: set LIBVIRT_DEFAULT_URI or uri_default in /etc/libvirt/libvirt.conf, "
         "or start a libvirt daemon (Failed to connect socket to '/var/run/libvirt/libvirt-sock': "
         "Connection refused) [config: /etc/libvirt/libvirt.conf does not exist; LIBVIRT_DEFAULT_URI: "
         "not set; uri_default: not set in /etc/libvirt/libvirt.conf; probe: socket refused "
         "(Connection refused) (/var/run/libvirt/libvirt-sock)]")


def no_group_4242(rundir):
    conf = "/home/u/.config/libvirt/libvirt.conf"
    driver = ("libvirtd's qemu driver cannot start: no group record for gid 4242 (virGetUserEnt / "
              "virGetGroupEnt); the daemon has no driver and drops the connection")
    return ("uri: a default URI: set LIBVIRT_DEFAULT_URI or uri_default in %s, or start a libvirt "
            "daemon (%s) [config: %s does not exist; LIBVIRT_DEFAULT_URI: not set; uri_default: not "
            "set in %s; probe: socket missing (%s/libvirt-sock); probe: /usr/sbin/libvirtd would be "
            "autostarted (--timeout=120) for this user; probe: %s]" % (conf, driver, conf, conf, rundir,
                                                                       driver))


def test_connect_reaches_the_probe(tmp_path):
    root = make_root(tmp_path, [QEMU])
    (tmp_path / "root/var/run/libvirt").mkdir(parents=True)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(tmp_path / "root/var/run/libvirt/libvirt-sock"))
    stale.close()
    assert resolve_default_uri(environ={}, euid=0, root=root)["uri"] == "qemu:///system"
    err = failure(environ={}, euid=0, root=root, connect=True)
    assert str(err) == STALE


def test_the_current_process_is_the_client(tmp_path, monkeypatch):
    root = make_root(tmp_path, ["var/run/libvirt/libvirt-sock", QEMU])
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setenv("LIBVIRT_DEFAULT_URI", "test:///default?from=env")
    assert resolve_default_uri(root=root)["uri"] == "test:///default?from=env"
    monkeypatch.delenv("LIBVIRT_DEFAULT_URI")
    assert resolve_default_uri(environ={}, root=root)["uri"] == "qemu:///system"


def test_the_current_group_is_checked_for_the_session_driver(tmp_path, monkeypatch):
    root = make_root(tmp_path, ["usr/sbin/libvirtd", QEMU])
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setattr(os, "getegid", lambda: 4242)
    err = failure(environ=dict(USER_ENV), root=root)
    assert str(err) == no_group_4242("/home/u/rt/libvirt")
    assert resolve_default_uri(environ=dict(USER_ENV), root=root, egid=1000)["uri"] == "qemu:///session"


# -- a running libvirtd's own default ------------------------------------------------------

def test_daemon_default_from_its_environment(tmp_path):
    root = make_root(tmp_path)
    answer = _daemon_default((1000, 0), root)
    assert answer({"HOME": "/home/u", "LIBVIRT_DEFAULT_URI": "test:///default"}) == (
        "test:///default", "its LIBVIRT_DEFAULT_URI gives test:///default", True)


def test_daemon_default_from_its_file_with_alias(tmp_path):
    root = make_root(tmp_path, conf={"/d/libvirt/libvirt.conf":
                                     'uri_default = "a"\nuri_aliases = [ "a=test:///default?x" ]\n'})
    assert _daemon_default((1000, 0), root)({"HOME": "/home/u", "XDG_CONFIG_HOME": "/d"}) == (
        "test:///default?x", "its uri_default in /d/libvirt/libvirt.conf gives test:///default?x", True)


def test_daemon_default_of_a_system_daemon(tmp_path):
    root = make_root(tmp_path, conf={"/etc/libvirt/libvirt.conf": 'uri_default = "test:///default?root"\n'})
    assert _daemon_default((0, 1000), root)({"HOME": "/root"}) == (
        "test:///default?root", "its uri_default in /etc/libvirt/libvirt.conf gives test:///default?root",
        True)


@pytest.mark.parametrize("ids,path", [((1000, 0), "/home/u/.config/libvirt/libvirt.conf"),
                                      ((0, 1000), "/etc/libvirt/libvirt.conf")],
                         ids=["session", "system"])
def test_daemon_without_a_default_of_its_own_is_not_final(tmp_path, ids, path):
    # with sockets in the root: the daemon's own lookup must not probe them
    root = make_root(tmp_path, ["var/run/libvirt/libvirt-sock", "home/u/rt/libvirt/libvirt-sock", QEMU])
    assert _daemon_default(ids, root)(dict(USER_ENV)) == (
        None, "no LIBVIRT_DEFAULT_URI or uri_default of its own (%s)" % path, False)


def test_daemon_default_that_cannot_be_opened_is_final(tmp_path):
    root = make_root(tmp_path, conf={"/d/libvirt/libvirt.conf": "uri_default = 1\n"})
    answer = _daemon_default((1000, 0), root)
    assert answer({"HOME": "/home/u", "LIBVIRT_DEFAULT_URI": "nodriver"}) == (
        None, "its own default cannot be opened: uri: 'nodriver' is not accepted; a URI with a "
        "driver name (libvirt says 'no connection driver available for URI '(null)' does not "
        "include a driver name'); define the alias in uri_aliases or write driver:///path "
        "[config: /home/u/.config/libvirt/libvirt.conf does not exist; LIBVIRT_DEFAULT_URI: "
        "nodriver; alias: no alias named 'nodriver']", True)
    assert answer({"HOME": "/home/u", "XDG_CONFIG_HOME": "/d"}) == (
        None, "its own default cannot be opened: uri_default: 1 is not accepted; a string "
        "(libvirt says 'internal error: /d/libvirt/libvirt.conf: expected a string for "
        "'uri_default' parameter') [config: /d/libvirt/libvirt.conf loaded; LIBVIRT_DEFAULT_URI: "
        "not set]", True)


def test_daemon_default_without_a_home_is_final(tmp_path):
    assert _daemon_default((NO_UID, 0), make_root(tmp_path))({}) == (
        None, "its own default cannot be opened: HOME: a home directory (or XDG_CONFIG_HOME) to "
        "find libvirt.conf of a non-root user", True)
