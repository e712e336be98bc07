"""RBD and NFS drives: rendering rows, parse vectors, errors and round trips.

The strings here were opened by QEMU 7.2 and 10.0 against a live Ceph cluster
(tests/live/drive/test_rbd_nfs_live.py); the NFS query names are QEMU's own
(block/nfs.c: nfs_parse_uri), not libnfs's URL parameters.
"""

from types import MappingProxyType

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
    assert (err.value.field, str(err.value)) == (
        "syntax", "syntax: 'uri' is not accepted; RBD has no URI form in QEMU; use syntax='legacy' for the "
        "rbd:pool/image string, or qemu_drive_opts / qemu_blockdev")


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


def test_rbd_options_never_in_the_legacy_string():
    spec = dict(RBD, options={"auth_client_required": ["none"]})
    with pytest.raises(SpecError) as err:
        render_uri(spec, syntax="legacy")
    assert (err.value.field, str(err.value)) == (
        "options", "options: ['auth_client_required'] is not accepted; auth_client_required cannot be written in "
        "the rbd legacy rbd: string; use qemu_drive_opts, qemu_blockdev or libvirt_disk_xml (or give "
        "file.key-secret next to the string), or pass on_unexpressible='omit' to drop them knowingly")
    assert render_uri(spec, syntax="legacy", on_unexpressible="omit") == "rbd:rbd/vm1"
    with pytest.raises(SpecError) as err:
        render_uri(dict(spec, key_secret="sec0"), syntax="legacy")
    assert str(err.value).startswith("options: ['auth_client_required', 'key_secret'] is not accepted; "
                                     "auth_client_required, key_secret cannot be written in the rbd legacy")


# What the legacy reader makes of a string QEMU's qemu_rbd_parse_filename reads: the monitor port
# defaults to 6789 (DEFAULT_PORT), a trailing backslash stays (qemu_rbd_unescape).
@pytest.mark.parametrize("text,expected", [
    ("rbd:rbd/vm1:mon_host=mon1", dict(RBD, servers=[{"host": "mon1", "port": 6789}])),
    (r"rbd:rbd/vm1:mon_host=[2001\:db8\:\:1]", dict(RBD, servers=[{"host": "2001:db8::1", "port": 6789}])),
    ("rbd:rbd/vm1\\", dict(RBD, image="vm1\\")),
    (r"rbd:rbd/ns/vm1/a\@b", dict(RBD, namespace="ns", image="vm1/a@b")),
], ids=["mon-default-port", "mon-ipv6-default-port", "trailing-backslash", "slash-in-image"])
def test_rbd_legacy_reading(text, expected):
    assert parse_drive(text) == dict(expected, protocol="rbd")


RBD_PARSE_ERRORS = [
    ("rbd:pool", "uri", "uri: 'rbd:pool' is not accepted; QEMU: 'Pool name is required' (rbd:POOL/IMAGE)"),
    ("rbd:pool/img:conf", "uri", "uri: 'rbd:pool/img:conf' is not accepted; QEMU: 'conf option conf has no value'"),
    (r"rbd:pool/img:a\:b", "uri", r"uri: 'rbd:pool/img:a\\:b' is not accepted; QEMU: 'conf option a:b has no value'"),
    ("rbd:pool/img:auth_supported=none", "uri",
     "uri: 'rbd:pool/img:auth_supported=none' is not accepted; the legacy option 'auth_supported' is not part of "
     "the rbd drive spec (accepted: id, conf, mon_host); give the key as key_secret, other Ceph settings in the "
     "conf file"),
    (r"rbd:pool/img:a\=b=1", "uri",
     r"uri: 'rbd:pool/img:a\\=b=1' is not accepted; the legacy option 'a=b' is not part of "
     "the rbd drive spec (accepted: id, conf, mon_host); give the key as key_secret, other Ceph settings in the "
     "conf file"),
    # a key in clear: the string is not echoed back
    ("rbd:pool/img:key=AQDwjg9rvgvTLxAARVEjoCPpsfxVBqEJrISYww==", "uri",
     "uri: 'rbd:...' is not accepted; the legacy option 'key' is not part of the rbd drive spec (accepted: id, conf, "
     "mon_host); give the key as key_secret, other Ceph settings in the conf file"),
    ("rbd:pool/", "image", "image: '' is not accepted; expected a non-empty string"),
    ("rbd:pool/img:mon_host=[::1", "uri",
     "uri: 'rbd:pool/img:mon_host=[::1' is not accepted; cannot read the mon_host entry '[' (host[:port], IPv6 in "
     "brackets)"),
    ("rbd:pool/img:mon_host=999.1.1.1", "servers.host",
     "servers.host: '999.1.1.1' is not accepted; not a valid IPv4 address"),
    (r"rbd:pool/img:mon_host=mon1\:0", "servers.port",
     "servers.port: 0 is not accepted; expected an integer between 1 and 65535"),
]


