# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every QEMU version gate and refusal of the drive filters, on the real QEMU 7.2 and 10.0.

QEMU 7.2 is the host's; QEMU 10.0 runs in the Debian trixie root (tests/support/qemu_oracle.py).
A missing generation fails under CI, skips elsewhere.

Most cases need no server: ``qemu-img info`` of an ``nbd+unix://`` URI whose socket does not
exist fails with "Failed to connect to 'PATH'", naming exactly the path that QEMU decoded; a
URI QEMU rejects fails with "No valid URL specified" (block/nbd.c: nbd_parse_uri) or
"invalid URI" (block/gluster.c: qemu_gluster_parse_uri).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time

import pytest

from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import by_version
from ansible_collections.virt_uri.toolkit.tests.support.requires import unavailable

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import (
    render_json_pseudo, render_opts, render_uri,
)

GENERATIONS = ("7.2", "10.0")


def qemu_img(generation, *args, timeout=60, env=None):
    """qemu-img of that QEMU generation (tests/support/qemu_oracle.py)."""
    return by_version(generation).run(["qemu-img"] + list(args), timeout=timeout, env=env)


@pytest.fixture(scope="module", params=GENERATIONS)
def generation(request):
    out = qemu_img(request.param, "--version").stdout
    assert re.search(r"version %s\." % re.escape(request.param), out), out
    return request.param


@pytest.fixture()
def sockdir(tmp_path):
    # tmp_path is under /tmp, which the trixie root shares.
    path = tmp_path / "s"
    path.mkdir()
    return str(path)


def connected_to(generation, uri):
    """The socket path QEMU decoded from `uri` (no server listens), or QEMU's refusal text."""
    proc = qemu_img(generation, "info", uri)
    assert proc.returncode != 0
    match = re.search(r"Failed to connect to '(.*)': No such file", proc.stderr, re.S)
    return match.group(1) if match else proc.stderr


# Socket file names: each one rendered for the version, read back by that QEMU.
NAMES = ["plain.sock", "a b.sock", "a#b.sock", "a?b.sock", "a;b.sock", "\u00e9\u4e2d.sock", "a%b.sock",
         "a&b.sock", "a%20b.sock", "a%2526b.sock", "+=:@!$'()*,.sock", "x=y&z=1.sock"]


@pytest.mark.parametrize("name", NAMES)
def test_rendered_socket_is_the_one_qemu_connects_to(generation, sockdir, name):
    path = os.path.join(sockdir, name)
    for spec in ({"protocol": "nbd", "server": {"socket": path}, "export": "e"},):
        uri = render_uri(spec, generation)
        assert connected_to(generation, uri) == path, uri
        assert parse_drive(uri, generation)["servers"] == [{"socket": path}]


def test_percent_and_ampersand_need_the_version_form(sockdir):
    """The form for one version is misread or rejected by the other (why the gate exists)."""
    path = os.path.join(sockdir, "a%b&c.sock")
    spec = {"protocol": "nbd", "server": {"socket": path}}
    old, new = render_uri(spec, "7.2"), render_uri(spec, "10.0")
    assert old != new
    assert connected_to("7.2", new) == os.path.join(sockdir, "a%25b%26c.sock")  # misread
    assert "No valid URL specified" in connected_to("10.0", old)  # rejected


# Query values as written -> what each real QEMU connects to (qemu_drive_parse must agree).
DECODED = [
    ("a%2520b.sock", "10.0", "a b.sock"),
    ("a%2520b.sock", "7.2", "a%20b.sock"),
    ("a%26b.sock", "7.2", "a&b.sock"),
    ("a%2526b.sock", "10.0", "a&b.sock"),
    ("a%2526b.sock", "7.2", "a%26b.sock"),
    ("a;b.sock", "10.0", "a;b.sock"),
    ("a b.sock", "10.0", "a b.sock"),
    ("a%3Bb.sock", "7.2", "a;b.sock"),
    ("\u00e9.sock", "10.0", "\u00e9.sock"),
    ("a.sock\n", "10.0", "a.sock\n"),  # GLib keeps a raw newline in the value
]


@pytest.mark.parametrize("value,version,socket", DECODED)
def test_parse_decodes_as_that_qemu(sockdir, value, version, socket):
    uri = "nbd+unix:///e?socket=%s/%s" % (sockdir, value)
    assert connected_to(version, uri) == "%s/%s" % (sockdir, socket)
    assert parse_drive(uri, version)["servers"] == [{"socket": "%s/%s" % (sockdir, socket)}]


# Refused by qemu_drive_parse for that version: the real QEMU rejects it or reads another socket.
REFUSED = [
    ("a%26b.sock", "10.0", "No valid URL specified"),  # GLib decodes %26 to a separator
    ("a%25b.sock", "10.0", "No valid URL specified"),  # second decode of '%b'
    ("a%2500b.sock", "10.0", "No valid URL specified"),
    ("a;b.sock", "7.2", "No valid URL specified"),  # util/uri.c splits on ';'
    ("a b.sock", "7.2", "No valid URL specified"),
    ("\u00e9.sock", "7.2", "No valid URL specified"),
    ("a%b.sock", "7.2", "No valid URL specified"),
    ("a%00b.sock", "7.2", None),  # misread: the C string ends at %00
    ("a%00b.sock", "10.0", "No valid URL specified"),
    ("a.sock\n", "7.2", "No valid URL specified"),  # util/uri.c: a raw newline is no query character
]


