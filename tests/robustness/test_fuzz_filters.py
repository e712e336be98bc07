# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property-based fuzzing of every filter and the lookup with hostile input.

Each call either refuses the input (AnsibleFilterError, AnsibleLookupError for the lookup, caused
by a SpecError naming the field: the documented refusals; an internal error fails) or returns a value
that a parser reads back to the same meaning: the real libvirt parsers (virURIParse,
virConfReadString through ctypes), an XML parser (lxml), QemuOpts splitting as QEMU does it
(util/qemu-option.c, mirrored by module_utils/qemu_opts.split_opts and checked against QEMU
itself in test_injection.py), JSON, and the collection's own drive parser for drive URIs
(checked against qemu-img by the live tests). Any other exception fails the test.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from ansible.errors import AnsibleFilterError, AnsibleLookupError
from hypothesis import event, given, strategies as st
from lxml import etree

from robust_support import ROBUST
from hostile import (alias_name, atom, conn_input, drive_input, free_text, hostile_text, hostile_value,
                     plausible_conn, plausible_drive, qemu_version)

from ansible_collections.virt_uri.toolkit.plugins.filter.gluster_json import gluster_json
from ansible_collections.virt_uri.toolkit.plugins.filter.libvirt_disk_xml import libvirt_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.filter.libvirt_remote_uri import libvirt_remote_uri
from ansible_collections.virt_uri.toolkit.plugins.filter.libvirt_uri_aliases import libvirt_uri_aliases
from ansible_collections.virt_uri.toolkit.plugins.filter.libvirt_uri_parse import libvirt_uri_parse
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_blockdev import qemu_blockdev
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_drive_chap_env import qemu_drive_chap_env
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_drive_json import qemu_drive_json
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_drive_opts import qemu_drive_opts
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_drive_parse import qemu_drive_parse
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_drive_uri import qemu_drive_uri
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_opts_escape import qemu_opts_escape
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import normalize
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.virconf import format_virconf_value
from ansible_collections.virt_uri.toolkit.plugins.module_utils.qemu_opts import split_opts
from ansible_collections.virt_uri.toolkit.tests.support.requires import unavailable

from ansible_collections.virt_uri.toolkit.tests.support import libvirt_oracle

# RFC 3986 characters: anything else in a rendered URI would be read differently by some parser.
URI_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")

chap_env_spec = st.fixed_dictionaries({
    "protocol": st.just("iscsi"), "server": st.just({"host": "192.0.2.1"}), "lun": st.integers(0, 9),
    "target": st.just("iqn.2001-04.com.example:t"), "credentials": st.just("env"), "user": free_text,
    "password": free_text})


def refused(exc, name):
    """Assert ``exc`` is a documented refusal: the plugin's name, then a SpecError's text (field,
    value, what is accepted). An internal error (a crash in the core) or any other error fails."""
    assert isinstance(exc.__cause__, SpecError), "%s is not a refusal of the input: %s (cause %r)" % (
        name, exc, exc.__cause__)
    assert str(exc).startswith("%s: %s" % (name, exc.__cause__)), str(exc)


def call(func, *args, **kwargs):
    """The filter's result, or None when it refused the input (a SpecError); anything else fails."""
    try:
        result = func(*args, **kwargs)
    except AnsibleFilterError as exc:
        refused(exc, func.__name__)
        event("refused: " + exc.__cause__.field.split(".")[-1][:40])
        return None
    event("returned a value")
    return result


def pairs(spec, result):
    """(spec, result) pairs for one spec or for the list fast path."""
    if isinstance(spec, list):
        assert isinstance(result, list) and len(result) == len(spec)
        return list(zip(spec, result))
    return [(spec, result)]


def no_secret_leak(spec, text):
    """A plain password given in the spec never appears in output unless asked for (inline)."""
    if isinstance(spec, dict) and isinstance(spec.get("password"), str) and len(spec["password"]) >= 4 \
            and spec.get("credentials") != "inline":
        assert spec["password"] not in text


