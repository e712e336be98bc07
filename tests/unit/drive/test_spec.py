"""The drive spec's entry (drive/spec.py): which protocol module a spec goes to, and the
(module, normalized spec, version) every renderer starts from; a parsed spec's layer is not part
of the drive."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.registry import PROTOCOLS
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.spec import normalize_spec, protocol_module
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

KNOWN = "expected one of: ftp, ftps, gluster, http, https, iscsi, nbd, nfs, rbd, sheepdog, ssh"


@pytest.mark.parametrize("spec,field,message", [
    ("nbd://h", "drive spec", "drive spec: 'nbd://h' is not accepted; expected a mapping, got str"),
    ({"protocol": "NBD"}, "protocol", "protocol: 'NBD' is not accepted; " + KNOWN),
    ({"protocol": ["nbd"]}, "protocol", "protocol: ['nbd'] is not accepted; " + KNOWN),
    ({}, "protocol", "protocol: " + KNOWN),
], ids=["text", "case", "list", "missing"])
def test_protocol_module_refused(spec, field, message):
    with pytest.raises(SpecError) as caught:
        protocol_module(spec)
    assert (caught.value.field, str(caught.value)) == (field, message)


def test_protocol_module():
    assert protocol_module({"protocol": "https"}) is PROTOCOLS["http"]
    assert protocol_module({"protocol": "nbd"}).names == ("nbd",)


def test_normalize_spec_drops_the_layer_and_reads_the_version():
    module, norm, version = normalize_spec({"protocol": "nbd", "server": {"host": "h"}, "layer": {"format": "raw"}},
                                           "7.2")
    assert (module, norm, version) == (PROTOCOLS["nbd"], {"protocol": "nbd", "servers": [{"host": "h", "port": 10809}], "export": ""}, (7, 2))
    assert normalize_spec({"protocol": "nbd", "server": {"socket": "/s"}})[2] == (10, 0)


def test_normalize_spec_checks_the_version_first():
    with pytest.raises(SpecError) as caught:
        normalize_spec({"protocol": "bogus"}, "x")
    assert str(caught.value) == "qemu_version: 'x' is not accepted; expected a QEMU version such as '7.2' or '10.0.3'"


def test_the_version_reaches_the_protocol():
    spec = {"protocol": "sheepdog", "server": {"host": "h"}, "vdi": "v"}
    assert normalize_spec(spec, "6.0")[1]["vdi"] == "v"
    with pytest.raises(SpecError) as caught:
        normalize_spec(spec, "6.1")
    assert caught.value.field == "protocol"
