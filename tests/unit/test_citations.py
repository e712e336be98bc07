# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Comments and docs cite upstream sources (file and function in QEMU, libvirt, libiscsi, libnfs,
GLib, libxml2), never notes that live outside the repository: a reader of the collection has
the upstream trees, not the notes its authors wrote while reading them."""

from __future__ import annotations

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCANNED = ("plugins", "tests", "docs", "hack", "roles", "extensions", "meta", "examples",
           "README.md", "DEVELOPERS.md")
SUFFIXES = {".py", ".md", ".rst", ".yml", ".yaml", ".j2", ".sh", ".txt", ""}
# Tool output inside the tree is not ours: ansible-test puts its venv (pip, mock, pygments) under
# tests/output, molecule and pytest their caches beside the sources.
NOT_OURS = {"__pycache__", "output", ".pytest_cache", ".cache", ".molecule", "site-packages"}
# A section number of those notes ("spec A.3", "(D.5.c)", "probe D.6"), their file names, or a
# path into a directory outside the checkout.
OUTSIDE = re.compile(
    r"\bspecs?/|\b[A-D]_(?:qemu_network_block|nbd_uri_standard|libvirt_uri_and_conf|test_vectors)"
    r"|\bspecs? [A-D]\b|(?<![\w.])[A-D]\.[0-9]+(?:\.[a-z])?(?![\w.])|\bDESIGN\.md|\bSTYLE\.md"
    r"|/work/shared")


def scanned_files(root=ROOT):
    for name in SCANNED:
        top = root / name
        paths = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in paths:
            if path.is_file() and path.suffix in SUFFIXES and not NOT_OURS.intersection(path.parts) \
                    and path.resolve() != pathlib.Path(__file__).resolve():
                yield path


def test_no_citation_of_notes_outside_the_repository():
    found = []
    for path in scanned_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                found.append("%s:%d: %s" % (path.relative_to(ROOT), number, line.strip()))
    assert not found, "cite the upstream file and function instead:\n" + "\n".join(found)


def test_tool_output_is_not_scanned(tmp_path):
    # ansible-test runs the units from a copy whose tests/output holds a venv full of "spec/" URLs.
    vendored = tmp_path / "tests" / "output" / ".tmp" / "site-packages" / "x.py"
    vendored.parent.mkdir(parents=True)
    vendored.write_text("url = 'https://example.org/spec/IDL/'\n")
    ours = tmp_path / "tests" / "unit" / "y.py"
    ours.parent.mkdir(parents=True)
    ours.write_text("# see spec A.3\n")
    assert [p.name for p in scanned_files(tmp_path)] == ["y.py"]


def test_the_pattern_catches_what_it_is_for():
    for text in ("(spec A.3)", "probe D.6", "D.5.c: libvirt", "shared/specs/D_test_vectors.md",
                 "see DESIGN.md", "spec C.1-C.4"):
        assert OUTSIDE.search(text), text
    for text in ("QEMU 10.0", "libvirt 11.3.0", "block/nbd.c: nbd_parse_uri", "A.B.C", "python3.11"):
        assert not OUTSIDE.search(text), text
