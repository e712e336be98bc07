# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""parse_disk_xml: each protocol reads back every child of its <source> it declares
(drive/protocol.py disk_children) and every other child is refused, naming it; before, a child
another protocol reads (a <timeout> under gluster, a <reconnect> under iscsi) was dropped without a
word. What libvirt's schema says of each refused child: tests/live/drive/test_disk_xml_children_live.py.
"""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse_disk_xml import parse_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.registry import PROTOCOLS
from ansible_collections.virt_uri.toolkit.tests.support.disk_children import CHILDREN, disk, refused_cases

QEMU = {"sheepdog": "5.2"}  # sheepdog's driver is gone from QEMU 6.1 on


@pytest.mark.parametrize("child, protocol", refused_cases(), ids=["%s-in-%s" % case for case in refused_cases()])
def test_child_the_protocol_does_not_read_is_refused(child, protocol):
    with pytest.raises(SpecError) as err:
        parse_disk_xml(disk(protocol, child), QEMU.get(protocol))
    read = ", ".join(("host",) + PROTOCOLS[protocol].disk_children)
    assert str(err.value) == (
        "source.%s: '<%s>' is not accepted; not read back for protocol '%s' (its <source> children read "
        "back: %s); the drive spec has no place for it, so it would be lost" % (child, child, protocol, read))


def test_the_refusal_quotes_the_tag_only():
    """A misplaced <cookies> holds secret values: the message names the element, never its text."""
    with pytest.raises(SpecError) as err:
        parse_disk_xml(disk("nbd", "cookies").replace(">v<", ">s3cret<"))
    assert "s3cret" not in str(err.value) and err.value.field == "source.cookies"


def test_every_protocol_is_checked():
    assert {protocol for _child, protocol in refused_cases()} == set(PROTOCOLS)
    assert set().union(*(p.disk_children for p in PROTOCOLS.values())) <= set(CHILDREN)


@pytest.mark.parametrize("xml, options", [
    (disk("gluster"), None),
    (disk("nbd", "reconnect"), {"reconnect_delay": 3}),
    (disk("iscsi", "initiator"), {"initiator_name": "iqn.2003-01.org.example:i"}),
    (disk("http", "timeout"), {"timeout": 3}),
    (disk("http", "readahead"), {"readahead": 65536}),
    (disk("http", "cookies"), {"cookie": "c=v"}),
    (disk("https", "ssl"), {"sslverify": False}),
    (disk("nfs").replace("<identity/>", CHILDREN["identity"]), {"uid": 0, "gid": 0}),
], ids=["none", "nbd-reconnect", "iscsi-initiator", "http-timeout", "http-readahead", "http-cookies",
        "https-ssl", "nfs-identity"])
def test_children_the_protocol_reads_reach_its_options(xml, options):
    assert parse_disk_xml(xml).get("options") == options