@pytest.mark.parametrize("text,field,message", RBD_PARSE_ERRORS, ids=["row%d" % i for i in range(len(RBD_PARSE_ERRORS))])
def test_rbd_parse_errors(text, field, message):
    with pytest.raises(SpecError) as err:
        parse_drive(text)
    assert (err.value.field, str(err.value)) == (field, message)


_NEEDS = "is not accepted; needs QEMU >= %s (qapi/block-core.json BlockdevOptionsRbd)"
_MODES = "options.auth_client_required: %s is not accepted; expected a list of: cephx, none"
RBD_SPEC_ERRORS = [
    (dict(RBD, namespace="ns"), "4.2", "namespace", "namespace: 'ns' " + _NEEDS % "5.0"),
    (dict(RBD, key_secret="s"), "2.12", "key_secret", "key_secret: 's' " + _NEEDS % "3.0"),
    (dict(RBD, options={"auth_client_required": ["none"]}), "2.12", "options.auth_client_required",
     "options.auth_client_required: ['none'] " + _NEEDS % "3.0"),
    (dict(RBD, options={"auth_client_required": ["kerberos"]}), None, "options.auth_client_required",
     _MODES % "['kerberos']"),
    (dict(RBD, options={"auth_client_required": ["none", "kerberos"]}), None, "options.auth_client_required",
     _MODES % "['none', 'kerberos']"),
    (dict(RBD, options={"auth_client_required": b"none"}), None, "options.auth_client_required", _MODES % "b'none'"),
    (dict(RBD, options={"auth_client_required": {"none": 1}}), None, "options.auth_client_required",
     _MODES % "{'none': 1}"),
    (dict(RBD, options={"auth_client_required": 5}), None, "options.auth_client_required", _MODES % "5"),
    (dict(RBD, options={"auth_client_required": []}), None, "options.auth_client_required",
     "options.auth_client_required: [] is not accepted; expected at least one of: cephx, none"),
    (dict(RBD, options={"auth_client_required": ["cephx", "cephx"]}), None, "options.auth_client_required",
     "options.auth_client_required: ['cephx', 'cephx'] is not accepted; each mode at most once"),
    (dict(RBD, conf="ceph.conf"), None, "conf",
     "conf: 'ceph.conf' is not accepted; expected an absolute path to a ceph.conf file"),
    (dict(RBD, conf=1), None, "conf", "conf: 1 is not accepted; expected a string, got int"),
    (dict(RBD, key_secret="0bad"), None, "key_secret",
     "key_secret: '0bad' is not accepted; expected a QEMU object id: a letter, then letters, digits, '-', '.', '_'"),
    (dict(RBD, namespace=1), None, "namespace", "namespace: 1 is not accepted; expected a string, got int"),
    (dict(RBD, snapshot=1), None, "snapshot", "snapshot: 1 is not accepted; expected a string, got int"),
    (dict(RBD, user=1), None, "user", "user: 1 is not accepted; expected a string, got int"),
    (dict(RBD, pool=1), None, "pool", "pool: 1 is not accepted; expected a string, got int"),
    # a mapping that is not a dict is no list of modes either
    (dict(RBD, options={"auth_client_required": MappingProxyType({"cephx": 1})}), None, "options.auth_client_required",
     _MODES % "mappingproxy({'cephx': 1})"),
    (dict(RBD, foo=1), None, "foo", "foo: 1 is not accepted; unknown key; accepted keys here: conf, image, key_secret, "
     "namespace, options, pool, protocol, server, servers, snapshot, user"),
    ({"protocol": "rbd", "image": "i"}, None, "pool", "pool: required: the Ceph pool name"),
    ({"protocol": "rbd", "pool": "p", "image": None}, None, "image", "image: required: the RBD image name"),
]


