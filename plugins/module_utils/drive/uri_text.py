# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Percent-encoding and splitting of the URIs QEMU's parsers read (QEMU <= 9.0
util/uri.c: uri_parse, query_params_parse; QEMU >= 9.1 GLib glib/guri.c: g_uri_parse,
g_uri_parse_params).

Both parsers decode the path once. Query values differ (tested on QEMU 7.2 and 10.0 by
tests/live/drive/test_version_gates_live.py):

* QEMU <= 9.0, util/uri.c: uri_parse() accepts only RFC 3986 characters, then
  query_params_parse() splits the raw query on '&' and ';' and unescapes each value once.
* QEMU >= 9.1, GLib (block/nbd.c, block/gluster.c: g_uri_parse with G_URI_FLAGS_NONE):
  g_uri_get_query() returns the query decoded once, then g_uri_parse_params(.., "&", ..)
  splits that on '&' and decodes each value a second time.

So one %-escape of a space, '#', '?', ';' or a non-ASCII character reads alike in both,
while '%' and '&' need one escape for <= 9.1 and two (%2525, %2526) for >= 9.1.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import is_decimal
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.versions import DEFAULT_QEMU_VERSION, has

__all__ = ["quote_path", "quote_userinfo", "quote_query_value", "split_uri", "unquote_strict",
           "parse_query"]

_UNRESERVED = "-._~"
# Characters that every QEMU version reads the same, unescaped, inside a query value.
_QUERY_SAFE_CHARS = "/:@=+!$'()*," + _UNRESERVED
# RFC 3986 query characters: all that util/uri.c's uri_parse() accepts in a query.
_RFC3986_QUERY = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*\Z")
_URI_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.S)


def _glib(version):
    return has("glib_uri", version or DEFAULT_QEMU_VERSION)


def quote_path(text):
    """Percent-encode a decoded path; '/' stays a separator."""
    return quote(text, safe="/" + _UNRESERVED)


def quote_userinfo(text):
    """Percent-encode a user name for the authority of a URI (':' and '@' included)."""
    return quote(text, safe=_UNRESERVED)


def quote_query_value(value, version):
    """The query value that `version` decodes back to `value` (see the module docstring).

    NUL never gets here (servers.py refuses it: util/uri.c cuts at %00, GLib rejects it).
    """
    out = []
    for char in value:
        if char in "%&":
            # '%' and '&' must survive the first (GUri) decode in QEMU >= 9.1.
            out.append(("%25" if _glib(version) else "%") + "%02X" % ord(char))
        else:
            out.append(quote(char, safe=_QUERY_SAFE_CHARS))
    return "".join(out)


def unquote_strict(text, field, secret=False):
    """Decode %XX escapes, refusing malformed ones and non-UTF-8 (as GLib GUri does); a secret's
    text stays out of the message."""
    if re.search(r"%(?![0-9A-Fa-f]{2})", text):
        raise SpecError(field, text, "invalid %-encoding", secret)
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError as exc:
        raise SpecError(field, text, "%-escapes do not decode to UTF-8", secret) from exc


def split_uri(text, field="uri", qemu_version=None):
    """RFC 3986 appendix B split: scheme, authority (None if no '//'), path, query, fragment.

    The authority is further split into (userinfo, host, port); IPv6 brackets are removed.
    `qemu_version` is carried along for the protocol's parse_query() call.
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
        if port is not None and not is_decimal(port):
            raise SpecError(field, text, "the port must be a number")
        host = unquote_strict(host, field) if host else host
    return {
        "scheme": scheme, "authority": authority, "userinfo": userinfo, "host": host,
        "port": int(port) if port is not None else None, "path": path, "query": query,
        "fragment": fragment, "qemu_version": qemu_version or DEFAULT_QEMU_VERSION,
    }


def parse_query(query, text, version=None):
    """Query parameters as QEMU `version` reads them; a repeated name is refused (QEMU <= 9.0).

    Values are decoded once (util/uri.c: query_params_parse) or twice (GLib: g_uri_get_query,
    then g_uri_parse_params), see the module docstring.
    """
    params = {}
    if not query:
        return params
    if _glib(version):
        # g_uri_parse(G_URI_FLAGS_NONE) fails on a bad escape, NUL or non-UTF-8: "No valid URL".
        query = _unquote_qemu(query, text)
        parts = query.split("&")
    else:
        if not _RFC3986_QUERY.match(query):
            bad = sorted({c for c in query if not _RFC3986_QUERY.match(c)})
            raise SpecError("uri", text, "QEMU < 9.1 (util/uri.c) rejects the characters %s in a "
                            "query; %%-escape them" % " ".join(repr(c) for c in bad))
        parts = re.split("[&;]", query)
    for part in parts:
        name, sep, value = part.partition("=")
        if not sep:
            # QEMU < 9.1 refuses a parameter without '='; QEMU >= 9.1 goes on without it and
            # without every parameter after it ('?uid&uid=abc' mounts, the bad uid never read:
            # tests/live/drive/test_rbd_nfs_live.py::test_nfs_parameter_without_value).
            raise SpecError("uri", text, "query parameters must be name=value (a decoded '&' or "
                            "an unescaped ';' in a value splits it for QEMU %s)"
                            % (">= 9.1" if _glib(version) else "< 9.1"))
        name = _unquote_qemu(name, text)
        if name in params:
            raise SpecError("uri", text, "repeated query parameter '%s' (QEMU <= 9.0 rejects it)" % name)
        params[name] = _unquote_qemu(value, text)
    return params


def _unquote_qemu(text, uri):
    if "%00" in text:
        raise SpecError("uri", uri, "%00 in a query: QEMU < 9.1 cuts the value there, >= 9.1 rejects it")
    return unquote_strict(text, "uri")
