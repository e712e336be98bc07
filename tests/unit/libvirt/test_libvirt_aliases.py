# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uri_aliases: the entries the collection writes and libvirt's reading of them, whole messages
(src/util/viruri.c: virURIResolveAlias, virURIFindAliasMatch, URI_ALIAS_CHARS). The resolution
semantics virsh 9.0 showed are in test_libvirt_aliases_default.py."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.aliases import (
    alias_items,
    resolve_alias,
    validate_alias_name,
    validate_uri_aliases,
)

NAME_RULE = ("an alias name made of 'a-Z, 0-9, _, -' (libvirt says \"Malformed 'uri_aliases' "
             "config entry ..., aliases may only contain 'a-Z, 0-9, _, -'\")")
PASSWORD_RULE = ("a URI without 'user:password@': the password would be written to libvirt.conf "
                 "(libvirt asks for it through its auth callback or authfile=); pass "
                 "allow_password=true if you really mean it")
ITEM_RULE = "'alias=uri' or {alias: NAME, uri: URI}"


def refusal(call, *args, **kwargs):
    with pytest.raises(SpecError) as info:
        call(*args, **kwargs)
    return info.value


# -- names ---------------------------------------------------------------------------------

def test_alias_name_of_every_allowed_character():
    assert validate_alias_name("aZ09_-") == "aZ09_-"


@pytest.mark.parametrize("name,shown", [("a.b", "'a.b'"), ("", "''"), (3, "3"), ("a b", "'a b'")],
                         ids=["dot", "empty", "integer", "space"])
def test_alias_name_refusals(name, shown):
    err = refusal(validate_alias_name, name)
    assert (err.field, err.value) == ("alias", name)
    assert str(err) == "alias: %s is not accepted; %s" % (shown, NAME_RULE)
    assert str(refusal(validate_alias_name, name, "here")) == "here: %s is not accepted; %s" % (
        shown, NAME_RULE)


# -- the input forms -----------------------------------------------------------------------

def test_items_of_a_mapping_keep_order_and_name_fields():
    assert alias_items({"a": "test:///default", "b": {"driver": "test"}}, "f") == [
        ("a", "test:///default", "f.a"), ("b", {"driver": "test"}, "f.b")]


def test_items_of_a_list_split_at_the_first_equals():
    assert alias_items(("a=test:///default?x=y", {"name": "n", "uri": "u"},
                        {"alias": "al", "name": "nn", "uri": "u2"}), "f") == [
        ("a", "test:///default?x=y", "f.0"), ("n", "u", "f.1"), ("al", "u2", "f.2")]


def test_a_list_entry_without_equals():
    err = refusal(alias_items, ["t=test:///default", "noeq"], "f")
    assert (err.field, err.value) == ("f.1", "noeq")
    assert str(err) == ("f.1: 'noeq' is not accepted; 'alias=uri' (libvirt says \"Malformed "
                        "'uri_aliases' config entry 'noeq', expected 'alias=uri://host/path'\")")


@pytest.mark.parametrize("item", [["alias", "uri"], {"alias": "a"}, {"name": "a"}, {"uri": "u"}, 3],
                         ids=["a-list", "no-uri", "name-no-uri", "no-name", "integer"])
def test_a_list_entry_of_another_shape(item):
    err = refusal(alias_items, ["t=test:///default", item], "f")
    assert (err.field, err.value) == ("f.1", item)
    assert str(err) == "f.1: %r is not accepted; %s" % (item, ITEM_RULE)


@pytest.mark.parametrize("aliases", ["a=test:///default", 3])
def test_neither_mapping_nor_list(aliases):
    err = refusal(alias_items, aliases, "f")
    assert (err.field, err.value) == ("f", aliases)
    assert str(err) == ("f: %r is not accepted; a mapping alias: uri, or a list of 'alias=uri' "
                        "strings" % (aliases,))


# -- validation of what is written ---------------------------------------------------------

def test_values_keep_their_equals_signs():
    assert validate_uri_aliases(["a=test:///default?x=y"]) == ["a=test:///default?x=y"]
    assert validate_uri_aliases([{"name": "n", "uri": "test:///default"}], field="x") == \
        ["n=test:///default"]


def test_a_bad_name_is_refused_at_its_field():
    err = refusal(validate_uri_aliases, {"a.b": "test:///default"}, field="x")
    assert (err.field, err.value) == ("x.a.b", "a.b")
    assert str(err) == "x.a.b: 'a.b' is not accepted; %s" % NAME_RULE


def test_a_duplicate_names_the_first_definition():
    err = refusal(validate_uri_aliases, ["b=test:///default", "a=test:///default",
                                         "a=qemu:///system"])
    assert (err.field, err.value) == ("uri_aliases.2", "a")
    assert str(err) == ("uri_aliases.2: 'a' is not accepted; a unique alias name: a is already "
                        "defined at uri_aliases.1 and libvirt would always use the first")


