# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One libvirt.conf file edited as the libvirt_conf module writes it: read the existing text,
check every setting with the client-key rules, merge (keeping the layout of untouched keys) or
render the managed text, parse the result back, and plan the write; then every changed
candidate through libvirt itself (virsh_check) before anything is written."""

from __future__ import annotations

import pwd

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet.client_files import (
    resolve_user_file,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.host_files import (
    HostFileError,
    PlannedFile,
    read_existing,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.client_keys import (
    alias_names,
    check_client_setting,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.virconf import (
    VirConfSyntaxError,
    format_virconf_statement,
    parse_virconf,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.virsh_check import VirshCheck


class FileFailure(Exception):
    """One file's check failed: the message, and the key when a value was refused."""

    def __init__(self, message, key=None):
        Exception.__init__(self, message)
        self.key = key


def setting_error(key, exc):
    """'settings.KEY...: VALUE is not accepted; ...' - the field path always starts at settings."""
    text = str(exc)
    return "settings.%s" % text if text.startswith(key) else "settings.%s: %s" % (key, text)


def render_managed(header, settings):
    lines = ["# " + line if line else "#" for line in (header or "").splitlines()]
    lines += [format_virconf_statement(key, value) for key, value in settings.items()
              if value is not None]
    return "\n".join(lines) + "\n" if lines else ""


def plan_conf_file(request, strategy, header):
    """Read, check and edit one file -> (PlannedFile, result); raises FileFailure."""
    path, settings = request["path"], request["settings"] or {}
    try:
        before = read_existing(path)
    except HostFileError as exc:
        raise FileFailure(str(exc)) from exc
    try:
        old_doc = parse_virconf(before or "", filename=path)
    except VirConfSyntaxError as exc:
        raise FileFailure("%s cannot be read by libvirt, so it is left untouched: %s"
                          % (path, exc)) from exc
    except SpecError as exc:  # over virConf's size limit: the error's field is the path
        raise FileFailure(str(exc)) from exc

    aliases_in_effect = alias_names(settings["uri_aliases"] if "uri_aliases" in settings
                                    else old_doc.get("uri_aliases"))
    checked = {}
    for key, value in settings.items():
        try:
            checked[key] = None if value is None else \
                check_client_setting(key, value, aliases_in_effect)
        except SpecError as exc:
            raise FileFailure(setting_error(key, exc), key) from exc

    if strategy == "managed":
        after = render_managed(header, checked)
    else:
        doc = parse_virconf(before or "", filename=path)
        for key, value in checked.items():
            try:
                doc.remove(key) if value is None else doc.set(key, value)
            except SpecError as exc:
                raise FileFailure(setting_error(key, exc), key) from exc
        after = doc.render()
    try:
        new_doc = parse_virconf(after, filename=path)
    except SpecError as exc:  # a bug if it ever happens: never write what we cannot read back
        raise FileFailure("the new text of %s would not parse: %s" % (path, exc)) from exc

    new_values, old_values = new_doc.as_dict(), old_doc.as_dict()
    changed_keys = [key for key in checked if old_values.get(key) != new_values.get(key)
                    or (key in old_values) != (key in new_values)]
    if strategy == "managed":
        changed_keys += [key for key in old_values if key not in new_values
                         and key not in checked]
    result = dict(path=path, changed=False, changed_keys=changed_keys, settings=new_values,
                  validated_with=["virconf"], nothing_to_write=False)
    if before is None and not any(value is not None for value in checked.values()):
        result["nothing_to_write"] = True  # a missing file with no key to set is not created
        return None, result
    planned = PlannedFile(path, after, before=before, mode=request.get("mode"),
                          owner=request.get("owner"), group=request.get("group"),
                          dir_mode=request.get("dir_mode", "0755"),
                          dir_owner=request.get("create_owner"),
                          dir_group=request.get("create_group"),
                          new_owner=request.get("create_owner"),
                          new_group=request.get("create_group"))
    return planned, result


def resolved_request(request):
    """A user's file found in this host's passwd (the role no longer runs getent first)."""
    try:
        return resolve_user_file(request, pwd.getpwnam)
    except SpecError as exc:
        raise FileFailure(str(exc)) from exc


def check_with_virsh(module, policy, planned_results):
    """Every changed candidate through libvirt itself, before anything is written (``policy``
    auto / true as validate_with_virsh says; ``module`` gives get_bin_path, run_command, warn)."""
    checker = VirshCheck(which=module.get_bin_path, run=module.run_command)
    for planned, result in planned_results:
        if planned is None or not planned.content_changed:
            continue
        usable, why = checker.available()
        if not usable:
            if policy == "true":
                raise FileFailure("validate_with_virsh=true but libvirt could not be run: %s" % why)
            if checker.virsh:
                module.warn("libvirt.conf not checked with virsh: %s" % why)
            return
        message = checker.check(planned.text, planned.path)
        if message is not None:
            raise FileFailure("libvirt rejects the new %s, so no file was written: %s"
                              % (planned.path, message))
        result["validated_with"].append("virsh")
