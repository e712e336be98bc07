# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which URI a libvirt client opens: virConnectOpenInternal's order
(libvirt src/libvirt.c: virConnectOpenInternal, virConnectGetDefaultURI; src/util/viruri.c:
virURIResolveAlias).

1. libvirt.conf is loaded first, always: root reads /etc/libvirt/libvirt.conf only, everybody
   else $XDG_CONFIG_HOME/libvirt/libvirt.conf (or ~/.config/...) only.  A syntax error there
   fails every connection.
2. An explicit name wins ("" counts as none; "xen" and "xen://" mean xen:///system).
3. Else LIBVIRT_DEFAULT_URI when non-empty, else the config's uri_default, else a probe.
4. uri_aliases are applied to whatever came out of 2-3, unless no_aliases.
The answer is what ``virsh uri`` prints: the URI re-formatted by virURIFormat.
"""

from __future__ import annotations

import os

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.daemon_probe import (
    in_root,
    probe_daemon_uri,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.aliases import resolve_alias
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.client_keys import (
    read_alias_list,
    read_string_key,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.remote_params import (
    validate_connection,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri import split_scheme
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri_reference import format_uri_like_libvirt, parse_uri_reference
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.virconf import parse_virconf

__all__ = ["DefaultURIError", "client_config_path", "read_client_config", "resolve_default_uri",
           "format_steps"]

SYSTEM_CONFIG = "/etc/libvirt/libvirt.conf"


def _home(environ, euid):
    """g_get_home_dir: $HOME when set, else the passwd entry of the user."""
    home = environ.get("HOME")
    if home:
        return home
    try:
        import pwd

        return pwd.getpwuid(euid).pw_dir
    except (ImportError, KeyError):
        return None


class DefaultURIError(SpecError):
    """No URI could be resolved; ``steps`` holds what was read and probed, for the message."""

    def __init__(self, field, value, accepted, steps):
        self.steps = list(steps)
        super().__init__(field, value, "%s [%s]" % (accepted, format_steps(self.steps)))


def format_steps(steps):
    """One line: 'config: /etc/libvirt/libvirt.conf does not exist; probe: ...'."""
    return "; ".join("%s: %s%s" % (s["step"], s["result"],
                                   " (%s)" % s["path"] if s.get("path") and
                                   s["path"] not in s["result"] else "") for s in steps)


def client_config_path(euid=None, environ=None):
    """virConfLoadConfigPath: /etc for euid 0, else g_get_user_config_dir()/libvirt."""
    euid = os.geteuid() if euid is None else euid
    environ = os.environ if environ is None else environ
    if euid == 0:
        return SYSTEM_CONFIG
    base = environ.get("XDG_CONFIG_HOME")
    if not base:
        home = _home(environ, euid)
        if not home:
            raise SpecError("HOME", None, "a home directory (or XDG_CONFIG_HOME) to find "
                            "libvirt.conf of a non-root user")
        base = os.path.join(home, ".config")
    return os.path.join(base, "libvirt", "libvirt.conf")


def read_client_config(path, root="/"):
    """The parsed file, or None when it does not exist (a missing file is fine)."""
    try:
        with open(in_root(root, path), "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SpecError("config", path, "a readable libvirt.conf (%s)" % exc.strerror) from exc
    return parse_virconf(data.decode("utf-8", "surrogateescape"), filename=path)


def resolve_default_uri(name=None, environ=None, euid=None, config_path=None,
                        no_aliases=False, probe=True, root="/", connect=False, egid=None):
    """Resolve the URI libvirt would open for ``name`` (None: the default URI).

    Returns ``{uri, raw, source, config, steps, warnings}``: ``uri`` as ``virsh uri`` prints
    it, ``raw`` the string before re-formatting, ``source`` one of name, LIBVIRT_DEFAULT_URI,
    uri_default, probe; ``steps`` a list of ``{step, result[, path]}`` for reviews.
    ``environ`` and ``euid`` are the client process's; ``root`` is the directory the client's
    filesystem is seen from (a chroot), ``connect`` lets the probe connect to a socket to tell a
    listening daemon from a stale file; ``egid`` the client's group (None: the current one when
    ``euid`` is the current user, else unchecked).  Failures raise DefaultURIError carrying
    the steps.
    """
    environ = dict(os.environ if environ is None else environ)
    if euid is None:
        euid = os.geteuid()
        egid = os.getegid() if egid is None else egid
    steps, warnings = [], []
    path = config_path or client_config_path(euid, environ)
    try:
        conf = read_client_config(path, root)
    except SpecError as exc:
        steps.append({"step": "config", "path": path, "result": "%s cannot be used" % path})
        raise DefaultURIError(exc.field, exc.value, exc.accepted, steps) from exc
    steps.append({"step": "config", "path": path, "result": "%s %s" % (
        path, "loaded" if conf is not None else "does not exist")})
    if environ.get("VIRSH_DEFAULT_CONNECT_URI"):
        warnings.append("VIRSH_DEFAULT_CONNECT_URI=%s is set: it is deprecated and only virsh "
                        "reads it (virsh connects there when no -c is given); libvirt itself "
                        "uses LIBVIRT_DEFAULT_URI" % environ["VIRSH_DEFAULT_CONNECT_URI"])
    if name is not None and not isinstance(name, str):
        raise SpecError("name", name, "a URI or alias string")
    if name == "":
        name = None  # virConnectOpen treats "" as NULL
    if name is not None and (name.lower() == "xen" or name == "xen://"):
        steps.append({"step": "legacy", "result": "%r means xen:///system" % name})
        name = "xen:///system"
    try:
        return _resolve(name, environ, (euid, egid), conf, path, steps, warnings, no_aliases,
                        probe, root, connect)
    except DefaultURIError:
        raise
    except SpecError as exc:
        raise DefaultURIError(exc.field, exc.value, exc.accepted, steps) from exc


def _daemon_default(ids, root):
    """What a running libvirtd of the same user opens for a NULL URI, from its environment
    (remote_daemon_dispatch.c: remoteDispatchConnectOpen -> virConnectOpen(NULL)): its own
    LIBVIRT_DEFAULT_URI, uri_default and aliases; none of them: it probes its drivers."""
    def answer(daemon_environ):
        try:
            result = resolve_default_uri(None, environ=daemon_environ, euid=ids[0], egid=ids[1],
                                         probe=False, root=root)
        except DefaultURIError as exc:
            if exc.field == "uri" and exc.value is None:
                return None, "no LIBVIRT_DEFAULT_URI or uri_default of its own (%s)" % (
                    client_config_path(ids[0], daemon_environ)), False
            return None, "its own default cannot be opened: %s" % exc, True
        except SpecError as exc:
            return None, "its own default cannot be opened: %s" % exc, True
        return result["uri"], "its %s gives %s" % (
            "LIBVIRT_DEFAULT_URI" if result["source"] == "LIBVIRT_DEFAULT_URI"
            else "uri_default in %s" % result["config"], result["uri"]), True
    return answer


def _resolve(name, environ, ids, conf, path, steps, warnings, no_aliases, probe, root,
             connect):
    if name is not None:
        uristr, source = name, "name"
    elif environ.get("LIBVIRT_DEFAULT_URI"):
        uristr, source = environ["LIBVIRT_DEFAULT_URI"], "LIBVIRT_DEFAULT_URI"
    else:
        steps.append({"step": "LIBVIRT_DEFAULT_URI", "result": "not set" if environ.get(
            "LIBVIRT_DEFAULT_URI") is None else "empty (ignored)"})
        uristr = read_string_key(conf, "uri_default", path)
        source = "uri_default"
        if uristr is None:
            steps.append({"step": "uri_default", "result": "not set in %s" % path})
            if not probe:
                raise DefaultURIError("uri", None, "a default URI: set LIBVIRT_DEFAULT_URI or "
                                      "uri_default in %s (probe=false: no daemon socket was "
                                      "probed)" % path,
                                      steps)
            uristr, probe_steps, error = probe_daemon_uri(
                ids[0], environ, root, read_string_key(conf, "remote_mode", path), connect,
                ids[1], daemon_default=_daemon_default(ids, root))
            steps.extend(probe_steps)
            source = "probe"
            if uristr is None:
                raise DefaultURIError("uri", None, "a default URI: set LIBVIRT_DEFAULT_URI or "
                                      "uri_default in %s, or start a libvirt daemon (%s)"
                                      % (path, error), steps)
    steps.append({"step": source, "result": uristr})
    # Aliases apply to the string whatever its origin (src/libvirt.c:
    # virConnectOpenInternal calls virURIResolveAlias after virConnectGetDefaultURI).
    raw = uristr
    if no_aliases:
        steps.append({"step": "aliases", "result": "skipped (VIR_CONNECT_NO_ALIASES)"})
    else:
        target = resolve_alias(uristr, read_alias_list(conf, path), source=path)
        if target is not None:
            steps.append({"step": "alias", "result": "%s=%s" % (uristr, target)})
            raw = target
        else:
            steps.append({"step": "alias", "result": "no alias named %r" % uristr})
    parsed = parse_uri_reference(raw, "uri")
    if parsed.scheme is None:
        # libvirt prints the name argument, which is NULL for env/config defaults.
        shown = name if name is not None else "(null)"
        raise SpecError("uri", raw, "a URI with a driver name (libvirt says 'no connection "
                        "driver available for URI '%s' does not include a driver name'); "
                        "define the alias in uri_aliases or write driver:///path" % shown)
    driver, transport = split_scheme(parsed.scheme)
    if driver in ("qemu", "vbox", "vz") and transport is None and \
            parsed.server in ("system", "session"):
        validate_connection({"driver": driver, "transport": None, "host": parsed.server,
                             "path": parsed.path or ""}, parsed.params)
    uri = format_uri_like_libvirt(parsed)
    return {"uri": uri, "raw": raw, "source": source, "config": path, "steps": steps,
            "warnings": warnings}
