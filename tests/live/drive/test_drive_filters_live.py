# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drive specs rendered by the collection, then opened by the real QEMU on loopback servers.

For every case (one drive spec against one fixture server) each output form is rendered through
the collection and opened:

* ``uri``         render_uri                      -> qemu-img info URI
* ``legacy``      render_uri(syntax='legacy')     -> qemu-img info nbd:...
* ``drive``       render_opts(prefix='file.')     -> qemu-img info --image-opts driver=raw,OPTS
* ``image-opts``  render_opts(prefix='')          -> qemu-img info --image-opts OPTS
* ``json``        render_json_pseudo              -> qemu-img info json:{...}
* ``backing``     render_json_pseudo(fmt='raw', escape_commas=True)
                                                  -> qemu-img create -o backing_file=...
* ``blockdev``    render_blockdev(node_name=...)  -> qemu-storage-daemon --blockdev JSON

and the libvirt ``<disk>`` of every protocol is checked with virt-xml-validate. The filter
adapters in plugins/filter must give the same strings as the core. Every test runs once per
oracle generation (the ``generation`` fixture: QEMU 7.2 / libvirt 9.0 on the host, QEMU 10.0 /
libvirt 11.3 in the trixie root) with that generation's version passed as qemu_version.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

import pytest

from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import QemuError

# The module under test; imported lazily so that a missing renderer fails the tests (with the
# import error) instead of breaking collection of the whole live suite.


def _render_api():
    from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive import render
    return render


def _disk_xml_api():
    from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive import render
    if hasattr(render, "render_disk_xml"):
        return render.render_disk_xml
    from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import (
        render_disk_xml,
    )
    return render_disk_xml


def _parse_api():
    from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive import render
    if hasattr(render, "parse_drive"):
        return render.parse_drive
    from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
    return parse_drive


SIZE = 1024 * 1024
ALL = ("uri", "drive", "image-opts", "json", "backing", "blockdev")
NO_URI = ("drive", "image-opts", "json", "backing", "blockdev")


@dataclass
class Case:
    fixture: str
    spec: Callable            # server -> drive spec
    forms: tuple = ALL
    env: Callable = None      # (server, spec, qemu_version) -> environment for qemu-img
    objects: Callable = None  # server -> ["secret,id=...,data=..."]
    expect_fail: str = None   # a regex QEMU's error must match (negative cases)
    # The refusals this case must meet: (form, qemu_version) -> a fragment of the SpecError.
    # Any other refusal fails the test, and so does a listed one that renders.
    refuses: dict = field(default_factory=dict)
    xml: dict = field(default_factory=dict)  # kwargs for render_disk_xml; None: no XML check


def _chap_env(server, spec, version):
    return _render_api().render_chap_env(spec, qemu_version=version)


