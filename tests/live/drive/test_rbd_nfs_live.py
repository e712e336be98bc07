# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RBD against a real single-node Ceph on 127.0.0.1 (ceph_server.py), and the NFS grammar against
QEMU's own parser, with the QEMU 7.2 of the host and the QEMU 10.0 of the trixie root.

RBD: every form the filters render is opened by qemu-img (and qemu-storage-daemon for the node);
the size QEMU reports tells which image or snapshot it opened (head 3 MiB, its snapshot 1 MiB,
the namespaced image 2 MiB). The cephx key reaches QEMU only through a secret object.

NFS: nfs-ganesha in a network namespace of its own (nfs_server.py: libnfs needs the portmapper on
the fixed port 111), and each form opened by qemu-img started in that namespace. Outside it,
nothing listens on 127.0.0.1:111, which shows the parser side: "Failed to mount nfs share" is the
connection error, while a string QEMU's parser refuses fails with its own message first, and a
value QEMU would clamp prints its warning.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import (
    normalize, render_blockdev, render_json_pseudo, render_opts, render_uri,
)


import ceph_server  # pylint: disable=import-error
import nfs_server  # pylint: disable=import-error
from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import by_version

GENERATIONS = ("7.2", "10.0")
MOUNT_FAILED = "Failed to mount nfs share"


def run_tool(generation, tool, *args, timeout=90, netns=None):
    """Run a QEMU / libvirt tool of that generation (tests/support/qemu_oracle.py; inside the
    network namespace `netns` if given); /tmp is shared with the trixie root."""
    gen = by_version(generation)
    argv, env = gen.command([tool] + list(args))
    if netns is not None:
        argv = ["nsenter", "--net=%s" % netns] + argv
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module", params=GENERATIONS)
def generation(request):
    out = run_tool(request.param, "qemu-img", "--version").stdout
    assert re.search(r"version %s\." % re.escape(request.param), out), out
    return request.param


@pytest.fixture(scope="module")
def ceph():
    # Under /tmp, which the trixie root shares (its QEMU reads the client conf file).
    workdir = tempfile.mkdtemp(prefix="ceph-live-", dir="/tmp")
    try:
        with ceph_server.start_ceph(workdir) as server:
            print("ceph cluster ready in %.1f s" % server.start_seconds)
            yield server
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def secret(server):
    return "secret,id=cephkey,data=%s,format=base64" % server.key


def rbd_spec(server, **extra):
    spec = {"protocol": "rbd", "pool": server.pool, "image": server.image, "user": server.user,
            "key_secret": "cephkey", "conf": "/dev/null", "servers": [{"host": server.host, "port": server.port}]}
    spec.update(extra)
    return spec


