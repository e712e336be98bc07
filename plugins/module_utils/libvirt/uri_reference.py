# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The libxml2-compatible URI layer: RFC 3986 references as libvirt's ``virURIParse`` reads them.

libvirt's ``virURIParse`` (src/util/viruri.c) is libxml2's RFC 3986 parser (``xmlParseURI``,
libxml2 2.9.14 on Debian 12) plus a few libvirt rules; ``parse_uri_reference`` reproduces it
byte for byte, including libxml2's quirks, and ``format_uri_like_libvirt`` is ``virURIFormat``
(``xmlSaveUri``). Nothing here knows about drivers or transports: that is uri.py.
"""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

__all__ = [
    "ParsedURI",
    "parse_uri_reference",
    "parse_query_params",
    "format_query_params",
    "format_uri_like_libvirt",
    "unescape",
    "escape",
    "ALPHA",
    "PCHAR",
    "SCHEME_CHARS",
    "SUB_DELIMS",
    "UNRESERVED",
]

ALPHA = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_DIGIT = frozenset("0123456789")
_HEX = frozenset("0123456789abcdefABCDEF")
# RFC 3986 sets as libxml2 2.9.14 (uri.c) implements them.
UNRESERVED = ALPHA | _DIGIT | frozenset("-._~")
SUB_DELIMS = frozenset("!$&'()*+,;=")
PCHAR = UNRESERVED | SUB_DELIMS | frozenset(":@")
SCHEME_CHARS = ALPHA | _DIGIT | frozenset("+-.")


class ParsedURI:
    """The fields of libvirt's ``virURI`` after ``virURIParse`` (src/util/viruri.c)."""

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


def _c_string(text):
    """A field as libvirt keeps it: ``xmlURIUnescapeString``, then read as a C string.

    libxml2 (uri.c: xmlURIUnescapeString) writes a %00 as a NUL byte into the buffer, and every
    consumer in libvirt (src/util/viruri.c: virURIParse's g_strdup of each field,
    virURIParseParams' virURIParamAppend) stops at it: 'qemu:///a%00b' has the path '/a',
    '?%00name=' a parameter named '' (both libvirts; tests/live/libvirt/
    test_libvirt_differential_fuzz.py::test_our_reader_agrees_with_virURIParse).
    """
    return unescape(text).partition("\x00")[0]


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
    j = _scan(text, i, UNRESERVED | SUB_DELIMS)
    return j, (text[start:j] if j != start else None)


def _parse_authority(text, i, uri):
    """``xmlParse3986Authority``: [userinfo "@"] host [":" port]."""
    n = len(text)
    j = _scan(text, i, UNRESERVED | SUB_DELIMS | frozenset(":"))
    if j < n and text[j] == "@":
        # libxml2 2.9.14 unescapes with length 0 meaning "up to the NUL": an empty userinfo
        # ("qemu://@host/x") gives the user "@host/x" (checked against libvirt, live oracle).
        uri.user = _c_string(text[i:j] if j != i else text[i:])
        i = j + 1
    i, host = _parse_host(text, i)
    uri.server = _c_string(host) if host is not None else None
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
        j = _scan(text, j + 1, PCHAR)
    uri.path = _c_string(text[i:j]) if j != i else None
    return j


def _parse_segments(text, i, first_nz, first_no_colon=False):
    """path-absolute / path-rootless / path-noscheme; returns end or None."""
    allowed = PCHAR - frozenset(":") if first_no_colon else PCHAR
    j = _scan(text, i, allowed)
    if first_nz and j == i:
        return None
    while j < len(text) and text[j] == "/":
        j = _scan(text, j + 1, PCHAR)
    return j


def _parse_query_fragment(text, i, uri):
    n = len(text)
    if i < n and text[i] == "?":
        j = _scan(text, i + 1, PCHAR | frozenset("/?"))
        uri.query = text[i + 1:j]
        i = j
    if i < n and text[i] == "#":
        j = _scan(text, i + 1, PCHAR | frozenset("/?[]"))
        uri.fragment = _c_string(text[i + 1:j])
        i = j
    if i != n:
        raise _Unparseable()


def _parse_absolute(text):
    uri = ParsedURI()
    n = len(text)
    if not text or text[0] not in ALPHA:
        raise _Unparseable()
    i = 1
    while i < n and text[i] in SCHEME_CHARS:
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
        uri.path = _c_string(text[i:j])
        return j
    j = _parse_segments(text, i, first_nz=True, first_no_colon=relative)
    if j is None:
        return i  # path-empty
    uri.path = _c_string(text[i:j])
    return j


def _parse_relative(text):
    uri = ParsedURI()
    i = _parse_hier(text, 0, uri, relative=True)
    _parse_query_fragment(text, i, uri)
    return uri


def parse_uri_reference(text, field="uri"):
    """``virURIParse`` (src/util/viruri.c, over libxml2 uri.c: xmlParseURI): the raw fields, or
    SpecError where libvirt fails."""
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
    """``virURIParseParams`` (src/util/viruri.c): split on '&', on ';' only when no '&' remains."""
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
            params.append((_c_string(name if name else query[start:]), ""))
            continue
        if eq and not name:
            continue  # "=value" is ignored
        params.append((_c_string(name), _c_string(value)))
    return params


def escape(text, keep):
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
    return "&".join("%s=%s" % (name, escape(value, UNRESERVED)) for name, value in params)


# xmlSaveUri (RFC 2396 sets) used by virURIFormat, hence by ``virsh uri``.
_SAVE_UNRESERVED = ALPHA | _DIGIT | frozenset("-_.!~*'()")
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
            out.append(escape(uri.user, _SAVE_USER) + "@")
        if server is not None:
            out.append(server)
        if server and uri.port > 0:
            out.append(":%d" % uri.port)
    if uri.path is not None:
        out.append(escape(uri.path, _SAVE_PATH))
    if uri.query is not None:
        out.append("?" + uri.query)
    if uri.fragment is not None:
        out.append("#" + escape(uri.fragment, _SAVE_FRAGMENT))
    return "".join(out)
