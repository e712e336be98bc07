# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jinja tests as yes/no answers of the filters' own core calls."""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import CoreBugError, internal_error_message


def accepts(func, *args, **kwargs):
    """True when ``func`` returns, False when it raises SpecError - what filter_errors turns into
    an AnsibleFilterError (plugin_utils/adapter.py) - so a test agrees with its filter exactly.
    Any other exception is a bug in the core: it fails the task as the filter's CoreBugError
    does, instead of answering "not valid"."""
    try:
        func(*args, **kwargs)
    except SpecError:
        return False
    except Exception as exc:  # pylint: disable=broad-exception-caught
        raise CoreBugError(internal_error_message(func.__name__, exc)) from exc
    return True
