# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""plan_client_files: the libvirt_client role's planning, one row per case (input -> files)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet.client_files import (
    DEFAULTS,
    plan_client_files,
    resolve_user_file,
    unknown_variables,
)

ROLE = Path(__file__).resolve().parents[3] / "roles" / "libvirt_client"
PASSWD = {"alice": ["x", "1001", "1001", "", "/home/alice", "/bin/sh"],
          "bob": ["x", "1002", "100", "", "/srv/bob", "/bin/sh"]}
A = "test:///default?a"
B = "test:///default?b"


def system(role_vars, passwd=None):
    return plan_client_files(role_vars, passwd)["files"][0]


def test_defaults_are_the_roles():
    defaults = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text())
    assert defaults == DEFAULTS
    specs = yaml.safe_load((ROLE / "meta" / "argument_specs.yml").read_text())
    assert sorted(specs["argument_specs"]["main"]["options"]) == sorted(DEFAULTS)


MERGE = [
    # (name, role variables, uri_aliases written)
    ("group only", {"libvirt_client_uri_aliases": {"b": B, "a": A}}, ["a=" + A, "b=" + B]),
    ("list form", {"libvirt_client_uri_aliases": ["b=" + B, {"alias": "a", "uri": A}]},
     ["a=" + A, "b=" + B]),
    ("prefixed layers in sorted name order, host last",
     {"libvirt_client_uri_aliases": {"a": A},
      "libvirt_client_uri_aliases__zz": {"a": "test:///default?zz"},
      "libvirt_client_uri_aliases__aa": {"a": "test:///default?aa", "c": B},
      "libvirt_client_uri_aliases_host": {"c": None}},
     ["a=test:///default?zz"]),
    ("host value wins", {"libvirt_client_uri_aliases": {"a": A},
                         "libvirt_client_uri_aliases_host": ["a=" + B]}, ["a=" + B]),
    ("unsorted keeps the first definition's position",
     {"libvirt_client_uri_aliases_sort": False,
      "libvirt_client_uri_aliases": {"z": A, "a": A},
      "libvirt_client_uri_aliases_host": {"z": B, "m": B}},
     ["z=" + B, "a=" + A, "m=" + B]),
    ("no aliases: key left alone", {}, None),
]


@pytest.mark.parametrize("role_vars, expected", [m[1:] for m in MERGE], ids=[m[0] for m in MERGE])
def test_alias_merge(role_vars, expected):
    assert system(role_vars)["settings"].get("uri_aliases") == expected


def test_settings_order_and_values():
    planned = system({"libvirt_client_remove_keys": ["keepalive_count"],
                      "libvirt_client_uri_aliases": {"a": A}, "libvirt_client_uri_default": "a",
                      "libvirt_client_remote_mode": "direct", "libvirt_client_tls_priority": "NORMAL",
                      "libvirt_client_extra_settings": {"keepalive_interval": 5}})
    assert list(planned["settings"].items()) == [
        ("keepalive_count", None), ("uri_aliases", ["a=" + A]), ("uri_default", "a"),
        ("remote_mode", "direct"), ("tls_priority", "NORMAL"), ("keepalive_interval", 5)]
    assert planned == dict(planned, path="/etc/libvirt/libvirt.conf", mode=None, owner=None,
                           group=None, create_owner=None, create_group=None)


