# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real storage servers on 127.0.0.1 for the live drive tests, each stopped by its own pid.

Every ``start_*`` function is a context manager: it starts the server (on a free port found
with the bind-to-0 trick, in its own directory), waits until it answers, yields a small
dataclass with what a test needs, and on exit stops exactly the processes it started, by pid.
Nothing here listens on or connects to anything but 127.0.0.1.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import random
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ansible_collections.virt_uri.toolkit.tests.support.processes import stop, stop_pid  # noqa: F401 (the servers' API)
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires

LOOPBACK = "127.0.0.1"
LOOPBACK6 = "::1"
IMAGE_SIZE = 1024 * 1024


# --------------------------------------------------------------------------------------------
# helpers

def _family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def free_port(host=LOOPBACK):
    """A TCP port on ``host`` (127.0.0.1 or ::1) that was free a moment ago (bind to port 0)."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def free_port_both():
    """A port free on both 127.0.0.1 and ::1 (for a server listening on both)."""
    for _attempt in range(50):
        port = free_port()
        try:
            with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
                sock.bind((LOOPBACK6, port))
            return port
        except OSError:
            continue
    raise RuntimeError("no port free on both 127.0.0.1 and ::1")


def port_open(port, host=LOOPBACK):
    with socket.socket(_family(host), socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_for(predicate, what, timeout=30.0, proc=None, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("%s exited with %s before it was ready%s"
                               % (what, proc.returncode, _log_tail(log)))
        time.sleep(0.1)
    raise RuntimeError("%s not ready after %ss%s" % (what, timeout, _log_tail(log)))


def _log_tail(log):
    if log is None or not Path(log).exists():
        return ""
    return ":\n" + Path(log).read_text(errors="replace")[-3000:]


def run(argv, env=None, timeout=120, check=True):
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout,
                          check=False)
    if check and proc.returncode != 0:
        raise RuntimeError("%s failed (%s):\n%s%s" % (" ".join(map(str, argv)), proc.returncode, proc.stdout, proc.stderr))
    return proc


def spawn(argv, log, env=None):
    """Start one server process in the foreground of its own process group; output to ``log``."""
    with open(log, "ab") as out:
        return subprocess.Popen([str(a) for a in argv], stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=env, start_new_session=True)


def make_image(path, size=IMAGE_SIZE):
    """A raw image with known content: a 16-byte label, then bytes 0..255 repeated."""
    pattern = bytes(range(256)) * (size // 256)
    data = (b"virt_uri-live-0\n" + pattern)[:size]
    Path(path).write_bytes(data)
    os.chmod(path, 0o644)
    return hashlib.sha256(data).hexdigest()


def make_cert(directory):
    """Self-signed certificate for 127.0.0.1 (subjectAltName IP), made with openssl."""
    openssl = requires(tool="openssl")
    key, cert = Path(directory, "key.pem"), Path(directory, "cert.pem")
    run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
         "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])
    os.chmod(key, 0o600)
    return cert, key


# --------------------------------------------------------------------------------------------
# NBD (qemu-nbd)

@dataclass
class NbdServer:
    export: str
    image: str
    size: int
    sha256: str
    host: str = LOOPBACK
    port: int | None = None
    socket: str | None = None
    pid: int = 0


@contextlib.contextmanager
def start_nbd(base, export, unix=False, socket_dir=".", host=LOOPBACK):
    qemu_nbd = requires(tool="qemu-nbd")
    base = Path(base)
    image = base / "disk.raw"
    digest = make_image(image)
    log = base / "qemu-nbd.log"
    if unix:
        (base / socket_dir).mkdir(exist_ok=True)
        sock = str(base / socket_dir / "nbd.sock")
        argv = [qemu_nbd, "-t", "-k", sock, "-x", export, "-f", "raw", image]
        server = NbdServer(export=export, image=str(image), size=IMAGE_SIZE, sha256=digest,
                           host=None, socket=sock)

        def ready():
            return os.path.exists(sock)
    else:
        port = free_port(host)
        argv = [qemu_nbd, "-t", "-b", host, "-p", str(port), "-x", export, "-f", "raw", image]
        server = NbdServer(export=export, image=str(image), size=IMAGE_SIZE, sha256=digest,
                           host=host, port=port)

        def ready():
            return port_open(port, host)
    proc = spawn(argv, log)
    server.pid = proc.pid
    try:
        wait_for(ready, "qemu-nbd", proc=proc, log=log)
        yield server
    finally:
        stop(proc)


# --------------------------------------------------------------------------------------------
# iSCSI (tgtd with a CHAP account)

@dataclass
class IscsiServer:
    port: int
    iqn: str
    lun: int
    user: str
    password: str
    image: str
    size: int
    control_port: int
    host: str = LOOPBACK
    host6: str = LOOPBACK6   # the same portal port is open on ::1 too
    pid: int = 0

    @property
    def portal(self):
        return "%s:%d" % (self.host, self.port)


def _free_tgtd_control_port():
    """tgtd's management socket is /var/run/tgtd/socket.N: pick an N nobody else uses."""
    rng = random.Random()
    for _attempt in range(200):
        candidate = rng.randrange(2000, 32768)  # tgtd -C accepts at most 32767
        if not os.path.exists("/var/run/tgtd/socket.%d" % candidate):
            return candidate
    raise RuntimeError("no free tgtd control port")


