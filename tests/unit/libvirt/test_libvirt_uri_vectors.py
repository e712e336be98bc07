# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""virURIParse / virURIFormat / virURIFormatParams vectors: libvirt tests/viruritest.c,
then virURIParse on libvirt 9.0 with libxml2 2.9.14."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri_reference import (
    format_query_params,
    format_uri_like_libvirt,
    parse_uri_reference,
)

N = None
# input, scheme, server, port, path, query, fragment, user, params, virURIFormat output
UPSTREAM = [
    ("test://example.com", "test", "example.com", 0, N, N, N, N, [], N),
    ("test://foo@example.com", "test", "example.com", 0, N, N, N, "foo", [], N),
    ("test://foo:pass@example.com", "test", "example.com", 0, N, N, N, "foo:pass", [], N),
    ("test://example.com:123", "test", "example.com", 123, N, N, N, N, [], N),
    ("test://example.com:123/system?name=value#foo", "test", "example.com", 123, "/system",
     "name=value", "foo", N, [("name", "value")], N),
    ("test://127.0.0.1:123/system", "test", "127.0.0.1", 123, "/system", N, N, N, [], N),
    ("test://[::1]:123/system", "test", "::1", 123, "/system", N, N, N, [], N),
    ("test://[2001:41c8:1:4fd4::2]:123/system", "test", "2001:41c8:1:4fd4::2", 123, "/system",
     N, N, N, [], N),
    ("gluster+rdma://example.com:1234/gv0/vol.img", "gluster+rdma", "example.com", 1234,
     "/gv0/vol.img", N, N, N, [], N),
]

UPSTREAM_PARAMS = [
    # query_in, params, virURIFormatParams output (viruritest.c TEST_PARAMS)
    ("foo=one&bar=two", [("foo", "one"), ("bar", "two")], "foo=one&bar=two"),
    ("foo=one&foo=two", [("foo", "one"), ("foo", "two")], "foo=one&foo=two"),
    ("foo=one&&foo=two", [("foo", "one"), ("foo", "two")], "foo=one&foo=two"),
    ("foo=one;foo=two", [("foo", "one"), ("foo", "two")], "foo=one&foo=two"),
    ("foo=%26one&bar=%26two", [("foo", "&one"), ("bar", "&two")], "foo=%26one&bar=%26two"),
    ("foo", [("foo", "")], "foo="),
    ("foo=", [("foo", "")], "foo="),
    ("foo=&", [("foo", "")], "foo="),
    ("foo=&&", [("foo", "")], "foo="),
    ("foo=one%20two", [("foo", "one two")], "foo=one%20two"),
    ("=bogus&foo=one", [("foo", "one")], "foo=one"),
]

# virURIParse probes of libvirt 9.0 + libxml2 2.9.14: input, scheme, server, user, port, path,
# raw query, params, virURIFormat, virURIFormatParams
PROBES = [
    ("qemu+ssh://root@host:2222/system?keyfile=/k&no_verify=1", "qemu+ssh", "host", "root",
     2222, "/system", "keyfile=/k&no_verify=1", [("keyfile", "/k"), ("no_verify", "1")], N,
     "keyfile=%2Fk&no_verify=1"),
    ("qemu:///system", "qemu", N, N, 0, "/system", N, [], N, N),
    ("qemu+unix:///system?socket=/run/x%20y", "qemu+unix", N, N, 0, "/system",
     "socket=/run/x%20y", [("socket", "/run/x y")], N, "socket=%2Frun%2Fx%20y"),
    ("test://example.com/?a=1;b=2&c=3", "test", "example.com", N, 0, "/", "a=1;b=2&c=3",
     [("a", "1;b=2"), ("c", "3")], N, "a=1%3Bb%3D2&c=3"),
    ("test://example.com/?a=1;b=2", "test", "example.com", N, 0, "/", "a=1;b=2",
     [("a", "1"), ("b", "2")], N, "a=1&b=2"),
    ("test://example.com/?foo=one&&foo=two", "test", "example.com", N, 0, "/",
     "foo=one&&foo=two", [("foo", "one"), ("foo", "two")], N, "foo=one&foo=two"),
    ("test://example.com/?=bogus&foo=one", "test", "example.com", N, 0, "/", "=bogus&foo=one",
     [("foo", "one")], N, "foo=one"),
    ("test://example.com/?foo", "test", "example.com", N, 0, "/", "foo", [("foo", "")], N,
     "foo="),
    ("qemu://system", "qemu", "system", N, 0, N, N, [], N, N),
    ("myalias", N, N, N, 0, "myalias", N, [], "//myalias", N),
    ("qemu+ssh://user%40dom@host/system", "qemu+ssh", "host", "user@dom", 0, "/system", N, [],
     N, N),
    ("xen://", "xen", N, N, 0, N, N, [], N, N),
    ("qemu+ssh://host:0/system", "qemu+ssh", "host", N, 0, "/system", N, [],
     "qemu+ssh://host/system", N),
    ("qemu+ssh://host:65536/system", "qemu+ssh", "host", N, 65536, "/system", N, [], N, N),
    ("qemu+tcp://[fe80::1%25eth0]:16509/system", "qemu+tcp", "fe80::1%eth0", N, 16509,
     "/system", N, [], "qemu+tcp://[fe80::1%eth0]:16509/system", N),
    ("qemu+ssh://h/system?name=qemu%3A%2F%2F%2Fsystem", "qemu+ssh", "h", N, 0, "/system",
     "name=qemu%3A%2F%2F%2Fsystem", [("name", "qemu:///system")], N,
     "name=qemu%3A%2F%2F%2Fsystem"),
    ("QEMU:///system", "QEMU", N, N, 0, "/system", N, [], N, N),
    ("qemu+SSH://h/system", "qemu+SSH", "h", N, 0, "/system", N, [], N, N),
    ("qemu+ssh://h/system#frag", "qemu+ssh", "h", N, 0, "/system", N, [], N, N),
    ("spice://[3ffe::104]:5900/?tlsSubject=C=XX,L=Testtown,O=Test%20Company,CN=tester.test",
     "spice", "3ffe::104", N, 5900, "/",
     "tlsSubject=C=XX,L=Testtown,O=Test%20Company,CN=tester.test",
     [("tlsSubject", "C=XX,L=Testtown,O=Test Company,CN=tester.test")], N,
     "tlsSubject=C%3DXX%2CL%3DTesttown%2CO%3DTest%20Company%2CCN%3Dtester.test"),
    ("qemu+ssh://h/system?socket=/a%3Fb", "qemu+ssh", "h", N, 0, "/system", "socket=/a%3Fb",
     [("socket", "/a?b")], N, "socket=%2Fa%3Fb"),
]