@pytest.mark.parametrize("spec,version,field,message", RBD_SPEC_ERRORS,
                         ids=["row%d" % i for i in range(len(RBD_SPEC_ERRORS))])
def test_rbd_spec_errors(spec, version, field, message):
    with pytest.raises(SpecError) as err:
        render_blockdev(spec, version)
    assert (err.value.field, str(err.value)) == (field, message)


@pytest.mark.parametrize("spec,version", [
    (dict(RBD, namespace="ns"), "5.0"),
    (dict(RBD, key_secret="s", options={"auth_client_required": "cephx"}), "3.0"),
], ids=["namespace-5.0", "key-secret-3.0"])
def test_rbd_gates_open(spec, version):
    expected = dict(spec)
    if "options" in spec:
        expected["options"] = {"auth_client_required": ["cephx"]}  # one mode: a list of one
    assert normalize(spec, version) == expected


_UUID = "3e3fce45-4f53-4fa7-bb32-11f34168b82b"
_SCHEMA = "libvirt's domain schema allows only letters, digits, '_', '+' and '-' in an RBD "
RBD_DISK_ERRORS = [
    (dict(RBD, user="libvirt"), {}, "user", "user: 'libvirt' is not accepted; libvirt's <auth username> needs a "
     "libvirt 'ceph' secret: give secret_usage or secret_uuid"),
    (dict(RBD, key_secret="sec0"), {}, "key_secret", "key_secret: 'sec0' is not accepted; in libvirt XML the cephx "
     "key comes from a libvirt secret of type 'ceph': give secret_usage or secret_uuid"),
    (RBD, {"secret_usage": "x"}, "user", "user: required with secret_usage / secret_uuid (libvirt's <auth username>)"),
    (RBD, {"secret_uuid": _UUID}, "user", "user: required with secret_usage / secret_uuid (libvirt's <auth username>)"),
    (dict(RBD, user="u"), {"secret_usage": "x", "secret_uuid": _UUID}, "secret_usage",
     "secret_usage: 'x' is not accepted; give secret_usage or secret_uuid, not both"),
    (dict(RBD, user="a b"), {"secret_usage": "x"}, "user", "user: 'a b' is not accepted; " + _SCHEMA + "user name"),
    (dict(RBD, namespace="ns"), {}, "options", "options: ['namespace'] is not accepted; namespace cannot be written "
     "in the rbd libvirt disk XML; use qemu_blockdev or qemu_drive_opts, or pass on_unexpressible='omit' to drop "
     "them knowingly"),
    (dict(RBD, options={"auth_client_required": ["cephx"]}), {}, "options", "options: ['auth_client_required'] is "
     "not accepted; auth_client_required cannot be written in the rbd libvirt disk XML; use qemu_blockdev or "
     "qemu_drive_opts, or pass on_unexpressible='omit' to drop them knowingly"),
    (dict(RBD, snapshot="a b"), {}, "snapshot", "snapshot: 'a b' is not accepted; " + _SCHEMA + "snapshot name"),
    (dict(RBD, conf="/etc/ceph\n.conf"), {}, "conf",
     "conf: '/etc/ceph\\n.conf' is not accepted; libvirt's domain schema (absFilePath) allows no newline"),
    (dict(RBD, conf="/etc/ceph\r.conf"), {}, "conf",
     "conf: '/etc/ceph\\r.conf' is not accepted; libvirt's domain schema (absFilePath) allows no newline"),
    (dict(RBD, pool="a/b"), {}, "pool", "pool: 'a/b' is not accepted; libvirt's <source protocol='rbd' "
     "name='POOL/IMAGE'> cannot carry a '/' in the pool (libvirt reads 'a/b' + 'c' as pool 'a', image 'b/c'); use "
     "the QEMU forms (legacy rbd: string, options, json:, blockdev)"),
]


def test_rbd_disk_xml_with_a_secret_usage():
    spec = dict(RBD, user="u+_-9", snapshot="s+_-9", conf="/c", key_secret="k", server={"host": "mon1"})
    assert render_disk_xml(spec, secret_usage="ceph-x") == (
        '<disk type="network" device="disk">\n  <driver name="qemu" type="raw" />\n'
        '  <source protocol="rbd" name="rbd/vm1">\n    <host name="mon1" port="6789" />\n'
        '    <auth username="u+_-9">\n      <secret type="ceph" usage="ceph-x" />\n    </auth>\n'
        '    <snapshot name="s+_-9" />\n    <config file="/c" />\n  </source>\n'
        '  <target dev="vda" bus="virtio" />\n</disk>')


