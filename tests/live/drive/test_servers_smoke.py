# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The oracle checks: every server fixture opened by the real QEMU with hand-written strings.

No collection code here. If one of these fails, the fixture (or the machine) is broken, not
the filters.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from ansible_collections.virt_uri.toolkit.tests.support import qemu_oracle
from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import QemuError

SIZE = 1024 * 1024


def sha(data):
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------------------------- NBD

def test_nbd_tcp_uri(generation, nbd_tcp):
    uri = "nbd://127.0.0.1:%d/disk%%20one/a" % nbd_tcp.port
    res = generation.open_with_qemu("uri", uri)
    assert res.virtual_size == SIZE
    assert res.filename == "nbd://127.0.0.1:%d/disk one/a" % nbd_tcp.port
    assert sha(generation.read_image("uri", uri)) == nbd_tcp.sha256


def test_nbd_tcp_legacy_and_opts_and_blockdev(generation, nbd_tcp):
    legacy = "nbd:127.0.0.1:%d:exportname=disk one/a" % nbd_tcp.port
    assert generation.open_with_qemu("uri", legacy).virtual_size == SIZE
    opts = ("driver=nbd,server.type=inet,server.host=127.0.0.1,server.port=%d,export=disk one/a"
            % nbd_tcp.port)
    assert generation.open_with_qemu("image-opts", opts).virtual_size == SIZE
    drive = ("file.driver=nbd,file.server.type=inet,file.server.host=127.0.0.1,"
             "file.server.port=%d,file.export=disk one/a" % nbd_tcp.port)
    assert generation.open_with_qemu("drive", drive).virtual_size == SIZE
    node = {"driver": "nbd", "node-name": "n0", "export": "disk one/a",
            "server": {"type": "inet", "host": "127.0.0.1", "port": str(nbd_tcp.port)}}
    res = generation.open_with_qemu("blockdev", json.dumps(node))
    assert res.virtual_size == SIZE
    assert res.filename == "nbd://127.0.0.1:%d/disk one/a" % nbd_tcp.port


def test_nbd_json_as_backing_file(generation, nbd_tcp):
    # With backing_fmt=raw the protocol node sits under "file" (the docs' "file.driver":"http").
    pseudo = "json:" + json.dumps({"driver": "raw", "file": {
        "driver": "nbd", "export": "disk one/a", "server": {
            "type": "inet", "host": "127.0.0.1", "port": str(nbd_tcp.port)}}})
    res = generation.open_with_qemu("backing", pseudo.replace(",", ",,"))
    assert res.virtual_size == SIZE
    with pytest.raises(QemuError):  # single commas end the QemuOpts value
        generation.open_with_qemu("backing", pseudo)


def test_nbd_wrong_export_fails(generation, nbd_tcp):
    with pytest.raises(QemuError):
        generation.open_with_qemu("uri", "nbd://127.0.0.1:%d/nope" % nbd_tcp.port)


def test_nbd_unix(generation, nbd_unix):
    uri = "nbd+unix:///unix%%20export/b?socket=%s" % nbd_unix.socket
    res = generation.open_with_qemu("uri", uri)
    assert res.virtual_size == SIZE
    assert res.filename == "nbd+unix:///unix export/b?socket=%s" % nbd_unix.socket
    legacy = "nbd:unix:%s:exportname=unix export/b" % nbd_unix.socket
    assert generation.open_with_qemu("uri", legacy).virtual_size == SIZE
    pseudo = "json:" + json.dumps({"driver": "nbd", "export": "unix export/b",
                                   "server": {"type": "unix", "path": nbd_unix.socket}})
    assert generation.open_with_qemu("json", pseudo).virtual_size == SIZE
    node = {"driver": "nbd", "node-name": "u0", "export": "unix export/b",
            "server": {"type": "unix", "path": nbd_unix.socket}}
    assert generation.open_with_qemu("blockdev", node).virtual_size == SIZE


# ----------------------------------------------------------------------------------- iSCSI

def test_iscsi_inline_chap(generation, iscsi):
    uri = "iscsi://%s%%%s@127.0.0.1:%d/%s/1" % (iscsi.user, iscsi.password, iscsi.port, iscsi.iqn)
    assert generation.open_with_qemu("uri", uri).virtual_size == SIZE