@pytest.mark.parametrize("row", UPSTREAM, ids=[r[0] for r in UPSTREAM])
def test_viruritest_parse(row):
    text, scheme, server, port, path, query, fragment, user, params, out = row
    uri = parse_uri_reference(text)
    assert (uri.scheme, uri.server, uri.port, uri.path, uri.query, uri.fragment, uri.user,
            uri.params) == (scheme, server, port, path, query, fragment, user, params)
    assert format_uri_like_libvirt(uri) == (out or text)


def test_viruritest_spice_roundtrip_uses_formatted_params():
    text = "spice://[3ffe::104]:5900/?tlsSubject=C=XX,L=Testtown,O=Test%20Company,CN=tester.test"
    uri = parse_uri_reference(text)
    uri.query = format_query_params(uri.params)
    assert format_uri_like_libvirt(uri) == ("spice://[3ffe::104]:5900/?tlsSubject=C%3DXX%2CL%3D"
                                            "Testtown%2CO%3DTest%20Company%2CCN%3Dtester.test")


@pytest.mark.parametrize("query,params,out", UPSTREAM_PARAMS, ids=[r[0] for r in UPSTREAM_PARAMS])
def test_viruritest_params(query, params, out):
    uri = parse_uri_reference("test://example.com/?" + query)
    assert (uri.server, uri.port, uri.path, uri.params) == ("example.com", 0, "/", params)
    uri.query = format_query_params(uri.params)
    assert format_uri_like_libvirt(uri) == "test://example.com/?" + out


@pytest.mark.parametrize("row", PROBES, ids=[r[0] for r in PROBES])
def test_libvirt90_probe(row):
    text, scheme, server, user, port, path, query, params, formatted, fparams = row
    uri = parse_uri_reference(text)
    assert (uri.scheme, uri.server, uri.user, uri.port, uri.path, uri.query, uri.params) == (
        scheme, server, user, port, path, query, params)
    assert format_uri_like_libvirt(uri) == (formatted or text)
    assert (format_query_params(uri.params) if uri.params else None) == fparams


@pytest.mark.parametrize("text", [
    "qemu+ssh://h/system?keyfile=/a b",  # libvirt 9.0 virURIParse: raw space
    "qemu:///syst\u00e9m",  # non-ASCII must be encoded
    "qemu://host:/system",  # ':' without digits
    "test://[::1]x/",  # text after an IP literal
    "qemu:///a%zz",
    "qemu:///system?x=\"",
    "qemu://[::1/system",
])
def test_unparseable_like_libxml2(text):
    with pytest.raises(SpecError, match="Unable to parse URI"):
        parse_uri_reference(text)


# libxml2 2.9.14 quirks, each confirmed against the real virURIParse (tests/live oracle).
QUIRKS = [
    # input, server, user, path, params
    ("test://1.2.3.4.5/", "1.2.3.4.5", None, "/", []),  # dotted names are reg-names
    ("test://1.2.3.4x/", "1.2.3.4x", None, "/", []),
    ("qemu://@host/x", "host", "@host/x", "/x", []),  # empty userinfo: unescaped to the end
    ("a1://[b]//", "[b]", None, "//", []),  # brackets only stripped around an IPv6 (':')
    ("qemu:///x?=;y", None, None, "/x", [("=;y", ""), ("y", "")]),  # bare '=' names the rest
    ("qemu:/system", None, None, "/system", []),
    ("qemu:system", None, None, "system", []),
    # %00 ends libvirt's C string of the field (live: test_our_reader_agrees_with_virURIParse)
    ("A://%00", "", None, None, []),
    ("?%00name=", None, None, None, [("", "")]),
    ("qemu:///a%00b?n=%00v&n%00=v", None, None, "/a", [("n", ""), ("n", "v")]),
    ("qemu://%00@h%00x/", "h", "", "/", []),
]


@pytest.mark.parametrize("text,server,user,path,params", QUIRKS, ids=[q[0] for q in QUIRKS])
def test_libxml2_quirks(text, server, user, path, params):
    uri = parse_uri_reference(text)
    assert (uri.server, uri.user, uri.path, uri.params) == (server, user, path, params)
