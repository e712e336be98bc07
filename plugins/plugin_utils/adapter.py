# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Glue between plugins and the Ansible-free core: error translation, list inputs."""

from __future__ import annotations

import contextlib
import functools
import types

from ansible.errors import AnsibleError, AnsibleFilterError

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError


class CoreBugError(AnsibleError):
    """A Python error (TypeError, KeyError, ...) out of the core: a bug in the collection, not bad input.

    Deliberately not an AnsibleFilterError / AnsibleLookupError: a test that expects a refusal
    (``pytest.raises(AnsibleFilterError)``, ``except AnsibleFilterError``) does not accept it.
    Ansible shows its message like any AnsibleError (the traceback only at -vvv); the cause's
    text is not appended to it (it may quote a secret value of the spec).
    """

    _include_cause_message = False


def internal_error_message(name, exc):
    """What the user sees for a crash in the core: the plugin, the error type, no traceback.

    The exception's own text is left out: it can quote any value of the spec (a KeyError names
    the key, a TypeError the value), secrets included.
    """
    return ("%s: internal error (%s) in virt_uri.toolkit; this is a bug in the collection, not in "
            "the input: please report it with the input that caused it" % (name, type(exc).__name__))


def filter_errors(func):
    """Run a core function as a filter: a SpecError (bad input) becomes an AnsibleFilterError.

    Any other exception from the core is a bug in the core, whatever the input: it becomes a
    CoreBugError naming the filter (no traceback, no value), so the task fails and every test
    suite that checks for refusals fails on it too.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except SpecError as exc:
            raise AnsibleFilterError("%s: %s" % (func.__name__, exc)) from exc
        except AnsibleError:
            raise
        except Exception as exc:  # pylint: disable=broad-exception-caught
            raise CoreBugError(internal_error_message(func.__name__, exc)) from exc

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
            with at_item(index):
                out.append(func(item, *args, **kwargs))
        return out

    return wrapper


@contextlib.contextmanager
def at_item(index):
    """A SpecError raised inside names the list item it is about: ``item 3: server.host ...``.

    The message is kept as built (a secret value stays hidden), the index put in front.
    """
    try:
        yield
    except SpecError as exc:
        exc.field = "item %d: %s" % (index, exc.field)
        exc.args = ("item %d: %s" % (index, exc.args[0] if exc.args else ""),)
        raise
