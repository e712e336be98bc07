# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""libvirt versions and every libvirt version gate of the filters, in one table.

Each gate names the libvirt source and the live test that shows it with the real libvirt 9.0
(the host's) and 11.3 (the Debian trixie root): tests/live/libvirt/test_libvirt_version_gates_live.py.
The oracle has no libvirt between 9.0 and 11.3: a gate that 9.0 lacks and 11.3 has sits at the
release libvirt's NEWS.rst names for it, or at 11.3 (the first version where a real libvirt is
known to accept it) when no release is documented.
"""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.versions import Gate, parse_version

__all__ = ["DEFAULT_LIBVIRT_VERSION", "LIBVIRT_GATES", "libvirt_has", "parse_libvirt_version"]

# Debian trixie's libvirt, the newest the live tests run; users of older libvirt say so.
DEFAULT_LIBVIRT_VERSION = (11, 3)

_LIVE = "tests/live/libvirt/test_libvirt_version_gates_live.py::"
LIBVIRT_GATES = {
    # no release documented for protocol='ssh' (docs/formatdomain.rst gives only knownHosts
    # 'Since 9.8.0'): left at 11.3, the first real libvirt seen to accept it.
    "ssh_disk": Gate(since=(11, 3), source="src/conf/schemas/domaincommon.rng: diskSourceNetworkProtocolSSH",
                     proof=_LIVE + "test_disk_xml_gates"),
    # libvirt NEWS.rst, v9.2.0 (2023-04-01), New features: "qemu: Implement QEMU NBD reconnect
    # delay attribute" (<reconnect delay=> in an nbd <source>; docs/formatdomain.rst 'reconnect').
    # Read in the NEWS that libvirt-doc 11.3.0 ships; Debian's archive has no libvirt between
    # 9.0 and 11.3 to run, so the live proof is 9.0 refusing and 11.3 accepting.
    "nbd_reconnect": Gate(since=(9, 2), source="src/conf/schemas/storagecommon.rng: reconnect in the nbd "
                          "source (NEWS.rst v9.2.0)", proof=_LIVE + "test_disk_xml_gates"),
}


def parse_libvirt_version(value):
    """Turn `9.0`, `11.3.0` or a (major, minor) pair into a (major, minor) tuple."""
    return parse_version(value, "libvirt_version", DEFAULT_LIBVIRT_VERSION, "a libvirt version such as '9.0' or '11.3.0'")


def libvirt_has(feature, version):
    """Whether libvirt `version` has `feature` (a LIBVIRT_GATES key)."""
    return LIBVIRT_GATES[feature].holds(version)
