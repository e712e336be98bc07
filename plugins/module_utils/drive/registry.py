# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which module handles which protocol name and which URI scheme.

The protocol modules are imported on first use: Ansible compiles collection code from source
in every ansible-playbook run (no bytecode cache), so a playbook that renders only NBD drives
should not pay for compiling the others (see benchmarks/README.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

_PACKAGE = "ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.protocols."

# name -> protocol module name; scheme -> protocol module name (each module's SCHEMES,
# checked against the modules by tests/unit/drive/test_registry.py).
_PROTOCOL_MODULES = {
    "iscsi": "iscsi", "nbd": "nbd", "ssh": "ssh", "sheepdog": "sheepdog", "gluster": "gluster",
    "rbd": "rbd", "nfs": "nfs",
    "http": "curl", "https": "curl", "ftp": "curl", "ftps": "curl",
}
_SCHEME_MODULES = {
    "iscsi": "iscsi", "iser": "iscsi",
    "nbd": "nbd", "nbd+tcp": "nbd", "nbd+unix": "nbd",
    "ssh": "ssh",
    "sheepdog": "sheepdog", "sheepdog+tcp": "sheepdog", "sheepdog+unix": "sheepdog",
    "gluster": "gluster", "gluster+tcp": "gluster", "gluster+unix": "gluster", "gluster+rdma": "gluster",
    "http": "curl", "https": "curl", "ftp": "curl", "ftps": "curl",
    "rbd": "rbd",  # not a URI: rbd.from_uri reads the legacy rbd: string
    "nfs": "nfs",
}


class _LazyModules(Mapping):
    """A read-only {name: protocol module} mapping that imports a module when first looked up."""

    def __init__(self, names):
        self._names = names

    def __getitem__(self, key):
        return importlib.import_module(_PACKAGE + self._names[key])

    def __contains__(self, key):
        try:
            return key in self._names
        except TypeError:  # unhashable lookups (a list given as protocol) are simply absent
            return False

    def __iter__(self):
        return iter(self._names)

    def __len__(self):
        return len(self._names)


PROTOCOLS = _LazyModules(_PROTOCOL_MODULES)
SCHEMES = _LazyModules(_SCHEME_MODULES)
