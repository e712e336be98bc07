# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jinja test: a name libvirt accepts in uri_aliases."""

from __future__ import annotations

DOCUMENTATION = r"""
name: libvirt_alias_name
short_description: Is this a name libvirt accepts for a URI alias?
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Passes exactly when P(virt_uri.toolkit.libvirt_uri_aliases#filter) accepts it as an alias
    name - one or more of C(a-z), C(A-Z), C(0-9), C(_) and C(-) (C(viruri.c) C(URI_ALIAS_CHARS));
    libvirt fails every connection when an entry before the match has another name.
  - Names are case-sensitive in libvirt (C(Hail) does not match C(hail)).
options:
  _input:
    description: The alias name.
    type: raw
    required: true
seealso:
  - plugin: virt_uri.toolkit.libvirt_uri_aliases
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Names of the aliases a change adds
  ansible.builtin.assert:
    that:
      - "'hail-2_b' is virt_uri.toolkit.libvirt_alias_name"
      - "'hail.example' is not virt_uri.toolkit.libvirt_alias_name"
"""

RETURN = r"""
_value:
  description: Whether libvirt accepts the name.
  type: bool
  sample: true
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.aliases import validate_alias_name
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.jinja_test import accepts


def libvirt_alias_name(value):
    return accepts(validate_alias_name, value)


class TestModule:
    def tests(self):
        return {"libvirt_alias_name": libvirt_alias_name}
