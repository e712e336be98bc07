"""The protocol registry reads each protocol module's own declaration (drive/protocol.py), lazily."""

import os
import subprocess
import sys

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive import registry
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.protocol import Protocol

DECLARED = {name: registry.declaration(name) for name in registry._MODULES}


def test_every_module_declares_the_contract():
    for name, protocol in DECLARED.items():
        assert isinstance(protocol, Protocol), name
        assert protocol.normalize.__module__ == registry._PACKAGE + name, name


@pytest.mark.parametrize("part,mapping", [("names", registry.PROTOCOLS), ("schemes", registry.SCHEMES)])
def test_every_declared_key_is_found_in_its_module(part, mapping):
    declared = {key: name for name, protocol in DECLARED.items() for key in getattr(protocol, part)}
    assert len(declared) == sum(len(getattr(p, part)) for p in DECLARED.values()), "a key declared twice"
    for key, name in declared.items():
        assert mapping[key] is DECLARED[name], key
    assert sorted(mapping) == sorted(declared)


def test_every_hint_is_a_declared_key():
    for key, name in registry._ELSEWHERE.items():
        assert key in DECLARED[name].names + DECLARED[name].schemes, key


def test_lookup():
    assert registry.PROTOCOLS["https"] is DECLARED["curl"]
    assert registry.SCHEMES["iser"] is registry.SCHEMES["iscsi"] is DECLARED["iscsi"]
    assert registry.SCHEMES["gluster+rdma"] is DECLARED["gluster"]
    assert "nbd" in registry.PROTOCOLS and ["nbd"] not in registry.PROTOCOLS and None not in registry.PROTOCOLS
    assert "nbd+unix" not in registry.PROTOCOLS and "NBD" not in registry.PROTOCOLS and "qcow2" not in registry.PROTOCOLS
    assert "curl" not in registry.PROTOCOLS  # a module name is no protocol name
    with pytest.raises(KeyError):
        registry.SCHEMES["nbd+vsock"]


def test_a_lookup_imports_only_the_module_it_names():
    code = ("import sys; from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive import registry; "
            "registry.PROTOCOLS['https']; 'qcow2' in registry.PROTOCOLS; 'NBD' in registry.PROTOCOLS; "
            "registry.SCHEMES['nbd+unix']; "
            "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith(registry._PACKAGE)))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                         env=_child_env()).stdout
    assert out.strip() == "['curl', 'nbd']"


def _child_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env


def test_the_contract_refuses_a_missing_part():
    parts = dict(names=("x",), schemes=("x",), keys=frozenset(), normalize=len, uri=len, blockdev=len,
                 disk_source=len, disk_unexpressible=len, from_uri=len, from_blockdev=len, from_disk_source=len)
    Protocol(**parts)
    with pytest.raises(TypeError, match="from_blockdev"):
        Protocol(**{**parts, "from_blockdev": None})
    with pytest.raises(TypeError, match="names"):
        Protocol(**{**parts, "names": "x"})


PARTS = dict(names=("x",), schemes=("x",), keys=frozenset(), normalize=len, uri=len, blockdev=len, disk_source=len,
             disk_unexpressible=len, from_uri=len, from_blockdev=len, from_disk_source=len)


def test_the_contract_defaults():
    protocol = Protocol(**PARTS)
    assert (protocol.options, protocol.legacy, protocol.from_legacy, protocol.read_only, protocol.disk_children,
            protocol.disk_since) == ({}, None, None, False, (), None)
    assert Protocol(**{**PARTS, "legacy": len, "from_legacy": len}).legacy is len


CONTRACT_REFUSED = [
    ({"disk_children": ["a"]}, "Protocol.disk_children: a tuple of strings, not ['a']"),
    ({"disk_children": ("a", 1)}, "Protocol.disk_children: a tuple of strings, not ('a', 1)"),
    ({"names": "x"}, "Protocol.names: a non-empty tuple of strings, not 'x'"),
    ({"names": ()}, "Protocol.names: a non-empty tuple of strings, not ()"),
    ({"names": ("x", 1)}, "Protocol.names: a non-empty tuple of strings, not ('x', 1)"),
    ({"schemes": ["x"]}, "Protocol.schemes: a non-empty tuple of strings, not ['x']"),
    ({"schemes": ()}, "Protocol.schemes: a non-empty tuple of strings, not ()"),
    ({"normalize": None}, "Protocol.normalize of x: a function"),
    ({"uri": 1}, "Protocol.uri of x: a function"),
    ({"blockdev": "x"}, "Protocol.blockdev of x: a function"),
    ({"disk_source": None}, "Protocol.disk_source of x: a function"),
    ({"disk_unexpressible": None}, "Protocol.disk_unexpressible of x: a function"),
    ({"from_uri": None}, "Protocol.from_uri of x: a function"),
    ({"from_blockdev": None}, "Protocol.from_blockdev of x: a function"),
    ({"from_disk_source": None}, "Protocol.from_disk_source of x: a function"),
    ({"legacy": 1}, "Protocol.legacy of x: a function or None"),
    ({"from_legacy": "x"}, "Protocol.from_legacy of x: a function or None"),
]


@pytest.mark.parametrize("change,message", CONTRACT_REFUSED, ids=["row%d" % i for i in range(len(CONTRACT_REFUSED))])
def test_the_contract_names_the_wrong_part(change, message):
    with pytest.raises(TypeError) as caught:
        Protocol(**{**PARTS, **change})
    assert str(caught.value) == message


def test_the_mappings_list_every_key_once():
    assert list(registry.PROTOCOLS) == ["http", "https", "ftp", "ftps", "gluster", "iscsi", "nbd", "nfs", "rbd",
                                        "sheepdog", "ssh"]
    assert list(registry.SCHEMES) == ["http", "https", "ftp", "ftps", "gluster", "gluster+tcp", "gluster+unix",
                                      "gluster+rdma", "iscsi", "iser", "nbd", "nbd+tcp", "nbd+unix", "nfs", "rbd",
                                      "sheepdog", "sheepdog+tcp", "sheepdog+unix", "ssh"]
    assert (len(registry.PROTOCOLS), len(registry.SCHEMES)) == (11, 19)


def test_a_key_that_is_not_declared_is_absent():
    assert registry.PROTOCOLS.get("nbd+unix") is None and registry.SCHEMES.get("nbd+unix") is DECLARED["nbd"]
    assert 5 not in registry.PROTOCOLS and "x+y" not in registry.SCHEMES
    for mapping, key in ((registry.PROTOCOLS, 5), (registry.SCHEMES, "curl"), (registry.PROTOCOLS, "iser")):
        with pytest.raises(KeyError) as caught:
            mapping[key]  # pylint: disable=pointless-statement
        assert caught.value.args == (key,)


def test_a_new_mapping_reads_its_part():
    """PROTOCOLS and SCHEMES are built at import; a new one reads the declarations the same way."""
    assert dict(registry._Declared("names")) == dict(registry.PROTOCOLS)
    assert registry._Declared("schemes")["iser"] is DECLARED["iscsi"]
