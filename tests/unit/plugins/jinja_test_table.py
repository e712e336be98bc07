# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rows shared by the Jinja test tables (unit and ansible-playbook): test, args, value, answer.

Each row's answer is what the filter does with the value: accepted (True) or an
AnsibleFilterError (False); the tests must say the same.
"""

NBD = {"protocol": "nbd", "server": {"host": "192.0.2.1", "port": 10809}, "export": "disk"}
ISCSI = {"protocol": "iscsi", "server": {"host": "192.0.2.1"},
         "target": "iqn.2001-04.com.example:s", "lun": 1}
SHEEPDOG = {"protocol": "sheepdog", "server": {"host": "192.0.2.3"}, "vdi": "v"}

ROWS = [
    # qemu_drive: mappings (qemu_drive_opts) and strings (qemu_drive_parse)
    ("qemu_drive", {}, NBD, True),
    ("qemu_drive", {}, {"protocol": "nbd", "server": {"socket": "/run/nbd.sock"}}, True),
    ("qemu_drive", {}, ISCSI, True),
    ("qemu_drive", {}, {"protocol": "ssh", "server": {"host": "192.0.2.1"}, "path": "/i.img",
                        "user": "root"}, True),
    ("qemu_drive", {}, {"protocol": "gluster", "server": {"host": "192.0.2.1"}, "volume": "v",
                        "path": "p.img"}, True),
    ("qemu_drive", {}, {"protocol": "https", "server": {"host": "192.0.2.1"},
                        "path": "/a.img"}, True),
    ("qemu_drive", {"qemu_version": "5.2"}, SHEEPDOG, True),
    ("qemu_drive", {"qemu_version": "10.0"}, SHEEPDOG, False),
    ("qemu_drive", {}, {"protocol": "nbd", "server": {"host": "bad host"}}, False),
    ("qemu_drive", {}, dict(ISCSI, lun="one"), False),
    ("qemu_drive", {}, {"protocol": "floppy"}, False),
    ("qemu_drive", {}, {}, False),
    ("qemu_drive", {}, "nbd://192.0.2.1:10809/disk", True),
    ("qemu_drive", {}, "nbd:unix:/run/nbd.sock", True),
    ("qemu_drive", {}, "nbd:192.0.2.1:10809:exportname=disk", True),
    ("qemu_drive", {}, "iscsi://192.0.2.1/iqn.2001-04.com.example:s/1", True),
    ("qemu_drive", {}, "ssh://root@192.0.2.1/i.img", True),
    ("qemu_drive", {}, "gluster://192.0.2.1/v/p.img", True),
    ("qemu_drive", {"qemu_version": "5.2"}, "sheepdog://192.0.2.3/v", True),
    ("qemu_drive", {"qemu_version": "10.0"}, "sheepdog://192.0.2.3/v", False),
    ("qemu_drive", {}, "nbd://192.0.2.1:10809/disk?x=1", False),
    ("qemu_drive", {}, "NBD://192.0.2.1/disk", False),
    ("qemu_drive", {}, "iscsi://192.0.2.1/iqn.2001-04.com.example:s", False),
    ("qemu_drive", {}, "", False),
    ("qemu_drive", {}, 5, False),
    ("qemu_drive", {}, None, False),
    # libvirt_uri (libvirt_uri_parse)
    ("libvirt_uri", {}, "qemu:///system", True),
    ("libvirt_uri", {}, "qemu+ssh://root@192.0.2.7:2222/system?keyfile=/k&no_verify=1", True),
    ("libvirt_uri", {}, "test:///default", True),
    ("libvirt_uri", {}, "qemu+tcp://[2001:db8::1]/system", True),
    ("libvirt_uri", {}, "qemu://system", False),
    ("libvirt_uri", {}, "qemu+tcp://192.0.2.7/system?no_verify=yes", False),
    ("libvirt_uri", {"validate": False}, "qemu+tcp://192.0.2.7/system?no_verify=yes", True),
    ("libvirt_uri", {}, "qemu+bogus:///system", False),
    ("libvirt_uri", {}, "qemu+unix://host/system", False),
    ("libvirt_uri", {}, "hail", False),
    ("libvirt_uri", {}, "", False),
    ("libvirt_uri", {}, 5, False),
    ("libvirt_uri", {}, None, False),
    # libvirt_alias_name (the names libvirt_uri_aliases accepts)
    ("libvirt_alias_name", {}, "hail", True),
    ("libvirt_alias_name", {}, "Hail_2-b", True),
    ("libvirt_alias_name", {}, "0", True),
    ("libvirt_alias_name", {}, "hail.example", False),
    ("libvirt_alias_name", {}, "hail cloud", False),
    ("libvirt_alias_name", {}, "h=x", False),
    ("libvirt_alias_name", {}, "h\u00e9", False),
    ("libvirt_alias_name", {}, "", False),
    ("libvirt_alias_name", {}, 5, False),
]

FILTER_OF = {"qemu_drive": "qemu_drive_opts/qemu_drive_parse", "libvirt_uri": "libvirt_uri_parse",
             "libvirt_alias_name": "libvirt_uri_aliases"}
