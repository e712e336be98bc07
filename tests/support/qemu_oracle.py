# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real QEMU and libvirt tools as the oracle, in two generations.

Generations
-----------
``HOST``    name ``7.2/9.0``   -- the machine's own tools (Debian 12: QEMU 7.2, libvirt 9.0).
``TRIXIE``  name ``10.0/11.3`` -- QEMU 10.0 / libvirt 11.3 from a Debian trixie root that
            ``hack/debian-root trixie`` builds and caches under /var/cache/virt_uri_toolkit/
            (``make trixie-root``; ``VIRT_URI_TRIXIE_ROOT`` overrides the path).
``BULLSEYE`` name ``5.2``      -- QEMU 5.2 from a Debian bullseye root (``make bullseye-root``,
            ``VIRT_URI_BULLSEYE_ROOT``), no libvirt: only the old side of the QEMU gates below
            7.2 runs there (tests/live/drive/test_old_qemu_gates_live.py).
``GENERATIONS`` is ``(HOST, TRIXIE)``. Each ``Generation`` has ``name``, ``id`` (``host`` /
``trixie``: the pytest id), ``qemu_version`` and ``libvirt_version`` (pass them to the filters)
and ``root`` (None for the host).

Use in a test (the ``generation`` fixture of tests/live/conftest.py and
tests/robustness/conftest.py is parametrized over both and calls ``require()``)::

    def test_x(generation, nbd_tcp):
        uri = render_uri(spec, qemu_version=generation.qemu_version)
        result = generation.open_with_qemu("uri", uri)          # QemuResult or QemuError
        generation.validate_disk_xml(xml)                       # virt-xml-validate
        proc = generation.run(["virsh", "-c", uri, "uri"], env={...})
        parsed = generation.libvirt().uri_parse(text)            # virURIParse, see libvirt_oracle

or without pytest: ``for gen in GENERATIONS: gen.require()``. ``require()`` fails under CI=true
when the generation is missing (no live test may skip there) and skips elsewhere;
``available()`` returns the reason it is missing, or None. ``check_versions()`` runs
``qemu-img --version`` / ``virsh --version`` and fails if they are not the generation's.

Running inside the root: ``gen.command(argv, env)`` / ``gen.run`` / ``gen.popen`` run a tool of
the generation (a bare name is looked up in that generation: ``/usr/bin``, ``/usr/sbin``). For
TRIXIE the command runs as ``unshare -m`` (private mounts) + ``pivot_root ROOT`` with /proc, /dev,
/tmp, /run (and /var/run through it) of the host bind-mounted in, so the servers of the live
fixtures (all on the host, sockets and images under /tmp) are reached as they are: over
127.0.0.1 / ::1 (same network namespace) or by the same socket path. ``binds=[(host_dir,
root_dir)]`` adds bind mounts (the target must exist in the root, e.g. /etc/libvirt). When
``env['HOME']`` is given, it is bound over the home directory both QEMU's libssh and OpenSSH
look up through getpwuid() (not ``$HOME``): that is how a test controls ``~/.ssh/known_hosts``
without touching the real one. The pid of ``popen`` is the tool's own (unshare, sh and chroot
exec into it), so a daemon is stopped by that pid. pivot_root, not chroot: a chrooted process
may not create a user namespace, and ``unshare --user`` (virsh as uid 1000) must work there.

QEMU oracle kinds (``open_with_qemu(kind, text, env=None, objects=())``) return a
``QemuResult`` (virtual size, the filename QEMU reports, format) or raise ``QemuError`` with
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
``read_image(kind, text)`` returns the image's bytes (``qemu-img convert``);
``validate_disk_xml(xml)`` wraps a ``<disk>`` in a minimal qemu domain and runs
``virt-xml-validate FILE domain`` of the generation.

The module-level functions (``open_with_qemu``, ``read_image``, ``validate_disk_xml``,
``qemu_version``) are the HOST generation's, for callers that predate the generations.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ansible_collections.virt_uri.toolkit.tests.support import processes
from ansible_collections.virt_uri.toolkit.tests.support.requires import unavailable

