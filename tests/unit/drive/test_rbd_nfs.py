"""RBD and NFS drives: rendering rows, parse vectors, errors and round trips.

The strings here were opened by QEMU 7.2 and 10.0 against a live Ceph cluster
(tests/live/drive/test_rbd_nfs_live.py); the NFS query names are QEMU's own
(block/nfs.c: nfs_parse_uri), not libnfs's URL parameters.
"""

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import (
    normalize, render_blockdev, render_json_pseudo, render_opts, render_uri,
)

RBD = {"protocol": "rbd", "pool": "rbd", "image": "vm1"}
MONS = [{"host": "192.0.2.1", "port": 6789}, {"host": "2001:db8::1", "port": 3300}]
NFS = {"protocol": "nfs", "server": {"host": "192.0.2.1"}, "path": "/srv/nfs/disk.img"}

LEGACY = [
    (RBD, None, "rbd:rbd/vm1"),
    (dict(RBD, namespace="ns", snapshot="snap1"), None, "rbd:rbd/ns/vm1@snap1"),
    (dict(RBD, namespace=""), None, "rbd:rbd/vm1"),
    (dict(RBD, user="libvirt", conf="/etc/ceph/ceph.conf"), None,
     r"rbd:rbd/vm1:id=libvirt:conf=\/etc\/ceph\/ceph.conf"),
    (dict(RBD, servers=MONS), None, r"rbd:rbd/vm1:mon_host=192.0.2.1\:6789;[2001\:db8\:\:1]\:3300"),
    (dict(RBD, server={"host": "mon1"}), None, r"rbd:rbd/vm1:mon_host=mon1\:6789"),
    # Every delimiter of qemu_rbd_parse_filename and the backslash, escaped in every position.
    ({"protocol": "rbd", "pool": "p/o:l", "namespace": "n@s", "image": "i:m@g/e\\", "snapshot": "s:n=p"}, None,
     r"rbd:p\/o\:l/n\@s/i\:m\@g\/e\\@s\:n\=p"),
]


@pytest.mark.parametrize("spec,version,expected", LEGACY)
def test_legacy(spec, version, expected):
    assert render_uri(spec, version, syntax="legacy") == expected
    assert parse_drive(expected, version) == normalize(spec, version)


def test_rbd_has_no_uri():
    with pytest.raises(SpecError) as err:
        render_uri(RBD)
    assert err.value.field == "syntax" and "legacy" in str(err.value)


def test_rbd_blockdev_opts_json():
    spec = dict(RBD, namespace="ns", snapshot="s", user="qemu", key_secret="sec0", conf="/c.conf", servers=MONS,
                options={"auth_client_required": ["cephx", "none"]})
    node = render_blockdev(spec, node_name="n0")
    assert node == {"driver": "rbd", "pool": "rbd", "namespace": "ns", "image": "vm1", "conf": "/c.conf",
                    "snapshot": "s", "user": "qemu", "key-secret": "sec0",
                    "auth-client-required": ["cephx", "none"],
                    "server": [{"host": "192.0.2.1", "port": "6789"}, {"host": "2001:db8::1", "port": "3300"}],
                    "node-name": "n0"}
    assert render_opts(spec) == (
        "file.driver=rbd,file.pool=rbd,file.namespace=ns,file.image=vm1,file.conf=/c.conf,file.snapshot=s,"
        "file.user=qemu,file.key-secret=sec0,file.auth-client-required.0=cephx,file.auth-client-required.1=none,"
        "file.server.0.host=192.0.2.1,file.server.0.port=6789,file.server.1.host=2001:db8::1,"
        "file.server.1.port=3300")
    assert render_json_pseudo(spec).startswith('json:{"driver":"rbd","pool":"rbd","namespace":"ns"')
    for text in (render_opts(spec), render_json_pseudo(spec)):
        assert parse_drive(text) == normalize(spec)
    assert {k: v for k, v in parse_drive(node).items() if k != "layer"} == normalize(spec)


def test_rbd_key_never_in_the_legacy_string():
    spec = dict(RBD, user="qemu", key_secret="sec0")
    with pytest.raises(SpecError) as err:
        render_uri(spec, syntax="legacy")
    assert "key_secret" in str(err.value)
    assert render_uri(spec, syntax="legacy", on_unexpressible="omit") == "rbd:rbd/vm1:id=qemu"
    # A key in clear in a legacy string is refused, and the key is not echoed back.
    with pytest.raises(SpecError) as err:
        parse_drive("rbd:rbd/vm1:id=qemu:key=AQDwjg9rvgvTLxAARVEjoCPpsfxVBqEJrISYww==")
    assert "AQDw" not in str(err.value)


