# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""QEMU versions and every version gate of the drive filters, in one table.

Each gate names the upstream change and the live test that shows it on the real QEMU 7.2
and 10.0 (tests/live/drive/test_version_gates_live.py). Gates between 5.2 and 7.2 show their old
side on the real QEMU 5.2 of a Debian bullseye root (tests/live/drive/test_old_qemu_gates_live.py);
gates below 5.2, and sheepdog, are read from the QEMU sources (their tests show the newer side).
"""

from __future__ import annotations

import re

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import is_decimal

__all__ = ["DEFAULT_QEMU_VERSION", "QEMU_GATES", "Gate", "has", "parse_qemu_version", "parse_version",
           "version_text"]

# The newest QEMU whose sources the specs were read from; users on older QEMU say so.
DEFAULT_QEMU_VERSION = (10, 0)


class Gate:
    """A feature that exists in QEMU versions since <= v < until."""

    __slots__ = ("since", "until", "source", "proof")

    def __init__(self, since=None, until=None, source="", proof=""):
        self.since, self.until, self.source, self.proof = since, until, source, proof

    def holds(self, version):
        return (self.since is None or version >= self.since) and (self.until is None or version < self.until)


_LIVE = "tests/live/drive/test_version_gates_live.py::"
_OLD = "tests/live/drive/test_old_qemu_gates_live.py::"
QEMU_GATES = {
    # block/nbd.c, block/gluster.c, block/ssh.c: util/uri.c replaced by GLib's GUri (9.1).
    "glib_uri": Gate(since=(9, 1), source="block/nbd.c: nbd_parse_uri (g_uri_parse, g_uri_parse_params)",
                     proof=_LIVE + "test_parse_decodes_as_that_qemu"),
    # the same GUri parser removes '.'/'..' segments from an NBD URI's export (QEMU 7.2 kept them)
    "glib_uri_dot_segments": Gate(since=(9, 1), source="block/nbd.c: nbd_parse_uri (g_uri_parse "
                                  "remove_dot_segments)",
                                  proof="tests/live/drive/test_drive_differential_fuzz.py::"
                                  "test_qemu_reads_dot_segments_of_nbd_uri"),
    "ssh_ipv6_uri": Gate(since=(9, 1), source="block/ssh.c: ssh_parse_uri (util/uri.c kept the brackets)",
                         proof=_LIVE + "test_ssh_ipv6_uri"),
    "gluster_rdma": Gate(until=(9, 1), source="block/gluster.c: 'gluster+rdma' scheme removed",
                         proof=_LIVE + "test_gluster_rdma_uri"),
    "sheepdog": Gate(until=(6, 1), source="block/sheepdog.c removed after 6.0 (libvirt's tests use the "
                     "6.0.0 QMP schema with it)", proof=_LIVE + "test_sheepdog_is_gone"),
    "ssh_sha256_uri": Gate(since=(7, 0), source="block/ssh.c: ssh_parse_uri host_key_check=sha256:",
                           proof=_OLD + "test_ssh_sha256_uri_before_7_0"),
    "ssh_sha256": Gate(since=(6, 1), source="qapi/block-core.json: SshHostKeyCheckHashType sha256",
                       proof=_OLD + "test_ssh_sha256_before_6_1"),
    "nbd_tls_hostname": Gate(since=(7, 0), source="qapi/block-core.json: BlockdevOptionsNbd tls-hostname",
                             proof=_OLD + "test_nbd_option_before_7_0"),
    "nbd_open_timeout": Gate(since=(7, 0), source="qapi/block-core.json: BlockdevOptionsNbd open-timeout",
                             proof=_OLD + "test_nbd_option_before_7_0"),
    "nfs_ipv6_uri": Gate(since=(9, 1), source="block/nfs.c: nfs_parse_uri (util/uri.c kept the brackets, "
                         "libnfs cannot resolve '[::1]')",
                         proof="tests/live/drive/test_rbd_nfs_live.py::test_nfs_ipv6_uri_before_9_1_is_refused"),
    "rbd_namespace": Gate(since=(5, 0), source="qapi/block-core.json: BlockdevOptionsRbd namespace",
                          proof="tests/live/drive/test_rbd_nfs_live.py::test_rbd_forms_open_the_right_image"),
    "rbd_key_secret": Gate(since=(3, 0), source="qapi/block-core.json: BlockdevOptionsRbd key-secret",
                           proof="tests/live/drive/test_rbd_nfs_live.py::test_rbd_forms_open_the_right_image"),
    "rbd_auth_client_required": Gate(since=(3, 0), source="qapi/block-core.json: BlockdevOptionsRbd "
                                     "auth-client-required",
                                     proof="tests/live/drive/test_rbd_nfs_live.py::test_rbd_forms_open_the_right_image"),
    "nbd_reconnect_delay": Gate(since=(4, 2), source="qapi/block-core.json: BlockdevOptionsNbd reconnect-delay",
                                proof=_LIVE + "test_nbd_option_gates"),
}


def has(feature, version):
    """Whether QEMU `version` has `feature` (a QEMU_GATES key)."""
    return QEMU_GATES[feature].holds(version)


_VERSION_RE = re.compile(r"^([0-9]{1,3})\.([0-9]{1,3})(?:\.([0-9]{1,3}))?$")


def parse_qemu_version(value):
    """Turn `7.2`, `7.2.22`, `10` or a (major, minor) pair into a (major, minor) tuple."""
    return parse_version(value, "qemu_version", DEFAULT_QEMU_VERSION, "a QEMU version such as '7.2' or '10.0.3'")


def parse_version(value, field, default, expected):
    """`value` as a (major, minor) tuple; None gives `default`."""
    if value is None:
        return default
    if isinstance(value, (tuple, list)) and len(value) >= 2 and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value[:2]
    ):
        return (value[0], value[1])
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, 0)
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        match = _VERSION_RE.match(value.strip())
        if match:
            return (int(match.group(1)), int(match.group(2)))
        if is_decimal(value.strip()):
            return (int(value.strip()), 0)
    raise SpecError(field, value, "expected %s" % expected)


def version_text(version):
    return "%d.%d" % version
