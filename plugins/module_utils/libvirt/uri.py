# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection-URI layer: libvirt connection URIs parsed and rendered as libvirt reads them
(driver, +transport, host, port, path, remote parameters; libvirt docs/uri.rst,
src/util/viruri.c: virURIParse, src/remote/remote_sockets.c: remoteSplitURIScheme).

The RFC 3986 layer underneath, libxml2-compatible as libvirt's virURIParse is, is
uri_reference.py; ``render_libvirt_uri`` checks every string it builds by reading it back there.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt import remote_params
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri_reference import (
    ALPHA, PCHAR, SCHEME_CHARS, SUB_DELIMS, UNRESERVED, ParsedURI, escape, format_query_params, parse_uri_reference,
)

__all__ = [
    "parse_libvirt_uri",
    "render_libvirt_uri",
    "split_scheme",
    "URI_FIELDS",
]

URI_FIELDS = ("driver", "transport", "user", "host", "port", "path", "params")

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


def split_scheme(scheme):
    """``remoteSplitURIScheme``: driver before the first '+', transport after it (lowered)."""
    driver, plus, transport = scheme.partition("+")
    return driver, (transport.lower() if plus else None)


def parse_libvirt_uri(text, validate=True, ordered=False, field="uri"):
    """Parse a connection URI into the contract mapping (the RETURN of libvirt_uri_parse).

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
    if validate and uri.server == "":
        # An empty host leaves libxml2's server NULL (uri.c: xmlParse3986Host), but a host that
        # starts with %00 is the server '' (a C string), and libvirt takes any server as remote
        # (src/remote/remote_sockets.c: remoteSplitURIScheme tests uri->server): TLS by default,
        # refused with +unix (libvirt 9.0 and 11.3, tests/live/libvirt/
        # test_libvirt_version_gates_live.py).
        raise SpecError(field + ".host" if field else "host", "", "a host name or no host; "
                        "libvirt reads a host that starts with %00 as the remote server '' (with "
                        "+unix: 'using unix socket and remote server '' is not supported.')")
    if validate:
        remote_params.validate_connection(spec, uri.params, field=field)
    return spec


_HOSTNAME_RE = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?$")


def check_libvirt_uri_host(host, field):
    """The libvirt connection URI's host rule (brackets optional, an IPv6 zone allowed: virURIParse
    keeps it); None for no host. Not QEMU's drive host rule (drive/fields.py check_qemu_host)."""
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
    if not isinstance(driver, str) or not driver or driver[0] not in ALPHA or \
            any(c not in SCHEME_CHARS - frozenset("+") for c in driver):
        raise SpecError(prefix + "driver", driver, "a driver name such as %s"
                        % ", ".join(remote_params.KNOWN_DRIVERS))
    transport = spec.get("transport")
    if transport is not None and not isinstance(transport, str):
        raise SpecError(prefix + "transport", transport, "one of %s or null"
                        % "|".join(remote_params.TRANSPORTS))
    transport = transport.lower() if transport else None
    host = check_libvirt_uri_host(spec.get("host"), prefix + "host")
    port = _as_port(spec.get("port"), prefix + "port")
    user = spec.get("user")
    password = spec.get("password")
    if user == "":
        raise SpecError(prefix + "user", user, "a non-empty user name or null (libxml2 reads "
                        "an empty 'qemu://@host' user as '@host...')")
    if user is not None and not isinstance(user, str):
        raise SpecError(prefix + "user", user, "a user name string")
    if user is not None and "\x00" in user:
        # libvirt's virURIParse decodes %00 and keeps a C string: 'a%00b@' is read as user 'a'
        raise SpecError(prefix + "user", user, "a user name without NUL characters")
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
        if "\x00" in password:
            raise SpecError(prefix + "password", password, "a password without NUL characters",
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
        out.append(escape(user, UNRESERVED | SUB_DELIMS | frozenset(":")) + "@")
    if host is not None:
        if ":" in host:
            out.append("[%s]" % host.replace("%", "%25"))
        else:
            out.append(escape(host, UNRESERVED))
    if port:
        out.append(":%d" % port)
    out.append(escape(path, PCHAR | frozenset("/")))
    if pairs:
        out.append("?" + "&".join("%s=%s" % (escape(n, UNRESERVED), escape(v, UNRESERVED))
                                  for n, v in pairs))
    if fragment is not None:
        out.append("#" + escape(fragment, UNRESERVED | frozenset("/?:@")))
    return "".join(out)
