# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""json:{...} pseudo-filenames and -blockdev / blockdev-add mappings back to a drive spec.

Both are the same option tree; they differ in typing: block.c: parse_json_filename flattens
the object and reads it with the block layer's lenient visitor (numbers for strings and back),
while -blockdev and QMP are strictly typed by QAPI (ports are strings, a LUN is a number).
"""

from __future__ import annotations

import json

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.node_tree import flatten_tree
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse_tree import read_definition

__all__ = ["parse_json_filename", "parse_blockdev", "json_options"]


def _plain(value, field):
    """Ansible hands over str/dict/list subclasses; QEMU's JSON has no null or float where a spec
    value can go, and a float port is 'Parameter 'port' expects a number' (iotest 162)."""
    if hasattr(value, "keys"):
        return {str(k): _plain(v, "%s.%s" % (field, k) if field else str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, "%s.%d" % (field, i)) for i, v in enumerate(value)]
    if value is None:
        raise SpecError(field or "drive", value, "QEMU takes no null option values")
    if isinstance(value, float):
        raise SpecError(field or "drive", value, "expected a whole number or a string (QEMU: Parameter "
                        "expects a number)")
    if isinstance(value, (bool, int, str)):
        return type(value)(value)  # bool has no subclasses: True stays True
    raise SpecError(field or "drive", value, "expected JSON values (strings, numbers, booleans, lists, "
                    "mappings)")


def json_options(text, field="json"):
    """The flat options of a json:{...} filename, as block.c: parse_json_filename makes them."""
    body = text[len("json:"):]
    try:
        tree = json.loads(body)
    except ValueError as exc:
        raise SpecError(field, text[:60], "Could not parse the JSON options: %s" % exc) from exc
    if not isinstance(tree, dict):
        raise SpecError(field, text[:60], "Invalid JSON object given (a json: filename holds one object)")
    return flatten_tree(_plain(tree, ""))


def parse_json_filename(text, read_filename, qemu_version=None):
    """A json:{...} pseudo-protocol filename (as `qemu-img info` prints backing files)."""
    return read_definition(json_options(text), "a json: filename", False, read_filename, qemu_version)


def parse_blockdev(node, read_filename, qemu_version=None):
    """A -blockdev / blockdev-add mapping, with or without a format node around the protocol node
    (parse_drive hands over only mappings). Strictly typed: read_definition refuses a 'filename'
    before it would call read_filename."""
    return read_definition(flatten_tree(_plain(node, "")), "a -blockdev mapping", True, read_filename,
                           qemu_version)