@dataclass
class Tgtd:
    """A running tgtd: its portal port (127.0.0.1 and ::1) and ``adm(...)``, tgtadm on it."""
    port: int
    control_port: int
    pid: int
    adm: object


@contextlib.contextmanager
def start_tgtd(base):
    """tgtd on a free portal port of 127.0.0.1 and ::1, with no target yet."""
    requires(root="tgtd")
    tgtd, tgtadm = requires(tool="tgtd"), requires(tool="tgtadm")
    port = free_port_both()
    control = _free_tgtd_control_port()
    log = Path(base) / "tgtd.log"
    proc = spawn([tgtd, "-f", "-C", str(control), "--iscsi",
                  "portal=%s:%d,portal=[%s]:%d" % (LOOPBACK, port, LOOPBACK6, port)], log)

    def adm(*args):
        return run([tgtadm, "-C", str(control), "--lld", "iscsi"] + [str(a) for a in args])

    try:
        wait_for(lambda: port_open(port) and port_open(port, LOOPBACK6)
                 and os.path.exists("/var/run/tgtd/socket.%d" % control),
                 "tgtd", proc=proc, log=log)
        yield Tgtd(port=port, control_port=control, pid=proc.pid, adm=adm)
    finally:
        # tgtd 1.0.85 -f ignores SIGTERM and SIGINT (and 'tgtadm --mode system --op delete'
        # answers 'invalid request'): after a short grace it gets SIGKILL, by its pid.
        stop(proc, grace=1.0)
        for suffix in ("", ".lock"):
            with contextlib.suppress(OSError):
                os.unlink("/var/run/tgtd/socket.%d%s" % (control, suffix))


@contextlib.contextmanager
def start_iscsi(base, iqn="iqn.2026-01.test.virt-uri:disk1", user="chapuser",
                password="s3cr:et%pw-12"):
    base = Path(base)
    image = base / "lun1.raw"
    make_image(image)
    with start_tgtd(base) as tgtd:
        adm = tgtd.adm
        adm("--mode", "target", "--op", "new", "--tid", "1", "--targetname", iqn)
        adm("--mode", "logicalunit", "--op", "new", "--tid", "1", "--lun", "1",
            "--backing-store", image)
        adm("--mode", "target", "--op", "bind", "--tid", "1", "--initiator-address", "ALL")
        adm("--mode", "account", "--op", "new", "--user", user, "--password", password)
        adm("--mode", "account", "--op", "bind", "--tid", "1", "--user", user)
        yield IscsiServer(port=tgtd.port, iqn=iqn, lun=1, user=user, password=password,
                          image=str(image), size=IMAGE_SIZE, control_port=tgtd.control_port,
                          pid=tgtd.pid)


# --------------------------------------------------------------------------------------------
# SSH (sshd + ssh-agent)

@dataclass
class SshServer:
    port: int
    user: str
    image: str
    size: int
    auth_sock: str
    home: str
    fingerprints: dict = field(default_factory=dict)  # host_key_check values QEMU accepts
    tricky_image: str = ""   # same content, path with space, comma, '#', '?', '%'
    host: str = LOOPBACK
    host6: str = LOOPBACK6   # sshd listens on ::1 too, same port
    pid: int = 0
    agent_pid: int = 0

    known_home: str = ""     # a HOME whose ~/.ssh/known_hosts holds this server's key

    @property
    def env(self):
        """Environment for qemu-img: the agent, and a HOME whose known_hosts is empty."""
        return {"SSH_AUTH_SOCK": self.auth_sock, "HOME": self.home}

    @property
    def known_env(self):
        """The agent, and a HOME whose known_hosts knows [127.0.0.1]:port and [::1]:port."""
        return {"SSH_AUTH_SOCK": self.auth_sock, "HOME": self.known_home}


