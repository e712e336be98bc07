"""The lazy protocol registry names the same modules and schemes as the protocol modules."""

import importlib

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive import registry


def test_schemes_match_the_protocol_modules():
    seen = {}
    for name in set(registry._PROTOCOL_MODULES.values()):
        module = importlib.import_module(registry._PACKAGE + name)
        for scheme in module.SCHEMES:
            seen[scheme] = name
    assert seen == registry._SCHEME_MODULES


def test_lookup_imports_the_module():
    assert registry.PROTOCOLS["https"].__name__.endswith(".curl")
    assert "nbd" in registry.PROTOCOLS and ["nbd"] not in registry.PROTOCOLS and None not in registry.PROTOCOLS
    assert sorted(registry.PROTOCOLS) == sorted(registry._PROTOCOL_MODULES)


def test_every_protocol_reads_its_blockdev_node():
    """The inverse contract (drive/node_reader.py): each protocol module gives from_blockdev."""
    for name in set(registry._PROTOCOL_MODULES.values()):
        module = importlib.import_module(registry._PACKAGE + name)
        assert callable(getattr(module, "from_blockdev", None)), name
