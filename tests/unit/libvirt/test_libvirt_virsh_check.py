# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""libvirt_conf's check of a candidate libvirt.conf by libvirt itself (virsh_check), in process.

How the unprivileged runner is chosen and what virsh is given is checked with a recording
runner; what libvirt answers is the host's real virsh (libvirt 9.0): ``virsh -c test:///default
uri`` reads the client config (src/libvirt.c: virConnectOpenInternal) and applies uri_aliases
(src/util/viruri.c: virURIFindAliasMatch) without connecting anywhere but the test driver.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.virsh_check import (
    VirshCheck,
    unprivileged_prefix,
)
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires, unavailable

UNSHARE = ["/bin/unshare", "--user", "--map-user=1000", "--map-group=1000"]
SETPRIV = ["/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def which_of(*names):
    return lambda name: "/bin/" + name if name in names else None


class Runner:
    """``run(argv)``: records argv and answers from ``answers`` (argv[0] -> (rc, out, err))."""

    def __init__(self, answers=None, default=(0, "", "")):
        self.answers = answers or {}
        self.default = default
        self.calls = []

    def __call__(self, argv):
        self.calls.append(list(argv))
        return self.answers.get(argv[0], self.default)


# -- the unprivileged runner ---------------------------------------------------------------

def test_a_non_root_user_needs_no_prefix():
    run = Runner()
    assert unprivileged_prefix(which_of("unshare", "setpriv"), run, euid=1000) == ([], None)
    assert run.calls == []


def test_the_current_user_is_asked_for(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert unprivileged_prefix(which_of("unshare"), Runner()) == ([], None)
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert unprivileged_prefix(which_of("unshare"), Runner()) == (UNSHARE, None)


def test_root_uses_a_user_namespace_when_it_works():
    run = Runner()
    assert unprivileged_prefix(which_of("unshare", "setpriv"), run, euid=0) == (UNSHARE, None)
    assert run.calls == [UNSHARE + ["true"]]


def test_root_falls_back_to_setpriv():
    run = Runner({"/bin/unshare": (1, "", "unshare: unshare failed: Operation not permitted")})
    assert unprivileged_prefix(which_of("unshare", "setpriv"), run, euid=0) == (SETPRIV, None)
    assert run.calls == [UNSHARE + ["true"], SETPRIV + ["true"]]
    run = Runner()
    assert unprivileged_prefix(which_of("setpriv"), run, euid=0) == (SETPRIV, None)
    assert run.calls == [SETPRIV + ["true"]]


def test_setpriv_failing_says_why():
    run = Runner({"/bin/setpriv": (1, "", "  setpriv: setresuid failed: Operation not permitted\n")})
    assert unprivileged_prefix(which_of("setpriv"), run, euid=0) == (
        None, "setpriv failed: setpriv: setresuid failed: Operation not permitted")


def test_neither_tool():
    assert unprivileged_prefix(which_of(), Runner(), euid=0) == (
        None, "neither 'unshare --user' nor 'setpriv' can run a command unprivileged here")


# -- availability --------------------------------------------------------------------------

def test_without_virsh_nothing_is_run():
    run = Runner()
    checker = VirshCheck(which_of("unshare"), run)
    assert checker.virsh is None
    assert checker.available() == (False, "virsh is not installed")
    assert run.calls == []


def test_the_runner_is_found_once(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    run = Runner()
    checker = VirshCheck(which_of("virsh", "unshare"), run)
    assert checker.virsh == "/bin/virsh"
    assert checker.available() == (True, None)
    assert checker.available() == (True, None)
    assert run.calls == [UNSHARE + ["true"]]


def test_no_runner_is_remembered_too(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    run = Runner({"/bin/setpriv": (1, "", "no\n")})
    checker = VirshCheck(which_of("virsh", "setpriv"), run)
    assert checker.available() == (False, "setpriv failed: no")
    assert checker.available() == (False, "setpriv failed: no")
    assert len(run.calls) == 1


# -- what virsh is given, and its answer ---------------------------------------------------

def checker_with(run, prefix=None):
    checker = VirshCheck(which_of("virsh"), run)
    checker._prefix = list(prefix or [])
    return checker


class CandidateRunner(Runner):
    """Also looks at the candidate file while virsh would run."""

    def __call__(self, argv):
        env = dict(a.split("=", 1) for a in argv[argv.index("-i") + 1:argv.index("/bin/virsh")])
        tmp = env["HOME"]
        candidate = os.path.join(tmp, "libvirt", "libvirt.conf")
        with open(candidate, "rb") as handle:
            self.text = handle.read()
        self.tmp, self.candidate = tmp, candidate
        self.modes = [stat.S_IMODE(os.stat(p).st_mode) for p in (tmp, os.path.dirname(candidate), candidate)]
        return super().__call__(argv)


def test_the_candidate_and_environment_virsh_gets(monkeypatch):
    monkeypatch.setenv("PATH", "/p:/q")
    monkeypatch.setenv("LIBVIRT_DEFAULT_URI", "qemu:///system")
    run = CandidateRunner()
    assert checker_with(run, ["/bin/unshare", "--user"]).check('uri_default = "caf\udce9"\n', "/x") is None
    tmp = run.tmp
    assert os.path.dirname(tmp) == tempfile.gettempdir()
    assert os.path.basename(tmp).startswith("libvirt_conf.")
    assert run.calls == [["/bin/unshare", "--user", "env", "-i", "HOME=" + tmp, "LC_ALL=C", "PATH=/p:/q",
                          "XDG_CACHE_HOME=" + tmp, "XDG_CONFIG_HOME=" + tmp, "XDG_RUNTIME_DIR=" + tmp,
                          "/bin/virsh", "-q", "-c", "test:///default", "uri"]]
    assert run.text == b'uri_default = "caf\xe9"\n'
    assert run.modes == [0o755, 0o755, 0o644]
    assert not os.path.exists(tmp)


def test_a_default_path_without_path(monkeypatch):
    monkeypatch.delenv("PATH")
    run = CandidateRunner()
    assert checker_with(run).check("", "/x") is None
    assert "PATH=/usr/bin:/bin" in run.calls[0]
    assert run.calls[0][:2] == ["env", "-i"]


@pytest.mark.parametrize("rc,err,message", [
    (1, "error: failed to connect to the hypervisor\nerror: configuration file syntax error: "
        "CANDIDATE:1: expecting a value\n", "configuration file syntax error: /x:1: expecting a value"),
    (1, "\n  \nerror: first CANDIDATE\n\n   \nsecond line\nerror: failed to connect to the hypervisor\n",
     "first /x\nsecond line"),
    (1, "  warning: error: kept\n", "warning: error: kept"),
    (3, "error: failed to connect to the hypervisor\n", "virsh exited with 3"),
    (1, "", "virsh exited with 1"),
], ids=["syntax", "lines", "no-error-prefix", "only-connect", "nothing"])
def test_virshs_message_with_the_real_path(rc, err, message):
    class Answer(CandidateRunner):
        def __call__(self, argv):
            super().__call__(argv)
            return rc, "", err.replace("CANDIDATE", self.candidate)
    run = Answer()
    assert checker_with(run).check("x = \n", "/x") == message
    assert not os.path.exists(run.tmp)


def test_a_directory_already_gone_does_not_fail_the_check():
    class Cleaner(CandidateRunner):
        def __call__(self, argv):
            answer = super().__call__(argv)
            shutil.rmtree(self.tmp)
            return answer
    assert checker_with(Cleaner()).check("", "/x") is None


def test_the_temporary_directory_goes_when_the_runner_fails():
    seen = []

    def run(argv):
        seen.append(argv[argv.index("-i") + 1].split("=", 1)[1])
        raise OSError("cannot run")
    with pytest.raises(OSError):
        checker_with(run).check("", "/x")
    assert not os.path.exists(seen[0])


# -- the real virsh ------------------------------------------------------------------------

def real_run(argv):
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="module")
def real_checker():
    requires(tool=("virsh", "unshare"))
    checker = VirshCheck(shutil.which, real_run)
    usable, why = checker.available()
    if not usable:
        unavailable("virsh cannot run unprivileged here: %s" % why)
    return checker


PATH = "/etc/libvirt/libvirt.conf"


@pytest.mark.parametrize("text", [
    'uri_default = "test:///default"\n', "", 'uri_aliases = [ "t=test:///default" ]\n',
    # with -c given libvirt never reads uri_default, and remote_mode only when it connects remotely
    "uri_default = 1\n", 'remote_mode = "bogus"\n',
], ids=["uri_default", "empty", "alias", "uri_default-int", "remote_mode-bogus"])
def test_libvirt_reads(real_checker, text):
    assert real_checker.check(text, PATH) is None


@pytest.mark.parametrize("text,message", [
    ('uri_aliases = [ "noeq" ]\n', "configuration file syntax error: Malformed 'uri_aliases' config "
                                   "entry 'noeq', expected 'alias=uri://host/path'"),
    ('uri_aliases = [ "t=test:///default", "a.b=x" ]\n', "configuration file syntax error: Malformed "
     "'uri_aliases' config entry 'a.b=x', aliases may only contain 'a-Z, 0-9, _, -'"),
    ('uri_aliases = "x"\n', "internal error: %s: expected a string list for 'uri_aliases' parameter"
     % PATH),
    ("x = \n", "configuration file syntax error: %s:1: expecting a value" % PATH),
], ids=["no-equals", "bad-name-after-a-good-one", "not-a-list", "syntax"])
def test_libvirt_refuses(real_checker, text, message):
    assert real_checker.check(text, PATH) == message
