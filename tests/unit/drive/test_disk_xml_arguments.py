"""libvirt_disk_xml's own arguments and the parts every protocol shares (drive/disk_xml.py,
drive/disk_xml_parts.py): target dev / bus, device, format, read-only, the libvirt secret of an
<auth>, the defaults from a parsed spec's layer, and what XML or libvirt's schema cannot carry.
Each row: the call -> the exact element, or the field and the whole message of the refusal.
libvirt's schema reading each rendered element: tests/live/drive/test_drive_filters_live.py."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import _xml_text, render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml_parts import DiskXml, auth_element
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

NBD = {"protocol": "nbd", "server": {"host": "h"}}
HTTP = {"protocol": "http", "server": {"host": "h"}, "path": "/a"}
ISCSI = {"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 0, "user": "u"}
UUID = "0a1b2c3d-0000-1111-2222-333344445555"


def disk(source, device="disk", fmt="raw", dev="vda", bus="virtio", readonly=False):
    return ('<disk type="network" device="%s">\n  <driver name="qemu" type="%s" />\n  %s\n'
            '  <target dev="%s" bus="%s" />\n%s</disk>' % (device, fmt, source, dev, bus, "  <readonly />\n" if readonly else ""))


NBD_SOURCE = '<source protocol="nbd">\n    <host name="h" port="10809" />\n  </source>'
HTTP_SOURCE = '<source protocol="http" name="/a">\n    <host name="h" port="80" />\n  </source>'


def iscsi_source(secret):
    return ('<source protocol="iscsi" name="t/0">\n    <host name="h" port="3260" />\n    <auth username="u">\n'
            '      <secret type="iscsi" %s />\n    </auth>\n  </source>' % secret)


RENDERED = [
    (lambda: render_disk_xml(NBD), disk(NBD_SOURCE)),
    (lambda: render_disk_xml({"protocol": "nbd", "server": {"socket": "/s"}}),
     disk('<source protocol="nbd">\n    <host transport="unix" socket="/s" />\n  </source>')),
    (lambda: render_disk_xml({"protocol": "nbd", "server": {"host": "::1"}}),
     disk('<source protocol="nbd">\n    <host name="::1" port="10809" />\n  </source>')),
    (lambda: render_disk_xml({"protocol": "gluster", "servers": [{"host": "h", "transport": "rdma"}], "volume": "v",
                              "path": "p"}, "9.0"),
     disk('<source protocol="gluster" name="v/p">\n    <host name="h" port="24007" transport="rdma" />\n  </source>')),
    (lambda: render_disk_xml(NBD, target_dev="sdb", target_bus="scsi", device="cdrom", fmt="qcow2", read_only=True),
     disk(NBD_SOURCE, "cdrom", "qcow2", "sdb", "scsi", True)),
    (lambda: render_disk_xml(NBD, target_dev="xvdabc"), disk(NBD_SOURCE, dev="xvdabc")),
    (lambda: render_disk_xml(NBD, target_dev="ubda"), disk(NBD_SOURCE, dev="ubda")),
    # curl cannot write: read-only unless asked otherwise
    (lambda: render_disk_xml(HTTP), disk(HTTP_SOURCE, readonly=True)),
    (lambda: render_disk_xml(HTTP, read_only=False), disk(HTTP_SOURCE)),
    (lambda: render_disk_xml(dict(NBD, layer={"target_dev": "vdc", "target_bus": "sata", "device": "lun",
                                              "format": "qcow2", "read_only": True})),
     disk(NBD_SOURCE, "lun", "qcow2", "vdc", "sata", True)),
    (lambda: render_disk_xml(dict(NBD, layer={"target_dev": "vdc", "read_only": True}), target_dev="vdd",
                             read_only=False), disk(NBD_SOURCE, dev="vdd")),
    (lambda: render_disk_xml(dict(ISCSI, layer={"secret_usage": "s"})), disk(iscsi_source('usage="s"'))),
    (lambda: render_disk_xml(dict(ISCSI, layer={"secret_usage": "s"}), secret_uuid=UUID),
     disk(iscsi_source('uuid="%s"' % UUID))),
    (lambda: render_disk_xml(ISCSI, secret_uuid=UUID.replace("-", "")),
     disk(iscsi_source('uuid="%s"' % UUID.replace("-", "")))),
    (lambda: render_disk_xml(dict(NBD, options={"open_timeout": 5}), on_unexpressible="omit"), disk(NBD_SOURCE)),
    (lambda: render_disk_xml({"protocol": "ssh", "server": {"host": "h"}, "path": "/p"}, libvirt_version="11.3")[:40],
     '<disk type="network" device="disk">\n  <d'),
]


@pytest.mark.parametrize("call,expected", RENDERED, ids=["row%d" % i for i in range(len(RENDERED))])
def test_rendered(call, expected):
    assert call() == expected


CONTROL = "control characters cannot be written in XML"
USAGE = "expected a non-empty usage name without '/' or newlines (libvirt's objectName)"
ONE_SECRET = ("iSCSI CHAP in libvirt XML needs exactly one of secret_usage or secret_uuid (the libvirt secret holding "
              "the password)")
SECRET_ONLY = ("libvirt takes the password of iSCSI CHAP only from a libvirt secret: use credentials 'secret' with "
               "secret_usage or secret_uuid")
SSH = {"protocol": "ssh", "server": {"host": "h"}, "path": "/p"}

REFUSED = [
    (lambda: render_disk_xml(NBD, target_dev="vd1"), "target_dev",
     "target_dev: 'vd1' is not accepted; expected a device name such as vda, sdb, hdc"),
    (lambda: render_disk_xml(NBD, target_dev="hdabcd"), "target_dev",
     "target_dev: 'hdabcd' is not accepted; expected a device name such as vda, sdb, hdc"),
    (lambda: render_disk_xml(NBD, target_dev=5), "target_dev",
     "target_dev: 5 is not accepted; expected a device name such as vda, sdb, hdc"),
    (lambda: render_disk_xml(NBD, target_bus="pci"), "target_bus",
     "target_bus: 'pci' is not accepted; expected one of: virtio, scsi, sata, ide, usb, xen, sd, fdc"),
    (lambda: render_disk_xml(NBD, device="tape"), "device",
     "device: 'tape' is not accepted; expected one of: disk, cdrom, lun, floppy"),
    (lambda: render_disk_xml(NBD, fmt="qcow"), "format", "format: 'qcow' is not accepted; expected one of: raw, qcow2, "
     "qed, vmdk, vpc, vdi, vhdx, luks, dmg, cloop, bochs, parallels"),
    (lambda: render_disk_xml(NBD, on_unexpressible="x"), "on_unexpressible",
     "on_unexpressible: 'x' is not accepted; expected one of: fail, omit"),
    (lambda: render_disk_xml(dict(NBD, export="a\x01b")), "export", "export: 'a\\x01b' is not accepted; " + CONTROL),
    (lambda: render_disk_xml({"protocol": "gluster", "servers": [{"host": "h"}, {"socket": "/s\x02"}], "volume": "v",
                              "path": "p"}), "servers.1.socket", "servers.1.socket: '/s\\x02' is not accepted; " + CONTROL),
    (lambda: render_disk_xml({"protocol": "nbd", "server": {"socket": "/s\nt"}}), "server.socket",
     "server.socket: '/s\\nt' is not accepted; libvirt's domain schema (absFilePath) allows no newline in a socket path"),
    (lambda: render_disk_xml({"protocol": "nbd", "servers": [{"socket": "/s\rt"}]}), "servers.0.socket",
     "servers.0.socket: '/s\\rt' is not accepted; libvirt's domain schema (absFilePath) allows no newline in a socket "
     "path"),
    (lambda: render_disk_xml({"protocol": "nbd", "server": {"host": "a_b"}}), "server.host",
     "server.host: 'a_b' is not accepted; libvirt's domain schema allows only letters, digits, '.' and '-' in a disk "
     "host name (no '_')"),
    (lambda: render_disk_xml(SSH, libvirt_version="11.2"), "protocol",
     "protocol: 'ssh' is not accepted; libvirt 11.2's domain schema has no ssh network disk (libvirt 11.3 has); use "
     "qemu_blockdev or qemu_drive_opts"),
    (lambda: render_disk_xml(dict(NBD, options={"open_timeout": 5})), "options",
     "options: ['open_timeout'] is not accepted; open_timeout cannot be written in the nbd libvirt disk XML; use "
     "qemu_blockdev or qemu_drive_opts, or pass on_unexpressible='omit' to drop them knowingly"),
    (lambda: render_disk_xml(ISCSI, secret_usage="s", secret_uuid=UUID), "secret_usage",
     "secret_usage: 's' is not accepted; " + ONE_SECRET),
    (lambda: render_disk_xml(ISCSI), "secret_usage", "secret_usage: " + ONE_SECRET),
    (lambda: render_disk_xml(dict(ISCSI, password="p", credentials="env"), secret_usage="s"), "credentials",
     "credentials: 'env' is not accepted; " + SECRET_ONLY),
    (lambda: render_disk_xml(dict(ISCSI, password="p", credentials="inline"), secret_usage="s"), "credentials",
     "credentials: 'inline' is not accepted; " + SECRET_ONLY),
    (lambda: render_disk_xml(dict(ISCSI, user="a b"), secret_usage="s"), "user",
     "user: 'a b' is not accepted; libvirt's domain schema allows only letters, digits, '_', '+' and '-' in the user "
     "name of iSCSI CHAP"),
    (lambda: render_disk_xml(ISCSI, secret_uuid="x"), "secret_uuid", "secret_uuid: 'x' is not accepted; expected a UUID"),
    (lambda: render_disk_xml(ISCSI, secret_uuid=5), "secret_uuid", "secret_uuid: 5 is not accepted; expected a UUID"),
    (lambda: render_disk_xml(ISCSI, secret_usage="a/b"), "secret_usage", "secret_usage: 'a/b' is not accepted; " + USAGE),
    (lambda: render_disk_xml(ISCSI, secret_usage="a\x01b"), "secret_usage",
     "secret_usage: 'a\\x01b' is not accepted; " + USAGE),
    (lambda: render_disk_xml(ISCSI, secret_usage=5), "secret_usage", "secret_usage: 5 is not accepted; " + USAGE),
    (lambda: render_disk_xml(ISCSI, secret_usage=""), "secret_usage", "secret_usage: '' is not accepted; " + USAGE),
    (lambda: render_disk_xml(NBD, "x"), "qemu_version",
     "qemu_version: 'x' is not accepted; expected a QEMU version such as '7.2' or '10.0.3'"),
]


@pytest.mark.parametrize("call,field,message", REFUSED, ids=["row%d" % i for i in range(len(REFUSED))])
def test_refused(call, field, message):
    with pytest.raises(SpecError) as caught:
        call()
    assert (caught.value.field, str(caught.value)) == (field, message)


@pytest.mark.parametrize("value,field", [
    ({"a": ["x", {"b": "\x0b"}]}, "a.1.b"),
    ({"a": "\ufffe"}, "a"),
    ({"a": "\uffff"}, "a"),
    ({"a": "\x1f"}, "a"),
    ("\x00", ""),
], ids=["nested", "fffe", "ffff", "1f", "top"])
def test_xml_text_refused(value, field):
    with pytest.raises(SpecError) as caught:
        _xml_text(value)
    assert caught.value.field == field and caught.value.accepted == CONTROL


def test_xml_text_takes_what_xml_can_carry():
    assert _xml_text({"a": ["x\t\n\r", {"b": "\ufffd", "c": 5, "d": "\x20\ud7ff"}]}) is None


def test_disk_arguments():
    assert DiskXml((9, 0)) == DiskXml((9, 0), None, None, None, None)
    assert (DiskXml((9, 0)).has_secret, DiskXml((9, 0), "s").has_secret, DiskXml((9, 0), None, UUID).has_secret) == (
        False, True, True)


@pytest.mark.parametrize("usage,uuid,secret", [
    (None, UUID, '<secret type="ceph" uuid="%s" />' % UUID),
    ("x", None, '<secret type="ceph" usage="x" />'),
    ("x", UUID, '<secret type="ceph" uuid="%s" />' % UUID),
], ids=["uuid", "usage", "both"])
def test_auth_element(usage, uuid, secret):
    source = ET.Element("source")
    auth_element(source, "u", "ceph", usage, uuid)
    assert ET.tostring(source, encoding="unicode") == '<source><auth username="u">%s</auth></source>' % secret
