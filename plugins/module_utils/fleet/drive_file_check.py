# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check one drive file's candidate text before it is written (the qemu_drive_files module).

The planner (fleet/drive_files.py) only emits what the drive core rendered; this reads the
text back the way its consumer will, so a file the module is handed from elsewhere is held to
the same shape: drives.args as argv words, blockdev.json as JSON nodes, disk-*.xml as a <disk>.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET

from ansible_collections.virt_uri.toolkit.plugins.module_utils.qemu_opts import split_opts

__all__ = ["DriveFileError", "check_drive_file"]

# Option names QEMU's -drive takes: letters, digits, '-', '_' and '.' for nested keys
# (util/qemu-option.c get_opt_name_value reads a name up to '=' or ',').
_OPT_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*(?:\.[A-Za-z0-9_\-]+)*$")
_XML_NAME_RE = re.compile(r"^disk-[a-z]+[a-z0-9]*\.xml$")


class DriveFileError(ValueError):
    """The candidate text of ``path`` is not a drive file of its kind."""


def _check_args(text):
    if text and not text.endswith("\n"):
        raise DriveFileError("the last argument has no newline after it")
    words = text.split("\n")[:-1] if text else []
    if len(words) % 2:
        raise DriveFileError("expected pairs of -drive/-blockdev and their value, got %d lines" % len(words))
    for number in range(0, len(words), 2):
        flag, value = words[number], words[number + 1]
        line = number + 2
        if flag == "-blockdev":
            _check_nodes([_json(value, "line %d" % line)], "line %d" % line)
        elif flag == "-drive":
            pairs = split_opts(value)
            names = [pair[0] for pair in pairs]
            bad = [n for n, v in pairs if v is None or not _OPT_NAME_RE.match(n)]
            if bad:
                raise DriveFileError("line %d: %r is not a name=value option" % (line, bad[0]))
            repeated = sorted({n for n in names if names.count(n) > 1})
            if repeated:
                # QemuOpts keeps the last of a repeated key: two writers of one option
                raise DriveFileError("line %d: option %s given twice" % (line, ", ".join(repeated)))
        else:
            raise DriveFileError("line %d: %r is not -drive or -blockdev" % (line - 1, flag))


def _json(text, where):
    try:
        return json.loads(text)
    except ValueError as exc:
        raise DriveFileError("%s: not JSON (%s)" % (where, exc)) from exc


def _check_nodes(nodes, where):
    if not isinstance(nodes, list):
        raise DriveFileError("%s: expected a JSON list of block nodes" % where)
    for index, node in enumerate(nodes):
        if not isinstance(node, dict) or not isinstance(node.get("driver"), str) \
                or not isinstance(node.get("node-name"), str):
            raise DriveFileError("%s: node %d has no driver and node-name" % (where, index))


def _check_xml(text):
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise DriveFileError("not well-formed XML (%s)" % exc) from exc
    if root.tag != "disk":
        raise DriveFileError("expected one <disk> element, got <%s>" % root.tag)


def check_drive_file(path, text):
    """Raise DriveFileError unless ``text`` is what a file named like ``path`` must hold."""
    if not isinstance(path, str) or not os.path.isabs(path) or "/../" in path + "/" or path.endswith("/"):
        raise DriveFileError("expected an absolute file path without '..'")
    if not isinstance(text, str):
        raise DriveFileError("the content must be text")
    name = os.path.basename(path)
    if name.endswith(".args"):
        _check_args(text)
    elif name.endswith(".json"):
        _check_nodes(_json(text, "the content"), "the content")
    elif _XML_NAME_RE.match(name):
        _check_xml(text)
    else:
        raise DriveFileError("not a drive file name (*.args, *.json or disk-<dev>.xml)")
