# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jinja test: a drive spec or drive string QEMU accepts."""

from __future__ import annotations

DOCUMENTATION = r"""
name: qemu_drive
short_description: Is this a valid QEMU network drive - a drive spec mapping or a drive string?
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - A mapping is a drive spec; it passes when P(virt_uri.toolkit.qemu_drive_opts#filter) renders
    it (the C(-drive) form carries every option, so nothing is refused as unexpressible).
  - A string passes when P(virt_uri.toolkit.qemu_drive_parse#filter) reads it - a URI, a legacy
    C(nbd:)/C(sheepdog:) string, a C(json:) filename, an option string or C(<disk>) XML.
  - Exactly the inputs those filters accept pass, with the same O(qemu_version) rules; the
    filters' error message says why a value fails. Anything else (a number, null, a list) fails.
    Use C(select) to test a list of drives.
options:
  _input:
    description: The drive spec (mapping) or drive string.
    type: raw
    required: true
  qemu_version:
    description: The QEMU version whose rules apply (for example sheepdog needs < 6.0).
    type: str
    default: '10.0'
seealso:
  - plugin: virt_uri.toolkit.qemu_drive_opts
    plugin_type: filter
  - plugin: virt_uri.toolkit.qemu_drive_parse
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Every drive of the host is valid for its QEMU
  ansible.builtin.assert:
    that:
      - drives | reject('virt_uri.toolkit.qemu_drive', qemu_version='7.2') | list == []

- name: A string read from an existing VM definition
  ansible.builtin.assert:
    that:
      - "'nbd://192.0.2.1:10809/disk' is virt_uri.toolkit.qemu_drive"
      - "'nbd://192.0.2.1:10809/disk?x=1' is not virt_uri.toolkit.qemu_drive"
      - "{'protocol': 'sheepdog', 'server': {'host': '192.0.2.3'}, 'vdi': 'v'} is not virt_uri.toolkit.qemu_drive(qemu_version='10.0')"
"""

RETURN = r"""
_value:
  description: Whether the value is a drive the filters accept.
  type: bool
  sample: true
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_opts
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.jinja_test import accepts


def qemu_drive(value, qemu_version=None):
    if isinstance(value, str):
        return accepts(parse_drive, value, qemu_version)
    if isinstance(value, dict):
        return accepts(render_opts, value, qemu_version)
    return False


class TestModule:
    def tests(self):
        return {"qemu_drive": qemu_drive}
