# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How libvirt 9.0 and 11.3 read <source protocol='rbd' name='POOL/IMAGE'>: the QEMU command line
that ``virsh -c qemu:///embed?root=DIR domxml-to-native qemu-argv`` builds from the disk XML.

libvirt splits the name at the first '/' (src/conf/domain_conf.c:
virDomainDiskSourceNetworkParse): a '/' in the pool is misread (pool 'a/b' + image 'c' is read
as pool 'a', image 'b/c'), so libvirt_disk_xml refuses it; a '/' in the image is read right,
so it is accepted. The embedded driver needs no daemon and connects nowhere.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

DOMAIN = """<domain type='qemu'>
  <name>rbdname</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    %s
  </devices>
</domain>
"""


def _rbd_nodes(generation, disks_xml):
    """The rbd -blockdev nodes of the QEMU command line libvirt builds for ``disks_xml``."""
    generation.tool("qemu-system-x86_64")
    base = tempfile.mkdtemp(prefix="vrbd-", dir="/tmp")  # /tmp: the same path inside the root
    try:
        path = os.path.join(base, "domain.xml")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(DOMAIN % disks_xml)
        proc = generation.run(["virsh", "-c", "qemu:///embed?root=%s/root" % base,
                               "domxml-to-native", "qemu-argv", path], timeout=300)
        assert proc.returncode == 0, proc.stderr
        nodes = [json.loads(arg) for arg in re.findall(r"-blockdev '(\{[^']*\})'", proc.stdout)]
        return [(node["pool"], node["image"]) for node in nodes if node.get("driver") == "rbd"]
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _disk(name, dev):
    return ("<disk type='network' device='disk'><driver name='qemu' type='raw'/>"
            "<source protocol='rbd' name='%s'><host name='127.0.0.1' port='6789'/></source>"
            "<target dev='%s' bus='virtio'/></disk>" % (name, dev))


def test_rbd_name_is_split_at_the_first_slash(generation):
    """One embedded-driver run (the capability probe of qemu-system takes most of the time):
    pool 'a/b' + image 'c' is read as pool 'a', image 'b/c' -- hence the refusal of a '/' in
    the pool; pool 'p' + image 'x/y' as the filter writes it is read as exactly that."""
    image_slash = {"protocol": "rbd", "server": {"host": "127.0.0.1"}, "pool": "p", "image": "x/y"}
    written = render_disk_xml(image_slash, libvirt_version=generation.libvirt_version,
                              target_dev="vdb")
    assert "name=\"p/x/y\"" in written, written
    assert _rbd_nodes(generation, _disk("a/b/c", "vda") + written) == [("a", "b/c"), ("p", "x/y")]
    pool_slash = dict(image_slash, pool="a/b", image="c")
    with pytest.raises(SpecError, match="^pool:"):
        render_disk_xml(pool_slash, libvirt_version=generation.libvirt_version)