CASES = {
    # ---------------------------------------------------------------------------- NBD
    "nbd-tcp": Case("nbd_tcp", lambda s: {
        "protocol": "nbd", "server": {"host": "127.0.0.1", "port": s.port}, "export": s.export},
        forms=ALL + ("legacy",)),
    "nbd-unix": Case("nbd_unix", lambda s: {
        "protocol": "nbd", "server": {"socket": s.socket}, "export": s.export},
        forms=ALL + ("legacy",)),
    "nbd-tcp6": Case("nbd_tcp6", lambda s: {
        "protocol": "nbd", "server": {"host": "::1", "port": s.port}, "export": s.export},
        forms=ALL + ("legacy",)),
    "nbd-tricky-export": Case("nbd_tricky", lambda s: {
        "protocol": "nbd", "server": {"host": "127.0.0.1", "port": s.port}, "export": s.export},
        forms=ALL + ("legacy",)),
    "nbd-unix-tricky-socket": Case("nbd_unix_tricky", lambda s: {
        "protocol": "nbd", "server": {"socket": s.socket}, "export": s.export},
        forms=ALL + ("legacy",)),
    # ---------------------------------------------------------------------------- iSCSI
    "iscsi-secret": Case("iscsi", lambda s: {
        "protocol": "iscsi", "server": {"host": "127.0.0.1", "port": s.port}, "target": s.iqn,
        "lun": s.lun, "user": s.user, "password_secret": "sec0"},
        forms=NO_URI, objects=lambda s: ["secret,id=sec0,data=%s" % s.password],
        xml={"secret_usage": "iscsi-chap"}),
    "iscsi-secret-wrong-password": Case("iscsi", lambda s: {
        "protocol": "iscsi", "server": {"host": "127.0.0.1", "port": s.port}, "target": s.iqn,
        "lun": s.lun, "user": s.user, "password_secret": "sec0"},
        forms=("image-opts", "blockdev"), objects=lambda s: ["secret,id=sec0,data=wrong-pw"],
        expect_fail="Authentication failure", xml=None),
    "iscsi-ipv6-secret": Case("iscsi", lambda s: {
        "protocol": "iscsi", "server": {"host": "::1", "port": s.port}, "target": s.iqn,
        "lun": s.lun, "user": s.user, "password_secret": "sec0"},
        forms=NO_URI, objects=lambda s: ["secret,id=sec0,data=%s" % s.password],
        xml={"secret_usage": "iscsi-chap"}),
    "iscsi-ipv6-inline": Case("iscsi", lambda s: {
        "protocol": "iscsi", "server": {"host": "::1", "port": s.port}, "target": s.iqn,
        "lun": s.lun, "user": s.user, "password": s.password, "credentials": "inline"},
        forms=("uri",), xml=None),
    "iscsi-options": Case("iscsi", lambda s: {
        "protocol": "iscsi", "server": {"host": "127.0.0.1", "port": s.port}, "target": s.iqn,
        "lun": s.lun, "user": s.user, "password_secret": "sec0",
        "options": {"initiator_name": "iqn.2026-01.test.virt-uri:client", "timeout": 30}},
        forms=NO_URI, objects=lambda s: ["secret,id=sec0,data=%s" % s.password],
        xml={"secret_usage": "iscsi-chap", "on_unexpressible": "omit"}),  # no per-disk timeout in libvirt
    "iscsi-env": Case("iscsi", lambda s: {
        "protocol": "iscsi", "server": {"host": "127.0.0.1", "port": s.port}, "target": s.iqn,
        "lun": s.lun, "user": s.user, "password": s.password, "credentials": "env"},
        forms=("uri",), env=_chap_env, xml=None),
    "iscsi-inline": Case("iscsi", lambda s: {
        "protocol": "iscsi", "server": {"host": "127.0.0.1", "port": s.port}, "target": s.iqn,
        "lun": s.lun, "user": s.user, "password": s.password, "credentials": "inline"},
        forms=("uri",), xml=None),
    "iscsi-inline-wrong-password": Case("iscsi", lambda s: {
        "protocol": "iscsi", "server": {"host": "127.0.0.1", "port": s.port}, "target": s.iqn,
        "lun": s.lun, "user": s.user, "password": "wrong:pw%1", "credentials": "inline"},
        forms=("uri",), expect_fail="Authentication failure", xml=None),
    # ---------------------------------------------------------------------------- SSH
    "ssh-sha256": Case("sshd", lambda s: {
        "protocol": "ssh", "server": {"host": "127.0.0.1", "port": s.port}, "user": "root",
        "path": s.image, "options": {"host_key_check": s.fingerprints["sha256"]}},
        env=lambda s, spec, v: s.env, xml=None),  # libvirt 9.0 has no ssh disks: see below
    "ssh-sha256-colons": Case("sshd", lambda s: {
        "protocol": "ssh", "server": {"host": "127.0.0.1", "port": s.port}, "user": "root",
        "path": s.image, "options": {"host_key_check": s.fingerprints["sha256_colons"]}},
        forms=("uri", "blockdev"), env=lambda s, spec, v: s.env, xml=None),
    "ssh-md5": Case("sshd", lambda s: {
        "protocol": "ssh", "server": {"host": "127.0.0.1", "port": s.port}, "user": "root",
        "path": s.image, "options": {"host_key_check": s.fingerprints["md5_colons"]}},
        forms=("uri", "drive", "blockdev"), env=lambda s, spec, v: s.env, xml=None),
    "ssh-sha1": Case("sshd", lambda s: {
        "protocol": "ssh", "server": {"host": "127.0.0.1", "port": s.port}, "user": "root",
        "path": s.image, "options": {"host_key_check": s.fingerprints["sha1"]}},
        forms=("uri", "image-opts", "blockdev"), env=lambda s, spec, v: s.env, xml=None),
    "ssh-no-check": Case("sshd", lambda s: {
        "protocol": "ssh", "server": {"host": "127.0.0.1", "port": s.port}, "user": "root",
        "path": s.image, "options": {"host_key_check": "no"}},
        forms=("uri", "drive", "blockdev"), env=lambda s, spec, v: s.env, xml=None),
    "ssh-known-hosts": Case("sshd", lambda s: {
        "protocol": "ssh", "server": {"host": "127.0.0.1", "port": s.port}, "user": "root",
        "path": s.image, "options": {"host_key_check": "yes"}},
        forms=("uri", "drive", "blockdev"), env=lambda s, spec, v: s.known_env, xml=None),
    "ssh-known-hosts-default": Case("sshd", lambda s: {
        "protocol": "ssh", "server": {"host": "127.0.0.1", "port": s.port}, "user": "root",
        "path": s.image},
        forms=("uri", "image-opts", "blockdev"), env=lambda s, spec, v: s.known_env, xml=None),
    "ssh-unknown-host": Case("sshd", lambda s: {
        "protocol": "ssh", "server": {"host": "127.0.0.1", "port": s.port}, "user": "root",
        "path": s.image, "options": {"host_key_check": "yes"}},
        forms=("uri", "blockdev"), env=lambda s, spec, v: s.env, expect_fail="known_hosts",
        xml=None),
    "ssh-wrong-fingerprint": Case("sshd", lambda s: {
        "protocol": "ssh", "server": {"host": "127.0.0.1", "port": s.port}, "user": "root",
        "path": s.image, "options": {"host_key_check": "sha256:" + "ab" * 32}},
        forms=("uri", "blockdev"), env=lambda s, spec, v: s.env, expect_fail="does not match",
        xml=None),
    # QEMU <= 9.0 keeps the brackets of ssh://[::1] (test_version_gates_live): URI refused there
    "ssh-ipv6": Case("sshd", lambda s: {
        "protocol": "ssh", "server": {"host": "::1", "port": s.port}, "user": "root",
        "path": s.image, "options": {"host_key_check": s.fingerprints["sha256"]}},
        env=lambda s, spec, v: s.env, xml=None,
        refuses={("uri", "7.2"): "QEMU < 9.1 cannot read an IPv6 address in an ssh URI"}),
    "ssh-tricky-path": Case("sshd", lambda s: {
        "protocol": "ssh", "server": {"host": "127.0.0.1", "port": s.port}, "user": "root",
        "path": s.tricky_image, "options": {"host_key_check": s.fingerprints["sha256"]}},
        env=lambda s, spec, v: s.env, xml=None),
    # ---------------------------------------------------------------------------- Gluster
    "gluster": Case("gluster", lambda s: {
        "protocol": "gluster", "servers": [{"host": "127.0.0.1"}], "volume": s.volume,
        "path": s.path}),
    "gluster-unix": Case("gluster", lambda s: {
        "protocol": "gluster", "server": {"socket": s.socket}, "volume": s.volume,
        "path": s.path}),
    # the first server refuses (nothing on 127.0.0.1:1): libgfapi must go on to the second
    "gluster-two-servers": Case("gluster", lambda s: {
        "protocol": "gluster", "servers": [{"host": "127.0.0.1", "port": 1},
                                           {"host": "127.0.0.1", "port": s.port}],
        "volume": s.volume, "path": s.path, "options": {"debug": 2}},
        forms=("drive", "json", "blockdev"), xml={"on_unexpressible": "omit"}),  # debug: qemu.conf
    # ---------------------------------------------------------------------------- curl
    "http": Case("nginx", lambda s: {
        "protocol": "http", "server": {"host": "127.0.0.1", "port": s.http_port},
        "path": s.path, "options": {"readahead": "64k", "timeout": 30}},
        forms=NO_URI),
    "http-uri": Case("nginx", lambda s: {
        "protocol": "http", "server": {"host": "127.0.0.1", "port": s.http_port},
        "path": s.path}, forms=("uri",), xml=None),
    "http-query": Case("nginx", lambda s: {
        "protocol": "http", "server": {"host": "127.0.0.1", "port": s.http_port},
        "path": s.path + "?a=1&b=x%20y"}),
    "https-cookie-inline": Case("nginx", lambda s: {
        "protocol": "https", "server": {"host": "127.0.0.1", "port": s.https_port},
        "path": s.cookie_path, "credentials": "inline",
        "options": {"sslverify": False, "readahead": "64k", "cookie": s.cookie}},
        forms=NO_URI),
    "https-cookie-secret": Case("nginx", lambda s: {
        "protocol": "https", "server": {"host": "127.0.0.1", "port": s.https_port},
        "path": s.cookie_path, "options": {"sslverify": False, "cookie_secret": "ck0"}},
        forms=NO_URI, objects=lambda s: ["secret,id=ck0,data=%s" % s.cookie], xml=None),
    "https-verify-default": Case("nginx", lambda s: {
        "protocol": "https", "server": {"host": "127.0.0.1", "port": s.https_port},
        "path": s.path}, forms=("uri", "blockdev"), expect_fail="certificate", xml=None),
    "http-cookie-wrong": Case("nginx", lambda s: {
        "protocol": "http", "server": {"host": "127.0.0.1", "port": s.http_port},
        "path": s.cookie_path, "credentials": "inline", "options": {"cookie": "token=nope"}},
        forms=("image-opts", "blockdev"), expect_fail="403", xml=None),
    "http-basic-secret": Case("nginx", lambda s: {
        "protocol": "http", "server": {"host": "127.0.0.1", "port": s.http_port},
        "path": s.auth_path, "user": s.user, "password_secret": "pw0"},
        forms=NO_URI, objects=lambda s: ["secret,id=pw0,data=%s" % s.password], xml=None),
    "http-basic-wrong": Case("nginx", lambda s: {
        "protocol": "http", "server": {"host": "127.0.0.1", "port": s.http_port},
        "path": s.auth_path, "user": s.user, "password_secret": "pw0"},
        forms=("image-opts", "blockdev"), objects=lambda s: ["secret,id=pw0,data=wrong"],
        expect_fail="401", xml=None),
    "http-basic-inline": Case("nginx", lambda s: {
        "protocol": "http", "server": {"host": "127.0.0.1", "port": s.http_port},
        "path": s.auth_path, "user": s.user, "password": s.password, "credentials": "inline"},
        forms=("uri", "image-opts", "blockdev"), xml=None),
    "http-ipv6": Case("nginx", lambda s: {
        "protocol": "http", "server": {"host": "::1", "port": s.http_port}, "path": s.path}),
    "http-tricky-path": Case("nginx", lambda s: {
        "protocol": "http", "server": {"host": "127.0.0.1", "port": s.http_port},
        "path": s.tricky_path}),
    "ftp-tricky-path": Case("ftp", lambda s: {
        "protocol": "ftp", "server": {"host": "127.0.0.1", "port": s.port},
        "path": s.tricky_path}, xml=None),
    "ftp": Case("ftp", lambda s: {
        "protocol": "ftp", "server": {"host": "127.0.0.1", "port": s.port}, "path": s.path}),
    "ftp-user-inline": Case("ftp", lambda s: {
        "protocol": "ftp", "server": {"host": "127.0.0.1", "port": s.port}, "path": s.path,
        "user": "anonymous", "password": "guest@x", "credentials": "inline"},
        forms=("uri", "blockdev"), xml=None),
    "ftps": Case("ftps", lambda s: {
        "protocol": "ftps", "server": {"host": "127.0.0.1", "port": s.port}, "path": s.path,
        "options": {"sslverify": False, "readahead": 65536}},
        forms=NO_URI),
}