# ------------------------------------------------------------------ drive filters
@ROBUST
@given(drive_input, qemu_version, st.sampled_from(["uri", "legacy"]))
def test_qemu_drive_uri(spec, version, syntax):
    result = call(qemu_drive_uri, spec, version, syntax=syntax)
    if result is None:
        return
    for one, uri in pairs(spec, result):
        assert isinstance(uri, str)
        no_secret_leak(one, uri)
        if syntax == "uri":
            assert URI_CHARS.match(uri), uri
        # read back to the same meaning: the spec with defaults filled in
        assert qemu_drive_parse(uri, version) == normalize(one, version), uri


@ROBUST
@given(drive_input, qemu_version, st.sampled_from(["file.", ""]), st.one_of(st.none(), st.just("qcow2"), hostile_value))
def test_qemu_drive_opts(spec, version, prefix, fmt):
    result = call(qemu_drive_opts, spec, version, prefix=prefix, format=fmt)
    if result is None:
        return
    for one, text in pairs(spec, result):
        assert isinstance(text, str)
        no_secret_leak(one, text)
        mapping = qemu_drive_opts(one, version, prefix=prefix, format=fmt, as_mapping=True)
        got = split_opts(text)
        names = [name for name, _value in got]
        assert len(names) == len(set(names)), text            # no option given twice
        assert dict(got) == mapping, text                      # no option added, every value intact
        assert all(v is not None for _name, v in got), text        # no bare flag smuggled in


def _check_qapi(node):
    if isinstance(node, dict):
        assert all(isinstance(k, str) for k in node)
        for value in node.values():
            _check_qapi(value)
    elif isinstance(node, list):
        for value in node:
            _check_qapi(value)
    else:
        assert isinstance(node, (str, bool, int)), node
        if isinstance(node, str):
            assert "\x00" not in node


@ROBUST
@given(drive_input, qemu_version, st.one_of(st.none(), st.just("d0"), hostile_value))
def test_qemu_blockdev(spec, version, node_name):
    result = call(qemu_blockdev, spec, version, node_name=node_name)
    if result is None:
        return
    for one, node in pairs(spec, result):
        _check_qapi(node)
        assert json.loads(json.dumps(node)) == node
        no_secret_leak(one, json.dumps(node))


@ROBUST
@given(drive_input, qemu_version, st.one_of(st.none(), st.just("raw"), hostile_value), st.booleans(),
       st.sampled_from([qemu_drive_json, gluster_json]))
def test_json_pseudo(spec, version, fmt, escape, func):
    text = call(func, spec, version, format=fmt, escape_commas=escape)
    if text is None:
        return
    for item, text in pairs(spec, text):  # a list of specs: one result per item
        assert isinstance(text, str) and text.startswith("json:")
        if escape:  # a QemuOpts value: reads back as exactly one value
            (name, value), = split_opts("file=" + text)
            assert name == "file"
            text = value
        node = json.loads(text[5:])
        _check_qapi(node)
        inner = node["file"] if fmt is not None else node
        assert inner == {k: v for k, v in qemu_blockdev(item, version).items() if k != "read-only"}


@ROBUST
@given(hostile_value)
def test_qemu_opts_escape(value):
    result = call(qemu_opts_escape, value)
    if result is None:
        return
    assert isinstance(result, str)
    assert split_opts("x=" + result) == [("x", str(value) if not isinstance(value, str) else value)]


@ROBUST
@given(st.one_of(chap_env_spec, chap_env_spec, drive_input), qemu_version)
def test_qemu_drive_chap_env(spec, version):
    env = call(qemu_drive_chap_env, spec, version)
    if env is None:
        return
    for item, env in pairs(spec, env):  # a list of specs: one result per item
        assert set(env) == {"LIBISCSI_CHAP_USERNAME", "LIBISCSI_CHAP_PASSWORD"}
        assert all(isinstance(v, str) and "\x00" not in v for v in env.values())
        assert env["LIBISCSI_CHAP_PASSWORD"] == item["password"] and env["LIBISCSI_CHAP_USERNAME"] == item["user"]


