# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Percent-encoding and splitting of the URIs QEMU's parsers read (spec A.2).

QEMU <= 9.0 (util/uri.c) and >= 9.1 (GLib GUri) both decode the path once, but the >= 9.1
code decodes query values twice and the older one splits the query on ';'. So query values
are never escaped here: they must already be made only of characters both read alike.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

__all__ = ["quote_path", "quote_userinfo", "check_query_value", "split_uri", "unquote_strict",
           "QUERY_SAFE", "parse_query"]

_UNRESERVED = "-._~"
# Characters that every QEMU version reads the same inside a query value (spec A.2
# "Generator rule"): unreserved, '/', ':', '@', '=', '+', '!', '$', "'", '(', ')', '*', ','.
QUERY_SAFE = re.compile(r"^[A-Za-z0-9\-._~/:@=+!$'()*,]*$")
_URI_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.S)


def quote_path(text):
    """Percent-encode a decoded path; '/' stays a separator."""
    return quote(text, safe="/" + _UNRESERVED)


def quote_userinfo(text):
    """Percent-encode a user name for the authority of a URI (':' and '@' included)."""
    return quote(text, safe=_UNRESERVED)


def check_query_value(value, field, hint):
    """Refuse a value that QEMU would split or decode differently across versions."""
    if not QUERY_SAFE.match(value):
        bad = sorted({c for c in value if not QUERY_SAFE.match(c)})
        raise SpecError(field, value, "characters %s cannot be put in a QEMU URI query "
                        "(QEMU >= 9.1 decodes them twice, <= 9.0 splits on ';'); %s"
                        % (" ".join(repr(c) for c in bad), hint))
    return value


def unquote_strict(text, field):
    """Decode %XX escapes, refusing malformed ones and non-UTF-8 (as GLib GUri does)."""
    if re.search(r"%(?![0-9A-Fa-f]{2})", text):
        raise SpecError(field, text, "invalid %-encoding")
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError as exc:
        raise SpecError(field, text, "%-escapes do not decode to UTF-8") from exc


def split_uri(text, field="uri"):
    """RFC 3986 appendix B split: scheme, authority (None if no '//'), path, query, fragment.

    The authority is further split into (userinfo, host, port); IPv6 brackets are removed.
    """
    match = _URI_RE.match(text)
    if not match:
        raise SpecError(field, text, "not a URI of the form scheme://host/path")
    scheme, authority, path, query, fragment = match.groups()
    userinfo = host = port = None
    if authority is not None:
        rest = authority
        if "@" in rest:
            userinfo, rest = rest.rsplit("@", 1)
        if rest.startswith("["):
            end = rest.find("]")
            if end < 0:
                raise SpecError(field, text, "IPv6 address without closing ']'")
            host, tail = rest[1:end], rest[end + 1:]
            if tail and not tail.startswith(":"):
                raise SpecError(field, text, "unexpected text after the IPv6 address")
            port = tail[1:] if tail else None
        elif ":" in rest:
            host, port = rest.rsplit(":", 1)
        else:
            host = rest
        if port == "":
            port = None
        if port is not None and not port.isdigit():
            raise SpecError(field, text, "the port must be a number")
        host = unquote_strict(host, field) if host else host
    return {
        "scheme": scheme, "authority": authority, "userinfo": userinfo, "host": host,
        "port": int(port) if port is not None else None, "path": path, "query": query,
        "fragment": fragment,
    }


def parse_query(query, text):
    """Query parameters as QEMU's drivers read them; a repeated name is refused (QEMU <= 9.0)."""
    params = {}
    if not query:
        return params
    for part in query.split("&"):
        name, sep, value = part.partition("=")
        if not sep:
            raise SpecError("uri", text, "query parameters must be name=value")
        name = unquote_strict(name, "uri")
        if name in params:
            raise SpecError("uri", text, "repeated query parameter '%s' (QEMU <= 9.0 rejects it)" % name)
        params[name] = unquote_strict(value, "uri")
    return params
