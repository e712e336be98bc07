"""Percent-encoding and splitting of the URIs QEMU reads (drive/uri_text.py): split_uri's parts
of each URI, the escapes written for paths, users and query values per QEMU version, and the
refusals with field and whole message. How each QEMU decodes a query value is shown on QEMU 7.2
and 10.0 by tests/live/drive/test_version_gates_live.py (see test_query_versions.py)."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.uri_text import (
    parse_query, quote_path, quote_query_value, quote_userinfo, split_uri, unquote_strict,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.tests.support.ids import printable_ids


def parts(scheme, authority, userinfo, host, port, path, query=None, fragment=None, version=(10, 0)):
    return {"scheme": scheme, "authority": authority, "userinfo": userinfo, "host": host, "port": port,
            "path": path, "query": query, "fragment": fragment, "qemu_version": version}


SPLIT = [
    ("nbd://u:p@h:10/e?a=b#f", parts("nbd", "u:p@h:10", "u:p", "h", 10, "/e", "a=b", "f")),
    ("nbd://[::1]:10/e", parts("nbd", "[::1]:10", None, "::1", 10, "/e")),
    ("nbd://[::1]/e", parts("nbd", "[::1]", None, "::1", None, "/e")),
    ("nbd://h:/e", parts("nbd", "h:", None, "h", None, "/e")),
    ("nbd://h%41/e", parts("nbd", "h%41", None, "hA", None, "/e")),
    ("nbd:/e", parts("nbd", None, None, None, None, "/e")),
    ("nbd:e", parts("nbd", None, None, None, None, "e")),
    ("nbd://a@b@h/", parts("nbd", "a@b@h", "a@b", "h", None, "/")),
    ("nbd://", parts("nbd", "", None, "", None, "")),
    ("nbd+unix:///e?socket=/s", parts("nbd+unix", "", None, "", None, "/e", "socket=/s")),
    ("nbd://[]/", parts("nbd", "[]", None, "", None, "/")),
    # an unbracketed host keeps all but its last ':' (QEMU then refuses such a host)
    ("nbd://h:1:2/e", parts("nbd", "h:1:2", None, "h:1", 2, "/e")),
    ("gluster+rdma://h/v/p?#", parts("gluster+rdma", "h", None, "h", None, "/v/p", "", "")),
]


@pytest.mark.parametrize("text,expected", SPLIT, ids=printable_ids([row[0] for row in SPLIT], 80, str))
def test_split_uri(text, expected):
    assert split_uri(text) == expected


def test_split_uri_carries_the_version():
    assert split_uri("nbd://h/", qemu_version=(7, 2))["qemu_version"] == (7, 2)


SPLIT_REFUSED = [
    ("nbd://[::1]x/e", "uri: 'nbd://[::1]x/e' is not accepted; unexpected text after the IPv6 address"),
    ("nbd://[::1/e", "uri: 'nbd://[::1/e' is not accepted; IPv6 address without closing ']'"),
    ("nbd://[::1]]/e", "uri: 'nbd://[::1]]/e' is not accepted; unexpected text after the IPv6 address"),
    ("nbd://h:x/e", "uri: 'nbd://h:x/e' is not accepted; the port must be a number"),
    ("nbd://h:\u0661/e", "uri: 'nbd://h:\u0661/e' is not accepted; the port must be a number"),
    ("nbd://h%zz/e", "uri: 'h%zz' is not accepted; invalid %-encoding"),
    ("nbd://%ff/", "uri: '%ff' is not accepted; %-escapes do not decode to UTF-8"),
    ("1nbd://h", "uri: '1nbd://h' is not accepted; not a URI of the form scheme://host/path"),
    ("nbd", "uri: 'nbd' is not accepted; not a URI of the form scheme://host/path"),
]


@pytest.mark.parametrize("text,message", SPLIT_REFUSED, ids=["row%d" % i for i in range(len(SPLIT_REFUSED))])
def test_split_uri_refused(text, message):
    with pytest.raises(SpecError) as caught:
        split_uri(text)
    assert (caught.value.field, str(caught.value)) == ("uri", message)


def test_split_uri_names_its_field():
    with pytest.raises(SpecError) as caught:
        split_uri("x y", "file.filename")
    assert str(caught.value) == "file.filename: 'x y' is not accepted; not a URI of the form scheme://host/path"


def test_quote_path_and_user():
    assert quote_path("/a b/c?#%~-._\u00e9:@") == "/a%20b/c%3F%23%25~-._%C3%A9%3A%40"
    assert quote_userinfo("u:s@r/~-._ %") == "u%3As%40r%2F~-._%20%25"


@pytest.mark.parametrize("value,version,text", [
    ("/a b&c%d=e;f?g#h:@!$'()*,+~\u00e9", (7, 2), "/a%20b%26c%25d=e%3Bf%3Fg%23h:@!$'()*,+~%C3%A9"),
    ("/a b&c%d=e;f?g#h:@!$'()*,+~\u00e9", (9, 1), "/a%20b%2526c%2525d=e%3Bf%3Fg%23h:@!$'()*,+~%C3%A9"),
    ("a&b%c", (9, 0), "a%26b%25c"),
    ("a&b", None, "a%2526b"),
    ("-._~/", (7, 2), "-._~/"),
    ("aXx", (9, 1), "aXx"),
], ids=["7.2", "9.1", "9.0", "default", "unreserved", "letters"])
def test_quote_query_value(value, version, text):
    assert quote_query_value(value, version) == text


@pytest.mark.parametrize("text,decoded", [("a%20b", "a b"), ("%C3%A9", "\u00e9"), ("ok", "ok"), ("%2a%2A", "**")])
def test_unquote_strict(text, decoded):
    assert unquote_strict(text, "f") == decoded


@pytest.mark.parametrize("text,message", [
    ("a%2", "f: 'a%2' is not accepted; invalid %-encoding"),
    ("a%zz", "f: 'a%zz' is not accepted; invalid %-encoding"),
    ("%", "f: '%' is not accepted; invalid %-encoding"),
    ("%ff", "f: '%ff' is not accepted; %-escapes do not decode to UTF-8"),
], ids=["short", "not-hex", "alone", "not-utf8"])
def test_unquote_strict_refused(text, message):
    with pytest.raises(SpecError) as caught:
        unquote_strict(text, "f")
    assert (caught.value.field, str(caught.value)) == ("f", message)


QUERY = [
    ("", (7, 2), {}),
    (None, (10, 0), {}),
    ("a=1&b=2", (7, 2), {"a": "1", "b": "2"}),
    ("a=1;b=2", (7, 2), {"a": "1", "b": "2"}),
    ("a=1;b=2", (10, 0), {"a": "1;b=2"}),
    ("a=%2541", (10, 0), {"a": "A"}),
    ("a=%2541", (9, 1), {"a": "A"}),
    ("a=%2541", (9, 0), {"a": "%41"}),
    ("a=%2541", None, {"a": "A"}),
    ("a=", (7, 2), {"a": ""}),
    ("=x", (7, 2), {"": "x"}),
    ("a%3D=1", (7, 2), {"a=": "1"}),
    ("a=b=c", (7, 2), {"a": "b=c"}),
    ("a=b&c=%C3%A9", (10, 0), {"a": "b", "c": "\u00e9"}),
]


@pytest.mark.parametrize("query,version,params", QUERY, ids=["row%d" % i for i in range(len(QUERY))])
def test_parse_query(query, version, params):
    assert parse_query(query, "T", version) == params


SPLITS = "query parameters must be name=value (a decoded '&' or an unescaped ';' in a value splits it for QEMU %s"
CUT = "%00 in a query: QEMU < 9.1 cuts the value there, >= 9.1 rejects it"

QUERY_REFUSED = [
    ("a", (7, 2), "uri: 'T' is not accepted; " + SPLITS % "< 9.1)"),
    ("a", (10, 0), "uri: 'T' is not accepted; " + SPLITS % ">= 9.1)"),
    ("a=1&b", (7, 2), "uri: 'T' is not accepted; " + SPLITS % "< 9.1)"),
    ("a=1&a=2", (7, 2), "uri: 'T' is not accepted; repeated query parameter 'a' (QEMU <= 9.0 rejects it)"),
    ("a=1&a=2", (10, 0), "uri: 'T' is not accepted; repeated query parameter 'a' (QEMU <= 9.0 rejects it)"),
    ("a=1&%61=2", (7, 2), "uri: 'T' is not accepted; repeated query parameter 'a' (QEMU <= 9.0 rejects it)"),
    ("a=b c", (7, 2), "uri: 'T' is not accepted; QEMU < 9.1 (util/uri.c) rejects the characters ' ' in a query; "
     "%-escape them"),
    ("a=b|c d|", (7, 2), "uri: 'T' is not accepted; QEMU < 9.1 (util/uri.c) rejects the characters ' ' '|' in a "
     "query; %-escape them"),
    ("a=%00", (7, 2), "uri: 'T' is not accepted; " + CUT),
    ("a%00=1", (10, 0), "uri: 'T' is not accepted; " + CUT),
    ("a%00=1", (7, 2), "uri: 'T' is not accepted; " + CUT),
    ("a=%2500", (10, 0), "uri: 'T' is not accepted; " + CUT),
    ("a=%zz", (10, 0), "uri: 'a=%zz' is not accepted; invalid %-encoding"),
    ("a=%zz", (7, 2), "uri: '%zz' is not accepted; invalid %-encoding"),
    ("a=%ff", (7, 2), "uri: '%ff' is not accepted; %-escapes do not decode to UTF-8"),
]


@pytest.mark.parametrize("query,version,message", QUERY_REFUSED, ids=["row%d" % i for i in range(len(QUERY_REFUSED))])
def test_parse_query_refused(query, version, message):
    with pytest.raises(SpecError) as caught:
        parse_query(query, "T", version)
    assert (caught.value.field, str(caught.value)) == ("uri", message)
