# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""libvirt connection URIs: parse and render exactly as libvirt reads them (spec C.1-C.4).

libvirt's ``virURIParse`` is libxml2's RFC 3986 parser (``xmlParseURI``, libxml2 2.9.14 on
Debian 12) plus a few libvirt rules; ``parse_uri_reference`` reproduces it byte for byte,
including libxml2's quirks, so that ``render_libvirt_uri`` can check every string it builds by
reading it back the way libvirt will.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt import remote_params

__all__ = [
    "ParsedURI",
    "parse_uri_reference",
    "parse_query_params",
    "format_query_params",
    "format_uri_like_libvirt",
    "parse_libvirt_uri",
    "render_libvirt_uri",
    "split_scheme",
    "URI_FIELDS",
]

URI_FIELDS = ("driver", "transport", "user", "host", "port", "path", "params")

_ALPHA = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_DIGIT = frozenset("0123456789")
_HEX = frozenset("0123456789abcdefABCDEF")
# RFC 3986 sets as libxml2 2.9.14 (uri.c) implements them.
_UNRESERVED = _ALPHA | _DIGIT | frozenset("-._~")
_SUB_DELIMS = frozenset("!$&'()*+,;=")
_PCHAR = _UNRESERVED | _SUB_DELIMS | frozenset(":@")
_SCHEME_CHARS = _ALPHA | _DIGIT | frozenset("+-.")

# Longest URI render_libvirt_uri produces. libxml2's uri.c caps what xmlSaveUri will build at
# MAX_URI_LENGTH (1024 * 1024 bytes): past it, xmlSaveUri fails ("URI too long") and returns
# NULL, and libvirt's virURIFormat treats that NULL as an allocation failure, which aborts the
# client (the remote driver re-formats the URI with virURIFormat before sending it to the
# daemon). xmlSaveUri re-escapes the fields libvirt parsed, so its output can be up to 3 times
# longer than ours (a character we keep literal, e.g. a sub-delimiter in the path, may come out
# as %XX): the limit must be under 1 MiB / 3. 64 KiB leaves a wide margin below that, and below
# Linux's 128 KiB MAX_ARG_STRLEN for one argv string (virsh -c URI, qemu -drive ...); no real
# connection URI comes close.
MAX_RENDERED_URI_LENGTH = 64 * 1024


class ParsedURI:
    """The fields of libvirt's ``virURI`` after ``virURIParse`` (spec C.2)."""

    __slots__ = ("scheme", "server", "user", "port", "path", "query", "fragment", "params")

    def __init__(self, scheme=None, server=None, user=None, port=0, path=None, query=None,
                 fragment=None, params=None):
        self.scheme = scheme
        self.server = server
        self.user = user
        self.port = port
        self.path = path
        self.query = query
        self.fragment = fragment
        self.params = params if params is not None else []

    def as_dict(self):
        return {name: getattr(self, name) for name in self.__slots__}

    def __eq__(self, other):
        return isinstance(other, ParsedURI) and self.as_dict() == other.as_dict()

    def __repr__(self):
        return "ParsedURI(%r)" % self.as_dict()


class _Unparseable(Exception):
    """libxml2 returned an error (it never says why)."""


def _pct_at(text, i):
    return i + 2 < len(text) and text[i] == "%" and text[i + 1] in _HEX and text[i + 2] in _HEX


def _scan(text, i, allowed, pct=True):
    """Advance over chars in ``allowed`` and %XX triplets (libxml2's NEXT macro)."""
    n = len(text)
    while i < n:
        if text[i] in allowed:
            i += 1
        elif pct and _pct_at(text, i):
            i += 3
        else:
            break
    return i


