# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The oracle's reading of qemu-img's exit: a signal before any answer is run again (at most
CRASH_ATTEMPTS times), a refusal (an exit status with QEMU's message) is never run again."""

from __future__ import annotations

import json
import subprocess

import pytest

from ansible_collections.virt_uri.toolkit.tests.support import qemu_oracle

INFO = json.dumps({"virtual-size": 1048576, "filename": "x", "format": "raw"})


def fake_runs(monkeypatch, outcomes):
    calls = []

    def run(self, argv, env=None, timeout=None, **_kwargs):
        calls.append(argv)
        code, out, err = outcomes[min(len(calls), len(outcomes)) - 1]
        return subprocess.CompletedProcess(argv, code, out, err)

    monkeypatch.setattr(qemu_oracle.Generation, "run", run)
    return calls


def test_a_crash_before_the_answer_is_run_again(monkeypatch):
    calls = fake_runs(monkeypatch, [(-11, "", "segfault"), (0, INFO, "")])
    assert qemu_oracle.HOST.open_with_qemu("uri", "gluster://h/v/i").virtual_size == 1048576
    assert len(calls) == 2


def test_a_crash_on_every_attempt_fails(monkeypatch):
    calls = fake_runs(monkeypatch, [(-11, "", "segfault")])
    with pytest.raises(qemu_oracle.QemuError):
        qemu_oracle.HOST.open_with_qemu("uri", "gluster://h/v/i")
    assert len(calls) == qemu_oracle.CRASH_ATTEMPTS


def test_a_refusal_is_not_run_again(monkeypatch):
    calls = fake_runs(monkeypatch, [(1, "", "qemu-img: Could not open"), (0, INFO, "")])
    with pytest.raises(qemu_oracle.QemuError):
        qemu_oracle.HOST.open_with_qemu("uri", "gluster://h/v/i")
    assert len(calls) == 1


def test_a_crash_after_the_answer_is_the_answer(monkeypatch):
    calls = fake_runs(monkeypatch, [(-11, INFO, "segfault in glfs_fini")])
    assert qemu_oracle.HOST.open_with_qemu("uri", "gluster://h/v/i").virtual_size == 1048576
    assert len(calls) == 1
