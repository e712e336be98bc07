# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading one protocol node (a -blockdev / json: tree) back into drive spec keys.

The per-protocol inverse contract: every module in ``drive/protocols/`` declares (its PROTOCOL,
drive/protocol.py)

    from_blockdev(node: NodeReader) -> raw drive spec (a mapping normalize() accepts)

where ``node`` holds the protocol node's keys (``driver`` already checked, the generic block
keys node-name / read-only already taken off by the caller). The function takes each key it
knows with ``node.text / node.integer / node.boolean / node.tree / node.has`` and returns the
spec; the caller then calls ``node.finish()``, which refuses every key left over, so a key the
spec cannot carry is never dropped silently. It also declares

    from_disk_source(source: xml Element, servers: list) -> raw drive spec

for libvirt's ``<source protocol=...>`` and the children it names in ``disk_children`` (see
drive/parse_disk_xml.py, drive/protocol.py).

Typing follows how QEMU reads the form: a ``-blockdev`` / QMP mapping is strictly typed by
QAPI (ports are strings, a LUN is a number), while ``json:`` filenames and option strings go
through the block layer's "flat confused" visitor (qobject/block-qdict.c:
qobject_input_visitor_new_flat_confused), which reads a number where a string is wanted and a
string of digits where a number is wanted (iotest 162).
"""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import is_decimal, need_int

__all__ = ["NodeReader"]

_TRUE_OPTS = ("on", "yes", "true", "y")
_FALSE_OPTS = ("off", "no", "false", "n")


def _kind(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "list"
    if hasattr(value, "keys"):
        return "mapping"
    return "null" if value is None else type(value).__name__


class NodeReader:
    """One node's keys; each key read is marked used, and finish() refuses what is left."""

    def __init__(self, tree, field, driver, strict):
        self.tree = dict(tree)
        self.field = field  # dotted prefix for errors: '' or 'file' or 'file.server.0'
        self.driver = driver
        self.strict = strict
        self.used = set()

    def where(self, key):
        return "%s.%s" % (self.field, key) if self.field else str(key)

    def has(self, key):
        return key in self.tree

    def raw(self, key, default=None):
        self.used.add(key)
        return self.tree.get(key, default)

    def require(self, key, what):
        if key not in self.tree:
            raise SpecError(self.where(key), None, "required by QEMU's %s driver (%s): Parameter '%s' is "
                            "missing" % (self.driver, what, key))
        return self.raw(key)

    def text(self, key, required=None):
        """A QAPI 'str' member."""
        if required is not None:
            value = self.require(key, required)
        elif key not in self.tree:
            self.used.add(key)
            return None
        else:
            value = self.raw(key)
        if isinstance(value, str):
            return value
        if not self.strict and isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)  # the flat-confused visitor reads a JSON number as its text
        raise SpecError(self.where(key), value, "expected a string, got a %s (Invalid parameter type for "
                        "'%s', expected: string)" % (_kind(value), self.where(key)))

    def integer(self, key, minimum=None, maximum=None):
        """A QAPI integer member, or None when absent."""
        if key not in self.tree:
            self.used.add(key)
            return None
        value = self.raw(key)
        if self.strict and (isinstance(value, bool) or not isinstance(value, int)):
            raise SpecError(self.where(key), value, "expected a number, got a %s (Invalid parameter type "
                            "for '%s', expected: integer)" % (_kind(value), self.where(key)))
        if isinstance(value, str) and not is_decimal(value.strip()):
            raise SpecError(self.where(key), value, "Parameter '%s' expects a number" % key)
        return need_int(value, self.where(key), minimum, maximum)

    def boolean(self, key):
        if key not in self.tree:
            self.used.add(key)
            return None
        value = self.raw(key)
        if isinstance(value, bool):
            return value
        if self.strict:
            raise SpecError(self.where(key), value, "expected a boolean, got a %s" % _kind(value))
        if isinstance(value, str) and value in _TRUE_OPTS + _FALSE_OPTS:
            return value in _TRUE_OPTS  # qapi/qapi-util.c: qapi_bool_parse (case-sensitive: no 'ON', '1')
        raise SpecError(self.where(key), value, "expected a boolean (true/false, yes/no, on/off)")

    def tree_at(self, key):
        """A nested member (mapping or list), or None when absent."""
        self.used.add(key)
        return self.tree.get(key)

    def child(self, key, tree, driver=None):
        """A NodeReader for a nested mapping (a server address)."""
        if not hasattr(tree, "keys"):
            raise SpecError(self.where(key), tree, "expected a mapping, got a %s" % _kind(tree))
        return NodeReader(tree, self.where(key), driver or self.driver, self.strict)

    def finish(self):
        left = sorted(str(k) for k in self.tree if k not in self.used)
        if left:
            key = left[0]
            raise SpecError(self.where(key), self.tree[key], "QEMU's %s driver has no such option, or the "
                            "drive spec cannot carry it; options read here: %s"
                            % (self.driver, ", ".join(sorted(str(k) for k in self.used)) or "none"))