def host_key_fingerprints(pubkey_line):
    """md5/sha1/sha256 of the host key blob, in QEMU's host_key_check spellings."""
    blob = base64.b64decode(pubkey_line.split()[1])
    out = {}
    for name in ("md5", "sha1", "sha256"):
        digest = hashlib.new(name, blob).hexdigest()
        out[name] = "%s:%s" % (name, digest)
        out[name + "_colons"] = "%s:%s" % (name, ":".join(digest[i:i + 2] for i in range(0, len(digest), 2)))
    return out


@contextlib.contextmanager
def start_sshd(base):
    requires(root="sshd (root login)")
    sshd, keygen = requires(tool="sshd"), requires(tool="ssh-keygen")
    agent, add = requires(tool="ssh-agent"), requires(tool="ssh-add")
    base = Path(base)
    os.chmod(base, 0o700)
    for name in ("host_key", "client_key"):
        run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", base / name])
    authorized = base / "authorized_keys"
    shutil.copy(base / "client_key.pub", authorized)
    os.chmod(authorized, 0o600)
    home = base / "home"
    (home / ".ssh").mkdir(parents=True)
    image = base / "disk.raw"
    make_image(image)
    tricky = base / "my disk,1#x?%41.raw"
    make_image(tricky)
    port = free_port_both()
    config = base / "sshd_config"
    config.write_text(
        "ListenAddress 127.0.0.1\nListenAddress ::1\nHostKey %s\nAuthorizedKeysFile %s\nPidFile %s\n"
        "PermitRootLogin prohibit-password\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
        "Subsystem sftp internal-sftp\n" % (base / "host_key", authorized, base / "sshd.pid"))
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # privilege separation directory
    log = base / "sshd.log"
    proc = spawn([sshd, "-D", "-e", "-f", config, "-p", str(port)], log)
    agent_sock = str(base / "agent.sock")
    agent_proc = None
    try:
        wait_for(lambda: port_open(port) and port_open(port, LOOPBACK6), "sshd", proc=proc,
                 log=log)
        agent_proc = spawn([agent, "-D", "-a", agent_sock], base / "ssh-agent.log")
        wait_for(lambda: os.path.exists(agent_sock), "ssh-agent", proc=agent_proc)
        run([add, str(base / "client_key")], env=dict(os.environ, SSH_AUTH_SOCK=agent_sock))
        fingerprints = host_key_fingerprints((base / "host_key.pub").read_text())
        key_type, key_blob = (base / "host_key.pub").read_text().split()[:2]
        known_home = base / "known_home"
        (known_home / ".ssh").mkdir(parents=True)
        (known_home / ".ssh" / "known_hosts").write_text(
            "[127.0.0.1]:%d %s %s\n[::1]:%d %s %s\n" % (port, key_type, key_blob, port, key_type,
                                                        key_blob))
        yield SshServer(port=port, user="root", image=str(image), size=IMAGE_SIZE,
                        auth_sock=agent_sock, home=str(home), fingerprints=fingerprints,
                        tricky_image=str(tricky), known_home=str(known_home),
                        pid=proc.pid, agent_pid=agent_proc.pid)
    finally:
        if agent_proc is not None:
            stop(agent_proc)
        stop(proc)


# --------------------------------------------------------------------------------------------
# HTTP / HTTPS (nginx)

@dataclass
class HttpServer:
    http_port: int
    https_port: int
    path: str            # plain image
    auth_path: str       # behind basic auth
    cookie_path: str     # needs the cookie
    tricky_path: str     # decoded path with space, comma, '%', ';'
    user: str
    password: str
    cookie: str          # "token=s3cret"
    size: int
    sha256: str
    cert: str
    host: str = LOOPBACK
    host6: str = LOOPBACK6   # http_port is open on ::1 too
    pid: int = 0
    root: str = ""           # the directory nginx serves (/img.raw is ROOT/img.raw)


NGINX_CONF = """\
user root;
worker_processes 1;
pid {base}/nginx.pid;
error_log {base}/error.log info;
events {{ worker_connections 64; }}
http {{
  access_log {base}/access.log;
  client_body_temp_path {base}/tmp_body;
  proxy_temp_path {base}/tmp_proxy;
  fastcgi_temp_path {base}/tmp_fastcgi;
  uwsgi_temp_path {base}/tmp_uwsgi;
  scgi_temp_path {base}/tmp_scgi;
  default_type application/octet-stream;
  server {{
    listen 127.0.0.1:{http_port};
    listen [::1]:{http_port};
    listen 127.0.0.1:{https_port} ssl;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    root {base}/www;
    location /auth/ {{
      auth_basic "qemu";
      auth_basic_user_file {base}/htpasswd;
    }}
    location /cookie/ {{
      if ($cookie_token != "s3cret") {{ return 403; }}
    }}
  }}
}}
"""


