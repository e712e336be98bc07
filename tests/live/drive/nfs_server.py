# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An NFS server (nfs-ganesha, VFS backend) for the NFS live tests, in a network namespace of its own.

QEMU's NFS driver has no port: libnfs asks the portmapper on port 111 of the server for the mount
and NFS ports. A fixed port on a shared machine would collide, so rpcbind and ganesha.nfsd run in
a private network namespace (only its loopback exists: 127.0.0.1 and ::1 there are reachable from
nowhere else) with a private /run (rpcbind's socket), and the client (qemu-img, of either QEMU
generation) is started inside the same namespace with ``nsenter --net=NETNS``. Each daemon is
stopped by its pid; the namespace is unmounted at the end.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass

from ansible_collections.virt_uri.toolkit.tests.support import processes
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires

IMAGE_SIZE = 1024 * 1024
_CONF = """NFS_CORE_PARAM {{
  Protocols = 3, 4;
  Enable_NLM = false;
  Enable_RQUOTA = false;
}}
NFSV4 {{ Graceless = true; RecoveryRoot = "{dir}/recovery"; }}
EXPORT {{
  Export_Id = 1;
  Path = "{export}";
  Pseudo = "{export}";
  Access_Type = RW;
  Squash = No_Root_Squash;
  Protocols = 3, 4;
  Transports = TCP;
  SecType = sys;
  FSAL {{ Name = VFS; }}
}}
LOG {{ Default_Log_Level = EVENT; }}
"""
# rpcbind needs its socket directory; both daemons' pids are written for the stop.
_RUN = """mount -t tmpfs tmpfs /run && mkdir -p /run/rpcbind || exit 1
rpcbind -f -w & echo $! > "$1/rpcbind.pid"
sleep 0.2
ganesha.nfsd -F -f "$1/ganesha.conf" -L "$1/ganesha.log" -p "$1/ganesha.pidfile" & echo $! > "$1/ganesha.pid"
wait
"""


@dataclass
class NfsServer:
    host: str
    host6: str
    netns: str
    export: str
    path: str  # the image's full path on the server: export + /dir/disk.img
    size: int
    pids: tuple
    start_seconds: float

    def client(self, argv):
        """argv run inside the server's network namespace."""
        return ["nsenter", "--net=%s" % self.netns] + list(argv)


def _pid(path, deadline):
    while not os.path.exists(path) or not open(path).read().strip():
        if time.monotonic() > deadline:
            raise RuntimeError("%s not written" % path)
        time.sleep(0.05)
    return int(open(path).read())


def _stop(pid):
    processes.stop_pid(pid)


@contextlib.contextmanager
def start_nfs(workdir):
    """Yield an NfsServer serving WORKDIR/export, with dir/disk.img of IMAGE_SIZE bytes."""
    requires(root="network namespaces")
    requires(tool=("ganesha.nfsd", "rpcbind", "rpcinfo", "nsenter", "unshare", "ip"))
    began = time.monotonic()
    workdir = str(workdir)
    export = os.path.join(workdir, "export")
    os.makedirs(os.path.join(export, "dir"))
    os.makedirs(os.path.join(workdir, "recovery"))
    image = os.path.join(export, "dir", "disk.img")
    with open(image, "wb") as fh:
        fh.truncate(IMAGE_SIZE)
    with open(os.path.join(workdir, "ganesha.conf"), "w") as fh:
        fh.write(_CONF.format(dir=workdir, export=export))
    netns = os.path.join(workdir, "netns")
    open(netns, "w").close()
    subprocess.run(["unshare", "--net=%s" % netns, "true"], check=True)
    pids = []
    shell = None
    try:
        subprocess.run(["nsenter", "--net=%s" % netns, "ip", "link", "set", "lo", "up"], check=True)
        with open(os.path.join(workdir, "run.out"), "wb") as out:
            shell = subprocess.Popen(["nsenter", "--net=%s" % netns, "unshare", "-m", "--propagation", "private",
                                      "sh", "-c", _RUN, "sh", workdir], stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        pids = [_pid(os.path.join(workdir, name), deadline) for name in ("rpcbind.pid", "ganesha.pid")]
        while True:  # ready once mountd and nfs v3 are registered with the portmapper
            proc = subprocess.run(["nsenter", "--net=%s" % netns, "rpcinfo", "-p", "127.0.0.1"],
                                  capture_output=True, text=True, check=False)
            if "mountd" in proc.stdout and "nfs" in proc.stdout:
                break
            if shell.poll() is not None or time.monotonic() > deadline:
                log = os.path.join(workdir, "ganesha.log")
                tail = open(log).read()[-3000:] if os.path.exists(log) else proc.stderr
                raise RuntimeError("ganesha did not register: %s" % tail)
            time.sleep(0.1)
        yield NfsServer(host="127.0.0.1", host6="::1", netns=netns, export=export,
                        path=image, size=IMAGE_SIZE, pids=tuple(pids), start_seconds=time.monotonic() - began)
    finally:
        for pid in reversed(pids):
            _stop(pid)
        if shell is not None:
            try:
                shell.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(shell.pid, signal.SIGKILL)
                shell.wait(timeout=5)
        subprocess.run(["umount", netns], check=False)
