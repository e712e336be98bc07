"""libvirt_disk_xml per libvirt_version (each case validated by the real 9.0 / 11.3 schema in
tests/live/libvirt/test_libvirt_version_gates_live.py)."""

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.versions import (
    DEFAULT_LIBVIRT_VERSION, LIBVIRT_GATES, libvirt_has, parse_libvirt_version,
)

SSH = {"protocol": "ssh", "server": {"host": "h", "port": 2222}, "path": "/d.img"}
NBD = {"protocol": "nbd", "server": {"host": "h"}, "export": "e", "options": {"reconnect_delay": 7}}
HTTP = {"protocol": "https", "server": {"host": "h"}, "path": "/x.iso", "user": "u", "password_secret": "s"}


def test_default_is_11_3():
    assert DEFAULT_LIBVIRT_VERSION == (11, 3) == parse_libvirt_version(None)
    assert parse_libvirt_version("9.0.0") == (9, 0)
    with pytest.raises(SpecError, match="^libvirt_version:"):
        parse_libvirt_version("nine")


@pytest.mark.parametrize("value,version", [("9.0.0", (9, 0)), ((9, 2), (9, 2)), (11, (11, 0)), ("11", (11, 0)),
                                           (9.1, (9, 1))])
def test_libvirt_version_forms(value, version):
    assert parse_libvirt_version(value) == version


@pytest.mark.parametrize("value", ["nine", True])
def test_libvirt_version_refusal_whole(value):
    with pytest.raises(SpecError) as info:
        parse_libvirt_version(value)
    assert (info.value.field, info.value.value) == ("libvirt_version", value)
    assert str(info.value) == ("libvirt_version: %r is not accepted; expected a libvirt version such as "
                               "'9.0' or '11.3.0'" % (value,))


@pytest.mark.parametrize("feature,first", [("ssh_disk", (11, 3)), ("nbd_reconnect", (9, 2))])
def test_libvirt_has_from_the_gate_on(feature, first):
    before = (first[0], first[1] - 1)
    assert [libvirt_has(feature, v) for v in [(9, 0), before, first, (12, 0)]] == [False, False, True, True]


def test_ssh_disk():
    xml = render_disk_xml(SSH)
    assert '<source protocol="ssh" name="/d.img">' in xml and '<host name="h" port="2222"' in xml
    with pytest.raises(SpecError, match="^protocol: .*libvirt 9.0's domain schema has no ssh"):
        render_disk_xml(SSH, libvirt_version="9.0")
    assert render_disk_xml(SSH, libvirt_version="11.3") == xml


def test_ssh_user_needs_an_identity():
    spec = dict(SSH, user="root")
    with pytest.raises(SpecError, match="user cannot be written"):
        render_disk_xml(spec)
    assert '<identity username="root" keyfile="/k/id"' in render_disk_xml(spec, ssh_keyfile="/k/id")
    with pytest.raises(SpecError, match="^ssh_keyfile:"):
        render_disk_xml(spec, ssh_keyfile="/k", ssh_agent_socket="/a")
    with pytest.raises(SpecError, match="^ssh_agent_socket:"):
        render_disk_xml(spec, ssh_agent_socket="relative")
    assert "identity" not in render_disk_xml(spec, on_unexpressible="omit")


def test_ssh_host_key_check_is_unexpressible():
    with pytest.raises(SpecError, match="host_key_check"):
        render_disk_xml(dict(SSH, options={"host_key_check": "no"}))


def test_nbd_reconnect_delay():
    assert '<reconnect delay="7"' in render_disk_xml(NBD)
    with pytest.raises(SpecError, match="reconnect_delay"):
        render_disk_xml(NBD, libvirt_version="9.0")
    assert "reconnect" not in render_disk_xml(NBD, libvirt_version="9.0", on_unexpressible="omit")
    # libvirt NEWS.rst v9.2.0: the gate is 9.2, not the 11.3 of the oracle
    assert '<reconnect delay="7"' in render_disk_xml(NBD, libvirt_version="9.2")
    with pytest.raises(SpecError, match="reconnect_delay"):
        render_disk_xml(NBD, libvirt_version="9.1")


@pytest.mark.parametrize("version", ["9.0", "11.3"])
def test_curl_user_with_a_libvirt_secret(version):
    xml = render_disk_xml(HTTP, libvirt_version=version, secret_uuid="c3b7a6a4-1234-4c1e-9d3b-0123456789ab")
    assert '<auth username="u">' in xml and 'uuid="c3b7a6a4-1234-4c1e-9d3b-0123456789ab"' in xml
    with pytest.raises(SpecError, match="user"):
        render_disk_xml(HTTP, libvirt_version=version)
    inline = {"protocol": "http", "server": {"host": "h"}, "path": "/x", "user": "u", "password": "p",
              "credentials": "inline"}
    with pytest.raises(SpecError, match="^credentials:") as info:
        render_disk_xml(inline, secret_usage="x")
    assert "'p'" not in str(info.value)


def test_every_libvirt_gate_has_a_live_proof():
    import pathlib
    live = (pathlib.Path(__file__).parents[2] / "live" / "libvirt" /
            "test_libvirt_version_gates_live.py").read_text()
    for name, gate in LIBVIRT_GATES.items():
        assert gate.source and gate.since, name
        assert "def %s(" % gate.proof.split("::")[1] in live, name