@pytest.mark.parametrize("value,version,error", REFUSED)
def test_refused_query_value_is_rejected_or_misread(sockdir, value, version, error):
    uri = "nbd+unix:///e?socket=%s/%s" % (sockdir, value)
    with pytest.raises(SpecError):
        parse_drive(uri, version)
    got = connected_to(version, uri)
    if error is None:
        assert got == "%s/a" % sockdir
    else:
        assert error in got


def test_gluster_unix_empty_authority(sockdir):
    """gluster+unix:/// is 'invalid URI' for QEMU 10.0 (refused), but opens the socket on 7.2."""
    sock = os.path.join(sockdir, "glusterd.sock")
    uri = "gluster+unix:///vol/img?socket=%s" % sock
    assert "invalid URI" in qemu_img("10.0", "info", uri).stderr
    with pytest.raises(SpecError, match="empty authority"):
        parse_drive(uri, "10.0")
    assert "failed on socket %s" % sock in qemu_img("7.2", "info", uri).stderr
    assert parse_drive(uri, "7.2")["servers"] == [{"socket": sock}]
    # The rendered form (no authority) reaches the socket on both.
    spec = {"protocol": "gluster", "servers": [{"socket": sock}], "volume": "vol", "path": "img"}
    for version in GENERATIONS:
        assert "failed on socket %s" % sock in qemu_img(version, "info", render_uri(spec, version)).stderr