def test_a_value_of_another_type():
    err = refusal(validate_uri_aliases, {"a": 3})
    assert (err.field, err.value) == ("uri_aliases.a", 3)
    assert str(err) == "uri_aliases.a: 3 is not accepted; a libvirt URI string or connection mapping"


def test_a_value_naming_another_alias():
    err = refusal(validate_uri_aliases, {"a": "b", "b": "test:///default"})
    assert (err.field, err.value) == ("uri_aliases.a", "b")
    assert str(err) == ("uri_aliases.a: 'b' is not accepted; a URI, not another alias: libvirt "
                        "does not resolve aliases recursively, so a would be opened as the URI "
                        "'b' and fail; write the target URI itself")


def test_a_value_libvirt_cannot_open_is_refused_at_its_field():
    err = refusal(validate_uri_aliases, {"a": "nodriver"}, field="x")
    assert (err.field, err.value) == ("x.a", "nodriver")
    assert str(err) == ("x.a: 'nodriver' is not accepted; libvirt says 'no connection driver "
                        "available for URI 'nodriver' does not include a driver name'; write "
                        "driver:///path (e.g. qemu:///system) or define it as an alias in "
                        "uri_aliases")


# A password in a URI string is refused before the URI is validated, so the message never
# echoes it - also for a URI that libvirt would refuse anyway ('/bogus', 'qemu://system').
@pytest.mark.parametrize("uri", ["qemu+ssh://u:pw@h/system", "qemu+ssh://u:pw@h/bogus",
                                 "qemu://u:pw@system", "qemu+ssh://:@h/system"])
def test_a_password_is_refused_hidden(uri):
    err = refusal(validate_uri_aliases, {"a": uri}, field="x")
    assert (err.field, err.value, err.secret) == ("x.a", uri, True)
    assert str(err) == "x.a: <hidden> is not accepted; %s" % PASSWORD_RULE


def test_a_password_is_written_when_allowed():
    assert validate_uri_aliases({"a": "qemu+ssh://u:pw@h/system"}, allow_password=True) == \
        ["a=qemu+ssh://u:pw@h/system"]
    # allowed, the URI is validated as any other
    err = refusal(validate_uri_aliases, {"a": "qemu+ssh://u:pw@h/bogus"}, allow_password=True)
    assert (err.field, err.value) == ("uri_aliases.a.path", "/bogus")
    assert str(err) == ("uri_aliases.a.path: '/bogus' is not accepted; one of '/system', "
                        "'/session', '/embed' for qemu (libvirt says \"unexpected qemu URI path "
                        "'/bogus'\", try qemu:///system)")


def test_a_user_without_password_is_no_password():
    assert validate_uri_aliases({"a": "qemu+ssh://u@h/system"}) == ["a=qemu+ssh://u@h/system"]


SSH_WITH_PASSWORD = {"driver": "qemu", "transport": "ssh", "user": "u", "password": "pw",
                     "host": "h", "path": "/system"}


def test_a_connection_mapping_is_rendered():
    assert validate_uri_aliases({"a": dict(SSH_WITH_PASSWORD, password=None)}) == \
        ["a=qemu+ssh://u@h/system"]
    assert validate_uri_aliases({"a": SSH_WITH_PASSWORD}, allow_password=True) == \
        ["a=qemu+ssh://u:pw@h/system"]


def test_a_connection_mapping_password_is_refused_at_its_field():
    err = refusal(validate_uri_aliases, {"a": SSH_WITH_PASSWORD}, field="x")
    assert (err.field, err.value, err.secret) == ("x.a.password", "pw", True)
    assert str(err) == ("x.a.password: <hidden> is not accepted; no password in a connection URI "
                        "(libvirt asks for it through its auth callback or authfile=); pass "
                        "allow_password=true to embed it anyway")


# -- resolution as libvirt reads the list --------------------------------------------------

@pytest.mark.parametrize("entry,why", [
    ("noeq", "expected 'alias=uri://host/path'"),
    ("a.b=x", "aliases may only contain 'a-Z, 0-9, _, -'"),
], ids=["no-equals", "bad-name"])
def test_a_malformed_entry_before_the_match(entry, why):
    err = refusal(resolve_alias, "t", [entry, "t=test:///default"])
    assert (err.field, err.value) == ("uri_aliases", entry)
    assert str(err) == ("uri_aliases: %r is not accepted; libvirt says 'configuration file syntax "
                        "error: Malformed 'uri_aliases' config entry '%s', %s' (libvirt.conf)" % (
                            entry, entry, why))
    err = refusal(resolve_alias, "t", [entry], source="/etc/libvirt/libvirt.conf")
    assert str(err) == ("uri_aliases: %r is not accepted; libvirt says 'configuration file syntax "
                        "error: Malformed 'uri_aliases' config entry '%s', %s' "
                        "(/etc/libvirt/libvirt.conf)" % (entry, entry, why))


def test_resolution_compares_whole_names():
    assert resolve_alias("t", ["=x", "tt=y", "t=z"]) == "z"
    assert resolve_alias("t", ["tt=y"]) is None
    assert resolve_alias("t", []) is None
