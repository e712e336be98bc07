# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a libvirt client on this host sees, per user: its libvirt.conf and its default URI.

The resolution is default_uri.resolve_default_uri (the lookup's); this adds the user's
identity, the file's settings and aliases, and never raises for one user's bad file: the
answer carries the error instead, so one report covers a whole fleet.
"""

from __future__ import annotations

import os
import re

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.daemon_probe import (
    in_root,
    list_daemon_sockets,
    runtime_directory,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.default_uri import (
    DefaultURIError,
    client_config_path,
    read_client_config,
    resolve_default_uri,
)

__all__ = ["LIBVIRT_ENVIRONMENT", "describe_client", "user_environment", "mask_password"]

# Variables of the task environment that libvirt's client reads and that apply to every user
# listed (libvirt.c: virConnectGetDefaultURI; remote_sockets.c: remoteGetURIDaemonInfo,
# remoteGetDaemonPathEnv).  HOME and XDG_* belong to the connection user only.
LIBVIRT_ENVIRONMENT = ("LIBVIRT_DEFAULT_URI", "LIBVIRT_AUTOSTART", "VIRTD_PATH",
                       "LIBVIRTD_PATH", "VIRSH_DEFAULT_CONNECT_URI")

# user:password@ in the authority of a URI, wherever it appears (alias entries, messages).
_PASSWORD = re.compile(r"(://[^/@?#:\s'\"]*):[^/@?#\s'\"]*@")


def mask_password(text):
    """'qemu+ssh://u:secret@h/system' -> 'qemu+ssh://u:********@h/system' (reports only)."""
    if not isinstance(text, str):
        return text
    return _PASSWORD.sub(r"\1:********@", text)


def _masked(value):
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return mask_password(value)


def user_environment(name, task_environ, extra=None, passwd=None):
    """``(uid, gid, environment)`` of a process of user ``name`` under become/sudo: HOME from
    passwd, the task's libvirt variables, no XDG_* unless ``extra`` gives them."""
    entry = passwd(name)
    environ = {"HOME": entry.pw_dir, "USER": name, "LOGNAME": name}
    environ.update({k: task_environ[k] for k in LIBVIRT_ENVIRONMENT if k in task_environ})
    environ.update(extra or {})
    return entry.pw_uid, entry.pw_gid, environ


def _aliases(conf):
    value = conf.get("uri_aliases") if conf is not None else None
    if not isinstance(value, list):
        return {}
    aliases = {}
    for entry in value:
        if isinstance(entry, str) and "=" in entry:
            alias, _eq, uri = entry.partition("=")
            aliases.setdefault(alias, mask_password(uri))  # the first one wins
    return aliases


def describe_client(euid, environ, user=None, home=None, root="/", name=None, probe=True,
                    connect=False, egid=None):
    """One user's view: ``{user, uid, home, config: {path, exists, settings, aliases, error},
    uri, raw, source, steps, warnings, error, sockets}``; ``uri`` is None when libvirt would
    fail, and ``error`` then says why (with the steps)."""
    report = {"user": user, "uid": euid, "home": home if home is not None else environ.get("HOME"),
              "config": {"path": None, "exists": False, "settings": {}, "aliases": {},
                         "error": None},
              "uri": None, "raw": None, "source": None, "steps": [], "warnings": [],
              "error": None, "sockets": []}
    rundir = "/var/run/libvirt" if euid == 0 else runtime_directory(environ)
    if rundir is not None:
        report["sockets"] = list_daemon_sockets(rundir, root, "system" if euid == 0 else "session")
    try:
        path = client_config_path(euid, environ)
    except SpecError as exc:
        report["error"] = report["config"]["error"] = str(exc)
        return report
    report["config"]["path"] = path
    try:
        conf = read_client_config(path, root)
    except SpecError as exc:
        report["config"]["exists"] = os.path.exists(in_root(root, path))
        report["config"]["error"] = str(exc)
        conf = None
    else:
        report["config"]["exists"] = conf is not None
    if conf is not None:
        report["config"]["settings"] = {k: _masked(v) for k, v in conf.as_dict().items()}
        report["config"]["aliases"] = _aliases(conf)
    try:
        result = resolve_default_uri(name, environ=environ, euid=euid, probe=probe, root=root,
                                     connect=connect, egid=egid)
    except DefaultURIError as exc:
        report["steps"] = exc.steps
        report["error"] = str(exc)
    except SpecError as exc:
        report["error"] = str(exc)
    else:
        report.update({k: result[k] for k in ("uri", "raw", "source", "steps", "warnings")})
        report["warnings"] = [mask_password(w) for w in report["warnings"]]
        report["uri"], report["raw"] = mask_password(report["uri"]), mask_password(report["raw"])
    report["steps"] = [dict(s, result=mask_password(s["result"])) for s in report["steps"]]
    report["error"] = mask_password(report["error"])
    report["config"]["error"] = mask_password(report["config"]["error"])
    return report
