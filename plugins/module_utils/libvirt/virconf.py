# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""libvirt.conf files: the virConf grammar, a value formatter and a layout-keeping editor.

The parser follows ``virConfParse`` in src/util/virconf.c statement by statement,
with libvirt's error wording and line numbers.  It also remembers where each statement sits
in the text, so ``VirConfDocument.set`` / ``remove`` can change one key and leave every other
byte (comments, blank lines, the user's quoting) as it was.
"""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

__all__ = [
    "VirConfSyntaxError",
    "VirConfEntry",
    "VirConfDocument",
    "parse_virconf",
    "format_virconf_value",
    "format_virconf_statement",
    "validate_virconf_name",
]

_ULLONG_MAX = 2 ** 64 - 1
_LLONG_MIN = -(2 ** 63)
_ALPHA = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_DIGIT = frozenset("0123456789")


class VirConfSyntaxError(SpecError):
    """``configuration file syntax error: <file>:<line>: <info>`` as libvirt prints it."""

    def __init__(self, filename, line, info, text=None):
        self.filename = filename
        self.line = line
        self.info = info
        SpecError.__init__(
            self, "%s:%d" % (filename, line), info,
            "libvirt says 'configuration file syntax error: %s:%d: %s'" % (filename, line, info))
        self.args = ("configuration file syntax error: %s:%d: %s" % (filename, line, info),)

    def __str__(self):
        return self.args[0]


class VirConfEntry:
    """One statement: ``name``/``value`` (None for a standalone comment) and its text span.

    ``start``..``end`` covers ``name = value [# comment]``; ``value_start``..``value_end``
    only the value; ``sep_end`` is where the separator after it (';', newlines) ends.
    """

    __slots__ = ("name", "value", "comment", "start", "end", "value_start", "value_end",
                 "sep_end", "line")

    def __init__(self, name, value, comment, start, end, value_start, value_end, line):
        self.name = name
        self.value = value
        self.comment = comment
        self.start = start
        self.end = end
        self.value_start = value_start
        self.value_end = value_end
        self.sep_end = end
        self.line = line

    def __repr__(self):
        return "VirConfEntry(%r, %r, comment=%r)" % (self.name, self.value, self.comment)


class _Parser:
    def __init__(self, text, filename):
        self.s = text
        self.n = len(text)
        self.i = 0
        self.line = 1
        self.filename = filename

    def cur(self):
        return self.s[self.i] if self.i < self.n else "\x00"

    def error(self, info):
        raise VirConfSyntaxError(self.filename, self.line, info)

    def skip_blanks(self):
        while self.i < self.n and self.s[self.i] in " \t":
            self.i += 1

    def skip_blanks_and_eol(self):
        while self.i < self.n and self.s[self.i] in " \t\r\n":
            if self.s[self.i] == "\n":
                self.line += 1
            self.i += 1

    def parse(self):
        entries = []
        while self.i < self.n:
            entry = self.statement()
            self.separator()
            entry.sep_end = self.i
            entries.append(entry)
        return entries

    def statement(self):
        self.skip_blanks_and_eol()
        start, line = self.i, self.line
        if self.cur() == "#":
            self.i += 1
            base = self.i
            while self.i < self.n and self.s[self.i] not in "\r\n":
                self.i += 1
            return VirConfEntry(None, None, self.s[base:self.i], start, self.i, start, start,
                                line)
        if self.cur() not in _ALPHA:
            self.error("expecting a name")
        while self.i < self.n and (self.s[self.i] in _ALPHA or self.s[self.i] in _DIGIT or
                                   self.s[self.i] == "_"):
            self.i += 1
        name = self.s[start:self.i]
        self.skip_blanks()
        if self.cur() != "=":
            self.error("expecting an assignment")
        self.i += 1
        self.skip_blanks()
        value_start = self.i
        value = self.value()
        value_end = self.i
        self.skip_blanks()
        comment = None
        end = value_end
        if self.cur() == "#":
            self.i += 1
            base = self.i
            while self.i < self.n and self.s[self.i] not in "\r\n":
                self.i += 1
            comment = self.s[base:self.i]
            end = self.i
        return VirConfEntry(name, value, comment, start, end, value_start, value_end, line)

    def separator(self):
        self.skip_blanks()
        if self.i >= self.n:
            return
        if self.s[self.i] in "\r\n":
            self.skip_blanks_and_eol()
        elif self.s[self.i] == ";":
            self.i += 1
            self.skip_blanks_and_eol()
        else:
            self.error("expecting a separator")

    def value(self):
        self.skip_blanks()
        if self.i >= self.n:
            self.error("expecting a value")
        c = self.s[self.i]
        if c in "\"'":
            return self.string()
        if c == "[":
            return self.list_value()
        if c in _DIGIT or c in "+-":
            return self.number()
        self.error("expecting a value")
        return None  # not reached

    def list_value(self):
        self.i += 1
        self.skip_blanks_and_eol()
        items = []
        if self.i < self.n and self.s[self.i] != "]":
            items.append(self.value())
            self.skip_blanks_and_eol()
        while self.i < self.n and self.s[self.i] != "]":
            if self.s[self.i] != ",":
                self.error("expecting a separator in list")
            self.i += 1
            self.skip_blanks_and_eol()
            if self.cur() == "]":
                break
            items.append(self.value())
            self.skip_blanks_and_eol()
        if self.cur() != "]":
            self.error("list is not closed with ]")
        self.i += 1
        return items

    def number(self):
        neg = self.s[self.i] == "-"
        if self.s[self.i] in "+-":
            self.i += 1
        if self.i >= self.n or self.s[self.i] not in _DIGIT:
            self.error("unterminated number")
        base = self.i
        while self.i < self.n and self.s[self.i] in _DIGIT:
            self.i += 1
        value = int(self.s[base:self.i])
        value = -value if neg else value
        # libvirt 11.x rejects overflow; 9.0 wraps silently (src/util/virconf.c:
        # virConfParseLong): refuse it either way.
        if value > _ULLONG_MAX or value < _LLONG_MIN:
            self.error("numeric overflow in conf value")
        return value

    def string(self):
        s = self.s
        if s[self.i] == "'":
            self.i += 1
            base = self.i
            while self.i < self.n and s[self.i] not in "'\r\n":
                self.i += 1
            if self.cur() != "'":
                self.error("unterminated string")
            self.i += 1
            return s[base:self.i - 1]
        if self.i + 6 < self.n and s.startswith('"""', self.i):
            # Triple quotes only when at least 7 chars remain (virConfParseString).
            self.i += 3
            base = self.i
            while self.i + 2 < self.n and not s.startswith('"""', self.i):
                if s[self.i] == "\n":
                    self.line += 1
                self.i += 1
            if not s.startswith('"""', self.i):
                self.error("unterminated string")
            self.i += 3
            return s[base:self.i - 3]
        self.i += 1
        base = self.i
        while self.i < self.n and s[self.i] not in '"\r\n':
            self.i += 1
        if self.cur() != '"':
            self.error("unterminated string")
        self.i += 1
        return s[base:self.i - 1]


def format_virconf_statement(key, value):
    """``key = value`` as the collection writes it (lists one entry per line)."""
    validate_virconf_name(key, "key")
    return "%s = %s" % (key, format_virconf_value(value, key, one_per_line=True))


def validate_virconf_name(name, field="name"):
    """A key as virConfParseName reads it: a letter, then letters, digits or '_'."""
    if not isinstance(name, str) or not name or name[0] not in _ALPHA or \
            any(c not in _ALPHA and c not in _DIGIT and c != "_" for c in name):
        raise SpecError(field, name, "a libvirt.conf key: a letter, then letters, digits or "
                        "'_' (no '-', '.', leading '_' or digit)")
    return name


def format_virconf_value(value, field="value", one_per_line=False):
    """The text libvirt's serializer (virConfSaveValue) writes for ``value``.

    str -> ``"..."``, ``'...'`` or ``\"\"\"...\"\"\"``; int/bool -> decimal; list -> ``[ a, b ]``,
    or with ``one_per_line`` (what the collection writes: a one-entry change is a one-line
    diff) ``[`` / ``  a,`` per entry / ``]`` - the trailing comma and the newlines are read
    by virConfParseValue (src/util/virconf.c), which skips blanks and newlines around entries.
    A string the grammar cannot hold (NUL, ``\"\"\"``, or ending in ``"`` when it needs triple
    quotes) is refused instead of being written so that libvirt reads something else.
    """
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        if not _LLONG_MIN <= value <= _ULLONG_MAX:
            raise SpecError(field, value, "an integer from %d to %d" % (_LLONG_MIN, _ULLONG_MAX))
        return str(value)
    if isinstance(value, str):
        if "\x00" in value:
            raise SpecError(field, value, "a string without NUL (libvirt strings are C strings)")
        if "\n" not in value and "\r" not in value:
            if '"' not in value:
                return '"%s"' % value
            if "'" not in value:
                return "'%s'" % value
        # Triple quotes: the only form that holds newlines or both quote kinds; no escapes.
        if '"""' in value or value.endswith('"'):
            raise SpecError(field, value, "a string libvirt.conf can hold: with a newline or "
                            "both quote kinds it must be written \"\"\"...\"\"\", which cannot "
                            "contain '\"\"\"' nor end in '\"' (the grammar has no escapes)")
        return '"""%s"""' % value
    if isinstance(value, (list, tuple)):
        items = [format_virconf_value(v, "%s.%d" % (field, k)) for k, v in enumerate(value)]
        if not items:
            return "[  ]"
        if one_per_line:
            return "[\n%s]" % "".join("  %s,\n" % item for item in items)
        return "[ %s ]" % ", ".join(items)
    raise SpecError(field, value, "a string, an integer, a boolean (written 0/1) or a list "
                    "of those (libvirt.conf has no floats, null or mappings)")


class VirConfDocument:
    """A parsed libvirt.conf that can be edited without disturbing what it does not touch."""

    def __init__(self, text, filename="memory conf"):
        self.filename = filename
        self._text = text
        self.entries = _Parser(text, filename).parse()

    # Reading: the first occurrence of a key wins (virConfGetValue).
    def keys(self):
        seen = []
        for entry in self.entries:
            if entry.name is not None and entry.name not in seen:
                seen.append(entry.name)
        return seen

    def __contains__(self, key):
        return any(e.name == key for e in self.entries)

    def get(self, key, default=None):
        for entry in self.entries:
            if entry.name == key:
                return entry.value
        return default

    def as_dict(self):
        return {key: self.get(key) for key in self.keys()}

    def comments(self):
        return [e.comment for e in self.entries if e.name is None]

    def render(self):
        return self._text

    # Editing.
    def set(self, key, value):
        """Give ``key`` the value ``value``: the first occurrence's value text is replaced
        (its inline comment stays), later duplicates are dropped, a new key goes at the end.
        Returns True when the text changed."""
        validate_virconf_name(key, "key")
        formatted = format_virconf_value(value, key, one_per_line=True)
        matches = [e for e in self.entries if e.name == key]
        text = self._text
        if not matches:
            if text and not text.endswith(("\n", "\r")):
                text += "\n"
            text += format_virconf_statement(key, value) + "\n"
        else:
            first = matches[0]
            if text[first.value_start:first.value_end] == formatted and len(matches) == 1:
                return False
            if self.get(key) == value and type(self.get(key)) is type(value) \
                    and len(matches) == 1:
                return False  # same value, keep the user's quoting
            for entry in reversed(matches[1:]):
                text = _cut_entry(text, entry)
            text = text[:first.value_start] + formatted + text[first.value_end:]
        return self._replace(text, key, value)

    def remove(self, key):
        """Delete every statement setting ``key`` (with its inline comment); True if any."""
        matches = [e for e in self.entries if e.name == key]
        if not matches:
            return False
        text = self._text
        for entry in reversed(matches):
            text = _cut_entry(text, entry)
        if text.strip(" \t\r\n") == "":
            # A whitespace-only file is a syntax error for libvirt ("expecting a name").
            text = ""
        return self._replace(text, key, None)

    def _replace(self, text, key, value):
        new = VirConfDocument(text, self.filename)
        got = new.get(key)
        if value is None and key in new or value is not None and got != _normalized(value):
            raise SpecError(key, value, "a value this editor can write back unchanged")
        self._text, self.entries = new._text, new.entries
        return True


def _normalized(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, tuple)):
        return [_normalized(v) for v in value]
    return value


def _cut_entry(text, entry):
    """Remove one statement; the whole line when it is alone on it."""
    line_start = text.rfind("\n", 0, entry.start) + 1
    line_end = text.find("\n", entry.end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start:entry.start]
    after = text[entry.end:line_end]
    if before.strip(" \t;") == "" and after.strip(" \t\r;") == "":
        return text[:line_start] + text[line_end + 1:]
    # Shares its line with other statements: drop it and its own separator.
    end = entry.end
    while end < len(text) and text[end] in " \t":
        end += 1
    if end < len(text) and text[end] == ";":
        end += 1
        while end < len(text) and text[end] in " \t":
            end += 1
        return text[:entry.start] + text[end:]
    # Last statement on a shared line: remove the ';' before it instead.
    start = entry.start
    while start > line_start and text[start - 1] in " \t":
        start -= 1
    if start > line_start and text[start - 1] == ";":
        start -= 1
    return text[:start] + text[entry.end:]


def parse_virconf(text, filename="memory conf"):
    """Parse libvirt.conf text (str) like virConfReadString; raises VirConfSyntaxError."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "surrogateescape")
    if not isinstance(text, str):
        raise SpecError("text", text, "the text of a libvirt.conf file")
    if len(text.encode("utf-8", "surrogateescape")) > 10 * 1024 * 1024:
        raise SpecError(filename, "(%d chars)" % len(text), "at most 10 MiB (virConf limit)")
    return VirConfDocument(text, filename)
