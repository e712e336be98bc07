# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: drive spec -> -drive / --image-opts option string."""

from __future__ import annotations

DOCUMENTATION = r"""
name: qemu_drive_opts
short_description: Render a drive spec as a QEMU -drive or --image-opts option string
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Renders the drive's protocol options as dotted QemuOpts keys, e.g.
    C(file.driver=ssh,file.server.host=host,file.server.port=22,file.path=/disk.img,file.user=user).
  - Every value has its commas doubled, so the string can be placed as is after C(-drive) and
    extended with C(,if=virtio) and the like; option names are generated, never taken from input.
  - With O(prefix='') the keys have no C(file.) prefix, for C(qemu-img info --image-opts).
  - With O(format) a format layer is added (C(driver=qcow2,file.driver=gluster,...)).
  - Secrets are never written - the spec names a QEMU secret object (C(password_secret)); the
    C(--object secret,id=...) argument is yours to add.
  - Also takes a list of drive specs and returns a list of results, in order (an error names the
    item's index). Inside a template, one call for the whole list (C(drives | virt_uri.toolkit.qemu_drive_opts))
    is the fastest way to render many drives - see the collection's C(benchmarks/README.md).
extends_documentation_fragment:
  - virt_uri.toolkit.drive_spec
options:
  _input:
    # The description (the drive spec keys) comes from the drive_spec fragment; a list is also accepted.
    type: raw
  prefix:
    description: V(file.) for C(-drive); V('') for C(--image-opts) without a format layer.
    type: str
    default: file.
    choices: [file., '']
  format:
    description: A format driver (V(raw), V(qcow2), ...) to put on top; its protocol child is C(file.).
    type: str
  as_mapping:
    description: Return a flat mapping of option names to text values instead of one string.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: SSH drive options for -drive
  ansible.builtin.debug:
    msg: "-drive {{ disk | virt_uri.toolkit.qemu_drive_opts }},if=virtio"
  vars:
    disk: {protocol: ssh, server: {host: host}, user: user, path: /path/to/disk.img}
  # -drive file.driver=ssh,file.server.host=host,file.server.port=22,file.path=/path/to/disk.img,file.user=user,if=virtio

- name: Gluster with two servers and a qcow2 layer
  ansible.builtin.debug:
    msg: "{{ disk | virt_uri.toolkit.qemu_drive_opts(format='qcow2') }}"
  vars:
    disk:
      protocol: gluster
      volume: testvol
      path: a.img
      servers: [{host: 192.0.2.1}, {socket: /var/run/glusterd.socket}]
      options: {debug: 9}
"""

RETURN = r"""
_value:
  description: The option string, or a mapping with O(as_mapping=true); a list of them for a list input.
  type: raw
  sample: "file.driver=nbd,file.server.type=inet,file.server.host=192.0.2.1,file.server.port=10809,file.export=disk one"
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_opts
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import each_spec, filter_errors


@filter_errors
@each_spec
def qemu_drive_opts(spec, qemu_version=None, prefix="file.", format=None, as_mapping=False):  # pylint: disable=redefined-builtin
    return render_opts(spec, qemu_version, prefix=prefix, fmt=format, as_mapping=as_mapping)


class FilterModule:
    def filters(self):
        return {"qemu_drive_opts": qemu_drive_opts}