@pytest.mark.parametrize("spec,kwargs,field,message", RBD_DISK_ERRORS,
                         ids=["row%d" % i for i in range(len(RBD_DISK_ERRORS))])
def test_rbd_disk_xml_errors(spec, kwargs, field, message):
    with pytest.raises(SpecError) as err:
        render_disk_xml(spec, **kwargs)
    assert (err.value.field, str(err.value)) == (field, message)


_RBD_JSON = 'json:{"driver":"rbd","pool":"p","image":"i",%s}'
_RBD_NEEDS = "required by QEMU's rbd driver (%s): Parameter '%s' is missing"
RBD_NODE_ERRORS = [
    ('json:{"driver":"rbd","image":"i"}', "pool", "pool: " + _RBD_NEEDS % ("the pool", "pool")),
    ('json:{"driver":"rbd","pool":"p"}', "image", "image: " + _RBD_NEEDS % ("the image", "image")),
    (_RBD_JSON % '"server":[]', "server",
     "server: [] is not accepted; expected a non-empty list of monitor addresses"),
    (_RBD_JSON % '"server":{"host":"h","port":"1"}', "server",
     "server: {'host': 'h', 'port': '1'} is not accepted; expected a non-empty list of monitor addresses"),
    (_RBD_JSON % '"server":[{"port":"1"}]', "server.0.host",
     "server.0.host: " + _RBD_NEEDS % ("the monitor host", "host")),
    (_RBD_JSON % '"server":[{"host":"h","port":"1"},{"host":"h"}]', "server.1.port",
     "server.1.port: " + _RBD_NEEDS % ("the monitor port (a string in QAPI)", "port")),
    (_RBD_JSON % '"server":[{"host":"h","port":"1","type":"inet"}]', "server.0.type",
     "server.0.type: 'inet' is not accepted; QEMU's rbd driver has no such option, or the drive spec cannot carry "
     "it; options read here: host, port"),
    ('json:{"driver":"rbd","filename":"rbd:p/i","pool":"q"}', "pool",
     "pool: 'q' is not accepted; Option 'pool' cannot be used with a file name"),
]


@pytest.mark.parametrize("text,field,message", RBD_NODE_ERRORS, ids=["row%d" % i for i in range(len(RBD_NODE_ERRORS))])
def test_rbd_node_errors(text, field, message):
    with pytest.raises(SpecError) as err:
        parse_drive(text)
    assert (err.value.field, str(err.value)) == (field, message)


def test_rbd_node_options_next_to_the_filename():
    text = 'json:{"driver":"rbd","filename":"rbd:p/i","key-secret":"k","auth-client-required":["none"]}'
    assert parse_drive(text) == {"protocol": "rbd", "pool": "p", "image": "i", "key_secret": "k",
                                 "options": {"auth_client_required": ["none"]}}


def _rbd_disk(name, children=""):
    return ("<disk type='network' device='disk'><source protocol='rbd'%s>%s</source></disk>"
            % ("" if name is None else " name='%s'" % name, children))


def test_rbd_disk_xml_reading():
    # libvirt splits the name at the first '/' (tests/live/libvirt/test_rbd_disk_name_live.py)
    back = parse_drive(_rbd_disk("rbd/vm1/a", "<host name='m1' port='3300'/><host name='m2'/><snapshot name='s1'/><config file='/etc/ceph/c.conf'/>"))
    assert back == {"protocol": "rbd", "pool": "rbd", "image": "vm1/a", "snapshot": "s1", "conf": "/etc/ceph/c.conf",
                    "servers": [{"host": "m1", "port": 3300}, {"host": "m2", "port": 6789}],
                    "layer": {"device": "disk", "read_only": False}}
    assert parse_drive(_rbd_disk("rbd/vm1")) == {"protocol": "rbd", "pool": "rbd", "image": "vm1",
                                                 "layer": {"device": "disk", "read_only": False}}


