# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""render_libvirt_uri / parse_libvirt_uri tables, and the errors virsh 9.0 prints
(virConnectOpen)."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri import (
    parse_libvirt_uri,
    render_libvirt_uri,
)

RENDER = [
    ({"driver": "qemu", "path": "/system"}, "qemu:///system"),
    ({"driver": "qemu", "path": "/session"}, "qemu:///session"),
    ({"driver": "test", "path": "/default"}, "test:///default"),
    ({"driver": "qemu", "path": "/embed", "params": {"root": "/var/lib/my vm"}},
     "qemu:///embed?root=%2Fvar%2Flib%2Fmy%20vm"),
    ({"driver": "xen", "host": "oirase", "path": "/system"}, "xen://oirase/system"),
    ({"driver": "test", "transport": "tcp", "host": "oirase", "path": "/default"},
     "test+tcp://oirase/default"),
    ({"driver": "qemu", "transport": "ssh", "user": "root", "host": "hail.example.com",
      "port": 2222, "path": "/system", "params": {"keyfile": "/k", "no_verify": True}},
     "qemu+ssh://root@hail.example.com:2222/system?keyfile=%2Fk&no_verify=1"),
    ({"driver": "qemu", "transport": "tcp", "host": "::1", "port": 16509, "path": "/system"},
     "qemu+tcp://[::1]:16509/system"),
    ({"driver": "qemu", "transport": "tcp", "host": "[fe80::1%eth0]", "path": "/system"},
     "qemu+tcp://[fe80::1%25eth0]/system"),
    ({"driver": "qemu", "transport": "ssh", "user": "user@dom", "host": "h", "path": "/system"},
     "qemu+ssh://user%40dom@h/system"),
    ({"driver": "qemu", "transport": "unix", "path": "/system",
      "params": {"socket": "/run/x y"}}, "qemu+unix:///system?socket=%2Frun%2Fx%20y"),
    ({"driver": "qemu", "transport": "libssh", "host": "h", "path": "/system",
      "params": [["sshauth", ["privkey", "agent"]], ["known_hosts_verify", "ignore"], ["keyfile", "/k"]]},
     "qemu+libssh://h/system?sshauth=privkey%2Cagent&known_hosts_verify=ignore&keyfile=%2Fk"),
    # A parameter the transport does not use is ignored by libvirt 9.0 and 11.3, not refused.
    ({"driver": "qemu", "host": "h", "path": "/system", "params": {"keyfile": "/k"}},
     "qemu://h/system?keyfile=%2Fk"),
    ({"driver": "test", "path": "/default", "params": {"no_tty": True}}, "test:///default?no_tty=1"),
    ({"driver": "qemu", "path": "/session", "params": {"no_tty": True}}, "qemu:///session?no_tty=1"),
    ({"driver": "qemu", "transport": "ext", "path": "/system",
      "params": {"command": "/usr/bin/my-tunnel"}},
     "qemu+ext:///system?command=%2Fusr%2Fbin%2Fmy-tunnel"),
    ({"driver": "qemu", "host": "h", "path": "/system", "params": {"pkipath": "/etc/pki/x"}},
     "qemu://h/system?pkipath=%2Fetc%2Fpki%2Fx"),
    ({"driver": "esx", "host": "esx.example.com", "path": "/",
      "params": {"no_verify": 1, "transport": "https"}},
     "esx://esx.example.com/?no_verify=1&transport=https"),
    ({"driver": "remote", "host": "oirase", "path": "/"}, "remote://oirase/"),
    ({"driver": "test", "path": "/default", "params": [["foo", "one"], ["foo", "two"]]},
     "test:///default?foo=one&foo=two"),
    ({"driver": "qemu", "transport": "ssh", "host": "1.2.3.4", "port": "22", "path": "/system"},
     "qemu+ssh://1.2.3.4:22/system"),
]


@pytest.mark.parametrize("spec,text", RENDER, ids=[r[1] for r in RENDER])
def test_render(spec, text):
    assert render_libvirt_uri(spec) == text


@pytest.mark.parametrize("spec,text", RENDER, ids=[r[1] for r in RENDER])
def test_parse_inverts_render(spec, text):
    parsed = parse_libvirt_uri(text)
    again = render_libvirt_uri(dict(parsed))
    assert parse_libvirt_uri(again) == parsed


def test_parse_contract():
    assert parse_libvirt_uri("qemu+SSH://root@[::1]:2222/system?keyfile=/k&no_verify=1") == {
        "driver": "qemu", "transport": "ssh", "user": "root", "host": "::1", "port": 2222,
        "path": "/system", "params": {"keyfile": "/k", "no_verify": "1"}, "fragment": None}
    assert parse_libvirt_uri("qemu:///system") == {
        "driver": "qemu", "transport": None, "user": None, "host": None, "port": None,
        "path": "/system", "params": {}, "fragment": None}


def test_params_last_wins_and_ordered():
    text = "test:///default?a=1;b=2&foo=one&foo=two&c=3;d=4"
    assert parse_libvirt_uri(text)["params"] == {"a": "1;b=2", "foo": "two", "c": "3", "d": "4"}
    assert parse_libvirt_uri(text, ordered=True)["params"] == [
        ["a", "1;b=2"], ["foo", "one"], ["foo", "two"], ["c", "3"], ["d", "4"]]


