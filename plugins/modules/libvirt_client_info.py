#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module: what libvirt's client on the target sees, per user (read-only)."""

from __future__ import annotations

DOCUMENTATION = r"""
module: libvirt_client_info
short_description: The libvirt.conf, aliases and default URI a libvirt client on the host sees, per user
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Runs on the target host and reports, for the connection user (the user the module runs
    as, after C(become)) and for each user in O(users), what a libvirt client of that user
    would see there - the answer C(virsh uri) gives on that host as that user.
  - The libvirt.conf libvirt reads for the user - C(/etc/libvirt/libvirt.conf) for root (never
    the XDG file); C($XDG_CONFIG_HOME/libvirt/libvirt.conf), falling back to
    C($HOME/.config/libvirt/libvirt.conf), for any other user - with its parsed settings and
    aliases.
  - The effective default URI with its source and the steps that led to it - the task
    environment's C(LIBVIRT_DEFAULT_URI) (non-empty), else C(uri_default), else the socket
    probe, with C(uri_aliases) applied to whatever came out - the resolution of the
    P(virt_uri.toolkit.libvirt_default_uri#lookup) lookup, run on the host.
  - The socket probe is the remote driver's with no URI - C(/var/run/libvirt/libvirt-sock) for
    root, C(libvirt-sock) under C($XDG_RUNTIME_DIR/libvirt) (else C($XDG_CACHE_HOME/libvirt),
    C(~/.cache/libvirt)) for other users, for whom a missing socket means C(libvirtd) is
    autostarted unless C(LIBVIRT_AUTOSTART=0). The daemon's answer is predicted from the
    files on the host - virtproxyd's probe of the modular sockets (C(virtqemud-sock),
    C(virtlxcd-sock), ...) or, for the monolithic C(libvirtd), the first hypervisor driver
    module installed (libxl, qemu, lxc, vbox). A running C(libvirtd) opens the URI itself, so
    its own C(LIBVIRT_DEFAULT_URI) and the C(uri_default) of its own libvirt.conf (after its
    aliases) come first - read from C(/proc/PID/environ) of the pid in its pid file
    (C(libvirtd.pid) beside the session socket, C(/var/run/libvirtd.pid) for root), and only
    when that pid is a C(libvirtd) run by the user asked about; a session
    daemon started with another C(XDG_CONFIG_HOME) than the client's answers from the other
    file. Nothing is connected to unless O(connect=true), and no daemon is started.
  - Nothing on the host changes; a user whose file cannot be parsed gets an RV(clients[].error),
    not a failed task.
options:
  users:
    description:
      - More users to report on, by name, or as a mapping with C(name) and C(environment).
      - A listed user is seen as under C(become_user)/C(sudo -u) - C(HOME) from the passwd
        entry, no C(XDG_*) variables - plus the task environment's libvirt variables
        (C(LIBVIRT_DEFAULT_URI), C(LIBVIRT_AUTOSTART), C(VIRTD_PATH), C(LIBVIRTD_PATH)).
        C(environment) adds or overrides variables, for example
        V(XDG_RUNTIME_DIR) set to C(/run/user/UID) for a login session (pam_systemd sets it).
      - Reading another user's files usually needs C(become).
    type: list
    elements: raw
    default: []
  connection_user:
    description: Report on the connection user too (first in RV(clients)), with the task's environment.
    type: bool
    default: true
  name:
    description: Resolve this URI or alias instead of the default URI (like C(virsh -c NAME uri)).
    type: str
  probe:
    description: Probe the daemon sockets when neither C(LIBVIRT_DEFAULT_URI) nor C(uri_default) gives a URI.
    type: bool
    default: true
  connect:
    description:
      - Connect to the probed socket to tell a listening daemon from a stale socket file
        (libvirt would then fail with C(Connection refused)).
      - A connect starts a socket-activated daemon (systemd C(libvirtd.socket)), which is
        why it is off by default.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: The module never changes anything; it runs the same in check mode.
  diff_mode:
    support: none
    description: Nothing changes, so there is nothing to show.
  platform:
    platforms: posix
    support: full
    description: Any POSIX host; paths are libvirt's Linux defaults (C(/etc), C(/var/run), C(/usr/sbin)).
notes:
  - URIs and alias values are reported with any C(user:password@) password replaced by C(********).
  - The probe is a prediction from the files on the host. A URI from C(LIBVIRT_DEFAULT_URI),
    C(uri_default) or an alias is reported as libvirt would open it, whether or not a daemon
    answers there.
seealso:
  - plugin: virt_uri.toolkit.libvirt_default_uri
    plugin_type: lookup
    description: The same resolution on the controller.
  - module: virt_uri.toolkit.libvirt_conf
    description: Change the settings this module reports.
"""

