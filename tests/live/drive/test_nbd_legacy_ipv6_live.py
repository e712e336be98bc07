# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The legacy nbd: form's refusal of an unbracketed IPv6 host (drive/protocols/nbd.py from_legacy)
against the real QEMU 7.2 and 10.0, on loopback only: qemu-nbd listens on ::1, 'nbd:[::1]:PORT'
opens, and 'nbd:::1:PORT' - what one would write for the same server without brackets - does not
(util/qemu-sockets.c: inet_parse reads the host up to the first ':', so no address is ::1 port PORT).
"""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import QemuError


def test_unbracketed_ipv6_host_in_legacy_nbd(generation, nbd_tcp6):
    bracketed = "nbd:[::1]:%d:exportname=%s" % (nbd_tcp6.port, nbd_tcp6.export)
    assert generation.open_with_qemu("uri", bracketed).virtual_size == nbd_tcp6.size
    assert parse_drive(bracketed, generation.qemu_version)["servers"] == [{"host": "::1", "port": nbd_tcp6.port}]
    bare = "nbd:::1:%d:exportname=%s" % (nbd_tcp6.port, nbd_tcp6.export)
    with pytest.raises(QemuError) as info:
        generation.open_with_qemu("uri", bare)
    assert "address resolution failed" in info.value.stderr, info.value.stderr
    with pytest.raises(SpecError) as err:
        parse_drive(bare, generation.qemu_version)
    assert str(err.value) == ("uri: %r is not accepted; an IPv6 host needs brackets in the legacy form: "
                              "nbd:[HOST]:PORT" % bare)
