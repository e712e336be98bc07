# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lookup adapter: the URI a libvirt client on the controller would connect to."""

from __future__ import annotations

DOCUMENTATION = r"""
name: libvirt_default_uri
short_description: The URI a libvirt client would open, resolved in libvirt's own order
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Resolves like C(virConnectOpen) on the controller, for the user running Ansible.
    First libvirt.conf is read - C(/etc/libvirt/libvirt.conf) when the effective uid is 0, else
    C($XDG_CONFIG_HOME/libvirt/libvirt.conf) (falling back to C(~/.config/libvirt/libvirt.conf));
    a syntax error there fails, as it fails every libvirt connection.
  - Then an explicit term wins; else C(LIBVIRT_DEFAULT_URI) when non-empty; else C(uri_default)
    from that file; else the local daemon socket is probed the way the remote driver does it
    with no URI - C(/var/run/libvirt/libvirt-sock) for root, the session socket under
    C($XDG_RUNTIME_DIR/libvirt) (or C($XDG_CACHE_HOME/libvirt), C(~/.cache/libvirt)) for other
    users, who get C(libvirtd) autostarted when it is missing - and the answer of the daemon
    behind it is predicted from the files on the controller (a running C(libvirtd)'s own
    C(LIBVIRT_DEFAULT_URI) and C(uri_default), read through its pid file and
    C(/proc/PID/environ), before its driver modules; see
    M(virt_uri.toolkit.libvirt_client_info) for the same resolution on each host).
  - C(uri_aliases) are applied to the result whatever its origin - first match, case-sensitive,
    no recursion; a malformed entry met before the match is an error, as in libvirt.
  - The answer is the URI as C(virsh uri) prints it.
  - A warning is shown when the deprecated C(VIRSH_DEFAULT_CONNECT_URI) is set (only virsh reads it).
  - When no URI can be resolved the error lists every step taken - the libvirt.conf read (or
    missing), C(LIBVIRT_DEFAULT_URI), C(uri_default), each socket and daemon binary looked at.
  - The lookup runs on the controller, as the user running Ansible, with the controller's
    environment; a task's C(environment:) does not reach it. Use
    M(virt_uri.toolkit.libvirt_client_info) for a host's answer.
options:
  _terms:
    description: Optional name to resolve instead of the default (like C(virsh -c NAME)), e.g. an alias.
    type: list
    elements: str
    required: false
  config:
    description: Read this libvirt.conf instead of the one libvirt would pick.
    type: path
  no_aliases:
    description: Do not apply C(uri_aliases) (C(VIR_CONNECT_NO_ALIASES)).
    type: bool
    default: false
  probe:
    description: Probe local daemon sockets when neither the environment nor C(uri_default) gives a URI.
    type: bool
    default: true
  steps:
    description:
      - Return a mapping describing the resolution instead of the URI string (see RV(_raw)).
      - Failures are errors whatever this option says; their message carries the same steps.
    type: bool
    default: false
seealso:
  - module: virt_uri.toolkit.libvirt_client_info
    description: The same resolution run on the target host, for several users.
"""

EXAMPLES = r"""
- name: Which hypervisor will virsh talk to?
  ansible.builtin.debug:
    msg: "{{ lookup('virt_uri.toolkit.libvirt_default_uri') }}"

- name: Resolve an alias, and show where the answer came from
  ansible.builtin.debug:
    msg: "{{ lookup('virt_uri.toolkit.libvirt_default_uri', 'hail', steps=true) }}"
"""

RETURN = r"""
_raw:
  description:
    - One element - the URI string as C(virsh uri) prints it.
    - With O(steps=true) a mapping with the keys below instead.
  type: list
  elements: raw
  sample: ["qemu:///system"]
  contains:
    uri:
      description: The URI as C(virsh uri) prints it (re-formatted by libvirt's rules).
      type: str
      sample: qemu+ssh://root@hail.example.com/system
    raw:
      description: The string before re-formatting (after alias expansion).
      type: str
      sample: qemu+ssh://root@hail.example.com/system
    source:
      description: Where the string came from.
      type: str
      choices: [name, LIBVIRT_DEFAULT_URI, uri_default, probe]
      sample: name
    config:
      description: The libvirt.conf that was (or would have been) read.
      type: str
      sample: /home/ops/.config/libvirt/libvirt.conf
    steps:
      description:
        - What was looked at, in order. Each item has C(step) (V(config), V(legacy),
          V(LIBVIRT_DEFAULT_URI), V(uri_default), V(probe), V(name), V(alias), V(aliases)),
          C(result) (a sentence) and, for files and sockets, C(path).
      type: list
      elements: dict
      sample:
        - {step: config, path: /home/ops/.config/libvirt/libvirt.conf,
           result: /home/ops/.config/libvirt/libvirt.conf loaded}
        - {step: name, result: hail}
        - {step: alias, result: hail=qemu+ssh://root@hail.example.com/system}
    warnings:
      description: Things worth knowing that did not change the answer (C(VIRSH_DEFAULT_CONNECT_URI) set).
      type: list
      elements: str
      sample: []
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.default_uri import resolve_default_uri
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import CoreBugError, internal_error_message

display = Display()


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        if len(terms) > 1:
            raise AnsibleLookupError("libvirt_default_uri: at most one name, got %d" % len(terms))
        name = terms[0] if terms else None
        try:
            result = resolve_default_uri(
                name=name,
                config_path=self.get_option("config"),
                no_aliases=self.get_option("no_aliases"),
                probe=self.get_option("probe"),
            )
        except SpecError as exc:
            raise AnsibleLookupError("libvirt_default_uri: %s" % exc) from exc
        except Exception as exc:  # pylint: disable=broad-exception-caught
            raise CoreBugError(internal_error_message("libvirt_default_uri", exc)) from exc
        for warning in result["warnings"]:
            display.warning(warning)
        return [result if self.get_option("steps") else result["uri"]]
