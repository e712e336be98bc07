# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``uri_aliases``: validating the entries we write and resolving them like libvirt
(src/util/viruri.c: virURIResolveAlias, virURIFindAliasMatch).

libvirt scans the list in order and stops at the first entry whose name equals the input
(case-sensitive).  A malformed entry met before that fails the whole connection, and the value
is used as it is: an alias pointing at another alias is never resolved again.
"""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri import (
    parse_libvirt_uri,
    render_libvirt_uri,
)

__all__ = ["URI_ALIAS_CHARS", "validate_alias_name", "alias_items", "validate_uri_aliases",
           "resolve_alias"]

# viruri.c URI_ALIAS_CHARS
URI_ALIAS_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def validate_alias_name(name, field="alias"):
    if not isinstance(name, str) or not name or any(c not in URI_ALIAS_CHARS for c in name):
        raise SpecError(field, name, "an alias name made of 'a-Z, 0-9, _, -' (libvirt says "
                        "\"Malformed 'uri_aliases' config entry ..., aliases may only contain "
                        "'a-Z, 0-9, _, -'\")")
    return name


def alias_items(aliases, field):
    """(name, value, field) triples in the order given (mapping, 'alias=uri' list or
    {alias, uri} list)."""
    if isinstance(aliases, dict):
        return [(name, value, "%s.%s" % (field, name)) for name, value in aliases.items()]
    if isinstance(aliases, (list, tuple)):
        out = []
        for index, item in enumerate(aliases):
            ifield = "%s.%d" % (field, index)
            if isinstance(item, str):
                if "=" not in item:
                    raise SpecError(ifield, item, "'alias=uri' (libvirt says \"Malformed "
                                    "'uri_aliases' config entry '%s', expected "
                                    "'alias=uri://host/path'\")" % item)
                name, _eq, value = item.partition("=")
                out.append((name, value, ifield))
            elif isinstance(item, dict) and "uri" in item and ("alias" in item or "name" in item):
                out.append((item.get("alias", item.get("name")), item["uri"], ifield))
            else:
                raise SpecError(ifield, item, "'alias=uri' or {alias: NAME, uri: URI}")
        return out
    raise SpecError(field, aliases, "a mapping alias: uri, or a list of 'alias=uri' strings")


def validate_uri_aliases(aliases, field="uri_aliases", allow_password=False):
    """Mapping or list -> list of ``"alias=uri"`` strings libvirt resolves as intended.

    Each value may be a URI string or a connection mapping (rendered with
    render_libvirt_uri).  Flagged: bad names, values libvirt cannot open, duplicate names
    (libvirt would silently use the first), and values naming another alias (libvirt does
    not resolve recursively).
    """
    items = alias_items(aliases, field)
    names = [name for name, _value, _f in items]
    seen = {}
    out = []
    for name, value, ifield in items:
        validate_alias_name(name, ifield)
        if name in seen:
            raise SpecError(ifield, name, "a unique alias name: %s is already defined at %s "
                            "and libvirt would always use the first" % (name, seen[name]))
        seen[name] = ifield
        if isinstance(value, dict):
            value = render_libvirt_uri(value, allow_password=allow_password, field=ifield)
        if not isinstance(value, str):
            raise SpecError(ifield, value, "a libvirt URI string or connection mapping")
        if value in names:
            raise SpecError(ifield, value, "a URI, not another alias: libvirt does not resolve "
                            "aliases recursively, so %s would be opened as the URI %r and fail; "
                            "write the target URI itself" % (name, value))
        _refuse_password(value, ifield, allow_password)
        parse_libvirt_uri(value, field=ifield)
        if "\n" in value or "\r" in value:
            raise SpecError(ifield, value, "a URI on one line")
        out.append("%s=%s" % (name, value))
    return out


def _refuse_password(value, field, allow_password):
    """A 'user:password@' URI would put the password in libvirt.conf; checked before any message
    that could echo the value."""
    try:
        user = parse_libvirt_uri(value, validate=False, field=field).get("user")
    except SpecError:
        return  # not a URI at all: the full parse that follows says why
    if user is not None and ":" in user and not allow_password:
        raise SpecError(field, value, "a URI without 'user:password@': the password would be "
                        "written to libvirt.conf (libvirt asks for it through its auth callback "
                        "or authfile=); pass allow_password=true if you really mean it", secret=True)


def resolve_alias(name, entries, source="libvirt.conf"):
    """``virURIResolveAlias``: the value of the first entry named ``name``, or None.

    ``entries`` is the uri_aliases list as read from the config; errors match libvirt's.
    """
    for entry in entries:
        if "=" not in entry:
            raise SpecError("uri_aliases", entry, "libvirt says 'configuration file syntax "
                            "error: Malformed 'uri_aliases' config entry '%s', expected "
                            "'alias=uri://host/path'' (%s)" % (entry, source))
        alias, _eq, value = entry.partition("=")
        if any(c not in URI_ALIAS_CHARS for c in alias):
            raise SpecError("uri_aliases", entry, "libvirt says 'configuration file syntax "
                            "error: Malformed 'uri_aliases' config entry '%s', aliases may only "
                            "contain 'a-Z, 0-9, _, -'' (%s)" % (entry, source))
        if alias == name:
            return value
    return None
