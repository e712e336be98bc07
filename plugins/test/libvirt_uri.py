# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jinja test: a connection URI libvirt accepts."""

from __future__ import annotations

DOCUMENTATION = r"""
name: libvirt_uri
short_description: Is this a connection URI libvirt accepts?
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Passes exactly when P(virt_uri.toolkit.libvirt_uri_parse#filter) accepts the string with the
    same O(validate) - libvirt's C(virURIParse), and by default the checks libvirt makes when
    it opens the URI (a driver name, a known transport, parameter values such as
    C(no_verify=1)); the filter's error says why a value fails.
  - An alias name is not a URI (libvirt only resolves it through C(uri_aliases)); see
    P(virt_uri.toolkit.libvirt_alias_name#test).
options:
  _input:
    description: The URI.
    type: raw
    required: true
  validate:
    description: Apply libvirt's open-time checks, as the filter's option of that name.
    type: bool
    default: true
seealso:
  - plugin: virt_uri.toolkit.libvirt_uri_parse
    plugin_type: filter
"""

EXAMPLES = r"""
- name: The URIs of a change under review
  ansible.builtin.assert:
    that:
      - "'qemu+ssh://root@192.0.2.7/system' is virt_uri.toolkit.libvirt_uri"
      - "'qemu://system' is not virt_uri.toolkit.libvirt_uri"
      - "'qemu+tcp://192.0.2.7/system?no_verify=yes' is not virt_uri.toolkit.libvirt_uri"
"""

RETURN = r"""
_value:
  description: Whether libvirt accepts the URI.
  type: bool
  sample: true
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri import parse_libvirt_uri
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.jinja_test import accepts


def libvirt_uri(value, validate=True):
    return isinstance(value, str) and accepts(parse_libvirt_uri, value, validate=validate)


class TestModule:
    def tests(self):
        return {"libvirt_uri": libvirt_uri}
