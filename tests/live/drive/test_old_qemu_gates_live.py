# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The old side of the QEMU gates below 7.2, on the real QEMU 5.2 (Debian 11 bullseye root).

For each gate (plugins/module_utils/drive/versions.py QEMU_GATES) whose version lies between 5.2
and 7.2, the filter refuses the feature for qemu_version 5.2, the string a newer QEMU reads is
given to QEMU 5.2, which rejects it, and the same spec without the feature opens on 5.2 (so the
refusal is the feature's, not the server's). The newer side runs on 7.2 here too.
``reconnect_delay`` (4.2), RBD ``key-secret`` / ``auth-client-required`` (3.0) and
``namespace`` (5.0) lie below 5.2 and stay source-read; so does sheepdog (< 6.1; Debian's 5.2
build does not make it testable here without a sheepdog server).
The root: ``make bullseye-root`` (hack/debian-root bullseye); missing, it fails under CI=true.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
import servers

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import (
    render_opts, render_uri,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import (
    BULLSEYE, HOST, QemuError,
)

OLD = "5.2"


@pytest.fixture(scope="module")
def old(qemu_img):  # pylint: disable=unused-argument
    """QEMU 5.2 of the bullseye root (check_versions: really 5.2)."""
    return BULLSEYE.ready()


@pytest.fixture(scope="module")
def nbd_psk(qemu_img):  # pylint: disable=unused-argument
    """qemu-nbd (host) with TLS-PSK on 127.0.0.1: the TLS handshake needs no certificate, so
    QEMU 5.2 gets as far as its check of the options it did not use."""
    base = tempfile.mkdtemp(prefix="vpsk-", dir="/tmp")  # /tmp: seen inside the root too
    try:
        with open(os.path.join(base, "keys.psk"), "w", encoding="ascii") as fh:
            fh.write("qemu:%s\n" % ("5a" * 32))
        image = os.path.join(base, "disk.raw")
        servers.make_image(image)
        port = servers.free_port()
        proc = servers.spawn([servers.requires(tool="qemu-nbd"), "-t", "-b", "127.0.0.1", "-p",
                              str(port), "-x", "e", "-f", "raw",
                              "--object", "tls-creds-psk,id=tls0,endpoint=server,dir=%s" % base,
                              "--tls-creds", "tls0", image], os.path.join(base, "qemu-nbd.log"))
        try:
            servers.wait_for(lambda: servers.port_open(port), "qemu-nbd (psk)", proc=proc)
            yield port, "tls-creds-psk,id=tls0,endpoint=client,dir=%s,username=qemu" % base
        finally:
            servers.stop(proc)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _opens(generation, kind, text, **kwargs):
    return generation.open_with_qemu(kind, text, timeout=30, **kwargs).virtual_size == servers.IMAGE_SIZE


def _rejects(generation, kind, text, message, **kwargs):
    with pytest.raises(QemuError) as info:
        generation.open_with_qemu(kind, text, timeout=30, **kwargs)
    assert message in info.value.stderr, info.value.stderr
    return True


@pytest.mark.parametrize("option,value,key", [
    ("open_timeout", 5, "open-timeout"),      # nbd_open_timeout: since 7.0
    ("tls_hostname", "h", "tls-hostname"),    # nbd_tls_hostname: since 7.0
])
def test_nbd_option_before_7_0(old, nbd_psk, option, value, key):
    """5.2 connects (TLS-PSK), then refuses the option it does not know (block.c: bdrv_open_inherit's
    check of unused options)."""
    port, creds = nbd_psk
    spec = {"protocol": "nbd", "server": {"host": "127.0.0.1", "port": port}, "export": "e",
            "options": {"tls_creds": "tls0"}}
    objects = (creds,)
    assert _opens(old, "image-opts", render_opts(spec, OLD, prefix=""), objects=objects)
    with_option = dict(spec, options=dict(spec["options"], **{option: value}))
    with pytest.raises(SpecError, match="needs QEMU >= 7.0"):
        render_opts(with_option, OLD, prefix="")
    newer = render_opts(with_option, "7.2", prefix="")
    assert key in newer
    assert _rejects(old, "image-opts", newer, "doesn't support the option '%s'" % key,
                    objects=objects)
    assert _opens(HOST, "image-opts", newer, objects=objects)


def test_ssh_sha256_before_6_1(old, sshd):
    """ssh_sha256 (6.1): 5.2 knows md5 and sha1 only, in every form."""
    spec = {"protocol": "ssh", "server": {"host": "127.0.0.1", "port": sshd.port},
            "user": sshd.user, "path": sshd.image}
    for hash_name in ("md5_colons", "sha1"):
        known = dict(spec, options={"host_key_check": sshd.fingerprints[hash_name]})
        assert _opens(old, "image-opts", render_opts(known, OLD, prefix=""), env=sshd.env)
        assert _opens(old, "uri", render_uri(known, OLD), env=sshd.env)
    sha256 = dict(spec, options={"host_key_check": sshd.fingerprints["sha256"]})
    with pytest.raises(SpecError, match="sha256 needs QEMU >= 6.1"):
        render_opts(sha256, OLD, prefix="")
    newer = render_opts(sha256, "7.2", prefix="")
    assert _rejects(old, "image-opts", newer, "Invalid parameter 'sha256'", env=sshd.env)
    assert _opens(HOST, "image-opts", newer, env=sshd.env)


def test_ssh_sha256_uri_before_7_0(old, sshd):
    """ssh_sha256_uri (7.0): 5.2's ssh_parse_uri knows no 'sha256:' host_key_check."""
    spec = {"protocol": "ssh", "server": {"host": "127.0.0.1", "port": sshd.port},
            "user": sshd.user, "path": sshd.image,
            "options": {"host_key_check": sshd.fingerprints["sha256"]}}
    for version in (OLD, "6.1"):
        with pytest.raises(SpecError, match="sha256 in a URI needs QEMU >= 7.0"):
            render_uri(spec, version)
    newer = render_uri(spec, "7.2")
    assert _rejects(old, "uri", newer, "unknown host_key_check setting", env=sshd.env)
    assert _opens(HOST, "uri", newer, env=sshd.env)