PARAMS = [pytest.param(name, form, id="%s-%s" % (name, form))
          for name, case in CASES.items() for form in case.forms]


def render(form, spec, version, node_name="node0"):
    """(oracle kind, text) for one output form of ``spec``."""
    api = _render_api()
    if form == "uri":
        return "uri", api.render_uri(spec, qemu_version=version)
    if form == "legacy":
        return "uri", api.render_uri(spec, qemu_version=version, syntax="legacy")
    if form == "drive":
        return "drive", api.render_opts(spec, qemu_version=version, prefix="file.")
    if form == "image-opts":
        return "image-opts", api.render_opts(spec, qemu_version=version, prefix="")
    if form == "json":
        return "json", api.render_json_pseudo(spec, qemu_version=version)
    if form == "backing":
        return "backing", api.render_json_pseudo(spec, qemu_version=version, fmt="raw",
                                                 escape_commas=True)
    if form == "blockdev":
        node = api.render_blockdev(spec, qemu_version=version, node_name=node_name)
        return "blockdev", json.dumps(node)
    raise ValueError(form)


class Refused(Exception):
    """The collection refused to render this form as the case's `refuses` pins."""


def _render_or_pinned_refusal(case, form, version, make):
    """make() renders; a SpecError is allowed only where case.refuses pins it (with its text),
    and a pinned refusal must happen."""
    pinned = case.refuses.get((form, version))
    try:
        out = make()
    except Exception as exc:  # pylint: disable=broad-except
        if pinned is not None and type(exc).__name__ == "SpecError" and pinned in str(exc):
            raise Refused(str(exc)) from exc
        raise
    assert pinned is None, "%s/%s on %s: rendered, but the case pins a refusal (%s)" % (
        case.fixture, form, version, pinned)
    return out