EXAMPLES = r"""
- name: Which hypervisor does each operator's virsh talk to on this host?
  virt_uri.toolkit.libvirt_client_info:
    users: [alice, bob]
  become: true
  register: libvirt_clients

- name: Every user of the fleet must reach the system QEMU daemon
  ansible.builtin.assert:
    that:
      - item.uri == 'qemu:///system'
    fail_msg: "{{ item.user }}: {{ item.error or item.uri }} ({{ item.steps | map(attribute='result') | join('; ') }})"
    quiet: true
  loop: "{{ libvirt_clients.clients }}"
  loop_control:
    label: "{{ item.user }}"

- name: What would a task that sets LIBVIRT_DEFAULT_URI get?
  virt_uri.toolkit.libvirt_client_info:
  environment:
    LIBVIRT_DEFAULT_URI: hail
  register: with_env

- name: A login session of alice (XDG_RUNTIME_DIR set by pam_systemd)
  virt_uri.toolkit.libvirt_client_info:
    connection_user: false
    users:
      - name: alice
        environment:
          XDG_RUNTIME_DIR: /run/user/1000
  become: true
"""

RETURN = r"""
default_uri:
  description: The connection user's default URI (RV(clients[0].uri)); null when libvirt would fail or O(connection_user=false).
  returned: always
  type: str
  sample: qemu:///system
clients:
  description: One entry per user - the connection user first, then O(users) in order.
  returned: always
  type: list
  elements: dict
  contains:
    user:
      description: The user name.
      type: str
      sample: alice
    uid:
      description: The user's uid (libvirt decides root or not by the effective uid).
      type: int
      sample: 1000
    home:
      description: The home directory used.
      type: str
      sample: /home/alice
    config:
      description: The libvirt.conf libvirt reads for this user.
      type: dict
      contains:
        path:
          description: Its path.
          type: str
          sample: /home/alice/.config/libvirt/libvirt.conf
        exists:
          description: Whether it exists (a missing file is fine for libvirt).
          type: bool
          sample: true
        settings:
          description: Every key with the value libvirt reads (the first occurrence).
          type: dict
          sample: {uri_default: hail, uri_aliases: ["hail=qemu+ssh://root@hail.example.com/system"]}
        aliases:
          description: C(uri_aliases) as a mapping of alias to URI (the first entry of a name wins).
          type: dict
          sample: {hail: "qemu+ssh://root@hail.example.com/system"}
        error:
          description: Why the file cannot be used (libvirt fails every connection then), or null.
          type: str
          sample: null
    uri:
      description: The URI as C(virsh uri) prints it, or null when libvirt would fail (see RV(clients[].error)).
      type: str
      sample: qemu+ssh://root@hail.example.com/system
    raw:
      description: The string before libvirt re-formats it (after alias expansion).
      type: str
      sample: qemu+ssh://root@hail.example.com/system
    source:
      description: Where the URI came from.
      type: str
      choices: [name, LIBVIRT_DEFAULT_URI, uri_default, probe]
      sample: uri_default
    steps:
      description:
        - The resolution in order - each with C(step) (V(config), V(LIBVIRT_DEFAULT_URI),
          V(uri_default), V(probe), V(name), V(legacy), V(alias), V(aliases)), C(result) and,
          for files and sockets, C(path); the lookup's O(virt_uri.toolkit.libvirt_default_uri#lookup:steps=true) structure.
      type: list
      elements: dict
      sample:
        - {step: config, path: /etc/libvirt/libvirt.conf, result: /etc/libvirt/libvirt.conf does not exist}
        - {step: LIBVIRT_DEFAULT_URI, result: not set}
        - {step: uri_default, result: not set in /etc/libvirt/libvirt.conf}
        - {step: probe, path: /var/run/libvirt/libvirt-sock, result: socket exists}
        - {step: probe, path: /var/run/libvirt/libvirt-admin-sock, result: libvirtd serves it (monolithic daemon)}
        - {step: probe, result: "libvirtd loads libvirt_driver_qemu.so first: it answers qemu:///system"}
        - {step: probe, result: "qemu:///system"}
        - {step: alias, result: "no alias named 'qemu:///system'"}
    warnings:
      description: Remarks that did not change the answer (C(VIRSH_DEFAULT_CONNECT_URI) set).
      type: list
      elements: str
      sample: []
    error:
      description: Why libvirt would fail for this user (with the steps), or null.
      type: str
      sample: null
    sockets:
      description: The daemon sockets the user's client can see - C(/var/run/libvirt) for root, the session runtime directory for others.
      type: list
      elements: dict
      sample:
        - {path: /var/run/libvirt/libvirt-sock, daemon: libvirtd, kind: monolithic, scope: system,
           admin: false, read_only: false}
        - {path: /var/run/libvirt/virtqemud-sock, daemon: virtqemud, kind: modular, scope: system,
           admin: false, read_only: false}
"""

