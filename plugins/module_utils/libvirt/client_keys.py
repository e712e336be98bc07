# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The client keys of libvirt.conf: what libvirt's client accepts in each, read and write side.

Read side (the default-URI lookup and info module): the types libvirt's client insists on when
it loads the file - ``virConfGetValueString`` / ``virConfGetValueStringList`` in
src/libvirt.c: virConnectOpenInternal and src/remote/remote_driver.c: remoteConnectOpen fail the
connection when a key holds another type.
Write side (the libvirt_conf module): the same rules applied to a value before it is written,
plus the values the remote driver accepts (src/remote/remote_sockets.c:
virRemoteDriverModeTypeFromString, src/rpc/virnetclient.c: virNetClientProxyTypeFromString).
"""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.aliases import (
    URI_ALIAS_CHARS,
    validate_uri_aliases,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri import parse_libvirt_uri
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.virconf import (
    format_virconf_value,
    validate_virconf_name,
)

__all__ = ["STRING_KEYS", "CHOICES", "read_string_key", "read_alias_list", "alias_names",
           "check_client_setting"]

STRING_KEYS = ("uri_default", "remote_mode", "remote_proxy", "tls_priority")
CHOICES = {
    "remote_mode": ("auto", "legacy", "direct"),
    "remote_proxy": ("auto", "netcat", "native"),
}


def read_string_key(conf, key, path):
    """The value of a string key of a parsed libvirt.conf (None when unset)."""
    value = conf.get(key) if conf is not None else None
    if value is not None and not isinstance(value, str):
        raise SpecError(key, value, "a string (libvirt says 'internal error: %s: expected a "
                        "string for '%s' parameter')" % (path, key))
    return value


def read_alias_list(conf, path):
    """``uri_aliases`` of a parsed libvirt.conf as the list of strings libvirt requires."""
    value = conf.get("uri_aliases") if conf is not None else None
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError("uri_aliases", value, "a list of strings (libvirt says '%s: expected "
                        "a string list for 'uri_aliases' parameter')" % path)
    return value


def alias_names(value):
    """The alias names a ``uri_aliases`` value (mapping or list of 'alias=uri') defines."""
    if isinstance(value, dict):
        return set(value)
    if not isinstance(value, list):
        return set()
    return {e.partition("=")[0] for e in value if isinstance(e, str) and "=" in e}


def check_client_setting(key, value, aliases_in_effect):
    """Validate one key before it is written; returns the value to write (alias mappings become
    the 'alias=uri' list).  ``aliases_in_effect``: the names uri_default may refer to."""
    validate_virconf_name(key, "settings key")
    if key == "uri_aliases":
        value = validate_uri_aliases(value, field="uri_aliases")
    elif key in STRING_KEYS:
        if not isinstance(value, str):
            raise SpecError(key, value, "a string (libvirt says \"expected a string for '%s' "
                            "parameter\" otherwise)" % key)
        if key in CHOICES and value not in CHOICES[key]:
            raise SpecError(key, value, "one of: %s" % ", ".join(CHOICES[key]))
        if key == "uri_default":
            is_alias_name = value and all(c in URI_ALIAS_CHARS for c in value)
            if not (is_alias_name and value in aliases_in_effect):
                parse_libvirt_uri(value, field="uri_default")
    format_virconf_value(value, key)  # refuses what the grammar cannot hold, naming the key
    return value
