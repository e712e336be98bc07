# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The libvirt_client role's planning: role variables -> the libvirt.conf files of one host.

``plan_client_files`` takes every ``libvirt_client_*`` variable the host sees (and, optionally,
passwd entries) and returns the files the libvirt_conf module writes
in one call: the system file (read by root) and one per named user (read by that user), each
with its ordered settings.  Every value is checked here with the module's own rules, so an
error names the role variable that holds the bad value; the module checks again (it is public).

Aliases are merged in a stable order: ``libvirt_client_uri_aliases``, then every
``libvirt_client_uri_aliases__<suffix>`` in sorted name order, then
``libvirt_client_uri_aliases_host``, then a user's own; a later definition of a name replaces
the earlier value (keeping its position), a null value removes the name.
"""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.aliases import (
    alias_items,
    validate_alias_name,
    validate_uri_aliases,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.client_keys import (
    check_client_setting,
)

__all__ = ["DEFAULTS", "ALIAS_LAYER_PREFIX", "USER_CONFIG", "unknown_variables",
           "merge_alias_layers", "plan_client_files", "resolve_user_file"]

# A user's file below the home directory: what libvirt reads in that user's session when
# XDG_CONFIG_HOME is unset (virConfLoadConfigPath in src/util/virconf.c, g_get_user_config_dir).
USER_CONFIG = "/.config/libvirt/libvirt.conf"

# The role's defaults (roles/libvirt_client/defaults/main.yml; a unit test keeps them equal).
DEFAULTS = {
    "libvirt_client_mode": "merge",
    "libvirt_client_root": "",
    "libvirt_client_uri_aliases": {},
    "libvirt_client_uri_aliases_host": {},
    "libvirt_client_uri_aliases_sort": True,
    "libvirt_client_uri_default": None,
    "libvirt_client_remote_mode": None,
    "libvirt_client_remote_proxy": None,
    "libvirt_client_tls_priority": None,
    "libvirt_client_extra_settings": {},
    "libvirt_client_remove_keys": [],
    "libvirt_client_system": True,
    "libvirt_client_system_path": "/etc/libvirt/libvirt.conf",
    "libvirt_client_system_file_mode": None,
    "libvirt_client_users": [],
    "libvirt_client_user_file_mode": None,
    "libvirt_client_backup": False,
    "libvirt_client_validate_with_virsh": "auto",
    "libvirt_client_strict_vars": False,
    "libvirt_client_install": False,
    "libvirt_client_packages": ["libvirt-clients"],
}
# Variables the role itself sets (register) rather than reads.
_ROLE_SET = frozenset({"libvirt_client_result"})
ALIAS_LAYER_PREFIX = "libvirt_client_uri_aliases__"
_KEY_VARIABLES = (("uri_default", "libvirt_client_uri_default"),
                  ("remote_mode", "libvirt_client_remote_mode"),
                  ("remote_proxy", "libvirt_client_remote_proxy"),
                  ("tls_priority", "libvirt_client_tls_priority"))
_USER_KEYS = frozenset({"name", "home", "config_home", "path", "owner", "group", "mode",
                        "uri_aliases", "uri_default", "settings"})


def unknown_variables(names):
    """The ``libvirt_client_*`` names the role does not read (a typo is otherwise silent)."""
    return sorted(name for name in names
                  if name.startswith("libvirt_client_") and name not in DEFAULTS
                  and name not in _ROLE_SET and not name.startswith("libvirt_client__")
                  and not (name.startswith(ALIAS_LAYER_PREFIX) and len(name) > len(ALIAS_LAYER_PREFIX)))


def merge_alias_layers(layers, base=None):
    """[(variable name, mapping or list)] -> {alias: (value, variable)} in merge order, on top
    of ``base`` (an earlier result)."""
    merged = dict(base or {})
    for variable, layer in layers:
        if layer is None or layer == {} or layer == []:
            continue
        for name, value, _field in alias_items(layer, variable):
            validate_alias_name(name, "%s.%s" % (variable, name))
            if value is None:
                merged.pop(name, None)
            else:
                merged[name] = (value, variable)
    return merged


def _alias_list(merged, sort, what):
    """Validate each alias naming the variable it came from (``VARIABLE.ALIAS: ...``), then the
    merged list as a whole (duplicates, one alias naming another) -> 'alias=uri' strings."""
    names = sorted(merged) if sort else list(merged)
    for name in names:
        value, variable = merged[name]
        validate_uri_aliases({name: value}, field=variable)
    return validate_uri_aliases({name: merged[name][0] for name in names}, field=what)


def _get(role_vars, name):
    value = role_vars.get(name, DEFAULTS.get(name))
    return DEFAULTS.get(name) if value is None and isinstance(DEFAULTS.get(name), (dict, list, bool)) \
        else value


def _mapping(role_vars, name):
    value = _get(role_vars, name)
    if not isinstance(value, dict):
        raise SpecError(name, value, "a mapping of libvirt.conf key to value")
    return value


def _mode_text(value, field):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise SpecError(field, value, "a file mode such as '0644' or 'u=rw,g=r,o=r' (a "
                        "string: an unquoted 0644 in YAML is the number 420)")
    return value if isinstance(value, str) else "%04o" % value


def _checked(settings, origins, aliases_in_effect):
    """The module's checks, with the error's field put in role terms (the message text is
    reused as built, so a hidden value stays hidden)."""
    for key, value in settings.items():
        if value is None:
            continue
        try:
            settings[key] = check_client_setting(key, value, aliases_in_effect)
        except SpecError as exc:
            origin = origins.get(key, "settings key")
            field, text = str(exc.field), str(exc)
            rest = text[len(field):].lstrip(":").lstrip() if text.startswith(field) else text
            suffix = field[len(str(key)):] if field.startswith(str(key) + ".") else ""
            raise SpecError(origin + suffix, None, rest) from exc
    return settings


def _settings(role_vars, alias_list, uri_default, extra, origins):
    settings = {}
    remove = _get(role_vars, "libvirt_client_remove_keys")
    if not isinstance(remove, list):
        raise SpecError("libvirt_client_remove_keys", remove, "a list of key names")
    for key in remove:  # a removal is not checked: a value set below names its own variable
        settings[key] = None
    if alias_list:
        settings["uri_aliases"] = alias_list
    for key, variable in _KEY_VARIABLES:
        value = uri_default if key == "uri_default" else _get(role_vars, variable)
        if value is not None:
            settings[key] = value
            origins.setdefault(key, variable)
    for key, value in extra.items():
        settings[key] = value
    return settings


def _user_path(user, index, passwd, root):
    """The user's file, or None: the target host finds the home directory (resolve_user_file)."""
    if user.get("path"):
        return root + user["path"]
    if user.get("config_home"):
        return root + user["config_home"].rstrip("/") + "/libvirt/libvirt.conf"
    entry = (passwd or {}).get(user["name"])
    home = user.get("home") or (entry[4] if entry and len(entry) > 4 else None)
    if home:
        return root + home.rstrip("/") + USER_CONFIG
    if root:
        raise SpecError("libvirt_client_users[%d] (%s)" % (index, user["name"]), None,
                        "home, config_home or path: with libvirt_client_root set the home "
                        "directory is not looked up (the host's passwd is not the root's)")
    return None


