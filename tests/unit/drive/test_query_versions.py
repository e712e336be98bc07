"""Query values per QEMU version: decoded once (< 9.1, util/uri.c) or twice (>= 9.1, GLib).

Each row is confirmed on the real QEMU 7.2 and 10.0 by tests/live/drive/test_version_gates_live.py.
"""

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_uri
from ansible_collections.virt_uri.toolkit.tests.support.ids import printable_ids

NBD = "nbd+unix:///e?socket="

PARSED = [
    # (query value as written, version, socket QEMU of that version connects to)
    ("/x/a%2520b.sock", "10.0", "/x/a b.sock"),
    ("/x/a%2520b.sock", "9.1", "/x/a b.sock"),
    ("/x/a%2520b.sock", "9.0", "/x/a%20b.sock"),
    ("/x/a%2520b.sock", "7.2", "/x/a%20b.sock"),
    ("/x/a%26b.sock", "7.2", "/x/a&b.sock"),
    ("/x/a%2526b.sock", "10.0", "/x/a&b.sock"),
    ("/x/a%2526b.sock", "7.2", "/x/a%26b.sock"),
    ("/x/a;b.sock", "10.0", "/x/a;b.sock"),
    ("/x/a b.sock", "10.0", "/x/a b.sock"),
    ("/x/a\u00e9.sock", "10.0", "/x/a\u00e9.sock"),
    ("/x/a%3Bb.sock", "7.2", "/x/a;b.sock"),
    ("/x/x=y.sock", "7.2", "/x/x=y.sock"),
]


@pytest.mark.parametrize("value,version,socket", PARSED)
def test_parse_decodes_like_that_qemu(value, version, socket):
    assert parse_drive(NBD + value, version)["servers"] == [{"socket": socket}]


def test_parse_default_is_qemu_10():
    assert parse_drive(NBD + "/x/a%2520b")["servers"] == [{"socket": "/x/a b"}]


SPLITS = "query parameters must be name=value (a decoded '&' or an unescaped ';' in a value splits it for QEMU %s"
CUT = "%00 in a query: QEMU < 9.1 cuts the value there, >= 9.1 rejects it"
EMPTY = ("QEMU >= 9.1 rejects gluster+unix:// with an empty authority ('invalid URI'); write "
         "gluster+unix:/VOLUME/PATH?socket=SOCKET")
REFUSED = [
    # (text, version, the value the message shows, what is accepted)
    # QEMU 10.0: "No valid URL specified"
    (NBD + "/x/a%26b.sock", "10.0", None, SPLITS % ">= 9.1)"),
    (NBD + "/x/a%25b.sock", "10.0", "/x/a%b.sock", "invalid %-encoding"),
    (NBD + "/x/a%2500b.sock", "10.0", None, CUT),
    # QEMU 7.2: "No valid URL specified"
    (NBD + "/x/a;b.sock", "7.2", None, SPLITS % "< 9.1)"),
    (NBD + "/x/a b.sock", "7.2", None, "QEMU < 9.1 (util/uri.c) rejects the characters ' ' in a query; %-escape them"),
    (NBD + "/x/a\u00e9.sock", "7.2", None,
     "QEMU < 9.1 (util/uri.c) rejects the characters '\u00e9' in a query; %-escape them"),
    (NBD + "/x/a%b.sock", "7.2", "/x/a%b.sock", "invalid %-encoding"),
    (NBD + "/x/a%00b.sock", "7.2", None, CUT),
    # QEMU 10.0: "invalid URI" (block/gluster.c wants a NULL host, GUri gives "")
    ("gluster+unix:///vol/img?socket=/x/g.sock", "10.0", None, EMPTY),
    ("gluster+unix:///vol/img?socket=/x/g.sock", "9.1", None, EMPTY),
]


@pytest.mark.parametrize("text,version,shown,accepted", REFUSED, ids=printable_ids([r[0] + "-" + r[1] for r in REFUSED], 60, str))
def test_parse_refuses_what_that_qemu_rejects(text, version, shown, accepted):
    with pytest.raises(SpecError) as info:
        parse_drive(text, version)
    assert (info.value.field, str(info.value)) == ("uri", "uri: %r is not accepted; %s" % (shown or text, accepted))


def test_gluster_unix_with_empty_authority_opens_on_qemu_9_0():
    spec = parse_drive("gluster+unix:///vol/img?socket=/x/g.sock", "9.0")
    assert spec["servers"] == [{"socket": "/x/g.sock"}] and spec["volume"] == "vol"


SOCKETS = ["/t/plain", "/t/a b", "/t/a#b", "/t/a?b", "/t/a;b", "/t/\u00e9\u4e2d", "/t/a%b", "/t/a&b",
           "/t/a%20b", "/t/a%2526b", "/t/+=:@!$'()*,"]


@pytest.mark.parametrize("version", ["5.2", "7.2", "9.0", "9.1", "10.0"])
@pytest.mark.parametrize("socket", SOCKETS)
def test_render_then_parse_gives_the_socket_back(socket, version):
    spec = {"protocol": "nbd", "server": {"socket": socket}, "export": "e"}
    text = render_uri(spec, version)
    assert parse_drive(text, version)["servers"] == [{"socket": socket}]
    gluster = {"protocol": "gluster", "servers": [{"socket": socket}], "volume": "v", "path": "p"}
    assert parse_drive(render_uri(gluster, version), version)["servers"] == [{"socket": socket}]


def test_render_escapes_percent_and_ampersand_per_version():
    spec = {"protocol": "nbd", "server": {"socket": "/t/a%b&c d"}}
    assert render_uri(spec, "9.0") == "nbd+unix:///?socket=/t/a%25b%26c%20d"
    assert render_uri(spec, "9.1") == "nbd+unix:///?socket=/t/a%2525b%2526c%20d"


def test_sheepdog_gate_is_6_1():
    spec = {"protocol": "sheepdog", "server": {"host": "h"}, "vdi": "vm"}
    assert render_uri(spec, "6.0") == "sheepdog://h:7000/vm"
    with pytest.raises(SpecError, match="removed in QEMU 6.1"):
        render_uri(spec, "6.1")


def test_every_gate_names_its_source_and_live_proof():
    from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.versions import QEMU_GATES
    import pathlib
    root = pathlib.Path(__file__).parents[3]
    for name, gate in QEMU_GATES.items():
        assert gate.source and (gate.since or gate.until), name
        path, test = gate.proof.split("::")
        assert path.startswith("tests/live/"), (name, path)
        assert "def %s(" % test in (root / path).read_text(), (name, test)


def test_the_guide_states_every_gate():
    import pathlib
    from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.versions import QEMU_GATES
    from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.versions import LIBVIRT_GATES
    guide = (pathlib.Path(__file__).parents[3] / "docs" / "docsite" / "rst" / "guide_drives.rst").read_text()
    section = guide[guide.index("Versions, as tested\n---"):]
    for name in list(QEMU_GATES) + list(LIBVIRT_GATES):
        assert "``%s``" % name in section, name
