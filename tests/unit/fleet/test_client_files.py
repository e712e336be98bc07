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


ERRORS = [
    ({"libvirt_client_uri_aliases_host": {"bad.name": A}},
     "libvirt_client_uri_aliases_host.bad.name: 'bad.name' is not accepted"),
    ({"libvirt_client_uri_aliases__site": {"a": "nodriver"}},
     "libvirt_client_uri_aliases__site.a"),
    ({"libvirt_client_uri_aliases": {"a": A, "b": "a"}},
     "libvirt_client_uri_aliases.b: 'a' is not accepted; libvirt says 'no connection driver"),
    ({"libvirt_client_remote_mode": "fast"},
     "libvirt_client_remote_mode: 'fast' is not accepted; one of: auto, legacy, direct"),
    ({"libvirt_client_uri_default": "nosuchalias"}, "libvirt_client_uri_default"),
    ({"libvirt_client_extra_settings": {"x": 'a"""b\n'}}, "libvirt_client_extra_settings.x"),
    ({"libvirt_client_system_file_mode": True}, "libvirt_client_system_file_mode: True is not "
     "accepted; a file mode such as '0644'"),
    ({"libvirt_client_mode": "replace"}, "libvirt_client_mode: 'replace' is not accepted"),
    ({"libvirt_client_root": "/mnt/img", "libvirt_client_users": [{"name": "ghost"}]},
     "libvirt_client_users[0] (ghost): home, config_home or path: with libvirt_client_root set"),
    ({"libvirt_client_users": [{"name": "alice", "uri_aliases": {"user alias": A}}]},
     "libvirt_client_users[0] (alice).uri_aliases.user alias"),
    ({"libvirt_client_users": [{"name": "alice", "settings": {"tls_priority": 7}}]},
     "libvirt_client_users[0] (alice).settings.tls_priority: 7 is not accepted; a string"),
    ({"libvirt_client_users": [{"name": "alice", "uri_alias": {}}]},
     "libvirt_client_users[0] (alice): only the keys"),
]


@pytest.mark.parametrize("role_vars, needle", ERRORS, ids=[e[1][:40] for e in ERRORS])
def test_errors_name_the_role_variable(role_vars, needle):
    with pytest.raises(SpecError) as info:
        plan_client_files(role_vars, PASSWD)
    assert needle in str(info.value), str(info.value)


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
    return {"alice": Entry("/home/alice/", 1001)}[name]


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


@pytest.mark.parametrize("request_, needle", [
    ({"user": "ghost", "path": None}, "user: 'ghost' is not accepted; a user in this host's passwd"),
    ({"user": None, "path": None}, "path: a file path (or user, for that user's own file)"),
])
def test_resolve_user_file_refuses(request_, needle):
    with pytest.raises(SpecError) as info:
        resolve_user_file(request_, getpwnam)
    assert needle in str(info.value), str(info.value)
