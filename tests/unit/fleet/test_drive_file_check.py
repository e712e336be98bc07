# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""check_drive_file: a drive file's candidate text read back as its consumer reads it; one row per
case (path, text -> the whole message), and the texts it must let through."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet.drive_file_check import (
    DriveFileError,
    check_drive_file,
)

ARGS = "/etc/qemu-drives/vm1/drives.args"
JSON = "/etc/qemu-drives/vm1/blockdev.json"
XML = "/etc/qemu-drives/vm1/disk-vda.xml"
NODE = '{"driver": "raw", "node-name": "drive0"}'
DRIVE = "driver=raw,file.driver=nbd,file.server.type=inet,file.server.host=127.0.0.1,id=drive0"

ACCEPTED = [
    ("empty args", ARGS, ""),
    ("one -drive", ARGS, "-drive\n%s\n" % DRIVE),
    ("repeated values, distinct names", ARGS, "-drive\ndriver=nbd,file.driver=nbd\n"),
    ("-drive then -blockdev", ARGS, "-drive\n%s\n-blockdev\n%s\n" % (DRIVE, NODE)),
    ("nested names", ARGS, "-drive\nfile.server.0.host=h,a-b_c=1\n"),
    ("blockdev list", JSON, "[%s, %s]" % (NODE, NODE)),
    ("empty blockdev list", JSON, "[]"),
    ("disk xml", XML, '<disk type="network"><target dev="vda"/></disk>'),
    ("disk xml with a digit", "/d/disk-sdaa1.xml", "<disk/>"),
    ("any .args name", "/d/other.args", ""),
    ("any .json name", "/d/other.json", "[]"),
]


@pytest.mark.parametrize("path, text", [a[1:] for a in ACCEPTED], ids=[a[0] for a in ACCEPTED])
def test_accepted(path, text):
    assert check_drive_file(path, text) is None


REFUSED = [
    # (id, path, text, the whole message)
    ("path not text", None, "", "expected an absolute file path without '..'"),
    ("relative path", "vm1/drives.args", "", "expected an absolute file path without '..'"),
    ("dot-dot inside", "/etc/../drives.args", "", "expected an absolute file path without '..'"),
    ("dot-dot at the end", "/etc/qemu-drives/..", "", "expected an absolute file path without '..'"),
    ("trailing slash", "/etc/qemu-drives/", "", "expected an absolute file path without '..'"),
    ("content not text", ARGS, b"-drive\n", "the content must be text"),
    ("content None", JSON, None, "the content must be text"),
    ("no final newline", ARGS, "-drive\nid=a", "the last argument has no newline after it"),
    ("odd line count", ARGS, "-drive\n", "expected pairs of -drive/-blockdev and their value, got 1 lines"),
    ("three lines", ARGS, "-drive\nid=a\n-drive\n",
     "expected pairs of -drive/-blockdev and their value, got 3 lines"),
    ("not a flag", ARGS, "-device\nvirtio-blk\n", "line 1: '-device' is not -drive or -blockdev"),
    ("not a flag, second pair", ARGS, "-drive\nid=a\n-hda\nx.img\n",
     "line 3: '-hda' is not -drive or -blockdev"),
    ("flag without dash", ARGS, "-drive\nid=a\n-drive\nid=b\nblockdev\n{}\n",
     "line 5: 'blockdev' is not -drive or -blockdev"),
    ("name without value", ARGS, "-drive\nfile\n", "line 2: 'file' is not a name=value option"),
    ("bad name with a value", ARGS, "-drive\nid=a,1x=b\n", "line 2: '1x' is not a name=value option"),
    ("first bad name named", ARGS, "-drive\nid=a,-x=1,.y=2\n", "line 2: '-x' is not a name=value option"),
    ("bad name, second pair", ARGS, "-drive\nid=a\n-drive\nid=b,file\n",
     "line 4: 'file' is not a name=value option"),
    ("repeated option", ARGS, "-drive\nid=a,id=b\n", "line 2: option id given twice"),
    ("repeated options sorted", ARGS, "-drive\nif=x,id=a,if=y,id=b,file=f\n",
     "line 2: option id, if given twice"),
    ("repeated option, second pair", ARGS, "-drive\nid=a\n-drive\nid=b,id=c\n",
     "line 4: option id given twice"),
    ("blockdev not JSON", ARGS, "-blockdev\n{bad\n",
     "line 2: not JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"),
    ("blockdev not JSON, second pair", ARGS, "-drive\nid=a\n-blockdev\ndriver=raw\n",
     "line 4: not JSON (Expecting value: line 1 column 1 (char 0))"),
    ("blockdev without node-name", ARGS, "-blockdev\n{\"driver\": \"raw\"}\n",
     "line 2: node 0 has no driver and node-name"),
    ("blockdev list is one node", ARGS, "-blockdev\n[%s]\n" % NODE, "line 2: node 0 has no driver and node-name"),
    ("blockdev without node-name, later pair", ARGS, "-blockdev\n%s\n-blockdev\n{\"node-name\": \"a\"}\n" % NODE,
     "line 4: node 0 has no driver and node-name"),
    ("json not JSON", JSON, "[", "the content: not JSON (Expecting value: line 1 column 2 (char 1))"),
    ("json not a list", JSON, NODE, "the content: expected a JSON list of block nodes"),
    ("json node not a mapping", JSON, "[%s, 5]" % NODE, "the content: node 1 has no driver and node-name"),
    ("json node without driver", JSON, '[{"node-name": "a"}]', "the content: node 0 has no driver and node-name"),
    ("json node without node-name", JSON, '[{"driver": "raw"}]',
     "the content: node 0 has no driver and node-name"),
    ("json driver not a string", JSON, '[{"driver": 1, "node-name": "a"}]',
     "the content: node 0 has no driver and node-name"),
    ("json node-name not a string", JSON, '[{"driver": "raw", "node-name": null}]',
     "the content: node 0 has no driver and node-name"),
    ("xml not well-formed", XML, "<disk", "not well-formed XML (unclosed token: line 1, column 0)"),
    ("xml not a disk", XML, "<domain/>", "expected one <disk> element, got <domain>"),
    ("xml name upper case", "/d/disk-VDA.xml", "<disk/>", "not a drive file name (*.args, *.json or disk-<dev>.xml)"),
    ("xml name without dev", "/d/disk-.xml", "<disk/>", "not a drive file name (*.args, *.json or disk-<dev>.xml)"),
    ("xml name digit first", "/d/disk-1a.xml", "<disk/>", "not a drive file name (*.args, *.json or disk-<dev>.xml)"),
    ("xml name with a prefix", "/d/my-disk-vda.xml", "<disk/>",
     "not a drive file name (*.args, *.json or disk-<dev>.xml)"),
    ("other name", "/d/drives.txt", "", "not a drive file name (*.args, *.json or disk-<dev>.xml)"),
]


@pytest.mark.parametrize("path, text, message", [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_refused(path, text, message):
    with pytest.raises(DriveFileError) as err:
        check_drive_file(path, text)
    assert str(err.value) == message
