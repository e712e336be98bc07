# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: gluster spec (several servers) -> json: pseudo-protocol string."""

from __future__ import annotations

DOCUMENTATION = r"""
name: gluster_json
short_description: Render a GlusterFS drive spec with several servers as a json:{...} filename
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Renders a C(protocol=gluster) spec as QEMU's C(json:) pseudo-protocol, the only filename form
    that names several volfile servers, TCP and Unix mixed, plus C(debug) and C(logfile).
  - Server entries use C(type=inet) / C(type=unix) with C(path), and string ports, which every
    QEMU version since 2.9 reads.
  - Other protocols - see P(virt_uri.toolkit.qemu_drive_json#filter).
extends_documentation_fragment:
  - virt_uri.toolkit.drive_spec
options:
  format:
    description: Wrap the protocol node in this format driver (V(qcow2), V(raw), ...) as C({"driver":FORMAT,"file":{...}}).
    type: str
  escape_commas:
    description:
      - Double every comma, for a C(json:) string placed inside a QemuOpts value such as
        C(-drive file=json:...) or C(qemu-img create -o backing_file=json:...).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: qcow2 image on a gluster volume served by two servers
  ansible.builtin.debug:
    msg: "{{ disk | virt_uri.toolkit.gluster_json(format='qcow2') }}"
  vars:
    disk:
      protocol: gluster
      volume: testvol
      path: a.img
      servers: [{host: 192.0.2.1}, {socket: /var/run/glusterd.socket}]
      options: {debug: 9, logfile: /var/log/qemu-gluster.log}
"""

RETURN = r"""
_value:
  description: The C(json:{...}) string.
  type: str
  sample: "json:{\"driver\":\"gluster\",\"volume\":\"v\",\"path\":\"a.img\",\"server\":[{\"type\":\"inet\",\
    \"host\":\"192.0.2.1\",\"port\":\"24007\"},{\"type\":\"unix\",\"path\":\"/run/g.sock\"}]}"
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_json_pseudo
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import each_spec, filter_errors


@filter_errors
@each_spec
def gluster_json(spec, qemu_version=None, format=None, escape_commas=False):  # pylint: disable=redefined-builtin
    return render_json_pseudo(spec, qemu_version, fmt=format, escape_commas=escape_commas, protocols=("gluster",))


class FilterModule:
    def filters(self):
        return {"gluster_json": gluster_json}
