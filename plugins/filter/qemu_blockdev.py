# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: drive spec -> strict -blockdev mapping."""

from __future__ import annotations

DOCUMENTATION = r"""
name: qemu_blockdev
short_description: Render a drive spec as a strict -blockdev / blockdev-add mapping
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Returns the QAPI C(BlockdevOptions) of the protocol node with QAPI types, as C(-blockdev),
    C(qemu-storage-daemon --blockdev) and QMP C(blockdev-add) want them - ports are strings, LUNs,
    timeouts and readahead are integers, sslverify is a boolean. Pass it through C(to_json).
  - Curl nodes (http, https, ftp, ftps) always get C(read-only=true), since that driver cannot write
    and C(-blockdev) has no automatic read-only; O(read_only=false) for them is refused (QEMU says
    C(curl driver does not support writes)).
  - Also takes a list of drive specs and returns a list of results, in order (an error names the
    item's index). Inside a template, one call for the whole list (C(drives | virt_uri.toolkit.qemu_blockdev))
    is the fastest way to render many drives - see the collection's C(benchmarks/README.md).
extends_documentation_fragment:
  - virt_uri.toolkit.drive_spec
options:
  _input:
    # The description (the drive spec keys) comes from the drive_spec fragment; a list is also accepted.
    type: raw
  node_name:
    description:
      - The C(node-name) to give the node (required by C(-blockdev) and qemu-storage-daemon); default - the
        spec's C(layer.node_name) if parsed.
      - With a list of specs, a list of node names of the same length (node names are unique).
    type: raw
  read_only:
    description: Set C(read-only) explicitly (default - the spec's C(layer.read_only) if parsed).
    type: bool
  format:
    description:
      - A format driver (V(raw), V(qcow2), ...) to put above the protocol node, which becomes its C(file)
        child - one nested mapping, as C(blockdev-add) takes it.
      - Default - the spec's C(layer.format) when it came from P(virt_uri.toolkit.qemu_drive_parse#filter), else none.
    type: str
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
  description: The blockdev options; a list of them for a list input.
  type: raw
  sample: {"driver": "nbd", "server": {"type": "inet", "host": "192.0.2.1", "port": "10809"}, "export": "disk one", "node-name": "d0"}
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_blockdev
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import at_item, filter_errors, is_spec_list
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError


@filter_errors
def qemu_blockdev(spec, qemu_version=None, node_name=None, read_only=None, format=None):  # pylint: disable=redefined-builtin
    if not is_spec_list(spec):
        return render_blockdev(spec, qemu_version, node_name=node_name, read_only=read_only, fmt=format)
    specs = list(spec)
    if node_name is None:
        names = [None] * len(specs)
    elif isinstance(node_name, (list, tuple)) and len(node_name) == len(specs):
        names = list(node_name)
    else:
        raise SpecError("node_name", node_name, "with a list of %d specs give a list of %d node "
                        "names, one per spec (node names must be unique)" % (len(specs), len(specs)))
    out = []
    for index, (item, name) in enumerate(zip(specs, names)):
        with at_item(index):
            out.append(render_blockdev(item, qemu_version, node_name=name, read_only=read_only, fmt=format))
    return out


class FilterModule:
    def filters(self):
        return {"qemu_blockdev": qemu_blockdev}
