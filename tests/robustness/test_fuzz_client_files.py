# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The libvirt_client planning under generated input: the merge equals a plain model of the
documented order, the file written from the plan reads back in the real libvirt (virConf parser
through ctypes) as the planned list, and hostile input is refused with SpecError only."""

from __future__ import annotations

from hypothesis import given, strategies as st

from robust_support import ROBUST
from hostile import hostile_value

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet.client_files import plan_client_files
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.virconf import format_virconf_statement
from ansible_collections.virt_uri.toolkit.tests.support import libvirt_oracle

NAMES = st.sampled_from(["a", "b", "c", "web-1", "db_2", "Z"])
URIS = st.sampled_from(["test:///default", "qemu:///system", "qemu+ssh://root@h.example.com/system",
                        "test:///default?x=%20y", "qemu+tls://[::1]:16514/system"])
LAYER = st.dictionaries(NAMES, st.one_of(URIS, st.none()), max_size=4)
SUFFIXES = st.lists(st.sampled_from(["zz", "aa", "m", "site"]), unique=True, max_size=3)


def model(layers, sort):
    merged = {}
    for layer in layers:
        for name, value in layer.items():
            if value is None:
                merged.pop(name, None)
            else:
                merged[name] = value
    names = sorted(merged) if sort else list(merged)
    return ["%s=%s" % (name, merged[name]) for name in names]


@ROBUST
@given(LAYER, SUFFIXES, st.data(), LAYER, st.booleans(), st.booleans())
def test_merge_is_the_documented_order_and_libvirt_reads_it(libvirt_lib, base, suffixes, data, host,
                                                            sort, as_list):
    prefixed = {"libvirt_client_uri_aliases__" + s: data.draw(LAYER) for s in suffixes}
    role_vars = dict(prefixed, libvirt_client_uri_aliases=base, libvirt_client_uri_aliases_host=host,
                     libvirt_client_uri_aliases_sort=sort)
    if as_list:  # the list form means the same (None values cannot be written as 'a=uri')
        role_vars["libvirt_client_uri_aliases"] = ["%s=%s" % kv for kv in base.items() if kv[1]]
        base = {k: v for k, v in base.items() if v}
    expected = model([base] + [prefixed[k] for k in sorted(prefixed)] + [host], sort)
    settings = plan_client_files(role_vars)["files"][0]["settings"]
    assert settings.get("uri_aliases") == (expected or None)
    if expected:
        text = format_virconf_statement("uri_aliases", settings["uri_aliases"]) + "\n"
        assert libvirt_oracle.conf_read(libvirt_lib, text, ["uri_aliases"]) == {"uri_aliases": expected}


@ROBUST
@given(st.dictionaries(st.sampled_from(["libvirt_client_uri_aliases", "libvirt_client_uri_default",
                                        "libvirt_client_users", "libvirt_client_extra_settings",
                                        "libvirt_client_remote_mode", "libvirt_client_root",
                                        "libvirt_client_uri_aliases__x", "libvirt_client_mode"]),
                       hostile_value, max_size=3))
def test_hostile_input_is_refused_as_bad_input_only(role_vars):
    try:
        planned = plan_client_files(role_vars, {})
    except SpecError:
        return
    for planned_file in planned["files"]:
        for key, value in planned_file["settings"].items():
            if value is not None:
                format_virconf_statement(key, value)  # what the module would write
