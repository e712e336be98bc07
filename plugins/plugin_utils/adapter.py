# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Glue between plugins and the Ansible-free core: error translation, list inputs."""

from __future__ import annotations

import functools
import types

from ansible.errors import AnsibleFilterError

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError


def filter_errors(func):
    """Run a core function as a filter: every core error becomes an AnsibleFilterError.

    Unexpected Python errors (TypeError, AttributeError, ...) from odd input are reported the
    same way, with the filter's name, so no traceback reaches the user.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except SpecError as exc:
            raise AnsibleFilterError("%s: %s" % (func.__name__, exc)) from exc
        except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
            raise AnsibleFilterError("%s: invalid input: %s" % (func.__name__, exc)) from exc

    return wrapper


def is_spec_list(value):
    """A list of specs (list, tuple or a Jinja generator such as map/select output), not a
    mapping or a string."""
    return isinstance(value, (list, tuple, types.GeneratorType)) and not hasattr(value, "keys")


def each_spec(func):
    """Let a filter taking one spec also take a list of specs and return a list of results.

    One filter call for a whole list avoids the templar's per-call overhead (see
    benchmarks/README.md). An error names the item's index: ``item 3: server.host ...``.
    Wrap the core call (the function under ``filter_errors``).
    """

    @functools.wraps(func)
    def wrapper(spec, *args, **kwargs):
        if not is_spec_list(spec):
            return func(spec, *args, **kwargs)
        out = []
        for index, item in enumerate(spec):
            try:
                out.append(func(item, *args, **kwargs))
            except SpecError as exc:
                # keep the message as built (a secret value stays hidden); prefix the index
                exc.field = "item %d: %s" % (index, exc.field)
                exc.args = ("item %d: %s" % (index, exc.args[0] if exc.args else ""),)
                raise
        return out

    return wrapper
