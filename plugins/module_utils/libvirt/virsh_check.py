# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ask libvirt itself whether it can read a candidate libvirt.conf, before it is written.

``virsh -c test:///default uri`` loads the client configuration (virConnectOpenInternal in
src/libvirt.c reads libvirt.conf before anything else and fails on a syntax error or a key of
the wrong type), applies uri_aliases (":" cannot be an alias name, so every entry before the
end of the list is checked: virURIFindAliasMatch in src/util/viruri.c fails on a malformed one)
and connects to the daemon-less test driver - no alias target is ever connected to.
libvirt reads ``$XDG_CONFIG_HOME/libvirt/libvirt.conf`` only for a non-root user
(virConfLoadConfigPath in src/util/virconf.c), so the check runs unprivileged: in a user
namespace (``unshare --user``) mapped to a non-root id, else through ``setpriv`` as nobody.
"""

from __future__ import annotations

import os
import shutil
import tempfile

__all__ = ["VirshCheck", "unprivileged_prefix"]

VALIDATION_URI = "test:///default"
UNPRIVILEGED_ID = "1000"


def unprivileged_prefix(which, run, euid=None):
    """(argv prefix that runs a command as a non-root user, None) or (None, why not).
    ``which(name)`` finds a program, ``run(argv)`` returns (rc, stdout, stderr)."""
    if (os.geteuid() if euid is None else euid) != 0:
        return [], None
    unshare = which("unshare")
    if unshare:
        argv = [unshare, "--user", "--map-user=" + UNPRIVILEGED_ID,
                "--map-group=" + UNPRIVILEGED_ID]
        if run(argv + ["true"])[0] == 0:
            return argv, None
    setpriv = which("setpriv")
    if setpriv:
        argv = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        rc, _out, err = run(argv + ["true"])
        if rc == 0:
            return argv, None
        return None, "setpriv failed: %s" % err.strip()
    return None, "neither 'unshare --user' nor 'setpriv' can run a command unprivileged here"


class VirshCheck:
    """Check candidate texts with this host's virsh; the unprivileged runner is found once."""

    def __init__(self, which, run):
        self.which = which
        self.run = run
        self.virsh = which("virsh")
        self._prefix = None
        self._why = None

    def available(self):
        """(True, None) or (False, why virsh cannot check anything here)."""
        if not self.virsh:
            return False, "virsh is not installed"
        if self._prefix is None and self._why is None:
            self._prefix, self._why = unprivileged_prefix(self.which, self.run)
        return self._prefix is not None, self._why

    def check(self, text, path):
        """None when libvirt reads ``text`` as a client config, else libvirt's message (with
        the candidate's temporary path replaced by ``path``)."""
        tmp = tempfile.mkdtemp(prefix="libvirt_conf.")
        try:
            os.chmod(tmp, 0o755)  # setpriv's nobody must be able to enter it
            conf_dir = os.path.join(tmp, "libvirt")
            os.mkdir(conf_dir)
            os.chmod(conf_dir, 0o755)
            candidate = os.path.join(conf_dir, "libvirt.conf")
            with open(candidate, "wb") as handle:
                handle.write(text.encode("utf-8", "surrogateescape"))
            os.chmod(candidate, 0o644)
            env = {"HOME": tmp, "XDG_CONFIG_HOME": tmp, "XDG_CACHE_HOME": tmp,
                   "XDG_RUNTIME_DIR": tmp, "LC_ALL": "C",
                   "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
            # env -i: only the variables above reach virsh (no LIBVIRT_DEFAULT_URI and the like).
            argv = self._prefix + ["env", "-i"] + ["%s=%s" % kv for kv in sorted(env.items())] \
                + [self.virsh, "-q", "-c", VALIDATION_URI, "uri"]
            rc, _out, err = self.run(argv)
            if rc == 0:
                return None
            message = "\n".join(line[len("error: "):] if line.startswith("error: ") else line
                                for line in err.strip().splitlines()
                                if line.strip() and "failed to connect to the hypervisor" not in line)
            return message.replace(candidate, path) or "virsh exited with %d" % rc
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
