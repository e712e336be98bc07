# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Differential fuzz: generated names rendered for each QEMU version, opened by that QEMU.

For each oracle generation (``generation``: QEMU 7.2 on the host, 10.0 in the trixie root) and
each generated value, the drive spec is rendered with ``qemu_version=generation.qemu_version`` in
every form (URI, ``--image-opts`` options, ``json:{...}``) and opened by that generation's
``qemu-img info`` against a real server on loopback:

* NBD export names: one qemu-storage-daemon (host) exports the image under every generated name
  (QMP ``block-export-add``), TCP on 127.0.0.1; a wrong name is "export not found".
* Unix socket paths: a generated directory and socket name per case, each a Unix listener that
  forwards to that daemon's TCP port; a wrong path is "No such file".
* HTTP paths: nginx serves a copy (hard link) of the image under every generated file name; a
  wrong path is a 404.
* iSCSI targets: one tgtd (no CHAP) with a target per generated name, each with one LUN drawn
  from 1-255 backed by the image; a wrong target fails the login, a wrong LUN is
  LOGICAL_UNIT_NOT_SUPPORTED (the target holds no other), LUN 0 is tgtd's controller (size 0).
* ssh paths: sshd serves hard links of the image under generated directory and file names,
  opened as root with the agent's key and the sha256 host key; a wrong path is "No such file".

