# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a tool of the second oracle generation (QEMU 10.0, libvirt 11.3) from the Debian trixie root.

``run(generation, argv)`` runs ``argv`` on the host for the host generation ("7.2" QEMU / "9.0"
libvirt) and inside the trixie root (a private mount namespace with /proc, /dev and /tmp bound
in) for "10.0" / "11.3". /tmp is shared, so files and sockets under /tmp are seen by both.
A missing root or tool fails under CI and skips elsewhere (requires.unavailable).
"""

from __future__ import annotations

import os
import subprocess

from ansible_collections.virt_uri.toolkit.tests.support.requires import find_tool, unavailable
from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import trixie_root_path

TRIXIE_ROOT = trixie_root_path()  # $VIRT_URI_TRIXIE_ROOT or the root hack/trixie-root builds
HOST = ("7.2", "9.0")
TRIXIE = ("10.0", "11.3")


def run(generation, argv, timeout=60, env=None):
    """subprocess.run of argv for that generation, text output captured, never raising on exit."""
    if generation in HOST:
        if find_tool(argv[0]) is None:
            unavailable("%s is required on the host (bindep.txt)" % argv[0])
        full = list(argv)
    elif generation in TRIXIE:
        if not os.path.exists(os.path.join(TRIXIE_ROOT, "usr/bin", argv[0])):
            unavailable("%s of the trixie root is required at %s (DEVELOPERS.md)" % (argv[0], TRIXIE_ROOT))
        full = ["unshare", "-m", "sh", "-c",
                'R="$1"; shift; mount -t proc proc "$R/proc" && mount --rbind /dev "$R/dev" && '
                'mount --bind /tmp "$R/tmp" && exec chroot "$R" "$@"', "sh", TRIXIE_ROOT] + list(argv)
    else:
        raise ValueError("unknown generation %r" % generation)
    return subprocess.run(full, capture_output=True, text=True, timeout=timeout, check=False,
                          env=dict(os.environ, **(env or {})))