def _user_group(user, passwd):
    entry = (passwd or {}).get(user["name"])
    return user.get("group") or (entry[2] if entry and len(entry) > 2 else None)


def resolve_user_file(request, getpwnam):
    """On the target: a file request with ``user`` and no ``path`` gets the user's home from this
    host's passwd (``getpwnam``, as getent would), and ``create_owner``/``create_group`` default
    to the user and the user's primary group. Raises SpecError when the user has no entry."""
    user = request.get("user")
    if not user:
        if not request.get("path"):
            raise SpecError("path", None, "a file path (or user, for that user's own file)")
        return request
    resolved = dict(request)
    entry = None
    if not request.get("path") or not request.get("create_group"):
        try:
            entry = getpwnam(user)
        except KeyError:
            entry = None
        if entry is None and not request.get("path"):
            raise SpecError("user", user, "a user in this host's passwd database, or give the file's "
                            "path (libvirt_client role: home or config_home in libvirt_client_users)")
    if not request.get("path"):
        resolved["path"] = entry.pw_dir.rstrip("/") + USER_CONFIG
    resolved["create_owner"] = request.get("create_owner") or user
    if not request.get("create_group") and entry is not None:
        resolved["create_group"] = str(entry.pw_gid)
    return resolved


def plan_client_files(role_vars, passwd=None):
    """Role variables -> ``{"files": [...], "unknown_variables": [...]}``.

    Each file: ``path`` (None for a user whose home directory the target looks up: ``user``
    names the user then), ``settings`` (key -> value, None removes the key; ordered),
    ``mode``/``owner``/``group`` (set on the file whatever it had; None keeps an existing
    file's own) and ``create_owner``/``create_group`` (for a file, and its directories, that
    the module creates).  ``passwd`` (optional): ``getent_passwd`` facts (name -> [pw, uid, gid,
    gecos, home, shell]); without an entry the module resolves the user on the target.
    """
    mode = _get(role_vars, "libvirt_client_mode")
    if mode not in ("merge", "managed"):
        raise SpecError("libvirt_client_mode", mode, "merge or managed")
    root = _get(role_vars, "libvirt_client_root") or ""
    if not isinstance(root, str) or (root and not root.startswith("/")):
        raise SpecError("libvirt_client_root", root, "'' or an absolute directory")
    root = root.rstrip("/")
    sort = bool(_get(role_vars, "libvirt_client_uri_aliases_sort"))
    layers = [("libvirt_client_uri_aliases", _get(role_vars, "libvirt_client_uri_aliases"))]
    layers += [(name, role_vars[name]) for name in sorted(role_vars)
               if name.startswith(ALIAS_LAYER_PREFIX) and len(name) > len(ALIAS_LAYER_PREFIX)]
    layers.append(("libvirt_client_uri_aliases_host",
                   _get(role_vars, "libvirt_client_uri_aliases_host")))
    merged = merge_alias_layers(layers)
    what = "uri_aliases (merged from libvirt_client_uri_aliases*)"
    fleet_aliases = _alias_list(merged, sort, what)
    uri_default = _get(role_vars, "libvirt_client_uri_default")
    extra = _mapping(role_vars, "libvirt_client_extra_settings")
    files = []

    if _get(role_vars, "libvirt_client_system"):
        origins = {key: "libvirt_client_extra_settings.%s" % key for key in extra}
        settings = _settings(role_vars, fleet_aliases, uri_default, extra, origins)
        origins.setdefault("uri_aliases", what)  # extra_settings.uri_aliases names itself
        _checked(settings, origins, set(merged))
        files.append({
            "path": root + _get(role_vars, "libvirt_client_system_path"),
            "settings": settings,
            "mode": _mode_text(_get(role_vars, "libvirt_client_system_file_mode"),
                               "libvirt_client_system_file_mode"),
            "user": None, "owner": None, "group": None, "create_owner": None,
            "create_group": None})

    users = _get(role_vars, "libvirt_client_users")
    if not isinstance(users, list):
        raise SpecError("libvirt_client_users", users, "a list of {name: USER, ...}")
    for index, user in enumerate(users):
        if not isinstance(user, dict) or not isinstance(user.get("name"), str) or not user["name"]:
            raise SpecError("libvirt_client_users[%d]" % index, user, "a mapping with a name")
        label = "libvirt_client_users[%d] (%s)" % (index, user["name"])
        unknown = sorted(set(user) - _USER_KEYS)
        if unknown:
            raise SpecError(label, None, "only the keys %s (not %s)"
                            % (", ".join(sorted(_USER_KEYS)), ", ".join(unknown)))
        user_merged = merge_alias_layers([(label + ".uri_aliases", user.get("uri_aliases"))],
                                         base=merged)
        user_what = "%s: uri_aliases (merged over the fleet's)" % label
        user_aliases = _alias_list(user_merged, sort, user_what)
        user_settings = user.get("settings") or {}
        if not isinstance(user_settings, dict):
            raise SpecError(label + ".settings", user_settings, "a mapping of key to value")
        origins = {key: "libvirt_client_extra_settings.%s" % key for key in extra}
        origins.update({key: "%s.settings.%s" % (label, key) for key in user_settings})
        if user.get("uri_default") is not None:
            origins["uri_default"] = label + ".uri_default"
        settings = _settings(role_vars, user_aliases,
                             user.get("uri_default", uri_default), dict(extra, **user_settings),
                             origins)
        origins.setdefault("uri_aliases", user_what)
        _checked(settings, origins, set(user_merged))
        owner = user.get("owner")
        group = user.get("group")
        path = _user_path(user, index, passwd, root)
        files.append({
            "path": path,
            "user": None if path else user["name"],
            "settings": settings,
            "mode": _mode_text(user.get("mode", _get(role_vars, "libvirt_client_user_file_mode")),
                               label + ".mode"),
            "owner": owner, "group": group,
            "create_owner": owner or user["name"],
            "create_group": group or _user_group(user, passwd)})
    return {"files": files, "unknown_variables": unknown_variables(role_vars)}
