# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: drive spec -> QEMU URI."""

from __future__ import annotations

DOCUMENTATION = r"""
name: qemu_drive_uri
short_description: Render a drive spec as the URI QEMU reads
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Renders one drive spec (see O(_input)) as the filename URI that C(qemu-img) and C(-drive file=) read,
    e.g. C(nbd://host:port/export), C(nbd+unix:///export?socket=/path), C(iscsi://host/iqn/lun),
    C(ssh://user@host/path), C(gluster://host/volume/path), C(gluster+unix:/volume/path?socket=),
    C(sheepdog://host:port/vdi#tag), C(https://host/path?query), C(nfs://host/export/file?uid=0).
  - With O(syntax=legacy), the legacy C(nbd:host:port[:exportname=]) / C(nbd:unix:path),
    C(sheepdog:host:port:vdi[:snap]) and C(rbd:pool[/namespace]/image[@snap][:id=...]) strings
    (RBD has only the legacy form).
  - Options a URI cannot carry (TLS, timeouts, secrets, gluster debug) fail the task unless
    O(on_unexpressible=omit); use P(virt_uri.toolkit.qemu_drive_opts#filter) or
    P(virt_uri.toolkit.qemu_blockdev#filter) to keep them.
  - Default ports are left out of the URI; IPv6 hosts are bracketed; the export, path and target are
    percent-encoded so that QEMU decodes them back to the same text.
  - Inside a C(-drive) option string the URI's commas must be doubled; use
    P(virt_uri.toolkit.qemu_opts_escape#filter).
  - Also takes a list of drive specs and returns a list of results, in order (an error names the
    item's index). Inside a template, one call for the whole list (C(drives | virt_uri.toolkit.qemu_drive_uri))
    is the fastest way to render many drives - see the collection's C(benchmarks/README.md).
extends_documentation_fragment:
  - virt_uri.toolkit.drive_spec
options:
  _input:
    # The description (the drive spec keys) comes from the drive_spec fragment; a list is also accepted.
    type: raw
  syntax:
    description: V(uri), or V(legacy) for the old C(nbd:) and C(sheepdog:) strings and the C(rbd:) string.
    type: str
    default: uri
    choices: [uri, legacy]
  on_unexpressible:
    description:
      - What to do with spec fields a URI cannot carry.
      - V(fail) raises an error naming them; V(omit) leaves them out, knowingly.
    type: str
    default: fail
    choices: [fail, omit]
"""

EXAMPLES = r"""
- name: NBD over TCP
  ansible.builtin.debug:
    msg: "{{ {'protocol': 'nbd', 'server': {'host': '192.0.2.1', 'port': 30000}, 'export': 'disk one'} | virt_uri.toolkit.qemu_drive_uri }}"
  # nbd://192.0.2.1:30000/disk%20one

- name: NBD over a Unix socket, legacy syntax
  ansible.builtin.debug:
    msg: "{{ {'protocol': 'nbd', 'server': {'socket': '/tmp/nbd-socket'}} | virt_uri.toolkit.qemu_drive_uri(syntax='legacy') }}"
  # nbd:unix:/tmp/nbd-socket

- name: iSCSI LUN with CHAP credentials inline (only when asked for)
  ansible.builtin.debug:
    msg: "{{ lun | virt_uri.toolkit.qemu_drive_uri }}"
  vars:
    lun: {protocol: iscsi, server: {host: 192.0.2.1}, target: 'iqn.2001-04.com.example', lun: 1,
          user: user, password: password, credentials: inline}
  # iscsi://user%password@192.0.2.1/iqn.2001-04.com.example/1
"""

RETURN = r"""
_value:
  description: The URI (or legacy string); a list of them for a list input.
  type: raw
  sample: "nbd://192.0.2.1/disk%20one"
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_uri
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import each_spec, filter_errors


@filter_errors
@each_spec
def qemu_drive_uri(spec, qemu_version=None, syntax="uri", on_unexpressible="fail"):
    return render_uri(spec, qemu_version, syntax=syntax, on_unexpressible=on_unexpressible)


class FilterModule:
    def filters(self):
        return {"qemu_drive_uri": qemu_drive_uri}
