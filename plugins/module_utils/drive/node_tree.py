# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Block option trees between their nested and flat ("server.0.host") spellings.

QEMU flattens a json: object (qobject/block-qdict.c: qdict_flatten) and joins it with the
flat option-string keys, then builds the nested tree again (qdict_crumple), so
{"file": {"driver": "nbd"}}, {"file.driver": "nbd"} and file.driver=nbd are one option.
"""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import is_decimal

__all__ = ["flatten_tree", "crumple_flat", "subtree"]


def flatten_tree(tree, field="", prefix="", out=None):
    """{'a': {'b': 1}, 'l': [x]} -> {'a.b': 1, 'l.0': x}; a key given twice (nested and flat) is
    refused, since which one QEMU keeps depends on the order of the object's members."""
    out = {} if out is None else out
    items = tree.items() if hasattr(tree, "keys") else enumerate(tree)
    for key, value in items:
        if not isinstance(key, (str, int)) or isinstance(key, bool):
            raise SpecError(field or "drive", key, "option names are strings")
        name = "%s%s" % (prefix, key)
        if (hasattr(value, "keys") or isinstance(value, (list, tuple))) and len(value):
            flatten_tree(value, field, name + ".", out)
            continue
        if name in out:
            raise SpecError(name, value, "this option is given twice (once nested, once as a dotted key)")
        out[name] = value
    return out


def _split_key(key):
    """qdict_split_flat_key: '.' separates, '..' is a literal '.'."""
    parts, current, i = [], [], 0
    while i < len(key):
        if key[i] == ".":
            if key[i + 1:i + 2] == ".":
                current.append(".")
                i += 2
                continue
            parts.append("".join(current))
            current = []
        else:
            current.append(key[i])
        i += 1
    parts.append("".join(current))
    return parts


def crumple_flat(flat, field=""):
    """The nested tree of dotted keys; all-digit levels become lists (0, 1, ... with no gaps)."""
    root = {}
    for key, value in flat.items():
        parts = _split_key(str(key))
        if "" in parts:
            raise SpecError(key, value, "empty component in option name")
        node = root
        for depth, part in enumerate(parts[:-1]):
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise SpecError(".".join(parts[:depth + 1]), child, "used both as a value and as a group "
                                "of options (%s)" % key)
            node = child
        if parts[-1] in node:
            raise SpecError(key, value, "used both as a value and as a group of options")
        node[parts[-1]] = value
    return _lists(root, field)


def _lists(node, where):
    if not isinstance(node, dict):
        return node
    out = {key: _lists(value, "%s.%s" % (where, key) if where else key) for key, value in node.items()}
    if out and all(is_decimal(key) for key in out):
        indexes = sorted(int(key) for key in out)
        if indexes != list(range(len(indexes))) or any(str(int(k)) != k for k in out):
            raise SpecError(where or "drive", sorted(out), "list indexes must run 0, 1, 2 ... without gaps")
        return [out[str(i)] for i in indexes]
    if any(is_decimal(key) for key in out) and not all(is_decimal(key) for key in out):
        raise SpecError(where or "drive", sorted(out), "cannot mix list indexes and option names")
    return out


def subtree(flat, prefix):
    """The dotted keys under 'prefix.' with the prefix taken off."""
    cut = len(prefix) + 1
    return {key[cut:]: value for key, value in flat.items() if key.startswith(prefix + ".")}