DEFAULT_TIMEOUT = 60  # a gluster open alone takes ~10 s
KINDS = ("uri", "json", "image-opts", "drive", "blockdev", "backing")
REPO = Path(__file__).resolve().parents[2]
ROOT_SCRIPT = REPO / "hack" / "debian-root"
SEARCH_DIRS = ("/usr/bin", "/usr/sbin", "/bin", "/sbin")
ROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# host directories every command in the root sees at the same path
ROOT_BINDS = ("/tmp", "/run")


class QemuError(AssertionError):
    """QEMU refused the string: the message carries the command and QEMU's stderr."""

    def __init__(self, kind, text, returncode, stderr, generation=None):
        self.kind, self.text, self.returncode, self.stderr = kind, text, returncode, stderr
        self.generation = generation
        where = " (QEMU %s)" % generation.qemu_version if generation is not None else ""
        super().__init__("QEMU%s refused %s %r (exit %s):\n%s"
                         % (where, kind, text, returncode, stderr.strip()))


@dataclass
class QemuResult:
    kind: str
    virtual_size: int
    filename: str
    format: str
    info: dict = field(default_factory=dict)
    stderr: str = ""


def debian_root_path(suite):
    """The cached root of ``suite``: ``$VIRT_URI_<SUITE>_ROOT`` or ``hack/debian-root SUITE --path``."""
    override = os.environ.get("VIRT_URI_%s_ROOT" % suite.upper())
    if override:
        return override
    try:
        return subprocess.run([str(ROOT_SCRIPT), suite, "--path"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def trixie_root_path():
    """The cached trixie root: ``$VIRT_URI_TRIXIE_ROOT`` or ``hack/debian-root trixie --path``."""
    return debian_root_path("trixie")


def _host_tool(name):
    path = shutil.which(name) or next((os.path.join(d, name) for d in SEARCH_DIRS
                                       if os.access(os.path.join(d, name), os.X_OK)), None)
    if path is None:
        raise FileNotFoundError(name)
    return path


def _object_args(objects):
    args = []
    for obj in objects or ():
        args += ["--object", obj]
    return args


@dataclass(frozen=True)
class Generation:
    """One generation of the real tools: the host's, or those of a cached Debian root."""

    name: str             # "7.2/9.0"
    id: str               # "host": the pytest id
    qemu_version: str     # "7.2": what the filters get as qemu_version
    libvirt_version: str  # "9.0": what the filters get as libvirt_version (None: no libvirt)
    in_root: bool = False
    suite: str = ""       # the Debian suite of the root (hack/debian-root SUITE)

    def __str__(self):
        return "QEMU %s / libvirt %s" % (self.qemu_version, self.libvirt_version)

    # ------------------------------------------------------------ where the tools are
    @property
    def root(self):
        """The root directory, or None for the host."""
        if not self.in_root:
            return None
        return _root_cache.setdefault(self.id, debian_root_path(self.suite))

    def available(self):
        """None when the generation can run, else why not."""
        if not self.in_root:
            missing = [t for t in ("qemu-img", "qemu-storage-daemon", "virsh")
                       if not _host_lookup(t)]
            return "missing on the host: %s (see bindep.txt)" % ", ".join(missing) if missing else None
        root = self.root
        if os.geteuid() != 0:
            return "the %s generation runs in a chroot: needs root" % self.name
        if not root or not os.path.isfile(os.path.join(root, ".virt_uri_root_key")):
            return ("the %s generation's root %s is not built: run `make %s-root` "
                    "(hack/debian-root %s)" % (self.name, root, self.suite, self.suite))
        return None

    def require(self):
        """Fail (CI=true) or skip when the generation is missing; returns self."""
        reason = self.available()
        if reason:
            unavailable(reason)
        return self

    def ready(self):
        """``require()``, then ``check_versions()`` once per process: what a fixture calls."""
        self.require()
        if self.id not in _versions_checked:
            self.check_versions()
            _versions_checked.add(self.id)
        return self

    def tool(self, name):
        """Path of tool ``name`` as the generation sees it (inside the root for TRIXIE)."""
        if os.sep in name:
            return name
        if not self.in_root:
            return _host_tool(name)
        for directory in SEARCH_DIRS:
            if os.access(os.path.join(self.root + directory, name), os.X_OK):
                return os.path.join(directory, name)
        raise FileNotFoundError("%s in %s" % (name, self.root))

    def check_versions(self):
        """Assert the tools are the generation's versions; returns (qemu, libvirt) found."""
        qemu = re.search(r"version (\d+\.\d+)",
                         self.run(["qemu-img", "--version"], check=True).stdout).group(1)
        libvirt = None
        if self.libvirt_version is not None:
            libvirt = re.match(r"(\d+\.\d+)", self.run(["virsh", "--version"],
                                                       check=True).stdout.strip()).group(1)
        assert (qemu, libvirt) == (self.qemu_version, self.libvirt_version), (
            "generation %s runs QEMU %s / libvirt %s" % (self.name, qemu, libvirt))
        return qemu, libvirt

    # ------------------------------------------------------------ running tools
    def command(self, argv, env=None, binds=()):
        """(argv, env) that run ``argv`` in this generation; see the module docstring."""
        argv = [str(a) for a in argv]
        argv[0] = self.tool(argv[0])
        merged = dict(os.environ)
        merged.update(env or {})
        home = (env or {}).get("HOME")
        if not self.in_root:
            return _wrap_home(argv, home) if not binds else _wrap_binds(argv, home, binds), merged
        root = self.root
        # pivot_root rather than chroot: inside a chroot the kernel refuses CLONE_NEWUSER
        # (unshare(2), EPERM), which the unprivileged virsh checks need.
        mounts = ['mount --bind "$R" "$R"', 'mount -t proc proc "$R/proc"',
                  'mount --rbind /dev "$R/dev"']
        mounts += ['mount --rbind %s "$R%s"' % (d, d) for d in ROOT_BINDS]
        pairs = list(binds)
        if home:
            pairs.append((home, "/root"))  # getpwuid(0)->pw_dir inside the root
        args = []
        for index, (source, target) in enumerate(pairs):
            mounts.append('mount --bind "$%d" "$R$%d"' % (2 * index + 1, 2 * index + 2))
            args += [str(source), str(target)]
        mounts += ['cd "$R"', "pivot_root . mnt", "umount -l /mnt", "cd /"]
        script = "R=$0; %s && shift %d && exec \"$@\"" % (" && ".join(mounts), len(args))
        merged["PATH"] = ROOT_PATH
        merged.pop("LD_LIBRARY_PATH", None)
        merged.pop("PYTHONPATH", None)
        merged.pop("PYTHONHOME", None)
        return ([_host_tool("unshare"), "-m", "--propagation", "private", "sh", "-c", script,
                 root] + args + argv), merged

    def run(self, argv, env=None, binds=(), timeout=DEFAULT_TIMEOUT, check=False, **kwargs):
        """subprocess.run of ``argv`` in this generation (text, output captured)."""
        cmd, merged = self.command(argv, env, binds)
        return subprocess.run(cmd, env=merged, timeout=timeout, check=check, text=True,
                              capture_output=True, **kwargs)

    def popen(self, argv, env=None, binds=(), **kwargs):
        """subprocess.Popen of ``argv`` in this generation; ``.pid`` is the tool's own."""
        cmd, merged = self.command(argv, env, binds)
        return subprocess.Popen(cmd, env=merged, **kwargs)  # pylint: disable=consider-using-with

    # ------------------------------------------------------------ the oracles
    def open_with_qemu(self, kind, text, env=None, objects=(), timeout=DEFAULT_TIMEOUT):
        """Open ``text`` with this generation's QEMU; see the module docstring for ``kind``."""
        if kind not in KINDS:
            raise ValueError("kind must be one of %s" % (KINDS,))
        if kind == "blockdev":
            return self._open_blockdev(text, env, objects, timeout)
        if kind == "backing":
            return self._open_backing(text, env, objects, timeout)
        argv = ["qemu-img", "info", "--output=json"] + _object_args(objects)
        if kind in ("image-opts", "drive"):
            argv += ["--image-opts", ("driver=raw," + text) if kind == "drive" else text]
        else:
            argv.append(text)
        for _attempt in range(CRASH_ATTEMPTS):
            try:
                proc = self.run(argv, env=env, timeout=timeout)
            except subprocess.TimeoutExpired as exc:
                raise QemuError(kind, text, "timeout", "qemu-img timed out after %ss: %s"
                                % (timeout, exc.stderr or ""), self) from None
            if not _crashed_before_reporting(proc):
                break
        if proc.returncode != 0 and not _crashed_after_reporting(proc):
            raise QemuError(kind, text, proc.returncode, proc.stderr, self)
        info = json.loads(proc.stdout)
        return QemuResult(kind=kind, virtual_size=info["virtual-size"],
                          filename=info.get("filename"), format=info.get("format"), info=info,
                          stderr=proc.stderr)

    def _open_backing(self, text, env, objects, timeout):
        tmp = tempfile.mkdtemp(prefix="qimg-")
        overlay = os.path.join(tmp, "overlay.qcow2")
        try:
            for argv in (["qemu-img", "create"] + _object_args(objects)
                         + ["-f", "qcow2", "-o", "backing_file=%s,backing_fmt=raw" % text,
                            overlay],
                         ["qemu-img", "info", "--output=json"] + _object_args(objects)
                         + [overlay]):
                try:
                    proc = self.run(argv, env=env, timeout=timeout)
                except subprocess.TimeoutExpired:
                    raise QemuError("backing", text, "timeout", "%s timed out" % argv[:2],
                                    self) from None
                if proc.returncode != 0:
                    raise QemuError("backing", text, proc.returncode, proc.stderr, self)
            info = json.loads(proc.stdout)
            return QemuResult(kind="backing", virtual_size=info["virtual-size"],
                              filename=(info.get("full-backing-filename")
                                        or info.get("backing-filename")),
                              format=info.get("format"), info=info, stderr=proc.stderr)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _open_blockdev(self, text, env, objects, timeout):
        """qemu-storage-daemon --blockdev TEXT: wait for its monitor (it exits if the open fails)."""
        if not isinstance(text, str):
            text = json.dumps(text)
        node = None
        if text.lstrip().startswith("{"):
            node = json.loads(text).get("node-name")
        if node is None:
            raise ValueError("the blockdev needs a node-name to be looked up: %r" % text)
        tmp = tempfile.mkdtemp(prefix="qsd-")  # under /tmp: the same path inside the root
        qmp_path = os.path.join(tmp, "qmp.sock")
        err_path = os.path.join(tmp, "stderr")
        argv = (["qemu-storage-daemon"] + _object_args(objects)
                + ["--blockdev", text,
                   "--chardev", "socket,id=qmp0,path=%s,server=on,wait=off" % qmp_path,
                   "--monitor", "chardev=qmp0"])
        with open(err_path, "w") as err:
            proc = self.popen(argv, env=env, stdout=err, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + timeout
            # The options are processed in order: the monitor socket appears only once the
            # --blockdev node is open; a failed open makes the daemon exit with its error.
            while not os.path.exists(qmp_path):
                if proc.poll() is not None:
                    with open(err_path) as fh:
                        raise QemuError("blockdev", text, proc.returncode, fh.read(), self)
                if time.monotonic() > deadline:
                    raise QemuError("blockdev", text, "timeout",
                                    "qemu-storage-daemon did not open the node in %ss" % timeout,
                                    self)
                time.sleep(0.05)
            while True:  # the socket file appears at bind(), a moment before listen()
                try:
                    qmp = Qmp(qmp_path, timeout)
                    break
                except (ConnectionRefusedError, FileNotFoundError):
                    if proc.poll() is not None or time.monotonic() > deadline:
                        with open(err_path) as fh:
                            raise QemuError("blockdev", text, proc.returncode, fh.read(),
                                            self) from None
                    time.sleep(0.05)
            try:
                nodes = qmp.command("query-named-block-nodes")
            finally:
                qmp.close()
            mine = [n for n in nodes if n.get("node-name") == node]
            if not mine:
                raise QemuError("blockdev", text, 0, "node %r not in %r" % (node, nodes), self)
            image = mine[0]["image"]
            with open(err_path) as fh:
                stderr = fh.read()
            return QemuResult(kind="blockdev", virtual_size=image["virtual-size"],
                              filename=mine[0].get("file"), format=image.get("format"),
                              info=mine[0], stderr=stderr)
        finally:
            processes.stop(proc, grace=30.0)
            shutil.rmtree(tmp, ignore_errors=True)

    def read_image(self, kind, text, env=None, objects=(), timeout=DEFAULT_TIMEOUT):
        """The image's bytes, read by ``qemu-img convert`` (``uri``/``json``/``image-opts``)."""
        tmp = tempfile.mkdtemp(prefix="qimg-")
        out = os.path.join(tmp, "out.raw")
        argv = ["qemu-img", "convert"] + _object_args(objects)
        if kind == "image-opts":
            argv += ["--image-opts", text]
        else:
            argv += ["-f", "raw", text]
        argv += ["-O", "raw", out]
        try:
            proc = self.run(argv, env=env, timeout=timeout)
            if proc.returncode != 0:
                raise QemuError(kind, text, proc.returncode, proc.stderr, self)
            with open(out, "rb") as fh:
                return fh.read()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def validate_disk_xml(self, xml_text, timeout=60):
        """virt-xml-validate on a minimal qemu domain holding ``xml_text``; returns its output."""
        return self.validate_xml(DOMAIN_TEMPLATE % xml_text, "domain", timeout=timeout,
                                 shown=xml_text)

    def validate_xml(self, document, schema, timeout=60, shown=None):
        """virt-xml-validate FILE SCHEMA (domain, network, ...); AssertionError if refused."""
        with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False, dir="/tmp") as fh:
            fh.write(document)
            path = fh.name
        try:
            proc = self.run(["virt-xml-validate", path, schema], timeout=timeout)
            if proc.returncode != 0:
                raise AssertionError("virt-xml-validate %s (libvirt %s) refused the XML (exit %s):"
                                     "\n%s\n%s%s" % (schema, self.libvirt_version,
                                                     proc.returncode, shown or document,
                                                     proc.stdout, proc.stderr))
            return proc.stdout + proc.stderr
        finally:
            os.unlink(path)

    def libvirt(self):
        """This generation's libvirt parsers (virURIParse, virConfReadString): libvirt_oracle."""
        from . import libvirt_oracle  # pylint: disable=import-outside-toplevel
        return libvirt_oracle.for_generation(self)


# A refusal is an exit status with QEMU's message; death by a signal before any answer is
# neither a refusal nor an opening, so that run says nothing about the string: run it again.
# Seen with QEMU 10.0's gluster driver (libgfapi 11) on a loaded machine: glfs_init() waits
# ~10 s for the volfile, gives up, and glfs_fini() then dies of SIGSEGV. Never more than
# CRASH_ATTEMPTS runs, and a crash on each of them fails the test with the last stderr.
CRASH_ATTEMPTS = 3


def _crashed_before_reporting(proc):
    """qemu-img killed by a signal before it printed anything on stdout."""
    return proc.returncode < 0 and not proc.stdout.strip()


def _crashed_after_reporting(proc):
    """qemu-img killed by a signal *after* it printed the image's info: the open succeeded.

    QEMU 10.0's gluster driver (libgfapi 11) now and then dies of SIGSEGV in glfs_fini() while
    closing the image, after the JSON is out; that says nothing about the string opened.
    """
    if proc.returncode >= 0:
        return False
    try:
        return "virtual-size" in json.loads(proc.stdout)
    except ValueError:
        return False


_root_cache = {}
_versions_checked = set()


def _host_lookup(name):
    try:
        return _host_tool(name)
    except FileNotFoundError:
        return None


def _wrap_home(argv, home):
    """Run argv with HOME bound over the real home dir (private mount namespace)."""
    real = pwd.getpwuid(os.getuid()).pw_dir
    if not home or os.path.realpath(home) == os.path.realpath(real):
        return argv
    source, target = home, real
    if os.path.isdir(os.path.join(real, ".ssh")) and os.path.isdir(os.path.join(home, ".ssh")):
        source, target = os.path.join(home, ".ssh"), os.path.join(real, ".ssh")
    return ([_host_tool("unshare"), "-m", "--propagation", "private", "sh", "-c",
             'mount --bind "$1" "$2" && shift 2 && exec "$@"', "sh", source, target]
            + [str(a) for a in argv])


def _wrap_binds(argv, home, binds):
    pairs = list(binds)
    if home and os.path.realpath(home) != os.path.realpath(pwd.getpwuid(os.getuid()).pw_dir):
        pairs.append((home, pwd.getpwuid(os.getuid()).pw_dir))
    mounts, args = [], []
    for index, (source, target) in enumerate(pairs):
        mounts.append('mount --bind "$%d" "$%d"' % (2 * index + 1, 2 * index + 2))
        args += [str(source), str(target)]
    script = "%s && shift %d && exec \"$@\"" % (" && ".join(mounts), len(args))
    return [_host_tool("unshare"), "-m", "--propagation", "private", "sh", "-c", script,
            "sh"] + args + argv


HOST = Generation(name="7.2/9.0", id="host", qemu_version="7.2", libvirt_version="9.0")
TRIXIE = Generation(name="10.0/11.3", id="trixie", qemu_version="10.0", libvirt_version="11.3",
                    in_root=True, suite="trixie")
GENERATIONS = (HOST, TRIXIE)
# Not a generation of every test: Debian 11's QEMU 5.2 (no libvirt), for the old side of the
# QEMU gates below 7.2 (tests/live/drive/test_old_qemu_gates_live.py).
BULLSEYE = Generation(name="5.2", id="bullseye", qemu_version="5.2", libvirt_version=None,
                      in_root=True, suite="bullseye")


def by_version(version):
    """The generation a filter's ``qemu_version`` / ``libvirt_version`` names: "7.2" or "9.0"
    the host's, "10.0" or "11.3" the trixie root's, "5.2" bullseye's; ready to run (fails under
    CI, skips elsewhere, when it is missing)."""
    for gen in GENERATIONS + (BULLSEYE,):
        if version in (gen.qemu_version, gen.libvirt_version):
            return gen.require()
    raise KeyError(version)


def by_name(name):
    """The generation named ``7.2/9.0`` / ``10.0/11.3``, or by id ``host`` / ``trixie``."""
    for gen in GENERATIONS:
        if name in (gen.name, gen.id):
            return gen
    raise KeyError(name)


class Qmp:
    """A QMP client on a Unix monitor socket: ``command(name, **arguments)`` -> return."""

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

    def command(self, execute, **arguments):
        msg = {"execute": execute}
        if arguments:
            msg["arguments"] = arguments
        self.file.write(json.dumps(msg) + "\n")
        self.file.flush()
        # The answer is the next message with "return" or "error". Once, under load, the message
        # read after qmp_capabilities had neither (a KeyError 'return', its text not kept):
        # anything else is skipped now, and shown if no answer follows.
        skipped = []
        while True:
            reply = self._read()
            if "error" in reply:
                raise RuntimeError("QMP %s: %s" % (execute, reply["error"]))
            if "return" in reply:
                return reply["return"]
            skipped.append(reply)
            if len(skipped) > 3:
                raise RuntimeError("QMP %s: no answer, got %r" % (execute, skipped))

    def close(self):
        self.file.close()
        self.sock.close()


DOMAIN_TEMPLATE = """<domain type='qemu'>
  <name>live-drive-check</name>
  <memory unit='KiB'>131072</memory>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
%s
  </devices>
</domain>
"""


# ---------------------------------------------------------------- the host generation, as before

def qemu_version():
    """'7.2' for the host's qemu-img version 7.2.22."""
    out = subprocess.run([_host_tool("qemu-img"), "--version"], capture_output=True, text=True,
                         check=True).stdout
    match = re.search(r"version (\d+)\.(\d+)", out)
    return "%s.%s" % (match.group(1), match.group(2))


def open_with_qemu(kind, text, env=None, objects=(), timeout=DEFAULT_TIMEOUT):
    """HOST.open_with_qemu."""
    return HOST.open_with_qemu(kind, text, env=env, objects=objects, timeout=timeout)


def read_image(kind, text, env=None, objects=(), timeout=DEFAULT_TIMEOUT):
    """HOST.read_image."""
    return HOST.read_image(kind, text, env=env, objects=objects, timeout=timeout)


def validate_disk_xml(xml_text, timeout=60):
    """HOST.validate_disk_xml."""
    return HOST.validate_disk_xml(xml_text, timeout=timeout)


def _generation(request):
    return request.param.ready()


def _pytest_fixture():
    """The ``generation`` fixture (session scope, one parameter per generation, ids host/trixie).

    A conftest.py makes it available with ``from ...qemu_oracle import generation_fixture``.
    """
    try:
        import pytest  # pylint: disable=import-outside-toplevel
    except ImportError:  # the oracle used without pytest
        return None
    return pytest.fixture(scope="session", params=GENERATIONS, ids=lambda gen: gen.id,
                          name="generation")(_generation)


generation_fixture = _pytest_fixture()
