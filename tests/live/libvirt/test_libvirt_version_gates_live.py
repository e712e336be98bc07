# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every libvirt version gate and URI refusal of the filters, on the real libvirt 9.0 and 11.3.

libvirt 9.0 is the host's; 11.3 runs in the Debian trixie root (tests/support/qemu_oracle.py).
``virsh -c URI uri`` shows how far libvirt gets: "Unable to parse URI" is virURIParse failing;
a connection error (no CA certificate, "Connection refused" on 127.0.0.1 port 1) means the URI
and its parameters were accepted. Nothing connects anywhere but 127.0.0.1.
"""

from __future__ import annotations

import os

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri import (
    parse_libvirt_uri, render_libvirt_uri,
)
from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import by_version

GENERATIONS = ("9.0", "11.3")
DOMAIN = """<domain type='qemu'><name>t</name><memory>65536</memory><os><type arch='x86_64'>hvm</type></os>
<devices>%s</devices></domain>"""


def virsh_uri(generation, uri):
    proc = by_version(generation).run(["virsh", "-c", uri, "uri"])
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture(scope="module", params=GENERATIONS)
def generation(request):
    out = by_version(request.param).run(["virsh", "--version"]).stdout
    assert out.startswith(request.param + "."), out
    return request.param


def test_port_above_int_max_is_unparseable(generation):
    bad = "test://127.0.0.1:2147483648/default"
    rc, out = virsh_uri(generation, bad)
    assert rc != 0 and "Unable to parse URI %s" % bad in out
    with pytest.raises(SpecError, match="Unable to parse URI"):
        parse_libvirt_uri(bad)
    # INT_MAX itself parses: libvirt goes on to TLS and misses its CA certificate.
    good = "test://127.0.0.1:2147483647/default"
    rc, out = virsh_uri(generation, good)
    assert rc != 0 and "Unable to parse URI" not in out and "CA certificate" in out, out
    assert parse_libvirt_uri(good, validate=False)["port"] == 2147483647


def test_host_read_as_the_empty_server_is_remote(generation):
    """virURIParse reads a host starting with %00 as the server '' (not NULL), and libvirt opens
    it as a remote server: refused with +unix, TLS (the CA certificate is missing) without a
    transport, where 'test:///default' opens locally."""
    rc, out = virsh_uri(generation, "qemu+unix://%00/system")
    assert rc != 0 and "using unix socket and remote server '' is not supported." in out, out
    rc, out = virsh_uri(generation, "test://%00x/default")
    assert rc != 0 and "CA certificate" in out, out
    for text in ("qemu+unix://%00/system", "test://%00x/default"):
        with pytest.raises(SpecError) as info:
            parse_libvirt_uri(text)
        assert (info.value.field, str(info.value)) == ("uri.host", (
            "uri.host: '' is not accepted; a host name or no host; libvirt reads a host that starts "
            "with %00 as the remote server '' (with +unix: 'using unix socket and remote server '' "
            "is not supported.')"))


@pytest.mark.parametrize("spec", [
    {"driver": "test", "path": "/default", "params": {"no_tty": True}},
    {"driver": "test", "path": "/default", "params": {"keyfile": "/x", "pkipath": "/x"}},
])
def test_local_uri_with_unused_params_opens(generation, spec):
    uri = render_libvirt_uri(spec)
    rc, out = virsh_uri(generation, uri)
    assert rc == 0 and out.strip() == uri, out
    assert parse_libvirt_uri(uri)["params"]


def test_remote_uri_with_unused_params_is_accepted(generation):
    """tcp ignores ssh and tls parameters: libvirt goes on to connect (refused on port 1)."""
    uri = render_libvirt_uri({"driver": "qemu", "transport": "tcp", "host": "127.0.0.1", "port": 1,
                              "path": "/system", "params": {"keyfile": "/x", "pkipath": "/x", "no_tty": 1}})
    rc, out = virsh_uri(generation, uri)
    assert rc != 0 and "unable to connect to server at '127.0.0.1:1'" in out, out
    parse_libvirt_uri(uri)


# virStrToLong_i (remote_driver.c: doRemoteOpenExtractURIArgs): strtol's leading white space and
# sign are read, anything after the digits (a newline too) or past an int is refused.
INTEGER_VALUES = [("1", True), ("%0A1", True), ("%091", True), ("+1", True), ("-2147483648", True),
                  ("2147483647", True), ("1%0A", False), ("1%20", False), ("0x1", False),
                  ("2147483648", False), ("-2147483649", False), ("", False)]


@pytest.mark.parametrize("name", ["no_verify", "no_tty"])
@pytest.mark.parametrize("value,accepted", INTEGER_VALUES, ids=[v for v, _a in INTEGER_VALUES])
def test_integer_params_read_like_virStrToLong_i(generation, name, value, accepted):
    uri = "qemu+ssh://127.0.0.1:1/system?%s=%s" % (name, value)
    rc, out = virsh_uri(generation, uri)
    refused = "Failed to parse value of URI component %s" % name in out
    assert rc != 0 and refused != accepted, out
    if accepted:
        parse_libvirt_uri(uri)
    else:
        with pytest.raises(SpecError) as info:
            parse_libvirt_uri(uri)
        assert info.value.field == "uri.params." + name


@pytest.mark.parametrize("transport", ["libssh", "libssh2"])
def test_sshauth_privkey_needs_a_keyfile(generation, transport):
    base = "qemu+%s://127.0.0.1:1/system?sshauth=agent,privkey" % transport
    rc, out = virsh_uri(generation, base)
    assert rc != 0 and "key file path must be provided for private key authentication" in out.lower(), out
    with pytest.raises(SpecError, match="Key file path must be provided"):
        parse_libvirt_uri(base)
    with_key = base + "&keyfile=/nonexistent-key"
    rc, out = virsh_uri(generation, with_key)
    assert rc != 0 and "unable to connect to server at '127.0.0.1:1'" in out, out
    parse_libvirt_uri(with_key)


def validate(generation, xml, tmp_path):
    path = tmp_path / ("d%s.xml" % generation)
    path.write_text(DOMAIN % xml)
    return by_version(generation).run(["virt-xml-validate", str(path), "domain"])


def test_disk_xml_gates(tmp_path):
    """ssh disks and NBD <reconnect delay=>: rejected by 9.0's schema, valid in 11.3's."""
    assert str(tmp_path).startswith("/tmp/")
    ssh = {"protocol": "ssh", "server": {"host": "h"}, "user": "root", "path": "rel/disk.img"}
    nbd = {"protocol": "nbd", "server": {"host": "h"}, "export": "e", "options": {"reconnect_delay": 5}}
    for spec, kwargs in ((ssh, {"ssh_agent_socket": "/run/agent.sock"}), (nbd, {})):
        xml = render_disk_xml(spec, libvirt_version="11.3", **kwargs)
        assert validate("11.3", xml, tmp_path).returncode == 0, xml
        assert validate("9.0", xml, tmp_path).returncode != 0, xml
        with pytest.raises(SpecError):
            render_disk_xml(spec, libvirt_version="9.0", **kwargs)
    assert "<reconnect delay=\"5\"" in render_disk_xml(nbd)
    assert "<identity username=\"root\" agentsock=\"/run/agent.sock\"" in \
        render_disk_xml(ssh, ssh_agent_socket="/run/agent.sock")


@pytest.mark.parametrize("protocol", ["http", "https", "ftp", "ftps"])
def test_curl_auth_with_a_secret_validates_on_both(tmp_path, protocol):
    spec = {"protocol": protocol, "server": {"host": "h"}, "path": "/x.iso", "user": "u",
            "password_secret": "sec0"}
    for version in GENERATIONS:
        xml = render_disk_xml(spec, libvirt_version=version, secret_usage="web-u")
        assert "<auth username=\"u\">" in xml
        proc = validate(version, xml, tmp_path)
        assert proc.returncode == 0, (xml, proc.stdout, proc.stderr)
    assert os.path.exists(str(tmp_path))


def test_nbd_tls_attributes_validate_on_both(tmp_path):
    """<source protocol='nbd' tls='yes' tlsHostname=...> (tests/unit/drive/test_nbd.py asserts the XML)."""
    spec = {"protocol": "nbd", "server": {"host": "h", "port": 30000}, "export": "e",
            "options": {"tls_creds": "tls0", "tls_hostname": "th"}}
    for version in GENERATIONS:
        xml = render_disk_xml(spec, libvirt_version=version)
        assert '<source protocol="nbd" name="e" tls="yes" tlsHostname="th">' in xml
        proc = validate(version, xml, tmp_path)
        assert proc.returncode == 0, (xml, proc.stdout, proc.stderr)