def test_users_paths_owners_and_overrides():
    files = plan_client_files({
        "libvirt_client_root": "/mnt/img/",
        "libvirt_client_uri_aliases": {"a": A, "b": B},
        "libvirt_client_uri_default": "a",
        "libvirt_client_users": [
            {"name": "alice", "uri_aliases": {"b": None, "mine": B}, "uri_default": "mine"},
            {"name": "bob", "config_home": "/srv/bob/cfg", "owner": "root", "mode": "0600"},
            {"name": "carol", "path": "/x/carol.conf", "group": "staff",
             "settings": {"remote_mode": "legacy"}},
        ]}, PASSWD)["files"]
    assert [f["path"] for f in files] == [
        "/mnt/img/etc/libvirt/libvirt.conf", "/mnt/img/home/alice/.config/libvirt/libvirt.conf",
        "/mnt/img/srv/bob/cfg/libvirt/libvirt.conf", "/mnt/img/x/carol.conf"]
    alice, bob, carol = files[1:]
    assert alice["settings"] == {"uri_aliases": ["a=" + A, "mine=" + B], "uri_default": "mine"}
    assert (alice["owner"], alice["group"], alice["create_owner"], alice["create_group"]) == \
        (None, None, "alice", "1001")
    assert (bob["owner"], bob["mode"], bob["create_owner"], bob["create_group"]) == \
        ("root", "0600", "root", "100")
    assert carol["settings"]["remote_mode"] == "legacy"
    assert (carol["group"], carol["create_group"]) == ("staff", "staff")


NO_DRIVER = ("is not accepted; libvirt says 'no connection driver available for URI '%s' does not include a "
             "driver name'; write driver:///path (e.g. qemu:///system) or define it as an alias in uri_aliases")
BAD_ALIAS_NAME = ("is not accepted; an alias name made of 'a-Z, 0-9, _, -' (libvirt says \"Malformed "
                  "'uri_aliases' config entry ..., aliases may only contain 'a-Z, 0-9, _, -'\")")
FILE_MODE = ("a file mode such as '0644' or 'u=rw,g=r,o=r' (a string: an unquoted 0644 in YAML is the "
             "number 420)")