@pytest.mark.parametrize("name,message", [
    ("rbdvm1", "source.name: 'rbdvm1' is not accepted; expected POOL/IMAGE"),
    (None, "source.name: expected POOL/IMAGE"),
], ids=["no-slash", "no-name"])
def test_rbd_disk_xml_name_errors(name, message):
    with pytest.raises(SpecError) as err:
        parse_drive(_rbd_disk(name))
    assert (err.value.field, str(err.value)) == ("source.name", message)


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


_UNKNOWN = "QEMU: 'Unknown NFS parameter name: %s'; known: debug, gid, pagecache, readahead, tcp-syncnt, uid"
NFS_PARSE_ERRORS = [
    ("nfs://h/e/f?tcp-syn-cnt=1", None, "uri", _UNKNOWN % "tcp-syn-cnt"),  # QEMU 7.2 and 10.0 alike
    ("nfs://h/e/f?readahead-size=1", None, "uri", _UNKNOWN % "readahead-size"),
    ("nfs://h/e/f?page-cache-size=1", None, "uri", _UNKNOWN % "page-cache-size"),
    ("nfs://h/e/f?foo=1", None, "uri", _UNKNOWN % "foo"),
    ("nfs://h/e/f?uid=-1", None, "uri", "the NFS parameter uid needs a decimal number"),  # Illegal value
    ("nfs://h/e/f?tcp-syncnt=0x1", None, "uri", "the NFS parameter tcp-syncnt needs a decimal number"),
    ("nfs://h/e/f?uid=", None, "uri", "the NFS parameter uid needs a decimal number"),
    ("nfs:///e/f", None, "uri", "QEMU: 'missing hostname in URI' (nfs://HOST/EXPORT/FILE)"),
    ("nfs:/e/f", None, "uri", "QEMU: 'missing hostname in URI' (nfs://HOST/EXPORT/FILE)"),
    ("nfs://h:2049/e/f", None, "uri",
     "QEMU's NFS driver ignores a port in the URI (libnfs uses the portmapper); drop ':2049'"),
    ("nfs://u@h/e/f", None, "uri", "an NFS URI takes no user@ and no #fragment"),
    ("nfs://h/e/f#x", None, "uri", "an NFS URI takes no user@ and no #fragment"),
    ("nfs://[::1]/e/f", "9.0", "uri",
     "QEMU < 9.1 reads the host as '[::1]' with its brackets, which libnfs cannot resolve"),
    ("nfs://h/e/f?uid=1&uid=2", "9.0", "uri", "repeated query parameter 'uid' (QEMU <= 9.0 rejects it)"),
    ("nfs://h/e/%zz", None, "path", "invalid %-encoding"),
]


@pytest.mark.parametrize("text,version,field,message", NFS_PARSE_ERRORS,
                         ids=["row%d" % i for i in range(len(NFS_PARSE_ERRORS))])
def test_nfs_parse_errors(text, version, field, message):
    with pytest.raises(SpecError) as err:
        parse_drive(text, version)
    shown = text if field == "uri" else text[len("nfs://h"):]
    assert (err.value.field, str(err.value)) == (field, "%s: %r is not accepted; %s" % (field, shown, message))


def test_nfs_ipv6_uri_from_9_1():
    assert parse_drive("nfs://[::1]/e/f", "9.1") == {"protocol": "nfs", "servers": [{"host": "::1"}], "path": "/e/f"}
    assert render_uri(dict(NFS, server={"host": "2001:db8::2"}), "9.1") == "nfs://[2001:db8::2]/srv/nfs/disk.img"
    with pytest.raises(SpecError) as err:
        render_uri(dict(NFS, server={"host": "2001:db8::2"}), "9.0")
    assert (err.value.field, str(err.value)) == (
        "server.host", "server.host: '2001:db8::2' is not accepted; QEMU < 9.1 cannot read an IPv6 address in an "
        "NFS URI (libnfs: 'Invalid address:[2001:db8::2]'); use qemu_drive_opts or qemu_blockdev")


_NFS_PORT = ("is not accepted; QEMU's NFS driver has no port: libnfs finds the mount and NFS ports through the "
             "server's portmapper (port 111)")
_NFS_PATH = ("is not accepted; expected an absolute path ending in the image's file name (the export is everything "
             "before the last '/')")
