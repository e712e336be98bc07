# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""<source> children placed under each network protocol, for the tests of parse_disk_xml's rule
that a protocol reads back every child of its <source> or refuses it (drive/protocol.py
disk_children): tests/unit/drive/test_disk_xml_children.py (the refusal and its message) and
tests/live/drive/test_disk_xml_children_live.py (what libvirt's own schema says of each).
"""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.registry import PROTOCOLS

# A <source> of each protocol that libvirt's domain schema accepts (11.3; 9.0 has no ssh disk).
SOURCES = {
    "nbd": "<source protocol='nbd' name='e'><host name='127.0.0.1' port='10809'/>%s</source>",
    "iscsi": "<source protocol='iscsi' name='iqn.2003-01.org.example:t/1'><host name='127.0.0.1' port='3260'/>"
             "%s</source>",
    "gluster": "<source protocol='gluster' name='vol/img'><host name='127.0.0.1' port='24007'/>%s</source>",
    "rbd": "<source protocol='rbd' name='pool/img'><host name='127.0.0.1' port='6789'/>%s</source>",
    "sheepdog": "<source protocol='sheepdog' name='vdi'><host name='127.0.0.1' port='7000'/>%s</source>",
    # libvirt 9.0's schema requires <identity> in an nfs <source> (nfs.py disk_source writes it).
    "nfs": "<source protocol='nfs' name='/export/img'><host name='127.0.0.1'/><identity/>%s</source>",
    "ssh": "<source protocol='ssh' name='/img'><host name='127.0.0.1' port='22'/>%s</source>",
}
SOURCES.update({scheme: "<source protocol='%s' name='/img'><host name='127.0.0.1' port='80'/>%%s</source>" % scheme
                for scheme in ("http", "https", "ftp", "ftps")})

# Each child as libvirt's schema writes it (domaincommon.rng, storagecommon.rng).
CHILDREN = {
    "auth": "<auth username='u'><secret type='iscsi' usage='s'/></auth>",
    "ssl": "<ssl verify='no'/>",
    "cookies": "<cookies><cookie name='c'>v</cookie></cookies>",
    "readahead": "<readahead size='65536'/>",
    "timeout": "<timeout seconds='3'/>",
    "initiator": "<initiator><iqn name='iqn.2003-01.org.example:i'/></initiator>",
    "reconnect": "<reconnect delay='3'/>",
    "identity": "<identity user='+0' group='+0'/>",
    "snapshot": "<snapshot name='s'/>",
    "config": "<config file='/etc/ceph/ceph.conf'/>",
    "knownHosts": "<knownHosts path='/root/.ssh/known_hosts'/>",
    "encryption": "<encryption format='luks'><secret type='passphrase' usage='l'/></encryption>",
    "slices": "<slices><slice type='storage' offset='0' size='512'/></slices>",
    "unknown": "<unknown/>",
}

# The refused children libvirt's schema accepts there: libvirt reads them, a drive spec has no
# place for them (refused so that nothing is lost). Every other refused child is one the schema
# rejects in that protocol's <source> (the live test checks both sides on libvirt 9.0 and 11.3).
_FORMAT_LAYERS = "a layer above the protocol node (a LUKS format node, a raw offset/size node), not a drive spec key"
LIBVIRT_READS = {("encryption", p): _FORMAT_LAYERS for p in PROTOCOLS if p != "nfs"}
LIBVIRT_READS.update({("slices", p): _FORMAT_LAYERS for p in PROTOCOLS})
LIBVIRT_READS.update({
    ("readahead", "ssh"): "QEMU's ssh driver has no readahead (BlockdevOptionsSsh)",
    ("timeout", "ssh"): "QEMU's ssh driver has no timeout (BlockdevOptionsSsh)",
    ("readahead", "sheepdog"): "QEMU's sheepdog driver had no readahead (BlockdevOptionsSheepdog)",
    ("timeout", "sheepdog"): "QEMU's sheepdog driver had no timeout (BlockdevOptionsSheepdog)",
    ("auth", "ssh"): "QEMU's ssh driver takes no password, only a key or the agent (BlockdevOptionsSsh)",
    ("knownHosts", "ssh"): "QEMU's ssh driver reads ~/.ssh/known_hosts itself; host_key_check names no file",
})


def refused_cases():
    """(child, protocol) for every child the protocol does not read back."""
    return [(child, protocol) for protocol in sorted(PROTOCOLS) for child in CHILDREN
            if child not in PROTOCOLS[protocol].disk_children]


def disk(protocol, child=None):
    """A <disk type='network'> of the protocol holding the child (or none)."""
    return ("<disk type='network' device='disk'><driver name='qemu' type='raw'/>%s"
            "<target dev='vdb' bus='virtio'/></disk>" % (SOURCES[protocol] % (CHILDREN[child] if child else "")))
