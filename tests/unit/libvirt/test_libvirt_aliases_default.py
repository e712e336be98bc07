# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uri_aliases validation/resolution and default-URI resolution (src/libvirt.c:
virConnectOpenInternal, src/util/viruri.c: virURIResolveAlias; virsh 9.0's answers)."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.aliases import (
    resolve_alias,
    validate_uri_aliases,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.default_uri import (
    client_config_path,
    resolve_default_uri,
)


def test_validate_mapping_keeps_order():
    assert validate_uri_aliases({
        "hail": "qemu+ssh://root@hail.cloud.example.com/system",
        "sleet": {"driver": "qemu", "transport": "ssh", "user": "root",
                  "host": "sleet.cloud.example.com", "path": "/system"},
        "a-1_B": "test:///default",
    }) == ["hail=qemu+ssh://root@hail.cloud.example.com/system",
           "sleet=qemu+ssh://root@sleet.cloud.example.com/system",
           "a-1_B=test:///default"]


def test_validate_list_form():
    assert validate_uri_aliases(["t=test:///default", {"alias": "q", "uri": "qemu:///system"}]) \
        == ["t=test:///default", "q=qemu:///system"]


@pytest.mark.parametrize("aliases,field,words", [
    ({"bad.alias": "test:///default"}, "uri_aliases.bad.alias", "a-Z, 0-9, _, -"),
    ({"": "test:///default"}, "uri_aliases.", "a-Z, 0-9, _, -"),
    (["t=test:///default", "t=qemu:///system"], "uri_aliases.1", "already defined"),
    ({"t": "t2", "t2": "test:///default"}, "uri_aliases.t", "does not resolve aliases recursively"),
    ({"t": "nosuchthing"}, "uri_aliases.t", "does not include a driver name"),
    ({"q": "qemu://system"}, "uri_aliases.q.host", "maybe you want qemu:///system"),
    (["noequals"], "uri_aliases.0", "expected 'alias=uri://host/path'"),
    ("t=test:///default", "uri_aliases", "a mapping"),
])
def test_validate_errors(aliases, field, words):
    with pytest.raises(SpecError) as info:
        validate_uri_aliases(aliases)
    assert info.value.field == field
    assert words in str(info.value)


# libvirt's own resolution semantics, as virsh 9.0 showed them.
def test_resolve_first_match_case_sensitive_no_recursion():
    entries = ["t=t2", "t2=test:///default", "t=other", "a=b=c", "e="]
    assert resolve_alias("t", entries) == "t2"
    assert resolve_alias("T", entries) is None
    assert resolve_alias("a", entries) == "b=c"
    assert resolve_alias("e", entries) == ""


def test_resolve_malformed_before_match_fails_after_match_ignored():
    with pytest.raises(SpecError, match="expected 'alias=uri://host/path'"):
        resolve_alias("test:///default", ["noequals", "t=test:///default"])
    assert resolve_alias("t", ["t=test:///default", "noequals"]) == "test:///default"
    with pytest.raises(SpecError, match="aliases may only contain"):
        resolve_alias("t", ["bad.alias=x", "t=test:///default"])


def conf(tmp_path, text, name="libvirt.conf"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_config_path_choice():
    env = {"HOME": "/home/u", "XDG_CONFIG_HOME": "/x"}
    assert client_config_path(0, env) == "/etc/libvirt/libvirt.conf"
    assert client_config_path(1000, env) == "/x/libvirt/libvirt.conf"
    assert client_config_path(1000, {"HOME": "/home/u", "XDG_CONFIG_HOME": ""}) == \
        "/home/u/.config/libvirt/libvirt.conf"


def test_config_is_read_from_xdg_for_a_user(tmp_path):
    (tmp_path / "libvirt").mkdir()
    conf(tmp_path / "libvirt", 'uri_default = "t"\nuri_aliases = [ "t=test:///default" ]\n')
    result = resolve_default_uri(environ={"XDG_CONFIG_HOME": str(tmp_path), "HOME": "/nonexistent"},
                                 euid=1000)
    assert result["uri"] == "test:///default" and result["source"] == "uri_default"


@pytest.mark.parametrize("text,name,env,expected", [
    ('uri_aliases = [ "t=test:///default" ]', "t", {}, "test:///default"),
    ('uri_default = "test:///default"', None, {}, "test:///default"),
    ('uri_default = "t"\nuri_aliases = [ "t=test:///default" ]', None, {}, "test:///default"),
    ('uri_aliases = [ "t=test:///default" ]', None, {"LIBVIRT_DEFAULT_URI": "t"},
     "test:///default"),
    ('uri_default = "test:///default"', None, {"LIBVIRT_DEFAULT_URI": ""}, "test:///default"),
    ('uri_aliases = [ "t=test:///default", "noequals" ]', "t", {}, "test:///default"),
    ("# x", "xen", {}, "xen:///system"),
    ("# x", "qemu+ssh://host:0/system", {}, "qemu+ssh://host/system"),
    ("# x", "qemu+tcp://[fe80::1%25eth0]/system", {}, "qemu+tcp://[fe80::1%eth0]/system"),
    ("", "", {"LIBVIRT_DEFAULT_URI": "test:///default"}, "test:///default"),
])
def test_resolution_matches_virsh(tmp_path, text, name, env, expected):
    path = conf(tmp_path, text)
    assert resolve_default_uri(name, environ=env, euid=1000, config_path=path,
                               probe=False)["uri"] == expected


@pytest.mark.parametrize("text,name,env,words", [
    ('uri_aliases = [ "t=test:///default" ]', "T", {}, "URI 'T' does not include a driver name"),
    ('uri_aliases = [ "t=t2", "t2=test:///default" ]', "t", {},
     "URI 't' does not include a driver name"),
    ('uri_aliases = [ "noequals", "t=test:///default" ]', "test:///default", {},
     "Malformed 'uri_aliases' config entry 'noequals'"),
    ('uri_aliases = "t=test:///default"', "t", {}, "expected a string list for 'uri_aliases'"),
    ('uri_default = "test:///default"', None, {"LIBVIRT_DEFAULT_URI": "t"},
     "URI '(null)' does not include a driver name"),
    ("uri_default = test:///default", None, {}, "1: expecting a value"),
    ('uri_aliases = [\n # c\n "t=test:///default" ]', "t", {}, "2: expecting a value"),
    ("\n", "t", {}, "2: expecting a name"),
    ("uri_default = 1", None, {}, "expected a string for 'uri_default' parameter"),
    ("# x", "nosuchalias", {}, "URI 'nosuchalias' does not include a driver name"),
    ("# x", "qemu://system", {}, "maybe you want qemu:///system"),
])
def test_resolution_errors_match_virsh(tmp_path, text, name, env, words):
    path = conf(tmp_path, text)
    with pytest.raises(SpecError) as info:
        resolve_default_uri(name, environ=env, euid=1000, config_path=path, probe=False)
    assert words in str(info.value)


def test_no_aliases_and_steps(tmp_path):
    path = conf(tmp_path, 'uri_aliases = [ "t=test:///default" ]')
    with pytest.raises(SpecError):
        resolve_default_uri("t", environ={}, euid=1000, config_path=path, no_aliases=True)
    result = resolve_default_uri("t", environ={"VIRSH_DEFAULT_CONNECT_URI": "qemu:///system"},
                                 euid=1000, config_path=path)
    assert [s["step"] for s in result["steps"]] == ["config", "name", "alias"]
    assert "VIRSH_DEFAULT_CONNECT_URI" in result["warnings"][0]
