# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures that start real servers on 127.0.0.1 (libvirtd, sshd) and stop them by pid.

The servers are the host's (libvirt 9.0); the clients of each test run in the test's oracle
generation (``generation``: tests/live/conftest.py), and ``oracle`` is that generation's
virURIParse / virConfReadString (tests/support/libvirt_oracle.py). Nothing here connects
anywhere but 127.0.0.1. Under CI=true a missing tool fails the test
instead of skipping it.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time

import pytest

from ansible_collections.virt_uri.toolkit.tests.support import processes
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, what, timeout=30.0, proc=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("%s exited with %s before it was ready" % (what, proc.returncode))
        time.sleep(0.1)
    raise RuntimeError("%s not ready after %ss" % (what, timeout))


def port_open(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def stop(proc):
    """Stop one server we started, by its pid (libvirtd gets 15 s to shut down)."""
    processes.stop(proc, grace=15.0)


def run(argv, env=None, timeout=60):
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout,
                          check=False)


@pytest.fixture(scope="session")
def tool():
    """tool("virsh") -> path, or fail (CI) / skip (tests.support.requires)."""
    return lambda name: requires(tool=name)


@pytest.fixture(scope="session")
def oracle(generation):
    """The generation's libvirt parsers: ``.uri_parse(text)``, ``.conf_read(text, keys)``."""
    generation.tool("virsh")
    return generation.libvirt()


@pytest.fixture(scope="session")
def libvirtd(tmp_path_factory):
    """libvirtd --listen on 127.0.0.1:<free port>, tcp without auth, sockets in a tmp dir."""
    requires(root="live libvirt tests (mount namespaces, libvirtd, sshd as root)")
    binary = requires(tool="libvirtd")
    for kind, name in (("user", "libvirt-qemu"), ("group", "kvm")):
        try:
            (pwd.getpwnam if kind == "user" else grp.getgrnam)(name)
        except KeyError:
            pytest.fail("libvirtd needs the %s %r (created by the Debian libvirt-daemon package); "
                        "install libvirt-daemon-system or create it" % (kind, name))
    base = tmp_path_factory.mktemp("libvirtd")
    sockdir = base / "sock"
    sockdir.mkdir()
    port = free_port()
    conf = base / "libvirtd.conf"
    conf.write_text(
        "listen_tls = 0\nlisten_tcp = 1\nauth_tcp = \"none\"\nauth_unix_rw = \"none\"\n"
        "auth_unix_ro = \"none\"\nlisten_addr = \"127.0.0.1\"\ntcp_port = \"%d\"\n"
        "unix_sock_dir = \"%s\"\nunix_sock_rw_perms = \"0770\"\n" % (port, sockdir))
    pidfile = base / "libvirtd.pid"
    log = open(base / "libvirtd.log", "w")  # pylint: disable=consider-using-with
    proc = subprocess.Popen([binary, "--listen", "-f", str(conf), "-p", str(pidfile)],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: port_open(port) and (sockdir / "libvirt-sock").exists(), "libvirtd",
                 proc=proc)
        yield {"port": port, "socket": str(sockdir / "libvirt-sock"), "dir": base}
    finally:
        stop(proc)
        log.close()


@pytest.fixture(scope="session")
def sshd(tmp_path_factory):
    """sshd -D on 127.0.0.1:<free port> with generated host and client keys (root login)."""
    requires(root="live libvirt tests (mount namespaces, libvirtd, sshd as root)")
    binary = requires(tool="sshd")
    keygen = requires(tool="ssh-keygen")
    base = tmp_path_factory.mktemp("sshd")
    os.chmod(base, 0o700)
    for name in ("host_key", "client_key"):
        # PEM ECDSA keys: libssh2 1.10 (Debian 12) has neither rsa-sha2 host keys nor rsa-sha2
        # signatures, and OpenSSH 9.2 refuses ssh-rsa (SHA-1); ECDSA suits all three clients.
        subprocess.run([keygen, "-q", "-t", "ecdsa", "-b", "256", "-m", "PEM", "-N", "",
                        "-f", str(base / name)], check=True)
    authorized = base / "authorized_keys"
    shutil.copy(base / "client_key.pub", authorized)
    os.chmod(authorized, 0o600)
    port = free_port()
    config = base / "sshd_config"
    config.write_text(
        "ListenAddress 127.0.0.1\nHostKey %s\nAuthorizedKeysFile %s\nPidFile %s\n"
        "PermitRootLogin prohibit-password\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
        % (base / "host_key", authorized, base / "sshd.pid"))
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # privilege separation directory
    log = base / "sshd.log"
    proc = subprocess.Popen([binary, "-D", "-e", "-f", str(config), "-p", str(port),
                             "-o", "ListenAddress=127.0.0.1", "-E", str(log)])
    try:
        wait_for(lambda: port_open(port), "sshd", proc=proc)
        hostkey = (base / "host_key.pub").read_text().split()
        known_hosts = base / "known_hosts"
        known_hosts.write_text("[127.0.0.1]:%d %s %s\n" % (port, hostkey[0], hostkey[1]))
        # A netcat for the remote side (Debian 12 has none by default): the remote driver runs
        # "NETCAT [-q0] -U SOCKET"; this one does just that, in Python.
        fake_nc = base / "unix-nc"
        fake_nc.write_text("#!%s\n%s" % (sys.executable, FAKE_NC))
        os.chmod(fake_nc, 0o755)
        # ssh(1) wrapper for command=: keep host keys out of root's real ~/.ssh/known_hosts.
        wrapper = base / "ssh-wrapper"
        wrapper.write_text("#!/bin/sh\nexec ssh -o UserKnownHostsFile=%s "
                           "-o GlobalKnownHostsFile=/dev/null \"$@\"\n" % known_hosts)
        os.chmod(wrapper, 0o755)
        yield {"port": port, "key": str(base / "client_key"), "known_hosts": str(known_hosts),
               "netcat": str(fake_nc), "ssh_command": str(wrapper), "dir": base}
    finally:
        stop(proc)


FAKE_NC = """import os, selectors, socket, sys
args = sys.argv[1:]
if args and args[0] == "-q":
    print("requires an argument", file=sys.stderr)
    sys.exit(1)
path = args[args.index("-U") + 1]
sock = socket.socket(socket.AF_UNIX)
sock.connect(path)
sel = selectors.DefaultSelector()
sel.register(0, selectors.EVENT_READ)
sel.register(sock, selectors.EVENT_READ)
while True:
    for key, _ in sel.select():
        if key.fileobj == 0:
            data = os.read(0, 65536)
            if not data:
                sock.shutdown(socket.SHUT_WR)
                sel.unregister(0)
                continue
            sock.sendall(data)
        else:
            data = sock.recv(65536)
            if not data:
                sys.exit(0)
            os.write(1, data)
"""