_NFS_ONE = "expected a list with one {host} mapping"
NFS_SPEC_ERRORS = [
    (dict(NFS, server={"host": "h", "port": 2049}), "server.port", "server.port: 2049 " + _NFS_PORT),
    ({"protocol": "nfs", "servers": [{"host": "h", "port": 1}], "path": "/e/f"}, "servers.0.port",
     "servers.0.port: 1 " + _NFS_PORT),
    (dict(NFS, path="relative/f"), "path", "path: 'relative/f' " + _NFS_PATH),
    (dict(NFS, path="/export/"), "path", "path: '/export/' " + _NFS_PATH),
    (dict(NFS, path=1), "path", "path: 1 is not accepted; expected a string, got int"),
    ({"protocol": "nfs", "server": {"host": "h"}}, "path",
     "path: required: the image's absolute path, export directory included (e.g. /srv/nfs/disk.img)"),
    (dict(NFS, options={"debug": 3}), "options.debug",            # QEMU: Limiting NFS debug level to 2
     "options.debug: 3 is not accepted; expected an integer between 0 and 2"),
    (dict(NFS, options={"readahead_size": 1048577}), "options.readahead_size",  # Truncating
     "options.readahead_size: 1048577 is not accepted; expected an integer between 0 and 1048576"),
    (dict(NFS, options={"page_cache_size": 2049}), "options.page_cache_size",  # Truncating to 2048 pages
     "options.page_cache_size: 2049 is not accepted; expected an integer between 0 and 2048"),
    (dict(NFS, options={"tcp_syn_count": 256}), "options.tcp_syn_count",
     "options.tcp_syn_count: 256 is not accepted; expected an integer between 0 and 255"),
    (dict(NFS, options={"uid": -1}), "options.uid", "options.uid: -1 is not accepted; expected an integer between 0 "
     "and 4294967295"),
    (dict(NFS, options={"gid": 4294967296}), "options.gid",
     "options.gid: 4294967296 is not accepted; expected an integer between 0 and 4294967295"),
    (dict(NFS, options={"port": 1}), "options.port", "options.port: 1 is not accepted; unknown key; accepted keys "
     "here: debug, gid, page_cache_size, readahead_size, tcp_syn_count, uid"),
    ({"protocol": "nfs", "servers": [{"host": "a"}, {"host": "b"}], "path": "/e/f"}, "servers",
     "servers: [{'host': 'a'}, {'host': 'b'}] is not accepted; NFS takes exactly one server"),
    ({"protocol": "nfs", "servers": [], "path": "/e/f"}, "servers",
     "servers: [] is not accepted; NFS takes exactly one server"),
    ({"protocol": "nfs", "servers": "h", "path": "/e/f"}, "servers", "servers: 'h' is not accepted; " + _NFS_ONE),
    ({"protocol": "nfs", "servers": {"host": "h"}, "path": "/e/f"}, "servers",
     "servers: {'host': 'h'} is not accepted; " + _NFS_ONE),
    ({"protocol": "nfs", "servers": 5, "path": "/e/f"}, "servers", "servers: 5 is not accepted; " + _NFS_ONE),
    ({"protocol": "nfs", "server": {"host": "h"}, "servers": [{"host": "h"}], "path": "/e/f"}, "server",
     "server: {'host': 'h'} is not accepted; give either 'server' or 'servers', not both"),
    ({"protocol": "nfs", "path": "/e/f"}, "server", "server: required: {host: NFS server}"),
    ({"protocol": "nfs", "server": "h", "path": "/e/f"}, "server",
     "server: 'h' is not accepted; expected a mapping, got str"),
    ({"protocol": "nfs", "server": {"host": "h", "x": 1}, "path": "/e/f"}, "server.x",
     "server.x: 1 is not accepted; unknown key; accepted keys here: host, port"),
    ({"protocol": "nfs", "server": {}, "path": "/e/f"}, "server.host", "server.host: required"),
    ({"protocol": "nfs", "servers": [{}], "path": "/e/f"}, "servers.0.host", "servers.0.host: required"),
    ({"protocol": "nfs", "servers": [{"host": "999.1.1.1"}], "path": "/e/f"}, "servers.0.host",
     "servers.0.host: '999.1.1.1' is not accepted; not a valid IPv4 address"),
]


