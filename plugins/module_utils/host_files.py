# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write several files of one host all or nothing, for the collection's modules.

A module plans every file's new text (and checks it) first; ``write_host_files`` then

1. resolves every owner and group named (an unknown user fails before anything is touched);
2. in check mode, only reports (content change, attribute change, a diff per file);
3. otherwise stages every changed file as a temporary file in its own directory (creating
   missing directories when asked), with the old file's mode, owner and context copied onto it
   and the requested ones applied - so that every error that can be foreseen (an unwritable or
   missing directory, a bad mode, a failed chown) happens while nothing is written yet;
4. makes the backups, applies attribute-only changes, then renames every staged file over its
   target (``rename(2)`` in the same directory: readers see the old or the new file, never a
   mix).  If a rename still fails, the files already renamed get their old text back.

An existing file keeps its mode, owner and group unless the caller sets them; a new file gets
``new_file_mode`` (0644, like libvirt's own installed libvirt.conf).  Errors name the target
file and its directory, never a temporary name.

The ``module`` argument is an ``AnsibleModule`` (used for its file-attribute, backup and
SELinux helpers); nothing here imports Ansible, so the planning code that calls it stays plain.
"""

from __future__ import annotations

import errno
import grp
import os
import pwd
import stat
import tempfile

__all__ = ["HostFileError", "PlannedFile", "read_existing", "write_host_files"]


class HostFileError(Exception):
    """A file could not be read or written: the message names the file (and directory)."""

    def __init__(self, path, message):
        Exception.__init__(self, message)
        self.path = path


class PlannedFile:
    """One file to write: its path, its new text, the text it has now (None when missing).

    ``mode``/``owner``/``group`` None keep an existing file's own; ``dir_*`` apply to the
    directories ``write_host_files(create_dirs=True)`` creates for it; ``new_owner``/
    ``new_group`` to a file that is created (a user's own config made by root).
    """

    __slots__ = ("path", "text", "before", "mode", "owner", "group", "dir_mode", "dir_owner",
                 "dir_group", "new_file_mode", "new_owner", "new_group")

    def __init__(self, path, text, before=None, mode=None, owner=None, group=None,
                 dir_mode="0755", dir_owner=None, dir_group=None, new_file_mode=0o644,
                 new_owner=None, new_group=None):
        self.path = path
        self.text = text
        self.before = before
        self.mode = mode
        self.owner = owner
        self.group = group
        self.dir_mode = dir_mode
        self.dir_owner = dir_owner
        self.dir_group = dir_group
        self.new_file_mode = new_file_mode
        self.new_owner = new_owner  # owner/group of the file if it is created (None: ours)
        self.new_group = new_group

    @property
    def content_changed(self):
        return self.before is None or self.before != self.text


def _reason(exc):
    return exc.strerror or str(exc)


def read_existing(path):
    """The text of ``path`` (surrogateescape-decoded UTF-8), or None when it does not exist."""
    if os.path.isdir(path):
        raise HostFileError(path, "%s is a directory, expected a file" % path)
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8", "surrogateescape")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise HostFileError(path, "%s cannot be read (%s), so it is left untouched"
                            % (path, _reason(exc))) from exc


def _check_account(path, kind, name):
    if name is None:
        return
    try:
        int(name)
        return
    except (TypeError, ValueError):
        pass
    try:
        (pwd.getpwnam if kind == "owner" else grp.getgrnam)(name)
    except KeyError:
        raise HostFileError(path, "%s: %s %r does not exist on this host, so no file was written"
                            % (path, kind, name)) from None


def _file_args(module, path, planned, secontext=None):
    return dict(path=path, mode=planned.mode, owner=planned.owner, group=planned.group,
                secontext=secontext or module.selinux_initial_context(), attributes=None,
                seuser=None, serole=None, setype=None, selevel=None)


def _missing_dirs(directory):
    missing = []
    current = os.path.abspath(directory)
    while not os.path.isdir(current):
        missing.append(current)
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return list(reversed(missing))


class _Transaction:
    """What has been done so far, so that a failure can undo it."""

    def __init__(self, module):
        self.module = module
        self.created_dirs = []
        self.staged = {}      # path -> temporary file
        self.backups = []
        self.renamed = []     # PlannedFile already in place
        self.committed = False

    def make_dirs(self, planned):
        for new_dir in _missing_dirs(os.path.dirname(planned.path) or "."):
            try:
                os.mkdir(new_dir, 0o700)  # attributes below; nobody else can use it meanwhile
            except FileExistsError:
                if os.path.isdir(new_dir):
                    continue  # created concurrently: not ours, leave it as it is
                raise HostFileError(planned.path, "%s: %s exists and is not a directory"
                                    % (planned.path, new_dir)) from None
            except OSError as exc:
                raise HostFileError(planned.path, "could not create the directory %s for %s: %s"
                                    % (new_dir, planned.path, _reason(exc))) from exc
            self.created_dirs.append(new_dir)
            self.module.set_owner_if_different(new_dir, planned.dir_owner, False)
            self.module.set_group_if_different(new_dir, planned.dir_group, False)
            self.module.set_mode_if_different(new_dir, planned.dir_mode, False)

    def stage(self, planned):
        directory = os.path.dirname(planned.path) or "."
        try:
            fd, tmp = tempfile.mkstemp(prefix=".%s." % os.path.basename(planned.path),
                                       dir=directory)
        except OSError as exc:
            raise HostFileError(planned.path, "cannot write %s: the directory %s %s (%s)" % (
                planned.path, directory,
                "does not exist" if exc.errno == errno.ENOENT else "is not writable",
                _reason(exc))) from exc
        self.staged[planned.path] = tmp
        module = self.module
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(planned.text.encode("utf-8", "surrogateescape"))
                handle.flush()
                os.fsync(handle.fileno())
            context = None
            if planned.before is not None and os.path.exists(planned.path):
                _copy_owner_and_mode(planned.path, tmp)
                if module.selinux_enabled():
                    context = module.selinux_context(planned.path)
            else:
                os.chmod(tmp, planned.new_file_mode)
                module.set_owner_if_different(tmp, planned.new_owner, False)
                module.set_group_if_different(tmp, planned.new_group, False)
                if module.selinux_enabled():
                    context = module.selinux_default_context(planned.path)
        except OSError as exc:
            raise HostFileError(planned.path, "cannot write %s in %s: %s"
                                % (planned.path, directory, _reason(exc))) from exc
        if context is not None:
            module.set_context_if_different(tmp, context, False)
        module.set_fs_attributes_if_different(_file_args(module, tmp, planned), False)

    def backup(self, planned):
        try:
            self.backups.append(self.module.backup_local(planned.path))
        except Exception as exc:  # backup_local raises a bare Exception  # pylint: disable=broad-except
            raise HostFileError(planned.path, "could not back up %s: %s"
                                % (planned.path, exc.__cause__ or exc)) from exc
        return self.backups[-1]

    def rename(self, planned):
        try:
            os.rename(self.staged[planned.path], planned.path)
        except OSError as exc:
            raise HostFileError(planned.path, "cannot replace %s: %s"
                                % (planned.path, _reason(exc))) from exc
        del self.staged[planned.path]
        self.renamed.append(planned)

    def undo(self):
        for tmp in self.staged.values():
            _unlink_quietly(tmp)
        for planned in reversed(self.renamed):
            _restore(planned)
        for path in self.backups:
            _unlink_quietly(path)
        for new_dir in reversed(self.created_dirs):
            try:
                os.rmdir(new_dir)
            except OSError:
                pass


def _copy_owner_and_mode(src, dst):
    st = os.stat(src)
    os.chmod(dst, stat.S_IMODE(st.st_mode))
    try:
        os.chown(dst, st.st_uid, st.st_gid)
    except OSError as exc:
        if exc.errno != errno.EPERM:  # not root: the file becomes ours, as with any editor
            raise


def _restore(planned):
    """Put the old text back (best effort, only after a failed rename of another file)."""
    if planned.before is None:
        _unlink_quietly(planned.path)
        return
    directory = os.path.dirname(planned.path) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=".%s." % os.path.basename(planned.path), dir=directory)
        with os.fdopen(fd, "wb") as handle:
            handle.write(planned.before.encode("utf-8", "surrogateescape"))
        _copy_owner_and_mode(planned.path, tmp)
        os.rename(tmp, planned.path)
    except OSError:
        pass


def _unlink_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def write_host_files(module, files, backup=False, create_dirs=False):
    """Write ``files`` (PlannedFile) all or nothing; returns one result dict per file.

    Each result: ``path``, ``changed``, ``content_changed``, ``diff`` (before/after text with
    headers) and, when the file's attributes change, ``attr_diff``; ``backup_file`` when a
    backup was made.  Raises HostFileError (nothing written) or lets ``module.fail_json`` exit
    (from Ansible's attribute helpers; staged files are removed first).
    """
    for planned in files:
        _check_account(planned.path, "owner", planned.owner)
        _check_account(planned.path, "group", planned.group)
        _check_account(planned.path, "owner", planned.dir_owner)
        _check_account(planned.path, "group", planned.dir_group)
        _check_account(planned.path, "owner", planned.new_owner)
        _check_account(planned.path, "group", planned.new_group)
        directory = os.path.dirname(planned.path) or "."
        if not create_dirs and not module.check_mode and not os.path.isdir(directory):
            # In check mode a missing directory is a missing file: an earlier task may make it.
            raise HostFileError(planned.path, "%s: directory %s does not exist"
                                % (planned.path, directory))

    results = []
    for planned in files:
        attr_diff = {}
        attrs_changed = planned.before is not None and _attributes_differ(module, planned,
                                                                          attr_diff)
        result = dict(path=planned.path, content_changed=planned.content_changed,
                      changed=planned.content_changed or attrs_changed,
                      diff=dict(before_header=planned.path, after_header=planned.path,
                                before=planned.before or "", after=planned.text))
        if attr_diff.get("before"):
            result["attr_diff"] = attr_diff
        results.append(result)
    if module.check_mode:
        return results

    work = _Transaction(module)
    try:
        for planned in files:
            if planned.content_changed:
                if create_dirs:
                    work.make_dirs(planned)
                work.stage(planned)
        for planned, result in zip(files, results):
            if planned.content_changed and backup and planned.before is not None:
                result["backup_file"] = work.backup(planned)
        for planned, result in zip(files, results):
            if not planned.content_changed and result["changed"]:
                module.set_fs_attributes_if_different(
                    _file_args(module, planned.path, planned), False)
        for planned in files:
            if planned.content_changed:
                work.rename(planned)
        work.committed = True
    finally:
        if not work.committed:
            work.undo()
    return results


def _attributes_differ(module, planned, diff):
    """Whether mode/owner/group of the existing file differ from the requested ones, filling
    ``diff``.  Ansible's helpers only compare in check mode, and they are the ones that read
    symbolic modes (u=rw,g=r), so they run in check mode for the comparison."""
    saved = module.check_mode
    module.check_mode = True
    try:
        return module.set_fs_attributes_if_different(
            _file_args(module, planned.path, planned), False, diff=diff)
    finally:
        module.check_mode = saved
