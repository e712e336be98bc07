# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real QEMU (and libvirt's schema) as the oracle for rendered drive strings.

``open_with_qemu(kind, text, env=None, objects=())`` opens one drive string and returns what
QEMU reports (virtual size, the filename QEMU reports, format), or raises ``QemuError`` with
QEMU's own stderr:

* ``uri``        ``qemu-img info --output=json TEXT`` (URIs, legacy strings and ``json:{...}``)
* ``json``       the same, for a ``json:{...}`` pseudo-protocol filename
* ``image-opts`` ``qemu-img info --output=json --image-opts TEXT`` (``driver=nbd,...``)
* ``drive``      a ``-drive`` option string with ``file.`` keys: ``--image-opts driver=raw,TEXT``
* ``blockdev``   ``qemu-storage-daemon --blockdev TEXT`` (JSON text or a mapping), then QMP
                 ``query-named-block-nodes`` on its monitor socket; the daemon is killed by pid.
* ``backing``    TEXT is a QemuOpts value (a ``json:{...}`` with commas doubled, or a URI):
                 ``qemu-img create -f qcow2 -o backing_file=TEXT,backing_fmt=raw`` (which opens
                 the backing file for its size), then ``qemu-img info`` of the overlay.

``objects`` are ``--object`` arguments (``secret,id=sec0,data=...``), given to both tools.
When ``env`` sets ``HOME``, QEMU runs in a private mount namespace with that directory bound
over the real home directory: libssh finds ``~/.ssh/known_hosts`` through getpwuid(), not
``$HOME``, so this is how a test controls known_hosts without touching the real one.
``validate_disk_xml(xml)`` wraps a ``<disk>`` in a minimal qemu domain and runs
``virt-xml-validate FILE domain``.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

DEFAULT_TIMEOUT = 60  # a gluster open alone takes ~10 s
KINDS = ("uri", "json", "image-opts", "drive", "blockdev", "backing")


class QemuError(AssertionError):
    """QEMU refused the string: the message carries the command and QEMU's stderr."""

    def __init__(self, kind, text, returncode, stderr):
        self.kind, self.text, self.returncode, self.stderr = kind, text, returncode, stderr
        super().__init__("QEMU refused %s %r (exit %s):\n%s" % (kind, text, returncode, stderr.strip()))


@dataclass
class QemuResult:
    kind: str
    virtual_size: int
    filename: str
    format: str
    info: dict = field(default_factory=dict)
    stderr: str = ""


def _tool(name):
    path = shutil.which(name) or next((os.path.join(d, name) for d in ("/usr/bin", "/usr/sbin")
                                       if os.access(os.path.join(d, name), os.X_OK)), None)
    if path is None:
        raise FileNotFoundError(name)
    return path


def qemu_version():
    """'7.2' for qemu-img version 7.2.22."""
    out = subprocess.run([_tool("qemu-img"), "--version"], capture_output=True, text=True,
                         check=True).stdout
    match = re.search(r"version (\d+)\.(\d+)", out)
    return "%s.%s" % (match.group(1), match.group(2))


def _env(env):
    merged = dict(os.environ)
    merged.update(env or {})
    return merged


def _wrap(argv, env):
    """Run argv with env['HOME'] bound over the real home dir (private mount namespace)."""
    home = (env or {}).get("HOME")
    real = pwd.getpwuid(os.getuid()).pw_dir
    if not home or os.path.realpath(home) == os.path.realpath(real):
        return argv
    source, target = home, real
    if os.path.isdir(os.path.join(real, ".ssh")) and os.path.isdir(os.path.join(home, ".ssh")):
        source, target = os.path.join(home, ".ssh"), os.path.join(real, ".ssh")
    return ([_tool("unshare"), "-m", "--propagation", "private", "sh", "-c",
             'mount --bind "$1" "$2" && shift 2 && exec "$@"', "sh", source, target]
            + [str(a) for a in argv])


def _object_args(objects):
    args = []
    for obj in objects or ():
        args += ["--object", obj]
    return args


