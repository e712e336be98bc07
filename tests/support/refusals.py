# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The refusal a call gives, for tables that assert the field and the whole message."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError


def spec_refusal(call, *args, **kwargs):
    """(field, whole message) of the SpecError ``call(*args, **kwargs)`` raises; fails if it does not."""
    with pytest.raises(SpecError) as err:
        call(*args, **kwargs)
    return err.value.field, str(err.value)