def unescape(text):
    """``xmlURIUnescapeString``: every %XX (hex) becomes the byte; other bytes unchanged.

    The result is decoded as UTF-8 (libvirt hands the bytes on unchanged); bytes that are not
    UTF-8 come back as surrogate escapes, so nothing is lost.
    """
    raw = text.encode("utf-8", "surrogateescape")
    out = bytearray()
    i, n = 0, len(raw)
    while i < n:
        if raw[i] == 0x25 and i + 2 < n and chr(raw[i + 1]) in _HEX and chr(raw[i + 2]) in _HEX:
            out.append(int(raw[i + 1:i + 3], 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return out.decode("utf-8", "surrogateescape")


def _parse_host(text, i):
    """``xmlParse3986Host``: returns (end, raw_host or None)."""
    n = len(text)
    start = i
    if i < n and text[i] == "[":
        # An IP-literal: libxml2 takes anything up to the next ']'.
        j = text.find("]", i + 1)
        if j < 0:
            raise _Unparseable()
        return j + 1, text[start:j + 1]
    # IPv4 needs no branch of its own: libxml2 falls back to reg-name, which covers it
    # (the live oracle test checks "1.2.3.4.5" and "1.2.3.4x").
    j = _scan(text, i, _UNRESERVED | _SUB_DELIMS)
    return j, (text[start:j] if j != start else None)


def _parse_authority(text, i, uri):
    """``xmlParse3986Authority``: [userinfo "@"] host [":" port]."""
    n = len(text)
    j = _scan(text, i, _UNRESERVED | _SUB_DELIMS | frozenset(":"))
    if j < n and text[j] == "@":
        # libxml2 2.9.14 unescapes with length 0 meaning "up to the NUL": an empty userinfo
        # ("qemu://@host/x") gives the user "@host/x" (checked against libvirt, live oracle).
        uri.user = unescape(text[i:j] if j != i else text[i:])
        i = j + 1
    i, host = _parse_host(text, i)
    uri.server = unescape(host) if host is not None else None
    if i < n and text[i] == ":":
        i += 1
        j = i
        while j < n and text[j] in _DIGIT:
            j += 1
        if j == i:
            raise _Unparseable()
        uri.port = int(text[i:j])
        if uri.port > 2 ** 31 - 1:
            # libxml2's port overflow check: 'Unable to parse URI' in libvirt 9.0 and 11.3
            # (tests/live/libvirt/test_libvirt_version_gates_live.py).
            raise _Unparseable()
        i = j
    return i


def _parse_path_abempty(text, i, uri):
    j = i
    n = len(text)
    while j < n and text[j] == "/":
        j = _scan(text, j + 1, _PCHAR)
    uri.path = unescape(text[i:j]) if j != i else None
    return j


def _parse_segments(text, i, first_nz, first_no_colon=False):
    """path-absolute / path-rootless / path-noscheme; returns end or None."""
    allowed = _PCHAR - frozenset(":") if first_no_colon else _PCHAR
    j = _scan(text, i, allowed)
    if first_nz and j == i:
        return None
    while j < len(text) and text[j] == "/":
        j = _scan(text, j + 1, _PCHAR)
    return j


def _parse_query_fragment(text, i, uri):
    n = len(text)
    if i < n and text[i] == "?":
        j = _scan(text, i + 1, _PCHAR | frozenset("/?"))
        uri.query = text[i + 1:j]
        i = j
    if i < n and text[i] == "#":
        j = _scan(text, i + 1, _PCHAR | frozenset("/?[]"))
        uri.fragment = unescape(text[i + 1:j])
        i = j
    if i != n:
        raise _Unparseable()


def _parse_absolute(text):
    uri = ParsedURI()
    n = len(text)
    if not text or text[0] not in _ALPHA:
        raise _Unparseable()
    i = 1
    while i < n and text[i] in _SCHEME_CHARS:
        i += 1
    if i >= n or text[i] != ":":
        raise _Unparseable()
    uri.scheme = text[:i]
    i += 1
    i = _parse_hier(text, i, uri, relative=False)
    _parse_query_fragment(text, i, uri)
    return uri


def _parse_hier(text, i, uri, relative):
    n = len(text)
    if text.startswith("//", i):
        i = _parse_authority(text, i + 2, uri)
        return _parse_path_abempty(text, i, uri)
    if i < n and text[i] == "/":
        j = _parse_segments(text, i + 1, first_nz=False)
        uri.path = unescape(text[i:j])
        return j
    j = _parse_segments(text, i, first_nz=True, first_no_colon=relative)
    if j is None:
        return i  # path-empty
    uri.path = unescape(text[i:j])
    return j


def _parse_relative(text):
    uri = ParsedURI()
    i = _parse_hier(text, 0, uri, relative=True)
    _parse_query_fragment(text, i, uri)
    return uri


def parse_uri_reference(text, field="uri"):
    """``virURIParse`` (spec C.2): the raw fields, or SpecError where libvirt fails."""
    if not isinstance(text, str):
        raise SpecError(field, text, "a libvirt URI string")
    if "\x00" in text:
        raise SpecError(field, text, "a URI without NUL characters")
    try:
        try:
            uri = _parse_absolute(text)
        except _Unparseable:
            uri = _parse_relative(text)
    except _Unparseable:
        raise SpecError(
            field, text,
            "libvirt says 'Unable to parse URI %s': characters outside RFC 3986 (space, quotes, "
            "'<>\\^`{|}', non-ASCII, a lone '%%', an empty ':port') must be percent-encoded"
            % text) from None
    if uri.server is not None and len(uri.server) > 2 and uri.server[0] == "[" and \
            uri.server[-1] == "]" and ":" in uri.server:
        uri.server = uri.server[1:-1]  # virStringStripIPv6Brackets
    if not uri.server:
        uri.port = 0  # viruri.c: the port only counts with a server
    uri.params = parse_query_params(uri.query) if uri.query is not None else []
    return uri


def parse_query_params(query):
    """``virURIParseParams`` (spec C.2): split on '&', on ';' only when no '&' remains."""
    params = []
    i, n = 0, len(query)
    while i < n:
        end = query.find("&", i)
        if end < 0:
            end = query.find(";", i)
        if end < 0:
            end = n
        segment, start = query[i:end], i
        i = end + 1
        if not segment:
            continue
        name, eq, value = segment.partition("=")
        if eq and not value:
            # "name=" is tested before "=value"; a bare "=" unescapes a zero length, which
            # libxml2 reads as "to the end of the query" (live oracle: "?=;x" names "=;x").
            params.append((unescape(name if name else query[start:]), ""))
            continue
        if eq and not name:
            continue  # "=value" is ignored
        params.append((unescape(name), unescape(value)))
    return params


def _escape(text, keep):
    out = []
    for byte in text.encode("utf-8", "surrogateescape"):
        c = chr(byte)
        if byte < 0x80 and c in keep:
            out.append(c)
        else:
            out.append("%%%02X" % byte)
    return "".join(out)


def format_query_params(params):
    """``virURIFormatParams``: name raw, value escaped except unreserved, '&' between."""
    return "&".join("%s=%s" % (name, _escape(value, _UNRESERVED)) for name, value in params)


# xmlSaveUri (RFC 2396 sets) used by virURIFormat, hence by ``virsh uri``.
_SAVE_UNRESERVED = _ALPHA | _DIGIT | frozenset("-_.!~*'()")
_SAVE_USER = _SAVE_UNRESERVED | frozenset(";:&=+$,")
_SAVE_PATH = _SAVE_UNRESERVED | frozenset("/;@&=+$,")
_SAVE_FRAGMENT = _SAVE_UNRESERVED | frozenset(";/?:@&=+$,[]")


def format_uri_like_libvirt(uri):
    """``virURIFormat`` (xmlSaveUri): the text ``virConnectGetURI`` / ``virsh uri`` prints."""
    out = []
    if uri.scheme is not None:
        out.append(uri.scheme + ":")
    server = uri.server
    if server is not None and ":" in server:
        server = "[%s]" % server
    if server is not None or uri.port == 0:
        # virURIFormat sets port -1 when there is no server so "qemu:///x" keeps its "//".
        out.append("//")
        if uri.user is not None:
            out.append(_escape(uri.user, _SAVE_USER) + "@")
        if server is not None:
            out.append(server)
        if server and uri.port > 0:
            out.append(":%d" % uri.port)
    if uri.path is not None:
        out.append(_escape(uri.path, _SAVE_PATH))
    if uri.query is not None:
        out.append("?" + uri.query)
    if uri.fragment is not None:
        out.append("#" + _escape(uri.fragment, _SAVE_FRAGMENT))
    return "".join(out)


def split_scheme(scheme):
    """``remoteSplitURIScheme``: driver before the first '+', transport after it (lowered)."""
    driver, plus, transport = scheme.partition("+")
    return driver, (transport.lower() if plus else None)


def parse_libvirt_uri(text, validate=True, ordered=False, field="uri"):
    """Parse a connection URI into the contract mapping (DESIGN.md).

    ``{driver, transport, user, host, port, path, params, fragment}``: ``transport`` is None
    without ``+transport`` (lower-cased, as the remote driver reads it); host/user/port are
    None when absent; ``path`` is decoded ("" when absent, as virConnectOpen treats it);
    ``params`` is a mapping where the last occurrence wins, or with ``ordered`` a list of
    ``[name, value]`` pairs in URI order with duplicates.  With ``validate`` the checks libvirt
    makes when opening the URI are applied (remote_params.validate_connection).
    """
    uri = parse_uri_reference(text, field)
    if uri.scheme is None:
        raise SpecError(
            field, text,
            "libvirt says 'no connection driver available for URI '%s' does not include a "
            "driver name'; write driver:///path (e.g. qemu:///system) or define it as an alias "
            "in uri_aliases" % text)
    driver, transport = split_scheme(uri.scheme)
    spec = {
        "driver": driver,
        "transport": transport,
        "user": uri.user,
        "host": uri.server if uri.server else None,
        "port": uri.port if uri.port else None,
        "path": uri.path if uri.path is not None else "",
        "params": [list(p) for p in uri.params] if ordered else dict(uri.params),
        "fragment": uri.fragment,
    }
    if validate:
        remote_params.validate_connection(spec, uri.params, field=field)
    return spec


_HOSTNAME_RE = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?$")


def _normalize_host(host, field):
    if host is None or host == "":
        return None
    if not isinstance(host, str):
        raise SpecError(field, host, "a host name or IP address string")
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if ":" in bare:
        addr, _pct, zone = bare.partition("%")
        try:
            ipaddress.IPv6Address(addr)
        except ValueError:
            raise SpecError(field, host, "an IPv6 address (brackets optional, e.g. '::1' or "
                            "'fe80::1%eth0'), an IPv4 address or a host name") from None
        if _pct and not re.match(r"^[A-Za-z0-9_.-]+$", zone):
            raise SpecError(field, host, "an IPv6 zone made of letters, digits, '_', '.', '-'")
        return bare
    if not _HOSTNAME_RE.match(bare):
        raise SpecError(field, host, "a host name made of letters, digits, '-', '_' and '.', "
                        "or an IP address")
    return bare


def _as_port(port, field):
    if port is None or port == "" or port == 0 or port == "0":
        return None  # viruri: ":0" is the same as no port
    if isinstance(port, bool):
        raise SpecError(field, port, "an integer port 1-65535")
    if isinstance(port, str) and port.isdigit() and port.isascii():
        port = int(port)
    if not isinstance(port, int) or not 1 <= port <= 65535:
        raise SpecError(field, port, "an integer port 1-65535 (or null for the transport's "
                        "default: tls 16514, tcp 16509, ssh 22)")
    return port


def _param_pairs(params, field):
    if params is None:
        return []
    if isinstance(params, dict):
        items = list(params.items())
    elif isinstance(params, (list, tuple)):
        items = []
        for index, pair in enumerate(params):
            if isinstance(pair, dict) and set(pair) == {"name", "value"}:
                pair = (pair["name"], pair["value"])
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise SpecError("%s.%d" % (field, index), pair,
                                "a [name, value] pair or {name: ..., value: ...}")
            items.append(tuple(pair))
    else:
        raise SpecError(field, params, "a mapping of name: value, or a list of [name, value]")
    pairs = []
    for name, value in items:
        if not isinstance(name, str) or not name:
            raise SpecError(field, name, "non-empty parameter names (libvirt drops '=value')")
        pairs.append((name, remote_params.param_text(name, value, "%s.%s" % (field, name))))
    return pairs


def render_libvirt_uri(spec, allow_password=False, field=""):
    """Build ``driver[+transport]://[user@]host[:port]/path[?params]`` from the contract.

    The result is parsed back with ``parse_uri_reference`` and must give the same fields;
    every check libvirt makes when opening is applied first (remote_params).
    """
    prefix = field + "." if field else ""
    if not isinstance(spec, dict):
        raise SpecError(field or "spec", spec, "a mapping with driver, transport, user, host, "
                        "port, path, params")
    known = set(URI_FIELDS) | {"password", "fragment"}
    unknown = sorted(str(k) for k in spec if k not in known)
    if unknown:
        raise SpecError(prefix + unknown[0], spec[unknown[0]] if unknown[0] in spec else None,
                        "one of the keys %s" % ", ".join(sorted(known)))
    driver = spec.get("driver")
    if not isinstance(driver, str) or not driver or driver[0] not in _ALPHA or \
            any(c not in _SCHEME_CHARS - frozenset("+") for c in driver):
        raise SpecError(prefix + "driver", driver, "a driver name such as %s"
                        % ", ".join(remote_params.KNOWN_DRIVERS))
    transport = spec.get("transport")
    if transport is not None and not isinstance(transport, str):
        raise SpecError(prefix + "transport", transport, "one of %s or null"
                        % "|".join(remote_params.TRANSPORTS))
    transport = transport.lower() if transport else None
    host = _normalize_host(spec.get("host"), prefix + "host")
    port = _as_port(spec.get("port"), prefix + "port")
    user = spec.get("user")
    password = spec.get("password")
    if user == "":
        raise SpecError(prefix + "user", user, "a non-empty user name or null (libxml2 reads "
                        "an empty 'qemu://@host' user as '@host...')")
    if user is not None and not isinstance(user, str):
        raise SpecError(prefix + "user", user, "a user name string")
    if user is not None and ":" in user and not allow_password:
        raise SpecError(prefix + "user", user, "a user name without ':' (libvirt would read "
                        "'user:secret@' as one user name and the secret would sit in the URI); "
                        "pass allow_password=true if you really mean it", secret=True)
    if password is not None:
        if not allow_password:
            raise SpecError(prefix + "password", password, "no password in a connection URI "
                            "(libvirt asks for it through its auth callback or authfile=); "
                            "pass allow_password=true to embed it anyway", secret=True)
        if not isinstance(password, str) or user is None:
            raise SpecError(prefix + "password", password, "a string, together with user",
                            secret=True)
        user = "%s:%s" % (user, password)
    path = spec.get("path")
    if path is None:
        path = ""
    if not isinstance(path, str):
        raise SpecError(prefix + "path", path, "a path string such as /system")
    if path and not path.startswith("/"):
        raise SpecError(prefix + "path", path, "an absolute path starting with '/' "
                        "(e.g. /system); libvirt reads 'qemu://system' as host 'system'")
    fragment = spec.get("fragment")
    if fragment is not None and not isinstance(fragment, str):
        raise SpecError(prefix + "fragment", fragment, "a string or null")
    pairs = _param_pairs(spec.get("params"), prefix + "params")
    scheme = driver + ("+" + transport if transport else "")
    model = {"driver": driver, "transport": transport, "user": user, "host": host,
             "port": port, "path": path, "params": dict(pairs), "fragment": fragment}
    remote_params.validate_connection(model, pairs, field=field)

    text = _assemble(scheme, user, host, port, path, pairs, fragment)
    if len(text) > MAX_RENDERED_URI_LENGTH:
        raise SpecError(field or "spec", None,
                        "the URI would be %d characters long once escaped; at most %d are "
                        "accepted (libxml2 refuses URIs over 1 MiB, and libvirt aborts on that)"
                        % (len(text), MAX_RENDERED_URI_LENGTH))
    expected = ParsedURI(scheme, host, user, port or 0, path or None,
                         format_query_params(pairs) if pairs else None, fragment, pairs)
    got = _reparse(text)
    if got is None or not _same(got, expected):
        raise SpecError(field or "spec", spec, "fields that libvirt reads back unchanged; the "
                        "rendered %r would be read differently" % text)
    return text


def _reparse(text):
    try:
        return parse_uri_reference(text)
    except SpecError:
        return None


def _same(got, expected):
    return (got.scheme, got.server, got.user, got.port, got.path, got.params, got.fragment) == \
        (expected.scheme, expected.server, expected.user, expected.port, expected.path,
         expected.params, expected.fragment)


def _assemble(scheme, user, host, port, path, pairs, fragment):
    out = [scheme, "://"]
    if user is not None:
        # libvirt decodes the whole userinfo into ``user``, so escaping is lossless; ':' is
        # kept literal only for an explicit password (render_libvirt_uri checked it).
        out.append(_escape(user, _UNRESERVED | _SUB_DELIMS | frozenset(":")) + "@")
    if host is not None:
        if ":" in host:
            out.append("[%s]" % host.replace("%", "%25"))
        else:
            out.append(_escape(host, _UNRESERVED))
    if port:
        out.append(":%d" % port)
    out.append(_escape(path, _PCHAR | frozenset("/")))
    if pairs:
        out.append("?" + "&".join("%s=%s" % (_escape(n, _UNRESERVED), _escape(v, _UNRESERVED))
                                  for n, v in pairs))
    if fragment is not None:
        out.append("#" + _escape(fragment, _UNRESERVED | frozenset("/?:@")))
    return "".join(out)