@pytest.mark.parametrize("text,field", [
    ("rbd:pool", "uri"),                       # QEMU: Pool name is required
    ("rbd:pool/img:conf", "uri"),              # QEMU: conf option conf has no value
    ("rbd:pool/img:auth_supported=none", "uri"),
    ("rbd:pool/", "image"),
    ("rbd:pool/img:mon_host=[::1", "uri"),
])
def test_rbd_parse_errors(text, field):
    with pytest.raises(SpecError) as err:
        parse_drive(text)
    assert err.value.field == field


@pytest.mark.parametrize("spec,version,field", [
    (dict(RBD, namespace="ns"), "4.2", "namespace"),
    (dict(RBD, key_secret="s"), "2.12", "key_secret"),
    (dict(RBD, options={"auth_client_required": ["kerberos"]}), None, "options.auth_client_required"),
    (dict(RBD, options={"auth_client_required": []}), None, "options.auth_client_required"),
    (dict(RBD, conf="ceph.conf"), None, "conf"),
    (dict(RBD, key_secret="0bad"), None, "key_secret"),
    ({"protocol": "rbd", "image": "i"}, None, "pool"),
    ({"protocol": "rbd", "pool": "p"}, None, "image"),
])
def test_rbd_spec_errors(spec, version, field):
    with pytest.raises(SpecError) as err:
        render_blockdev(spec, version)
    assert err.value.field == field


def test_rbd_disk_xml():
    spec = dict(RBD, snapshot="snap1", user="libvirt", key_secret="sec0", conf="/etc/ceph/ceph.conf", servers=MONS)
    xml = render_disk_xml(spec, secret_uuid="3e3fce45-4f53-4fa7-bb32-11f34168b82b")
    assert '<source protocol="rbd" name="rbd/vm1">' in xml
    assert '<host name="2001:db8::1" port="3300" />' in xml
    assert '<secret type="ceph" uuid="3e3fce45-4f53-4fa7-bb32-11f34168b82b" />' in xml
    assert '<snapshot name="snap1" />' in xml and '<config file="/etc/ceph/ceph.conf" />' in xml
    back = parse_drive(xml)
    assert back["layer"]["secret_uuid"] == "3e3fce45-4f53-4fa7-bb32-11f34168b82b"  # layer.secret_uuid (drive/layer.py)
    assert {k: v for k, v in back.items() if k != "layer"} == {
        k: v for k, v in normalize(spec).items() if k != "key_secret"}


@pytest.mark.parametrize("spec,kwargs,field", [
    (dict(RBD, user="libvirt"), {}, "user"),                       # <auth> needs a libvirt secret
    (dict(RBD, key_secret="sec0"), {}, "key_secret"),
    (RBD, {"secret_usage": "x"}, "user"),
    (dict(RBD, namespace="ns"), {}, "options"),                    # pool/image only
    (dict(RBD, options={"auth_client_required": ["cephx"]}), {}, "options"),
    (dict(RBD, snapshot="a b"), {}, "snapshot"),                   # genericName
])
def test_rbd_disk_xml_errors(spec, kwargs, field):
    with pytest.raises(SpecError) as err:
        render_disk_xml(spec, **kwargs)
    assert err.value.field == field


NFS_URIS = [
    (NFS, "nfs://192.0.2.1/srv/nfs/disk.img"),
    (dict(NFS, path="/srv/a b/c%d.img"), "nfs://192.0.2.1/srv/a%20b/c%25d.img"),
    ({"protocol": "nfs", "server": {"host": "2001:db8::2"}, "path": "/e/f"}, "nfs://[2001:db8::2]/e/f"),
    (dict(NFS, options={"uid": 1000, "gid": 100, "tcp_syn_count": 3, "readahead_size": 1048576,
                        "page_cache_size": 2048, "debug": 2}),
     "nfs://192.0.2.1/srv/nfs/disk.img?debug=2&gid=100&pagecache=2048&readahead=1048576&tcp-syncnt=3&uid=1000"),
]


@pytest.mark.parametrize("spec,expected", NFS_URIS)
def test_nfs_uri(spec, expected):
    assert render_uri(spec) == expected
    ipv6 = ":" in spec["server"]["host"]
    for version in ("7.2", "10.0"):
        if ipv6 and version == "7.2":  # util/uri.c keeps the brackets; libnfs cannot resolve them
            with pytest.raises(SpecError):
                render_uri(spec, version)
            with pytest.raises(SpecError):
                parse_drive(expected, version)
            continue
        assert parse_drive(expected, version) == normalize(spec, version)


def test_nfs_blockdev_and_opts():
    spec = dict(NFS, options={"uid": 0, "gid": 0, "tcp_syn_count": 1, "readahead_size": 0, "page_cache_size": 1,
                              "debug": 0})
    assert render_blockdev(spec) == {"driver": "nfs", "server": {"type": "inet", "host": "192.0.2.1"},
                                     "path": "/srv/nfs/disk.img", "user": 0, "group": 0, "tcp-syn-count": 1,
                                     "readahead-size": 0, "page-cache-size": 1, "debug": 0}
    for text in (render_opts(spec), render_json_pseudo(spec)):
        assert parse_drive(text) == normalize(spec)


