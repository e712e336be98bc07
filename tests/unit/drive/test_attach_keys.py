"""The keys that attach a drive beside its protocol options (drive/attach_keys.py): if=, the node
name / drive id and the format. Each row: the value -> itself, or the field and the whole message
of the refusal. What QEMU itself reads of each: tests/live/drive/test_attach_keys_live.py."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.attach_keys import (
    FORMATS, INTERFACES, check_format, check_interface, check_node_name,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

IF_MESSAGE = "expected one of: none, ide, scsi, floppy, pflash, mtd, sd, virtio, xen (QEMU's -drive if= values)"
NODE_NAME = "expected a QEMU node name: a letter, then up to 30 letters, digits, '-', '.', '_'"
FORMAT_MESSAGE = "expected one of: raw, qcow2, qcow, qed, vmdk, vpc, vdi, vhdx, dmg, cloop, bochs, parallels"


def test_accepted():
    assert [check_interface(v) for v in INTERFACES] == list(INTERFACES)
    assert [check_format(v) for v in FORMATS] == list(FORMATS)
    assert check_interface("none", "drives.0.interface") == "none"
    assert check_format("raw", "drives.0.format") == "raw"
    for name in ("a", "a" * 31, "n.1-x_y", "Z9"):
        assert check_node_name(name) == name
    assert check_node_name("n0", "drives.0.node_name") == "n0"


REFUSED = [
    (check_interface, ("virtio,file=/etc/shadow",), "interface",
     "interface: 'virtio,file=/etc/shadow' is not accepted; " + IF_MESSAGE),
    (check_interface, ("VIRTIO",), "interface", "interface: 'VIRTIO' is not accepted; " + IF_MESSAGE),
    (check_interface, (["virtio"],), "interface", "interface: ['virtio'] is not accepted; " + IF_MESSAGE),
    (check_interface, ("usb", "drives.0.interface"), "drives.0.interface",
     "drives.0.interface: 'usb' is not accepted; " + IF_MESSAGE),
    (check_node_name, ("a" * 32,), "node_name", "node_name: '%s' is not accepted; %s" % ("a" * 32, NODE_NAME)),
    (check_node_name, ("0abc",), "node_name", "node_name: '0abc' is not accepted; " + NODE_NAME),
    (check_node_name, ("#block1",), "node_name", "node_name: '#block1' is not accepted; " + NODE_NAME),
    (check_node_name, ("a,b",), "node_name", "node_name: 'a,b' is not accepted; " + NODE_NAME),
    (check_node_name, ("",), "node_name", "node_name: '' is not accepted; " + NODE_NAME),
    (check_node_name, (5,), "node_name", "node_name: 5 is not accepted; " + NODE_NAME),
    (check_node_name, ("-a", "drives.1.node_name"), "drives.1.node_name",
     "drives.1.node_name: '-a' is not accepted; " + NODE_NAME),
    # block/crypto.c needs a key-secret the role has none for
    (check_format, ("luks",), "format", "format: 'luks' is not accepted; " + FORMAT_MESSAGE),
    (check_format, (["raw"],), "format", "format: ['raw'] is not accepted; " + FORMAT_MESSAGE),
    (check_format, ("qcow3", "drives.0.format"), "drives.0.format",
     "drives.0.format: 'qcow3' is not accepted; " + FORMAT_MESSAGE),
]


@pytest.mark.parametrize("check,args,field,message", REFUSED, ids=["row%d" % i for i in range(len(REFUSED))])
def test_refused(check, args, field, message):
    with pytest.raises(SpecError) as caught:
        check(*args)
    assert (caught.value.field, str(caught.value)) == (field, message)
