# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: alias mapping -> validated uri_aliases list."""

from __future__ import annotations

DOCUMENTATION = r"""
name: libvirt_uri_aliases
short_description: Validate libvirt URI aliases and return the uri_aliases list for libvirt.conf
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Turns a mapping C(alias -> URI) (or a list of C(alias=uri) strings) into the list of
    C(alias=uri) strings libvirt reads from C(uri_aliases), in the given order.
  - Alias names may only contain C(a-Z, 0-9, _, -), as libvirt requires; every value must be a
    libvirt URI that libvirt can open (checked like P(virt_uri.toolkit.libvirt_uri_parse#filter));
    a value may also be a connection mapping, rendered with
    P(virt_uri.toolkit.libvirt_remote_uri#filter).
  - Duplicate names are refused (libvirt silently takes the first), and so is a value naming
    another alias, because libvirt does not resolve aliases recursively.
options:
  _input:
    description: Mapping alias -> URI string or connection mapping, or a list of C(alias=uri) strings.
    type: raw
    required: true
  allow_password:
    description:
      - Accept a URI carrying C(user:password@). By default it is refused, since the password would
        be written in clear to libvirt.conf (libvirt asks for passwords through its auth callback or
        C(authfile=)).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Aliases for the client config
  ansible.builtin.debug:
    msg: "{{ aliases | virt_uri.toolkit.libvirt_uri_aliases }}"
  vars:
    aliases:
      hail: qemu+ssh://root@hail.cloud.example.com/system
      sleet: {driver: qemu, transport: ssh, user: root, host: sleet.cloud.example.com, path: /system}
  # -> ["hail=qemu+ssh://root@hail.cloud.example.com/system",
  #     "sleet=qemu+ssh://root@sleet.cloud.example.com/system"]
"""

RETURN = r"""
_value:
  description: The C(alias=uri) strings, ready for C(uri_aliases = [ ... ]).
  type: list
  elements: str
  sample: ["hv1=qemu+ssh://root@hv1.example.com/system", "local=qemu:///system"]
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.aliases import validate_uri_aliases
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import filter_errors


@filter_errors
def libvirt_uri_aliases(aliases, allow_password=False):
    return validate_uri_aliases(aliases, allow_password=allow_password)


class FilterModule:
    def filters(self):
        return {"libvirt_uri_aliases": libvirt_uri_aliases}
