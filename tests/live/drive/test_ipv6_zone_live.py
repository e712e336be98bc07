# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The IPv6 zone-id refusal (drive/fields.py check_qemu_host) against the real QEMU 7.2 and 10.0.

Only the loopback address is used: qemu-nbd listens on ::1, '::1' opens, and the same address
with a zone id ('::1%lo', written '%25lo' in a URI) fails in QEMU's address resolution
(util/qemu-sockets.c: inet_connect_saddr -> getaddrinfo) in the URI and in the option form alike.
A link-local address with a zone (fe80::1%eth0) would need a non-loopback interface, which the
live tests never connect to.
"""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_blockdev, render_uri
from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import QemuError


def test_zone_id_on_loopback(generation, nbd_tcp6):
    spec = {"protocol": "nbd", "server": {"host": "::1", "port": nbd_tcp6.port}, "export": nbd_tcp6.export}
    uri = render_uri(spec, generation.qemu_version)
    opts = "driver=nbd,host=%s,port=%d,export=%s" % ("%s", nbd_tcp6.port, nbd_tcp6.export)
    assert generation.open_with_qemu("uri", uri).virtual_size == nbd_tcp6.size
    assert generation.open_with_qemu("image-opts", opts % "::1").virtual_size == nbd_tcp6.size
    for kind, text in (("uri", uri.replace("[::1]", "[::1%25lo]")), ("image-opts", opts % "::1%lo")):
        with pytest.raises(QemuError) as info:
            generation.open_with_qemu(kind, text)
        assert "address resolution failed for ::1%lo" in info.value.stderr, info.value.stderr
        with pytest.raises(SpecError, match=r"IPv6 zone ids \('%'\) cannot be written"):
            parse_drive(text, generation.qemu_version)
    zoned = dict(spec, server={"host": "::1%lo", "port": nbd_tcp6.port})
    for render in (render_uri, render_blockdev):
        with pytest.raises(SpecError, match=r"^server\.host: '::1%lo' is not accepted; IPv6 zone ids"):
            render(zoned, generation.qemu_version)
