"""Block option trees between their nested and flat spellings (drive/node_tree.py), as QEMU's
qobject/block-qdict.c does it (qdict_flatten, qdict_split_flat_key, qdict_crumple): each tree ->
the exact other spelling, or the field and the whole message of the refusal."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.node_tree import (
    _split_key, crumple_flat, flatten_tree, subtree,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

FLATTENED = [
    ({"a": {"b": 1}, "l": ["x", {"y": 2}], "e": {}, "el": []}, {"a.b": 1, "l.0": "x", "l.1.y": 2, "e": {}, "el": []}),
    ({"a": (1, 2)}, {"a.0": 1, "a.1": 2}),
    ([1, 2], {"0": 1, "1": 2}),
    ({1: 2}, {"1": 2}),
    ({"s": [{"h": "a", "p": "1"}, {"h": "b"}]}, {"s.0.h": "a", "s.0.p": "1", "s.1.h": "b"}),
]


@pytest.mark.parametrize("tree,flat", FLATTENED, ids=["row%d" % i for i in range(len(FLATTENED))])
def test_flatten_tree(tree, flat):
    assert flatten_tree(tree) == flat


def test_flatten_tree_prefix_and_output():
    out = {"x": 0}
    assert flatten_tree({"a": {"b": 1}}, "", "p.", out) is out
    assert out == {"x": 0, "p.a.b": 1}


FLATTEN_REFUSED = [
    ({"a": {"b": 1}, "a.b": 2}, "", "a.b",
     "a.b: 2 is not accepted; this option is given twice (once nested, once as a dotted key)"),
    ({"a.b": 2, "a": {"b": 1}}, "", "a.b",
     "a.b: 1 is not accepted; this option is given twice (once nested, once as a dotted key)"),
    ({True: 2}, "", "drive", "drive: True is not accepted; option names are strings"),
    ({(1,): 2}, "blockdev", "blockdev", "blockdev: (1,) is not accepted; option names are strings"),
    ({"a": {(1,): 2}}, "blockdev", "blockdev", "blockdev: (1,) is not accepted; option names are strings"),
]


@pytest.mark.parametrize("tree,field,where,message", FLATTEN_REFUSED,
                         ids=["row%d" % i for i in range(len(FLATTEN_REFUSED))])
def test_flatten_tree_refused(tree, field, where, message):
    with pytest.raises(SpecError) as caught:
        flatten_tree(tree, field)
    assert (caught.value.field, str(caught.value)) == (where, message)


@pytest.mark.parametrize("key,parts", [
    ("a", ["a"]), ("a.b", ["a", "b"]), ("a..b", ["a.b"]), ("a...b", ["a.", "b"]), ("a..", ["a."]),
    ("..a", [".a"]), ("a.", ["a", ""]), ("", [""]), (".a", ["", "a"]), ("a....b", ["a..b"]), ("ab.cd", ["ab", "cd"]),
])
def test_split_key(key, parts):
    assert _split_key(key) == parts


CRUMPLED = [
    ({"a.b": 1, "a.c": 2, "l.0": "x", "l.1": "y", "d..e": 3}, "", {"a": {"b": 1, "c": 2}, "l": ["x", "y"], "d.e": 3}),
    ({"s.0.h": 1, "s.1.h": 2, "s.1.p": 3}, "file", {"s": [{"h": 1}, {"h": 2, "p": 3}]}),
    ({"s.0": {"a": 1}}, "", {"s": [{"a": 1}]}),
    ({"l.%d" % i: i for i in (10, 1, 0, 2, 3, 4, 5, 6, 7, 8, 9)}, "", {"l": list(range(11))}),
    ({"0": 1}, "", [1]),
    ({}, "", {}),
    ({"a": 1}, "", {"a": 1}),
]


@pytest.mark.parametrize("flat,field,tree", CRUMPLED, ids=["row%d" % i for i in range(len(CRUMPLED))])
def test_crumple_flat(flat, field, tree):
    assert crumple_flat(flat, field) == tree


CRUMPLE_REFUSED = [
    ({"a.": 1}, "", "a.", "a.: 1 is not accepted; empty component in option name"),
    ({".a": 1}, "", ".a", ".a: 1 is not accepted; empty component in option name"),
    ({"a": 1, "a.b": 2}, "", "a", "a: 1 is not accepted; used both as a value and as a group of options (a.b)"),
    ({"a.b": 1, "a.b.c": 2}, "", "a.b", "a.b: 1 is not accepted; used both as a value and as a group of options (a.b.c)"),
    ({"a.b": 2, "a": 1}, "", "a", "a: 1 is not accepted; used both as a value and as a group of options"),
    ({"a.b.c": 2, "a.b": 1}, "", "a.b", "a.b: 1 is not accepted; used both as a value and as a group of options"),
    ({"l.0": 1, "l.2": 2}, "", "l", "l: ['0', '2'] is not accepted; list indexes must run 0, 1, 2 ... without gaps"),
    ({"l.1": 1}, "", "l", "l: ['1'] is not accepted; list indexes must run 0, 1, 2 ... without gaps"),
    ({"l.00": 1}, "", "l", "l: ['00'] is not accepted; list indexes must run 0, 1, 2 ... without gaps"),
    ({"l.0": 1, "l.01": 2}, "", "l", "l: ['0', '01'] is not accepted; list indexes must run 0, 1, 2 ... without gaps"),
    ({"1": 1}, "", "drive", "drive: ['1'] is not accepted; list indexes must run 0, 1, 2 ... without gaps"),
    ({"l.0": 1, "l.x": 2}, "", "l", "l: ['0', 'x'] is not accepted; cannot mix list indexes and option names"),
    ({"x": 1, "0": 2}, "", "drive", "drive: ['0', 'x'] is not accepted; cannot mix list indexes and option names"),
    ({"s.0.h": 1, "s.x.h": 2}, "file", "file.s",
     "file.s: ['0', 'x'] is not accepted; cannot mix list indexes and option names"),
    ({"s.0.a.0": 1, "s.0.a.2": 2}, "file", "file.s.0.a",
     "file.s.0.a: ['0', '2'] is not accepted; list indexes must run 0, 1, 2 ... without gaps"),
]


@pytest.mark.parametrize("flat,field,where,message", CRUMPLE_REFUSED, ids=["row%d" % i for i in range(len(CRUMPLE_REFUSED))])
def test_crumple_flat_refused(flat, field, where, message):
    with pytest.raises(SpecError) as caught:
        crumple_flat(flat, field)
    assert (caught.value.field, str(caught.value)) == (where, message)


def test_subtree():
    flat = {"file.a": 1, "file.b.c": 2, "filex": 3, "file": 4, "a": 5, "file.file.d": 6}
    assert subtree(flat, "file") == {"a": 1, "b.c": 2, "file.d": 6}
    assert subtree(flat, "fil") == {}


def test_the_default_field_is_the_whole_drive():
    """Called without a field (as parse_json and parse_tree call them), a top-level refusal names
    the drive."""
    with pytest.raises(SpecError) as caught:
        flatten_tree({True: 2})
    assert str(caught.value) == "drive: True is not accepted; option names are strings"
    with pytest.raises(SpecError) as caught:
        crumple_flat({"x": 1, "0": 2})
    assert str(caught.value) == "drive: ['0', 'x'] is not accepted; cannot mix list indexes and option names"
    with pytest.raises(SpecError) as caught:
        crumple_flat({"l.0": 1, "l.x": 2})
    assert caught.value.field == "l"
