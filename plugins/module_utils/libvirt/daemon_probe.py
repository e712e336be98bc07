# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which URI a client gets when it has none: the remote driver's socket probe (no connection).

With no URI, a client's remote driver opens one unix socket and asks the daemon behind it
(``remote_driver.c: remoteConnectOpen`` -> ``REMOTE_PROC_CONNECT_GET_URI``):

* the socket (``remote_sockets.c: remoteGetUNIXSocket`` with driver NULL): root
  ``/var/run/libvirt/libvirt-sock``, others ``virGetUserRuntimeDirectory()/libvirt-sock``.
  Debian's 9.0 and 11.3 builds both pick libvirt-sock even when virtqemud-sock exists
  (they are built without REMOTE_DRIVER_AUTOSTART_DIRECT); ``remote_mode = "direct"`` with no
  URI fails in both ("Cannot use direct socket mode if no URI is set" in 9.0).
* missing socket: root fails; other users autostart ``libvirtd --timeout=120``
  (``$VIRTD_PATH``/``$LIBVIRTD_PATH`` or /usr/sbin) unless ``LIBVIRT_AUTOSTART=0``
  (``remoteGetURIDaemonInfo``).
* a running libvirtd opens the client's NULL URI with virConnectOpen itself
  (``remote_daemon_dispatch.c: remoteDispatchConnectOpen``), so *its own* LIBVIRT_DEFAULT_URI
  and the uri_default of *its own* libvirt.conf (its XDG_CONFIG_HOME, which need not be the
  client's) come first; the daemon's environment is read from /proc/PID/environ of the pid in
  its pid file (``libvirtd.pid`` beside the session socket, /var/run/libvirtd.pid for root).
* the daemon's answer: virtproxyd probes the modular sockets
  (``remote_daemon_dispatch.c: remoteDispatchProbeURI``, ``remoteProbeSystemDriverFromSocket``:
  xen, qemu, lxc, vbox, bhyve, vz; session: qemu, vbox sockets, then virtqemud/virtvboxd
  binaries); libvirtd answers with the first hypervisor driver it loaded
  (``remote_daemon.c: daemonInitialize`` order libxl, qemu, lxc, vbox; libxl and lxc only
  privileged), i.e. the first connection-driver module installed.
Nothing here connects unless ``connect=True`` (a connect starts a socket-activated daemon).
"""

from __future__ import annotations

import glob
import os
import re
import socket

__all__ = ["daemon_environment", "in_root", "list_daemon_sockets", "missing_user_record", "runtime_directory",
           "probe_daemon_uri"]

# remoteProbeSystemDriverFromSocket / remoteProbeSessionDriverFromSocket order.
_PROXY_SYSTEM_DRIVERS = ("xen", "qemu", "lxc", "vbox", "bhyve", "vz")
_PROXY_SESSION_DRIVERS = ("qemu", "vbox")
# daemonInitialize's module order: (module, URI driver, serves session).
_LIBVIRTD_DRIVERS = (("libxl", "xen", False), ("qemu", "qemu", True),
                     ("lxc", "lxc", False), ("vbox", "vbox", True))
_DRIVER_DIRS = ("usr/lib/*/libvirt/connection-driver", "usr/lib64/libvirt/connection-driver",
                "usr/lib/libvirt/connection-driver")


def in_root(root, path):
    """``path`` as seen from a process chrooted into ``root`` (absolute symlinks such as
    /var/run -> /run stay inside it)."""
    if root in ("", "/"):
        return path
    parts = [p for p in path.split("/") if p]
    current, links = root.rstrip("/"), 0
    while parts:
        candidate = os.path.join(current, parts.pop(0))
        if os.path.islink(candidate) and links < 40:  # 40: the kernel's ELOOP limit
            links += 1
            target = os.readlink(candidate)
            if target.startswith("/"):
                current = root.rstrip("/")
            parts = [p for p in target.split("/") if p] + parts
        else:
            current = candidate
    return current or "/"


def runtime_directory(environ):
    """virGetUserRuntimeDirectory: g_get_user_runtime_dir()/libvirt.

    glib: $XDG_RUNTIME_DIR when non-empty, else g_get_user_cache_dir() ($XDG_CACHE_HOME, else
    $HOME/.cache).
    """
    base = environ.get("XDG_RUNTIME_DIR") or environ.get("XDG_CACHE_HOME")
    if not base:
        home = environ.get("HOME")
        base = os.path.join(home, ".cache") if home else None
    return os.path.join(base, "libvirt") if base else None


def _socket_state(path, root, connect):
    """'missing', 'exists', or with connect 'listening' / 'refused (<reason>)'."""
    real = in_root(root, path)
    if not os.path.exists(real):
        return "missing"
    if not connect:
        return "exists"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(2.0)
        sock.connect(real)
    except OSError as exc:
        return "refused (%s)" % (exc.strerror or exc)
    finally:
        sock.close()
    return "listening"


def _driver_modules(root):
    found = set()
    for pattern in _DRIVER_DIRS:
        for directory in glob.glob(in_root(root, "/" + pattern)):
            for module in glob.glob(os.path.join(directory, "libvirt_driver_*.so")):
                found.add(os.path.basename(module)[len("libvirt_driver_"):-len(".so")])
    return found


def _has_record(root, database, ident):
    """Whether ``ident`` has an entry in passwd or group as seen from ``root`` (NSS on the
    real root)."""
    if root in ("", "/"):
        try:
            import grp
            import pwd

            (pwd.getpwuid if database == "passwd" else grp.getgrgid)(ident)
            return True
        except (ImportError, KeyError):
            return False
    try:
        with open(in_root(root, "/etc/" + database), encoding="utf-8", errors="replace") as handle:
            return any(line.split(":")[2:3] == [str(ident)] for line in handle)
    except OSError:
        return False


def missing_user_record(root, uid, gid=None):
    """'user record for uid N' / 'group record for gid N' that the session qemu driver needs
    and cannot find, or None."""
    if not _has_record(root, "passwd", uid):
        return "user record for uid %d" % uid
    if gid is not None and not _has_record(root, "group", gid):
        return "group record for gid %d" % gid
    return None


def _libvirtd_answer(root, privileged, euid, egid):
    modules = _driver_modules(root)
    missing = None if privileged else missing_user_record(root, euid, egid)
    for module, driver, session in _LIBVIRTD_DRIVERS:
        if module == "qemu" and module in modules and missing:
            # qemu_driver.c: qemuStateInitialize looks the session user and group up
            # (virGetUserEnt / virGetGroupEnt: "Failed to find user record for uid"); the
            # driver is then not loaded.
            continue
        if module in modules and (privileged or session):
            return "%s:///%s" % (driver, "system" if privileged else "session"), \
                "libvirtd loads libvirt_driver_%s.so first: it answers %s:///%s" % (
                    module, driver, "system" if privileged else "session")
    if "qemu" in modules and missing:
        return None, "libvirtd's qemu driver cannot start: no %s (virGetUserEnt / " \
            "virGetGroupEnt); the daemon has no driver and drops the connection" % missing
    return None, "libvirtd has no hypervisor driver module installed (%s): it cannot " \
        "answer, the connection is dropped" % ", ".join(
            "libvirt_driver_%s.so" % m for m, _d, s in _LIBVIRTD_DRIVERS if privileged or s)


def _virtproxyd_answer(root, privileged, rundir):
    drivers = _PROXY_SYSTEM_DRIVERS if privileged else _PROXY_SESSION_DRIVERS
    suffix = "system" if privileged else "session"
    for driver in drivers:
        path = os.path.join(rundir, "virt%sd-sock" % driver)
        if _socket_state(path, root, False) != "missing":
            return "%s:///%s" % (driver, suffix), "virtproxyd sees %s: it answers %s:///%s" % (
                path, driver, suffix)
    if not privileged:
        for driver in drivers:
            if os.path.exists(in_root(root, "/usr/sbin/virt%sd" % driver)):
                return "%s:///session" % driver, "virtproxyd finds /usr/sbin/virt%sd" % driver
    return None, "virtproxyd sees no modular daemon socket (%s) and cannot answer" % ", ".join(
        os.path.join(rundir, "virt%sd-sock" % d) for d in drivers)


def _daemon_behind(rundir, root):
    """Which daemon serves libvirt-sock: each names its admin socket after itself."""
    if os.path.exists(in_root(root, os.path.join(rundir, "virtproxyd-admin-sock"))):
        return "virtproxyd"
    if os.path.exists(in_root(root, os.path.join(rundir, "libvirt-admin-sock"))):
        return "libvirtd"
    if not os.path.exists(in_root(root, "/usr/sbin/libvirtd")) and \
            os.path.exists(in_root(root, "/usr/sbin/virtproxyd")):
        return "virtproxyd"
    return "libvirtd"


def _read_as(uid, gid, path):
    """The bytes of ``path`` read by a child process running as ``uid``:``gid``, or None."""
    rfd, wfd = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's coverage is not collected
        status = 1
        try:
            os.close(rfd)
            os.setgroups([])
            os.setresgid(gid, gid, gid)
            os.setresuid(uid, uid, uid)
            with open(path, "rb") as handle:
                view = memoryview(handle.read())
            while view:
                view = view[os.write(wfd, view):]
            status = 0
        finally:
            os._exit(status)
    os.close(wfd)
    chunks = []
    with os.fdopen(rfd, "rb") as reader:
        for chunk in iter(lambda: reader.read(65536), b""):
            chunks.append(chunk)
    _pid, status = os.waitpid(child, 0)
    return b"".join(chunks) if status == 0 else None


def daemon_environment(pidfile, root="/", uid=None):
    """``(pid, environment)`` of the daemon whose pid is in ``pidfile``, or ``(pid or None,
    None)`` when the pid file or /proc/PID/environ cannot be read.

    /proc/PID/environ needs ptrace access: root without CAP_SYS_PTRACE (a container) cannot
    read a user's session daemon's, the user can; so root reads it as the daemon's owner when
    that is ``uid`` (the user asked about), in a forked child."""
    try:
        with open(in_root(root, pidfile), encoding="ascii", errors="replace") as handle:
            pid = int(handle.read().strip())
    except (OSError, ValueError):
        return None, None
    # A user writes their own session pid file: only a libvirtd that user runs is read, never
    # another process's environment (root would otherwise report one named by that file).
    owner_uid = os.geteuid() if uid is None else uid
    try:
        proc_owner = os.stat(in_root(root, "/proc/%d" % pid)).st_uid
        with open(in_root(root, "/proc/%d/comm" % pid), encoding="utf-8", errors="replace") as handle:
            comm = handle.read().strip()
    except OSError:
        return pid, None
    if proc_owner != owner_uid or comm != "libvirtd":
        return pid, None
    path = in_root(root, "/proc/%d/environ" % pid)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except PermissionError:
        try:
            owner = os.stat(os.path.dirname(path))
        except OSError:
            return pid, None
        if os.geteuid() != 0 or uid in (None, 0) or owner.st_uid != uid:
            return pid, None
        data = _read_as(owner.st_uid, owner.st_gid, path)
        if data is None:
            return pid, None
    except OSError:
        return pid, None
    environ = {}
    for entry in data.decode("utf-8", "surrogateescape").split("\0"):
        key, eq, value = entry.partition("=")
        if eq and key not in environ:
            environ[key] = value
    return pid, environ


def probe_daemon_uri(euid, environ, root="/", remote_mode=None, connect=False, egid=None,
                     daemon_default=None):
    """Return ``(uri or None, steps, error or None)`` for a client with no URI.

    ``steps`` are ``{step: "probe", path, result}`` entries naming each file looked at;
    ``egid`` (when known) is checked for a group record as the session qemu driver does.
    ``daemon_default(daemon_environ)`` -> ``(uri or None, detail, final)`` resolves a running
    libvirtd's own default URI (final: that is its answer, a URI or, with None, a failure).
    """
    steps = []
    privileged = euid == 0

    def note(result, path=None):
        step = {"step": "probe", "result": result}
        if path is not None:
            step["path"] = path
        steps.append(step)

    if remote_mode == "direct":
        note("remote_mode is 'direct' in libvirt.conf: with no URI there is no driver to "
             "pick a direct socket for")
        return None, steps, ("libvirt refuses to connect: direct socket mode needs a URI "
                             "(remote_mode = \"direct\" and no default URI)")
    if privileged:
        rundir = "/var/run/libvirt"
    else:
        rundir = runtime_directory(environ)
        if rundir is None:
            note("no XDG_RUNTIME_DIR, XDG_CACHE_HOME or HOME: no session runtime directory")
            return None, steps, "no runtime directory for the session socket"
    path = os.path.join(rundir, "libvirt-sock")
    state = _socket_state(path, root, connect)
    note("socket %s" % state, path)
    autostart = not privileged and environ.get("LIBVIRT_AUTOSTART") != "0"
    if state.startswith("refused") and autostart:
        # virnetsocket.c: virNetSocketNewConnectUNIX spawns the daemon on ENOENT and on
        # ECONNREFUSED alike (the new daemon replaces the stale socket file).
        note("a stale socket does not stop the session autostart", path)
        state = "missing"
    if state == "missing":
        if privileged:
            return None, steps, "Failed to connect socket to '%s': No such file or " \
                "directory (no daemon running, and root never autostarts one)" % path
        if environ.get("LIBVIRT_AUTOSTART") == "0":
            note("LIBVIRT_AUTOSTART=0: no session daemon is started")
            return None, steps, "Failed to connect socket to '%s': No such file or " \
                "directory (LIBVIRT_AUTOSTART=0)" % path
        env_name = "VIRTD_PATH" if environ.get("VIRTD_PATH") is not None else "LIBVIRTD_PATH"
        directory = environ.get(env_name) or "/usr/sbin"
        binary = os.path.join(directory, "libvirtd")
        if not os.path.exists(in_root(root, binary)):
            note("no %s to autostart" % binary, binary)
            return None, steps, "no session daemon to autostart (%s missing)" % binary
        note("%s would be autostarted (--timeout=120) for this user" % binary, binary)
        daemon = "libvirtd"
    elif state.startswith("refused"):
        return None, steps, "Failed to connect socket to '%s': %s" % (
            path, state[len("refused ("):-1])
    else:
        daemon = _daemon_behind(rundir, root)
        note("%s serves it (%s)" % (daemon, "virtproxyd-admin-sock exists"
                                    if daemon == "virtproxyd" else "monolithic daemon"),
             os.path.join(rundir, "%s-admin-sock" % (
                 "virtproxyd" if daemon == "virtproxyd" else "libvirt")))
    if daemon == "libvirtd" and state != "missing" and daemon_default is not None:
        pidfile = "/var/run/libvirtd.pid" if privileged else os.path.join(rundir, "libvirtd.pid")
        pid, daemon_environ = daemon_environment(pidfile, root, euid)
        if daemon_environ is None:
            note("the daemon's environment is not readable (%s): its own "
                 "LIBVIRT_DEFAULT_URI and uri_default are not known" % (
                     "no pid in %s" % pidfile if pid is None else "/proc/%d/environ" % pid),
                 pidfile)
        else:
            uri, detail, final = daemon_default(daemon_environ)
            note("libvirtd (pid %d) resolves the URI itself: %s" % (pid, detail), pidfile)
            if final:
                return uri, steps, None if uri else detail
    if daemon == "virtproxyd":
        uri, detail = _virtproxyd_answer(root, privileged, rundir)
    else:
        uri, detail = _libvirtd_answer(root, privileged, euid, egid)
    note(detail)
    return uri, steps, None if uri else detail


def list_daemon_sockets(rundir, root="/", scope="system"):
    """The daemon sockets in ``rundir``: ``{path, daemon, kind, scope, read_only}`` each.

    libvirt-sock is libvirtd's or virtproxyd's (the admin socket says which); virt<x>d-sock
    belongs to a modular daemon (remote_daemon.c: daemonUnixSocketPaths).
    """
    found = []
    real = in_root(root, rundir)
    try:
        names = sorted(os.listdir(real))
    except OSError:
        return found
    for entry in names:
        match = re.match(r"^(libvirt|virt[a-z]+d)-(sock|sock-ro|admin-sock)$", entry)
        if not match or match.group(1) in ("virtlogd", "virtlockd"):
            continue
        prefix, kind = match.groups()
        if prefix == "libvirt":
            daemon = _daemon_behind(rundir, root)
            role = "monolithic" if daemon == "libvirtd" else "proxy"
        else:
            daemon, role = prefix, "proxy" if prefix == "virtproxyd" else "modular"
        found.append({"path": os.path.join(rundir, entry), "daemon": daemon, "kind": role,
                      "scope": scope, "admin": kind == "admin-sock",
                      "read_only": kind == "sock-ro"})
    return found