@contextlib.contextmanager
def start_nginx(base, cert, key):
    nginx, openssl = requires(tool="nginx"), requires(tool="openssl")
    base = Path(base)
    www = base / "www"
    for sub in ("", "auth", "cookie"):
        (www / sub).mkdir(parents=True, exist_ok=True)
    digest = make_image(www / "img.raw")
    shutil.copy(www / "img.raw", www / "auth" / "img.raw")
    shutil.copy(www / "img.raw", www / "cookie" / "img.raw")
    (www / "dir with space").mkdir()
    shutil.copy(www / "img.raw", www / "dir with space" / "img,1%;.raw")
    user, password = "webuser", "web-pass:1"
    hashed = run([openssl, "passwd", "-apr1", password]).stdout.strip()
    (base / "htpasswd").write_text("%s:%s\n" % (user, hashed))
    http_port, https_port = free_port_both(), free_port()
    while https_port == http_port:
        https_port = free_port()
    conf = base / "nginx.conf"
    conf.write_text(NGINX_CONF.format(base=base, http_port=http_port, https_port=https_port,
                                      cert=cert, key=key))
    log = base / "nginx.out"
    proc = spawn([nginx, "-p", base, "-c", conf, "-g", "daemon off;"], log)
    try:
        wait_for(lambda: port_open(http_port) and port_open(https_port)
                 and port_open(http_port, LOOPBACK6), "nginx", proc=proc,
                 log=base / "error.log")
        yield HttpServer(http_port=http_port, https_port=https_port, path="/img.raw",
                         auth_path="/auth/img.raw", cookie_path="/cookie/img.raw",
                         tricky_path="/dir with space/img,1%;.raw", user=user,
                         password=password, cookie="token=s3cret", size=IMAGE_SIZE, sha256=digest,
                         cert=str(cert), pid=proc.pid, root=str(www))
    finally:
        stop(proc)


# --------------------------------------------------------------------------------------------
# FTP / FTPS (vsftpd, anonymous, read-only; FTPS is implicit TLS as libcurl's ftps:// wants)

@dataclass
class FtpServer:
    port: int
    path: str
    size: int
    sha256: str
    tls: bool
    tricky_path: str = "/dir with space/img,1.raw"
    user: str = "anonymous"
    host: str = LOOPBACK
    pid: int = 0


VSFTPD_CONF = """\
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port={port}
background=NO
anonymous_enable=YES
local_enable=NO
write_enable=NO
anon_root={root}
no_anon_password=YES
pasv_enable=YES
pasv_address=127.0.0.1
port_enable=NO
secure_chroot_dir={empty}
seccomp_sandbox=NO
xferlog_enable=NO
vsftpd_log_file={base}/vsftpd.log
dual_log_enable=YES
log_ftp_protocol=YES
"""

VSFTPD_TLS = """\
ssl_enable=YES
implicit_ssl=YES
allow_anon_ssl=YES
force_anon_logins_ssl=YES
force_anon_data_ssl=YES
rsa_cert_file={cert}
rsa_private_key_file={key}
ssl_ciphers=HIGH
require_ssl_reuse=NO
ssl_sslv2=NO
ssl_sslv3=NO
ssl_tlsv1=NO
"""


@contextlib.contextmanager
def start_vsftpd(base, tls=False, cert=None, key=None):
    requires(root="vsftpd")
    vsftpd = requires(tool="vsftpd")
    base = Path(base)
    os.chmod(base, 0o755)
    root, empty = base / "root", base / "empty"
    root.mkdir()
    empty.mkdir()
    os.chmod(root, 0o755)
    os.chmod(empty, 0o755)
    digest = make_image(root / "img.raw")
    (root / "dir with space").mkdir(mode=0o755)
    make_image(root / "dir with space" / "img,1.raw")
    port = free_port()
    text = VSFTPD_CONF.format(port=port, root=root, empty=empty, base=base)
    if tls:
        text += VSFTPD_TLS.format(cert=cert, key=key)
    conf = base / "vsftpd.conf"
    conf.write_text(text)
    os.chmod(conf, 0o600)
    log = base / "vsftpd.out"
    proc = spawn([vsftpd, conf], log)
    try:
        wait_for(lambda: port_open(port), "vsftpd", proc=proc, log=log)
        yield FtpServer(port=port, path="/img.raw", size=IMAGE_SIZE, sha256=digest, tls=tls,
                        pid=proc.pid)
    finally:
        stop(proc)


# --------------------------------------------------------------------------------------------
# GlusterFS (glusterd with one brick on 127.0.0.1)