ERRORS = [
    # spec, field, words of libvirt's message (virsh -c on libvirt 9.0)
    ({"driver": "qemu", "host": "system"}, "host", "maybe you want qemu:///system"),
    ({"driver": "qemu", "transport": "bogus", "path": "/system"}, "transport",
     "transport in URL not recognised (should be tls|unix|ssh|ext|tcp|libssh2|libssh)"),
    ({"driver": "qemu", "transport": "unix", "host": "host", "path": "/system"}, "host",
     "using unix socket and remote server 'host' is not supported."),
    ({"driver": "qemu", "transport": "ssh", "host": "h", "path": "/system",
      "params": {"no_verify": "yes"}}, "params.no_verify",
     "Failed to parse value of URI component no_verify"),
    ({"driver": "qemu", "transport": "ssh", "host": "h", "path": "/system",
      "params": {"mode": "bogus"}}, "params.mode", "Unknown remote mode 'bogus'"),
    ({"driver": "qemu", "transport": "ssh", "host": "h", "path": "/system",
      "params": {"proxy": "bogus"}}, "params.proxy", "Unnkown proxy type 'bogus'"),
    ({"driver": "qemu", "transport": "ext", "path": "/system"}, "params.command",
     "for 'ext' transport, command is required"),
    ({"driver": "esx", "path": "/"}, "host", "URI is missing the server part"),
    ({"driver": "qemu", "transport": "libssh", "host": "h", "path": "/system",
      "params": {"known_hosts_verify": "bogus"}}, "params.known_hosts_verify",
     "Invalid host key verification method: 'bogus'"),
    ({"driver": "qemu", "transport": "libssh", "host": "h", "path": "/system",
      "params": {"sshauth": "bogus"}}, "params.sshauth", "Invalid authentication method: 'bogus'"),
    ({"driver": "test", "path": "/"}, "path", "testOpen: supply a path or use test:///default"),
    ({"driver": "qemu", "transport": "libssh", "host": "h", "path": "/system",
      "params": {"sshauth": "agent,privkey"}}, "params.sshauth",
     "Key file path must be provided for private key authentication"),
    ({"driver": "qemu", "transport": "libssh2", "host": "h", "path": "/system",
      "params": {"sshauth": "privkey"}}, "params.sshauth",
     "Key file path must be provided for private key authentication"),
    ({"driver": "qemu", "transport": "ssh", "host": "h", "path": "/system",
      "params": {"mode": "direct"}}, "params.mode", "Cannot use direct socket mode for ssh"),
    ({"driver": "qemu", "transport": "ssh", "host": "h", "path": "/system",
      "params": {"proxy": "native", "netcat": "nc"}}, "params.netcat",
     "netcat path not valid with native proxy mode"),
    ({"driver": "qemu", "path": "/sytem"}, "path", "try qemu:///system"),
    ({"driver": "lxc", "host": "h", "path": "/system", "port": 70000}, "port", "1-65535"),
    ({"driver": "QEMU", "path": "/system"}, "driver", "case-sensitive"),
    ({"driver": "qemu", "path": "system"}, "path", "starting with '/'"),
    ({"driver": "qemu", "host": "bad host", "path": "/system"}, "host", "host name"),
    ({"driver": "esx", "transport": "ssh", "host": "h"}, "transport", "no +transport"),
    ({"driver": "qemu", "path": "/embed"}, "params.root", "root=/abs/dir"),
    ({"driver": "qemu", "path": "/system", "params": {"": "x"}}, "params", "non-empty"),
]


@pytest.mark.parametrize("spec,field,words", ERRORS, ids=[e[2][:40] for e in ERRORS])
def test_errors(spec, field, words):
    with pytest.raises(SpecError) as info:
        render_libvirt_uri(spec)
    assert info.value.field == field
    assert words in str(info.value)


def test_password_needs_consent_and_is_never_shown():
    spec = {"driver": "esx", "host": "h", "path": "/", "user": "admin", "password": "s3cr3t"}
    with pytest.raises(SpecError) as info:
        render_libvirt_uri(spec)
    assert "s3cr3t" not in str(info.value)
    with pytest.raises(SpecError) as info:
        render_libvirt_uri(dict(spec, password=None, user="admin:s3cr3t"))
    assert "s3cr3t" not in str(info.value)
    assert render_libvirt_uri(spec, allow_password=True) == "esx://admin:s3cr3t@h/"
    assert parse_libvirt_uri("esx://admin:s3cr3t@h/")["user"] == "admin:s3cr3t"


@pytest.mark.parametrize("text,words", [
    ("qemu://system", "maybe you want qemu:///system"),
    ("myalias", "does not include a driver name"),
    ("qemu+bogus:///system", "transport in URL not recognised"),
    ("qemu+ssh://h/system?keyfile=/a b", "Unable to parse URI"),
])
def test_parse_errors(text, words):
    with pytest.raises(SpecError, match=words):
        parse_libvirt_uri(text)


def test_parse_without_validation_keeps_fields():
    assert parse_libvirt_uri("qemu+bogus://h/x?no_verify=yes", validate=False)["transport"] == "bogus"


def test_remote_params_table_rows():
    """Each remote parameter row: the transports that use it (None: all) and its value rule."""
    from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt import remote_params
    for name, (transports, check) in remote_params.REMOTE_PARAMS.items():
        assert transports is None or set(transports) <= set(remote_params.TRANSPORTS), name
        assert callable(check), name