USER_KEYS = "config_home, group, home, mode, name, owner, path, settings, uri_aliases, uri_default"
ERRORS = [
    # (id, role variables, the whole message)
    ("bad alias name in host layer", {"libvirt_client_uri_aliases_host": {"bad.name": A}},
     "libvirt_client_uri_aliases_host.bad.name: 'bad.name' " + BAD_ALIAS_NAME),
    ("bad alias URI in a prefixed layer", {"libvirt_client_uri_aliases__site": {"a": "nodriver"}},
     "libvirt_client_uri_aliases__site.a: 'nodriver' " + NO_DRIVER % "nodriver"),
    ("alias naming an alias", {"libvirt_client_uri_aliases": {"a": A, "b": "a"}},
     "libvirt_client_uri_aliases.b: 'a' " + NO_DRIVER % "a"),
    ("alias layer not a mapping", {"libvirt_client_uri_aliases": "a=b"},
     "libvirt_client_uri_aliases: 'a=b' is not accepted; a mapping alias: uri, or a list of 'alias=uri' strings"),
    ("alias list entry", {"libvirt_client_uri_aliases_host": [5]},
     "libvirt_client_uri_aliases_host.0: 5 is not accepted; 'alias=uri' or {alias: NAME, uri: URI}"),
    ("remote_mode", {"libvirt_client_remote_mode": "fast"},
     "libvirt_client_remote_mode: 'fast' is not accepted; one of: auto, legacy, direct"),
    ("remote_proxy", {"libvirt_client_remote_proxy": "ssh"},
     "libvirt_client_remote_proxy: 'ssh' is not accepted; one of: auto, netcat, native"),
    ("tls_priority", {"libvirt_client_tls_priority": 1},
     "libvirt_client_tls_priority: 1 is not accepted; a string (libvirt says \"expected a string for "
     "'tls_priority' parameter\" otherwise)"),
    ("uri_default", {"libvirt_client_uri_default": "nosuchalias"},
     "libvirt_client_uri_default: 'nosuchalias' " + NO_DRIVER % "nosuchalias"),
    ("a removal before a bad value", {"libvirt_client_remove_keys": ["keepalive_count"],
                                      "libvirt_client_remote_mode": "fast"},
     "libvirt_client_remote_mode: 'fast' is not accepted; one of: auto, legacy, direct"),
    ("extra value", {"libvirt_client_extra_settings": {"x": 'a"""b\n'}},
     "libvirt_client_extra_settings.x: 'a\"\"\"b\\n' is not accepted; a string libvirt.conf can hold: with a "
     "newline or both quote kinds it must be written \"\"\"...\"\"\", which cannot contain '\"\"\"' nor end in "
     "'\"' (the grammar has no escapes)"),
    ("extra key name", {"libvirt_client_extra_settings": {"bad-key": 1}},
     "libvirt_client_extra_settings.bad-key: 'bad-key' is not accepted; a libvirt.conf key: a letter, then "
     "letters, digits or '_' (no '-', '.', leading '_' or digit)"),
    ("extra uri_default", {"libvirt_client_extra_settings": {"uri_default": "nope"}},
     "libvirt_client_extra_settings.uri_default: 'nope' " + NO_DRIVER % "nope"),
    # A key also in libvirt_client_remove_keys: the value's own variable is named.
    ("removed key set by extra", {"libvirt_client_remove_keys": ["remote_mode"],
                                  "libvirt_client_extra_settings": {"remote_mode": "fast"}},
     "libvirt_client_extra_settings.remote_mode: 'fast' is not accepted; one of: auto, legacy, direct"),
    ("removed key set by its variable", {"libvirt_client_remove_keys": ["uri_default"],
                                         "libvirt_client_uri_default": "nope"},
     "libvirt_client_uri_default: 'nope' " + NO_DRIVER % "nope"),
    # uri_aliases given as a setting replaces the merged list: its own variable is named.
    ("extra uri_aliases", {"libvirt_client_extra_settings": {"uri_aliases": {"bad.name": A}}},
     "libvirt_client_extra_settings.uri_aliases.bad.name: 'bad.name' " + BAD_ALIAS_NAME),
    ("user settings uri_aliases",
     {"libvirt_client_users": [{"name": "alice", "settings": {"uri_aliases": ["a=" + A, "b"]}}]},
     "libvirt_client_users[0] (alice).settings.uri_aliases.1: 'b' is not accepted; 'alias=uri' (libvirt "
     "says \"Malformed 'uri_aliases' config entry 'b', expected 'alias=uri://host/path'\")"),
    ("extra not a mapping", {"libvirt_client_extra_settings": [1]},
     "libvirt_client_extra_settings: [1] is not accepted; a mapping of libvirt.conf key to value"),
    ("remove_keys not a list", {"libvirt_client_remove_keys": "k"},
     "libvirt_client_remove_keys: 'k' is not accepted; a list of key names"),
    ("system file mode", {"libvirt_client_system_file_mode": True},
     "libvirt_client_system_file_mode: True is not accepted; " + FILE_MODE),
    ("system file mode a list", {"libvirt_client_system_file_mode": ["0644"]},
     "libvirt_client_system_file_mode: ['0644'] is not accepted; " + FILE_MODE),
    ("mode", {"libvirt_client_mode": "replace"},
     "libvirt_client_mode: 'replace' is not accepted; merge or managed"),
    ("root relative", {"libvirt_client_root": "mnt"},
     "libvirt_client_root: 'mnt' is not accepted; '' or an absolute directory"),
    ("root not text", {"libvirt_client_root": 5},
     "libvirt_client_root: 5 is not accepted; '' or an absolute directory"),
    ("root without home", {"libvirt_client_root": "/mnt/img", "libvirt_client_users": [{"name": "ghost"}]},
     "libvirt_client_users[0] (ghost): home, config_home or path: with libvirt_client_root set the home "
     "directory is not looked up (the host's passwd is not the root's)"),
    ("users not a list", {"libvirt_client_users": {"name": "a"}},
     "libvirt_client_users: {'name': 'a'} is not accepted; a list of {name: USER, ...}"),
    ("user not a mapping", {"libvirt_client_users": ["alice"]},
     "libvirt_client_users[0]: 'alice' is not accepted; a mapping with a name"),
    ("user name empty", {"libvirt_client_users": [{"name": "alice"}, {"name": ""}]},
     "libvirt_client_users[1]: {'name': ''} is not accepted; a mapping with a name"),
    ("user name not text", {"libvirt_client_users": [{"name": 5}]},
     "libvirt_client_users[0]: {'name': 5} is not accepted; a mapping with a name"),
    ("user without name", {"libvirt_client_users": [{}]},
     "libvirt_client_users[0]: {} is not accepted; a mapping with a name"),
    ("user alias name", {"libvirt_client_users": [{"name": "alice", "uri_aliases": {"user alias": A}}]},
     "libvirt_client_users[0] (alice).uri_aliases.user alias: 'user alias' " + BAD_ALIAS_NAME),
    ("user setting", {"libvirt_client_users": [{"name": "alice", "settings": {"tls_priority": 7}}]},
     "libvirt_client_users[0] (alice).settings.tls_priority: 7 is not accepted; a string (libvirt says "
     "\"expected a string for 'tls_priority' parameter\" otherwise)"),
    ("user settings not a mapping", {"libvirt_client_users": [{"name": "alice", "settings": [1]}]},
     "libvirt_client_users[0] (alice).settings: [1] is not accepted; a mapping of key to value"),
    ("user uri_default", {"libvirt_client_users": [{"name": "alice", "uri_default": "nope"}]},
     "libvirt_client_users[0] (alice).uri_default: 'nope' " + NO_DRIVER % "nope"),
    ("user settings uri_default", {"libvirt_client_users": [{"name": "alice", "settings": {"uri_default": "no"}}]},
     "libvirt_client_users[0] (alice).settings.uri_default: 'no' " + NO_DRIVER % "no"),
    ("user mode", {"libvirt_client_users": [{"name": "alice", "mode": 6.0}]},
     "libvirt_client_users[0] (alice).mode: 6.0 is not accepted; " + FILE_MODE),
    ("users file mode", {"libvirt_client_users": [{"name": "alice"}], "libvirt_client_user_file_mode": [1]},
     "libvirt_client_users[0] (alice).mode: [1] is not accepted; " + FILE_MODE),
    ("user key", {"libvirt_client_users": [{"name": "alice", "uri_alias": {}}]},
     "libvirt_client_users[0] (alice): only the keys %s (not uri_alias)" % USER_KEYS),
    ("user keys sorted", {"libvirt_client_users": [{"name": "alice", "zz": 1, "aa": 2}]},
     "libvirt_client_users[0] (alice): only the keys %s (not aa, zz)" % USER_KEYS),
]


