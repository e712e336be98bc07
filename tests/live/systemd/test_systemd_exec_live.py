"""systemd_exec_arg and the drive guide's systemd units, read by the real systemd-analyze.

``systemd-analyze verify --root=DIR`` loads a unit the way the service manager does
(specifiers, quoting, C escapes) without a running systemd. The program path it reports
("Command PATH is not executable") is the first word as systemd decoded it, which shows that a
quoted argument comes back exactly.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_blockdev import qemu_blockdev
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_drive_opts import qemu_drive_opts
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_drive_uri import qemu_drive_uri
from ansible_collections.virt_uri.toolkit.plugins.filter.systemd_exec_arg import systemd_exec_arg
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "docsite" / "rst" / "guide_drives.rst"
PROGRAMS = ("/usr/bin/qemu-system-x86_64", "/usr/bin/qemu-img")


@pytest.fixture
def verify(tmp_path):
    """verify(unit_text) -> (returncode, output) of systemd-analyze verify in a scratch root."""
    tool = requires(tool="systemd-analyze")
    root = tmp_path / "root"
    (root / "etc/systemd/system").mkdir(parents=True)
    units = root / "usr/lib/systemd/system"
    units.mkdir(parents=True)
    for unit in Path("/usr/lib/systemd/system").glob("*.target"):
        shutil.copy(unit, units)  # sysinit.target & co: a service's default dependencies
    for program in PROGRAMS:
        exe = root / program.lstrip("/")
        exe.parent.mkdir(parents=True, exist_ok=True)
        exe.write_text("#!/bin/sh\n")
        exe.chmod(0o755)

    def run(text, name="vm1.service"):
        (root / "etc/systemd/system" / name).write_text(text)
        proc = subprocess.run([tool, "verify", "--root=%s" % root, name], capture_output=True,
                              text=True, timeout=60, check=False)
        return proc.returncode, proc.stdout + proc.stderr

    return run


def guide_units():
    """The ``.. code-block:: ini`` blocks of the guide that start with '# systemd-analyze verify'."""
    lines = GUIDE.read_text(encoding="utf-8").split("\n")
    units = []
    for i, line in enumerate(lines):
        if line.strip() != ".. code-block:: ini":
            continue
        body = []
        for nxt in lines[i + 1:]:
            if nxt.strip() and not nxt.startswith("   "):
                break
            body.append(nxt[3:])
        text = "\n".join(body).strip("\n")
        if text.startswith("# systemd-analyze verify"):
            units.append(text + "\n")
    return units


def test_guide_units_load(verify):
    units = guide_units()
    assert units, "no '# systemd-analyze verify' unit in %s" % GUIDE
    for text in units:
        code, out = verify(text)
        assert code == 0, "%s\n%s" % (text, out)


def test_guide_unit_is_what_the_filters_render():
    disk = {"protocol": "nbd", "server": {"host": "192.0.2.1"}, "export": "disk one"}
    blockdev = {"protocol": "nbd", "server": {"socket": "/run/nbd/vm1.sock"}, "export": "vm1"}
    exec_start = systemd_exec_arg([
        PROGRAMS[0], "-drive", qemu_drive_opts(disk) + ",if=virtio",
        "-blockdev", json.dumps(qemu_blockdev(blockdev, node_name="vm1"))])
    post = systemd_exec_arg([PROGRAMS[1], "info", qemu_drive_uri(disk)])
    (unit,) = guide_units()
    assert "ExecStart=%s\n" % exec_start in unit
    assert "ExecStartPost=%s\n" % post in unit


def test_unquoted_uri_is_refused_by_systemd(verify):
    # The failing real case behind the filter: a URI pasted as it is does not load.
    code, out = verify("[Service]\nExecStart=/usr/bin/qemu-img info nbd://192.0.2.1/disk%20one\n")
    assert code != 0 and "Failed to resolve unit specifiers" in out, out


@pytest.mark.parametrize("text", [
    "a%20b", "%n%i%%", 'say "hi"', "back\\slash", "a b  c", "x\\ny", "json {\"a\": \"b\\\"c\"}",
    "caf\u00e9", "semi;colon", "single'quote", "a,,b=c",
])
def test_first_word_comes_back_exactly(verify, text):
    path = "/nonexistent/" + text
    code, out = verify("[Service]\nExecStart=%s\n" % systemd_exec_arg([path]))
    assert code != 0
    # systemd names the decoded path in one of two messages (src/core/load-fragment.c)
    match = re.search(r"Command (.*) is not executable|Executable name contains special characters: (.*)\n", out)
    assert match, out
    assert path in match.groups(), out


def test_control_character_is_decoded(verify):
    # A tab is written as \t: systemd decodes it (and says so, naming the decoded path).
    code, out = verify("[Service]\nExecStart=%s\n" % systemd_exec_arg(["/nonexistent/a\tb"]))
    assert code != 0 and "/nonexistent/a\tb" in out, out