GLUSTERD_PORT = 24007  # bricks and gfapi clients reach glusterd's portmapper on this port only

GLUSTERD_VOL = """\
volume management
    type mgmt/glusterd
    option working-directory {wd}
    option transport-type socket
    option transport.socket.bind-address 127.0.0.1
    option transport.socket.listen-port {port}
    option transport.socket.read-fail-log off
    option glusterd-sockfile {cli_sock}
    option ping-timeout 0
    option event-threads 1
    option base-port 49152
    option max-port 60999
end-volume
"""


@dataclass
class GlusterServer:
    volume: str
    path: str            # image path inside the volume
    size: int
    sha256: str
    brick: str
    socket: str          # glusterd's unix socket (serves volfiles too: gluster+unix)
    port: int = GLUSTERD_PORT
    host: str = LOOPBACK
    pid: int = 0


def _upload_when_the_brick_answers(qemu_img, source, uri, attempts=4):
    """'volume start' returns before the brick process listens; on a loaded machine libgfapi's
    first client gives up after 10 s (and glusterfs 10's client then aborts, 'free(): invalid
    pointer'). The upload is retried a few times; a failure that lasts is raised."""
    for attempt in range(attempts):
        try:
            run([qemu_img, "convert", "-f", "raw", "-O", "raw", source, uri], timeout=180)
            return
        except RuntimeError:
            if attempt == attempts - 1:
                raise
            time.sleep(5)


@contextlib.contextmanager
def start_gluster(base):
    """glusterd in the foreground with a private working directory, one volume, one image.

    glusterd must listen on 24007 (brick processes and libgfapi ask the portmapper there), bound
    to 127.0.0.1. The brick is named ``127.1`` (inet_aton's spelling of 127.0.0.1) because the
    gluster CLI refuses the literal ``127.0.0.1``; every connection still goes to 127.0.0.1.
    """
    requires(root="glusterd")
    glusterd, gluster = requires(tool="glusterd"), requires(tool="gluster")
    qemu_img = requires(tool="qemu-img")
    base = Path(base)
    if port_open(GLUSTERD_PORT):
        pytest.fail("port %d on 127.0.0.1 is taken (another glusterd?); the gluster live tests "
                    "need it" % GLUSTERD_PORT)
    wd, brick = base / "wd", base / "brick"
    wd.mkdir()
    brick.mkdir()
    for sub in ("groups", "hooks"):
        if os.path.isdir("/var/lib/glusterd/" + sub):
            shutil.copytree("/var/lib/glusterd/" + sub, wd / sub)
    cli_sock = base / "cli.socket"
    conf = base / "glusterd.vol"
    conf.write_text(GLUSTERD_VOL.format(wd=wd, port=GLUSTERD_PORT, cli_sock=cli_sock))
    log = base / "glusterd.log"
    proc = spawn([glusterd, "-N", "-f", conf, "-p", base / "glusterd.pid", "-l", log],
                 base / "glusterd.out")
    volume = "vt%06x" % random.randrange(16 ** 6)
    cli = [gluster, "--mode=script", "--glusterd-sock=%s" % cli_sock]
    created = False
    try:
        wait_for(lambda: port_open(GLUSTERD_PORT) and cli_sock.exists(), "glusterd", proc=proc,
                 log=log)
        run(cli + ["volume", "create", volume, "127.1:%s" % brick, "force"])
        created = True
        run(cli + ["volume", "start", volume])
        source = base / "source.raw"
        digest = make_image(source)
        _upload_when_the_brick_answers(qemu_img, source, "gluster://127.0.0.1:%d/%s/img.raw"
                                       % (GLUSTERD_PORT, volume))
        yield GlusterServer(volume=volume, path="img.raw", size=IMAGE_SIZE, sha256=digest,
                            brick=str(brick), socket=str(cli_sock), pid=proc.pid)
    finally:
        brick_pids = list(Path("/var/run/gluster/vols", volume).glob("*.pid"))
        pids = []
        for pidfile in brick_pids:
            with contextlib.suppress(OSError, ValueError):
                pids.append(int(pidfile.read_text().strip()))
        if created:
            run(cli + ["volume", "stop", volume, "force"], check=False, timeout=60)
            run(cli + ["volume", "delete", volume], check=False, timeout=60)
        for pid in pids:  # the brick glusterd started for our volume, if 'stop' left it
            with contextlib.suppress(OSError):
                if volume in Path("/proc/%d/cmdline" % pid).read_text(errors="replace"):
                    stop_pid(pid)
        stop(proc)
        shutil.rmtree(Path("/var/run/gluster/vols", volume), ignore_errors=True)
