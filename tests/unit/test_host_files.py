# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""write_host_files with a real AnsibleModule: all or nothing, attributes kept unless set,
check mode writes nothing, errors name the file and its directory (never a temporary name)."""

from __future__ import annotations

import json
import os
import stat

import pytest

from ansible.module_utils import basic

from ansible_collections.virt_uri.toolkit.plugins.module_utils.host_files import (
    HostFileError,
    PlannedFile,
    read_existing,
    write_host_files,
)


def make_module(check_mode=False):
    args = {"_ansible_check_mode": check_mode, "_ansible_remote_tmp": "/tmp",
            "_ansible_keep_remote_files": False}
    try:
        from ansible.module_utils.testing import patch_module_args
    except ImportError:  # pragma: no cover - older ansible-core
        basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()  # pylint: disable=protected-access
        return basic.AnsibleModule(argument_spec={}, supports_check_mode=True)
    with patch_module_args(args):
        return basic.AnsibleModule(argument_spec={}, supports_check_mode=True)


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def entries(directory):
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


def test_writes_every_file_keeping_an_existing_files_mode(tree):
    old = tree / "etc" / "old.conf"
    new = tree / "home" / "u" / ".config" / "new.conf"
    results = write_host_files(make_module(), [
        PlannedFile(str(old), "a = 2\n", before="a = 1\n"),
        PlannedFile(str(new), "b = 1\n", dir_mode="0750"),
    ], create_dirs=True)
    assert [r["changed"] for r in results] == [True, True]
    assert old.read_text() == "a = 2\n" and mode_of(old) == 0o640
    assert new.read_text() == "b = 1\n" and mode_of(new) == 0o644
    assert mode_of(tree / "home") == 0o750 and mode_of(tree / "home" / "u" / ".config") == 0o750
    assert results[0]["diff"] == {"before_header": str(old), "after_header": str(old),
                                  "before": "a = 1\n", "after": "a = 2\n"}
    assert "attr_diff" not in results[0]
    assert entries(tree) == ["etc", "etc/old.conf", "home", "home/u", "home/u/.config",
                             "home/u/.config/new.conf"]  # no temporary file left


def test_a_set_mode_applies_and_is_in_the_attribute_diff(tree):
    old = tree / "etc" / "old.conf"
    results = write_host_files(make_module(), [
        PlannedFile(str(old), "a = 1\n", before="a = 1\n", mode="0644")])
    assert results[0]["changed"] and not results[0]["content_changed"]
    assert results[0]["attr_diff"] == {"before": {"mode": "0640"}, "after": {"mode": "0644"}}
    assert mode_of(old) == 0o644
    again = write_host_files(make_module(), [
        PlannedFile(str(old), "a = 1\n", before="a = 1\n", mode="0644")])
    assert not again[0]["changed"]


def test_check_mode_reports_and_writes_nothing(tree):
    before = entries(tree)
    old = tree / "etc" / "old.conf"
    results = write_host_files(make_module(check_mode=True), [
        PlannedFile(str(old), "a = 2\n", before="a = 1\n", mode="u=rw,g=r,o=r"),
        PlannedFile(str(tree / "missing" / "new.conf"), "b = 1\n"),
    ], backup=True, create_dirs=False)
    assert [r["changed"] for r in results] == [True, True]
    assert results[0]["attr_diff"]["after"] == {"mode": "0644"}
    assert entries(tree) == before and old.read_text() == "a = 1\n" and mode_of(old) == 0o640


def test_a_file_that_cannot_be_staged_leaves_every_file_untouched(tree):
    """The second file's directory is a regular file: the first, already staged, is dropped,
    the directories made for it removed, no backup left."""
    (tree / "blocker").write_text("x")
    before = entries(tree)
    old = tree / "etc" / "old.conf"
    with pytest.raises(HostFileError) as info:
        write_host_files(make_module(), [
            PlannedFile(str(old), "a = 2\n", before="a = 1\n"),
            PlannedFile(str(tree / "made" / "new.conf"), "n = 1\n"),
            PlannedFile(str(tree / "blocker" / "sub" / "x.conf"), "b = 1\n"),
        ], backup=True, create_dirs=True)
    assert str(info.value) == "%s: %s exists and is not a directory" % (
        tree / "blocker" / "sub" / "x.conf", tree / "blocker")
    assert entries(tree) == before and old.read_text() == "a = 1\n"


def test_an_unwritable_directory_is_named_not_a_temporary_file(tree, monkeypatch):
    import tempfile

    real = tempfile.mkstemp

    def refuse(*args, **kwargs):
        if kwargs.get("dir") == str(tree / "etc"):
            raise PermissionError(13, "Permission denied", str(tree / "etc" / ".old.conf.xyz"))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    old = tree / "etc" / "old.conf"
    with pytest.raises(HostFileError) as info:
        write_host_files(make_module(), [PlannedFile(str(old), "a = 2\n", before="a = 1\n")])
    assert str(info.value) == "cannot write %s: the directory %s is not writable " \
        "(Permission denied)" % (old, tree / "etc")
    assert ".xyz" not in str(info.value)


def test_a_failed_rename_puts_the_files_already_renamed_back(tree, monkeypatch):
    first = tree / "etc" / "old.conf"
    second = tree / "etc" / "second.conf"
    second.write_text("s = 1\n")
    real = os.rename

    def fail_second(src, dst):
        if str(dst) == str(second):
            raise OSError(16, "Device or resource busy")
        return real(src, dst)

    monkeypatch.setattr(os, "rename", fail_second)
    with pytest.raises(HostFileError, match="cannot replace %s: Device or resource busy" % second):
        write_host_files(make_module(), [
            PlannedFile(str(first), "a = 2\n", before="a = 1\n"),
            PlannedFile(str(second), "s = 2\n", before="s = 1\n"),
        ], backup=True)
    monkeypatch.undo()
    assert first.read_text() == "a = 1\n" and mode_of(first) == 0o640
    assert second.read_text() == "s = 1\n"
    assert entries(tree) == ["etc", "etc/old.conf", "etc/second.conf"]


def test_an_unknown_owner_fails_before_anything_is_written(tree):
    old = tree / "etc" / "old.conf"
    with pytest.raises(HostFileError) as info:
        write_host_files(make_module(), [
            PlannedFile(str(old), "a = 2\n", before="a = 1\n"),
            PlannedFile(str(tree / "etc" / "u.conf"), "u = 1\n", owner="no-such-user-x1"),
        ])
    assert str(info.value) == "%s: owner 'no-such-user-x1' does not exist on this host, " \
        "so no file was written" % (tree / "etc" / "u.conf")
    assert old.read_text() == "a = 1\n"


def test_backup_keeps_the_old_text_and_mode(tree):
    old = tree / "etc" / "old.conf"
    result = write_host_files(make_module(), [
        PlannedFile(str(old), "a = 2\n", before="a = 1\n")], backup=True)[0]
    with open(result["backup_file"]) as handle:
        assert handle.read() == "a = 1\n"
    assert mode_of(result["backup_file"]) == 0o640


def test_missing_directory_without_create_dirs(tree):
    path = tree / "nodir" / "x.conf"
    with pytest.raises(HostFileError, match="directory %s does not exist" % (tree / "nodir")):
        write_host_files(make_module(), [PlannedFile(str(path), "x = 1\n")])


def test_read_existing(tree):
    assert read_existing(str(tree / "etc" / "old.conf")) == "a = 1\n"
    assert read_existing(str(tree / "etc" / "none.conf")) is None
    with pytest.raises(HostFileError, match="is a directory"):
        read_existing(str(tree / "etc"))
