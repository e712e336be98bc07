"""The drive spec's documentation (plugins/doc_fragments/drive_spec.py) against the protocol tables.

Every key a protocol module takes (its KEYS) and every option it validates (its OPTIONS) is
documented, with exactly the protocols that take it ('For V(a), V(b).' as the first line), and
every documented key or option is one a protocol takes: the docs cannot drift from the code.
"""

import importlib
import re

import pytest
import yaml

from ansible_collections.virt_uri.toolkit.plugins.doc_fragments.drive_spec import ModuleDocFragment
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.layer import LAYER_KEYS
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.registry import PROTOCOLS

DOC = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]["_input"]
KEYS_DOC = DOC["suboptions"]
OPTIONS_DOC = KEYS_DOC["options"]["suboptions"]


def module_of(protocol):
    """The protocol module that declares `protocol` (its tables: KEYS, OPTIONS, _ONLY_FOR, DEFAULT_PORT)."""
    return importlib.import_module(PROTOCOLS[protocol].normalize.__module__)


def documented_for(entry):
    first = entry["description"][0]
    if first == "For all protocols.":
        return set(PROTOCOLS)
    assert first.startswith("For "), first
    return set(re.findall(r"V\(([^)]+)\)", first))


def protocols_taking(attribute, name, only_for="_ONLY_FOR"):
    out = set()
    for protocol in PROTOCOLS:
        module = module_of(protocol)
        if name in getattr(module, attribute, {}):
            restricted = getattr(module, only_for, {}).get(name)
            if attribute == "KEYS" or restricted is None or protocol in restricted:
                out.add(protocol)
    return out


def test_protocol_choices_are_the_registry():
    assert set(KEYS_DOC["protocol"]["choices"]) == set(PROTOCOLS)


def test_every_key_is_documented_with_its_protocols():
    all_keys = set().union(*(PROTOCOLS[p].keys for p in PROTOCOLS))
    assert set(KEYS_DOC) == all_keys | {"layer"}  # drive/layer.py takes 'layer' off before the protocol
    for key in all_keys:
        assert documented_for(KEYS_DOC[key]) == protocols_taking("KEYS", key), key


def test_every_option_is_documented_with_its_protocols():
    all_options = set().union(*(PROTOCOLS[p].options.keys() for p in PROTOCOLS))
    assert set(OPTIONS_DOC) == all_options
    for name in all_options:
        assert documented_for(OPTIONS_DOC[name]) == protocols_taking("OPTIONS", name), name
    assert documented_for(KEYS_DOC["options"]) == {p for p in PROTOCOLS if PROTOCOLS[p].options}


@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
def test_default_ports_are_the_modules(protocol):
    module = module_of(protocol)
    port = getattr(module, "DEFAULT_PORTS", {}).get(protocol, getattr(module, "DEFAULT_PORT", None))
    text = " ".join(KEYS_DOC["servers"]["suboptions"]["port"]["description"])
    if port is None:  # nfs: libnfs asks the portmapper
        assert "V(%s) server takes no port" % protocol in text
    else:
        assert "V(%s) %d" % (protocol, port) in text


def test_layer_keys_are_documented():
    text = " ".join(KEYS_DOC["layer"]["description"])
    assert set(re.findall(r"C\(([a-z_]+)\)", text)) == set(LAYER_KEYS)
