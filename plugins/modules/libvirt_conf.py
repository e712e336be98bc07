#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module: edit a libvirt client configuration file (libvirt.conf) without losing anything."""

from __future__ import annotations

DOCUMENTATION = r"""
module: libvirt_conf
short_description: Set keys in a libvirt.conf (client or admin) file, keeping everything else
version_added: 0.1.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Edits a file in libvirt's virConf syntax, usually the client configuration
    C(/etc/libvirt/libvirt.conf) (read by root) or C(~/.config/libvirt/libvirt.conf)
    (C($XDG_CONFIG_HOME/libvirt/libvirt.conf), read by other users).
  - In O(strategy=merge) (the default) only the keys named in O(settings) change; every other
    byte of the file - the user's other keys, comments, blank lines, quoting - stays as it was.
    A key that is set more than once is reduced to its first statement (the one libvirt reads).
  - In O(strategy=managed) the module owns the whole file, which then holds exactly
    O(settings), in the order given, under a header comment.
  - Every value is checked before anything is written - by the collection's virConf formatter
    (a string that the virConf grammar cannot hold, such as one containing C(\"\"\") or a NUL,
    is refused), and for C(uri_aliases), C(uri_default), C(remote_mode) and C(remote_proxy)
    by the rules of libvirt's client - and the whole candidate file is then parsed again with
    the collection's parser and, where C(virsh) exists, by libvirt itself (see
    O(validate_with_virsh)). Errors name the key and the value.
  - An existing file that libvirt could not parse makes the task fail with libvirt's message and
    the file's path; nothing is written.
  - The new file replaces the old one atomically (a temporary file in the same directory, then
    a rename).
options:
  path:
    description:
      - The libvirt.conf to edit. It is created when missing; its directory must exist unless
        O(create_dirs=true) (in check mode a missing directory counts as a missing file).
      - A file that exists but cannot be read (for example permission denied) fails the task with
        the path and the reason; nothing is written.
    type: path
    required: true
  settings:
    description:
      - Mapping of key to value. A value is a string, an integer, a boolean (written C(1)/C(0),
        which is how libvirt reads booleans) or a list of those. V(null) removes the key.
      - Keys follow the virConf grammar (a letter, then letters, digits or C(_)).
      - C(uri_aliases) may also be given as a mapping of alias to URI (validated and turned into
        C(alias=uri) strings like P(virt_uri.toolkit.libvirt_uri_aliases#filter)); as a list,
        each item must be C(alias=uri). The list is replaced as a whole.
      - C(uri_default) must be a libvirt URI, or the name of an alias defined in C(uri_aliases)
        (of O(settings), or of the file when O(settings) does not set it).
      - C(remote_mode) must be one of V(auto), V(legacy), V(direct); C(remote_proxy) one of
        V(auto), V(netcat), V(native); C(tls_priority) a string (a GnuTLS priority string).
    type: dict
    default: {}
  strategy:
    description:
      - V(merge) changes only the keys in O(settings); V(managed) writes a file holding only
        O(settings).
      - Not called C(mode) because C(mode) is the file permission option, as in every file module.
    type: str
    choices: [merge, managed]
    default: merge
  backup:
    description: Keep a timestamped copy of the old file when it changes.
    type: bool
    default: false
  validate_with_virsh:
    description:
      - Run the candidate file through libvirt itself before it replaces the file - C(virsh -c
        test:///default uri) with C(XDG_CONFIG_HOME) pointing at a temporary directory holding
        the candidate, as an unprivileged user (a user namespace via C(unshare --user), else
        C(setpriv) to C(nobody)), because libvirt reads C($XDG_CONFIG_HOME) only for non-root.
        The C(test:///default) driver needs no daemon, and no alias target is ever connected to.
      - V(auto) does this when C(virsh) is on the PATH (and warns when it cannot run it
        unprivileged); V(true) requires it; V(false) skips it.
    type: raw
    default: auto
  validated_sha256:
    description:
      - SHA-256 (hex) of a candidate text libvirt already accepted - the RV(virsh_sha256) of an
        earlier run of this module, typically a check-mode dry run. When the new text has exactly
        this hash, C(virsh) is not run again (the text it would check is the one it passed); any
        other text is checked as usual. RV(validated_with) then still lists V(virsh).
    type: str
  create_dirs:
    description:
      - Create the missing parent directories of O(path) (after every check passed, just before
        the write), with O(dir_mode), O(dir_owner) and O(dir_group). Existing directories are not
        changed. In check mode nothing is created.
      - With V(false) a missing directory fails the task (outside check mode).
    type: bool
    default: false
  dir_mode:
    description: Permissions of the directories O(create_dirs) creates.
    type: raw
    default: "0755"
  dir_owner:
    description: Owner of the directories O(create_dirs) creates (default the user running the module).
    type: str
  dir_group:
    description: Group of the directories O(create_dirs) creates.
    type: str
  header:
    description: The comment written at the top of the file in O(strategy=managed).
    type: str
    default: "Managed by Ansible (virt_uri.toolkit.libvirt_conf): local changes are overwritten."
extends_documentation_fragment:
  - ansible.builtin.files
attributes:
  check_mode:
    support: full
    description: Reports what would change; writes nothing.
  diff_mode:
    support: full
    description: The old and new text of the file.
  platform:
    platforms: posix
    support: full
    description: Any POSIX host.
notes:
  - Duplicate keys - libvirt reads the first occurrence; in O(strategy=merge) the module sets the
    first and removes the later ones.
  - libvirt accepts no comment inside a list, so a list the module rewrites loses any such
    comment only if it was already unreadable by libvirt (the file would not parse).
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

- name: Remove a key
  virt_uri.toolkit.libvirt_conf:
    path: /etc/libvirt/libvirt.conf
    settings:
      tls_priority: null
"""