def test_iscsi_env_chap(generation, iscsi):
    uri = "iscsi://127.0.0.1:%d/%s/1" % (iscsi.port, iscsi.iqn)
    env = {"LIBISCSI_CHAP_USERNAME": iscsi.user, "LIBISCSI_CHAP_PASSWORD": iscsi.password}
    assert generation.open_with_qemu("uri", uri, env=env).virtual_size == SIZE


def test_iscsi_secret_object(generation, iscsi):
    opts = ("driver=iscsi,transport=tcp,portal=127.0.0.1:%d,target=%s,lun=1,user=%s,"
            "password-secret=sec0" % (iscsi.port, iscsi.iqn, iscsi.user))
    obj = ["secret,id=sec0,data=%s" % iscsi.password]
    assert generation.open_with_qemu("image-opts", opts, objects=obj).virtual_size == SIZE
    node = {"driver": "iscsi", "node-name": "i0", "transport": "tcp",
            "portal": "127.0.0.1:%d" % iscsi.port, "target": iscsi.iqn, "lun": 1,
            "user": iscsi.user, "password-secret": "sec0"}
    assert generation.open_with_qemu("blockdev", node, objects=obj).virtual_size == SIZE


def test_iscsi_wrong_or_missing_chap_fails(generation, iscsi):
    base = "127.0.0.1:%d/%s/1" % (iscsi.port, iscsi.iqn)
    with pytest.raises(QemuError, match="Authentication failure"):
        generation.open_with_qemu("uri", "iscsi://%s%%wrong-password@%s" % (iscsi.user, base))
    with pytest.raises(QemuError, match="Authentication failure"):
        generation.open_with_qemu("uri", "iscsi://" + base)
    opts = ("driver=iscsi,transport=tcp,portal=127.0.0.1:%d,target=%s,lun=1,user=%s,"
            "password-secret=sec0" % (iscsi.port, iscsi.iqn, iscsi.user))
    with pytest.raises(QemuError, match="Authentication failure"):
        generation.open_with_qemu("image-opts", opts, objects=["secret,id=sec0,data=wrong-password"])


# ------------------------------------------------------------------------------------- SSH

@pytest.mark.parametrize("check", ["no", "sha256", "sha256_colons", "sha1", "md5", "md5_colons"])
def test_ssh_uri_host_key_check(generation, sshd, check):
    value = "no" if check == "no" else sshd.fingerprints[check]
    uri = "ssh://root@127.0.0.1:%d%s?host_key_check=%s" % (sshd.port, sshd.image, value)
    assert generation.open_with_qemu("uri", uri, env=sshd.env).virtual_size == SIZE


def test_ssh_known_hosts_empty_and_wrong_fingerprint_fail(generation, sshd):
    uri = "ssh://root@127.0.0.1:%d%s" % (sshd.port, sshd.image)
    with pytest.raises(QemuError, match="known_hosts"):
        generation.open_with_qemu("uri", uri, env=sshd.env)  # HOME is ours: no known host
    with pytest.raises(QemuError, match="does not match"):
        generation.open_with_qemu("uri", uri + "?host_key_check=sha256:" + "00" * 32, env=sshd.env)


def test_ssh_opts_and_blockdev(generation, sshd):
    opts = ("driver=ssh,server.host=127.0.0.1,server.port=%d,path=%s,user=root,"
            "host-key-check.mode=hash,host-key-check.type=sha256,host-key-check.hash=%s"
            % (sshd.port, sshd.image, sshd.fingerprints["sha256"].split(":", 1)[1]))
    assert generation.open_with_qemu("image-opts", opts, env=sshd.env).virtual_size == SIZE
    node = {"driver": "ssh", "node-name": "s0", "path": sshd.image, "user": "root",
            "server": {"host": "127.0.0.1", "port": str(sshd.port)},
            "host-key-check": {"mode": "none"}}
    assert generation.open_with_qemu("blockdev", node, env=sshd.env).virtual_size == SIZE


# ---------------------------------------------------------------------------- HTTP / HTTPS

def test_http_plain_and_range(generation, nginx):
    uri = "http://127.0.0.1:%d%s" % (nginx.http_port, nginx.path)
    assert generation.open_with_qemu("uri", uri).virtual_size == SIZE
    assert sha(generation.read_image("uri", uri)) == nginx.sha256  # curl reads with Range requests


