# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: drive spec -> json: pseudo-protocol string (any protocol)."""

from __future__ import annotations

DOCUMENTATION = r"""
name: qemu_drive_json
short_description: Render a drive spec as a json:{...} filename
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Renders any drive spec as QEMU's C(json:) pseudo-protocol filename, which carries every option
    (TLS, readahead, sslverify, cookies, several gluster servers) where a URI cannot - for
    C(qemu-img info), C(-drive file=) or a C(backing_file).
  - With O(escape_commas=true) the string can sit inside a QemuOpts value, as in
    C(qemu-img create -o backing_file='json:{"file.driver":"http",, ...}').
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
- name: Backing file served over HTTPS with a self-signed certificate and 64k readahead
  # backing_fmt=raw needs the format layer (format='raw'): with a bare https node QEMU 7.2 and
  # 10.0 fail with 'A block device must be specified for "file"'.
  ansible.builtin.command:
    argv: [qemu-img, create, -f, qcow2, -o, "backing_file={{ backing }},backing_fmt=raw", /tmp/overlay.qcow2]
  vars:
    backing: "{{ img | virt_uri.toolkit.qemu_drive_json(format='raw', escape_commas=true) }}"
    img: {protocol: https, server: {host: vsphere.example.com}, path: "/folder/test-flat.vmdk?dcPath=Datacenter",
          options: {sslverify: false, readahead: 64k, timeout: 10}}
"""

RETURN = r"""
_value:
  description: The C(json:{...}) string.
  type: str
  sample: "json:{\"driver\":\"nbd\",\"server\":{\"type\":\"inet\",\"host\":\"192.0.2.1\",\"port\":\"10809\"},\"export\":\"disk one\"}"
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_json_pseudo
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import each_spec, filter_errors


@filter_errors
@each_spec
def qemu_drive_json(spec, qemu_version=None, format=None, escape_commas=False):  # pylint: disable=redefined-builtin
    return render_json_pseudo(spec, qemu_version, fmt=format, escape_commas=escape_commas)


class FilterModule:
    def filters(self):
        return {"qemu_drive_json": qemu_drive_json}