import os
import pwd

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.client_view import (
    describe_client,
    user_environment,
)


def _user_entries(module):
    entries = []
    for index, item in enumerate(module.params["users"]):
        if isinstance(item, str):
            entries.append((item, {}))
        elif isinstance(item, dict) and isinstance(item.get("name"), str) and \
                set(item) <= {"name", "environment"} and \
                isinstance(item.get("environment", {}), dict):
            entries.append((item["name"], {str(k): str(v) for k, v in
                                           item.get("environment", {}).items()}))
        else:
            module.fail_json(msg="users[%d]: %r is not accepted; a user name or a mapping with "
                                 "'name' and optional 'environment' (a mapping)" % (index, item))
    return entries


def main():
    module = AnsibleModule(
        argument_spec={
            "users": {"type": "list", "elements": "raw", "default": []},
            "connection_user": {"type": "bool", "default": True},
            "name": {"type": "str"},
            "probe": {"type": "bool", "default": True},
            "connect": {"type": "bool", "default": False},
        },
        supports_check_mode=True,
    )
    params = module.params
    options = {"name": params["name"], "probe": params["probe"], "connect": params["connect"]}
    clients = []
    if params["connection_user"]:
        euid = os.geteuid()
        try:
            user = pwd.getpwuid(euid).pw_name
        except KeyError:
            user = None
        clients.append(describe_client(euid, dict(os.environ), user=user, egid=os.getegid(),
                                       **options))
    for name, extra in _user_entries(module):
        try:
            uid, gid, environ = user_environment(name, os.environ, extra, pwd.getpwnam)
        except KeyError:
            clients.append({"user": name, "uid": None, "home": None, "config": None,
                            "uri": None, "raw": None, "source": None, "steps": [],
                            "warnings": [], "sockets": [],
                            "error": "users: %r has no passwd entry on this host" % name})
            continue
        clients.append(describe_client(uid, environ, user=name, egid=gid, **options))
    for client in clients:
        for warning in client["warnings"]:
            module.warn("%s: %s" % (client["user"], warning))
    module.exit_json(changed=False, clients=clients,
                     default_uri=clients[0]["uri"] if params["connection_user"] else None)


if __name__ == "__main__":
    main()