RETURN = r"""
path:
  description: The file.
  returned: always
  type: str
  sample: /etc/libvirt/libvirt.conf
changed_keys:
  description: The keys whose value (or presence) changed, in O(settings) order.
  returned: always
  type: list
  elements: str
  sample: [uri_aliases]
settings:
  description: Every key of the resulting file with the value libvirt reads (first occurrence).
  returned: always
  type: dict
  sample: {uri_aliases: ["hail=qemu+ssh://root@hail.cloud.example.com/system"], uri_default: hail}
validated_with:
  description: What checked the candidate text - V(virconf) (the collection's parser), V(virsh).
  returned: always
  type: list
  elements: str
  sample: [virconf, virsh]
virsh_sha256:
  description:
    - SHA-256 of the candidate text libvirt (C(virsh)) accepted in this run, to pass as
      O(validated_sha256) to the run that writes the same text. Absent when C(virsh) did not
      check the text (unchanged file, O(validate_with_virsh=false), no C(virsh)).
  returned: when virsh validated the candidate
  type: str
  sample: 0f343b0931126a20f133d67c2b018a3b5e3e6e6b1d3d1c1e8f5e6b7c8d9e0f1a
backup_file:
  description: The backup of the old file, when O(backup=true) and the file changed.
  returned: changed and backup
  type: str
  sample: /etc/libvirt/libvirt.conf.12345.2024-01-01@00:00:00~
"""

