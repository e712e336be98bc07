# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a test needs from the machine: fail under CI=true (nothing may skip there), else skip.

``requires(tool="virsh")`` returns the tool's path, ``requires(tool=("tgtd", "tgtadm"))`` a tuple
of paths, ``requires(root="mount namespaces")`` checks the test runs as root (the value says why);
both can be given at once. ``unavailable(message)`` is the one place that decides fail or skip.
"""

from __future__ import annotations

import os
import shutil

import pytest

# Daemons (sshd, tgtd, libvirtd, glusterd) live in sbin, which a non-root PATH often lacks.
SEARCH_DIRS = ("/usr/sbin", "/sbin", "/usr/bin", "/bin")


def under_ci():
    return os.environ.get("CI") == "true"


def unavailable(message):
    """Stop the test: ``pytest.fail`` under CI=true, ``pytest.skip`` elsewhere."""
    if under_ci():
        pytest.fail(message)
    pytest.skip(message)


def find_tool(name):
    """Path of ``name`` on PATH or in the sbin directories, or None."""
    found = shutil.which(name)
    if found:
        return found
    for directory in SEARCH_DIRS:
        candidate = os.path.join(directory, name)
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def requires(tool=None, root=None):
    """Path(s) of ``tool`` (a name or a sequence of names); ``root``: why the test needs euid 0."""
    if root and os.geteuid() != 0:
        unavailable("%s needs root" % root)
    if tool is None:
        return None
    names = (tool,) if isinstance(tool, str) else tuple(tool)
    paths = []
    for name in names:
        path = find_tool(name)
        if path is None:
            unavailable("%s is required by this test (see bindep.txt)" % name)
        paths.append(path)
    return paths[0] if isinstance(tool, str) else tuple(paths)
