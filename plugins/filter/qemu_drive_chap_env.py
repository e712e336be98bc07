# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: iSCSI spec with credentials=env -> LIBISCSI_CHAP_* environment."""

from __future__ import annotations

DOCUMENTATION = r"""
name: qemu_drive_chap_env
short_description: The LIBISCSI_CHAP_USERNAME / LIBISCSI_CHAP_PASSWORD environment for an iSCSI drive
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - For an iSCSI spec with C(credentials=env), returns the environment libiscsi reads the CHAP
    user and password from, so the URI itself carries no secret.
  - Use it in a task's C(environment:) with C(no_log) where output could show it.
extends_documentation_fragment:
  - virt_uri.toolkit.drive_spec
"""

EXAMPLES = r"""
- name: Open an iSCSI LUN with CHAP from the environment
  ansible.builtin.command:
    argv: [qemu-img, info, "{{ lun | virt_uri.toolkit.qemu_drive_uri }}"]
  environment: "{{ lun | virt_uri.toolkit.qemu_drive_chap_env }}"
  no_log: true
  vars:
    lun: {protocol: iscsi, server: {host: 192.0.2.1}, target: 'iqn.2001-04.com.example', lun: 1,
          user: user, password: "{{ vault_chap_password }}", credentials: env}
"""

RETURN = r"""
_value:
  description: C({LIBISCSI_CHAP_USERNAME, LIBISCSI_CHAP_PASSWORD}).
  type: dict
  sample: {"LIBISCSI_CHAP_USERNAME": "chap", "LIBISCSI_CHAP_PASSWORD": "<password>"}
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_chap_env
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import each_spec, filter_errors


@filter_errors
@each_spec
def qemu_drive_chap_env(spec, qemu_version=None):
    return render_chap_env(spec, qemu_version)


class FilterModule:
    def filters(self):
        return {"qemu_drive_chap_env": qemu_drive_chap_env}