def open_with_qemu(kind, text, env=None, objects=(), timeout=DEFAULT_TIMEOUT):
    """Open ``text`` with the real QEMU; see the module docstring for ``kind``."""
    if kind not in KINDS:
        raise ValueError("kind must be one of %s" % (KINDS,))
    if kind == "blockdev":
        return _open_blockdev(text, env, objects, timeout)
    if kind == "backing":
        return _open_backing(text, env, objects, timeout)
    argv = [_tool("qemu-img"), "info", "--output=json"] + _object_args(objects)
    if kind in ("image-opts", "drive"):
        argv += ["--image-opts", ("driver=raw," + text) if kind == "drive" else text]
    else:
        argv.append(text)
    try:
        proc = subprocess.run(_wrap(argv, env), capture_output=True, text=True, env=_env(env),
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise QemuError(kind, text, "timeout", "qemu-img timed out after %ss: %s"
                        % (timeout, exc.stderr or "")) from None
    if proc.returncode != 0:
        raise QemuError(kind, text, proc.returncode, proc.stderr)
    info = json.loads(proc.stdout)
    return QemuResult(kind=kind, virtual_size=info["virtual-size"], filename=info.get("filename"),
                      format=info.get("format"), info=info, stderr=proc.stderr)


def _open_backing(text, env, objects, timeout):
    tmp = tempfile.mkdtemp(prefix="qimg-")
    overlay = os.path.join(tmp, "overlay.qcow2")
    try:
        for argv in ([_tool("qemu-img"), "create"] + _object_args(objects)
                     + ["-f", "qcow2", "-o", "backing_file=%s,backing_fmt=raw" % text, overlay],
                     [_tool("qemu-img"), "info", "--output=json"] + _object_args(objects)
                     + [overlay]):
            try:
                proc = subprocess.run(_wrap(argv, env), capture_output=True, text=True,
                                      env=_env(env), timeout=timeout, check=False)
            except subprocess.TimeoutExpired:
                raise QemuError("backing", text, "timeout", "%s timed out" % argv[:2]) from None
            if proc.returncode != 0:
                raise QemuError("backing", text, proc.returncode, proc.stderr)
        info = json.loads(proc.stdout)
        return QemuResult(kind="backing", virtual_size=info["virtual-size"],
                          filename=info.get("full-backing-filename") or info.get("backing-filename"),
                          format=info.get("format"), info=info, stderr=proc.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class _Qmp:
    def __init__(self, path, timeout):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.file = self.sock.makefile("rw", encoding="utf-8")
        self._read()  # greeting
        self.command("qmp_capabilities")

    def _read(self):
        while True:
            line = self.file.readline()
            if not line:
                raise EOFError("QMP monitor closed")
            msg = json.loads(line)
            if "event" not in msg:
                return msg

    def command(self, name, **arguments):
        msg = {"execute": name}
        if arguments:
            msg["arguments"] = arguments
        self.file.write(json.dumps(msg) + "\n")
        self.file.flush()
        reply = self._read()
        if "error" in reply:
            raise RuntimeError("QMP %s: %s" % (name, reply["error"]))
        return reply["return"]

    def close(self):
        self.file.close()
        self.sock.close()


def _open_blockdev(text, env, objects, timeout):
    """qemu-storage-daemon --blockdev TEXT: wait for its monitor (it exits if the open fails)."""
    if not isinstance(text, str):
        text = json.dumps(text)
    node = None
    if text.lstrip().startswith("{"):
        node = json.loads(text).get("node-name")
    if node is None:
        raise ValueError("the blockdev needs a node-name to be looked up: %r" % text)
    tmp = tempfile.mkdtemp(prefix="qsd-")
    qmp_path = os.path.join(tmp, "qmp.sock")
    err_path = os.path.join(tmp, "stderr")
    argv = ([_tool("qemu-storage-daemon")] + _object_args(objects)
            + ["--blockdev", text,
               "--chardev", "socket,id=qmp0,path=%s,server=on,wait=off" % qmp_path,
               "--monitor", "chardev=qmp0"])
    with open(err_path, "w") as err:
        # unshare and sh exec into the daemon: proc.pid is qemu-storage-daemon's pid
        proc = subprocess.Popen(_wrap(argv, env), stdout=err, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=_env(env))
    try:
        deadline = time.monotonic() + timeout
        # The options are processed in order: the monitor socket appears only once the
        # --blockdev node is open; a failed open makes the daemon exit with its error.
        while not os.path.exists(qmp_path):
            if proc.poll() is not None:
                with open(err_path) as fh:
                    raise QemuError("blockdev", text, proc.returncode, fh.read())
            if time.monotonic() > deadline:
                raise QemuError("blockdev", text, "timeout",
                                "qemu-storage-daemon did not open the node in %ss" % timeout)
            time.sleep(0.05)
        while True:  # the socket file appears at bind(), a moment before listen()
            try:
                qmp = _Qmp(qmp_path, timeout)
                break
            except (ConnectionRefusedError, FileNotFoundError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    with open(err_path) as fh:
                        raise QemuError("blockdev", text, proc.returncode, fh.read()) from None
                time.sleep(0.05)
        try:
            nodes = qmp.command("query-named-block-nodes")
        finally:
            qmp.close()
        mine = [n for n in nodes if n.get("node-name") == node]
        if not mine:
            raise QemuError("blockdev", text, 0, "node %r not in %r" % (node, nodes))
        image = mine[0]["image"]
        with open(err_path) as fh:
            stderr = fh.read()
        return QemuResult(kind="blockdev", virtual_size=image["virtual-size"],
                          filename=mine[0].get("file"), format=image.get("format"),
                          info=mine[0], stderr=stderr)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        shutil.rmtree(tmp, ignore_errors=True)


def read_image(kind, text, env=None, objects=(), timeout=DEFAULT_TIMEOUT):
    """The whole image's bytes, read by ``qemu-img convert`` (``uri``/``json``/``image-opts``)."""
    tmp = tempfile.mkdtemp(prefix="qimg-")
    out = os.path.join(tmp, "out.raw")
    argv = [_tool("qemu-img"), "convert"] + _object_args(objects)
    if kind == "image-opts":
        argv += ["--image-opts", text]
    else:
        argv += ["-f", "raw", text]
    argv += ["-O", "raw", out]
    try:
        proc = subprocess.run(_wrap(argv, env), capture_output=True, text=True, env=_env(env),
                              timeout=timeout, check=False)
        if proc.returncode != 0:
            raise QemuError(kind, text, proc.returncode, proc.stderr)
        with open(out, "rb") as fh:
            return fh.read()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


DOMAIN_TEMPLATE = """<domain type='qemu'>
  <name>live-drive-check</name>
  <memory unit='KiB'>131072</memory>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
%s
  </devices>
</domain>
"""


def validate_disk_xml(xml_text, timeout=60):
    """virt-xml-validate on a minimal qemu domain holding ``xml_text``; returns its output."""
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as fh:
        fh.write(DOMAIN_TEMPLATE % xml_text)
        path = fh.name
    try:
        proc = subprocess.run([_tool("virt-xml-validate"), path, "domain"], capture_output=True,
                              text=True, timeout=timeout, check=False)
        if proc.returncode != 0:
            raise AssertionError("virt-xml-validate refused the disk XML (exit %s):\n%s\n%s%s"
                                 % (proc.returncode, xml_text, proc.stdout, proc.stderr))
        return proc.stdout + proc.stderr
    finally:
        os.unlink(path)