def test_https_self_signed(generation, nginx):
    uri = "https://127.0.0.1:%d%s" % (nginx.https_port, nginx.path)
    with pytest.raises(QemuError, match="certificate"):
        generation.open_with_qemu("uri", uri)
    res = generation.open_with_qemu("image-opts", "driver=https,url=%s,sslverify=off" % uri)
    assert res.virtual_size == SIZE
    node = {"driver": "https", "node-name": "h0", "url": uri, "sslverify": False,
            "read-only": True}
    assert generation.open_with_qemu("blockdev", node).virtual_size == SIZE


def test_http_cookie(generation, nginx):
    uri = "http://127.0.0.1:%d%s" % (nginx.http_port, nginx.cookie_path)
    with pytest.raises(QemuError, match="403"):
        generation.open_with_qemu("uri", uri)
    with pytest.raises(QemuError, match="403"):
        generation.open_with_qemu("image-opts", "driver=http,url=%s,cookie=token=wrong" % uri)
    res = generation.open_with_qemu("image-opts", "driver=http,url=%s,cookie=%s" % (uri, nginx.cookie))
    assert res.virtual_size == SIZE
    res = generation.open_with_qemu("image-opts", "driver=http,url=%s,cookie-secret=ck" % uri,
                                    objects=["secret,id=ck,data=%s" % nginx.cookie])
    assert res.virtual_size == SIZE


def test_http_basic_auth(generation, nginx):
    uri = "http://127.0.0.1:%d%s" % (nginx.http_port, nginx.auth_path)
    with pytest.raises(QemuError, match="401"):
        generation.open_with_qemu("uri", uri)
    inline = "http://%s:%s@127.0.0.1:%d%s" % (nginx.user, nginx.password.replace(":", "%3A"),
                                              nginx.http_port, nginx.auth_path)
    assert generation.open_with_qemu("uri", inline).virtual_size == SIZE
    opts = "driver=http,url=%s,username=%s,password-secret=pw" % (uri, nginx.user)
    assert generation.open_with_qemu("image-opts", opts,
                                     objects=["secret,id=pw,data=%s" % nginx.password]).virtual_size == SIZE
    with pytest.raises(QemuError, match="401"):
        generation.open_with_qemu("image-opts", opts, objects=["secret,id=pw,data=wrong"])


# ------------------------------------------------------------------------------ FTP / FTPS

def test_ftp(generation, ftp):
    uri = "ftp://127.0.0.1:%d%s" % (ftp.port, ftp.path)
    assert generation.open_with_qemu("uri", uri).virtual_size == SIZE
    assert sha(generation.read_image("uri", uri)) == ftp.sha256
    node = {"driver": "ftp", "node-name": "f0", "url": uri, "read-only": True}
    assert generation.open_with_qemu("blockdev", node).virtual_size == SIZE


def test_ftps_implicit_tls(generation, ftps):
    uri = "ftps://127.0.0.1:%d%s" % (ftps.port, ftps.path)
    with pytest.raises(QemuError, match="certificate"):
        generation.open_with_qemu("uri", uri)
    assert generation.open_with_qemu("image-opts", "driver=ftps,url=%s,sslverify=off" % uri
                                     ).virtual_size == SIZE
    node = {"driver": "ftps", "node-name": "f1", "url": uri, "sslverify": False,
            "read-only": True}
    assert generation.open_with_qemu("blockdev", node).virtual_size == SIZE


# --------------------------------------------------------------------------------- Gluster

def test_gluster_uri_and_json(generation, gluster):
    uri = "gluster://127.0.0.1/%s/%s" % (gluster.volume, gluster.path)
    pseudo = "json:" + json.dumps({
        "driver": "gluster", "volume": gluster.volume, "path": gluster.path,
        "server": [{"type": "tcp", "host": "127.0.0.1", "port": 24007}]})
    from concurrent.futures import ThreadPoolExecutor  # each open takes ~10 s: run both at once
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda t: generation.open_with_qemu(*t),
                                [("uri", uri), ("json", pseudo)]))
    assert [r.virtual_size for r in results] == [SIZE, SIZE]


# ------------------------------------------------------------------------------- libvirt XML

def test_virt_xml_validate_works(xml_validator):
    xml_validator("<disk type='network' device='disk'><driver name='qemu' type='raw'/>"
                  "<source protocol='nbd' name='x'><host name='127.0.0.1' port='10809'/></source>"
                  "<target dev='vda' bus='virtio'/></disk>")
    with pytest.raises(AssertionError):
        xml_validator("<disk type='network'><source protocol='bogus'/></disk>")


def test_oracle_module_exports():
    assert qemu_oracle.KINDS == ("uri", "json", "image-opts", "drive", "blockdev", "backing")
