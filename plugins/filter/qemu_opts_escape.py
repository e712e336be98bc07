# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: string -> QemuOpts-safe value."""

from __future__ import annotations

DOCUMENTATION = r"""
name: qemu_opts_escape
short_description: Make a string safe as one QemuOpts option value (double the commas)
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - In QEMU's C(-drive), C(-object), C(--image-opts) and C(-o) option strings a single comma ends a
    value and C(,,) stands for one literal comma. This filter doubles every comma, so the value is
    read back exactly, whatever it contains.
  - Only values are escaped; option names cannot be, so never build a name from user input.
options:
  _input:
    description: The value (a string; numbers are turned into text).
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: A drive whose URI contains commas
  ansible.builtin.debug:
    msg: "-drive file={{ 'https://192.0.2.1/a,b.img' | virt_uri.toolkit.qemu_opts_escape }},format=raw"
  # -drive file=https://192.0.2.1/a,,b.img,format=raw
"""

RETURN = r"""
_value:
  description: The escaped value.
  type: str
  sample: "https://192.0.2.1/a,,b.img"
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.qemu_opts import escape_opt_value
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import filter_errors


@filter_errors
def qemu_opts_escape(value):
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise SpecError("value", value, "expected a string (or a number)")
    text = str(value)
    if "\x00" in text:
        raise SpecError("value", value, "NUL cannot be passed on a QEMU command line")
    return escape_opt_value(text)


class FilterModule:
    def filters(self):
        return {"qemu_opts_escape": qemu_opts_escape}
