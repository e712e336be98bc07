# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The no-URI socket probe's whole answer: the URI, every step (result and path) and the whole
error, on a fake filesystem root.

test_libvirt_daemon_probe.py holds which URI each layout gives (what virsh 9.0 and 11.3 did,
tests/live/libvirt/test_client_info_live.py); here each step's wording and path is pinned, since
libvirt_client_info reports them as they are. The branches follow the sources the module cites:
remote_sockets.c: remoteGetUNIXSocket / remoteGetURIDaemonInfo, remote_daemon_dispatch.c:
remoteDispatchProbeURI, remote_daemon.c: daemonInitialize and daemonUnixSocketPaths.
"""

from __future__ import annotations

import builtins
import os
import pathlib
import shutil
import socket
import sys
import tempfile

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt import daemon_probe
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.daemon_probe import (
    daemon_environment,
    in_root,
    list_daemon_sockets,
    missing_user_record,
    probe_daemon_uri,
    runtime_directory,
)
from ansible_collections.virt_uri.toolkit.tests.support.processes import in_forked_child
from ansible_collections.virt_uri.toolkit.tests.support.requires import unavailable

DRIVERS = "usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_%s.so"
QEMU, LXC, LIBXL, VBOX = (DRIVERS % m for m in ("qemu", "lxc", "libxl", "vbox"))
SYS = "run/libvirt/"
USER = "home/u/rt/libvirt/"
USER_ENV = {"HOME": "/home/u", "XDG_RUNTIME_DIR": "/home/u/rt"}
SYS_SOCK = "/var/run/libvirt/libvirt-sock"
USER_SOCK = "/home/u/rt/libvirt/libvirt-sock"
ALL_SYSTEM = ("libvirt_driver_libxl.so, libvirt_driver_qemu.so, libvirt_driver_lxc.so, "
              "libvirt_driver_vbox.so")


def make_root(tmp_path, files, passwd="u:x:1000:1000::/home/u:/bin/sh\n", group="u:x:1000:\n"):
    root = tmp_path / "root"
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("")
    (root / "run").mkdir(parents=True, exist_ok=True)
    (root / "var").mkdir(exist_ok=True)
    (root / "var" / "run").symlink_to("/run")  # as on Debian: absolute, resolved in the root
    (root / "etc").mkdir(exist_ok=True)
    if passwd is not None:
        (root / "etc" / "passwd").write_text("root:x:0:0:root:/root:/bin/sh\n" + passwd)
    if group is not None:
        (root / "etc" / "group").write_text("root:x:0:\n" + group)
    return str(root)


def socket_steps(path, state="exists", daemon="libvirtd"):
    admin = "virtproxyd-admin-sock" if daemon == "virtproxyd" else "libvirt-admin-sock"
    why = "virtproxyd-admin-sock exists" if daemon == "virtproxyd" else "monolithic daemon"
    return [(path, "socket " + state),
            (os.path.join(os.path.dirname(path), admin), "%s serves it (%s)" % (daemon, why))]


def answer(driver, scope, module=None):
    return "libvirtd loads libvirt_driver_%s.so first: it answers %s:///%s" % (
        module or driver, driver, scope)


# id, euid, files, environment, keyword arguments -> uri, steps as (path or None, result), error
# (the error of a failure that ends in a step is that step's result: "=").
PROBES = [
    ("root-socket-missing", 0, [SYS + "virtqemud-sock", QEMU], {}, {}, None,
     [(SYS_SOCK, "socket missing")],
     "Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory "
     "(no daemon running, and root never autostarts one)"),
    ("root-direct", 0, [SYS + "libvirt-sock", QEMU], {}, {"remote_mode": "direct"}, None,
     [(None, "remote_mode is 'direct' in libvirt.conf: with no URI there is no driver to pick a "
       "direct socket for")],
     "libvirt refuses to connect: direct socket mode needs a URI (remote_mode = \"direct\" and no "
     "default URI)"),
    ("root-legacy-mode-probes", 0, [SYS + "libvirt-sock", QEMU], {}, {"remote_mode": "legacy"},
     "qemu:///system", socket_steps(SYS_SOCK) + [(None, answer("qemu", "system"))], None),
    ("root-libvirtd-qemu", 0, [SYS + "libvirt-sock", SYS + "libvirt-admin-sock", QEMU], {}, {},
     "qemu:///system", socket_steps(SYS_SOCK) + [(None, answer("qemu", "system"))], None),
    ("root-libxl-first", 0, [SYS + "libvirt-sock", QEMU, LIBXL, LXC], {}, {}, "xen:///system",
     socket_steps(SYS_SOCK) + [(None, answer("xen", "system", "libxl"))], None),
    ("root-lxc-before-vbox", 0, [SYS + "libvirt-sock", VBOX, LXC], {}, {}, "lxc:///system",
     socket_steps(SYS_SOCK) + [(None, answer("lxc", "system"))], None),
    ("root-vbox-only", 0, [SYS + "libvirt-sock", VBOX], {}, {}, "vbox:///system",
     socket_steps(SYS_SOCK) + [(None, answer("vbox", "system"))], None),
    ("root-lib64-driver-dir", 0, [SYS + "libvirt-sock",
                                  "usr/lib64/libvirt/connection-driver/libvirt_driver_lxc.so"],
     {}, {}, "lxc:///system", socket_steps(SYS_SOCK) + [(None, answer("lxc", "system"))], None),
    ("root-lib-driver-dir", 0, [SYS + "libvirt-sock",
                                "usr/lib/libvirt/connection-driver/libvirt_driver_qemu.so"],
     {}, {}, "qemu:///system", socket_steps(SYS_SOCK) + [(None, answer("qemu", "system"))], None),
    ("root-not-a-driver-module", 0, [SYS + "libvirt-sock", "usr/lib/libvirt/connection-driver/"
                                     "libvirt_storage_backend_qemu.so"], {}, {}, None,
     socket_steps(SYS_SOCK) + [(None, "=")],
     "libvirtd has no hypervisor driver module installed (%s): it cannot answer, the connection "
     "is dropped" % ALL_SYSTEM),
    ("root-no-record-needed", 0, [SYS + "libvirt-sock", QEMU], {}, {"egid": 4242},
     "qemu:///system", socket_steps(SYS_SOCK) + [(None, answer("qemu", "system"))], None),
    ("root-virtproxyd-by-binaries", 0, [SYS + "libvirt-sock", SYS + "virtqemud-sock",
                                        "usr/sbin/virtproxyd"], {}, {}, "qemu:///system",
     socket_steps(SYS_SOCK, daemon="virtproxyd")
     + [(None, "virtproxyd sees /var/run/libvirt/virtqemud-sock: it answers qemu:///system")],
     None),
    ("root-libvirtd-binary-wins", 0, [SYS + "libvirt-sock", "usr/sbin/virtproxyd",
                                      "usr/sbin/libvirtd", QEMU], {}, {}, "qemu:///system",
     socket_steps(SYS_SOCK) + [(None, answer("qemu", "system"))], None),
    ("root-libvirt-admin-before-binaries", 0, [SYS + "libvirt-sock", SYS + "libvirt-admin-sock",
                                               "usr/sbin/virtproxyd", QEMU], {}, {},
     "qemu:///system", socket_steps(SYS_SOCK) + [(None, answer("qemu", "system"))], None),
    ("root-virtproxyd-xen-first", 0, [SYS + "libvirt-sock", SYS + "virtproxyd-admin-sock"]
     + [SYS + "virt%sd-sock" % d for d in ("vz", "bhyve", "vbox", "lxc", "qemu", "xen")], {}, {},
     "xen:///system", socket_steps(SYS_SOCK, daemon="virtproxyd")
     + [(None, "virtproxyd sees /var/run/libvirt/virtxend-sock: it answers xen:///system")], None),
    ("root-virtproxyd-vz-last", 0, [SYS + "libvirt-sock", SYS + "virtproxyd-admin-sock",
                                    SYS + "virtvzd-sock"], {}, {}, "vz:///system",
     socket_steps(SYS_SOCK, daemon="virtproxyd")
     + [(None, "virtproxyd sees /var/run/libvirt/virtvzd-sock: it answers vz:///system")], None),
    ("root-virtproxyd-nothing", 0, [SYS + "libvirt-sock", SYS + "virtproxyd-admin-sock",
                                    "usr/sbin/virtqemud"], {}, {}, None,
     socket_steps(SYS_SOCK, daemon="virtproxyd") + [(None, "=")],
     "virtproxyd sees no modular daemon socket (/var/run/libvirt/virtxend-sock, "
     "/var/run/libvirt/virtqemud-sock, /var/run/libvirt/virtlxcd-sock, "
     "/var/run/libvirt/virtvboxd-sock, /var/run/libvirt/virtbhyved-sock, "
     "/var/run/libvirt/virtvzd-sock) and cannot answer"),
    ("user-no-runtime-directory", 1000, [], {"XDG_RUNTIME_DIR": "", "XDG_CACHE_HOME": ""}, {},
     None, [(None, "no XDG_RUNTIME_DIR, XDG_CACHE_HOME or HOME: no session runtime directory")],
     "no runtime directory for the session socket"),
    ("user-autostart", 1000, ["usr/sbin/libvirtd", QEMU], USER_ENV, {}, "qemu:///session",
     [(USER_SOCK, "socket missing"),
      ("/usr/sbin/libvirtd", "/usr/sbin/libvirtd would be autostarted (--timeout=120) for this user"),
      (None, answer("qemu", "session"))], None),
    ("user-autostart-other-value", 1000, ["usr/sbin/libvirtd", QEMU],
     dict(USER_ENV, LIBVIRT_AUTOSTART="1"), {}, "qemu:///session",
     [(USER_SOCK, "socket missing"),
      ("/usr/sbin/libvirtd", "/usr/sbin/libvirtd would be autostarted (--timeout=120) for this user"),
      (None, answer("qemu", "session"))], None),
    ("user-autostart-off", 1000, ["usr/sbin/libvirtd", QEMU],
     dict(USER_ENV, LIBVIRT_AUTOSTART="0"), {}, None,
     [(USER_SOCK, "socket missing"), (None, "LIBVIRT_AUTOSTART=0: no session daemon is started")],
     "Failed to connect socket to '/home/u/rt/libvirt/libvirt-sock': No such file or directory "
     "(LIBVIRT_AUTOSTART=0)"),
    ("user-no-binary", 1000, [QEMU], USER_ENV, {}, None,
     [(USER_SOCK, "socket missing"), ("/usr/sbin/libvirtd", "no /usr/sbin/libvirtd to autostart")],
     "no session daemon to autostart (/usr/sbin/libvirtd missing)"),
    ("user-virtd-path-first", 1000, ["opt/a/libvirtd", "opt/b/libvirtd", QEMU],
     dict(USER_ENV, VIRTD_PATH="/opt/a", LIBVIRTD_PATH="/opt/b"), {}, "qemu:///session",
     [(USER_SOCK, "socket missing"),
      ("/opt/a/libvirtd", "/opt/a/libvirtd would be autostarted (--timeout=120) for this user"),
      (None, answer("qemu", "session"))], None),
    ("user-libvirtd-path", 1000, ["opt/b/libvirtd", QEMU], dict(USER_ENV, LIBVIRTD_PATH="/opt/b"),
     {}, "qemu:///session",
     [(USER_SOCK, "socket missing"),
      ("/opt/b/libvirtd", "/opt/b/libvirtd would be autostarted (--timeout=120) for this user"),
      (None, answer("qemu", "session"))], None),
    ("user-session-vbox", 1000, [USER + "libvirt-sock", LXC, LIBXL, VBOX], USER_ENV, {},
     "vbox:///session", socket_steps(USER_SOCK) + [(None, answer("vbox", "session"))], None),
    ("user-no-session-driver", 1000, [USER + "libvirt-sock", LXC, LIBXL], USER_ENV, {}, None,
     socket_steps(USER_SOCK) + [(None, "=")],
     "libvirtd has no hypervisor driver module installed (libvirt_driver_qemu.so, "
     "libvirt_driver_vbox.so): it cannot answer, the connection is dropped"),
    ("user-without-passwd-entry", 4242, [USER + "libvirt-sock", QEMU], USER_ENV, {}, None,
     socket_steps(USER_SOCK) + [(None, "=")],
     "libvirtd's qemu driver cannot start: no user record for uid 4242 (virGetUserEnt / "
     "virGetGroupEnt); the daemon has no driver and drops the connection"),
    ("user-without-group-entry", 1000, [USER + "libvirt-sock", QEMU], USER_ENV, {"egid": 4242},
     None, socket_steps(USER_SOCK) + [(None, "=")],
     "libvirtd's qemu driver cannot start: no group record for gid 4242 (virGetUserEnt / "
     "virGetGroupEnt); the daemon has no driver and drops the connection"),
    ("user-without-record-no-qemu", 4242, [USER + "libvirt-sock", LXC], USER_ENV, {}, None,
     socket_steps(USER_SOCK) + [(None, "=")],
     "libvirtd has no hypervisor driver module installed (libvirt_driver_qemu.so, "
     "libvirt_driver_vbox.so): it cannot answer, the connection is dropped"),
    ("user-without-record-vbox-answers", 4242, [USER + "libvirt-sock", QEMU, VBOX], USER_ENV, {},
     "vbox:///session", socket_steps(USER_SOCK) + [(None, answer("vbox", "session"))], None),
    ("user-virtproxyd-socket", 1000, [USER + "libvirt-sock", USER + "virtproxyd-admin-sock",
                                      USER + "virtvboxd-sock", "usr/sbin/virtqemud"], USER_ENV, {},
     "vbox:///session", socket_steps(USER_SOCK, daemon="virtproxyd")
     + [(None, "virtproxyd sees /home/u/rt/libvirt/virtvboxd-sock: it answers vbox:///session")],
     None),
    ("user-virtproxyd-binary", 1000, [USER + "libvirt-sock", USER + "virtproxyd-admin-sock",
                                      USER + "virtlxcd-sock", "usr/sbin/virtvboxd"], USER_ENV, {},
     "vbox:///session", socket_steps(USER_SOCK, daemon="virtproxyd")
     + [(None, "virtproxyd finds /usr/sbin/virtvboxd")], None),
    ("user-virtproxyd-qemu-binary-first", 1000, [USER + "libvirt-sock", USER + "virtproxyd-admin-sock",
                                                 "usr/sbin/virtvboxd", "usr/sbin/virtqemud"],
     USER_ENV, {}, "qemu:///session", socket_steps(USER_SOCK, daemon="virtproxyd")
     + [(None, "virtproxyd finds /usr/sbin/virtqemud")], None),
    ("user-virtproxyd-nothing", 1000, [USER + "libvirt-sock", USER + "virtproxyd-admin-sock",
                                       USER + "virtxend-sock"], USER_ENV, {}, None,
     socket_steps(USER_SOCK, daemon="virtproxyd") + [(None, "=")],
     "virtproxyd sees no modular daemon socket (/home/u/rt/libvirt/virtqemud-sock, "
     "/home/u/rt/libvirt/virtvboxd-sock) and cannot answer"),
]


def _steps(steps):
    return [(s.get("path"), s["result"]) for s in steps]


@pytest.mark.parametrize("case", PROBES, ids=[c[0] for c in PROBES])
def test_probe_steps_and_error(tmp_path, case):
    _id, euid, files, env, kwargs, uri, steps, error = case
    got_uri, got_steps, got_error = probe_daemon_uri(euid, env, make_root(tmp_path, files), **kwargs)
    assert all(set(s) <= {"step", "result", "path"} and s["step"] == "probe" for s in got_steps)
    want = [(p, error if r == "=" else r) for p, r in steps]
    assert (got_uri, _steps(got_steps), got_error) == (uri, want, error)


@pytest.fixture
def short_tmp():
    """A directory with a short path: a unix socket path has at most 107 bytes, and pytest's
    tmp_path under xdist (ansible-test units) is longer than that with the session layout."""
    top = tempfile.mkdtemp(prefix="vp-")
    try:
        yield pathlib.Path(top)
    finally:
        shutil.rmtree(top)


def _stale_socket(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(path)
    stale.close()


def test_stale_session_socket_autostarts(short_tmp):
    """virnetsocket.c: virNetSocketNewConnectUNIX spawns the session daemon on ECONNREFUSED as on
    ENOENT (live: test_client_info_live.py, stale-socket as the user)."""
    root = make_root(short_tmp, ["usr/sbin/libvirtd", QEMU])
    _stale_socket(root + "/" + USER + "libvirt-sock")
    got = probe_daemon_uri(1000, USER_ENV, root, connect=True)
    assert (got[0], _steps(got[1]), got[2]) == ("qemu:///session", [
        (USER_SOCK, "socket refused (Connection refused)"),
        (USER_SOCK, "a stale socket does not stop the session autostart"),
        ("/usr/sbin/libvirtd", "/usr/sbin/libvirtd would be autostarted (--timeout=120) for this user"),
        (None, answer("qemu", "session"))], None)


@pytest.mark.parametrize("euid,env,path", [
    (0, {}, SYS_SOCK), (1000, dict(USER_ENV, LIBVIRT_AUTOSTART="0"), USER_SOCK)],
    ids=["root", "user-autostart-off"])
def test_stale_socket_without_autostart_is_the_error(short_tmp, euid, env, path):
    root = make_root(short_tmp, ["usr/sbin/libvirtd", QEMU])
    _stale_socket(in_root(root, path))
    got = probe_daemon_uri(euid, env, root, connect=True)
    assert (got[0], _steps(got[1]), got[2]) == (
        None, [(path, "socket refused (Connection refused)")],
        "Failed to connect socket to '%s': Connection refused" % path)


def test_listening_socket(short_tmp):
    root = make_root(short_tmp, [QEMU])
    os.makedirs(root + "/run/libvirt")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(root + "/run/libvirt/libvirt-sock")
    listener.listen(1)
    try:
        got = probe_daemon_uri(0, {}, root, connect=True)
    finally:
        listener.close()
    assert (got[0], _steps(got[1]), got[2]) == (
        "qemu:///system", socket_steps(SYS_SOCK, "listening") + [(None, answer("qemu", "system"))],
        None)


def test_connect_to_a_missing_socket_is_missing(tmp_path):
    root = make_root(tmp_path, [QEMU])
    got = probe_daemon_uri(0, {}, root, connect=True)
    assert _steps(got[1]) == [(SYS_SOCK, "socket missing")]


# A running libvirtd answers with its own default (remote_daemon_dispatch.c:
# remoteDispatchConnectOpen); daemon_default is default_uri's resolver, here a stand-in that
# records the environment it got.
def _fake_proc(root, pid, data, comm="libvirtd\n", uid=0):
    proc = os.path.join(root, "proc", str(pid))
    os.makedirs(proc)
    with open(os.path.join(proc, "environ"), "wb") as handle:
        handle.write(data)
    with open(os.path.join(proc, "comm"), "w", encoding="utf-8") as handle:
        handle.write(comm)
    os.chown(proc, uid, uid)
    return proc


def _need_root():
    if os.geteuid() != 0:
        unavailable("needs root to give the fake /proc entries an owner")


@pytest.mark.parametrize("final,uri,error,last", [
    (True, "test:///default?who=daemon", None, None),
    (True, None, "its uri_default is malformed", None),
    (False, "qemu:///system", None, answer("qemu", "system")),
], ids=["final-uri", "final-failure", "not-final"])
def test_system_libvirtd_resolves_with_its_environment(tmp_path, final, uri, error, last):
    _need_root()
    root = make_root(tmp_path, [SYS + "libvirt-sock", SYS + "libvirt-admin-sock", QEMU])
    with open(root + "/run/libvirtd.pid", "w", encoding="ascii") as handle:
        handle.write(" 77\n")
    _fake_proc(root, 77, b"HOME=/root\0A=1\0A=2\0NOEQUALS\0B=x=y\0=empty\0\0")
    seen = []

    def daemon_default(environ):
        seen.append(environ)
        return (uri if final else None), (error or "its uri_default"), final

    got = probe_daemon_uri(0, {}, root, daemon_default=daemon_default)
    assert seen == [{"HOME": "/root", "A": "1", "B": "x=y", "": "empty"}]
    steps = socket_steps(SYS_SOCK) + [
        ("/var/run/libvirtd.pid", "libvirtd (pid 77) resolves the URI itself: %s"
         % (error or "its uri_default"))]
    if last:
        steps.append((None, last))
    assert (got[0], _steps(got[1]), got[2]) == (uri if final else "qemu:///system", steps, error)


def test_daemon_default_is_not_asked_without_a_running_libvirtd(tmp_path):
    calls = []
    root = make_root(tmp_path, ["usr/sbin/libvirtd", QEMU, SYS + "libvirt-sock",
                                SYS + "virtproxyd-admin-sock", SYS + "virtqemud-sock"])
    # the session daemon would only be autostarted; the system one is virtproxyd
    assert probe_daemon_uri(1000, USER_ENV, root, daemon_default=calls.append)[0] == "qemu:///session"
    assert probe_daemon_uri(0, {}, root, daemon_default=calls.append)[0] == "qemu:///system"
    assert calls == []


def test_unreadable_pid_file_is_a_step(tmp_path):
    root = make_root(tmp_path, [USER + "libvirt-sock", QEMU])
    with open(root + "/" + USER + "libvirtd.pid", "w", encoding="ascii") as handle:
        handle.write("4321\n")  # no /proc/4321 in the root
    got = probe_daemon_uri(1000, USER_ENV, root, daemon_default=lambda env: ("x", "y", True))
    assert _steps(got[1])[2:] == [
        ("/home/u/rt/libvirt/libvirtd.pid", "the daemon's environment is not readable "
         "(/proc/4321/environ): its own LIBVIRT_DEFAULT_URI and uri_default are not known"),
        (None, answer("qemu", "session"))]
    os.remove(root + "/" + USER + "libvirtd.pid")
    got = probe_daemon_uri(0, {}, make_root(tmp_path / "sys", [SYS + "libvirt-sock", QEMU]),
                           daemon_default=lambda env: ("x", "y", True))
    assert _steps(got[1])[2] == (
        "/var/run/libvirtd.pid", "the daemon's environment is not readable (no pid in "
        "/var/run/libvirtd.pid): its own LIBVIRT_DEFAULT_URI and uri_default are not known")


@pytest.mark.parametrize("text", ["", "x\n", "12a\n"], ids=["empty", "word", "trailing"])
def test_daemon_environment_without_a_pid(tmp_path, text):
    root = make_root(tmp_path, [])
    with open(root + "/run/p.pid", "w", encoding="ascii") as handle:
        handle.write(text)
    assert daemon_environment("/var/run/p.pid", root, 0) == (None, None)
    assert daemon_environment("/var/run/none.pid", root, 0) == (None, None)


@pytest.mark.parametrize("data", [b"\xef\xbc\x95\n", b"5\xff\n"], ids=["fullwidth-digit", "not-utf8"])
def test_daemon_environment_pid_file_is_ascii(tmp_path, data):
    """The pid file is read as ASCII: a fullwidth digit (which Python's int() would read as 5) or
    any other byte is no pid."""
    root = make_root(tmp_path, [])
    with open(root + "/run/p.pid", "wb") as handle:
        handle.write(data)
    os.makedirs(root + "/proc/5")
    with open(root + "/proc/5/comm", "w", encoding="ascii") as handle:
        handle.write("libvirtd\n")
    with open(root + "/proc/5/environ", "wb") as handle:
        handle.write(b"A=1\0")
    assert daemon_environment("/run/p.pid", root, 0) == (None, None)


def test_daemon_environment_checks_owner_and_name(tmp_path):
    _need_root()
    root = make_root(tmp_path, [])
    with open(root + "/run/p.pid", "w", encoding="ascii") as handle:
        handle.write("5\n")
    assert daemon_environment("/run/p.pid", root, 0) == (5, None)  # no /proc/5
    proc = _fake_proc(root, 5, b"X=1\0", comm="libvirtd\n", uid=1000)
    assert daemon_environment("/run/p.pid", root, 1000) == (5, {"X": "1"})
    assert daemon_environment("/run/p.pid", root, 0) == (5, None)
    assert daemon_environment("/run/p.pid", root) == (5, None)  # None: the caller's euid, 0
    os.chown(proc, 0, 0)
    assert daemon_environment("/run/p.pid", root) == (5, {"X": "1"})
    with open(proc + "/comm", "w", encoding="utf-8") as handle:
        handle.write("libvirtd2\n")
    assert daemon_environment("/run/p.pid", root) == (5, None)
    with open(proc + "/comm", "wb") as handle:
        handle.write(b"libvirtd\xff\n")  # read with a replacement character: another name
    assert daemon_environment("/run/p.pid", root) == (5, None)
    with open(proc + "/comm", "w", encoding="utf-8") as handle:
        handle.write("libvirtd")
    os.remove(proc + "/environ")
    assert daemon_environment("/run/p.pid", root) == (5, None)  # OSError other than EACCES


def test_daemon_environment_decodes_bytes_as_is(tmp_path):
    _need_root()
    root = make_root(tmp_path, [])
    with open(root + "/run/p.pid", "w", encoding="ascii") as handle:
        handle.write("6")
    _fake_proc(root, 6, b"P=/caf\xc3\xa9\0Q=\xff\0")
    assert daemon_environment("/run/p.pid", root) == (6, {"P": "/caf\u00e9", "Q": "\udcff"})


@pytest.fixture
def environ_denied(monkeypatch):
    """/proc/PID/environ raising EACCES as for root without CAP_SYS_PTRACE in a container;
    _read_as (the forked reader, test_libvirt_daemon_probe.py runs it) records its arguments."""
    class Reads(list):
        result = b"Y=2\0"

    reads = Reads()
    real_open = builtins.open

    def fake_open(path, *args, **kwargs):
        if str(path).endswith("/environ"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    def fake_read_as(uid, gid, path):
        reads.append((uid, gid, path))
        return reads.result

    monkeypatch.setattr(daemon_probe, "open", fake_open, raising=False)
    monkeypatch.setattr(daemon_probe, "_read_as", fake_read_as)
    return reads


def test_denied_environ_is_read_as_the_owner(tmp_path, environ_denied):
    _need_root()
    root = make_root(tmp_path, [])
    with open(root + "/run/p.pid", "w", encoding="ascii") as handle:
        handle.write("7")
    proc = _fake_proc(root, 7, b"", uid=1000)
    os.chown(proc, 1000, 1001)
    assert daemon_environment("/run/p.pid", root, 1000) == (7, {"Y": "2"})
    assert environ_denied == [(1000, 1001, proc + "/environ")]
    environ_denied.result = None
    assert daemon_environment("/run/p.pid", root, 1000) == (7, None)
    os.chown(proc, 0, 0)
    del environ_denied[:]
    assert daemon_environment("/run/p.pid", root, 0) == (7, None)  # root is never read as
    assert daemon_environment("/run/p.pid", root) == (7, None)
    assert environ_denied == []


def test_denied_environ_is_not_read_by_a_user(tmp_path, environ_denied, monkeypatch):
    _need_root()
    root = make_root(tmp_path, [])
    with open(root + "/run/p.pid", "w", encoding="ascii") as handle:
        handle.write("8")
    _fake_proc(root, 8, b"", uid=1000)
    monkeypatch.setattr(daemon_probe.os, "geteuid", lambda: 1000)
    assert daemon_environment("/run/p.pid", root, 1000) == (8, None)
    assert environ_denied == []


def test_runtime_directory_order():
    assert runtime_directory({"XDG_RUNTIME_DIR": "/r", "XDG_CACHE_HOME": "/c", "HOME": "/h"}) == "/r/libvirt"
    assert runtime_directory({"XDG_RUNTIME_DIR": "", "XDG_CACHE_HOME": "/c", "HOME": "/h"}) == "/c/libvirt"
    assert runtime_directory({"XDG_CACHE_HOME": "", "HOME": "/h"}) == "/h/.cache/libvirt"
    assert runtime_directory({"HOME": ""}) is None


def test_in_root_links(tmp_path):
    root = str(tmp_path)
    os.makedirs(root + "/a/b")
    os.symlink("b", root + "/a/rel")  # relative: resolved beside the link
    os.symlink("/a", root + "/abs")  # absolute: from the root
    os.symlink("../rel", root + "/a/b/up")
    os.symlink("loop", root + "/loop")
    assert in_root(root, "/a/rel/x") == root + "/a/b/x"
    assert in_root(root + "/", "/abs/rel") == root + "/a/b"
    assert in_root(root, "/abs//b/") == root + "/a/b"
    assert in_root(root, "/a/b/up") == root + "/a/b/../b"
    # the 41st lookup of a link keeps the link's own path (the kernel's ELOOP limit is 40)
    assert in_root(root, "/loop") == root + "/loop"
    assert in_root("", "/etc/x") == "/etc/x"
    assert in_root("/", "relative") == "relative"
    assert in_root(root, "/") == root
    assert in_root("/top/", "") == "/top"


def test_missing_user_record_in_a_root(tmp_path):
    root = make_root(tmp_path, [], passwd="u:x:1000:1000::/home/u:/bin/sh\nbad line\nv:x:10001:0::/:/bin/sh\n",
                     group="g:x:1001:\n")
    assert missing_user_record(root, 1000) is None
    assert missing_user_record(root, 1000, 1001) is None
    assert missing_user_record(root, 1000, 1000) == "group record for gid 1000"
    assert missing_user_record(root, 100) == "user record for uid 100"  # a prefix of 1000
    assert missing_user_record(root, 10001, 0) is None
    assert missing_user_record(root, 1001, 1001) == "user record for uid 1001"  # a gid, not a uid
    with open(root + "/etc/group", "ab") as handle:
        handle.write(b"caf\xe9:x:1002:\n")  # not UTF-8: read with replacement characters
    assert missing_user_record(root, 1000, 1002) is None
    other = make_root(tmp_path / "bare", [], passwd=None, group=None)
    assert missing_user_record(other, 0) == "user record for uid 0"
    assert missing_user_record(root, 0, 2 ** 31 - 7) == "group record for gid 2147483641"


def test_missing_user_record_of_the_real_root():
    """On the real root NSS answers (pwd / grp); uid and gid 0 always exist."""
    assert missing_user_record("/", 0, 0) is None
    assert missing_user_record("", 0) is None
    assert missing_user_record("/", 2 ** 31 - 7) == "user record for uid 2147483641"
    assert missing_user_record("/", 0, 2 ** 31 - 7) == "group record for gid 2147483641"


class _Database:
    def __init__(self, known):
        self.known = known

    def lookup(self, ident):
        if ident not in self.known:
            raise KeyError(ident)
        return ident


@pytest.mark.parametrize("root", ["/", ""], ids=["slash", "empty"])
def test_missing_user_record_asks_nss_for_each_database(monkeypatch, root):
    """pwd for the user, grp for the group (a uid 7 with no group 7, a gid 8 with no user 8)."""
    pwd, grp = _Database({7}), _Database({8})
    monkeypatch.setitem(sys.modules, "pwd", type("pwd", (), {"getpwuid": staticmethod(pwd.lookup)}))
    monkeypatch.setitem(sys.modules, "grp", type("grp", (), {"getgrgid": staticmethod(grp.lookup)}))
    assert missing_user_record(root, 7, 8) is None
    assert missing_user_record(root, 8) == "user record for uid 8"
    assert missing_user_record(root, 7, 7) == "group record for gid 7"
    monkeypatch.setitem(sys.modules, "grp", None)  # no NSS modules (ImportError): no record is known
    assert missing_user_record(root, 7, 8) == "user record for uid 7"


def test_list_daemon_sockets(tmp_path):
    root = make_root(tmp_path, [SYS + n for n in (
        "libvirt-sock", "libvirt-sock-ro", "libvirt-admin-sock", "virtqemud-sock",
        "virtqemud-sock-ro", "virtproxyd-sock", "virtlogd-sock", "virtlockd-admin-sock",
        "virtqemud-sock.old", "xlibvirt-sock", "virt-sock", "virtQd-sock", "libvirt-sock-rw")])
    got = list_daemon_sockets("/var/run/libvirt", root, scope="user")

    def row(name, daemon, kind, admin=False, read_only=False):
        return {"path": "/var/run/libvirt/" + name, "daemon": daemon, "kind": kind, "scope": "user",
                "admin": admin, "read_only": read_only}

    assert got == [
        row("libvirt-admin-sock", "libvirtd", "monolithic", admin=True),
        row("libvirt-sock", "libvirtd", "monolithic"),
        row("libvirt-sock-ro", "libvirtd", "monolithic", read_only=True),
        row("virtproxyd-sock", "virtproxyd", "proxy"),
        row("virtqemud-sock", "virtqemud", "modular"),
        row("virtqemud-sock-ro", "virtqemud", "modular", read_only=True),
    ]


def test_list_daemon_sockets_of_virtproxyd(tmp_path):
    root = make_root(tmp_path, [SYS + "libvirt-sock", SYS + "virtproxyd-admin-sock"])
    assert list_daemon_sockets("/run/libvirt", root) == [
        {"path": "/run/libvirt/libvirt-sock", "daemon": "virtproxyd", "kind": "proxy",
         "scope": "system", "admin": False, "read_only": False},
        {"path": "/run/libvirt/virtproxyd-admin-sock", "daemon": "virtproxyd", "kind": "proxy",
         "scope": "system", "admin": True, "read_only": False}]
    assert list_daemon_sockets("/run/none", root) == []


def test_read_as_returns_every_chunk(short_tmp):
    """More than one pipe read (65536 bytes each) of a file only the owner can read."""
    if os.geteuid() != 0:
        unavailable("needs root to change uid")
    os.chmod(str(short_tmp), 0o755)
    data = b"".join(b"K%05d=%s\0" % (k, b"v" * 90) for k in range(1500))  # 148500 bytes
    path = str(short_tmp / "environ")
    with open(path, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)
    os.chown(path, 65534, 65534)
    assert in_forked_child(lambda: daemon_probe._read_as(65534, 65534, path) == data) == (0, "True")
    os.chown(path, 0, 0)
    assert in_forked_child(lambda: daemon_probe._read_as(65534, 65534, path)) == (0, "None")
    # once more in this process: mutmut only records the calls a test makes in its own process
    assert daemon_probe._read_as(65534, 65534, path) is None


def test_in_root_follows_forty_links(tmp_path):
    """40 links are followed (the kernel's ELOOP limit), the 41st is kept as a path."""
    root = str(tmp_path / "rootX")  # a name ending in X: only '/' is stripped from the root
    os.makedirs(root + "/t")
    for k in range(1, 42):
        os.symlink("l%d" % (k + 1) if k < 41 else "t", root + "/l%d" % k)
    assert in_root(root, "/l2") == root + "/t"  # 40 links: l2 .. l41
    assert in_root(root, "/l1") == root + "/l41"  # 41 links: the last one is not followed
    os.symlink("/", root + "/top")  # an absolute link to the root itself
    assert in_root(root + "/", "/top") == root
    assert in_root(root + "/", "/") == root
    assert in_root("//", "") == "/"


def test_defaults_read_the_real_root(short_tmp):
    """root defaults to the real root: paths are taken as they are."""
    pidfile = str(short_tmp / "p.pid")
    with open(pidfile, "w", encoding="ascii") as handle:
        handle.write("%d\n" % os.getpid())  # this process: not a libvirtd
    assert daemon_environment(pidfile) == (os.getpid(), None)
    os.makedirs(str(short_tmp / "libvirt"))
    (short_tmp / "libvirt" / "libvirt-sock").write_text("")
    steps = probe_daemon_uri(1000, {"XDG_RUNTIME_DIR": str(short_tmp)})[1]
    assert _steps(steps)[0] == (str(short_tmp) + "/libvirt/libvirt-sock", "socket exists")
    assert [s["path"] for s in list_daemon_sockets(str(short_tmp / "libvirt"))] == [
        str(short_tmp) + "/libvirt/libvirt-sock"]


def test_an_autostarted_daemon_has_no_environment_yet(tmp_path):
    """With the socket missing the daemon is only about to start: a pid file left behind by an
    old one is not read, the answer is the libvirtd driver order."""
    _need_root()
    root = make_root(tmp_path, ["usr/sbin/libvirtd", QEMU])
    os.makedirs(root + "/" + USER)
    with open(root + "/" + USER + "libvirtd.pid", "w", encoding="ascii") as handle:
        handle.write("4321\n")
    _fake_proc(root, 4321, b"LIBVIRT_DEFAULT_URI=test:///default\0", uid=1000)
    calls = []
    got = probe_daemon_uri(1000, USER_ENV, root, daemon_default=lambda env: calls.append(env) or ("x", "y", True))
    assert calls == []
    assert (got[0], _steps(got[1])[-1]) == ("qemu:///session", (None, answer("qemu", "session")))