@pytest.mark.parametrize("text", [
    "nfs://h/e/f?tcp-syn-cnt=1",        # QEMU 7.2 and 10.0: Unknown NFS parameter name
    "nfs://h/e/f?readahead-size=1",
    "nfs://h/e/f?page-cache-size=1",
    "nfs://h/e/f?foo=1",
    "nfs://h/e/f?uid=-1",               # Illegal value for NFS parameter
    "nfs://h/e/f?uid=",
    "nfs:///e/f",                       # missing hostname in URI
    "nfs://h:2049/e/f",                 # the port would be ignored
    "nfs://h/e/f?uid=1&uid=2",
])
def test_nfs_parse_errors(text):
    with pytest.raises(SpecError):
        parse_drive(text)


@pytest.mark.parametrize("spec,field", [
    (dict(NFS, server={"host": "h", "port": 2049}), "server.port"),
    (dict(NFS, path="relative/f"), "path"),
    (dict(NFS, path="/export/"), "path"),
    (dict(NFS, options={"debug": 3}), "options.debug"),                  # QEMU: Limiting NFS debug level to 2
    (dict(NFS, options={"readahead_size": 1048577}), "options.readahead_size"),  # Truncating
    (dict(NFS, options={"page_cache_size": 2049}), "options.page_cache_size"),   # Truncating to 2048 pages
    (dict(NFS, options={"uid": -1}), "options.uid"),
    (dict(NFS, options={"port": 1}), "options.port"),
    ({"protocol": "nfs", "servers": [{"host": "a"}, {"host": "b"}], "path": "/e/f"}, "servers"),
])
def test_nfs_spec_errors(spec, field):
    with pytest.raises(SpecError) as err:
        render_blockdev(spec)
    assert err.value.field == field


def test_nfs_disk_xml():
    xml = render_disk_xml(dict(NFS, options={"uid": 1000, "gid": 0}))
    assert '<source protocol="nfs" name="/srv/nfs/disk.img">' in xml
    assert '<host name="192.0.2.1" />' in xml and '<identity user="+1000" group="+0" />' in xml
    back = parse_drive(xml)
    assert back["options"] == {"uid": 1000, "gid": 0} and back["path"] == "/srv/nfs/disk.img"
    # libvirt 9.0's schema requires <identity> even without ids
    assert "<identity />" in render_disk_xml(NFS)
    with pytest.raises(SpecError) as err:
        render_disk_xml(dict(NFS, options={"debug": 1}))
    assert err.value.field == "options"


SETTINGS = settings(derandomize=True, max_examples=200, deadline=None)
name = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=12)
mon = st.fixed_dictionaries({"host": st.sampled_from(["127.0.0.1", "::1", "mon-a.example", "2001:db8::9"]),
                             "port": st.integers(1, 65535)})
rbd_specs = st.fixed_dictionaries(
    {"protocol": st.just("rbd"), "pool": name, "image": name},
    optional={"namespace": name, "snapshot": name, "user": name,
              "conf": name.map(lambda t: "/" + t), "servers": st.lists(mon, min_size=1, max_size=3)})
nfs_specs = st.fixed_dictionaries(
    {"protocol": st.just("nfs"), "server": st.fixed_dictionaries({"host": st.sampled_from(
        ["127.0.0.1", "::1", "nfs.example"])}),
     "path": st.lists(name.filter(lambda t: "/" not in t), min_size=1, max_size=3).map(lambda p: "/" + "/".join(p))},
    optional={"options": st.fixed_dictionaries({}, optional={
        "uid": st.integers(0, 4294967295), "gid": st.integers(0, 4294967295), "debug": st.integers(0, 2),
        "readahead_size": st.integers(0, 1048576), "page_cache_size": st.integers(0, 2048),
        "tcp_syn_count": st.integers(0, 255)})})


@SETTINGS
@given(rbd_specs)
def test_rbd_round_trips(spec):
    """Any accepted spec comes back from its legacy string, option string, json: and node."""
    norm = normalize(spec)
    assert parse_drive(render_uri(spec, syntax="legacy")) == norm
    assert parse_drive(render_opts(spec)) == norm
    assert parse_drive(render_json_pseudo(spec)) == norm
    assert parse_drive(render_blockdev(spec)) == norm


@SETTINGS
@given(nfs_specs, st.sampled_from(["7.2", "10.0"]))
def test_nfs_round_trips(spec, version):
    norm = normalize(spec, version)
    if ":" in spec["server"]["host"] and version == "7.2":
        with pytest.raises(SpecError):
            render_uri(spec, version)
    else:
        assert parse_drive(render_uri(spec, version), version) == norm
    assert parse_drive(render_opts(spec, version), version) == norm
    assert parse_drive(render_blockdev(spec, version), version) == norm
