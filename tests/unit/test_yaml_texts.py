# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The YAML the collection ships reads as YAML: changelog fragments and every plugin's
DOCUMENTATION, EXAMPLES and RETURN. `make lint` finds the same through yamllint, ansible-doc
and antsibull-changelog; this runs in seconds with the unit suite, so a fragment whose example
holds ': ' or a doc line such as 'Optional: without ...' fails before lint does (both reached
main and made CI red)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = {"major_changes", "minor_changes", "breaking_changes", "deprecated_features",
            "removed_features", "security_fixes", "bugfixes", "known_issues", "trivial"}
FRAGMENTS = sorted((ROOT / "changelogs" / "fragments").glob("*.y*ml"))
PLUGINS = sorted(p for p in (ROOT / "plugins").glob("*/*.py")
                 if p.parent.name in ("filter", "lookup", "modules", "test", "doc_fragments"))


@pytest.mark.parametrize("path", FRAGMENTS, ids=[p.name for p in FRAGMENTS])
def test_changelog_fragment_reads(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), "%s: a YAML document starts with '---' (yamllint)" % path.name
    data = yaml.safe_load(text)
    assert isinstance(data, dict) and data, path.name
    assert set(data) <= SECTIONS, "%s: unknown sections %s" % (path.name, set(data) - SECTIONS)
    for section, items in data.items():
        assert isinstance(items, list) and all(isinstance(i, str) and i for i in items), (path.name, section)


def _doc_blocks(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in ("DOCUMENTATION", "EXAMPLES", "RETURN"):
                    yield target.id, node.value.value


@pytest.mark.parametrize("path", PLUGINS, ids=["%s/%s" % (p.parent.name, p.name) for p in PLUGINS])
def test_plugin_docs_read(path):
    blocks = dict(_doc_blocks(path))
    if path.parent.name != "doc_fragments":
        assert "DOCUMENTATION" in blocks, path
    for name, text in blocks.items():
        try:
            yaml.safe_load(text)
        except yaml.YAMLError as exc:
            pytest.fail("%s %s is not YAML: %s" % (path, name, exc))


def test_a_broken_fragment_is_caught(tmp_path):
    """The check itself: the two texts that reached main."""
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load('bugfixes:\n  - a port (``nbd://h:1/x``, ``lun: "0"``) was read\n')
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load("options:\n  passwd:\n    description:\n      - The facts. Optional: without an\n"
                       "        entry a user is planned.\n")
