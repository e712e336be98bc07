# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jinja tests as yes/no answers of the filters' own core calls."""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError


def accepts(func, *args, **kwargs):
    """True when ``func`` returns, False when it raises what filter_errors turns into an
    AnsibleFilterError (plugin_utils/adapter.py) - so a test agrees with its filter exactly."""
    try:
        func(*args, **kwargs)
    except SpecError:
        return False
    except (TypeError, ValueError, AttributeError, KeyError, IndexError):
        return False
    return True