def _mutate(render, spec, piece, where, syntax=None):
    """A rendered string with a hostile piece inserted somewhere (or unchanged when the spec fails)."""
    try:
        text = render(spec) if syntax is None else render(spec, syntax=syntax)
    except AnsibleFilterError:
        return piece
    if not isinstance(text, str):
        return piece
    cut = where % (len(text) + 1)
    return text[:cut] + piece + text[cut:]


rendered_drive = st.builds(lambda spec, piece, where, syntax: _mutate(
    lambda s, syntax: qemu_drive_uri(s, "10.0", syntax=syntax, on_unexpressible="omit"), spec, piece, where, syntax),
    plausible_drive, st.one_of(st.just(""), atom, free_text), st.integers(0, 10 ** 6), st.sampled_from(["uri", "legacy"]))
clean_conn_uri = st.builds(lambda spec: _mutate(libvirt_remote_uri, spec, "", 0), plausible_conn)
rendered_conn = st.builds(lambda spec, piece, where: _mutate(libvirt_remote_uri, spec, piece, where),
                          plausible_conn, st.one_of(st.just(""), atom, free_text), st.integers(0, 10 ** 6))


@ROBUST
@given(st.one_of(hostile_text, hostile_value, rendered_drive, rendered_drive,
                 st.tuples(st.sampled_from(["nbd://", "nbd+unix:///", "iscsi://", "ssh://", "gluster://",
                                            "gluster+unix:///", "https://", "nbd:", "nbd:unix:", "sheepdog:",
                                            "sheepdog://"]), hostile_text).map("".join)), qemu_version)
def test_qemu_drive_parse(text, version):
    spec = call(qemu_drive_parse, text, version)
    if spec is None:
        return
    assert isinstance(spec, dict)
    # The parsed spec renders and parses back to itself (meaning is stable).
    uri = call(qemu_drive_uri, spec, version, on_unexpressible="omit")
    if uri is not None:
        assert qemu_drive_parse(uri, version) == normalize(spec, version)


DOMAIN_RNG = "/usr/share/libvirt/schemas/domain.rng"  # what virt-xml-validate uses
DOMAIN = ("<domain type='qemu'><name>t</name><memory>65536</memory><os><type arch='x86_64'>hvm</type></os>"
          "<devices>%s</devices></domain>")


@pytest.fixture(scope="module")
def domain_schema():
    if not os.path.exists(DOMAIN_RNG):
        unavailable("%s is required (libvirt-daemon / libvirt-clients)" % DOMAIN_RNG)
    return etree.RelaxNG(file=DOMAIN_RNG)


ALLOWED_TAGS = {"disk", "driver", "source", "host", "auth", "secret", "initiator", "iqn", "ssl", "cookies",
                "cookie", "readahead", "timeout", "target", "readonly"}


@ROBUST
@given(drive_input, qemu_version, st.one_of(st.just("vda"), hostile_value), st.one_of(st.none(), st.just("chap"),
                                                                                      hostile_value))
def test_libvirt_disk_xml(domain_schema, spec, version, target_dev, secret_usage):
    text = call(libvirt_disk_xml, spec, version, target_dev=target_dev, secret_usage=secret_usage)
    if text is None:
        return
    for item, text in pairs(spec, text):  # a list of specs: one result per item
        assert isinstance(text, str)
        no_secret_leak(item, text)
        root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
        tags = [el.tag for el in root.iter()]
        assert root.tag == "disk" and set(tags) <= ALLOWED_TAGS, tags
        for once in ("disk", "driver", "source", "target"):
            assert tags.count(once) == 1, tags
        assert all(tags.count(t) <= 1 for t in ALLOWED_TAGS - {"host", "cookie"}), tags
        assert not [n for n in root.iter() if not isinstance(n.tag, str)]  # no comments or PIs
        norm = normalize(item, version)
        hosts = root.find("source").findall("host")
        assert len(hosts) == len(norm["servers"])
        for el, server in zip(hosts, norm["servers"]):
            if "socket" in server:
                assert el.get("socket") == server["socket"] and el.get("transport") == "unix"
            else:
                assert el.get("name") == server["host"] and el.get("port") == str(server["port"])
        source = root.find("source")
        assert source.get("protocol") == norm["protocol"]
        expected_name = {
            "nbd": norm.get("export") or None,
            "iscsi": "%s/%s" % (norm.get("target"), norm.get("lun")),
            "gluster": "%s/%s" % (norm.get("volume"), norm.get("path")),
        }.get(norm["protocol"], norm.get("path") if norm["protocol"] != "sheepdog" else norm.get("vdi"))
        assert source.get("name") == expected_name, (source.get("name"), expected_name)
        # libvirt's own schema accepts it (as virt-xml-validate would). libvirt 9.0's domain schema has
        # no protocol='ssh' for disks (its parser accepts it); that case is left to the parser.
        if norm["protocol"] == "ssh":
            continue
        domain = etree.fromstring((DOMAIN % text).encode("utf-8"))
        assert domain_schema.validate(domain), (str(domain_schema.error_log.last_error), text)


