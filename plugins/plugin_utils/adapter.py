# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Glue between plugins and the Ansible-free core: error translation."""

from __future__ import annotations

import functools

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
