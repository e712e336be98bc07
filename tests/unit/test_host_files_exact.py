# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""write_host_files and read_existing, exactly: each error's whole message and the path it names,
the result of each file whole, the owner, group and mode given to the files and directories it
creates (as root, on this host's accounts), bytes that are not UTF-8 kept as they were."""

from __future__ import annotations

import errno
import grp
import os
import pwd
import stat
import tempfile

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.host_files import (
    HostFileError,
    PlannedFile,
    read_existing,
    write_host_files,
)
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires
from ansible_collections.virt_uri.toolkit.tests.unit.test_host_files import entries, make_module, mode_of


def user_without_group():
    groups = {g.gr_name for g in grp.getgrall()}
    return next(p for p in pwd.getpwall() if p.pw_name not in groups and p.pw_uid != 0)


def group_without_user():
    users = {p.pw_name for p in pwd.getpwall()}
    return next(g for g in grp.getgrall() if g.gr_name not in users and g.gr_gid != 0)


def refused(call):
    with pytest.raises(HostFileError) as err:
        call()
    return str(err.value), err.value.path


def test_read_existing_keeps_bytes_that_are_not_utf8(tree):
    path = tree / "etc" / "latin.conf"
    path.write_bytes(b"a = \"\xe9\"\n")
    assert read_existing(str(path)) == "a = \"\udce9\"\n"


def test_read_existing_refusals_whole(tree):
    assert refused(lambda: read_existing(str(tree / "etc"))) == (
        "%s is a directory, expected a file" % (tree / "etc"), str(tree / "etc"))
    long_name = str(tree / ("x" * 300))
    assert refused(lambda: read_existing(long_name)) == (
        "%s cannot be read (File name too long), so it is left untouched" % long_name, long_name)


def test_results_whole_and_not_utf8_text_written_back(tree):
    old = tree / "etc" / "old.conf"
    new = tree / "etc" / "new.conf"
    same = tree / "etc" / "same.conf"
    same.write_text("s = 1\n")
    results = write_host_files(make_module(), [
        PlannedFile(str(old), "a = \"\udce9\"\n", before="a = 1\n"),
        PlannedFile(str(new), "n = 1\n"),
        PlannedFile(str(same), "s = 1\n", before="s = 1\n"),
    ])
    assert results == [
        {"path": str(old), "content_changed": True, "changed": True,
         "diff": {"before_header": str(old), "after_header": str(old), "before": "a = 1\n",
                  "after": "a = \"\udce9\"\n"}},
        {"path": str(new), "content_changed": True, "changed": True,
         "diff": {"before_header": str(new), "after_header": str(new), "before": "", "after": "n = 1\n"}},
        {"path": str(same), "content_changed": False, "changed": False,
         "diff": {"before_header": str(same), "after_header": str(same), "before": "s = 1\n",
                  "after": "s = 1\n"}},
    ]
    assert old.read_bytes() == b"a = \"\xe9\"\n" and mode_of(old) == 0o640
    assert new.read_text() == "n = 1\n" and mode_of(new) == 0o644


@pytest.mark.parametrize("field, kind", [
    ("owner", "owner"), ("group", "group"), ("dir_owner", "owner"), ("dir_group", "group"),
    ("new_owner", "owner"), ("new_group", "group"),
])
def test_an_unknown_account_is_named_with_its_kind(tree, field, kind):
    path = str(tree / "etc" / "u.conf")
    planned = PlannedFile(path, "u = 1\n", **{field: "no-such-account-h2"})
    assert refused(lambda: write_host_files(make_module(), [planned])) == (
        "%s: %s 'no-such-account-h2' does not exist on this host, so no file was written" % (path, kind), path)
    assert not os.path.exists(path)


def test_users_are_looked_up_as_users_and_groups_as_groups(tree):
    """A user with no group of that name is a good owner, a group with no user of that name a good
    group (each in the database of its own kind); numeric ids are not looked up."""
    requires(root="giving a file another owner")
    user, group = user_without_group(), group_without_user()
    path = tree / "etc" / "owned.conf"
    write_host_files(make_module(), [
        PlannedFile(str(path), "o = 1\n", new_owner=user.pw_name, new_group=group.gr_name)])
    assert (os.stat(path).st_uid, os.stat(path).st_gid) == (user.pw_uid, group.gr_gid)
    numeric = tree / "etc" / "numeric.conf"
    write_host_files(make_module(), [PlannedFile(str(numeric), "o = 1\n", new_owner="4242", new_group="4343")])
    assert (os.stat(numeric).st_uid, os.stat(numeric).st_gid) == (4242, 4343)


def test_owner_and_group_set_on_an_existing_file(tree):
    requires(root="giving a file another owner")
    user, group = user_without_group(), group_without_user()
    old = tree / "etc" / "old.conf"
    result = write_host_files(make_module(), [
        PlannedFile(str(old), "a = 1\n", before="a = 1\n", owner=user.pw_name, group=group.gr_name)])[0]
    assert (result["changed"], result["content_changed"]) == (True, False)
    assert (os.stat(old).st_uid, os.stat(old).st_gid) == (user.pw_uid, group.gr_gid)
    assert mode_of(old) == 0o640


def test_created_directories_get_the_directory_attributes(tree):
    requires(root="giving a directory another owner")
    user, group = user_without_group(), group_without_user()
    path = tree / "home" / "u" / "x.conf"
    write_host_files(make_module(), [
        PlannedFile(str(path), "x = 1\n", dir_mode="0710", dir_owner=user.pw_name, dir_group=group.gr_name,
                    new_owner=user.pw_name)], create_dirs=True)
    for directory in (tree / "home", tree / "home" / "u"):
        st = os.stat(directory)
        assert (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid) == (0o710, user.pw_uid, group.gr_gid)
    st = os.stat(path)
    assert (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid) == (0o644, user.pw_uid, 0)


def test_a_directory_without_a_mode_stays_private(tree):
    path = tree / "made" / "x.conf"
    write_host_files(make_module(), [PlannedFile(str(path), "x = 1\n", dir_mode=None)], create_dirs=True)
    assert mode_of(tree / "made") == 0o700


def test_missing_directory_without_create_dirs_whole(tree):
    path = str(tree / "nodir" / "x.conf")
    assert refused(lambda: write_host_files(make_module(), [PlannedFile(path, "x = 1\n")])) == (
        "%s: directory %s does not exist" % (path, tree / "nodir"), path)


def test_a_directory_that_cannot_be_made(tree, monkeypatch):
    real = os.mkdir

    def refuse(path, *args):
        if str(path) == str(tree / "made"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(path, *args)

    monkeypatch.setattr(os, "mkdir", refuse)
    path = str(tree / "made" / "x.conf")
    assert refused(lambda: write_host_files(make_module(), [PlannedFile(path, "x = 1\n")], create_dirs=True)) == (
        "could not create the directory %s for %s: Permission denied" % (tree / "made", path), path)


def test_a_directory_made_meanwhile_is_used(tree, monkeypatch):
    """Another process makes the directory between the check and mkdir: it is used, not removed."""
    real = os.mkdir

    def race(path, *args):
        real(path, 0o755)
        raise FileExistsError(errno.EEXIST, "File exists")

    monkeypatch.setattr(os, "mkdir", race)
    path = tree / "a" / "b" / "x.conf"
    write_host_files(make_module(), [PlannedFile(str(path), "x = 1\n")], create_dirs=True)
    assert path.read_text() == "x = 1\n" and mode_of(tree / "a") == 0o755


def test_a_missing_directory_found_while_staging(tree, monkeypatch):
    def gone(*args, **kwargs):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory")

    monkeypatch.setattr(tempfile, "mkstemp", gone)
    old = str(tree / "etc" / "old.conf")
    assert refused(lambda: write_host_files(make_module(), [PlannedFile(old, "a = 2\n", before="a = 1\n")])) == (
        "cannot write %s: the directory %s does not exist (No such file or directory)" % (old, tree / "etc"), old)


def test_a_failed_write_is_named_and_leaves_nothing(tree, monkeypatch):
    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    old = str(tree / "etc" / "old.conf")
    assert refused(lambda: write_host_files(make_module(), [PlannedFile(old, "a = 2\n", before="a = 1\n")])) == (
        "cannot write %s in %s: No space left on device" % (old, tree / "etc"), old)
    assert entries(tree) == ["etc", "etc/old.conf"]


def test_the_staged_file_is_named_after_the_target(tree, monkeypatch):
    made = []
    real = tempfile.mkstemp

    def record(*args, **kwargs):
        made.append((kwargs.get("prefix"), kwargs.get("dir")))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", record)
    write_host_files(make_module(), [PlannedFile(str(tree / "etc" / "old.conf"), "a = 2\n", before="a = 1\n")])
    assert made == [(".old.conf.", str(tree / "etc"))]


@pytest.mark.parametrize("code, fails", [(errno.EPERM, False), (errno.EIO, True)], ids=["eperm", "eio"])
def test_copying_the_owner(tree, monkeypatch, code, fails):
    """Not allowed to give the staged file the old owner (not root): it becomes ours; any other
    chown error stops the write."""
    def chown(*_args):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "chown", chown)
    old = str(tree / "etc" / "old.conf")

    def call():
        return write_host_files(make_module(), [PlannedFile(old, "a = 2\n", before="a = 1\n")])

    if fails:
        assert refused(call) == ("cannot write %s in %s: Input/output error" % (old, tree / "etc"), old)
        assert (tree / "etc" / "old.conf").read_text() == "a = 1\n"
    else:
        call()
        assert (tree / "etc" / "old.conf").read_text() == "a = 2\n" and mode_of(old) == 0o640


def test_a_failed_backup_is_named(tree):
    module = make_module()

    def backup_local(_path):
        raise Exception("Could not make backup of x") from OSError(errno.EROFS, "Read-only file system")

    module.backup_local = backup_local
    old = str(tree / "etc" / "old.conf")
    assert refused(lambda: write_host_files(module, [PlannedFile(old, "a = 2\n", before="a = 1\n")],
                                            backup=True)) == (
        "could not back up %s: [Errno 30] Read-only file system" % old, old)
    assert entries(tree) == ["etc", "etc/old.conf"]

    def plain(_path):
        raise Exception("no room")

    module.backup_local = plain
    assert refused(lambda: write_host_files(module, [PlannedFile(old, "a = 2\n", before="a = 1\n")],
                                            backup=True))[0] == "could not back up %s: no room" % old


def test_a_failed_rename_undoes_a_created_file_too(tree, monkeypatch):
    new = tree / "etc" / "new.conf"
    second = tree / "etc" / "second.conf"
    second.write_text("s = 1\n")
    real = os.rename

    def fail_second(src, dst):
        if str(dst) == str(second):
            raise OSError(errno.EBUSY, "Device or resource busy")
        return real(src, dst)

    monkeypatch.setattr(os, "rename", fail_second)
    assert refused(lambda: write_host_files(make_module(), [
        PlannedFile(str(new), "n = 1\n"), PlannedFile(str(second), "s = 2\n", before="s = 1\n")])) == (
        "cannot replace %s: Device or resource busy" % second, str(second))
    assert entries(tree) == ["etc", "etc/old.conf", "etc/second.conf"]


def test_a_failed_rename_restores_bytes_that_are_not_utf8_in_place(tree, monkeypatch):
    """The file already renamed gets its old bytes back through a file staged beside it (rename(2) in
    the same directory)."""
    first = tree / "etc" / "old.conf"
    first.write_bytes(b"a = \"\xe9\"\n")
    second = tree / "etc" / "second.conf"
    second.write_text("s = 1\n")
    real_rename, real_mkstemp = os.rename, tempfile.mkstemp
    made = []

    def fail_second(src, dst):
        if str(dst) == str(second):
            raise OSError(errno.EBUSY, "Device or resource busy")
        return real_rename(src, dst)

    def record(*args, **kwargs):
        made.append((kwargs.get("prefix"), kwargs.get("dir")))
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(os, "rename", fail_second)
    monkeypatch.setattr(tempfile, "mkstemp", record)
    with pytest.raises(HostFileError):
        write_host_files(make_module(), [PlannedFile(str(first), "a = 2\n", before="a = \"\udce9\"\n"),
                                         PlannedFile(str(second), "s = 2\n", before="s = 1\n")])
    assert first.read_bytes() == b"a = \"\xe9\"\n" and mode_of(first) == 0o640
    assert made == [(".old.conf.", str(tree / "etc")), (".second.conf.", str(tree / "etc")),
                    (".old.conf.", str(tree / "etc"))]
    assert entries(tree) == ["etc", "etc/old.conf", "etc/second.conf"]


@pytest.mark.parametrize("create_dirs", [False, True], ids=["no create_dirs", "create_dirs"])
def test_a_file_name_without_a_directory_is_written_in_the_current_one(tree, monkeypatch, create_dirs):
    monkeypatch.chdir(tree / "etc")
    results = write_host_files(make_module(), [PlannedFile("old.conf", "a = 2\n", before="a = 1\n"),
                                               PlannedFile("new.conf", "n = 1\n")], create_dirs=create_dirs)
    assert [r["changed"] for r in results] == [True, True]
    assert (tree / "etc" / "old.conf").read_text() == "a = 2\n" and (tree / "etc" / "new.conf").read_text() == "n = 1\n"
    assert entries(tree) == ["etc", "etc/new.conf", "etc/old.conf"]


def test_a_failed_rename_restores_a_bare_file_name_in_the_current_directory(tree, monkeypatch):
    monkeypatch.chdir(tree / "etc")
    (tree / "etc" / "second.conf").write_text("s = 1\n")
    real = os.rename

    def fail_second(src, dst):
        if str(dst) == "second.conf":
            raise OSError(errno.EBUSY, "Device or resource busy")
        return real(src, dst)

    monkeypatch.setattr(os, "rename", fail_second)
    assert refused(lambda: write_host_files(make_module(), [
        PlannedFile("old.conf", "a = 2\n", before="a = 1\n"), PlannedFile("second.conf", "s = 2\n", before="s = 1\n")])) \
        == ("cannot replace second.conf: Device or resource busy", "second.conf")
    assert (tree / "etc" / "old.conf").read_text() == "a = 1\n"
    assert entries(tree) == ["etc", "etc/old.conf", "etc/second.conf"]


def test_an_error_without_a_strerror_shows_its_text(tree, monkeypatch):
    def broken(_fd):
        raise OSError("the disk went away")

    monkeypatch.setattr(os, "fsync", broken)
    old = str(tree / "etc" / "old.conf")
    assert refused(lambda: write_host_files(make_module(), [PlannedFile(old, "a = 2\n", before="a = 1\n")])) == (
        "cannot write %s in %s: the disk went away" % (old, tree / "etc"), old)


def test_a_file_in_the_way_of_a_directory_is_named(tree):
    (tree / "blocker").write_text("x")
    path = str(tree / "blocker" / "sub" / "x.conf")
    assert refused(lambda: write_host_files(make_module(), [PlannedFile(path, "b = 1\n")], create_dirs=True)) == (
        "%s: %s exists and is not a directory" % (path, tree / "blocker"), path)


def test_a_file_planned_as_new_gets_the_new_file_mode(tree):
    """Planned as missing (before None) but there by now: written as a new file, not with the
    mode of the one found; planned as existing but gone by now: written as a new file too."""
    old = tree / "etc" / "old.conf"
    write_host_files(make_module(), [PlannedFile(str(old), "a = 2\n")])
    assert old.read_text() == "a = 2\n" and mode_of(old) == 0o644
    gone = tree / "etc" / "gone.conf"
    write_host_files(make_module(), [PlannedFile(str(gone), "g = 1\n", before="g = 0\n")])
    assert gone.read_text() == "g = 1\n" and mode_of(gone) == 0o644


def test_a_mode_set_on_a_new_and_a_changed_file(tree):
    old = tree / "etc" / "old.conf"
    new = tree / "etc" / "new.conf"
    results = write_host_files(make_module(), [PlannedFile(str(old), "a = 2\n", before="a = 1\n", mode="0600"),
                                               PlannedFile(str(new), "n = 1\n", mode="u=rw,g=r,o=")])
    assert (mode_of(old), mode_of(new)) == (0o600, 0o640)
    assert results[0]["attr_diff"] == {"before": {"mode": "0640"}, "after": {"mode": "0600"}}
    assert "attr_diff" not in results[1]


@pytest.mark.parametrize("selinux", [False, True], ids=["selinux off", "selinux on"])
def test_the_selinux_context_given_to_a_staged_file(tree, selinux):
    """An existing file's context is copied onto its staged replacement, a new file gets the
    policy's default for its path; with SELinux off no context is set before the attributes."""
    module = make_module()
    calls = []
    module.selinux_enabled = lambda: selinux
    module.selinux_context = lambda path: ["old", path]
    module.selinux_default_context = lambda path: ["default", path]
    module.selinux_initial_context = lambda: [None, None, None]

    def set_context(path, context, changed, diff=None):
        name = os.path.basename(path)
        staged = os.path.dirname(path) == str(tree / "etc") and name.startswith(".")
        calls.append(("staged " + name.split(".")[1] if staged else path, context, changed))
        return changed

    module.set_context_if_different = set_context
    old = str(tree / "etc" / "old.conf")
    new = str(tree / "etc" / "new.conf")
    write_host_files(module, [PlannedFile(old, "a = 2\n", before="a = 1\n"), PlannedFile(new, "n = 1\n")])
    initial = [None, None, None]
    compared = (old, initial, False)  # the existing file's attributes, compared in check mode first
    if selinux:
        assert calls == [compared, ("staged old", ["old", old], False), ("staged old", initial, False),
                         ("staged new", ["default", new], False), ("staged new", initial, False)]
    else:
        assert calls == [compared, ("staged old", initial, False), ("staged new", initial, False)]