# ------------------------------------------------------------------ libvirt filters
def _real_fields(lib, uri):
    """virURIParse's fields (no virURIFormat: libxml2's xmlSaveUri aborts the whole process, via
    libvirt's allocation failure handler, on a URI longer than its MAX_URI_LENGTH of 1 MiB)."""
    fields = lib.uri_fields(uri)
    assert fields, "libvirt cannot parse %r" % uri[:200]
    return fields


@ROBUST
@given(conn_input, st.booleans())
def test_libvirt_remote_uri(libvirt_lib, spec, allow_password):
    result = call(libvirt_remote_uri, spec, allow_password=allow_password)
    if result is None:
        return
    for one, uri in pairs(spec, result):
        assert isinstance(uri, str) and URI_CHARS.match(uri), uri
        if not allow_password and isinstance(one.get("password"), str) and len(one["password"]) >= 4:
            assert one["password"] not in uri
        real = _real_fields(libvirt_lib, uri)
        ours = libvirt_uri_parse(uri, validate=False, ordered=True)
        # The real parser reads what the spec says.
        scheme = one["driver"] + ("+" + one["transport"] if one.get("transport") else "")
        assert real["scheme"] == scheme
        host = one.get("host") or None
        if host is not None:
            assert (real["server"] or "").strip("[]") in (host, host.strip("[]")), (real, host)
        else:
            assert not real["server"]
        user = one.get("user") or None
        assert (real["user"] or None) == (user if not (allow_password and one.get("password")) else
                                          "%s:%s" % (user, one["password"]))
        assert (real["path"] or "") == (one.get("path") or ""), (real, one)
        assert [n for n, _v in real["params"]] == [n for n, _v in ours["params"]]
        assert [v for _n, v in real["params"]] == [v for _n, v in ours["params"]]


@ROBUST
@given(st.one_of(hostile_text, hostile_value, rendered_conn, rendered_conn,
                 st.tuples(st.sampled_from(["qemu:///", "qemu+ssh://", "test:///", "xen://", "qemu+unix:///system?",
                                            "esx://", "qemu+tls://[", "qemu://"]), hostile_text).map("".join)),
       st.booleans())
def test_libvirt_uri_parse(libvirt_lib, text, validate):
    spec = call(libvirt_uri_parse, text, validate=validate, ordered=True)
    if spec is None:
        return
    real = _real_fields(libvirt_lib, text)
    # remoteSplitURIScheme: 'A+' is driver 'A' with the transport '' (not None), lower-cased
    driver, plus, transport = real["scheme"].partition("+")
    assert (spec["driver"], spec["transport"]) == (driver, transport.lower() if plus else None)
    assert (real["server"] or None) == (spec["host"] if spec["host"] is None or ":" not in spec["host"]
                                        else real["server"])
    assert (real["user"] or None) == (spec["user"] or None)
    assert (real["path"] or "") == (spec["path"] or "")
    assert [list(p) for p in real["params"]] == [list(p) for p in spec["params"]]


