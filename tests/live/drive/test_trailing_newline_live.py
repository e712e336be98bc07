# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A trailing newline against the real tools: QEMU 7.2 and 10.0 refuse it in a node name and in an
object id, and libvirt 9.0's and 11.3's domain schema in a disk's host name, CHAP user, secret
usage and target dev, and both QEMUs refuse an ssh host key against a hash with a trailing newline.
The drive checks of those values matched with a regex ending in '$', which
Python lets match before a final newline, so each of these was accepted; they end in '\\Z' now
(tests/unit/drive/test_trailing_newline.py).

Not refused: a curl cookie ending in a newline. QEMU 7.2 and 10.0 with their libcurl send it and
nginx reads the same cookie (the image opens), so there is no failing case to refuse it for; a
newline inside the cookie is refused (curl.py _cookie).
"""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_blockdev
from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import QemuError

# block.c: bdrv_assign_node_name ("Invalid node-name"); util/id.c: id_wellformed, which
# qom/object_interfaces.c: user_creatable_add_qapi checks ("Parameter 'id' expects an identifier")
QEMU_VALUES = [
    (["--image-opts", "driver=null-co,node-name=%s"], "n0", None),
    (["--image-opts", "driver=null-co,node-name=%s"], "n0\n", "Invalid node-name"),
    (["--object", "secret,id=%s,data=x", "--image-opts", "driver=null-co"], "sec0", None),
    (["--object", "secret,id=%s,data=x", "--image-opts", "driver=null-co"], "sec0\n",
     "Parameter 'id' expects an identifier"),
]


@pytest.mark.parametrize("args,value,error", QEMU_VALUES, ids=["node-name", "node-name-nl", "id", "id-nl"])
def test_qemu_refuses_a_trailing_newline(generation, args, value, error):
    argv = ["qemu-img", "info"] + [a % value if "%s" in a else a for a in args]
    proc = generation.run(argv, timeout=60)
    if error is None:
        assert proc.returncode == 0, proc.stderr
    else:
        assert proc.returncode != 0 and error in proc.stderr, proc.stderr


ISCSI = {"protocol": "iscsi", "server": {"host": "h"}, "target": "iqn.2001-04.com.example:t", "lun": 0, "user": "u"}


@pytest.mark.parametrize("attribute", ['username="u"', 'name="h"', 'usage="x"', 'dev="vda"'])
def test_libvirt_schema_refuses_a_trailing_newline(generation, attribute):
    xml = render_disk_xml(ISCSI, secret_usage="x", libvirt_version=generation.libvirt_version)
    generation.validate_disk_xml(xml)
    assert attribute in xml
    with pytest.raises(AssertionError, match="refused the XML"):
        generation.validate_disk_xml(xml.replace(attribute, attribute[:-1] + '&#10;"'))


def test_qemu_refuses_a_host_key_hash_with_a_trailing_newline(generation, sshd):
    """block/ssh.c: check_host_key_hash compares the whole string, so QEMU 7.2 and 10.0 refuse the
    server's key against 'sha256:HEX\\n'; host_key_check's regex ended in '$' and let it through."""
    kind, digits = sshd.fingerprints["sha256"].split(":", 1)
    node = {"node-name": "p0", "driver": "ssh", "server": {"host": "127.0.0.1", "port": str(sshd.port)},
            "user": "root", "path": sshd.image, "host-key-check": {"mode": "hash", "type": kind, "hash": digits}}
    assert generation.open_with_qemu("blockdev", node, env=sshd.env).virtual_size == sshd.size
    node["host-key-check"]["hash"] = digits + "\n"
    with pytest.raises(QemuError) as info:
        generation.open_with_qemu("blockdev", node, env=sshd.env)
    assert "does not match host_key_check" in info.value.stderr, info.value.stderr
    spec = {"protocol": "ssh", "server": {"host": "127.0.0.1", "port": sshd.port}, "user": "root",
            "path": sshd.image, "options": {"host_key_check": sshd.fingerprints["sha256"] + "\n"}}
    with pytest.raises(SpecError) as err:
        render_blockdev(spec, generation.qemu_version)
    assert err.value.field == "options.host_key_check"
