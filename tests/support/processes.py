# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stop the servers and tools the tests started - by their own pid, never by name; run a call
in a forked child (``in_forked_child``)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time


def stop_pid(pid, proc=None, grace=5.0, first=signal.SIGTERM):
    """Stop the process ``pid`` that we started: ``first`` (SIGTERM), SIGINT, SIGKILL, each
    given ``grace`` seconds (SIGINT at most 3); reap it when ``proc`` (its Popen) is given."""

    def alive():
        if proc is not None:
            return proc.poll() is None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    for sig, wait in ((first, grace), (signal.SIGINT, min(grace, 3.0)), (signal.SIGKILL, 5.0)):
        if not alive():
            break
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while alive() and time.monotonic() < deadline:
            time.sleep(0.05)
    if proc is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=1)


def stop(proc, first=signal.SIGTERM, grace=5.0):
    """stop_pid for a Popen we started."""
    stop_pid(proc.pid, proc, first=first, grace=grace)


def in_forked_child(call):
    """``(exit status, repr(call()))`` with ``call`` run in a forked child, for code that forks or
    changes uid itself: a fault in it (a child that returns instead of exiting, an ``os._exit``
    in the wrong process) must not take the test process along."""
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        code = 3
        try:
            os.close(rfd)
            os.write(wfd, repr(call()).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(wfd)
    with os.fdopen(rfd, "rb") as reader:
        out = reader.read()
    _pid, status = os.waitpid(pid, 0)
    return status, out.decode()
