# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One argument of a systemd ``ExecStart=`` (``ExecStartPre=``, ...) command line.

systemd reads a unit's command line in three passes (src/core/load-fragment.c:
config_parse_exec): unit specifiers are resolved first, so every ``%`` must be ``%%``
(``%20`` in a URI is otherwise "Failed to resolve unit specifiers ... Invalid slot"); then the
line is split into words (src/basic/extract-word.c: extract_first_word with EXTRACT_UNQUOTE
and EXTRACT_CUNESCAPE), where double quotes group a word and C escapes are decoded inside and
outside quotes, so ``\\`` and ``"`` must be escaped; at exec time ``$NAME`` and ``${NAME}``
are replaced from the environment and ``$$`` stands for ``$`` (src/core/execute.c:
replace_env_argv). Quoting each argument this way gives the program exactly the string.
"""

from __future__ import annotations

from .errors import SpecError

# Control characters would end the line or be unreadable in the unit: written as C escapes,
# which extract_first_word decodes back (EXTRACT_CUNESCAPE).
_C_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v"}


def quote_exec_arg(value, program=False):
    """Quote ``value`` as one word of an ``ExecStart=`` line (double quotes, escaped).

    ``program``: the first word, which systemd takes as the path to execute without
    environment substitution (src/core/execute.c uses command->path as written), so a ``$``
    there stays single.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise SpecError("value", value, "expected a string (or a number)")
    text = str(value)
    if "\x00" in text:
        raise SpecError("value", value, "NUL cannot be passed on a command line")
    out = []
    for char in text:
        if char in ("\\", '"'):
            out.append("\\" + char)
        elif char == "%":
            out.append("%%")
        elif char == "$" and not program:
            out.append("$$")
        elif char in _C_ESCAPES:
            out.append(_C_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append("\\x%02x" % ord(char))
        else:
            out.append(char)
    return '"%s"' % "".join(out)


def quote_exec_line(args):
    """Quote a list of arguments as one ``ExecStart=`` value, each word quoted."""
    if isinstance(args, (str, bytes)) or not isinstance(args, (list, tuple)):
        raise SpecError("args", args, "expected a list of arguments")
    if not args:
        raise SpecError("args", args, "expected at least the program to run")
    words = []
    for index, arg in enumerate(args):
        try:
            words.append(quote_exec_arg(arg, program=index == 0))
        except SpecError as exc:
            raise SpecError("args[%d]" % index, arg, exc.accepted) from exc
    return " ".join(words)
