"""Reading one protocol node back (drive/node_reader.py NodeReader): each typed read on a strictly
typed -blockdev node and on a json: / option-string node (QEMU's "flat confused" visitor,
qobject/block-qdict.c), and finish() refusing what was not read. Each row: the node's value ->
the exact value read, or the field and the whole message of the refusal."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.node_reader import NodeReader, _kind
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError


def strict(tree, field="file"):
    return NodeReader(tree, field, "nbd", True)


def lenient(tree, field="file"):
    return NodeReader(tree, field, "nbd", False)


def test_kind():
    assert [_kind(v) for v in (True, 1, 1.5, "s", [1], (1,), {"a": 1}, None, b"x", {1})] == [
        "boolean", "number", "number", "string", "list", "list", "mapping", "null", "bytes", "set"]


def test_where():
    assert (strict({}).where("a"), strict({}, "").where("a"), strict({}, "").where(5)) == ("file.a", "a", "5")


READ = [
    (lambda: lenient({"export": 5}).text("export"), "5"),
    (lambda: lenient({"export": 1.5}).text("export"), "1.5"),
    (lambda: strict({"export": "e"}).text("export", required="the export"), "e"),
    (lambda: strict({}).text("export"), None),
    (lambda: lenient({"lun": " 12 "}).integer("lun"), 12),
    (lambda: strict({"lun": 3}).integer("lun", 0, 255), 3),
    (lambda: strict({}).integer("lun"), None),
    (lambda: strict({"b": False}).boolean("b"), False),
    (lambda: strict({"b": True}).boolean("b"), True),
    # qapi/qapi-util.c: qapi_bool_parse, the eight lower-case words (tests/live/drive/test_booleans_live.py)
    (lambda: [lenient({"b": v}).boolean("b") for v in ("on", "yes", "true", "y", "off", "no", "false", "n")],
     [True, True, True, True, False, False, False, False]),
    (lambda: strict({}).boolean("b"), None),
    (lambda: strict({"s": {"a": 1}}).tree_at("s"), {"a": 1}),
    (lambda: strict({}).tree_at("s"), None),
    (lambda: (strict({"a": 1}).has("a"), strict({"a": 1}).has("b")), (True, False)),
    (lambda: (strict({"a": 1}).raw("a"), strict({}).raw("a"), strict({}).raw("a", 7)), (1, None, 7)),
]


@pytest.mark.parametrize("read,expected", READ, ids=["row%d" % i for i in range(len(READ))])
def test_read(read, expected):
    value = read()
    assert (value, type(value)) == (expected, type(expected))


def _finish(tree, reads, field="file"):
    node = strict(tree, field)
    for key in reads:
        node.raw(key)
    node.finish()


TEXT = "expected a string, got a %s (Invalid parameter type for 'file.export', expected: string)"
INTEGER = "expected a number, got a %s (Invalid parameter type for 'file.lun', expected: integer)"
NO_SUCH = "QEMU's nbd driver has no such option, or the drive spec cannot carry it; options read here: "

REFUSED = [
    (lambda: strict({}).require("export", "the export"), "file.export",
     "file.export: required by QEMU's nbd driver (the export): Parameter 'export' is missing"),
    (lambda: strict({}).text("export", required="the export"), "file.export",
     "file.export: required by QEMU's nbd driver (the export): Parameter 'export' is missing"),
    (lambda: strict({"export": 5}).text("export"), "file.export", "file.export: 5 is not accepted; " + TEXT % "number"),
    (lambda: lenient({"export": True}).text("export"), "file.export",
     "file.export: True is not accepted; " + TEXT % "boolean"),
    (lambda: lenient({"export": [1]}).text("export"), "file.export", "file.export: [1] is not accepted; " + TEXT % "list"),
    (lambda: strict({"export": None}).text("export"), "file.export", "file.export: " + TEXT % "null"),
    (lambda: strict({"lun": "1"}).integer("lun"), "file.lun", "file.lun: '1' is not accepted; " + INTEGER % "string"),
    (lambda: strict({"lun": True}).integer("lun"), "file.lun", "file.lun: True is not accepted; " + INTEGER % "boolean"),
    (lambda: strict({"lun": 1.0}).integer("lun"), "file.lun", "file.lun: 1.0 is not accepted; " + INTEGER % "number"),
    (lambda: lenient({"lun": "1x"}).integer("lun"), "file.lun", "file.lun: '1x' is not accepted; Parameter 'lun' expects a number"),
    (lambda: lenient({"lun": "-1"}).integer("lun"), "file.lun", "file.lun: '-1' is not accepted; Parameter 'lun' expects a number"),
    (lambda: lenient({"lun": True}).integer("lun"), "file.lun", "file.lun: True is not accepted; expected an integer, got a boolean"),
    (lambda: strict({"lun": 300}).integer("lun", 0, 255), "file.lun",
     "file.lun: 300 is not accepted; expected an integer between 0 and 255"),
    (lambda: lenient({"lun": "300"}).integer("lun", 0, 255), "file.lun",
     "file.lun: 300 is not accepted; expected an integer between 0 and 255"),
    (lambda: strict({"b": "on"}).boolean("b"), "file.b", "file.b: 'on' is not accepted; expected a boolean, got a string"),
    (lambda: lenient({"b": "maybe"}).boolean("b"), "file.b",
     "file.b: 'maybe' is not accepted; expected a boolean (true/false, yes/no, on/off)"),
    (lambda: lenient({"b": 1}).boolean("b"), "file.b",
     "file.b: 1 is not accepted; expected a boolean (true/false, yes/no, on/off)"),
    # QEMU 7.2 and 10.0 refuse these: "Parameter 'read-only' expects 'on' or 'off'" (test_booleans_live.py)
    (lambda: lenient({"b": "ON"}).boolean("b"), "file.b",
     "file.b: 'ON' is not accepted; expected a boolean (true/false, yes/no, on/off)"),
    (lambda: lenient({"b": "No"}).boolean("b"), "file.b",
     "file.b: 'No' is not accepted; expected a boolean (true/false, yes/no, on/off)"),
    (lambda: lenient({"b": "1"}).boolean("b"), "file.b",
     "file.b: '1' is not accepted; expected a boolean (true/false, yes/no, on/off)"),
    (lambda: lenient({"b": "0"}).boolean("b"), "file.b",
     "file.b: '0' is not accepted; expected a boolean (true/false, yes/no, on/off)"),
    (lambda: strict({}).child("server", "x"), "file.server",
     "file.server: 'x' is not accepted; expected a mapping, got a string"),
    (lambda: _finish({"b": 1, "a": 2}, []), "file.a", "file.a: 2 is not accepted; " + NO_SUCH + "none"),
    (lambda: _finish({"b": 1, "a": 2, "c": 3}, ["c", "z"]), "file.a", "file.a: 2 is not accepted; " + NO_SUCH + "c, z"),
    (lambda: _finish({"x": 1}, [], ""), "x", "x: 1 is not accepted; " + NO_SUCH + "none"),
]


@pytest.mark.parametrize("read,field,message", REFUSED, ids=["row%d" % i for i in range(len(REFUSED))])
def test_refused(read, field, message):
    with pytest.raises(SpecError) as caught:
        read()
    assert (caught.value.field, str(caught.value)) == (field, message)


def test_child_reads_the_same_way():
    node = strict({}).child("server", {"a": 1})
    assert (node.tree, node.field, node.driver, node.strict, node.used) == ({"a": 1}, "file.server", "nbd", True, set())
    node = lenient({}, "").child("server.0", {"a": 1}, "gluster")
    assert (node.field, node.driver, node.strict) == ("server.0", "gluster", False)


def test_every_read_marks_the_key_used_and_finish_accepts_them():
    node = strict({"a": 1, "b": "x", "c": True, "d": {}, "e": 1})
    node.text("z")
    node.integer("y")
    node.boolean("x")
    node.tree_at("w")
    node.raw("v")
    assert node.has("a") and sorted(node.used) == ["v", "w", "x", "y", "z"]
    node.integer("a")
    node.text("b")
    node.boolean("c")
    node.tree_at("d")
    node.raw("e")
    node.finish()
    assert sorted(node.used) == ["a", "b", "c", "d", "e", "v", "w", "x", "y", "z"]


def test_the_tree_is_a_copy():
    tree = {"a": 1}
    node = strict(tree)
    node.tree["b"] = 2
    assert tree == {"a": 1}