def _open(case, server, form, generation):
    version = generation.qemu_version
    spec = case.spec(server)
    kind, text = _render_or_pinned_refusal(case, form, version, lambda: render(form, spec, version))
    env = case.env(server, spec, version) if case.env else None
    objects = case.objects(server) if case.objects else ()
    return text, generation.open_with_qemu(kind, text, env=env, objects=objects)


@pytest.fixture(scope="session")
def gluster_opened(gluster, generation):
    """Every gluster form opened at once: each open takes ~10 s, so they run in parallel."""
    jobs = [(name, form) for name, case in CASES.items() if case.fixture == "gluster"
            for form in case.forms]

    def one(job):
        try:
            return _open(CASES[job[0]], gluster, job[1], generation)
        except Exception as exc:  # pylint: disable=broad-except  # reported by the test
            return exc

    with ThreadPoolExecutor(len(jobs)) as pool:
        return dict(zip(jobs, pool.map(one, jobs)))


@pytest.mark.parametrize("name,form", PARAMS)
def test_open_rendered(request, generation, name, form):
    case = CASES[name]
    server = request.getfixturevalue(case.fixture)
    if case.fixture == "gluster":
        outcome = request.getfixturevalue("gluster_opened")[(name, form)]
        if isinstance(outcome, Exception):
            raise outcome
        text, result = outcome
    elif case.expect_fail:
        with pytest.raises(QemuError, match=case.expect_fail):
            _open(case, server, form, generation)
        return
    else:
        try:
            text, result = _open(case, server, form, generation)
        except Refused:
            return  # pinned in CASES with its reason
    assert result.virtual_size == SIZE, (text, result)


