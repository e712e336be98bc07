# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which protocol handles which protocol name and which filename prefix (URI scheme).

Each module in drive/protocols/ declares what it handles in its PROTOCOL (drive/protocol.py:
``names``, ``schemes``); PROTOCOLS and SCHEMES map a name or a scheme to that declaration, read
from the modules themselves.

The protocol modules are imported on first use: Ansible compiles collection code from source
in every ansible-playbook run (no bytecode cache), so a playbook that renders only NBD drives
should not pay for compiling the others (see benchmarks/README.md). A lookup therefore imports
only the module a key names (protocol 'nbd' and scheme 'nbd+unix' are in protocols/nbd.py, and
_ELSEWHERE names the module of the keys that are not), and the key is there only if that module
declares it. tests/unit/drive/test_registry.py checks that every declared key is found so.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

_PACKAGE = "ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.protocols."
_MODULES = ("curl", "gluster", "iscsi", "nbd", "nfs", "rbd", "sheepdog", "ssh")
_ELSEWHERE = {"http": "curl", "https": "curl", "ftp": "curl", "ftps": "curl", "iser": "iscsi"}


def declaration(module_name):
    """The PROTOCOL of drive/protocols/MODULE_NAME.py (imported now if it was not)."""
    return importlib.import_module(_PACKAGE + module_name).PROTOCOL


def _first_guess(key):
    guess = _ELSEWHERE.get(key) or key.split("+", 1)[0]
    return guess if guess in _MODULES else None


class _Declared(Mapping):
    """A read-only {key: Protocol} mapping over one part of the declarations ('names' or 'schemes')."""

    def __init__(self, part):
        self._part = part

    def _find(self, key):
        if not isinstance(key, str):
            return None  # a list or a mapping given as protocol is simply absent
        guess = _first_guess(key)
        if guess is not None and key in getattr(declaration(guess), self._part):
            return declaration(guess)
        return None

    def __getitem__(self, key):
        found = self._find(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key):
        return self._find(key) is not None

    def __iter__(self):
        return iter([key for name in _MODULES for key in getattr(declaration(name), self._part)])

    def __len__(self):
        return len(list(iter(self)))


PROTOCOLS = _Declared("names")
SCHEMES = _Declared("schemes")
