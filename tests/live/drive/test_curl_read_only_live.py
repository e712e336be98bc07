# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A writable curl node against the real QEMUs: 7.2 and 10.0 refuse `-blockdev` for an http node
with read-only off before they connect (block/curl.c: curl_open, "curl driver does not support
writes"), at the protocol node and under a format node. So render_blockdev refuses
``read_only=False`` for http/https/ftp/ftps and writes read-only true otherwise. A `-drive` with
readonly=off is not refused: -drive sets auto-read-only, and QEMU goes on to connect.
"""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_blockdev

# Port 1 on loopback: nothing listens; QEMU refuses the node before it would try.
HTTP = {"protocol": "http", "server": {"host": "127.0.0.1", "port": 1}, "path": "/a.img"}
REFUSAL = ("read_only: False is not accepted; true or unset for http: QEMU's curl driver cannot write (it says "
           "'curl driver does not support writes')")


def _qemu_blockdev(generation, node):
    argv = ["qemu-system-x86_64", "-nodefaults", "-display", "none", "-machine", "none", "-S",
            "-blockdev", ",".join("%s=%s" % item for item in node.items())]
    return generation.run(argv, timeout=60)


@pytest.mark.parametrize("node", [
    {"driver": "http", "url": "http://127.0.0.1:1/a.img", "read-only": "off", "node-name": "n0"},
    {"driver": "raw", "read-only": "off", "node-name": "f0", "file.driver": "http",
     "file.url": "http://127.0.0.1:1/a.img", "file.read-only": "off"},
], ids=["protocol-node", "under-raw"])
def test_qemu_refuses_a_writable_curl_node(generation, node):
    proc = _qemu_blockdev(generation, node)
    assert proc.returncode != 0 and "curl driver does not support writes" in proc.stderr, proc.stderr
    with pytest.raises(SpecError) as refused:
        render_blockdev(HTTP, read_only=False, fmt="raw" if node["driver"] == "raw" else None)
    assert str(refused.value) == REFUSAL


def test_qemu_takes_what_render_blockdev_writes(generation):
    """The default node (read-only true) gets past that check: QEMU fails only at the connection."""
    node = render_blockdev(HTTP, node_name="n0")
    assert node["read-only"] is True
    proc = _qemu_blockdev(generation, dict(node, **{"read-only": "on"}))
    assert proc.returncode != 0, proc.stderr
    assert "does not support writes" not in proc.stderr and "127.0.0.1 port 1" in proc.stderr, proc.stderr
