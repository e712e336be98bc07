# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""QemuOpts / keyval text: escaping values and flattening nested options (QEMU
util/qemu-option.c: get_opt_value, get_opt_name_value; util/keyval.c: keyval_parse).

In a QemuOpts value a single `,` ends the value and `,,` stands for one literal comma;
option names are never escaped, so only values pass through here.
"""

from __future__ import annotations

__all__ = ["escape_opt_value", "split_opts", "flatten_options", "join_opts", "opt_text"]


def escape_opt_value(value):
    """Return `value` with every comma doubled, as QemuOpts/keyval expects."""
    return value.replace(",", ",,")


def split_opts(text):
    """Split an option string back into (name, value) pairs, undoing comma doubling.

    Mirrors util/qemu-option.c get_opt_name_value(): the name runs to the first `=` or `,`;
    a name without `=` is returned with value None (QEMU's short-form boolean).
    """
    pairs = []
    i, n = 0, len(text)
    while i < n:
        j = i
        while j < n and text[j] not in "=,":
            j += 1
        name = text[i:j]
        if j >= n or text[j] == ",":
            pairs.append((name, None))
            i = j + 1
            continue
        j += 1
        chars = []
        while j < n:
            if text[j] == ",":
                if j + 1 < n and text[j + 1] == ",":
                    chars.append(",")
                    j += 2
                    continue
                break
            chars.append(text[j])
            j += 1
        pairs.append((name, "".join(chars)))
        i = j + 1
    return pairs


def opt_text(value):
    """Text of a scalar as QemuOpts reads it: booleans are on/off, numbers decimal."""
    if value is True:
        return "on"
    if value is False:
        return "off"
    return str(value)


def flatten_options(tree, prefix=""):
    """Flatten nested blockdev options into dotted keyval pairs (lists get 0-based indexes)."""
    flat = []
    items = tree.items() if isinstance(tree, dict) else enumerate(tree)
    for key, value in items:
        name = "%s%s" % (prefix, key)
        if isinstance(value, (dict, list)):
            flat.extend(flatten_options(value, name + "."))
        else:
            flat.append((name, opt_text(value)))
    return flat


def join_opts(pairs):
    """Join (name, value) pairs into one option string with values escaped."""
    return ",".join("%s=%s" % (name, escape_opt_value(value)) for name, value in pairs)
