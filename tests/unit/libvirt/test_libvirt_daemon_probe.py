# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The remote driver's no-URI socket probe, on a fake filesystem root (one row per case).

The rows are what virsh 9.0 (host) and 11.3 (trixie root) did with the same files:
tests/live/libvirt/test_client_info_live.py runs the real ones.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.daemon_probe import (
    _read_as,
    daemon_environment,
    in_root,
    probe_daemon_uri,
    runtime_directory,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.default_uri import (
    DefaultURIError,
    resolve_default_uri,
)
from ansible_collections.virt_uri.toolkit.tests.support.processes import in_forked_child
from ansible_collections.virt_uri.toolkit.tests.support.requires import unavailable

QEMU = "usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so"
LXC = "usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_lxc.so"
LIBXL = "usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_libxl.so"
SYS = "run/libvirt/"
USER = "home/u/rt/libvirt/"
USER_ENV = {"HOME": "/home/u", "XDG_RUNTIME_DIR": "/home/u/rt"}

PROBE_CASES = [
    # id, euid, files in the root, env, remote_mode -> uri (None: virsh fails), words
    ("root-nothing", 0, [], {}, None, None, "/var/run/libvirt/libvirt-sock"),
    ("root-modular-only", 0, [SYS + "virtqemud-sock"], {}, None, None, "No such file"),
    ("root-libvirtd-qemu", 0, [SYS + "libvirt-sock", SYS + "libvirt-admin-sock", QEMU], {},
     None, "qemu:///system", "libvirt_driver_qemu.so"),
    ("root-libvirtd-xen-first", 0, [SYS + "libvirt-sock", QEMU, LIBXL], {}, None,
     "xen:///system", "libxl"),
    ("root-libvirtd-no-driver", 0, [SYS + "libvirt-sock"], {}, None, None, "no hypervisor"),
    ("root-virtproxyd-lxc", 0, [SYS + "libvirt-sock", SYS + "virtproxyd-admin-sock",
                                SYS + "virtlxcd-sock", QEMU], {}, None, "lxc:///system",
     "virtlxcd-sock"),
    ("root-virtproxyd-qemu-before-lxc", 0, [SYS + "libvirt-sock", SYS + "virtproxyd-admin-sock",
                                            SYS + "virtlxcd-sock", SYS + "virtqemud-sock"], {},
     None, "qemu:///system", "virtqemud-sock"),
    ("root-direct-mode", 0, [SYS + "libvirt-sock", QEMU], {}, "direct", None, "direct"),
    ("user-autostart", 1000, ["usr/sbin/libvirtd", QEMU], USER_ENV, None, "qemu:///session",
     "autostarted"),
    ("user-autostart-off", 1000, ["usr/sbin/libvirtd", QEMU],
     dict(USER_ENV, LIBVIRT_AUTOSTART="0"), None, None, "LIBVIRT_AUTOSTART=0"),
    ("user-no-binary", 1000, [QEMU], USER_ENV, None, None, "/usr/sbin/libvirtd"),
    ("user-libvirtd-path", 1000, ["opt/lv/libvirtd", QEMU],
     dict(USER_ENV, LIBVIRTD_PATH="/opt/lv"), None, "qemu:///session", "/opt/lv/libvirtd"),
    ("user-session-socket", 1000, [USER + "libvirt-sock", QEMU], USER_ENV, None,
     "qemu:///session", "libvirtd"),
    ("user-without-passwd-entry", 4242, ["usr/sbin/libvirtd", QEMU], USER_ENV, None, None,
     "user record for uid 4242"),
    ("user-lxc-is-not-session", 1000, [USER + "libvirt-sock", LXC], USER_ENV, None, None,
     "no hypervisor"),
    ("user-cache-fallback", 1000, ["home/u/.cache/libvirt/libvirt-sock", QEMU],
     {"HOME": "/home/u"}, None, "qemu:///session", "/home/u/.cache/libvirt/libvirt-sock"),
    ("user-xdg-cache", 1000, ["c/libvirt/libvirt-sock", QEMU],
     {"HOME": "/home/u", "XDG_CACHE_HOME": "/c"}, None, "qemu:///session", "/c/libvirt"),
]


def make_root(tmp_path, files):
    root = tmp_path / "root"
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("")
    (root / "var").mkdir(parents=True, exist_ok=True)
    (root / "var" / "run").symlink_to("/run")  # as on Debian: absolute, resolved in the root
    (root / "etc").mkdir(exist_ok=True)
    (root / "etc" / "passwd").write_text("root:x:0:0:root:/root:/bin/sh\nu:x:1000:1000::/home/u:/bin/sh\n")
    (root / "etc" / "group").write_text("root:x:0:\nu:x:1000:\n")
    return str(root)


@pytest.mark.parametrize("case", PROBE_CASES, ids=[c[0] for c in PROBE_CASES])
def test_probe_table(tmp_path, case):
    _id, euid, files, env, mode, uri, words = case
    got, steps, error = probe_daemon_uri(euid, env, make_root(tmp_path, files), mode)
    assert got == uri, steps
    text = " ".join(s["result"] + " " + s.get("path", "") for s in steps) + " " + (error or "")
    assert words in text
    assert (error is None) == (uri is not None)


def test_session_qemu_driver_needs_the_group_record_too(tmp_path):
    root = make_root(tmp_path, ["usr/sbin/libvirtd", QEMU])
    assert probe_daemon_uri(1000, USER_ENV, root, egid=1000)[0] == "qemu:///session"
    uri, steps, error = probe_daemon_uri(1000, USER_ENV, root, egid=4242)
    assert uri is None and "group record for gid 4242" in error, steps


def test_resolution_failure_names_files_and_sockets(tmp_path):
    root = make_root(tmp_path, [])
    with pytest.raises(DefaultURIError) as info:
        resolve_default_uri(environ={}, euid=0, root=root)
    text = str(info.value)
    assert "/etc/libvirt/libvirt.conf does not exist" in text
    assert "/var/run/libvirt/libvirt-sock" in text and "socket missing" in text
    assert [s["step"] for s in info.value.steps] == [
        "config", "LIBVIRT_DEFAULT_URI", "uri_default", "probe"]


def test_resolution_reads_config_inside_root(tmp_path):
    root = make_root(tmp_path, [SYS + "libvirt-sock", QEMU])
    (tmp_path / "root/etc/libvirt").mkdir(parents=True)
    (tmp_path / "root/etc/libvirt/libvirt.conf").write_text('uri_aliases = [ "qemu:///system=x" ]')
    with pytest.raises(DefaultURIError, match="Malformed"):
        resolve_default_uri(environ={}, euid=0, root=root)
    (tmp_path / "root/etc/libvirt/libvirt.conf").write_text('uri_aliases = [ "h=test:///default" ]')
    result = resolve_default_uri(environ={}, euid=0, root=root)
    assert (result["uri"], result["source"]) == ("qemu:///system", "probe")


def test_connect_tells_stale_from_listening(tmp_path):
    root = make_root(tmp_path, [QEMU])
    (tmp_path / "root/run/libvirt").mkdir(parents=True)
    path = str(tmp_path / "root/run/libvirt/libvirt-sock")
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(path)
    stale.close()
    assert probe_daemon_uri(0, {}, root)[0] == "qemu:///system"  # existence only
    uri, steps, error = probe_daemon_uri(0, {}, root, connect=True)
    assert uri is None and "Connection refused" in error, steps
    listener = socket.socket(socket.AF_UNIX)
    (tmp_path / "root/run/libvirt/libvirt-sock").unlink()
    listener.bind(path)
    listener.listen(1)
    try:
        assert probe_daemon_uri(0, {}, root, connect=True)[0] == "qemu:///system"
    finally:
        listener.close()


def test_runtime_directory_is_globs():
    assert runtime_directory({"XDG_RUNTIME_DIR": "/r", "HOME": "/h"}) == "/r/libvirt"
    assert runtime_directory({"XDG_RUNTIME_DIR": "", "HOME": "/h"}) == "/h/.cache/libvirt"
    assert runtime_directory({}) is None


def test_in_root_keeps_absolute_links_inside(tmp_path):
    root = make_root(tmp_path, ["run/libvirt/x"])
    assert in_root(root, "/var/run/libvirt/x") == root + "/run/libvirt/x"
    assert in_root("/", "/var/run") == "/var/run"


# A running session libvirtd resolves the client's NULL URI itself, from its own environment
# (remote_daemon_dispatch.c: remoteDispatchConnectOpen -> virConnectOpen(NULL)). Seen on the
# molecule fleet (libvirt 9.0 and 11.3): a daemon started without XDG_CONFIG_HOME answered the
# uri_default of ~/.config/libvirt/libvirt.conf to a client whose XDG file had none.
DAEMON_CASES = [
    # id, the daemon's environment (None: no pid file), its files -> uri, source words
    ("daemon-uri_default", {"HOME": "/home/u"},
     {"home/u/.config/libvirt/libvirt.conf": 'uri_default = "test:///default?who=daemon"\n'},
     "test:///default?who=daemon", "uri_default in /home/u/.config/libvirt/libvirt.conf"),
    ("daemon-alias", {"HOME": "/home/u", "XDG_CONFIG_HOME": "/d"},
     {"d/libvirt/libvirt.conf": 'uri_default = "a"\nuri_aliases = [ "a=test:///default?via=alias" ]\n'},
     "test:///default?via=alias", "uri_default in /d/libvirt/libvirt.conf"),
    ("daemon-env", {"HOME": "/home/u", "LIBVIRT_DEFAULT_URI": "test:///default?who=env"}, {},
     "test:///default?who=env", "its LIBVIRT_DEFAULT_URI"),
    ("daemon-nothing", {"HOME": "/home/u"}, {}, "qemu:///session", "no LIBVIRT_DEFAULT_URI"),
    ("no-pid-file", None, {}, "qemu:///session", "not readable (no pid in"),
]


def _fake_process(proc_dir, environ, comm="libvirtd", uid=1000):
    proc_dir.mkdir(parents=True)
    (proc_dir / "environ").write_bytes(b"".join(("%s=%s" % kv).encode() + b"\0" for kv in environ.items()))
    (proc_dir / "comm").write_text(comm + "\n")
    if os.geteuid() == 0:
        os.chown(proc_dir, uid, uid)


@pytest.mark.parametrize("comm,uid", [("bash", 1000), ("libvirtd", 0)], ids=["not-libvirtd", "not-the-users"])
def test_a_pid_file_naming_another_process_is_not_read(tmp_path, comm, uid):
    """The session pid file is the user's to write: a pid of another program, or of another
    user's process, gives no daemon environment (the daemon's own default is not claimed)."""
    if os.geteuid() != 0:
        unavailable("needs root to give the fake /proc entry another owner")
    root = make_root(tmp_path, [USER + "libvirt-sock", USER + "libvirt-admin-sock", QEMU])
    (tmp_path / "root" / USER / "libvirtd.pid").write_text("4321\n")
    _fake_process(tmp_path / "root/proc/4321", {"LIBVIRT_DEFAULT_URI": "test:///default?who=other"},
                  comm=comm, uid=uid)
    assert daemon_environment(os.path.join("/", USER, "libvirtd.pid"), root, 1000) == (4321, None)
    result = resolve_default_uri(environ=dict(USER_ENV), euid=1000, egid=1000, root=root)
    assert result["uri"] != "test:///default?who=other", result
    assert "not readable" in " ".join(s["result"] for s in result["steps"])


@pytest.mark.parametrize("case", DAEMON_CASES, ids=[c[0] for c in DAEMON_CASES])
def test_running_libvirtd_resolves_with_its_own_environment(tmp_path, case):
    _id, daemon_env, files, uri, words = case
    root = make_root(tmp_path, [USER + "libvirt-sock", USER + "libvirt-admin-sock", QEMU])
    for rel, text in files.items():
        (tmp_path / "root" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "root" / rel).write_text(text)
    if daemon_env is not None:
        (tmp_path / "root" / USER / "libvirtd.pid").write_text("4321\n")
        _fake_process(tmp_path / "root/proc/4321", daemon_env)
    # the client's own file has no uri_default: it probes
    (tmp_path / "root/home/u/rt/xdg/libvirt").mkdir(parents=True)
    (tmp_path / "root/home/u/rt/xdg/libvirt/libvirt.conf").write_text('uri_aliases = [ "a=test:///default?who=client" ]\n')
    env = dict(USER_ENV, XDG_CONFIG_HOME="/home/u/rt/xdg")
    if uri is None:
        with pytest.raises(DefaultURIError, match=words):
            resolve_default_uri(environ=env, euid=1000, egid=1000, root=root)
        return
    result = resolve_default_uri(environ=env, euid=1000, egid=1000, root=root)
    assert (result["uri"], result["source"]) == (uri, "probe"), result["steps"]
    assert words in " ".join(s["result"] for s in result["steps"])


def test_root_reads_a_session_daemons_environ_as_its_owner():
    # Inside a container root lacks CAP_SYS_PTRACE and gets EACCES on a user's
    # /proc/PID/environ; the molecule fleet proves that path. Here: the child really runs as
    # the owner (it can read the owner's 0600 file, not root's).
    if os.geteuid() != 0:
        unavailable("needs root to change uid")
    top = tempfile.mkdtemp(prefix="virt-uri-read-as-")  # pytest's tmp_path is root-only
    try:
        os.chmod(top, 0o755)
        mine, roots = os.path.join(top, "mine"), os.path.join(top, "roots")
        for path, data in ((mine, b"A=1\0"), (roots, b"B=2\0")):
            with open(path, "wb") as handle:
                handle.write(data)
            os.chmod(path, 0o600)
        os.chown(mine, 65534, 65534)
        # in a forked child: a broken _read_as must not exit or fork this process
        assert in_forked_child(lambda: _read_as(65534, 65534, mine)) == (0, "b'A=1\\x00'")
        assert in_forked_child(lambda: _read_as(65534, 65534, roots)) == (0, "None")
    finally:
        shutil.rmtree(top)
