# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: URI or legacy string -> drive spec."""

from __future__ import annotations

DOCUMENTATION = r"""
name: qemu_drive_parse
short_description: Parse a QEMU network drive URI or legacy string back into a drive spec
version_added: 0.1.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - The inverse of P(virt_uri.toolkit.qemu_drive_uri#filter) - reads C(nbd://), C(nbd+unix://),
    C(nbd:host:port:exportname=), C(nbd:unix:path), C(iscsi://), C(ssh://), C(gluster[+tcp|+unix|+rdma]://),
    C(sheepdog[+tcp|+unix]://), C(sheepdog:) and C(http(s)/ftp(s)://) strings the way QEMU's drivers
    read them, and returns the normalized drive spec (defaults filled in).
  - Strings QEMU would reject are refused with the reason (an NBD TCP URI with a query, an iSCSI URL
    with digests, a missing LUN, an unknown or upper-case protocol).
options:
  _input:
    description: The URI or legacy string.
    type: str
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
"""

RETURN = r"""
_value:
  description: The drive spec, with C(servers) as a list and default ports filled in.
  type: dict
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import filter_errors


@filter_errors
def qemu_drive_parse(text, qemu_version=None):
    return parse_drive(text, qemu_version)


class FilterModule:
    def filters(self):
        return {"qemu_drive_parse": qemu_drive_parse}