@pytest.mark.parametrize("spec,field,message", NFS_SPEC_ERRORS, ids=["row%d" % i for i in range(len(NFS_SPEC_ERRORS))])
def test_nfs_spec_errors(spec, field, message):
    with pytest.raises(SpecError) as err:
        render_blockdev(spec)
    assert (err.value.field, str(err.value)) == (field, message)


def test_nfs_one_server_list_or_port_none():
    norm = {"protocol": "nfs", "servers": [{"host": "h"}], "path": "/e/f"}
    assert normalize({"protocol": "nfs", "servers": ({"host": "h"},), "path": "/e/f"}) == norm
    assert normalize({"protocol": "nfs", "server": {"host": "h", "port": None}, "path": "/e/f"}) == norm


_NFS_JSON = 'json:{"driver":"nfs","server":%s,"path":"/e/f"}'
NFS_NODE_ERRORS = [
    ('json:{"driver":"nfs","path":"/e/f"}', "server", "server: QEMU: 'NFS server address missing'"),
    (_NFS_JSON % '{"host":"h"}', "server.type", "server.type: required by QEMU's nfs driver (the transport, "
     "'inet'): Parameter 'type' is missing"),
    (_NFS_JSON % '{"type":"unix","host":"h"}', "server.type",
     "server.type: 'unix' is not accepted; expected 'inet' (QAPI NFSTransport)"),
    (_NFS_JSON % '{"type":"inet"}', "server.host",
     "server.host: required by QEMU's nfs driver (the NFS server host): Parameter 'host' is missing"),
    (_NFS_JSON % '{"type":"inet","host":"h","port":"1"}', "server.port", "server.port: '1' is not accepted; QEMU's "
     "nfs driver has no such option, or the drive spec cannot carry it; options read here: host, type"),
    ('json:{"driver":"nfs","server":{"type":"inet","host":"h"}}', "path",
     "path: required by QEMU's nfs driver (the image path): Parameter 'path' is missing"),
]


@pytest.mark.parametrize("text,field,message", NFS_NODE_ERRORS, ids=["row%d" % i for i in range(len(NFS_NODE_ERRORS))])
def test_nfs_node_errors(text, field, message):
    with pytest.raises(SpecError) as err:
        parse_drive(text)
    assert (err.value.field, str(err.value)) == (field, message)


_NFS_DISK = "<disk type='network'><source protocol='nfs' name='/e/f'>%s</source></disk>"
_NAMES = "only a numeric id written '+N' can be read back: libvirt looks names up on its own host"


@pytest.mark.parametrize("children,field,message", [
    ("<host name='h'/><host name='i'/>", "source.host",
     "source.host: [{'host': 'h'}, {'host': 'i'}] is not accepted; NFS takes exactly one <host>"),
    ("", "source.host", "source.host: [] is not accepted; NFS takes exactly one <host>"),
    ("<host name='h'/><identity user='root'/>", "source.identity.user",
     "source.identity.user: 'root' is not accepted; " + _NAMES),
    ("<host name='h'/><identity user='+0' group='x'/>", "source.identity.group",
     "source.identity.group: 'x' is not accepted; " + _NAMES),
], ids=["two-hosts", "no-host", "user-name", "group-name"])
def test_nfs_disk_xml_reading_errors(children, field, message):
    with pytest.raises(SpecError) as err:
        parse_drive(_NFS_DISK % children)
    assert (err.value.field, str(err.value)) == (field, message)


@pytest.mark.parametrize("children,options", [
    ("<host name='h'/><identity user='+1' group='+2'/>", {"uid": 1, "gid": 2}),
    ("<host name='h'/><identity group='+2'/>", {"gid": 2}),
    ("<host name='h'/><identity/>", None),
], ids=["both", "group", "empty"])
def test_nfs_disk_xml_reading(children, options):
    expected = {"protocol": "nfs", "servers": [{"host": "h"}], "path": "/e/f",
                "layer": {"device": "disk", "read_only": False}}
    if options:
        expected["options"] = options
    assert parse_drive(_NFS_DISK % children) == expected


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
    assert (err.value.field, str(err.value)) == (
        "options", "options: ['debug'] is not accepted; debug cannot be written in the nfs libvirt disk XML; use "
        "qemu_blockdev or qemu_drive_opts, or pass on_unexpressible='omit' to drop them knowingly")
    assert render_disk_xml(dict(NFS, options={"gid": 7})).count('<identity group="+7" />') == 1


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
