# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property tests: parse(render(x)) == x for connection URIs and libvirt.conf values.

Derandomized so CI runs the same examples every time.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri import (
    parse_libvirt_uri,
    render_libvirt_uri,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.virconf import (
    format_virconf_value,
    parse_virconf,
)
from ansible_collections.virt_uri.toolkit.tests.support.properties import holds

STABLE = settings(derandomize=True, max_examples=400, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])

HOSTILE = st.text(alphabet=st.sampled_from(list("aZ09 \"'\n\r\t]#=[,;&?/%:@+\\é\u2603")) |
                  st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                  max_size=24)
labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
hostnames = st.lists(labels, min_size=1, max_size=3).map(".".join)
ipv6 = st.ip_addresses(v=6).map(str)
ipv4 = st.ip_addresses(v=4).map(str)
path_values = st.lists(HOSTILE.filter(lambda s: "/" not in s), max_size=3).map(
    lambda parts: "/" + "/".join(parts))


@st.composite
def remote_specs(draw):
    transport = draw(st.sampled_from(["tcp", "tls", "ssh", "libssh", "libssh2", None]))
    host = draw(st.one_of(hostnames, ipv4, ipv6))
    params = []
    if transport in ("ssh", "libssh", "libssh2"):
        params += draw(st.lists(st.tuples(st.sampled_from(["keyfile", "socket", "netcat"]),
                                          HOSTILE.filter(bool)), max_size=2))
    if transport in ("libssh", "libssh2"):
        params += draw(st.lists(st.tuples(st.just("sshauth"), st.sampled_from(
            ["privkey", "agent,privkey", "password,keyboard-interactive"])), max_size=1))
        if any(name == "sshauth" and "privkey" in value for name, value in params):
            # libvirt refuses privkey without a keyfile over libssh/libssh2.
            params.append(("keyfile", "/k"))
    if transport in ("tls", None):
        params += draw(st.lists(st.tuples(st.sampled_from(["pkipath", "tls_priority"]),
                                          HOSTILE.filter(bool)), max_size=2))
    params += draw(st.lists(st.tuples(st.from_regex(r"x[a-z_]{0,6}", fullmatch=True),
                                      HOSTILE), max_size=3))
    return {
        "driver": draw(st.sampled_from(["qemu", "test", "lxc", "xen"])) if transport else "qemu",
        "transport": transport,
        "user": draw(st.one_of(st.none(), HOSTILE.filter(lambda s: s and ":" not in s))),
        "host": host,
        "port": draw(st.one_of(st.none(), st.integers(1, 65535))),
        "path": None,
        "params": [list(p) for p in params],
    }


_PATHS = {"qemu": "/system", "test": "/default", "lxc": "/system", "xen": "/system"}


@STABLE
@given(remote_specs())
def test_uri_roundtrip(spec):
    spec["path"] = _PATHS[spec["driver"]]
    text = render_libvirt_uri(spec)
    parsed = parse_libvirt_uri(text, ordered=True)
    assert parsed["params"] == spec["params"]
    for key in ("driver", "transport", "user", "host", "port", "path"):
        assert parsed[key] == spec[key], key


def test_uri_roundtrip_test_driver_paths():
    """Every generated test-driver path renders (nothing is refused) and parses back unchanged."""
    def check(path):
        text = render_libvirt_uri({"driver": "test", "transport": None, "path": path, "params": {}})
        assert parse_libvirt_uri(text)["path"] == path, text

    holds(path_values.filter(lambda p: p not in ("/",)), check, [], 1.0, max_examples=400)


virconf_values = st.recursive(
    st.one_of(HOSTILE, st.integers(-(2 ** 63), 2 ** 64 - 1)),
    lambda children: st.lists(children, max_size=4), max_leaves=8)


def needs_unwritable_triple_quote(value):
    # libvirt's virconf grammar (util/virconf.c: virConfParseString) has "...", '...' and
    # triple-quoted strings, no escapes: a value needing the triple form but holding three
    # double quotes or ending in one cannot be written.
    needs_triple = "\n" in value or "\r" in value or ('"' in value and "'" in value)
    return needs_triple and ('"""' in value or value.endswith('"'))


def _unwritable_string(exc, _value):
    """The one refusal allowed: a string (the value or a list item) the grammar cannot hold."""
    return (exc.accepted.startswith("a string libvirt.conf can hold") and isinstance(exc.value, str)
            and needs_unwritable_triple_quote(exc.value))


def test_virconf_value_roundtrip():
    def check(value):
        text = format_virconf_value(value)
        assert parse_virconf("key = %s\n" % text).get("key") == value

    holds(virconf_values, check, [_unwritable_string], 0.95, max_examples=400)


@STABLE
@given(HOSTILE)
def test_virconf_refusals_are_real(value):
    try:
        format_virconf_value(value)
    except SpecError:
        assert needs_unwritable_triple_quote(value)


@STABLE
@given(st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True), virconf_values,
                       max_size=4), st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True),
       virconf_values)
def test_editor_set_keeps_other_keys(initial, key, value):
    doc = parse_virconf("# head\n")
    for k, v in initial.items():
        try:
            doc.set(k, v)
        except SpecError:
            continue
    before = doc.as_dict()
    try:
        doc.set(key, value)
    except SpecError:
        assert doc.as_dict() == before
        return
    after = parse_virconf(doc.render()).as_dict()
    assert after[key] == value
    assert {k: v for k, v in after.items() if k != key} == \
        {k: v for k, v in before.items() if k != key}
    assert doc.render().startswith("# head\n")
