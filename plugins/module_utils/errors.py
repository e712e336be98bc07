# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one error type of the core: it names the field, the value and what is accepted.

The core has no Ansible import; filter and lookup adapters turn this into
AnsibleFilterError / AnsibleLookupError (plugins/plugin_utils/adapter.py).
"""

from __future__ import annotations

__all__ = ["SpecError", "describe"]

_MAX_SHOWN = 120


def describe(value):
    """Short, printable form of a value for an error message (never a secret: callers mask)."""
    text = repr(value)
    if len(text) > _MAX_SHOWN:
        text = text[:_MAX_SHOWN] + "...(%d chars)" % len(text)
    return text


class SpecError(ValueError):
    """A bad input: ``field`` is a dotted path (``servers.0.port``), ``accepted`` says what fits."""

    def __init__(self, field, value, accepted, secret=False):
        self.field = field
        self.value = value
        self.accepted = accepted
        self.secret = secret
        super().__init__(self._text())

    def _text(self):
        if self.value is None:
            return "%s: %s" % (self.field, self.accepted)  # a missing field: nothing to show
        shown = "<hidden>" if self.secret else describe(self.value)
        return "%s: %s is not accepted; %s" % (self.field, shown, self.accepted)

    def rename(self, field):
        """The same error at another path (the one the user wrote); returns self, to be re-raised."""
        self.field = field
        self.args = (self._text(),)
        return self
