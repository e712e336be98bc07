# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""On/off values in -drive strings and json: filenames, read as QEMU reads them (qapi/qapi-util.c:
qapi_bool_parse): exactly on, yes, true, y and off, no, false, n, case-sensitively; 'ON', 'No', '1'
are refused, as QEMU 7.2 and 10.0 refuse them ("Parameter 'read-only' expects 'on' or 'off'",
tests/live/drive/test_booleans_live.py). They were read case-insensitively, with '1' and '0', before.
-drive's short forms (deprecated since QEMU 6.0): 'readonly' is on, 'noreadonly' off."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.tests.support.refusals import spec_refusal
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive

NBD_H = {"protocol": "nbd", "servers": [{"host": "h", "port": 10809}], "export": ""}
WORDS = [("on", True), ("yes", True), ("true", True), ("y", True),
         ("off", False), ("no", False), ("false", False), ("n", False)]
REFUSED = ["ON", "On", "No", "YES", "TRUE", "1", "0", ""]
EXPECTED = "is not accepted; expected a boolean (true/false, yes/no, on/off)"
JSON_RO = 'json:{"driver":"raw","read-only":"%s","file":{"driver":"nbd","host":"h"}}'
HTTPS = 'json:{"driver":"https","url":"https://h/x","sslverify":"%s"}'


@pytest.mark.parametrize("word,value", WORDS, ids=[row[0] for row in WORDS])
def test_the_eight_words(word, value):
    assert parse_drive("driver=nbd,host=h,readonly=%s" % word) == dict(NBD_H, layer={"read_only": value})
    assert parse_drive(JSON_RO % word) == dict(NBD_H, layer={"format": "raw", "read_only": value})
    https = parse_drive(HTTPS % word)
    assert https.get("options") == (None if value else {"sslverify": False})  # sslverify=on is the default


@pytest.mark.parametrize("word", REFUSED, ids=["w-" + w for w in REFUSED])
def test_other_words_are_refused(word):
    assert spec_refusal(parse_drive, "driver=nbd,host=h,readonly=%s" % word) == (
        "readonly", "readonly: %r %s" % (word, EXPECTED))
    assert spec_refusal(parse_drive, "driver=nbd,host=h,read-only=%s" % word) == (
        "read-only", "read-only: %r %s" % (word, EXPECTED))
    assert spec_refusal(parse_drive, JSON_RO % word) == ("read-only", "read-only: %r %s" % (word, EXPECTED))
    assert spec_refusal(parse_drive, HTTPS % word) == ("sslverify", "sslverify: %r %s" % (word, EXPECTED))


def test_short_forms():
    assert parse_drive("driver=nbd,host=h,readonly") == dict(NBD_H, layer={"read_only": True})
    assert parse_drive("driver=nbd,host=h,noreadonly") == dict(NBD_H, layer={"read_only": False})
    assert parse_drive("driver=nbd,host=h,read-only") == dict(NBD_H, layer={"read_only": True})
    assert parse_drive("driver=nbd,host=h,noread-only") == dict(NBD_H, layer={"read_only": False})
