#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module: write all of one host's QEMU drive files, all or nothing."""

from __future__ import annotations

DOCUMENTATION = r"""
module: qemu_drive_files
short_description: Write a host's QEMU drive files (drives.args, blockdev.json, disk XML) all or nothing
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Writes the files the P(virt_uri.toolkit.qemu_drives_plan#filter) filter plans for one host
    (the P(virt_uri.toolkit.qemu_drives#role) role calls it once per host).
  - Every candidate is checked first, read back the way its consumer reads it - C(*.args) as
    pairs of C(-drive)/C(-blockdev) and their value (no option without a value, none given
    twice), C(*.json) as a JSON list of block nodes, C(disk-<dev>.xml) as one C(<disk>) element.
    If any file fails, or any directory cannot be created or written, nothing is written.
  - Each changed file is staged as a temporary file in its own directory, then renamed over the
    old one (readers see the old or the new file, never a mix); if a rename still fails, the files
    already renamed get their old text back.
  - Supports check mode and diff mode (one diff per file).
options:
  files:
    description: The files, each a mapping with C(path) (absolute) and C(content) (the full text).
    type: list
    elements: dict
    required: true
  mode:
    description:
      - Permissions of the files. An existing file keeps its own when V(null).
      - New files get this mode before their name appears (never briefly world-readable).
    type: raw
    default: "0640"
  owner:
    description: Owner of the files and of the directories created (default - the connecting user).
    type: str
  group:
    description: Group of the files and of the directories created.
    type: str
  dir_mode:
    description: Permissions of the directories the module creates (existing ones are left as they are).
    type: raw
    default: "0750"
  backup:
    description: Keep a timestamped copy of each file that is replaced.
    type: bool
    default: false
notes:
  - Files that are not in O(files) are never removed.
attributes:
  check_mode:
    description: Reports what would change (a diff per file) and writes nothing.
    support: full
  diff_mode:
    description: One diff per changed file, and one for changed attributes.
    support: full
"""

EXAMPLES = r"""
- name: Write this host's drive files (what the qemu_drives role does)
  virt_uri.toolkit.qemu_drive_files:
    files: "{{ {'qemu_drives_vms': vms} | virt_uri.toolkit.qemu_drives_plan }}"
    group: kvm

- name: One hand-made argument file
  virt_uri.toolkit.qemu_drive_files:
    files:
      - path: /etc/qemu-drives/vm1/drives.args
        content: "{{ ['-drive', disk | virt_uri.toolkit.qemu_drive_opts ~ ',if=virtio,id=drive0'] | join('\n') }}\n"
  vars:
    disk: {protocol: nbd, server: {host: 192.0.2.1}, export: vm1}
"""

RETURN = r"""
files:
  description: One entry per file - its path, whether it changed, and the backup made.
  returned: always
  type: list
  elements: dict
  sample: [{path: /etc/qemu-drives/vm1/drives.args, changed: true, content_changed: true}]
changed_files:
  description: The paths whose content or attributes changed (or would, in check mode).
  returned: always
  type: list
  elements: str
  sample: [/etc/qemu-drives/vm1/drives.args]
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet.drive_file_check import (
    DriveFileError, check_drive_file,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.host_files import (
    HostFileError, PlannedFile, read_existing, write_host_files,
)


def _octal_mode(value, default):
    """The mode a new file is created with; symbolic modes are applied afterwards by Ansible."""
    if isinstance(value, int):
        return value
    try:
        return int(str(value), 8)
    except (TypeError, ValueError):
        return default


def run_module():
    module = AnsibleModule(
        argument_spec=dict(
            files=dict(type="list", elements="dict", required=True),
            mode=dict(type="raw", default="0640"),
            owner=dict(type="str"),
            group=dict(type="str"),
            dir_mode=dict(type="raw", default="0750"),
            backup=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    params = module.params
    result = dict(changed=False, files=[], changed_files=[])
    errors = []
    seen = set()
    planned = []
    for index, item in enumerate(params["files"]):
        path, content = item.get("path"), item.get("content")
        try:
            check_drive_file(path, content)
        except DriveFileError as exc:
            errors.append("files[%d] %s: %s" % (index, path, exc))
            continue
        if path in seen:
            errors.append("files[%d] %s: given twice" % (index, path))
            continue
        seen.add(path)
        try:
            before = read_existing(path)
        except HostFileError as exc:
            errors.append("files[%d] %s" % (index, exc))
            continue
        planned.append(PlannedFile(
            os.path.normpath(path), content, before=before, mode=params["mode"], owner=params["owner"],
            group=params["group"], dir_mode=params["dir_mode"], dir_owner=params["owner"],
            dir_group=params["group"], new_file_mode=_octal_mode(params["mode"], 0o600)))
    if errors:
        module.fail_json(msg="nothing was written: %s" % "; ".join(errors), errors=errors, **result)
    try:
        written = write_host_files(module, planned, backup=params["backup"], create_dirs=True)
    except HostFileError as exc:
        module.fail_json(msg="nothing was written: %s" % exc, path=exc.path, **result)
    diffs = []
    for entry in written:
        diff = entry.pop("diff")
        attr_diff = entry.pop("attr_diff", None)
        if entry["content_changed"]:
            diffs.append(diff)
        if attr_diff:
            diffs.append(attr_diff)
        result["files"].append(entry)
        if entry["changed"]:
            result["changed_files"].append(entry["path"])
    result["changed"] = bool(result["changed_files"])
    if module._diff:  # pylint: disable=protected-access
        result["diff"] = diffs
    module.exit_json(**result)


def main():
    run_module()


if __name__ == "__main__":
    main()