A value the collection refuses (SpecError) is counted, not opened; a value it renders must open
the very image (virtual size) in every form. The share accepted is asserted, so a renderer that
refused everything would fail. Cases: ``DIFF_CASES`` per family (default 60, a few hundred in
all; the iSCSI and ssh families take ``DIFF_CASES_SLOW``, default 30), ``FUZZ_CASES`` under
FUZZ=1 (``make fuzz``, default 1000 per family). A fixed seed
(``DIFF_SEED``) makes a failure reproducible.
"""

from __future__ import annotations

import json
import os
import random
import selectors
import shutil
import socket
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
import servers

from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import QemuError

FUZZ = os.environ.get("FUZZ") == "1"
CASES = int(os.environ.get("FUZZ_CASES", "1000")) if FUZZ else int(os.environ.get("DIFF_CASES", "60"))
SLOW_CASES = CASES if FUZZ else int(os.environ.get("DIFF_CASES_SLOW", "30"))
SEED = int(os.environ.get("DIFF_SEED", "20260"))
FORMS = ("uri", "image-opts", "json")
WORKERS = 2

# Pieces a name is drawn from: URI/QemuOpts/JSON specials, escapes that look decoded already,
# non-ASCII, plain letters.
PIECES = (list("abcXYZ019-_.~") + list(" !\"#$%&'()*+,:;<=>?@[\\]^`{|}") +
          ["%20", "%25", "%2520", "%41", "%", "%%", "&a=b", "?x", "#f", ",,", "é", "☃", "\u00a0",
           "%C3%A9", "..", "//", "::"])


def _name(rng, pieces=PIECES, max_pieces=8, forbid=""):
    while True:
        text = "".join(rng.choice(pieces) for _draw in range(rng.randint(1, max_pieces)))
        if not any(ch in text for ch in forbid):
            return text


def _render(form, spec, version):
    from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive import render
    if form == "uri":
        return "uri", render.render_uri(spec, qemu_version=version)
    if form == "image-opts":
        return "image-opts", render.render_opts(spec, qemu_version=version, prefix="")
    return "json", render.render_json_pseudo(spec, qemu_version=version)


def _differential(generation, specs, what, env=None):
    """Render and open every spec in every form; returns (accepted, refused) form counts."""
    from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
    jobs, refused = [], 0
    for spec in specs:
        for form in FORMS:
            try:
                jobs.append((spec, form) + _render(form, spec, generation.qemu_version))
            except SpecError:
                refused += 1

    def open_one(job):
        spec, form, kind, text = job
        try:
            result = generation.open_with_qemu(kind, text, env=env, timeout=30)
        except QemuError as exc:
            return "%s %s %r -> %r:\n%s" % (what, form, spec, text, exc.stderr.strip()[:300])
        if result.virtual_size != servers.IMAGE_SIZE:
            return "%s %s %r -> %r: virtual size %s" % (what, form, spec, text, result.virtual_size)
        return None

    with ThreadPoolExecutor(WORKERS) as pool:
        failures = [f for f in pool.map(open_one, jobs) if f]
    total = len(jobs) + refused
    print("%s on QEMU %s: %d forms rendered and opened, %d refused (%.0f%% accepted), %d wrong"
          % (what, generation.qemu_version, len(jobs), refused, 100.0 * len(jobs) / total,
             len(failures)))
    assert not failures, "%d of %d rendered strings were not opened by QEMU %s:\n%s" % (
        len(failures), len(jobs), generation.qemu_version, "\n".join(failures[:10]))
    return len(jobs), refused


# ------------------------------------------------------------------ servers

class _StorageDaemon:
    """qemu-storage-daemon (host) serving one raw image over NBD on 127.0.0.1, exports via QMP."""

    def __init__(self, base):
        from ansible_collections.virt_uri.toolkit.tests.support import qemu_oracle
        self.image = os.path.join(base, "img.raw")
        servers.make_image(self.image)
        self.port = servers.free_port()
        self.qmp_path = os.path.join(base, "qmp.sock")
        node = {"driver": "raw", "node-name": "disk", "read-only": True,
                "file": {"driver": "file", "filename": self.image}}
        argv = [servers.requires(tool="qemu-storage-daemon"), "--blockdev", json.dumps(node),
                "--nbd-server", "addr.type=inet,addr.host=127.0.0.1,addr.port=%d" % self.port,
                "--chardev", "socket,id=m0,path=%s,server=on,wait=off" % self.qmp_path,
                "--monitor", "chardev=m0"]
        self.proc = servers.spawn(argv, os.path.join(base, "qsd.log"))
        servers.wait_for(lambda: os.path.exists(self.qmp_path) and servers.port_open(self.port),
                         "qemu-storage-daemon", proc=self.proc)
        for _attempt in range(100):  # the socket file appears at bind(), before listen()
            try:
                self.qmp = qemu_oracle.Qmp(self.qmp_path, 30)
                break
            except ConnectionRefusedError:
                time.sleep(0.05)
        else:
            raise RuntimeError("qemu-storage-daemon's monitor did not answer")
        self.names = set()

    def export(self, name):
        if name not in self.names:
            self.qmp.command("block-export-add", type="nbd", id="e%d" % len(self.names),
                             **{"node-name": "disk", "name": name})
            self.names.add(name)

    def close(self):
        self.qmp.close()
        servers.stop(self.proc)


class _UnixForwarders:
    """Unix listeners at generated paths, each forwarding its connections to 127.0.0.1:port."""

    def __init__(self, port):
        self.port = port
        self.selector = selectors.DefaultSelector()
        self.listeners = []
        self.stopping = False
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def listen(self, path):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(path)
        sock.listen(8)
        sock.setblocking(False)
        self.listeners.append(sock)
        self.selector.register(sock, selectors.EVENT_READ)

    def _loop(self):
        while not self.stopping:
            for key, _mask in self.selector.select(timeout=0.2):
                try:
                    conn, _addr = key.fileobj.accept()
                except OSError:
                    continue
                threading.Thread(target=self._pipe, args=(conn,), daemon=True).start()

    def _pipe(self, conn):
        conn.setblocking(True)
        with conn, socket.create_connection(("127.0.0.1", self.port)) as upstream:
            def copy(src, dst):
                try:
                    while True:
                        data = src.recv(65536)
                        if not data:
                            break
                        dst.sendall(data)
                except OSError:
                    pass
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
            back = threading.Thread(target=copy, args=(upstream, conn), daemon=True)
            back.start()
            copy(conn, upstream)
            back.join(30)

    def close(self):
        self.stopping = True
        self.thread.join(5)
        for sock in self.listeners:
            self.selector.unregister(sock)
            sock.close()


@contextmanager
def _storage_daemon():
    base = tempfile.mkdtemp(prefix="vdiff-", dir="/tmp")  # short: socket paths have 107 bytes
    daemon = _StorageDaemon(base)
    try:
        yield daemon, base
    finally:
        daemon.close()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def nbd_daemon(qemu_img):  # pylint: disable=unused-argument
    servers.requires(root="qemu-storage-daemon exports")
    with _storage_daemon() as (daemon, base):
        yield daemon, base


# ------------------------------------------------------------------ the families

def _dot_segment(name):
    """A '.' or '..' path segment: QEMU >= 9.1 (GUri) removes it, even as %2E (see below)."""
    return any(part in (".", "..") for part in name.split("/"))


def _nbd_export_specs(rng):
    names = {_name(rng, max_pieces=10) for _draw in range(CASES)}
    names = {name for name in names if not _dot_segment(name)}  # test_nbd_export_dot_segments
    return [{"protocol": "nbd", "server": {"host": "127.0.0.1"}, "export": name}
            for name in sorted(names)]


def test_nbd_export_names(generation, nbd_daemon):
    daemon, _base = nbd_daemon
    specs = _nbd_export_specs(random.Random(SEED))
    for spec in specs:
        spec["server"]["port"] = daemon.port
        daemon.export(spec["export"])
    accepted, refused = _differential(generation, specs, "NBD export name")
    assert accepted >= 0.5 * (accepted + refused), "most export names must render"


def test_nbd_unix_socket_paths(generation, nbd_daemon):
    daemon, _base = nbd_daemon
    rng = random.Random(SEED + 1)
    base = tempfile.mkdtemp(prefix="vsock-", dir="/tmp")
    forwarders = _UnixForwarders(daemon.port)
    daemon.export("e")
    specs = []
    try:
        for index in range(CASES):
            directory = _name(rng, max_pieces=5, forbid="/")
            if directory in (".", ".."):
                continue
            path = os.path.join(base, "%d%s" % (index, directory), _name(rng, max_pieces=3,
                                                                         forbid="/") + ".s")
            if len(path.encode()) > 107:
                continue
            os.makedirs(os.path.dirname(path), exist_ok=True)
            forwarders.listen(path)
            specs.append({"protocol": "nbd", "server": {"socket": path}, "export": "e"})
        accepted, refused = _differential(generation, specs, "NBD unix socket path")
        assert accepted >= 0.5 * (accepted + refused), "most socket paths must render"
    finally:
        forwarders.close()
        shutil.rmtree(base, ignore_errors=True)


def test_http_paths(generation, nginx):
    rng = random.Random(SEED + 2)
    www = os.path.join(nginx.root, "fuzz")
    os.makedirs(www, exist_ok=True)
    specs = []
    for index in range(CASES):
        # '?' and '#' start the query / fragment in the spec's path (the http-query case)
        name = "%d%s" % (index, _name(rng, max_pieces=6, forbid="/?#"))
        target = os.path.join(www, name)
        if not os.path.exists(target):
            os.link(os.path.join(nginx.root, "img.raw"), target)
        specs.append({"protocol": "http", "server": {"host": "127.0.0.1", "port": nginx.http_port},
                      "path": "/fuzz/" + name})
    accepted, refused = _differential(generation, specs, "HTTP path")
    assert accepted >= 0.5 * (accepted + refused), "most paths must render"


DOT_SEGMENT_NAMES = ["a/.", "a/./b", "a/../b", "..", "./x"]


@pytest.mark.parametrize("name", DOT_SEGMENT_NAMES)
def test_qemu_reads_dot_segments_of_nbd_uri(generation, nbd_daemon, name):
    """The real QEMU on a hand-written URI: 7.2 keeps '.'/'..' segments of the export, 10.0
    removes them (RFC 3986 remove_dot_segments in GUri), even when written as %2E."""
    daemon, _base = nbd_daemon
    daemon.export(name)
    for path in (name, name.replace(".", "%2E")):
        uri = "nbd://127.0.0.1:%d/%s" % (daemon.port, path)
        if generation.qemu_version == "7.2":
            assert generation.open_with_qemu("uri", uri).virtual_size == servers.IMAGE_SIZE
        else:
            with pytest.raises(QemuError, match="export .* not present"):
                generation.open_with_qemu("uri", uri)


@pytest.mark.parametrize("name", DOT_SEGMENT_NAMES)
def test_nbd_export_dot_segments(request, generation, nbd_daemon, name):
    """Every form either opens the export or is refused; the URI form for QEMU 10.0 is neither."""
    from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
    daemon, _base = nbd_daemon
    daemon.export(name)
    spec = {"protocol": "nbd", "server": {"host": "127.0.0.1", "port": daemon.port},
            "export": name}
    for form in FORMS:
        try:
            kind, text = _render(form, spec, generation.qemu_version)
        except SpecError as exc:
            # the one pinned refusal: the URI form for a QEMU whose GUri removes dot segments
            # (test_qemu_reads_dot_segments_of_nbd_uri shows 10.0 asking for another export)
            assert generation.qemu_version != "7.2" and form == "uri" and "segment" in str(exc), (form, exc)
            continue
        assert generation.open_with_qemu(kind, text).virtual_size == servers.IMAGE_SIZE, text


# ------------------------------------------------------------------ iSCSI targets
# tgtd 1.0.85 takes a target name of letters, digits, '.', '-', ':' and ',' only (tgtadm says
# 'invalid request' to '%', '&', ' ', '_', '~', non-ASCII...), and tgtadm cuts the name at a ','
# (its request is "key=value,..."): so no ',' here. Within that, the pieces that need care:
# ':' (the URL's port separator), upper case, runs of '.', '-', ':'.
IQN_PIECES = list("abcxyz019.-:") + ["A", "Z", "::", "..", "--", ":0", ":65536"]


@pytest.fixture(scope="module")
def tgtd_targets(qemu_img, tmp_path_factory):  # pylint: disable=unused-argument
    """tgtd without CHAP: a target per generated name, each with one generated LUN 1-255."""
    base = tmp_path_factory.mktemp("iscsi-fuzz")
    image = os.path.join(base, "img.raw")
    servers.make_image(image)
    rng = random.Random(SEED + 3)
    targets, unaccepted = [], 0
    with servers.start_tgtd(base) as tgtd:
        for index in range(SLOW_CASES):
            name = "iqn.2026-01.test.fuzz:%d%s" % (index, _name(rng, IQN_PIECES, 8, forbid="/"))
            lun = rng.randint(1, 255)
            tid = len(targets) + 1
            try:
                tgtd.adm("--mode", "target", "--op", "new", "--tid", tid, "--targetname", name)
            except RuntimeError:
                unaccepted += 1
                continue
            tgtd.adm("--mode", "logicalunit", "--op", "new", "--tid", tid, "--lun", lun,
                     "--backing-store", image)
            tgtd.adm("--mode", "target", "--op", "bind", "--tid", tid, "--initiator-address",
                     "ALL")
            targets.append((name, lun))
        print("tgtd: %d targets, %d names tgtadm refused" % (len(targets), unaccepted))
        yield tgtd, targets


def test_iscsi_targets(generation, tgtd_targets):
    tgtd, targets = tgtd_targets
    specs = [{"protocol": "iscsi", "server": {"host": "127.0.0.1", "port": tgtd.port},
              "target": name, "lun": lun} for name, lun in targets]
    assert len(specs) >= 0.8 * SLOW_CASES, "tgtd took too few of the generated names"
    accepted, refused = _differential(generation, specs, "iSCSI target")
    assert accepted >= 0.5 * (accepted + refused), "most targets must render"


def test_iscsi_lun_above_255_is_misread(generation, tgtd_targets):
    """The real libiscsi of both QEMUs: LUN 256 + n reaches LUN n of tgtd (256 the controller,
    size 0), a LUN 256-16383 with no n behind it is 'not supported': the refusal of lun > 255."""
    from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
    tgtd, targets = tgtd_targets
    name, lun = targets[0]
    portal = "127.0.0.1:%d" % tgtd.port
    for kind, text in (("uri", "iscsi://%s/%s/%d" % (portal, _iqn_in_url(name), lun + 256)),
                       ("image-opts", "driver=iscsi,transport=tcp,portal=%s,target=%s,lun=%d"
                        % (portal, name.replace(",", ",,"), lun + 256))):
        assert generation.open_with_qemu(kind, text).virtual_size == servers.IMAGE_SIZE, text
    text = "driver=iscsi,transport=tcp,portal=%s,target=%s,lun=256" % (
        portal, name.replace(",", ",,"))
    assert generation.open_with_qemu("image-opts", text).virtual_size == 0  # tgtd's LUN 0
    spec = {"protocol": "iscsi", "server": {"host": "127.0.0.1", "port": tgtd.port},
            "target": name, "lun": lun + 256}
    for form in FORMS:
        with pytest.raises(SpecError, match="LUN 0-255"):
            _render(form, spec, generation.qemu_version)


def _iqn_in_url(name):
    from urllib.parse import quote
    return quote(name, safe="-._~:")


# ------------------------------------------------------------------ ssh paths

def test_ssh_paths(generation, sshd):
    rng = random.Random(SEED + 4)
    base = tempfile.mkdtemp(prefix="vssh-", dir=os.path.dirname(sshd.image))
    specs = []
    try:
        for index in range(SLOW_CASES):
            directory = "%d%s" % (index, _name(rng, max_pieces=4, forbid="/"))
            name = _name(rng, max_pieces=5, forbid="/") + ".raw"
            path = os.path.join(base, directory, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if not os.path.exists(path):
                os.link(sshd.image, path)
            specs.append({"protocol": "ssh", "server": {"host": "127.0.0.1", "port": sshd.port},
                          "user": "root", "path": path,
                          "options": {"host_key_check": sshd.fingerprints["sha256"]}})
        accepted, refused = _differential(generation, specs, "ssh path", env=sshd.env)
        assert accepted >= 0.5 * (accepted + refused), "most paths must render"
    finally:
        shutil.rmtree(base, ignore_errors=True)