# ------------------------------------------------------------------- URI round trip

URI_CASES = [name for name, case in CASES.items() if "uri" in case.forms and
             not case.expect_fail]


@pytest.mark.parametrize("name", URI_CASES)
def test_uri_parses_back(request, qemu_version, name):
    """parse_drive(render_uri(spec)) renders the very same URI again."""
    case = CASES[name]
    server = request.getfixturevalue(case.fixture)
    spec = case.spec(server)
    try:
        uri = _render_or_pinned_refusal(case, "uri", qemu_version,
                                        lambda: _render_api().render_uri(spec, qemu_version=qemu_version))
    except Refused:
        return  # pinned in CASES with its reason
    again = _render_api().render_uri(_parse_api()(uri, qemu_version), qemu_version=qemu_version)
    assert again == uri


def test_nbd_legacy_parses_back(nbd_tcp, nbd_unix, qemu_version):
    for name, server in (("nbd-tcp", nbd_tcp), ("nbd-unix", nbd_unix)):
        spec = CASES[name].spec(server)
        legacy = _render_api().render_uri(spec, qemu_version=qemu_version, syntax="legacy")
        parsed = _parse_api()(legacy)
        assert _render_api().render_uri(parsed, qemu_version=qemu_version) == \
            _render_api().render_uri(spec, qemu_version=qemu_version)


# ------------------------------------------------------------------- filter adapters

