# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""render_libvirt_uri refuses a URI longer than MAX_RENDERED_URI_LENGTH (well below libxml2's
1 MiB MAX_URI_LENGTH, past which libvirt's virURIFormat aborts), counting the escaped text."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri import (
    MAX_RENDERED_URI_LENGTH,
    parse_libvirt_uri,
    render_libvirt_uri,
)

PREFIX = "qemu:///system?root="  # 20 characters


def _spec(root):
    return {"driver": "qemu", "path": "/system", "params": {"root": root}}


def test_limit_is_well_below_libxml2s_max_uri_length():
    # xmlSaveUri may re-escape up to 3 times the length: stay under 1 MiB / 3.
    assert 0 < MAX_RENDERED_URI_LENGTH * 3 < 1024 * 1024


def test_a_uri_of_exactly_the_limit_is_rendered():
    root = "a" * (MAX_RENDERED_URI_LENGTH - len(PREFIX))
    text = render_libvirt_uri(_spec(root))
    assert len(text) == MAX_RENDERED_URI_LENGTH
    assert parse_libvirt_uri(text)["params"] == {"root": root}


def test_one_character_more_is_refused_without_echoing_the_value():
    root = "a" * (MAX_RENDERED_URI_LENGTH - len(PREFIX) + 1)
    with pytest.raises(SpecError) as err:
        render_libvirt_uri(_spec(root), field="conn")
    message = str(err.value)
    assert message.startswith("conn: the URI would be %d characters long" % (MAX_RENDERED_URI_LENGTH + 1))
    assert "at most %d" % MAX_RENDERED_URI_LENGTH in message
    assert "aaaa" not in message and len(message) < 300


def test_the_escaped_length_counts():
    # each space becomes %20: under the limit as input, over it once escaped
    root = " " * (MAX_RENDERED_URI_LENGTH // 3)
    with pytest.raises(SpecError, match="characters long once escaped"):
        render_libvirt_uri(_spec(root))


def test_a_huge_password_is_refused_without_showing_it():
    spec = {"driver": "qemu", "transport": "ssh", "user": "root", "password": "S3cret" * 20000,
            "host": "h.example.com", "path": "/system"}
    with pytest.raises(SpecError) as err:
        render_libvirt_uri(spec, allow_password=True)
    assert "S3cret" not in str(err.value)
