# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""render_libvirt_uri field by field: the exact URI for each escaping and optional part, and the
field and whole message of each refusal; parse_libvirt_uri's contract mapping.

Each rendered URI below was read back by the host's libvirt 9.0 virURIParse
(tests/support/libvirt_oracle.py) into exactly the fields in the row: READ_BACK holds what it
returned, and tests/live/libvirt/test_libvirt_differential_fuzz.py checks the same on 9.0 and
11.3 for generated specs.
"""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri import (
    check_libvirt_uri_host,
    parse_libvirt_uri,
    render_libvirt_uri,
    split_scheme,
)
from ansible_collections.virt_uri.toolkit.tests.support.ids import printable_ids

DRIVERS = ("qemu, xen, lxc, test, vbox, ch, bhyve, vz, parallels, openvz, vmwareplayer, vmwarews, "
           "vmwarefusion, esx, gsx, vpx, hyperv, network, nodedev, nwfilter, secret, storage, "
           "interface, remote")
Q = {"driver": "qemu", "path": "/system"}

# spec -> rendered URI, and virURIParse's (server, user, port, path, fragment, params) of it
READ_BACK = [
    ({"driver": "test", "path": "/default", "user": "a b!$&'()*+,;=~-._@"},
     "test://a%20b!$&'()*+,;=~-._%40@/default",
     (None, "a b!$&'()*+,;=~-._@", 0, "/default", None, [])),
    ({"driver": "esx", "host": "h", "path": "/", "user": "u", "password": "p@ss:w/rd"},
     "esx://u:p%40ss:w%2Frd@h/", ("h", "u:p@ss:w/rd", 0, "/", None, [])),
    ({"driver": "test", "path": "/a b/!$&'()*+,;=:@~%?#[]", "host": "h_1.example-x"},
     "test://h_1.example-x/a%20b/!$&'()*+,;=:@~%25%3F%23%5B%5D",
     ("h_1.example-x", None, 0, "/a b/!$&'()*+,;=:@~%?#[]", None, [])),
    ({"driver": "test", "path": "/default", "params": [["n a&=", "v ;&=/?#~._-"], ["x", "\u00e9"]]},
     "test:///default?n%20a%26%3D=v%20%3B%26%3D%2F%3F%23~._-&x=%C3%A9",
     (None, None, 0, "/default", None, [("n a&=", "v ;&=/?#~._-"), ("x", "\u00e9")])),
    ({"driver": "test", "path": "/default", "fragment": "f /?:@#&=~[]\u00e9"},
     "test:///default#f%20/?:@%23%26%3D~%5B%5D%C3%A9",
     (None, None, 0, "/default", "f /?:@#&=~[]\u00e9", [])),
    ({"driver": "test", "path": "/default", "fragment": ""}, "test:///default#",
     (None, None, 0, "/default", "", [])),
    ({"driver": "qemu", "transport": "SSH", "host": "fe80::1%eth0.5_x-y", "port": "65535",
      "path": "/system"}, "qemu+ssh://[fe80::1%25eth0.5_x-y]:65535/system",
     ("fe80::1%eth0.5_x-y", None, 65535, "/system", None, [])),
    ({"driver": "qemu", "transport": "tcp", "host": "[::1]", "port": 1, "path": "/session"},
     "qemu+tcp://[::1]:1/session", ("::1", None, 1, "/session", None, [])),
    ({"driver": "remote", "path": "", "host": "h"}, "remote://h", ("h", None, 0, None, None, [])),
    ({"driver": "remote", "path": None, "host": "h", "params": None, "port": "0"}, "remote://h",
     ("h", None, 0, None, None, [])),
    ({"driver": "test", "path": "/default", "params": [{"name": "a", "value": "1"}, ("b", "2")]},
     "test:///default?a=1&b=2", (None, None, 0, "/default", None, [("a", "1"), ("b", "2")])),
    ({"driver": "test", "path": "/default", "params": {"a": 1, "no_tty": False}},
     "test:///default?a=1&no_tty=0", (None, None, 0, "/default", None, [("a", "1"), ("no_tty", "0")])),
    ({"driver": "test", "path": "/default", "transport": ""}, "test:///default",
     (None, None, 0, "/default", None, [])),
    ({"driver": "test", "host": "h.", "path": "/default"}, "test://h./default",
     ("h.", None, 0, "/default", None, [])),
    ({"driver": "qemu", "transport": "ssh", "host": "fe80::1%ETH0", "path": "/system"},
     "qemu+ssh://[fe80::1%25ETH0]/system", ("fe80::1%ETH0", None, 0, "/system", None, [])),
    ({"driver": "qemu", "transport": "ssh", "host": "h", "port": "", "path": "/system"},
     "qemu+ssh://h/system", ("h", None, 0, "/system", None, [])),
    ({"driver": "test", "transport": "ssh", "host": "h", "port": 0, "path": "/default"},
     "test+ssh://h/default", ("h", None, 0, "/default", None, [])),
]


@pytest.mark.parametrize("spec,text,fields", READ_BACK, ids=[r[1] for r in READ_BACK])
def test_render_exact(spec, text, fields):
    assert render_libvirt_uri(spec, allow_password="password" in spec) == text
    parsed = parse_libvirt_uri(text, ordered=True)
    assert (parsed["host"], parsed["user"], parsed["port"] or 0, parsed["path"] or None,
            parsed["fragment"], [tuple(p) for p in parsed["params"]]) == fields


def _refused(field, value, accepted):
    return field, "%s: %s is not accepted; %s" % (field, value, accepted)


PORT = "an integer port 1-65535 (or null for the transport's default: tls 16514, tcp 16509, ssh 22)"
# spec, keyword arguments -> field, whole message
REFUSED = [
    ("x", {}, "spec", "spec: 'x' is not accepted; a mapping with driver, transport, user, host, port, "
     "path, params"),
    ("x", {"field": "c"}, "c", "c: 'x' is not accepted; a mapping with driver, transport, user, host, "
     "port, path, params"),
    (dict(Q, zzz=2, bogus=1), {}) + _refused("bogus", "1", "one of the keys driver, fragment, host, params, password, path, port, transport, user"),
    (dict(Q, bogus=None), {"field": "c"}, "c.bogus", "c.bogus: one of the keys driver, fragment, host, "
     "params, password, path, port, transport, user"),
    # a key that is not a string: named by its str(), no value to show
    ({**Q, 5: "x"}, {}, "5", "5: one of the keys driver, fragment, host, params, password, path, port, "
     "transport, user"),
    (dict(Q, driver=None), {}, "driver", "driver: a driver name such as %s" % DRIVERS),
    (dict(Q, driver=""), {}) + _refused("driver", "''", "a driver name such as %s" % DRIVERS),
    (dict(Q, driver="1qemu"), {}) + _refused("driver", "'1qemu'", "a driver name such as %s" % DRIVERS),
    (dict(Q, driver="qemu+ssh"), {}) + _refused("driver", "'qemu+ssh'", "a driver name such as %s" % DRIVERS),
    (dict(Q, driver="qe mu"), {}) + _refused("driver", "'qe mu'", "a driver name such as %s" % DRIVERS),
    (dict(Q, driver=["qemu"]), {}) + _refused("driver", "['qemu']", "a driver name such as %s" % DRIVERS),
    (dict(Q, driver="Xen"), {}) + _refused(
        "driver", "'Xen'", "a libvirt driver: %s (case-sensitive; libvirt matches schemes with STREQ)"
        % DRIVERS),
    (dict(Q, driver="Qemu"), {"field": "c"}) + _refused(
        "c.driver", "'Qemu'", "a libvirt driver: %s (case-sensitive; libvirt matches schemes with STREQ)"
        % DRIVERS),
    (dict(Q, transport=5), {}) + _refused("transport", "5", "one of tls|unix|ssh|ext|tcp|libssh2|libssh or null"),
    (dict(Q, host=5), {}) + _refused("host", "5", "a host name or IP address string"),
    (dict(Q, host="::zz"), {}) + _refused("host", "'::zz'", "an IPv6 address (brackets optional, e.g. "
                                          "'::1' or 'fe80::1%eth0'), an IPv4 address or a host name"),
    (dict(Q, host="[::1"), {}) + _refused("host", "'[::1'", "an IPv6 address (brackets optional, e.g. "
                                          "'::1' or 'fe80::1%eth0'), an IPv4 address or a host name"),
    (dict(Q, host="fe80::1%e th"), {}) + _refused("host", "'fe80::1%e th'", "an IPv6 zone made of "
                                                  "letters, digits, '_', '.', '-'"),
    (dict(Q, host="fe80::1%"), {}) + _refused("host", "'fe80::1%'", "an IPv6 zone made of "
                                              "letters, digits, '_', '.', '-'"),
    (dict(Q, host="-a"), {}) + _refused("host", "'-a'", "a host name made of letters, digits, '-', '_' "
                                        "and '.', or an IP address"),
    (dict(Q, host="a-"), {}) + _refused("host", "'a-'", "a host name made of letters, digits, '-', '_' "
                                        "and '.', or an IP address"),
    (dict(Q, host="h", port=True), {}) + _refused("port", "True", "an integer port 1-65535"),
    (dict(Q, host="h", port="x"), {}) + _refused("port", "'x'", PORT),
    (dict(Q, host="h", port=65536), {}) + _refused("port", "65536", PORT),
    (dict(Q, host="h", port="65536"), {}) + _refused("port", "65536", PORT),
    (dict(Q, host="h", port="\u0661"), {}) + _refused("port", "'\u0661'", PORT),
    (dict(Q, host="h", port=-1), {}) + _refused("port", "-1", PORT),
    (dict(Q, host="h", port=1.0), {}) + _refused("port", "1.0", PORT),
    (dict(Q, user=""), {}) + _refused("user", "''", "a non-empty user name or null (libxml2 reads an "
                                      "empty 'qemu://@host' user as '@host...')"),
    (dict(Q, user=5), {}) + _refused("user", "5", "a user name string"),
    (dict(Q, user="a\x00"), {}) + _refused("user", "'a\\x00'", "a user name without NUL characters"),
    (dict(Q, user="a:b"), {}) + _refused("user", "<hidden>", "a user name without ':' (libvirt would "
                                         "read 'user:secret@' as one user name and the secret would "
                                         "sit in the URI); pass allow_password=true if you really mean it"),
    (dict(Q, user="a", password="p"), {}) + _refused(
        "password", "<hidden>", "no password in a connection URI (libvirt asks for it through its auth "
        "callback or authfile=); pass allow_password=true to embed it anyway"),
    (dict(Q, password="p"), {"allow_password": True}) + _refused(
        "password", "<hidden>", "a string, together with user"),
    (dict(Q, user="a", password=5), {"allow_password": True}) + _refused(
        "password", "<hidden>", "a string, together with user"),
    (dict(Q, user="a", password="p\x00"), {"allow_password": True}) + _refused(
        "password", "<hidden>", "a password without NUL characters"),
    (dict(Q, path=5), {}) + _refused("path", "5", "a path string such as /system"),
    (dict(Q, path="system"), {}) + _refused("path", "'system'", "an absolute path starting with '/' "
                                            "(e.g. /system); libvirt reads 'qemu://system' as host 'system'"),
    (dict(Q, fragment=5), {}) + _refused("fragment", "5", "a string or null"),
    (dict(Q, params=5), {}) + _refused("params", "5", "a mapping of name: value, or a list of [name, value]"),
    (dict(Q, params="a=1"), {}) + _refused("params", "'a=1'", "a mapping of name: value, or a list of "
                                           "[name, value]"),
    (dict(Q, params=[["a", "1"], ["a"]]), {}) + _refused(
        "params.1", "['a']", "a [name, value] pair or {name: ..., value: ...}"),
    (dict(Q, params=[{"name": "a"}]), {"field": "c"}) + _refused(
        "c.params.0", "{'name': 'a'}", "a [name, value] pair or {name: ..., value: ...}"),
    (dict(Q, params=[{"name": "a", "value": "1", "x": 2}]), {}) + _refused(
        "params.0", "{'name': 'a', 'value': '1', 'x': 2}", "a [name, value] pair or {name: ..., value: ...}"),
    (dict(Q, params=["ab"]), {}) + _refused("params.0", "'ab'", "a [name, value] pair or {name: ..., value: ...}"),
    (dict(Q, params={5: "x"}), {}) + _refused("params", "5", "non-empty parameter names (libvirt drops '=value')"),
    (dict(Q, params=[["", "x"]]), {}) + _refused("params", "''", "non-empty parameter names (libvirt "
                                                 "drops '=value')"),
    (dict(Q, params={"keyfile": True}), {}) + _refused(
        "params.keyfile", "True", "a string (only no_verify, no_tty, no_sanity and auto_answer take "
        "true/false, written as 1/0)"),
    (dict(Q, path="/sys"), {"field": "c"}) + _refused(
        "c.path", "'/sys'", "one of '/system', '/session', '/embed' for qemu (libvirt says \"unexpected "
        "qemu URI path '/sys'\", try qemu:///system)"),
    # virURIParse ends a field at a %00 (QUIRKS in test_libvirt_uri_vectors.py): the read-back check
    (dict(Q, driver="test", path="/a\x00b"), {}, "spec", "spec: {'driver': 'test', 'path': '/a\\x00b'} is "
     "not accepted; fields that libvirt reads back unchanged; the rendered 'test:///a%00b' would be read "
     "differently"),
    (dict(Q, fragment="a\x00"), {"field": "c"}, "c", "c: {'driver': 'qemu', 'path': '/system', 'fragment': "
     "'a\\x00'} is not accepted; fields that libvirt reads back unchanged; the rendered "
     "'qemu:///system#a%00' would be read differently"),
    (dict(Q, params={"a\x00": "b"}), {}, "spec", "spec: {'driver': 'qemu', 'path': '/system', 'params': "
     "{'a\\x00': 'b'}} is not accepted; fields that libvirt reads back unchanged; the rendered "
     "'qemu:///system?a%00=b' would be read differently"),
    (dict(Q, params={"a": "b\x00"}), {}) + _refused("params.a", "'b\\x00'", "a value without NUL characters"),
    (dict(Q, host="h", port="00"), {}) + _refused("port", "0", PORT),
    (dict(Q, params={"x": "a" * 65520}), {}, "spec", "spec: the URI would be 65537 characters long once "
     "escaped; at most 65536 are accepted (libxml2 refuses URIs over 1 MiB, and libvirt aborts on that)"),
    (dict(Q, params={"x": "a" * 65520}), {"field": "c"}, "c", "c: the URI would be 65537 characters long "
     "once escaped; at most 65536 are accepted (libxml2 refuses URIs over 1 MiB, and libvirt aborts on that)"),
]


@pytest.mark.parametrize("spec,kwargs,field,message", REFUSED, ids=printable_ids(REFUSED, 70, lambda r: r[3]))
def test_render_refusals(spec, kwargs, field, message):
    with pytest.raises(SpecError) as info:
        render_libvirt_uri(spec, **kwargs)
    assert (info.value.field, str(info.value)) == (field, message)


def test_longest_accepted_uri():
    spec = dict(Q, params={"x": "a" * 65519})
    assert len(render_libvirt_uri(spec)) == 65536


def test_secrets_are_marked():
    for spec in (dict(Q, user="a:b"), dict(Q, user="a", password="p")):
        with pytest.raises(SpecError) as info:
            render_libvirt_uri(spec)
        assert info.value.secret is True
    with pytest.raises(SpecError) as info:
        render_libvirt_uri(dict(Q, user=""))
    assert info.value.secret is False


@pytest.mark.parametrize("host,bare", [
    (None, None), ("", None), ("h", "h"), ("[::1]", "::1"), ("::1", "::1"), ("[fe80::1%eth0]", "fe80::1%eth0"),
    ("1.2.3.4", "1.2.3.4"), ("a_b.c-d.", "a_b.c-d."), ("x", "x"), ("_", "_"),
    ("[h]", "h"),
], ids=["none", "empty", "name", "bracketed", "bare-v6", "zone", "v4", "dots", "one", "underscore",
        "bracketed-name"])
def test_host_rule(host, bare):
    assert check_libvirt_uri_host(host, "f") == bare


@pytest.mark.parametrize("scheme,split", [
    ("qemu", ("qemu", None)), ("qemu+SSH", ("qemu", "ssh")), ("qemu+", ("qemu", "")),
    ("qemu+ssh+x", ("qemu", "ssh+x")), ("+tcp", ("", "tcp")),
], ids=["plain", "lowered", "empty", "second-plus", "no-driver"])
def test_split_scheme(scheme, split):
    """remoteSplitURIScheme: the transport after the first '+' (virsh 9.0 refuses 'qemu+:///system'
    and 'qemu+ssh+x://h/system' as transports not recognised)."""
    assert split_scheme(scheme) == split


def test_parse_contract_fields():
    assert parse_libvirt_uri("qemu+tcp://h:0/system#fr", ordered=True) == {
        "driver": "qemu", "transport": "tcp", "user": None, "host": "h", "port": None,
        "path": "/system", "params": [], "fragment": "fr"}
    assert parse_libvirt_uri("qemu+tcp://u@:5/system") == {
        "driver": "qemu", "transport": "tcp", "user": "u", "host": None, "port": None,
        "path": "/system", "params": {}, "fragment": None}
    assert parse_libvirt_uri("remote://h", ordered=True)["path"] == ""
    assert parse_libvirt_uri("test:///default?a=1&a=2", ordered=True)["params"] == [["a", "1"], ["a", "2"]]
    assert parse_libvirt_uri("qemu+ssh+x://h/system", validate=False)["transport"] == "ssh+x"
    # virURIParse reads the host %00 as the server '' (test_libvirt_uri_vectors.py QUIRKS): unchecked,
    # the contract's host is None, as for no host (the live differential fuzz compares it so);
    # checked, it is refused (test_parse_refusals: libvirt opens it as a remote server)
    assert parse_libvirt_uri("qemu://%00/system", validate=False) == {
        "driver": "qemu", "transport": None, "user": None, "host": None, "port": None,
        "path": "/system", "params": {}, "fragment": None}


EMPTY_SERVER = ("a host name or no host; libvirt reads a host that starts with %00 as the remote "
                "server '' (with +unix: 'using unix socket and remote server '' is not supported.')")


@pytest.mark.parametrize("text,field,message", [
    ("myalias", "uri", "uri: 'myalias' is not accepted; libvirt says 'no connection driver available for "
     "URI 'myalias' does not include a driver name'; write driver:///path (e.g. qemu:///system) or define "
     "it as an alias in uri_aliases"),
    ("qemu+:///system", "uri.transport", "uri.transport: '' is not accepted; one of tls|unix|ssh|ext|tcp|"
     "libssh2|libssh (libvirt says 'remote_open: transport in URL not recognised (should be tls|unix|ssh|"
     "ext|tcp|libssh2|libssh)')"),
    ("qemu:///a b", "uri", "uri: 'qemu:///a b' is not accepted; libvirt says 'Unable to parse URI "
     "qemu:///a b': characters outside RFC 3986 (space, quotes, '<>\\^`{|}', non-ASCII, a lone '%', an "
     "empty ':port') must be percent-encoded"),
    # libvirt 9.0 and 11.3 (tests/live/libvirt/test_libvirt_version_gates_live.py)
    ("qemu+unix://%00/system", "uri.host", "uri.host: '' is not accepted; " + EMPTY_SERVER),
    ("test://%00x/default", "uri.host", "uri.host: '' is not accepted; " + EMPTY_SERVER),
], ids=["no-scheme", "empty-transport", "unparseable", "empty-server-unix", "empty-server-tls"])
def test_parse_refusals(text, field, message):
    with pytest.raises(SpecError) as info:
        parse_libvirt_uri(text)
    assert (info.value.field, str(info.value)) == (field, message)
    with pytest.raises(SpecError) as info:
        parse_libvirt_uri(text, field="c")
    assert info.value.field == "c" + field[3:]
    with pytest.raises(SpecError) as info:
        parse_libvirt_uri(text, field="")
    assert info.value.field == field[4:]
