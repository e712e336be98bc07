"""Facts checked on the real libvirt 9.0 and 11.3 (tests/live/libvirt/test_libvirt_version_gates_live.py)."""

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri import parse_libvirt_uri


@pytest.mark.parametrize("port", ["2147483648", "4294967296", "4294967297", "99999999999"])
def test_port_above_int_max_is_unparseable(port):
    with pytest.raises(SpecError, match="Unable to parse URI"):
        parse_libvirt_uri("test://127.0.0.1:%s/default" % port)


def test_port_int_max_parses():
    assert parse_libvirt_uri("qemu+tcp://h:2147483647/system")["port"] == 2147483647


@pytest.mark.parametrize("uri", ["test:///default?no_tty=1", "qemu:///session?no_tty=1",
                                 "qemu+tls://h/system?keyfile=/k", "qemu+unix:///system?pkipath=/p"])
def test_unused_params_are_accepted(uri):
    assert parse_libvirt_uri(uri)["params"]


@pytest.mark.parametrize("uri", ["qemu+libssh://h/system?sshauth=privkey",
                                 "qemu+libssh2://h/system?sshauth=agent,PRIVKEY"])
def test_privkey_without_keyfile_refused(uri):
    with pytest.raises(SpecError, match="^uri.params.sshauth: .*Key file path must be provided"):
        parse_libvirt_uri(uri)
    assert parse_libvirt_uri(uri + "&keyfile=/k")["params"]["keyfile"] == "/k"
