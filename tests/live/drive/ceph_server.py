# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A single-node Ceph cluster on 127.0.0.1 for the RBD live tests, each daemon stopped by its pid.

One monitor (msgr v2 only, on a free port: a client given ``host:port`` with a port other than
6789 speaks v2), one OSD on memstore (RAM, no disk), cephx on. A pool ``rbdpool`` holds:

* ``head``: 1 MiB when snapshot ``snap1`` was taken, then grown to 3 MiB, so the size QEMU reports
  tells the snapshot from the image;
* ``ns1/in ns:x`` (namespace ``ns1``): 2 MiB, a name with a space and a ':' that the legacy
  string must escape.

The client ``client.qemu`` (caps ``profile rbd``) has ``key`` (base64, as ``ceph auth get-key``
prints it) for a QEMU secret object ``secret,id=...,data=KEY,format=base64``, and a
``client_conf`` file with its keyring for the legacy string alone.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
import uuid
from dataclasses import dataclass, field

from ansible_collections.virt_uri.toolkit.tests.support import processes
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires
from servers import LOOPBACK, free_port, spawn  # pylint: disable=import-error

FSID = "7d1c1e4a-1111-4222-8333-944455556666"
POOL = "rbdpool"
IMAGE = "head"
SNAPSHOT = "snap1"
NAMESPACE = "ns1"
NS_IMAGE = "in ns:x"
SIZES = {"head": 3 * 1024 * 1024, "snap1": 1024 * 1024, "ns": 2 * 1024 * 1024}
TOOLS = ("ceph-mon", "ceph-osd", "ceph", "rbd", "ceph-authtool", "monmaptool")

_CONF = """[global]
fsid = {fsid}
mon host = {host}:{port}
ms bind ipv4 = true
ms bind ipv6 = false
ms bind msgr1 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = false
run dir = {dir}/run
log file = {dir}/$name.log
admin socket = {dir}/run/$name.asok
keyring = {dir}/admin.keyring
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
osd crush chooseleaf type = 0
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0
[mon.a]
mon data = {dir}/mon
public addr = {host}:{port}
[osd.0]
public addr = {host}
cluster addr = {host}
osd data = {dir}/osd
keyring = {dir}/osd/keyring
osd objectstore = memstore
memstore device bytes = 134217728
"""


@dataclass
class CephServer:
    host: str
    port: int
    conf: str
    client_conf: str
    user: str
    key: str
    pool: str = POOL
    image: str = IMAGE
    snapshot: str = SNAPSHOT
    namespace: str = NAMESPACE
    ns_image: str = NS_IMAGE
    sizes: dict = field(default_factory=lambda: dict(SIZES))
    pids: tuple = ()
    start_seconds: float = 0.0


def _run(argv, timeout=60):
    proc = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        command = " ".join(map(str, argv))
        raise RuntimeError("%s failed (%s):\n%s%s" % (command, proc.returncode, proc.stdout, proc.stderr))
    return proc.stdout


def _stop(proc):
    processes.stop(proc, grace=15.0)


@contextlib.contextmanager
def start_ceph(workdir):
    """Yield a CephServer; the OSD and the monitor are stopped by pid on exit."""
    requires(tool=TOOLS)
    began = time.monotonic()
    workdir = str(workdir)
    for sub in ("run", "mon", "osd"):
        os.makedirs(os.path.join(workdir, sub))
    port = free_port()
    conf = os.path.join(workdir, "ceph.conf")
    with open(conf, "w") as fh:
        fh.write(_CONF.format(fsid=FSID, host=LOOPBACK, port=port, dir=workdir))
    cli = ["-c", conf]
    admin = os.path.join(workdir, "admin.keyring")
    _run(["ceph-authtool", "--create-keyring", admin, "--gen-key", "-n", "mon.", "--cap", "mon", "allow *"])
    _run(["ceph-authtool", admin, "--gen-key", "-n", "client.admin", "--cap", "mon", "allow *",
          "--cap", "osd", "allow *", "--cap", "mgr", "allow *"])
    monmap = os.path.join(workdir, "monmap")
    _run(["monmaptool", "--create", "--addv", "a", "[v2:%s:%d]" % (LOOPBACK, port), "--fsid", FSID, monmap])
    _run(["ceph-mon"] + cli + ["--mkfs", "-i", "a", "--monmap", monmap, "--keyring", admin])
    procs = [spawn(["ceph-mon"] + cli + ["-f", "-i", "a"], os.path.join(workdir, "mon.out"))]
    try:
        osd_uuid = str(uuid.uuid4())
        _run(["ceph"] + cli + ["osd", "new", osd_uuid, "0"], timeout=30)
        _run(["ceph-osd"] + cli + ["-i", "0", "--mkfs", "--mkkey", "--no-mon-config", "--osd-uuid", osd_uuid])
        _run(["ceph"] + cli + ["auth", "add", "osd.0", "osd", "allow *", "mon", "allow profile osd", "-i",
                               os.path.join(workdir, "osd", "keyring")])
        procs.append(spawn(["ceph-osd"] + cli + ["-f", "-i", "0"], os.path.join(workdir, "osd.out")))
        deadline = time.monotonic() + 60
        while "1 up" not in _run(["ceph"] + cli + ["osd", "stat"], timeout=30):
            if procs[-1].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("ceph-osd did not come up:\n%s" % open(os.path.join(workdir, "osd.out")).read())
            time.sleep(0.2)
        _run(["ceph"] + cli + ["osd", "pool", "create", POOL, "8", "8"])
        _run(["rbd"] + cli + ["pool", "init", POOL])
        _run(["rbd"] + cli + ["create", "--size", "1M", "%s/%s" % (POOL, IMAGE)])
        _run(["rbd"] + cli + ["snap", "create", "%s/%s@%s" % (POOL, IMAGE, SNAPSHOT)])
        _run(["rbd"] + cli + ["resize", "--size", "3M", "%s/%s" % (POOL, IMAGE)])
        _run(["rbd"] + cli + ["namespace", "create", "%s/%s" % (POOL, NAMESPACE)])
        _run(["rbd"] + cli + ["create", "--size", "2M", "%s/%s/%s" % (POOL, NAMESPACE, NS_IMAGE)])
        keyring = os.path.join(workdir, "qemu.keyring")
        with open(keyring, "w") as fh:
            fh.write(_run(["ceph"] + cli + ["auth", "get-or-create", "client.qemu", "mon", "profile rbd",
                                            "osd", "profile rbd"]))
        key = _run(["ceph"] + cli + ["auth", "get-key", "client.qemu"]).strip()
        client_conf = os.path.join(workdir, "client.conf")
        with open(client_conf, "w") as fh:
            fh.write("[global]\nmon host = %s:%d\nkeyring = %s\nlog file = %s/client.log\n"
                     % (LOOPBACK, port, keyring, workdir))
        server = CephServer(host=LOOPBACK, port=port, conf=conf, client_conf=client_conf, user="qemu", key=key,
                            pids=tuple(p.pid for p in procs), start_seconds=time.monotonic() - began)
        yield server
    finally:
        for proc in reversed(procs):
            _stop(proc)
