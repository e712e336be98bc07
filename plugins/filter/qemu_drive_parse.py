# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: any drive form (URI, json:, option string, -blockdev mapping, disk XML) -> drive spec."""

from __future__ import annotations

DOCUMENTATION = r"""
name: qemu_drive_parse
short_description: Read any form of a QEMU network drive back into a drive spec
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - The inverse of every drive filter. Takes a drive in any of the forms QEMU and libvirt use and
    returns the normalized drive spec that renders it (defaults filled in), read the way QEMU reads it.
  - "A URI or legacy string - C(nbd://), C(nbd+unix://), C(nbd:host:port:exportname=), C(nbd:unix:path),
    C(iscsi://), C(ssh://), C(gluster[+tcp|+unix|+rdma]://), C(sheepdog[+tcp|+unix]://), C(sheepdog:),
    C(rbd:), C(nfs://), C(http://), C(https://), C(ftp://) and C(ftps://)."
  - "A C(json:{...}) pseudo-filename, as C(qemu-img info) shows backing files - nested C({\"file\": {...}})
    and flat C(\"file.x\") keys (C(block.c) flattens them alike), a format node (C(raw), C(qcow2), ...)
    around the protocol node, a C(filename) inside the object (read by that driver's filename parser), C(server)
    lists and dotted C(server.N.*) keys, the legacy NBD C(host)/C(port)/C(path) and ssh C(host)/C(port)/
    C(host_key_check) keys, iSCSI C(portal) strings with bracketed IPv6, numbers or strings for ports and LUNs
    (the lenient typing QEMU applies to json: and option strings)."
  - "A C(-drive) option string (C(file.)-prefixed keys, or C(file=FILENAME) with C(file=json:{...}) too) or an
    C(--image-opts) string, split exactly as QemuOpts splits it (C(,,) is a literal comma)."
  - "A mapping - a C(-blockdev) / QMP C(blockdev-add) node, with or without a format node around it, strictly
    typed as QAPI wants it (ports are strings, a LUN is a number)."
  - "A string starting with C(<) - a libvirt C(<disk type='network'>) element (DTDs and entities are refused; a
    C(<source>) child its protocol does not read back, such as C(<encryption>) or a C(<timeout>) under gluster, is
    refused rather than dropped)."
  - What surrounds the drive (the format layer, C(read-only), node names, libvirt's C(<target>)) comes back under
    C(layer); the renderers take their defaults from it, so C(parse | render) keeps the input's meaning.
  - What QEMU or libvirt would refuse is refused, naming the field - malformed JSON, an unknown driver, a driver
    that does not match its URL, a missing required key (with QEMU's own wording, such as
    C(NBD server address missing) or C(Need all of transport, portal and target options)), and keys the spec
    cannot carry (never dropped silently).
options:
  _input:
    description: The drive in any of the forms above - a string, or a mapping for C(-blockdev).
    type: raw
    required: true
  qemu_version:
    description:
      - The QEMU version whose rules apply (sheepdog needs < 6.1).
      - Query values (C(?socket=)) are decoded once for QEMU < 9.1 (C(util/uri.c)) and twice for
        QEMU >= 9.1 (GLib), so C(?socket=/x/a%2520b) is C(/x/a b) for 10.0 and C(/x/a%20b) for 7.2.
    type: str
    default: '10.0'
"""

EXAMPLES = r"""
- name: Legacy NBD string to a spec
  ansible.builtin.debug:
    msg: "{{ 'nbd:192.0.2.1:30000:exportname=disk' | virt_uri.toolkit.qemu_drive_parse }}"
  # {"protocol": "nbd", "servers": [{"host": "192.0.2.1", "port": 30000}], "export": "disk"}

- name: A backing file's json filename, re-rendered as a URI for the QEMU in use
  ansible.builtin.debug:
    msg: >-
      {{ backing | virt_uri.toolkit.qemu_drive_parse
         | virt_uri.toolkit.qemu_drive_uri(qemu_version='7.2') }}
  vars:
    backing: 'json:{"driver":"raw","file":{"driver":"nbd","host":"192.0.2.1","port":"10809","export":"disk"}}'
  # nbd://192.0.2.1/disk

- name: A -drive string from a systemd unit, as -blockdev for QMP
  ansible.builtin.debug:
    msg: "{{ drive | virt_uri.toolkit.qemu_drive_parse | virt_uri.toolkit.qemu_blockdev(node_name='disk0') }}"
  vars:
    drive: 'format=qcow2,file.driver=iscsi,file.transport=tcp,file.portal=[2001:db8::5]:3260,file.target=iqn.2001-04.com.example:s,file.lun=1'
  # {"driver": "qcow2", "file": {"driver": "iscsi", "transport": "tcp", "portal": "[2001:db8::5]:3260", ...}}

- name: A libvirt disk element back to a spec
  ansible.builtin.debug:
    msg: "{{ lookup('ansible.builtin.file', 'disk.xml') | virt_uri.toolkit.qemu_drive_parse }}"
"""

RETURN = r"""
_value:
  description:
    - The drive spec (the keys P(virt_uri.toolkit.qemu_drive_uri#filter) takes), with C(servers) as a list and
      default ports filled in, plus C(layer) when the input had more than the protocol node.
    - The sample is what C(format=qcow2,file.driver=nbd,file.server.type=inet,file.server.host=192.0.2.1,
      file.server.port=10809,file.export=disk,if=none,id=d0,readonly=on) gives.
  type: dict
  sample:
    protocol: nbd
    servers: [{host: 192.0.2.1, port: 10809}]
    export: disk
    layer: {format: qcow2, read_only: true, options: {if: none, id: d0}}
  contains:
    protocol:
      description: The protocol (QEMU's driver name).
      type: str
      sample: nbd
    servers:
      description: TCP C({host, port}) (IPv6 without brackets) or Unix C({socket}) servers.
      type: list
      elements: dict
      sample: [{host: 192.0.2.1, port: 10809}]
    layer:
      description:
        - Only when the input had it. C(format) - the format driver above the protocol node; C(read_only);
          C(node_name) / C(format_node_name) - node names of the protocol and format nodes; C(target_dev),
          C(target_bus), C(device) - libvirt's C(<target>) and C(<disk device>); C(secret_usage) /
          C(secret_uuid) - the libvirt secret of an C(<auth>); C(options) - every other key around the drive
          (C(-drive if=), C(id=), C(cache.*), a format's own options), kept for review and written by no renderer.
      type: dict
      sample: {format: qcow2, read_only: true, options: {if: none, id: d0}}
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import filter_errors


@filter_errors
def qemu_drive_parse(text, qemu_version=None):
    return parse_drive(text, qemu_version)


class FilterModule:
    def filters(self):
        return {"qemu_drive_parse": qemu_drive_parse}