def info(generation, *args):
    proc = run_tool(generation, "qemu-img", "info", "--output=json", *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["virtual-size"]


def cases(server):
    """(spec, size QEMU must report) pairs: the head image, its snapshot, the namespaced image,
    IPv6 monitor first (nothing listens on ::1; librados tries the next), cephx required."""
    mons6 = [{"host": "::1", "port": server.port}, {"host": server.host, "port": server.port}]
    return [
        (rbd_spec(server), server.sizes["head"]),
        (rbd_spec(server, snapshot=server.snapshot), server.sizes["snap1"]),
        (rbd_spec(server, namespace=server.namespace, image=server.ns_image), server.sizes["ns"]),
        (rbd_spec(server, servers=mons6, options={"auth_client_required": ["cephx"]}), server.sizes["head"]),
    ]


def test_rbd_forms_open_the_right_image(ceph, generation):
    for spec, size in cases(ceph):
        obj = ["--object", secret(ceph)]
        assert info(generation, *obj, render_json_pseudo(spec)) == size, spec
        assert info(generation, *obj, "--image-opts", render_opts(spec, prefix="")) == size, spec
        assert info(generation, *obj, "--image-opts", "driver=raw," + render_opts(spec)) == size, spec
        # The legacy string carries no key: next to it as key-secret, or from the conf's keyring.
        legacy = render_uri(spec, syntax="legacy", on_unexpressible="omit")
        assert parse_drive(legacy)["image"] == spec["image"]
        assert info(generation, *obj, "--image-opts",
                    "driver=rbd,key-secret=cephkey,filename=" + legacy.replace(",", ",,")) == size, legacy
        alone = dict(spec, conf=ceph.client_conf)
        del alone["key_secret"]
        alone.pop("options", None)
        assert info(generation, render_uri(alone, syntax="legacy")) == size


def test_rbd_blockdev_opens_in_the_storage_daemon(ceph, generation, tmp_path):
    spec = rbd_spec(ceph, namespace=ceph.namespace, image=ceph.ns_image)
    node = render_blockdev(spec, node_name="rbd0", read_only=True)
    qmp = str(tmp_path / "qmp.sock")
    argv = ["--object", secret(ceph), "--blockdev", json.dumps(node),
            "--chardev", "socket,id=m0,path=%s,server=on,wait=off" % qmp, "--monitor", "chardev=m0"]
    daemon = by_version(generation).popen(["qemu-storage-daemon"] + argv, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not os.path.exists(qmp):  # the monitor socket appears once the node is open
            assert daemon.poll() is None, daemon.stderr.read()
            assert time.monotonic() < deadline, "qemu-storage-daemon did not open the node"
            time.sleep(0.05)
        assert parse_drive(node) == dict(normalize(spec), layer=parse_drive(node)["layer"])
    finally:
        os.kill(daemon.pid, signal.SIGTERM)
        daemon.wait(timeout=30)


def test_rbd_key_is_needed_and_only_in_the_secret(ceph, generation):
    """Without the secret object cephx fails: the key really travels through key-secret."""
    spec = rbd_spec(ceph)
    proc = run_tool(generation, "qemu-img", "info", "--object", "secret,id=cephkey,data=AAAA,format=base64",
                    render_json_pseudo(spec))
    assert proc.returncode != 0 and ceph.key not in render_json_pseudo(spec)


@pytest.mark.parametrize("text,message", [
    ("rbd:pool", "Pool name is required"),
    ("rbd:pool/img:conf", "conf option conf has no value"),
])
def test_rbd_malformed_legacy_is_refused_by_qemu_and_by_the_parser(generation, text, message):
    proc = run_tool(generation, "qemu-img", "info", text)
    assert message in proc.stderr
    with pytest.raises(SpecError, match="QEMU: '%s'" % re.escape(message)):
        parse_drive(text)


def test_rbd_escapes_reach_qemu_as_the_name(ceph, generation):
    """A pool with '/', ':' and '@' that does not exist: QEMU names it decoded in its error."""
    spec = rbd_spec(ceph, pool="p/o:o@l")
    legacy = render_uri(spec, syntax="legacy", on_unexpressible="omit")
    proc = run_tool(generation, "qemu-img", "info", "--object", secret(ceph), "--image-opts",
                    "driver=rbd,key-secret=cephkey,filename=" + legacy.replace(",", ",,"))
    assert "error opening pool p/o:o@l" in proc.stderr, proc.stderr


def test_rbd_disk_xml_validates(generation, tmp_path):
    spec = {"protocol": "rbd", "pool": "rbd", "image": "vm1", "snapshot": "snap1", "user": "libvirt",
            "key_secret": "k", "conf": "/etc/ceph/ceph.conf",
            "servers": [{"host": "127.0.0.1", "port": 6789}, {"host": "::1", "port": 3300}]}
    for kwargs in ({"secret_usage": "client.libvirt secret"},
                   {"secret_uuid": "3e3fce45-4f53-4fa7-bb32-11f34168b82b"}):
        validate(generation, tmp_path, render_disk_xml(spec, **kwargs))


NFS = {"protocol": "nfs", "server": {"host": "127.0.0.1"}, "path": "/export/dir/disk.img"}
NFS_ALL = dict(NFS, options={"uid": 0, "gid": 0, "tcp_syn_count": 1, "readahead_size": 1048576,
                             "page_cache_size": 2048, "debug": 0})


@pytest.fixture(scope="module")
def nfs():
    workdir = tempfile.mkdtemp(prefix="nfs-live-", dir="/tmp")
    try:
        with nfs_server.start_nfs(workdir) as server:
            print("nfs server ready in %.1f s" % server.start_seconds)
            yield server
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def test_nfs_forms_open_the_image(nfs, generation):
    """Every form, with every option at its largest accepted value; IPv6 only outside the URI
    before QEMU 9.1 (util/uri.c keeps the brackets: libnfs 'Invalid address:[::1]')."""
    spec = {"protocol": "nfs", "server": {"host": nfs.host}, "path": nfs.path}
    full = dict(spec, options={"uid": 0, "gid": 0, "tcp_syn_count": 3, "readahead_size": 1048576,
                               "page_cache_size": 2048, "debug": 0})
    six = dict(spec, server={"host": nfs.host6})
    for each in (spec, full, six):
        forms = [[render_json_pseudo(each)], ["--image-opts", render_opts(each, prefix="")],
                 ["--image-opts", "driver=raw," + render_opts(each)]]
        if "::" not in each["server"]["host"] or generation != "7.2":
            forms.append([render_uri(each, generation)])
        for args in forms:
            proc = run_tool(generation, "qemu-img", "info", "--output=json", *args, netns=nfs.netns)
            assert proc.returncode == 0, (args, proc.stderr)
            assert json.loads(proc.stdout)["virtual-size"] == nfs.size
            assert "warning" not in proc.stderr, proc.stderr
            assert parse_drive(args[-1], generation)["path"] == nfs.path


def test_nfs_ipv6_uri_before_9_1_is_refused(nfs):
    uri = "nfs://[::1]%s" % nfs.path
    proc = run_tool("7.2", "qemu-img", "info", uri, netns=nfs.netns)
    assert "Invalid address:[::1]" in proc.stderr, proc.stderr
    with pytest.raises(SpecError, match=re.escape("server.host: '::1' is not accepted; QEMU < 9.1 "
                                                  "cannot read an IPv6 address in an NFS URI")):
        render_uri({"protocol": "nfs", "server": {"host": "::1"}, "path": nfs.path}, "7.2")
    with pytest.raises(SpecError, match=re.escape("QEMU < 9.1 reads the host as '[::1]' with its brackets")):
        parse_drive(uri, "7.2")
    assert parse_drive(uri, "10.0")["servers"] == [{"host": "::1"}]


def test_nfs_forms_reach_the_mount(generation):
    for spec in (NFS, NFS_ALL, dict(NFS, path="/a b/c%d.img")):
        for args in ([render_uri(spec)], [render_json_pseudo(spec)], ["--image-opts", render_opts(spec, prefix="")],
                     ["--image-opts", "driver=raw," + render_opts(spec)]):
            proc = run_tool(generation, "qemu-img", "info", *args, timeout=60)
            assert MOUNT_FAILED in proc.stderr and "warning" not in proc.stderr, (args, proc.stderr)


@pytest.mark.parametrize("query,message,ours", [
    ("tcp-syn-cnt=1", "Unknown NFS parameter name: tcp-syn-cnt",
     "QEMU: 'Unknown NFS parameter name: tcp-syn-cnt'"),
    ("readahead-size=1", "Unknown NFS parameter name: readahead-size",
     "QEMU: 'Unknown NFS parameter name: readahead-size'"),
    ("page-cache-size=1", "Unknown NFS parameter name: page-cache-size",
     "QEMU: 'Unknown NFS parameter name: page-cache-size'"),
    ("uid=-1", "alue for NFS parameter: uid",  # 7.2 'Illegal', 10.0 'Invalid'
     "the NFS parameter uid needs a decimal number"),
    # 7.2 refuses a parameter without '='; 10.0 (GUri) goes on to the mount with it.
    ("uid", {"7.2": "Value for NFS parameter expected: uid", "10.0": MOUNT_FAILED},
     "query parameters must be name=value"),
])
def test_nfs_query_qemu_refuses(generation, query, message, ours):
    text = "nfs://127.0.0.1/export/disk.img?" + query
    if isinstance(message, dict):
        message = message[generation]
    assert message in run_tool(generation, "qemu-img", "info", text).stderr
    with pytest.raises(SpecError, match=re.escape(ours)):
        parse_drive(text)


def test_nfs_parameter_without_value(generation):
    """'?uid' refused for every version: QEMU 7.2 refuses it, QEMU 10.0 stops reading the query
    there - the uid=abc after it, refused on its own, is never read and the mount goes on."""
    alone = run_tool(generation, "qemu-img", "info", "nfs://127.0.0.1/export/disk.img?uid=abc").stderr
    assert "alue for NFS parameter: uid" in alone, alone
    after = run_tool(generation, "qemu-img", "info", "nfs://127.0.0.1/export/disk.img?uid&uid=abc").stderr
    expected = {"7.2": "Value for NFS parameter expected: uid", "10.0": MOUNT_FAILED}[generation]
    assert expected in after, after
    with pytest.raises(SpecError, match=re.escape("query parameters must be name=value")):
        parse_drive("nfs://127.0.0.1/export/disk.img?uid&uid=abc", qemu_version=generation)


@pytest.mark.parametrize("query,warning,field", [
    ("debug=3", "Limiting NFS debug level to 2", "debug"),
    ("readahead=1048577", "Truncating NFS readahead size to 1048576", "readahead_size"),
    ("pagecache=2049", "Truncating NFS pagecache size to 2048 pages", "page_cache_size"),
])
def test_nfs_values_qemu_would_clamp_are_refused(generation, query, warning, field):
    assert warning in run_tool(generation, "qemu-img", "info", "nfs://127.0.0.1/e/d.img?" + query).stderr
    refusal = re.escape("options.%s: %s is not accepted; expected an integer between 0 and "
                        % (field, query.split("=")[1]))
    with pytest.raises(SpecError, match=refusal):
        parse_drive("nfs://127.0.0.1/e/d.img?" + query)
    with pytest.raises(SpecError, match=refusal):
        render_uri(dict(NFS, options={field: int(query.split("=")[1])}))


def test_nfs_missing_host_is_a_parse_error(generation):
    assert "missing hostname in URI" in run_tool(generation, "qemu-img", "info", "nfs:///e/d.img").stderr


def test_nfs_disk_xml_validates(generation, tmp_path):
    validate(generation, tmp_path, render_disk_xml(NFS))
    validate(generation, tmp_path, render_disk_xml(dict(NFS, options={"uid": 107, "gid": 0})))


DOMAIN = """<domain type='qemu'>
  <name>rbd-nfs-check</name>
  <memory unit='KiB'>131072</memory>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
%s
  </devices>
</domain>
"""


def validate(generation, tmp_path, xml):
    path = tmp_path / "domain.xml"
    path.write_text(DOMAIN % xml)
    proc = run_tool(generation, "virt-xml-validate", str(path), "domain")
    assert proc.returncode == 0, (xml, proc.stdout, proc.stderr)
