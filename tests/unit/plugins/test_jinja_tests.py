# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Jinja tests say yes exactly when their filter accepts the value (one row per value)."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.virt_uri.toolkit.plugins.filter.libvirt_uri_aliases import libvirt_uri_aliases
from ansible_collections.virt_uri.toolkit.plugins.filter.libvirt_uri_parse import libvirt_uri_parse
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_drive_opts import qemu_drive_opts
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_drive_parse import qemu_drive_parse
from ansible_collections.virt_uri.toolkit.plugins.test.libvirt_alias_name import TestModule as AliasTests
from ansible_collections.virt_uri.toolkit.plugins.test.libvirt_uri import TestModule as UriTests
from ansible_collections.virt_uri.toolkit.plugins.test.qemu_drive import TestModule as DriveTests
from ansible_collections.virt_uri.toolkit.tests.unit.plugins.jinja_test_table import ROWS

TESTS = {}
for module in (DriveTests, UriTests, AliasTests):
    TESTS.update(module().tests())


def filter_accepts(name, value, args):
    """Whether the filter the test mirrors returns (True) or raises AnsibleFilterError."""
    try:
        if name == "qemu_drive":
            if isinstance(value, str):
                qemu_drive_parse(value, **args)
            elif isinstance(value, dict):
                qemu_drive_opts(value, **args)
            else:  # the filters map over lists; anything else is no drive
                qemu_drive_opts(value, **args)
        elif name == "libvirt_uri":
            libvirt_uri_parse(value, **args)
        else:
            libvirt_uri_aliases({value: "test:///default"})
    except AnsibleFilterError:
        return False
    return True


@pytest.mark.parametrize("name,args,value,answer", ROWS,
                         ids=["%s-%d" % (r[0], i) for i, r in enumerate(ROWS)])
def test_test_equals_filter(name, args, value, answer):
    assert filter_accepts(name, value, args) is answer
    assert TESTS[name](value, **args) is answer


def test_a_list_is_no_drive_though_the_filter_maps_over_it():
    drives = [ROWS[0][2]]
    assert qemu_drive_opts(drives)  # a list of results
    assert TESTS["qemu_drive"](drives) is False  # use select() to test each


@pytest.mark.parametrize("name,module,func,value", [
    ("qemu_drive", "qemu_drive", "parse_drive", "nbd://127.0.0.1/x"),
    ("qemu_drive", "qemu_drive", "render_opts", {"protocol": "nbd", "server": {"host": "h"}}),
    ("libvirt_uri", "libvirt_uri", "parse_libvirt_uri", "qemu:///system"),
    ("libvirt_alias_name", "libvirt_alias_name", "validate_alias_name", "hv1"),
])
def test_a_crash_in_the_core_is_no_answer(monkeypatch, name, module, func, value):
    """A KeyError out of the core fails like the filter's internal error, not as 'invalid'."""
    from importlib import import_module  # pylint: disable=import-outside-toplevel
    from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import CoreBugError  # noqa: E501 pylint: disable=import-outside-toplevel

    def crash(*_args, **_kwargs):
        raise KeyError("secret-value")

    crash.__name__ = func
    monkeypatch.setattr(import_module("ansible_collections.virt_uri.toolkit.plugins.test." + module), func, crash)
    with pytest.raises(CoreBugError, match="internal error \\(KeyError\\)") as caught:
        TESTS[name](value)
    assert "secret-value" not in str(caught.value)
