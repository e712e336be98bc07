#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module: edit libvirt client configuration files (libvirt.conf) without losing anything."""

from __future__ import annotations

DOCUMENTATION = r"""
module: libvirt_conf
short_description: Set keys in libvirt.conf (client or admin) files, keeping everything else
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Edits files in libvirt's virConf syntax, usually the client configuration
    C(/etc/libvirt/libvirt.conf) (read by root) or C(~/.config/libvirt/libvirt.conf)
    (C($XDG_CONFIG_HOME/libvirt/libvirt.conf), read by other users).
  - One file (O(path), O(settings)) or several at once (O(files)), all or nothing - every file
    of a host in one call, as the P(virt_uri.toolkit.libvirt_client#role) role does.
  - In O(strategy=merge) (the default) only the keys named in the settings change; every other
    byte of the file - the user's other keys, comments, blank lines, quoting - stays as it was.
    A key that is set more than once is reduced to its first statement (the one libvirt reads).
    A list the module writes has one entry per line, so a one-entry change is a one-line diff.
  - In O(strategy=managed) the module owns the whole file, which then holds exactly the
    settings, in the order given, under a header comment.
  - Every value of every file is checked before anything is written - by the collection's
    virConf formatter (a string that the virConf grammar cannot hold, such as one containing
    C(\"\"\") or a NUL, is refused), and for C(uri_aliases), C(uri_default), C(remote_mode) and
    C(remote_proxy) by the rules of libvirt's client - and each candidate file is then parsed
    again with the collection's parser and, where C(virsh) exists, by libvirt itself (see
    O(validate_with_virsh)). Errors name the file, the key and the value; nothing is written
    when any file fails.
  - An existing file that libvirt could not parse makes the task fail with libvirt's message and
    the file's path; nothing is written.
  - Each new file replaces the old one atomically (a temporary file in the same directory, then
    a rename). An existing file keeps its mode, owner and group unless they are set.
  - A missing file whose settings set nothing (only removals, or none) is not created.
options:
  path:
    description:
      - The libvirt.conf to edit (one file). It is created when missing; its directory must exist
        unless O(create_dirs=true) (in check mode a missing directory counts as a missing file).
      - A file that exists but cannot be read (for example permission denied) fails the task with
        the path and the reason; nothing is written.
      - Exactly one of O(path) and O(files) is required.
    type: path
  settings:
    description:
      - With O(path) - mapping of key to value. A value is a string, an integer, a boolean
        (written C(1)/C(0), which is how libvirt reads booleans) or a list of those. V(null)
        removes the key.
      - Keys follow the virConf grammar (a letter, then letters, digits or C(_)).
      - C(uri_aliases) may also be given as a mapping of alias to URI (validated and turned into
        C(alias=uri) strings like P(virt_uri.toolkit.libvirt_uri_aliases#filter)); as a list,
        each item must be C(alias=uri). The list is replaced as a whole.
      - C(uri_default) must be a libvirt URI, or the name of an alias defined in C(uri_aliases)
        (of the settings, or of the file when the settings do not set it).
      - C(remote_mode) must be one of V(auto), V(legacy), V(direct); C(remote_proxy) one of
        V(auto), V(netcat), V(native); C(tls_priority) a string (a GnuTLS priority string).
    type: dict
    default: {}
  files:
    description:
      - Several files written all or nothing (instead of O(path) and O(settings)). Each item has
        the keys below; O(mode), O(owner) and O(group) of the task are not used then.
    type: list
    elements: dict
    suboptions:
      path:
        description:
          - The file. Required unless O(files[].user) is given.
        type: path
      user:
        description:
          - The file is this user's own libvirt.conf. Without O(files[].path) it is
            C(<home>/.config/libvirt/libvirt.conf), the home directory taken from this host's
            passwd database (as C(getent passwd) reports it); the task fails, writing nothing,
            when the user has no entry.
          - O(files[].create_owner) defaults to the user, O(files[].create_group) to the user's
            primary group.
        type: str
        version_added: 1.1.0
      settings:
        description: As O(settings).
        type: dict
        default: {}
      mode:
        description: Permissions of the file; V(null) keeps an existing file's own (0644 for a new one).
        type: raw
      owner:
        description: Owner of the file; V(null) keeps an existing file's own.
        type: str
      group:
        description: Group of the file; V(null) keeps an existing file's own.
        type: str
      create_owner:
        description: Owner of the file and of its directories if the module creates them.
        type: str
      create_group:
        description: Group of the file and of its directories if the module creates them.
        type: str
  strategy:
    description:
      - V(merge) changes only the keys in the settings; V(managed) writes a file holding only
        the settings.
      - Not called C(mode) because C(mode) is the file permission option, as in every file module.
    type: str
    choices: [merge, managed]
    default: merge
  backup:
    description: Keep a timestamped copy of each old file that changes.
    type: bool
    default: false
  validate_with_virsh:
    description:
      - Run each candidate file through libvirt itself before anything is written - C(virsh -c
        test:///default uri) with C(XDG_CONFIG_HOME) pointing at a temporary directory holding
        the candidate, as an unprivileged user (a user namespace via C(unshare --user), else
        C(setpriv) to C(nobody)), because libvirt reads C($XDG_CONFIG_HOME) only for non-root.
        The C(test:///default) driver needs no daemon, and no alias target is ever connected to.
      - V(auto) does this when C(virsh) is on the PATH (and warns when it cannot run it
        unprivileged); V(true) requires it; V(false) skips it.
    type: raw
    default: auto
  create_dirs:
    description:
      - Create the missing parent directories (after every check passed, just before the
        write), with O(dir_mode) and the owner and group O(dir_owner), O(dir_group) (with
        O(files), each item's C(create_owner), C(create_group)). Existing directories are not
        changed. In check mode nothing is created.
      - With V(false) a missing directory fails the task (outside check mode).
    type: bool
    default: false
  dir_mode:
    description: Permissions of the directories O(create_dirs) creates.
    type: raw
    default: "0755"
  dir_owner:
    description: Owner of the directories O(create_dirs) creates for O(path) (default the user running the module).
    type: str
  dir_group:
    description: Group of the directories O(create_dirs) creates for O(path).
    type: str
  header:
    description: The comment written at the top of each file in O(strategy=managed).
    type: str
    default: "Managed by Ansible (virt_uri.toolkit.libvirt_conf): local changes are overwritten."
extends_documentation_fragment:
  - ansible.builtin.files
attributes:
  check_mode:
    support: full
    description: Reports what would change (after every check, libvirt's included); writes nothing.
  diff_mode:
    support: full
    description: The old and new text of each file, and changed permissions or owners.
  platform:
    platforms: posix
    support: full
    description: Any POSIX host.
notes:
  - Duplicate keys - libvirt reads the first occurrence; in O(strategy=merge) the module sets the
    first and removes the later ones.
  - libvirt accepts no comment inside a list, so a list the module rewrites loses any such
    comment only if it was already unreadable by libvirt (the file would not parse).
  - Writes are always atomic (O(unsafe_writes) is not used); if the rename of one file fails
    after others were renamed, those get their old text back.
seealso:
  - plugin: virt_uri.toolkit.libvirt_uri_aliases
    plugin_type: filter
  - plugin: virt_uri.toolkit.libvirt_default_uri
    plugin_type: lookup
  - name: libvirt URI aliases
    description: libvirt's documentation of uri_aliases and uri_default.
    link: https://libvirt.org/uri.html
"""

