# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What libvirt's own domain schema (9.0 on the host, 11.3 in the trixie root) says of each
<source> child that qemu_drive_parse refuses for a protocol (drive/protocol.py disk_children,
tests/unit/drive/test_disk_xml_children.py): either the schema rejects it there (a misplaced
child, which libvirt's parser would ignore: the refusal's real failing case), or libvirt reads
it and the drive spec has no place for it (tests/support/disk_children.LIBVIRT_READS, each with
its reason). Both sides are asserted: a child the schema accepts must be listed with a reason, a
listed one must be accepted. Each document is first checked without the child, so a rejection is
the child's. One xmllint --relaxng run (what virt-xml-validate runs) per generation validates them all.
"""

from __future__ import annotations

import os
import re
import tempfile

import pytest

from ansible_collections.virt_uri.toolkit.tests.support.disk_children import LIBVIRT_READS, disk, refused_cases
from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import DOMAIN_TEMPLATE

SCHEMA = "/usr/share/libvirt/schemas/domain.rng"
# libvirt 9.0's schema has no ssh network disk at all (libvirt/versions.py LIBVIRT_GATES ssh_disk).
NO_DISK = {"9.0": {"ssh"}}
CASES = refused_cases()


@pytest.fixture(scope="module")
def verdicts(generation, tool):
    """{(child, protocol) or (None, protocol): True if the schema accepts the document}."""
    tool("xmllint")
    docs = {(None, p): disk(p) for p in {p for _c, p in CASES}}
    docs.update({case: disk(case[1], case[0]) for case in CASES})
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        paths = {}
        for index, (case, xml) in enumerate(sorted(docs.items(), key=repr)):
            paths[case] = os.path.join(tmp, "d%d.xml" % index)
            with open(paths[case], "w", encoding="utf-8") as fh:
                fh.write(DOMAIN_TEMPLATE % xml)
        proc = generation.run(["xmllint", "--noout", "--relaxng", SCHEMA] + list(paths.values()), timeout=300)
    said = dict(re.findall(r"^(\S+) (validates|fails to validate)$", proc.stderr, re.M))
    assert set(said) == set(paths.values()), proc.stderr[-2000:]
    return {case: said[path] == "validates" for case, path in paths.items()}


@pytest.mark.parametrize("child, protocol", CASES, ids=["%s-in-%s" % case for case in CASES])
def test_refused_child_is_misplaced_or_has_no_place(generation, verdicts, child, protocol):
    if protocol in NO_DISK.get(generation.libvirt_version, ()):
        assert not verdicts[(None, protocol)], "libvirt %s's schema now takes a %s disk" % (
            generation.libvirt_version, protocol)
        return
    assert verdicts[(None, protocol)], "the %s <source> without the child must validate" % protocol
    reason = LIBVIRT_READS.get((child, protocol))
    if reason is None:
        assert not verdicts[(child, protocol)], (
            "libvirt %s's schema accepts <%s> in a %s <source>: the refusal needs a reason in "
            "LIBVIRT_READS, or the protocol should read it" % (generation.libvirt_version, child, protocol))
    else:
        assert verdicts[(child, protocol)], (
            "libvirt %s's schema rejects <%s> in a %s <source>, yet LIBVIRT_READS says libvirt reads it (%s)"
            % (generation.libvirt_version, child, protocol, reason))