import hashlib
import os
import shutil
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.host_files import (
    HostFileError,
    PlannedFile,
    read_existing,
    write_host_files,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.aliases import (
    URI_ALIAS_CHARS,
    validate_uri_aliases,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri import parse_libvirt_uri
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.virconf import (
    VirConfSyntaxError,
    format_virconf_value,
    parse_virconf,
    validate_virconf_name,
)

# Values the remote driver accepts (src/remote/remote_sockets.c virRemoteDriverMode,
# src/rpc/virnetclient.c virNetClientProxy); anything else fails every remote connection.
_CHOICES = {
    "remote_mode": ("auto", "legacy", "direct"),
    "remote_proxy": ("auto", "netcat", "native"),
}
# Keys the client reads with virConfGetValueString: any other type is an error (spec C.5/C.6).
_STRING_KEYS = ("uri_default", "remote_mode", "remote_proxy", "tls_priority")
_VALIDATION_URI = "test:///default"  # no daemon; ':' cannot be an alias, so every entry is checked
_UNPRIVILEGED_ID = "1000"


def _check_value(key, value, aliases_in_effect):
    """Validate one setting; returns the value to write (uri_aliases mapping -> list)."""
    validate_virconf_name(key, "settings key")
    if key == "uri_aliases":
        value = validate_uri_aliases(value, field="uri_aliases")
    elif key in _STRING_KEYS:
        if not isinstance(value, str):
            raise SpecError(key, value, "a string (libvirt says \"expected a string for '%s' "
                            "parameter\" otherwise)" % key)
        if key in _CHOICES and value not in _CHOICES[key]:
            raise SpecError(key, value, "one of: %s" % ", ".join(_CHOICES[key]))
        if key == "uri_default":
            is_alias_name = value and all(c in URI_ALIAS_CHARS for c in value)
            if not (is_alias_name and value in aliases_in_effect):
                parse_libvirt_uri(value, field="uri_default")
    format_virconf_value(value, key)  # refuses what the grammar cannot hold, naming the key
    return value


def _setting_error(key, exc):
    """'settings.KEY...: VALUE is not accepted; ...' - the field path always starts at settings."""
    text = str(exc)
    return "settings.%s" % text if text.startswith(key) else "settings.%s: %s" % (key, text)


def _alias_names(entries):
    if not isinstance(entries, list):
        return set()
    return {e.partition("=")[0] for e in entries if isinstance(e, str) and "=" in e}


def _render_managed(header, settings):
    lines = []
    for line in (header or "").splitlines():
        lines.append("# " + line if line else "#")
    for key, value in settings.items():
        if value is None:
            continue
        if isinstance(value, list) and value:
            items = "".join("  %s,\n" % format_virconf_value(v, key) for v in value)
            lines.append("%s = [\n%s]" % (key, items))
        else:
            lines.append("%s = %s" % (key, format_virconf_value(value, key)))
    return "\n".join(lines) + "\n" if lines else ""


def _unprivileged_prefix(module):
    """argv prefix that runs a command as a non-root user who can still read our temp dir."""
    if os.geteuid() != 0:
        return [], None
    unshare = module.get_bin_path("unshare")
    if unshare:
        argv = [unshare, "--user", "--map-user=" + _UNPRIVILEGED_ID,
                "--map-group=" + _UNPRIVILEGED_ID]
        rc, _out, _err = module.run_command(argv + ["true"])
        if rc == 0:
            return argv, None
    setpriv = module.get_bin_path("setpriv")
    if setpriv:
        argv = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        rc, _out, err = module.run_command(argv + ["true"])
        if rc == 0:
            return argv, None
        return None, "setpriv failed: %s" % err.strip()
    return None, "neither 'unshare --user' nor 'setpriv' can run a command unprivileged here"


def _validate_with_virsh(module, text, path):
    """None when libvirt reads `text` as a client config; else libvirt's error message."""
    virsh = module.get_bin_path("virsh")
    if not virsh:
        return "skip", "virsh is not installed"
    prefix, why = _unprivileged_prefix(module)
    if prefix is None:
        return "skip", why
    tmp = tempfile.mkdtemp(prefix="libvirt_conf.")
    try:
        os.chmod(tmp, 0o755)  # setpriv's nobody must be able to enter it
        conf_dir = os.path.join(tmp, "libvirt")
        os.mkdir(conf_dir)
        os.chmod(conf_dir, 0o755)
        candidate = os.path.join(conf_dir, "libvirt.conf")
        with open(candidate, "wb") as handle:
            handle.write(to_bytes(text, errors="surrogate_or_strict"))
        os.chmod(candidate, 0o644)
        env = {"HOME": tmp, "XDG_CONFIG_HOME": tmp, "XDG_CACHE_HOME": tmp,
               "XDG_RUNTIME_DIR": tmp, "LC_ALL": "C", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        argv = prefix + ["env", "-i"] + ["%s=%s" % kv for kv in sorted(env.items())] + \
            [virsh, "-q", "-c", _VALIDATION_URI, "uri"]
        # env -i: only the variables above reach virsh (no LIBVIRT_DEFAULT_URI and the like).
        rc, _out, err = module.run_command(argv)
        if rc == 0:
            return "ok", None
        message = "\n".join(line[len("error: "):] if line.startswith("error: ") else line
                            for line in err.strip().splitlines()
                            if line.strip() and "failed to connect to the hypervisor" not in line)
        return "error", message.replace(candidate, path) or "virsh exited with %d" % rc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _virsh_policy(module, value):
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip().lower()
    if text in ("auto",):
        return "auto"
    if text in ("true", "yes", "on", "1"):
        return "true"
    if text in ("false", "no", "off", "0"):
        return "false"
    module.fail_json(msg="validate_with_virsh: %r is not accepted; expected auto, true or false"
                     % (value,))
    return None


def run_module():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True),
            settings=dict(type="dict", default={}),
            strategy=dict(type="str", choices=["merge", "managed"], default="merge"),
            backup=dict(type="bool", default=False),
            validate_with_virsh=dict(type="raw", default="auto"),
            validated_sha256=dict(type="str"),
            create_dirs=dict(type="bool", default=False),
            dir_mode=dict(type="raw", default="0755"),
            dir_owner=dict(type="str"),
            dir_group=dict(type="str"),
            header=dict(type="str", default="Managed by Ansible (virt_uri.toolkit.libvirt_conf): "
                                            "local changes are overwritten."),
        ),
        add_file_common_args=True,
        supports_check_mode=True,
    )
    params = module.params
    path = params["path"]
    settings = params["settings"] or {}
    virsh_policy = _virsh_policy(module, params["validate_with_virsh"])
    result = dict(changed=False, path=path, changed_keys=[], settings={}, validated_with=[])

    try:
        before = read_existing(path)
    except HostFileError as exc:
        module.fail_json(msg=str(exc), **result)
    exists = before is not None
    before = before or ""
    try:
        old_doc = parse_virconf(before, filename=path)
    except VirConfSyntaxError as exc:
        module.fail_json(msg="%s cannot be read by libvirt, so it is left untouched: %s"
                         % (path, exc), **result)
    except SpecError as exc:
        module.fail_json(msg="%s: %s" % (path, exc), **result)

    # Validate every value before building the candidate.
    aliases_in_effect = _alias_names(settings["uri_aliases"]) if "uri_aliases" in settings \
        else _alias_names(old_doc.get("uri_aliases"))
    if isinstance(settings.get("uri_aliases"), dict):
        aliases_in_effect = set(settings["uri_aliases"])
    checked = {}
    for key, value in settings.items():
        try:
            checked[key] = None if value is None else _check_value(key, value, aliases_in_effect)
        except SpecError as exc:
            module.fail_json(msg=_setting_error(key, exc), key=key, **result)

    if params["strategy"] == "managed":
        after = _render_managed(params["header"], checked)
    else:
        doc = parse_virconf(before, filename=path)
        for key, value in checked.items():
            try:
                if value is None:
                    doc.remove(key)
                else:
                    doc.set(key, value)
            except SpecError as exc:
                module.fail_json(msg=_setting_error(key, exc), key=key, **result)
        after = doc.render()

    try:
        new_doc = parse_virconf(after, filename=path)
    except SpecError as exc:  # a bug if it ever happens: never write what we cannot read back
        module.fail_json(msg="the new text of %s would not parse: %s" % (path, exc), **result)
    result["validated_with"].append("virconf")
    result["settings"] = new_doc.as_dict()
    old_values = old_doc.as_dict()
    result["changed_keys"] = [key for key in checked
                              if old_values.get(key) != result["settings"].get(key)
                              or (key in old_values) != (key in result["settings"])]
    if params["strategy"] == "managed":
        result["changed_keys"] += [k for k in old_values if k not in result["settings"]]

    if content_changed_needs_virsh(exists, before, after) and virsh_policy != "false":
        if params["validated_sha256"] and params["validated_sha256"].lower() == after_sha256(after):
            status, message = "ok", None  # libvirt accepted this exact text in an earlier run
        else:
            status, message = _validate_with_virsh(module, after, path)
        if status == "error":
            module.fail_json(msg="libvirt rejects the new %s, so it was not written: %s"
                             % (path, message), **result)
        if status == "ok":
            result["validated_with"].append("virsh")
            result["virsh_sha256"] = after_sha256(after)
        elif virsh_policy == "true":
            module.fail_json(msg="validate_with_virsh=true but libvirt could not be run: %s"
                             % message, **result)
        elif module.get_bin_path("virsh"):
            module.warn("libvirt.conf not checked with virsh: %s" % message)

    file_args = module.load_file_common_arguments(params)
    planned = PlannedFile(path, after, before=before if exists else None,
                          mode=file_args["mode"], owner=file_args["owner"],
                          group=file_args["group"], dir_mode=params["dir_mode"],
                          dir_owner=params["dir_owner"], dir_group=params["dir_group"])
    try:
        written = write_host_files(module, [planned], backup=params["backup"],
                                   create_dirs=params["create_dirs"])[0]
    except HostFileError as exc:
        module.fail_json(msg=str(exc), **result)
    result["changed"] = written["changed"]
    if "backup_file" in written:
        result["backup_file"] = written["backup_file"]
    if module._diff:  # pylint: disable=protected-access
        result["diff"] = [written["diff"], written["attr_diff"]] if "attr_diff" in written \
            else written["diff"]
    module.exit_json(**result)


def content_changed_needs_virsh(exists, before, after):
    return not exists or before != after


def after_sha256(text):
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def main():
    run_module()


if __name__ == "__main__":
    main()
