# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: the qemu_drives role's variables -> the host's drive files."""

from __future__ import annotations

DOCUMENTATION = r"""
name: qemu_drives_plan
short_description: Plan one host's QEMU drive files from the qemu_drives role's variables
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Takes a mapping of the P(virt_uri.toolkit.qemu_drives#role) role's variables
    (C(qemu_drives_vms), C(qemu_drives_forms), ...; missing ones take the role's defaults) and
    returns the files to write, as P(virt_uri.toolkit.qemu_drive_files#module) takes them.
  - Every drive is rendered by the collection's drive core (the code behind
    P(virt_uri.toolkit.qemu_drive_opts#filter), P(virt_uri.toolkit.qemu_blockdev#filter) and
    P(virt_uri.toolkit.libvirt_disk_xml#filter)); C(interface) must be one of QEMU's C(-drive if=)
    values, C(node_name) a QEMU node name, C(format) a QEMU image format.
  - Drives without C(target_dev) take the first free name of their bus (C(vda)..C(vdz),
    C(vdaa)..), counted as libvirt counts them, skipping names other drives of the VM give.
  - All checks run; the error lists one line per failed check, naming the variable, the VM and
    drive (C(qemu_drives_vms[1] (vm2) drive 0)), then the field, its value and what is accepted.
  - Keys of the mapping that start with C(qemu_drives_) but are not the role's variables are
    reported as a warning (an error with C(qemu_drives_strict_variables=true)); names starting
    with C(qemu_drives__) are the role's own.
options:
  _input:
    description: Mapping of the role's variable names to their values.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Plan and write (what the role does)
  virt_uri.toolkit.qemu_drive_files:
    files: "{{ {'qemu_drives_vms': [{'name': 'vm1', 'drives': [disk]}]} | virt_uri.toolkit.qemu_drives_plan }}"
  vars:
    disk: {protocol: nbd, server: {host: 192.0.2.1}, export: vm1}
"""

RETURN = r"""
_value:
  description: The files - a list of mappings with C(path) and C(content), in VM and drive order.
  type: list
  elements: dict
  sample:
    - path: /etc/qemu-drives/vm1/drives.args
      content: "-drive\ndriver=raw,file.driver=nbd,file.server.type=inet,file.server.host=192.0.2.1,file.server.port=10809,\
        file.export=disk one,if=virtio,id=drive0\n"
"""

from ansible.errors import AnsibleFilterError
from ansible.utils.display import Display

from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet.drive_files import (
    PlanError, plan_drive_files, with_guess,
)


def qemu_drives_plan(role_vars):
    if not hasattr(role_vars, "keys"):
        raise AnsibleFilterError("qemu_drives_plan: expected a mapping of qemu_drives_* variables")
    try:
        plan = plan_drive_files(role_vars)
    except PlanError as exc:
        raise AnsibleFilterError("qemu_drives: %d problem%s, nothing was written:\n%s" % (
            len(exc.messages), "" if len(exc.messages) == 1 else "s", exc)) from exc
    if plan["unknown_variables"]:
        Display().warning("qemu_drives: unknown variables ignored: %s (ansible-doc -t role "
                          "virt_uri.toolkit.qemu_drives lists the role's; qemu_drives_strict_variables: "
                          "true makes this an error)" % ", ".join(
                              with_guess(name) for name in plan["unknown_variables"]))
    return plan["files"]


class FilterModule:
    def filters(self):
        return {"qemu_drives_plan": qemu_drives_plan}