def test_rendered_socket_opens_a_real_server(sockdir, tmp_path):
    """A socket path with every tricky character, served by qemu-nbd, opened by both QEMUs."""
    if not shutil.which("qemu-nbd"):
        unavailable("qemu-nbd is required (bindep.txt)")
    image = tmp_path / "disk.raw"
    subprocess.run(["qemu-img", "create", "-f", "raw", str(image), "1M"], check=True, capture_output=True)
    path = os.path.join(sockdir, "a b#c?d;e%f&g\u00e9.sock")
    server = subprocess.Popen(["qemu-nbd", "-k", path, "-x", "e x", "-f", "raw", "--persistent", str(image)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 5
        while not os.path.exists(path) and time.monotonic() < deadline:
            time.sleep(0.05)
        spec = {"protocol": "nbd", "server": {"socket": path}, "export": "e x"}
        for version in GENERATIONS:
            proc = qemu_img(version, "info", "--output=json", render_uri(spec, version))
            assert proc.returncode == 0, proc.stderr
            assert json.loads(proc.stdout)["virtual-size"] == 1024 * 1024
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def test_json_backing_file_needs_a_format(tmp_path):
    """The qemu_drive_json example: backing_fmt=raw with a bare protocol node fails on both QEMUs;
    with format='raw' QEMU gets as far as connecting (nothing listens on 127.0.0.1:9)."""
    spec = {"protocol": "https", "server": {"host": "127.0.0.1", "port": 9}, "path": "/x",
            "options": {"sslverify": False, "readahead": 65536, "timeout": 10}}
    for version in GENERATIONS:
        for fmt, expected in ((None, 'A block device must be specified for "file"'),
                              ("raw", "Failed to connect to 127.0.0.1 port 9")):
            text = render_json_pseudo(spec, version, fmt=fmt, escape_commas=True)
            overlay = str(tmp_path / ("o%s%s.qcow2" % (version, fmt)))
            proc = qemu_img(version, "create", "-f", "qcow2", "-o", "backing_file=%s,backing_fmt=raw" % text,
                            overlay, "1M")
            assert expected in proc.stderr, proc.stderr


# ------------------------------------------------------------------ the gates of versions.QEMU_GATES

def test_sheepdog_is_gone():
    """Refused from 6.1: neither QEMU 7.2 nor 10.0 has the driver (the 6.0 side is source-read)."""
    for version in GENERATIONS:
        assert "Unknown protocol 'sheepdog'" in qemu_img(version, "info", "sheepdog://127.0.0.1:1/vdi").stderr
        with pytest.raises(SpecError, match="removed in QEMU 6.1"):
            render_uri({"protocol": "sheepdog", "server": {"host": "127.0.0.1", "port": 1}, "vdi": "vdi"}, version)


def test_gluster_rdma_uri():
    """gluster+rdma: 7.2 falls back to tcp (it connects to the host), 10.0 has no such protocol."""
    uri = "gluster+rdma://127.0.0.1:1/vol/img"
    assert "failed on host 127.0.0.1 and port 1" in qemu_img("7.2", "info", uri).stderr
    assert "Unknown protocol 'gluster+rdma'" in qemu_img("10.0", "info", uri).stderr
    spec = {"protocol": "gluster", "servers": [{"host": "127.0.0.1", "port": 1, "transport": "rdma"}],
            "volume": "vol", "path": "img"}
    assert render_uri(spec, "7.2") == uri
    with pytest.raises(SpecError, match="removed in QEMU 9.1"):
        render_uri(spec, "10.0")


def test_ssh_ipv6_uri():
    """ssh://[::1]: 7.2 (util/uri.c) asks libssh to resolve '[::1]', 10.0 connects to ::1."""
    uri = "ssh://root@[::1]:1/x.img?host_key_check=no"
    assert "address resolution failed for [::1]:1" in qemu_img("7.2", "info", uri).stderr
    assert "Failed to connect to '::1:1'" in qemu_img("10.0", "info", uri).stderr
    spec = {"protocol": "ssh", "server": {"host": "::1", "port": 1}, "user": "root", "path": "/x.img",
            "options": {"host_key_check": "no"}}
    assert render_uri(spec, "10.0") == uri
    with pytest.raises(SpecError, match="QEMU < 9.1 cannot read an IPv6 address"):
        render_uri(spec, "7.2")


def test_ssh_uri_query_as_that_qemu_splits_it():
    """The ssh URI query per version: 7.2 (util/uri.c) splits 'no;x=1' on ';' and reads
    host_key_check=no (it goes on to connect), 10.0 (GLib) reads the value 'no;x=1'; 7.2 refuses a
    raw space. qemu_drive_parse refuses each for that version (x is no ssh parameter)."""
    uri = "ssh://127.0.0.1:1/p?host_key_check=no%sx=1"
    assert "Failed to connect to '127.0.0.1:1'" in qemu_img("7.2", "info", uri % ";").stderr
    assert "unknown host_key_check setting (no;x=1)" in qemu_img("10.0", "info", uri % ";").stderr
    # block/ssh.c: ssh_parse_uri fails on it (uri_parse), so no server option is set
    assert "Parameter 'server' is missing" in qemu_img("7.2", "info", uri % " ").stderr
    refusals = []
    for text, version in ((uri % ";", "7.2"), (uri % ";", "10.0"), (uri % " ", "7.2")):
        with pytest.raises(SpecError) as err:
            parse_drive(text, version)
        refusals.append(err.value.field)
    assert refusals == ["uri", "options.host_key_check", "uri"]


def test_ssh_sha256_uri(sshd):
    """host_key_check=sha256: in the URI opens on 7.2 and 10.0 (the < 7.0 side is source-read)."""
    spec = {"protocol": "ssh", "server": {"host": "127.0.0.1", "port": sshd.port}, "user": sshd.user,
            "path": sshd.image, "options": {"host_key_check": sshd.fingerprints["sha256"]}}
    for version in GENERATIONS:
        proc = qemu_img(version, "info", "--output=json", render_uri(spec, version), env=sshd.env)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["virtual-size"] == sshd.size


def test_ssh_relative_path(sshd):
    """block/ssh.c hands the path to SFTP as is: relative to the login directory (root's home)."""
    relative = os.path.relpath(sshd.image, os.path.expanduser("~root"))
    assert not relative.startswith("/")
    spec = {"protocol": "ssh", "server": {"host": "127.0.0.1", "port": sshd.port}, "user": sshd.user,
            "path": relative, "options": {"host_key_check": "no"}}
    for version in GENERATIONS:
        proc = qemu_img(version, "info", "--output=json", "--image-opts",
                        render_opts(spec, version, prefix="", fmt=None), env=sshd.env)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["virtual-size"] == sshd.size
    # The URI form cannot say it: ssh://HOST/P opens '/P' (here a file that does not exist).
    with pytest.raises(SpecError, match="relative path has no ssh URI form"):
        render_uri(dict(spec, path="no-such-rel.img"), "10.0")
    for version in GENERATIONS:
        proc = qemu_img(version, "info", "ssh://root@127.0.0.1:%d/no-such-rel.img?host_key_check=no" % sshd.port,
                        env=sshd.env)
        assert "/no-such-rel.img" in proc.stderr, proc.stderr


def test_nbd_option_gates(sockdir):
    """tls-hostname, open-timeout, reconnect-delay are read by 7.2 and 10.0 (the older side is source-read)."""
    spec = {"protocol": "nbd", "server": {"socket": os.path.join(sockdir, "none.sock")},
            "options": {"tls_creds": "tls0", "tls_hostname": "h", "open_timeout": 0, "reconnect_delay": 1}}
    with pytest.raises(SpecError, match="needs QEMU >= 7.0"):
        render_opts(spec, "6.2", prefix="")
    for version in GENERATIONS:
        opts = render_opts(spec, version, prefix="")
        proc = qemu_img(version, "info", "--object", "tls-creds-anon,id=tls0,endpoint=client", "--image-opts", opts)
        assert "Failed to connect to '%s'" % os.path.join(sockdir, "none.sock") in proc.stderr, proc.stderr
