# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: drive spec -> strict -blockdev mapping."""

from __future__ import annotations

DOCUMENTATION = r"""
name: qemu_blockdev
short_description: Render a drive spec as a strict -blockdev / blockdev-add mapping
version_added: 0.1.0
author: virt_uri.toolkit developers
description:
  - Returns the QAPI C(BlockdevOptions) of the protocol node with QAPI types, as C(-blockdev),
    C(qemu-storage-daemon --blockdev) and QMP C(blockdev-add) want them - ports are strings, LUNs,
    timeouts and readahead are integers, sslverify is a boolean. Pass it through C(to_json).
  - Curl nodes (http, https, ftp, ftps) get C(read-only=true) unless O(read_only) says otherwise,
    since that driver cannot write and C(-blockdev) has no automatic read-only.
extends_documentation_fragment:
  - virt_uri.toolkit.drive_spec
options:
  node_name:
    description: The C(node-name) to give the node (required by C(-blockdev) and qemu-storage-daemon).
    type: str
  read_only:
    description: Set C(read-only) explicitly.
    type: bool
"""

EXAMPLES = r"""
- name: blockdev JSON for an NBD export over a Unix socket
  ansible.builtin.debug:
    msg: "-blockdev '{{ disk | virt_uri.toolkit.qemu_blockdev(node_name='disk0') | to_json(separators=[',', ':']) }}'"
  vars:
    disk: {protocol: nbd, server: {socket: /run/nbd.sock}, export: vm1}
  # -blockdev '{"driver":"nbd","server":{"type":"unix","path":"/run/nbd.sock"},"export":"vm1","node-name":"disk0"}'
"""

RETURN = r"""
_value:
  description: The blockdev options.
  type: dict
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_blockdev
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import filter_errors


@filter_errors
def qemu_blockdev(spec, qemu_version=None, node_name=None, read_only=None):
    return render_blockdev(spec, qemu_version, node_name=node_name, read_only=read_only)


class FilterModule:
    def filters(self):
        return {"qemu_blockdev": qemu_blockdev}