EXAMPLES = r"""
- name: Aliases and default URI for root, keeping the rest of the file
  virt_uri.toolkit.libvirt_conf:
    path: /etc/libvirt/libvirt.conf
    settings:
      uri_aliases:
        hail: qemu+ssh://root@hail.cloud.example.com/system
        sleet: qemu+ssh://root@sleet.cloud.example.com/system
      uri_default: hail
    backup: true

- name: A user's client config owned by the user, the whole file managed
  virt_uri.toolkit.libvirt_conf:
    path: /home/alice/.config/libvirt/libvirt.conf
    strategy: managed
    owner: alice
    group: alice
    mode: "0644"
    settings:
      uri_default: qemu:///session
      remote_mode: direct

- name: Root's and alice's files in one go, all or nothing
  virt_uri.toolkit.libvirt_conf:
    create_dirs: true
    files:
      - path: /etc/libvirt/libvirt.conf
        settings: {uri_default: "qemu:///system"}
      - path: /home/alice/.config/libvirt/libvirt.conf
        settings: {uri_default: "qemu:///session"}
        create_owner: alice
        create_group: alice

- name: Remove a key
  virt_uri.toolkit.libvirt_conf:
    path: /etc/libvirt/libvirt.conf
    settings:
      tls_priority: null
"""

RETURN = r"""
path:
  description: The file (with O(path)).
  returned: with O(path)
  type: str
  sample: /etc/libvirt/libvirt.conf
changed_keys:
  description: The keys whose value (or presence) changed, in settings order (with O(path)).
  returned: with O(path)
  type: list
  elements: str
  sample: [uri_aliases]
settings:
  description: Every key of the resulting file with the value libvirt reads (first occurrence).
  returned: with O(path)
  type: dict
  sample: {uri_aliases: ["hail=qemu+ssh://root@hail.cloud.example.com/system"], uri_default: hail}
validated_with:
  description: What checked the candidate text - V(virconf) (the collection's parser), V(virsh).
  returned: with O(path)
  type: list
  elements: str
  sample: [virconf, virsh]
backup_file:
  description: The backup of the old file, when O(backup=true) and the file changed.
  returned: changed and backup, with O(path)
  type: str
  sample: /etc/libvirt/libvirt.conf.12345.2024-01-01@00:00:00~
files:
  description:
    - One result per file, in O(files) order (also with O(path), as a one-item list) - C(path),
      C(changed), C(changed_keys), C(settings), C(validated_with), C(backup_file) as above, and
      C(nothing_to_write) (true for a missing file whose settings set no key, which is not created).
  returned: always
  type: list
  elements: dict
  sample:
    - {path: /etc/libvirt/libvirt.conf, changed: true, changed_keys: [uri_default],
       settings: {uri_default: "qemu:///system"}, validated_with: [virconf, virsh]}
"""


