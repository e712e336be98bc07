# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every form qemu_drive_parse reads, parsed and re-rendered, opens with QEMU 7.2 and QEMU 10.0.

For each server (qemu-nbd over TCP and a Unix socket, tgtd with CHAP, sshd, nginx over HTTP and
HTTPS, glusterd with two servers) the same drive is
written as a json: filename (nested and flat keys, legacy host/port keys), a -drive string, an
--image-opts string, a -blockdev mapping and a libvirt <disk>. Each is parsed; all parses must
give the same drive spec; then every output form of it, rendered for the generation's version
(URI where one exists, json:, --image-opts, -drive with its format layer, the -blockdev tree),
is opened by that generation's `qemu-img info` against the loopback server, which must report the
server's image size (a wrong export, target or path fails to open). The original json: and
--image-opts inputs are opened too, so each input is itself one QEMU takes.

QEMU 10.0 runs from the trixie root through tests/support/qemu_oracle.py (the generation fixture
is test_version_gates_live's, which checks each binary's version); a missing generation fails under CI.
"""

from __future__ import annotations

import json
import re

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import (
    render_blockdev, render_json_pseudo, render_opts, render_uri,
)

from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import by_version

from test_version_gates_live import generation  # noqa: F401  pylint: disable=unused-import

SECRET = "sec0"


def nbd_tcp_forms(s):
    host, port, export = s.host, s.port, s.export
    esc = export.replace(",", ",,")
    return {
        "json nested": 'json:{"driver":"raw","file":{"driver":"nbd","server":{"type":"inet","host":"%s",'
                       '"port":"%d"},"export":"%s"}}' % (host, port, export),
        "json flat legacy": 'json:{"file.driver":"nbd","file.host":"%s","file.port":%d,"file.export":"%s"}'
                            % (host, port, export),
        "drive": "format=raw,file.driver=nbd,file.server.type=inet,file.server.host=%s,file.server.port=%d,"
                 "file.export=%s,if=none,id=d0" % (host, port, esc),
        "drive file=uri": "file=nbd://%s:%d/%s,format=raw,if=none" % (host, port, export.replace(" ", "%20")),
        "image-opts": "driver=nbd,server.type=inet,server.host=%s,server.port=%d,export=%s" % (host, port, esc),
        "blockdev": {"driver": "raw", "node-name": "fmt0", "file": {
            "driver": "nbd", "node-name": "proto0", "export": export,
            "server": {"type": "inet", "host": host, "port": str(port)}}},
        "disk xml": "<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='nbd' "
                    "name='%s'><host name='%s' port='%d'/></source><target dev='vdb' bus='virtio'/></disk>"
                    % (export, host, port),
    }


def nbd_unix_forms(s):
    sock, export = s.socket, s.export
    return {
        "json": 'json:{"driver":"nbd","server":{"type":"unix","path":"%s"},"export":"%s"}' % (sock, export),
        "json legacy path": 'json:{"driver":"nbd","path":"%s","export":"%s"}' % (sock, export),
        "image-opts": "driver=nbd,server.type=unix,server.path=%s,export=%s" % (sock, export),
        "blockdev": {"driver": "nbd", "server": {"type": "unix", "path": sock}, "export": export},
        "disk xml": "<disk type='network'><source protocol='nbd' name='%s'><host transport='unix' socket='%s'/>"
                    "</source><target dev='vda'/></disk>" % (export, sock),
    }


def iscsi_forms(s):
    common = (s.host, s.port, s.iqn, s.lun, s.user)
    return {
        "json": 'json:{"driver":"iscsi","transport":"tcp","portal":"%s:%d","target":"%s","lun":"%d",'
                '"user":"%s","password-secret":"sec0"}' % common,
        "image-opts": "driver=iscsi,transport=tcp,portal=%s:%d,target=%s,lun=%d,user=%s,password-secret=sec0"
                      % common,
        "blockdev": {"driver": "iscsi", "transport": "tcp", "portal": "%s:%d" % (s.host, s.port),
                     "target": s.iqn, "lun": s.lun, "user": s.user, "password-secret": SECRET},
    }


def http_forms(s):
    url = "http://%s:%d%s" % (s.host, s.http_port, s.path)
    return {
        "json": 'json:{"driver":"http","url":"%s","readahead":65536,"timeout":"10"}' % url,
        "json flat": 'json:{"file.driver":"http","file.url":"%s","file.readahead":"64k","file.timeout":10}' % url,
        "drive": "format=raw,file.driver=http,file.url=%s,file.readahead=64k,file.timeout=10,readonly=on" % url,
        "image-opts": "driver=http,url=%s,timeout=10,readahead=65536" % url,
        "blockdev": {"driver": "http", "url": url, "read-only": True, "readahead": 65536, "timeout": 10},
        "disk xml": "<disk type='network' device='cdrom'><driver name='qemu' type='raw'/><source protocol='http' "
                    "name='%s'><host name='%s' port='%d'/><readahead size='65536'/><timeout seconds='10'/>"
                    "</source><target dev='sda' bus='sata'/><readonly/></disk>" % (s.path, s.host, s.http_port),
    }


def ssh_forms(s):
    kind, digits = s.fingerprints["sha256"].split(":", 1)
    return {
        "json": 'json:{"driver":"ssh","server":{"host":"%s","port":"%d"},"path":"%s","user":"%s",'
                '"host-key-check":{"mode":"hash","type":"%s","hash":"%s"}}'
                % (s.host, s.port, s.image, s.user, kind, digits),
        "json legacy": 'json:{"driver":"ssh","host":"%s","port":%d,"path":"%s","user":"%s","host_key_check":"%s"}'
                       % (s.host, s.port, s.image, s.user, s.fingerprints["sha256"]),
        "drive": "file.driver=ssh,file.server.host=%s,file.server.port=%d,file.path=%s,file.user=%s,"
                 "file.host-key-check.mode=hash,file.host-key-check.type=%s,file.host-key-check.hash=%s"
                 % (s.host, s.port, s.image, s.user, kind, digits),
        "blockdev": {"driver": "ssh", "server": {"host": s.host, "port": str(s.port)}, "path": s.image,
                     "user": s.user, "host-key-check": {"mode": "hash", "type": kind, "hash": digits}},
    }


def https_forms(s):
    url = "https://%s:%d%s" % (s.host, s.https_port, s.path)
    return {
        "json": 'json:{"driver":"https","url":"%s","sslverify":false}' % url,
        "image-opts": "driver=https,url=%s,sslverify=off" % url,
        "blockdev": {"driver": "https", "url": url, "sslverify": False, "read-only": True},
        "disk xml": "<disk type='network' device='cdrom'><driver name='qemu' type='raw'/><source protocol='https' "
                    "name='%s'><host name='%s' port='%d'/><ssl verify='no'/></source><target dev='sda' bus='sata'/>"
                    "<readonly/></disk>" % (s.path, s.host, s.https_port),
    }


def gluster_forms(s):
    return {
        "json": 'json:{"driver":"gluster","volume":"%s","path":"%s","server":[{"type":"tcp","host":"%s",'
                '"port":%d},{"type":"unix","socket":"%s"}]}' % (s.volume, s.path, s.host, s.port, s.socket),
        "image-opts": "driver=gluster,volume=%s,path=%s,server.0.type=inet,server.0.host=%s,server.0.port=%d,"
                      "server.1.type=unix,server.1.path=%s" % (s.volume, s.path, s.host, s.port, s.socket),
        "disk xml": "<disk type='network'><source protocol='gluster' name='%s/%s'><host name='%s' port='%d'/>"
                    "<host transport='unix' socket='%s'/></source><target dev='vda'/></disk>"
                    % (s.volume, s.path, s.host, s.port, s.socket),
    }


# The refusals a round trip may meet, both of the URI form: options it has no place for (an
# iSCSI user and password secret, curl's readahead/timeout), and a gluster volume on several
# servers (a URI has one authority). Any other refusal, or a refusal of another form, fails.
URI_CANNOT_CARRY = re.compile(r"^options: \[.*\] is not accepted; .* cannot be written in the "
                              r"\w+ URL; use qemu_drive_opts"
                              r"|^servers: \[.*\] is not accepted; a gluster URI names one server")


def _outputs(spec, version):
    """Every rendered form of `spec` for `version`: (kind, text) with kind 'filename' or 'image-opts'."""
    out = []
    for form, kind, render in (("uri", "filename", lambda: render_uri(spec, version)),
                               ("json", "filename", lambda: render_json_pseudo(spec, version)),
                               ("opts", "image-opts", lambda: render_opts(spec, version, prefix="")),
                               ("drive", "image-opts", lambda: render_opts(spec, version, fmt="raw")),
                               ("blockdev", "filename",
                                lambda: "json:" + json.dumps(render_blockdev(spec, version)))):
        try:
            out.append((kind, render()))
        except SpecError as exc:
            if form != "uri" or not URI_CANNOT_CARRY.match(str(exc)):
                raise
    return out


def qemu_img(generation, *args, env=None):  # pylint: disable=redefined-outer-name
    """qemu-img of that QEMU generation (tests/support/qemu_oracle.py: host 7.2, trixie root 10.0)."""
    return by_version(generation).run(["qemu-img"] + list(args), env=env)


def _info(generation, kind, text, objects, env=None):  # pylint: disable=redefined-outer-name
    argv = ["info", "--output=json"]
    for obj in objects:
        argv += ["--object", obj]
    argv += (["--image-opts", text] if kind == "image-opts" else [text])
    proc = qemu_img(generation, *argv, env=env)
    assert proc.returncode == 0, "QEMU %s refused %s %r:\n%s" % (generation, kind, text, proc.stderr)
    return json.loads(proc.stdout)


def _check(generation, server, forms, objects=(), originals=("json", "image-opts"), env=None):  # pylint: disable=redefined-outer-name
    specs = {}
    for name, value in forms.items():
        spec = parse_drive(value, generation)
        specs[name] = spec
        if any(name.startswith(prefix) for prefix in originals):
            kind = "image-opts" if name.startswith("image-opts") else "filename"
            assert _info(generation, kind, value, objects, env)["virtual-size"] == server.size, name
    drives = {name: {k: v for k, v in spec.items() if k != "layer"} for name, spec in specs.items()}
    first = next(iter(drives.values()))
    assert all(drive == first for drive in drives.values()), drives
    opened = set()
    for name, spec in specs.items():
        for kind, text in _outputs(spec, generation):
            if (kind, text) in opened:
                continue
            opened.add((kind, text))
            assert _info(generation, kind, text, objects, env)["virtual-size"] == server.size, (name, text)
    assert len(opened) >= 3, opened
    return specs


def test_nbd_tcp_forms(generation, nbd_tcp):  # pylint: disable=redefined-outer-name
    specs = _check(generation, nbd_tcp, nbd_tcp_forms(nbd_tcp))
    assert specs["blockdev"]["layer"] == {"format": "raw", "format_node_name": "fmt0", "node_name": "proto0"}
    assert specs["disk xml"]["layer"]["target_dev"] == "vdb"


def test_nbd_unix_forms(generation, nbd_unix):  # pylint: disable=redefined-outer-name
    _check(generation, nbd_unix, nbd_unix_forms(nbd_unix))


def test_iscsi_forms(generation, iscsi):  # pylint: disable=redefined-outer-name
    specs = _check(generation, iscsi, iscsi_forms(iscsi), objects=("secret,id=%s,data=%s" % (SECRET, iscsi.password),))
    assert specs["json"]["password_secret"] == SECRET


def test_http_forms(generation, nginx):  # pylint: disable=redefined-outer-name
    specs = _check(generation, nginx, http_forms(nginx))
    assert specs["drive"]["layer"] == {"format": "raw", "read_only": True}


def test_ssh_forms(generation, sshd):  # pylint: disable=redefined-outer-name
    specs = _check(generation, sshd, ssh_forms(sshd), env=sshd.env)
    assert specs["json legacy"]["options"]["host_key_check"] == sshd.fingerprints["sha256"]


def test_https_forms(generation, nginx):  # pylint: disable=redefined-outer-name
    specs = _check(generation, nginx, https_forms(nginx))
    assert specs["json"]["options"] == {"sslverify": False}


def test_gluster_forms(generation, gluster):  # pylint: disable=redefined-outer-name
    """Two servers (TCP and glusterd's unix socket): no URI form. Each open takes ~10 s, so only the
    re-rendered forms are opened here, not the inputs themselves (about 3 minutes for both QEMUs)."""
    specs = _check(generation, gluster, gluster_forms(gluster), originals=())
    assert len(specs["json"]["servers"]) == 2


def test_iscsi_user_without_password_is_refused_by_qemu(generation, iscsi):  # pylint: disable=redefined-outer-name
    """The refusal of an iscsi user without password_secret (protocols/iscsi.py): QEMU of this
    generation refuses it too (block/iscsi.c: apply_chap), against a tgtd that asks for CHAP."""
    spec = {"protocol": "iscsi", "server": {"host": iscsi.host, "port": iscsi.port}, "target": iscsi.iqn,
            "lun": iscsi.lun, "user": iscsi.user}
    node = dict(render_blockdev(dict(spec, password_secret=SECRET), generation))
    del node["password-secret"]
    proc = qemu_img(generation, "info", "json:" + json.dumps(node))
    assert proc.returncode != 0 and "CHAP username specified but no password was given" in proc.stderr, proc.stderr
    try:
        render_blockdev(spec, generation)
    except SpecError as exc:
        assert exc.field == "password_secret"
    else:
        raise AssertionError("rendered an iscsi user without password_secret")


def test_a_device_key_in_the_file_child_is_refused_by_qemu(generation, nbd_tcp):  # pylint: disable=redefined-outer-name
    """if= belongs to -drive itself: in the protocol node under the format node QEMU refuses it once
    the server answers (block.c: bdrv_open_inherit, "Block protocol 'nbd' doesn't support the
    option 'if'"), and so does qemu_drive_parse, naming file.if."""
    text = "driver=raw,file.driver=nbd,file.host=%s,file.port=%d,file.export=%s" % (
        nbd_tcp.host, nbd_tcp.port, nbd_tcp.export)
    assert qemu_img(generation, "info", "--image-opts", text).returncode == 0
    proc = qemu_img(generation, "info", "--image-opts", text + ",file.if=none")
    assert proc.returncode != 0 and "Block protocol 'nbd' doesn't support the option 'if'" in proc.stderr, proc.stderr
    with pytest.raises(SpecError) as refused:
        parse_drive(text + ",file.if=none")
    assert refused.value.field == "file.if"