@pytest.mark.parametrize("role_vars, message", [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_errors_name_the_role_variable(role_vars, message):
    with pytest.raises(SpecError) as info:
        plan_client_files(role_vars, PASSWD)
    assert str(info.value) == message


def test_unknown_variables_are_named():
    names = ["libvirt_client_uri_alias", "libvirt_client_uri_aliases_x", "libvirt_client_mode",
             "libvirt_client_uri_aliases__site", "libvirt_client__internal", "libvirt_client_result",
             "libvirt_client_uri_aliases__", "other_var"]
    assert unknown_variables(names) == ["libvirt_client_uri_alias", "libvirt_client_uri_aliases__",
                                        "libvirt_client_uri_aliases_x"]
    assert plan_client_files({"libvirt_client_uri_alias": {}})["unknown_variables"] == [
        "libvirt_client_uri_alias"]


def test_a_yaml_octal_mode_is_read_as_octal():
    assert system({"libvirt_client_system_file_mode": 0o640})["mode"] == "0640"


def test_system_file_off():
    assert plan_client_files({"libvirt_client_system": False})["files"] == []


def test_a_user_without_home_is_left_to_the_target():
    # No getent on the controller: the file names the user, the module finds the home there.
    alice = plan_client_files({"libvirt_client_users": [{"name": "alice"}]})["files"][1]
    assert (alice["path"], alice["user"], alice["create_owner"], alice["create_group"]) == \
        (None, "alice", "alice", None)
    given = plan_client_files({"libvirt_client_users": [{"name": "alice"}]}, PASSWD)["files"][1]
    assert (given["path"], given["user"]) == ("/home/alice/.config/libvirt/libvirt.conf", None)


class Entry:
    def __init__(self, home, gid):
        self.pw_dir, self.pw_gid = home, gid


def getpwnam(name):
    return {"alice": Entry("/home/alice/", 1001), "xavier": Entry("/srv/userX/", 7)}[name]


def test_resolve_user_file_on_the_target():
    assert resolve_user_file({"user": "alice", "path": None, "create_owner": "alice",
                              "create_group": None}, getpwnam) == {
        "user": "alice", "path": "/home/alice/.config/libvirt/libvirt.conf",
        "create_owner": "alice", "create_group": "1001"}
    # Given values win; a path needs no passwd entry at all.
    assert resolve_user_file({"user": "ghost", "path": "/x.conf", "create_group": "staff"},
                             getpwnam) == {"user": "ghost", "path": "/x.conf",
                                           "create_owner": "ghost", "create_group": "staff"}
    plain = {"path": "/etc/libvirt/libvirt.conf", "user": None}
    assert resolve_user_file(plain, getpwnam) is plain


@pytest.mark.parametrize("request_, resolved", [
    ({"user": "alice", "path": "/x.conf", "create_group": None},
     {"user": "alice", "path": "/x.conf", "create_owner": "alice", "create_group": "1001"}),
    ({"user": "alice", "path": None, "create_owner": "bob", "create_group": "staff"},
     {"user": "alice", "path": "/home/alice/.config/libvirt/libvirt.conf", "create_owner": "bob",
      "create_group": "staff"}),
    ({"user": "ghost", "path": "/x.conf"}, {"user": "ghost", "path": "/x.conf", "create_owner": "ghost"}),
    ({"user": "xavier"}, {"user": "xavier", "path": "/srv/userX/.config/libvirt/libvirt.conf",
                          "create_owner": "xavier", "create_group": "7"}),
], ids=["path given, group looked up", "owner and group given", "path given, no entry", "home ends in X/"])
def test_resolve_user_file_fills_only_what_is_missing(request_, resolved):
    assert resolve_user_file(request_, getpwnam) == resolved


@pytest.mark.parametrize("request_, message", [
    ({"user": "ghost", "path": None}, "user: 'ghost' is not accepted; a user in this host's passwd database, or "
     "give the file's path (libvirt_client role: home or config_home in libvirt_client_users)"),
    ({"user": "ghost", "path": None, "create_group": "staff"}, "user: 'ghost' is not accepted; a user in this "
     "host's passwd database, or give the file's path (libvirt_client role: home or config_home in "
     "libvirt_client_users)"),
    ({"user": None, "path": None}, "path: a file path (or user, for that user's own file)"),
], ids=["unknown user", "unknown user, group given", "neither"])
def test_resolve_user_file_refuses(request_, message):
    with pytest.raises(SpecError) as info:
        resolve_user_file(request_, getpwnam)
    assert str(info.value) == message


def test_user_files_exactly():
    """Each user's file whole: the home from the user's mapping first, then passwd (an entry too
    short to hold a home or a group gives none), a trailing '/' dropped once."""
    passwd = {"alice": PASSWD["alice"], "xavier": ["x", "1", "1", "", "/home/xavier", "/bin/sh"],
              "five": ["x", "5", "55", "", "/home/five"], "four": ["x", "4", "44", ""],
              "three": ["x", "3", "33"], "two": ["x", "2"]}
    users = [{"name": "alice"}, {"name": "xavier", "home": "/srv/userX/"},
             {"name": "yvonne", "config_home": "/cfgX/", "group": "staff", "mode": "0600"},
             {"name": "five"}, {"name": "four"}, {"name": "three"}, {"name": "two", "owner": "root"}]
    files = plan_client_files({"libvirt_client_system": False, "libvirt_client_users": users,
                               "libvirt_client_user_file_mode": "u=rw"}, passwd)["files"]

    def user_file(path, user, owner=None, group=None, create_owner=None, create_group=None, mode="u=rw"):
        return {"path": path, "user": user, "settings": {}, "mode": mode, "owner": owner, "group": group,
                "create_owner": create_owner, "create_group": create_group}
    assert files == [
        user_file("/home/alice/.config/libvirt/libvirt.conf", None, create_owner="alice", create_group="1001"),
        user_file("/srv/userX/.config/libvirt/libvirt.conf", None, create_owner="xavier", create_group="1"),
        user_file("/cfgX/libvirt/libvirt.conf", None, group="staff", create_owner="yvonne",
                  create_group="staff", mode="0600"),
        user_file("/home/five/.config/libvirt/libvirt.conf", None, create_owner="five", create_group="55"),
        user_file(None, "four", create_owner="four", create_group="44"),
        user_file(None, "three", create_owner="three", create_group="33"),
        user_file(None, "two", owner="root", create_owner="root", create_group=None),
    ]


def test_null_role_variables_mean_the_defaults():
    files = plan_client_files({"libvirt_client_users": None, "libvirt_client_system": None,
                               "libvirt_client_extra_settings": None, "libvirt_client_remove_keys": None,
                               "libvirt_client_uri_aliases_host": None, "libvirt_client_uri_aliases_sort": None,
                               "libvirt_client_uri_aliases": {"b": B, "a": A}})["files"]
    assert files == [{"path": "/etc/libvirt/libvirt.conf", "settings": {"uri_aliases": ["a=" + A, "b=" + B]},
                      "mode": None, "user": None, "owner": None, "group": None, "create_owner": None,
                      "create_group": None}]


def test_managed_mode_is_accepted():
    assert plan_client_files({"libvirt_client_mode": "managed"}) == plan_client_files({})


def test_removing_an_alias_no_layer_defined():
    assert system({"libvirt_client_uri_aliases": {"a": A},
                   "libvirt_client_uri_aliases_host": {"zz": None}})["settings"] == {"uri_aliases": ["a=" + A]}


def test_removals_and_values_for_the_same_key():
    """A key removed and set: the value wins; removals come first, in the order given."""
    planned = system({"libvirt_client_remove_keys": ["remote_mode", "keepalive_count"],
                      "libvirt_client_remote_mode": "direct",
                      "libvirt_client_extra_settings": {"keepalive_count": 3}})
    assert list(planned["settings"].items()) == [("remote_mode", "direct"), ("keepalive_count", 3)]


def test_extra_settings_reach_every_file_a_users_own_win():
    files = plan_client_files({"libvirt_client_root": "/srvX/",
                               "libvirt_client_extra_settings": {"keepalive_interval": 5, "keepalive_count": 3},
                               "libvirt_client_users": [{"name": "alice", "settings": {"keepalive_count": 9}}]},
                              PASSWD)["files"]
    assert [(f["path"], f["settings"]) for f in files] == [
        ("/srvX/etc/libvirt/libvirt.conf", {"keepalive_interval": 5, "keepalive_count": 3}),
        ("/srvX/home/alice/.config/libvirt/libvirt.conf", {"keepalive_interval": 5, "keepalive_count": 9})]


def test_the_bare_layer_prefix_is_no_layer():
    planned = plan_client_files({"libvirt_client_uri_aliases__": {"a": "nodriver"}})
    assert planned["files"][0]["settings"] == {}
    assert planned["unknown_variables"] == ["libvirt_client_uri_aliases__"]


def test_a_user_gets_the_fleet_default_and_sorted_aliases():
    files = plan_client_files({"libvirt_client_uri_aliases": {"b": B}, "libvirt_client_uri_default": "b",
                               "libvirt_client_users": [{"name": "alice", "uri_aliases": {"a": A}}]}, PASSWD)["files"]
    assert files[1]["settings"] == {"uri_aliases": ["a=" + A, "b=" + B], "uri_default": "b"}


def test_without_the_system_file_a_users_extra_setting_names_its_variable():
    with pytest.raises(SpecError) as info:
        plan_client_files({"libvirt_client_system": False, "libvirt_client_extra_settings": {"remote_mode": "fast"},
                           "libvirt_client_users": [{"name": "alice"}]}, PASSWD)
    assert str(info.value) == \
        "libvirt_client_extra_settings.remote_mode: 'fast' is not accepted; one of: auto, legacy, direct"