@ROBUST
@given(st.one_of(st.dictionaries(alias_name, st.one_of(clean_conn_uri, clean_conn_uri, rendered_conn, free_text, st.sampled_from(
    ["qemu:///system", "qemu+ssh://root@h.example.com/system", "test:///default"])), max_size=4),
    st.dictionaries(hostile_text, hostile_value, max_size=3), hostile_value))
def test_libvirt_uri_aliases(libvirt_lib, aliases):
    entries = call(libvirt_uri_aliases, aliases)
    if entries is None:
        return
    assert isinstance(entries, list) and len(entries) == len(aliases)
    text = "uri_aliases = %s\n" % format_virconf_value(entries, "uri_aliases")
    assert libvirt_oracle.conf_read(libvirt_lib, text, ["uri_aliases"]) == {"uri_aliases": entries}
    for entry in entries:
        name, _sep, uri = entry.partition("=")
        assert name in aliases and aliases[name] == uri


# ------------------------------------------------------------------ lookup
def _uri_default_line(value):
    try:
        return "uri_default = %s\n" % format_virconf_value(value)
    except Exception:  # pylint: disable=broad-except
        # a value libvirt.conf cannot hold: use it raw
        return "uri_default = %s\n" % value


@pytest.fixture(scope="module")
def lookup_module():
    """The lookup plugin as Ansible's loader sets it up (option definitions from its DOCUMENTATION)."""
    import yaml
    from ansible import constants as C
    from ansible.parsing.dataloader import DataLoader
    from ansible_collections.virt_uri.toolkit.plugins.lookup import libvirt_default_uri as mod

    name = "virt_uri.toolkit.libvirt_default_uri"
    C.config.initialize_plugin_configuration_definitions("lookup", name, yaml.safe_load(mod.DOCUMENTATION)["options"])
    plugin = mod.LookupModule(loader=DataLoader(), templar=None)
    plugin._load_name = name  # pylint: disable=protected-access
    return plugin


@ROBUST
@given(st.one_of(st.none(), st.none(), st.just("a"), hostile_text, hostile_value),
       st.one_of(st.builds(lambda uri, alias: 'uri_default = "%s"\nuri_aliases = [ "a=%s" ]\n' % (uri, alias),
                           clean_conn_uri, clean_conn_uri),
                 st.builds(_uri_default_line, st.one_of(clean_conn_uri, free_text)),
                 hostile_text, st.tuples(st.sampled_from(['uri_default = "', "uri_aliases = [ \"", "uri_default='",
                                                          'uri_default = """']), hostile_text,
                                         st.sampled_from(['"', '" ]', "'", '"""', ""])).map("".join)),
       st.booleans())
def test_lookup_libvirt_default_uri(lookup_module, libvirt_lib, tmp_path_factory, term, conf_text, steps):
    conf = tmp_path_factory.mktemp("conf") / "libvirt.conf"
    if "\x00" in conf_text:
        conf_text = conf_text.replace("\x00", "")
    conf.write_text(conf_text, encoding="utf-8")
    terms = [] if term is None else [term]
    old = {k: os.environ.pop(k, None) for k in ("LIBVIRT_DEFAULT_URI", "VIRSH_DEFAULT_CONNECT_URI")}
    try:
        try:
            result = lookup_module.run(terms, variables={}, config=str(conf), probe=False, steps=steps)
        except AnsibleLookupError as exc:
            refused(exc, "libvirt_default_uri")
            event("refused")
            return
    finally:
        for key, value in old.items():
            if value is not None:
                os.environ[key] = value
    event("returned a value")
    assert isinstance(result, list) and len(result) == 1
    value = result[0]
    uri = value["uri"] if steps else value
    assert uri is None or isinstance(uri, str)
    # libvirt itself reads the same file without error, and the same uri_default
    real = libvirt_oracle.conf_read(libvirt_lib, conf_text, ["uri_default"])
    assert real is not None, "lookup accepted a libvirt.conf that libvirt rejects: %r" % conf_text
    if steps and value["source"] == "uri_default":
        assert value["raw"] == real["uri_default"]
