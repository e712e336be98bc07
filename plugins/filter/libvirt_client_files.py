# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: the libvirt_client role's variables -> the files its one module call writes."""

from __future__ import annotations

DOCUMENTATION = r"""
name: libvirt_client_files
short_description: Plan the libvirt.conf files of one host from the libvirt_client role's variables
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - The planning step of the P(virt_uri.toolkit.libvirt_client#role) role, as a filter so that
    the role needs one module call per host. Takes every C(libvirt_client_*) variable the host
    sees (name -> value) and returns the O(virt_uri.toolkit.libvirt_conf#module:files) list for
    the P(virt_uri.toolkit.libvirt_conf#module) module - the system file and one file per user
    in C(libvirt_client_users) - with the aliases of C(libvirt_client_uri_aliases),
    C(libvirt_client_uri_aliases__<suffix>) (sorted by name) and C(libvirt_client_uri_aliases_host)
    merged in that order.
  - Every value is validated with the module's rules; an error names the role variable.
  - A C(libvirt_client_*) variable the role does not know (a typo such as
    C(libvirt_client_uri_alias)) gives a warning naming it, or an error when
    C(libvirt_client_strict_vars) is true.
options:
  _input:
    description: Mapping of role variable name to value (C(libvirt_client_*)).
    type: dict
    required: true
  passwd:
    description:
      - The C(getent_passwd) facts, for users given without home or group. Optional; without an
        entry a user's file is planned with C(path=null) and C(user) set, and the
        M(virt_uri.toolkit.libvirt_conf) module finds the home directory and primary group in
        the host's own passwd database.
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: The files the role would write on this host
  ansible.builtin.debug:
    msg: "{{ dict(names | zip(query('ansible.builtin.vars', *names))) | virt_uri.toolkit.libvirt_client_files }}"
  vars:
    names: "{{ query('ansible.builtin.varnames', '^libvirt_client_(?!_|result$)') }}"
"""

RETURN = r"""
_value:
  description:
    - One item per file - C(path), C(user), C(settings), C(mode), C(owner), C(group), C(create_owner), C(create_group).
    - C(path) is null, and C(user) names the user, for a user's file whose home directory the host looks up.
  type: list
  elements: dict
  sample:
    - path: /etc/libvirt/libvirt.conf
      user: null
      settings:
        uri_aliases: ["hv1=qemu+ssh://root@hv1.example.com/system", "local=qemu:///system"]
        uri_default: local
      mode: null
      owner: null
      group: null
      create_owner: null
      create_group: null
"""

from ansible.errors import AnsibleFilterError
from ansible.utils.display import Display

from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet.client_files import plan_client_files
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import filter_errors

display = Display()


@filter_errors
def plan(role_vars, passwd=None):
    return plan_client_files(role_vars, passwd or {})


def libvirt_client_files(role_vars, passwd=None):
    planned = plan(role_vars, passwd)
    unknown = planned["unknown_variables"]
    if unknown:
        text = ("libvirt_client: unknown variables %s are ignored (misspelt? see "
                "ansible-doc -t role virt_uri.toolkit.libvirt_client)" % ", ".join(unknown))
        if role_vars.get("libvirt_client_strict_vars"):
            raise AnsibleFilterError("libvirt_client_files: %s; libvirt_client_strict_vars is true"
                                     % text)
        display.warning(text)
    return planned["files"]


class FilterModule:
    def filters(self):
        return {"libvirt_client_files": libvirt_client_files}
