# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: connection spec -> libvirt connection URI."""

from __future__ import annotations

DOCUMENTATION = r"""
name: libvirt_remote_uri
short_description: Build a libvirt connection URI that libvirt reads back exactly
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Renders C(driver[+transport]://[user@]host[:port]/path[?params]) from a mapping, with the
    checks libvirt makes when it opens the URI (C(virsh -c URI)), worded like libvirt's errors.
  - IPv6 hosts are put in brackets (a zone such as C(fe80::1%eth0) is written C(%25eth0)); the
    user, path and parameter values are percent-encoded so that libvirt decodes them back to the
    given text; the result is parsed back the way libvirt 9.0 (libxml2 2.9.14) parses it and must
    give the same fields.
  - Remote-driver parameters are checked for the transport that uses them (C(keyfile) with
    ssh/libssh/libssh2, C(pkipath) with tls, ...), C(no_verify)/C(no_tty)/C(no_sanity) must be
    integers (true/false are written 1/0), C(sshauth) a list of C(agent), C(privkey),
    C(password), C(keyboard-interactive); C(+ext) needs C(command); C(+unix) takes no host;
    esx/gsx/vpx/hyperv need a host and take no C(+transport).
  - C(qemu://system) is refused with the hint C(did you mean qemu:///system).
  - The inverse is P(virt_uri.toolkit.libvirt_uri_parse#filter).
options:
  _input:
    description:
      - The connection spec, or a list of connection specs.
      - Given a list, returns a list of URIs in the same order (one filter call for the whole list
        is the fastest way to render many URIs inside a template; an error names the item's index).
    type: raw
    required: true
    suboptions:
      driver:
        description: Driver scheme, case-sensitive (C(qemu), C(xen), C(lxc), C(test), C(vbox), C(ch), C(bhyve), C(vz), C(esx), C(hyperv), C(remote), ...).
        type: str
        required: true
      transport:
        description: Remote transport; null for none (then a host means tls and no host means unix).
        type: str
        choices: [tls, unix, ssh, libssh2, libssh, ext, tcp]
      user:
        description: User name (any characters; percent-encoded). A C(:) is refused unless O(allow_password).
        type: str
      password:
        description: Only with O(allow_password=true); written as C(user:password@). Never shown in errors.
        type: str
      host:
        description: Host name, IPv4 or IPv6 address (with or without brackets); null for a local URI.
        type: str
      port:
        description: Port 1-65535; null or 0 for the transport's default (tls 16514, tcp 16509, ssh 22).
        type: int
      path:
        description: Decoded path, e.g. C(/system), C(/session), C(/embed) (with C(root) param), C(/default).
        type: str
      params:
        description:
          - Query parameters, a mapping name -> value, or a list of C([name, value]) pairs to keep
            an order or repeat a name. Values may be strings, integers, booleans (integer params)
            or, for C(sshauth), a list.
        type: raw
      fragment:
        description: URI fragment (ignored by the drivers).
        type: str
  allow_password:
    description: Permit C(user:password@) in the URI.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: qemu over ssh with a key and no host key check
  ansible.builtin.debug:
    msg: "{{ conn | virt_uri.toolkit.libvirt_remote_uri }}"
  vars:
    conn:
      driver: qemu
      transport: ssh
      user: root
      host: hail.example.com
      port: 2222
      path: /system
      params: {keyfile: /root/.ssh/id_ed25519, no_verify: true}
  # -> qemu+ssh://root@hail.example.com:2222/system?keyfile=%2Froot%2F.ssh%2Fid_ed25519&no_verify=1

- name: local daemon on a custom socket
  ansible.builtin.debug:
    msg: "{{ {'driver': 'qemu', 'transport': 'unix', 'path': '/system', 'params': {'socket': '/run/my sock'}} | virt_uri.toolkit.libvirt_remote_uri }}"
  # -> qemu+unix:///system?socket=%2Frun%2Fmy%20sock
"""

RETURN = r"""
_value:
  description: The connection URI; a list of them for a list input.
  type: raw
  sample: "qemu+ssh://root@hv1.example.com/system?keyfile=%2Froot%2F.ssh%2Fid_ed25519"
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri import render_libvirt_uri
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import each_spec, filter_errors


@filter_errors
@each_spec
def libvirt_remote_uri(spec, allow_password=False):
    return render_libvirt_uri(spec, allow_password=allow_password)


class FilterModule:
    def filters(self):
        return {"libvirt_remote_uri": libvirt_remote_uri}
