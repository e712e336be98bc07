# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A trailing newline against the real tools: QEMU 7.2 and 10.0 refuse it in a node name and in an
object id, and libvirt 9.0's and 11.3's domain schema in a disk's host name, CHAP user, secret
usage and target dev. The drive checks of those values matched with a regex ending in '$', which
Python lets match before a final newline, so each of these was accepted; they end in '\\Z' now
(tests/unit/drive/test_trailing_newline.py).
"""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml

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
