# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: string or argument list -> quoted systemd ExecStart= words."""

from __future__ import annotations

DOCUMENTATION = r"""
name: systemd_exec_arg
short_description: Quote drive strings (or a whole command) for a systemd ExecStart= line
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - >-
    systemd resolves unit specifiers (C(%n), C(%i), ...) in C(ExecStart=) before it splits the
    line, so a C(%20) in a URI makes the unit fail to load; it then decodes C-style escapes and
    quotes, and replaces C($NAME) from the environment when it starts the program.
  - >-
    This filter writes one argument so that the program receives exactly the given string,
    wrapped in double quotes, C(%) as C(%%), C($) as C($$), C(\) and C(") escaped, control
    characters as C escapes.
  - >-
    Given a list, every item is quoted and the words are joined with spaces, the whole value
    of C(ExecStart=) (the program first; a C($) in the program path stays single, since systemd
    does not expand variables there).
  - >-
    Use it on the finished argument, after the drive filters, and let nothing change the value
    after it (C(ansible.builtin.template) writes it as it is).
options:
  _input:
    description: One argument (a string; numbers are turned into text), or a list of arguments.
    type: raw
    required: true
seealso:
  - name: systemd.service(5), Command lines
    description: How systemd splits and expands C(ExecStart=).
    link: https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html#Command%20lines
"""

EXAMPLES = r"""
- name: A unit that serves an NBD drive whose URI has an escaped space
  ansible.builtin.copy:
    dest: /etc/systemd/system/vm1.service
    mode: "0644"
    content: |
      [Service]
      ExecStart={{ ['/usr/bin/qemu-system-x86_64',
                    '-drive', (disk | virt_uri.toolkit.qemu_drive_opts) ~ ',if=virtio']
                   | virt_uri.toolkit.systemd_exec_arg }}
  vars:
    disk: {protocol: nbd, server: {host: 192.0.2.1}, export: disk one}

- name: One argument
  ansible.builtin.debug:
    msg: "{{ 'nbd://192.0.2.1/disk%20one' | virt_uri.toolkit.systemd_exec_arg }}"
  # "nbd://192.0.2.1/disk%%20one"
"""

RETURN = r"""
_value:
  description: The quoted argument, or the quoted words joined by spaces for a list.
  type: str
  sample: '"nbd://192.0.2.1/disk%%20one"'
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.systemd_exec import quote_exec_arg, quote_exec_line
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import filter_errors, is_spec_list


@filter_errors
def systemd_exec_arg(value):
    if is_spec_list(value):
        return quote_exec_line(list(value))
    return quote_exec_arg(value)


class FilterModule:
    def filters(self):
        return {"systemd_exec_arg": systemd_exec_arg}