def _filters():
    from ansible_collections.virt_uri.toolkit.plugins.filter import (
        gluster_json, libvirt_disk_xml, qemu_blockdev, qemu_drive_chap_env, qemu_drive_opts,
        qemu_drive_uri,
    )
    out = {}
    for module in (gluster_json, libvirt_disk_xml, qemu_blockdev, qemu_drive_chap_env,
                   qemu_drive_opts, qemu_drive_uri):
        out.update(module.FilterModule().filters())
    return out


@pytest.mark.parametrize("name", [n for n, c in CASES.items()
                                  if not c.expect_fail])
def test_filters_match_core(request, qemu_version, name):
    """The Ansible filters give the very strings that were opened above."""
    case = CASES[name]
    server = request.getfixturevalue(case.fixture)
    spec = case.spec(server)
    api, flt = _render_api(), _filters()
    if "uri" in case.forms and ("uri", qemu_version) not in case.refuses:
        assert flt["qemu_drive_uri"](spec, qemu_version=qemu_version) == \
            api.render_uri(spec, qemu_version=qemu_version)
    if "drive" in case.forms:
        assert flt["qemu_drive_opts"](spec, qemu_version=qemu_version) == \
            api.render_opts(spec, qemu_version=qemu_version)
    if "image-opts" in case.forms:
        assert flt["qemu_drive_opts"](spec, qemu_version=qemu_version, prefix="") == \
            api.render_opts(spec, qemu_version=qemu_version, prefix="")
    if "blockdev" in case.forms:
        assert flt["qemu_blockdev"](spec, qemu_version=qemu_version, node_name="node0") == \
            api.render_blockdev(spec, qemu_version=qemu_version, node_name="node0")
    if spec["protocol"] == "gluster":
        assert flt["gluster_json"](spec, qemu_version=qemu_version) == \
            api.render_json_pseudo(spec, qemu_version=qemu_version)
    if spec.get("credentials") == "env":
        assert flt["qemu_drive_chap_env"](spec, qemu_version=qemu_version) == \
            api.render_chap_env(spec, qemu_version=qemu_version)


# ------------------------------------------------------------------- libvirt disk XML

XML_CASES = [pytest.param(name, id=name) for name, case in CASES.items() if case.xml is not None]


@pytest.mark.parametrize("name", XML_CASES)
def test_disk_xml_validates(request, xml_validator, qemu_version, name):
    case = CASES[name]
    server = request.getfixturevalue(case.fixture)
    spec = case.spec(server)
    xml = _render_or_pinned_refusal(
        case, "xml", qemu_version,
        lambda: _disk_xml_api()(spec, qemu_version=qemu_version, libvirt_version="9.0", **case.xml))
    xml_validator(xml)
    assert _filters()["libvirt_disk_xml"](spec, qemu_version=qemu_version, **case.xml) == xml


def test_disk_xml_every_protocol_covered():
    protocols = set()
    for case in CASES.values():
        if case.xml is None:
            continue
        protocols.add(case.fixture)
    assert protocols >= {"nbd_tcp", "nbd_unix", "iscsi", "gluster", "nginx", "ftp", "ftps"}


def test_disk_xml_refuses_what_libvirt_cannot_express(xml_validator):
    """ssh has no network disk in libvirt 9.0's schema; gluster debug has no per-disk element:
    refused by default rather than dropped, and dropped only when asked for."""
    import pytest as _pytest  # local: keeps this block self-contained
    from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
    render = _disk_xml_api()
    ssh = {"protocol": "ssh", "server": {"host": "127.0.0.1"}, "path": "/a.img"}
    with _pytest.raises(SpecError, match="no ssh network disk"):
        render(ssh, libvirt_version="9.0")
    gluster = {"protocol": "gluster", "servers": [{"host": "127.0.0.1"}], "volume": "v", "path": "a",
               "options": {"debug": 2}}
    with _pytest.raises(SpecError, match="debug cannot be written in the gluster libvirt disk XML"):
        render(gluster)
    xml_validator(render(gluster, on_unexpressible="omit"))


def test_disk_xml_sheepdog_validates(xml_validator):
    """Sheepdog has no server here (QEMU 7.2 has no driver); its XML is still libvirt's."""
    spec = {"protocol": "sheepdog", "server": {"host": "127.0.0.1", "port": 7000}, "vdi": "v1"}
    xml_validator(_disk_xml_api()(spec, qemu_version="5.2"))
