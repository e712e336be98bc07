"""The spec's optional `layer` (drive/layer.py): what surrounded the protocol node in a parsed
definition. Each row: the layer -> the exact normalized layer, or the field and the whole message
of the refusal; and the renderers' defaults taken from it (split_layer, layer_default)."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.layer import (
    FORMAT_DRIVERS, LAYER_KEYS, layer_default, normalize_layer, split_layer,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

NODE_NAME = "expected a QEMU node name: a letter, then up to 30 letters, digits, '-', '.', '_'"

NORMALIZED = [
    ({}, {}),
    ({"format": None, "read_only": None, "node_name": None, "format_node_name": None, "options": None,
      "secret_usage": None}, {}),
    ({"options": {}}, {}),
    ({"read_only": False}, {"read_only": False}),
    ({"read_only": "yes"}, {"read_only": True}),
    ({"format": "qcow2", "target_dev": "vda", "target_bus": "virtio", "device": "disk", "secret_usage": "u",
      "secret_uuid": "x", "node_name": "n", "format_node_name": "f" + "a" * 30, "read_only": "on",
      "options": {"if": "none"}},
     {"format": "qcow2", "target_dev": "vda", "target_bus": "virtio", "device": "disk", "secret_usage": "u",
      "secret_uuid": "x", "node_name": "n", "format_node_name": "f" + "a" * 30, "read_only": True,
      "options": {"if": "none"}}),
    ({"format": "compress", "node_name": "n.1-x_y"}, {"format": "compress", "node_name": "n.1-x_y"}),
]


@pytest.mark.parametrize("layer,expected", NORMALIZED, ids=["row%d" % i for i in range(len(NORMALIZED))])
def test_normalize_layer(layer, expected):
    assert normalize_layer(layer) == expected


def test_layer_options_are_a_copy():
    options = {"if": "none"}
    out = normalize_layer({"options": options})["options"]
    assert out == options and out is not options


def test_every_key_and_format_driver():
    assert LAYER_KEYS == {"format", "read_only", "node_name", "format_node_name", "target_dev", "target_bus",
                          "device", "secret_usage", "secret_uuid", "options"}
    for driver in FORMAT_DRIVERS:
        assert normalize_layer({"format": driver}) == {"format": driver}


REFUSED = [
    ("x", "layer", "layer: 'x' is not accepted; expected a mapping, got str"),
    ({"bogus": 1}, "layer.bogus", "layer.bogus: 1 is not accepted; unknown key; accepted keys here: device, format, "
     "format_node_name, node_name, options, read_only, secret_usage, secret_uuid, target_bus, target_dev"),
    ({"format": "qcow3"}, "layer.format", "layer.format: 'qcow3' is not accepted; expected one of: raw, qcow2, qcow, "
     "qed, vmdk, vpc, vdi, vhdx, luks, dmg, cloop, bochs, parallels, copy-on-read, throttle, preallocate, compress"),
    ({"format": 5}, "layer.format", "layer.format: 5 is not accepted; expected a string, got int"),
    ({"target_dev": 5}, "layer.target_dev", "layer.target_dev: 5 is not accepted; expected a string, got int"),
    ({"target_bus": 5}, "layer.target_bus", "layer.target_bus: 5 is not accepted; expected a string, got int"),
    ({"device": 5}, "layer.device", "layer.device: 5 is not accepted; expected a string, got int"),
    ({"secret_usage": ""}, "layer.secret_usage", "layer.secret_usage: '' is not accepted; expected a non-empty string"),
    ({"secret_uuid": 7}, "layer.secret_uuid", "layer.secret_uuid: 7 is not accepted; expected a string, got int"),
    ({"node_name": "0a"}, "layer.node_name", "layer.node_name: '0a' is not accepted; " + NODE_NAME),
    ({"format_node_name": "a" * 32}, "layer.format_node_name",
     "layer.format_node_name: '%s' is not accepted; %s" % ("a" * 32, NODE_NAME)),
    ({"node_name": 5}, "layer.node_name", "layer.node_name: 5 is not accepted; expected a string, got int"),
    ({"format_node_name": ""}, "layer.format_node_name",
     "layer.format_node_name: '' is not accepted; expected a non-empty string"),
    ({"read_only": "maybe"}, "layer.read_only",
     "layer.read_only: 'maybe' is not accepted; expected a boolean (true/false, yes/no, on/off)"),
    ({"options": "x"}, "layer.options", "layer.options: 'x' is not accepted; expected a mapping, got str"),
]


@pytest.mark.parametrize("layer,field,message", REFUSED, ids=["row%d" % i for i in range(len(REFUSED))])
def test_normalize_layer_refused(layer, field, message):
    with pytest.raises(SpecError) as caught:
        normalize_layer(layer)
    assert (caught.value.field, str(caught.value)) == (field, message)


@pytest.mark.parametrize("spec,expected", [
    ({"protocol": "nbd", "layer": {"format": "raw", "read_only": "no"}}, ({"protocol": "nbd"}, {"format": "raw", "read_only": False})),
    ({"protocol": "nbd", "layer": None}, ({"protocol": "nbd"}, {})),
    ({"protocol": "nbd"}, ({"protocol": "nbd"}, {})),
    ("nbd://h", ("nbd://h", {})),
], ids=["layer", "null", "none", "text"])
def test_split_layer(spec, expected):
    assert split_layer(spec) == expected


def test_split_layer_refuses_a_bad_layer():
    with pytest.raises(SpecError) as caught:
        split_layer({"protocol": "nbd", "layer": {"format": "qcow3"}})
    assert caught.value.field == "layer.format"


@pytest.mark.parametrize("spec,key,given,expected", [
    ({"layer": {"format": "raw"}}, "format", None, "raw"),
    ({"layer": {"format": "raw"}}, "format", "qcow2", "qcow2"),
    ({"layer": {"read_only": True}}, "read_only", False, False),
    ({"layer": {"read_only": True}}, "read_only", None, True),
    ({"protocol": "nbd"}, "format", None, None),
], ids=["row%d" % i for i in range(5)])
def test_layer_default(spec, key, given, expected):
    result = layer_default(spec, key, given)
    assert (result, type(result)) == (expected, type(expected))
