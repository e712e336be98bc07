# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The client keys of libvirt.conf: the types read back (src/libvirt.c: virConnectOpenInternal,
virConfGetValueString / virConfGetValueStringList) and the checks before a key is written
(src/remote/remote_sockets.c: virRemoteDriverModeTypeFromString, src/rpc/virnetclient.c:
virNetClientProxyTypeFromString). Whole messages: the field and the text both."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.client_keys import (
    alias_names,
    check_client_setting,
    read_alias_list,
    read_string_key,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.virconf import parse_virconf

PATH = "/home/u/.config/libvirt/libvirt.conf"


def parsed(text):
    return parse_virconf(text, filename=PATH)


def refusal(call, *args):
    with pytest.raises(SpecError) as info:
        call(*args)
    return info.value


# -- read side -----------------------------------------------------------------------------

def test_read_string_key_returns_the_string_or_none():
    conf = parsed('remote_mode = "legacy"\n')
    assert read_string_key(conf, "remote_mode", PATH) == "legacy"
    assert read_string_key(conf, "tls_priority", PATH) is None
    assert read_string_key(None, "uri_default", PATH) is None


def test_read_string_key_refuses_another_type_naming_key_and_file():
    err = refusal(read_string_key, parsed("uri_default = 1\n"), "uri_default", PATH)
    assert (err.field, err.value) == ("uri_default", 1)
    assert str(err) == ("uri_default: 1 is not accepted; a string (libvirt says 'internal error: "
                        "%s: expected a string for 'uri_default' parameter')" % PATH)


def test_read_alias_list_returns_the_strings():
    assert read_alias_list(parsed('uri_aliases = [ "a=test:///default", "b" ]\n'), PATH) == \
        ["a=test:///default", "b"]
    assert read_alias_list(parsed('uri_default = "test:///default"\n'), PATH) == []
    assert read_alias_list(None, PATH) == []


@pytest.mark.parametrize("text,value", [
    ('uri_aliases = "a=test:///default"\n', "a=test:///default"),
    ('uri_aliases = [ "a=test:///default", 1 ]\n', ["a=test:///default", 1]),
], ids=["a-string", "a-list-with-an-integer"])
def test_read_alias_list_refuses_what_is_not_a_string_list(text, value):
    err = refusal(read_alias_list, parsed(text), PATH)
    assert (err.field, err.value) == ("uri_aliases", value)
    assert str(err) == ("uri_aliases: %r is not accepted; a list of strings (libvirt says '%s: "
                        "expected a string list for 'uri_aliases' parameter')" % (value, PATH))


# -- alias names in effect -----------------------------------------------------------------

def test_alias_names_of_a_mapping_and_of_a_list():
    assert alias_names({"a": "test:///default", "b": {"driver": "test"}}) == {"a", "b"}
    # entries without '=' and non-strings define nothing; the name stops at the first '='
    assert alias_names(["a=test:///default", "c", 3, "d=e=f", "=x"]) == {"a", "d", ""}
    assert alias_names("a=test:///default") == set()
    assert alias_names(None) == set()


# -- write side ----------------------------------------------------------------------------

def test_a_bad_key_is_refused_as_a_settings_key():
    err = refusal(check_client_setting, "1bad", "x", set())
    assert (err.field, err.value) == ("settings key", "1bad")
    assert str(err) == ("settings key: '1bad' is not accepted; a libvirt.conf key: a letter, then "
                        "letters, digits or '_' (no '-', '.', leading '_' or digit)")


def test_alias_mapping_becomes_the_list_libvirt_reads():
    assert check_client_setting("uri_aliases", {"t": "test:///default", "q": "qemu:///system"},
                                set()) == ["t=test:///default", "q=qemu:///system"]


def test_a_bad_alias_is_refused_under_uri_aliases():
    err = refusal(check_client_setting, "uri_aliases", {"t.x": "test:///default"}, set())
    assert (err.field, err.value) == ("uri_aliases.t.x", "t.x")
    assert str(err) == ("uri_aliases.t.x: 't.x' is not accepted; an alias name made of 'a-Z, 0-9, "
                        "_, -' (libvirt says \"Malformed 'uri_aliases' config entry ..., aliases "
                        "may only contain 'a-Z, 0-9, _, -'\")")


@pytest.mark.parametrize("key", ["uri_default", "remote_mode", "remote_proxy", "tls_priority"])
def test_string_keys_refuse_another_type(key):
    err = refusal(check_client_setting, key, 1, set())
    assert (err.field, err.value) == (key, 1)
    assert str(err) == ("%s: 1 is not accepted; a string (libvirt says \"expected a string for "
                        "'%s' parameter\" otherwise)" % (key, key))


@pytest.mark.parametrize("key,choices", [
    ("remote_mode", "auto, legacy, direct"),
    ("remote_proxy", "auto, netcat, native"),
])
def test_choice_keys_refuse_other_words(key, choices):
    err = refusal(check_client_setting, key, "foo", set())
    assert (err.field, err.value) == (key, "foo")
    assert str(err) == "%s: 'foo' is not accepted; one of: %s" % (key, choices)
    for choice in choices.split(", "):
        assert check_client_setting(key, choice, set()) == choice


def test_uri_default_may_name_an_alias_in_effect():
    assert check_client_setting("uri_default", "t", {"t"}) == "t"
    assert check_client_setting("uri_default", "qemu:///system", set()) == "qemu:///system"


@pytest.mark.parametrize("value,aliases", [
    ("t", set()),          # no such alias: opened as a URI, without a driver
    ("", {""}),            # an empty name is never an alias (an '=uri' entry defines "")
    ("a.b", {"a.b"}),      # '.' is no alias character
], ids=["unknown-alias", "empty", "not-alias-chars"])
def test_uri_default_that_is_no_alias_must_be_a_uri(value, aliases):
    err = refusal(check_client_setting, "uri_default", value, aliases)
    assert (err.field, err.value) == ("uri_default", value)
    assert str(err) == ("uri_default: %r is not accepted; libvirt says 'no connection driver "
                        "available for URI '%s' does not include a driver name'; write "
                        "driver:///path (e.g. qemu:///system) or define it as an alias in "
                        "uri_aliases" % (value, value))


def test_uri_default_errors_are_placed_under_uri_default():
    err = refusal(check_client_setting, "uri_default", "qemu://system", set())
    assert (err.field, err.value) == ("uri_default.host", "system")
    assert str(err) == ("uri_default.host: 'system' is not accepted; a host name; libvirt says "
                        "'invalid URI qemu://system (maybe you want qemu:///system)': did you mean "
                        "qemu:///system?")


def test_values_the_grammar_cannot_hold_name_the_key():
    err = refusal(check_client_setting, "tls_priority", "NORMAL\x00x", set())
    assert (err.field, err.value) == ("tls_priority", "NORMAL\x00x")
    assert str(err) == ("tls_priority: 'NORMAL\\x00x' is not accepted; a string without NUL "
                        "(libvirt strings are C strings)")
    err = refusal(check_client_setting, "other_key", {"a": 1}, set())
    assert (err.field, err.value) == ("other_key", {"a": 1})
    assert str(err) == ("other_key: {'a': 1} is not accepted; a string, an integer, a "
                        "boolean (written 0/1) or a list of those (libvirt.conf has no floats, "
                        "null or mappings)")


def test_other_keys_pass_through():
    assert check_client_setting("other_key", 5, set()) == 5
    assert check_client_setting("tls_priority", "NORMAL", set()) == "NORMAL"
