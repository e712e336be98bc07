# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: libvirt connection URI -> connection spec."""

from __future__ import annotations

DOCUMENTATION = r"""
name: libvirt_uri_parse
short_description: Split a libvirt connection URI into driver, transport, user, host, port, path and params
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Parses the URI exactly as libvirt's C(virURIParse) does (with the RFC 3986 parser of libxml2) - IPv6
    brackets removed, the whole userinfo percent-decoded into C(user), the path decoded.
  - Query parameters follow C(virURIParseParams) - split on C(&), on C(;) only when no C(&)
    remains, decoded once, C(=value) dropped, order and duplicates kept (with O(ordered)).
  - With O(validate) (default) the checks libvirt makes when opening are applied too, so the
    result can be given to P(virt_uri.toolkit.libvirt_remote_uri#filter) to get an equivalent URI.
options:
  _input:
    description: The URI.
    type: str
    required: true
  validate:
    description: Apply libvirt's open-time checks (known driver and transport, parameter values).
    type: bool
    default: true
  ordered:
    description: Return C(params) as a list of C([name, value]) pairs in URI order, duplicates included.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Where does this alias point?
  ansible.builtin.debug:
    msg: "{{ 'qemu+ssh://root@[::1]:2222/system?keyfile=/k&no_verify=1' | virt_uri.toolkit.libvirt_uri_parse }}"
  # -> {driver: qemu, transport: ssh, user: root, host: '::1', port: 2222, path: /system,
  #     params: {keyfile: /k, no_verify: '1'}, fragment: null}
"""

RETURN = r"""
_value:
  description: The connection spec.
  type: dict
  sample: {"driver": "qemu", "transport": "ssh", "user": "root", "host": "hv1.example.com", "port": 2222,
           "path": "/system", "params": {"keyfile": "/root/.ssh/id_ed25519"}, "fragment": null}
  contains:
    driver: {description: Driver part of the scheme (case kept)., type: str, sample: qemu}
    transport: {description: "Transport lower-cased, null without C(+transport).", type: str, sample: ssh}
    user: {description: "Decoded user, null when absent.", type: str, sample: root}
    host: {description: "Host without brackets, null when absent.", type: str, sample: hv1.example.com}
    port: {description: "Port, null when absent or 0.", type: int, sample: 2222}
    path: {description: "Decoded path, empty when absent.", type: str, sample: /system}
    params: {description: "Mapping (last occurrence wins), or list of [name, value] with O(ordered).", type: raw,
             sample: {"keyfile": "/root/.ssh/id_ed25519"}}
    fragment: {description: Decoded fragment or null., type: str, sample: null}
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri import parse_libvirt_uri
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import filter_errors


@filter_errors
def libvirt_uri_parse(uri, validate=True, ordered=False):
    return parse_libvirt_uri(uri, validate=validate, ordered=ordered)


class FilterModule:
    def filters(self):
        return {"libvirt_uri_parse": libvirt_uri_parse}
