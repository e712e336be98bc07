# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real QEMU 7.2 and 10.0 read ASCII digits only; so does the drive core (fields.is_decimal).

Each case opens a real server on 127.0.0.1 with the number written in ASCII, then gives QEMU the
same text with the number in Arabic-Indic digits ('\\u0661\\u0660\\u0668\\u0660\\u0669' for 10809),
which Python's str.isdigit() and \\d accept (and int() reads as the same number): QEMU refuses it,
and so must qemu_drive_parse and the renderers (they read it as the port QEMU opened before).
"""

from __future__ import annotations

import pytest

import servers

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_uri
from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import QemuError

IQN = "iqn.2026-01.test.virt-uri:digits"


def arabic(number):
    """The number in ARABIC-INDIC DIGITs (U+0660-U+0669)."""
    return "".join(chr(0x0660 + int(digit)) for digit in str(number))


@pytest.fixture(scope="module")
def tgtd_lun1(tmp_path_factory, qemu_img):  # pylint: disable=unused-argument
    """tgtd with one target (LUN 1, no CHAP) on a free port of 127.0.0.1."""
    base = tmp_path_factory.mktemp("iscsi_digits")
    image = base / "lun1.raw"
    servers.make_image(image)
    with servers.start_tgtd(base) as tgtd:
        tgtd.adm("--mode", "target", "--op", "new", "--tid", "1", "--targetname", IQN)
        tgtd.adm("--mode", "logicalunit", "--op", "new", "--tid", "1", "--lun", "1", "--backing-store", image)
        tgtd.adm("--mode", "target", "--op", "bind", "--tid", "1", "--initiator-address", "ALL")
        yield tgtd


def refused(generation, kind, text, words):
    with pytest.raises(QemuError) as info:
        generation.open_with_qemu(kind, text)
    assert words in info.value.stderr, info.value.stderr


def test_nbd_port(generation, nbd_tcp):
    spec = {"protocol": "nbd", "server": {"host": nbd_tcp.host, "port": nbd_tcp.port}, "export": nbd_tcp.export}
    uri = render_uri(spec, generation.qemu_version)
    opts = "driver=nbd,host=%s,port=%%s,export=%s" % (nbd_tcp.host, nbd_tcp.export)
    legacy = "nbd:%s:%%s:exportname=%s" % (nbd_tcp.host, nbd_tcp.export)
    for kind, text in (("uri", uri), ("image-opts", opts % nbd_tcp.port), ("uri", legacy % nbd_tcp.port)):
        assert generation.open_with_qemu(kind, text).virtual_size == nbd_tcp.size, text
    port = arabic(nbd_tcp.port)
    cases = [
        ("uri", uri.replace(":%d/" % nbd_tcp.port, ":%s/" % port), "No valid URL specified", "uri"),
        ("uri", uri.replace(":%d/" % nbd_tcp.port, ":\u00b2/"), "No valid URL specified", "uri"),  # crashed int()
        ("image-opts", opts % port, "address resolution failed for 127.0.0.1:%s" % port, "server.port"),
        ("uri", legacy % port, "address resolution failed for 127.0.0.1:%s" % port, "port"),
    ]
    for kind, text, words, field in cases:
        refused(generation, kind, text, words)
        with pytest.raises(SpecError) as info:
            parse_drive(text, generation.qemu_version)
        assert info.value.field == field, text
    with pytest.raises(SpecError, match=r"server\.port: .* expected an integer \(digits 0-9\)"):
        render_uri(dict(spec, server={"host": nbd_tcp.host, "port": port}), generation.qemu_version)


def test_nbd_reconnect_delay(generation, nbd_tcp):
    text = "driver=nbd,host=%s,port=%d,export=%s,reconnect-delay=%%s" % (nbd_tcp.host, nbd_tcp.port, nbd_tcp.export)
    assert generation.open_with_qemu("image-opts", text % "1").virtual_size == nbd_tcp.size
    refused(generation, "image-opts", text % arabic(1), "Parameter 'reconnect-delay' expects a number")
    with pytest.raises(SpecError, match="reconnect-delay"):
        parse_drive(text % arabic(1), generation.qemu_version)


def test_iscsi_lun_and_portal(generation, tgtd_lun1):
    portal = "127.0.0.1:%d" % tgtd_lun1.port

    def opts(portal, lun):
        return "driver=iscsi,transport=tcp,portal=%s,target=%s,lun=%s" % (portal, IQN, lun)

    uri = "iscsi://%s/%s/%%s" % (portal, IQN)
    for kind, text in (("uri", uri % 1), ("image-opts", opts(portal, 1))):
        assert generation.open_with_qemu(kind, text).virtual_size == servers.IMAGE_SIZE, text
    cases = [
        ("uri", uri % arabic(1), "Failed to parse URL", "uri"),
        ("image-opts", opts(portal, arabic(1)), "Parameter 'lun' expects a number", "lun"),
        # libiscsi does not reach the target on this port (the same portal in ASCII opened above)
        ("image-opts", opts("127.0.0.1:%s" % arabic(tgtd_lun1.port), 1), "iSCSI: Failed to connect", "portal"),
    ]
    for kind, text, words, field in cases:
        refused(generation, kind, text, words)
        with pytest.raises(SpecError) as info:
            parse_drive(text, generation.qemu_version)
        assert info.value.field == field, text