from ansible.module_utils.basic import AnsibleModule

from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet.client_conf_edit import (
    FileFailure,
    check_with_virsh,
    plan_conf_file,
    resolved_request,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.host_files import (
    HostFileError,
    write_host_files,
)

HEADER = "Managed by Ansible (virt_uri.toolkit.libvirt_conf): local changes are overwritten."


def virsh_policy(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip().lower()
    for policy, words in (("auto", ("auto",)), ("true", ("true", "yes", "on", "1")),
                          ("false", ("false", "no", "off", "0"))):
        if text in words:
            return policy
    return None


def requests_from(module):
    params = module.params
    if params["files"] is not None:
        return [dict(item, dir_mode=params["dir_mode"]) for item in params["files"]]
    file_args = module.load_file_common_arguments(params)
    return [dict(path=params["path"], settings=params["settings"], mode=file_args["mode"],
                 owner=file_args["owner"], group=file_args["group"], dir_mode=params["dir_mode"],
                 create_owner=params["dir_owner"], create_group=params["dir_group"])]


def run_module():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path"),
            settings=dict(type="dict", default={}),
            files=dict(type="list", elements="dict", options=dict(
                path=dict(type="path"),
                user=dict(type="str"),
                settings=dict(type="dict", default={}),
                mode=dict(type="raw"),
                owner=dict(type="str"),
                group=dict(type="str"),
                create_owner=dict(type="str"),
                create_group=dict(type="str"),
            )),
            strategy=dict(type="str", choices=["merge", "managed"], default="merge"),
            backup=dict(type="bool", default=False),
            validate_with_virsh=dict(type="raw", default="auto"),
            create_dirs=dict(type="bool", default=False),
            dir_mode=dict(type="raw", default="0755"),
            dir_owner=dict(type="str"),
            dir_group=dict(type="str"),
            header=dict(type="str", default=HEADER),
        ),
        required_one_of=[("path", "files")],
        mutually_exclusive=[("path", "files")],
        add_file_common_args=True,
        supports_check_mode=True,
    )
    params = module.params
    single = params["files"] is None
    policy = virsh_policy(params["validate_with_virsh"])
    if policy is None:
        module.fail_json(msg="validate_with_virsh: %r is not accepted; expected auto, true or "
                         "false" % (params["validate_with_virsh"],))
    output = dict(changed=False, files=[])
    if single:
        output.update(path=params["path"], changed_keys=[], settings={}, validated_with=[])

    planned_results = []
    try:
        for index, request in enumerate(requests_from(module)):
            try:
                request = resolved_request(request)
                planned_results.append(plan_conf_file(request, params["strategy"], params["header"]))
            except FileFailure as exc:
                if single:
                    raise
                raise FileFailure("files[%d] (%s): %s" % (index, request.get("path") or
                                                          "user " + str(request.get("user")), exc),
                                  exc.key) from exc
        if policy != "false":
            check_with_virsh(module, policy, planned_results)
        planned = [p for p, _r in planned_results if p is not None]
        written = iter(write_host_files(module, planned, backup=params["backup"],
                                        create_dirs=params["create_dirs"]))
    except FileFailure as exc:
        extra = dict(key=exc.key) if exc.key else {}
        module.fail_json(msg=str(exc), **dict(output, **extra))
    except HostFileError as exc:
        module.fail_json(msg=str(exc), **output)

    diffs = []
    for plan, result in planned_results:
        if plan is not None:
            done = next(written)
            result["changed"] = done["changed"]
            if "backup_file" in done:
                result["backup_file"] = done["backup_file"]
            if done["content_changed"]:
                diffs.append(done["diff"])
            if "attr_diff" in done:
                diffs.append(done["attr_diff"])
        output["files"].append(result)
        output["changed"] = output["changed"] or result["changed"]
    if single:
        output.update({k: v for k, v in output["files"][0].items()
                       if k in ("changed_keys", "settings", "validated_with", "backup_file")})
    if module._diff:  # pylint: disable=protected-access
        output["diff"] = diffs[0] if len(diffs) == 1 else diffs
        if not diffs:
            output.pop("diff")
    module.exit_json(**output)


def main():
    run_module()


if __name__ == "__main__":
    main()
