# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""On/off values against QEMU 7.2 and 10.0: -drive (``qemu-system-x86_64 -M none``, which parses
-drive as a VM start does and reports the drive over QMP query-block; nothing is connected to) and
json: filenames (``qemu-img info``). Both read exactly on, yes, true, y and off, no, false, n
(qapi/qapi-util.c: qapi_bool_parse) and refuse 'ON', 'No', '1', ... with "Parameter 'read-only'
expects 'on' or 'off'"; drive/node_reader.py read them case-insensitively, with '1' and '0', and is
exact now (tests/unit/drive/test_booleans.py). -drive's short forms (util/qemu-option.c:
get_opt_name_value): 'NAME' is NAME=on, 'noNAME' NAME=off, for any name."""

from __future__ import annotations

import json

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive

QMP = '{"execute":"qmp_capabilities"}\n{"execute":"query-block"}\n{"execute":"quit"}\n'
WORDS = [("on", True), ("yes", True), ("true", True), ("y", True),
         ("off", False), ("no", False), ("false", False), ("n", False)]
REFUSED = ["ON", "On", "No", "YES", "TRUE", "1", "0", ""]
EXPECTS = "Parameter 'read-only' expects 'on' or 'off'"
CASES = WORDS + [(w, None) for w in REFUSED]  # None: QEMU refuses the word
IDS = [row[0] for row in WORDS] + ["w-" + w for w in REFUSED]


def drive_ro(generation, options):
    """QEMU's read-only flag of a null-co -drive with `options`, or QEMU's refusal."""
    proc = generation.run(["qemu-system-x86_64", "-M", "none", "-nodefaults", "-display", "none", "-S",
                           "-qmp", "stdio", "-drive", "driver=null-co,if=none,id=d0," + options],
                          input=QMP, timeout=60)
    for line in proc.stdout.splitlines():
        if '"device": "d0"' in line:
            return json.loads(line)["return"][0]["inserted"]["ro"]
    assert proc.returncode != 0, proc.stdout + proc.stderr
    return proc.stderr


def parsed_ro(text):
    try:
        return parse_drive(text)["layer"]["read_only"]
    except SpecError as err:
        return err


@pytest.mark.parametrize("word,value", CASES, ids=IDS)
def test_drive_readonly_word(generation, word, value):
    for key in ("readonly", "read-only"):
        got = drive_ro(generation, "%s=%s" % (key, word))
        mine = parsed_ro("driver=nbd,host=h,%s=%s" % (key, word))
        if value is None:
            assert EXPECTS in got and isinstance(mine, SpecError), (got, mine)
        else:
            assert got is value and mine is value, (got, mine)


@pytest.mark.parametrize("word,value", CASES, ids=IDS)
def test_json_read_only_word(generation, word, value):
    proc = generation.run(["qemu-img", "info", 'json:{"driver":"null-co","read-only":"%s"}' % word], timeout=60)
    mine = parsed_ro('json:{"driver":"raw","read-only":"%s","file":{"driver":"nbd","host":"h"}}' % word)
    if value is None:
        assert proc.returncode != 0 and EXPECTS in proc.stderr and isinstance(mine, SpecError), (proc.stderr, mine)
    else:
        assert proc.returncode == 0 and mine is value, (proc.stderr, mine)


def test_sslverify_word(generation):
    """curl's sslverify: 'YES' is refused before connecting, 'n' gets as far as connecting."""
    text = 'json:{"driver":"https","url":"https://127.0.0.1:9/x","sslverify":"%s","timeout":2}'
    assert "Parameter 'sslverify' expects 'on' or 'off'" in generation.run(["qemu-img", "info", text % "YES"]).stderr
    assert "Failed to connect to 127.0.0.1 port 9" in generation.run(["qemu-img", "info", text % "n"]).stderr
    with pytest.raises(SpecError) as err:
        parse_drive(text % "YES")
    assert err.value.field == "sslverify"
    assert parse_drive(text % "n")["options"]["sslverify"] is False


def test_drive_short_forms(generation):
    for options, value in (("readonly", True), ("noreadonly", False), ("read-only", True), ("noread-only", False)):
        assert drive_ro(generation, options) is value, options
        assert parsed_ro("driver=nbd,host=h," + options) is value, options
    # 'nox' is x=off, which null-co has not; the empty name after 'readonly,,' is an option ''
    for options, error in (("nox", "doesn't support the option 'x'"), ("readonly,,x=1", "doesn't support the option ''")):
        assert error in drive_ro(generation, options), options
        assert isinstance(parsed_ro("driver=nbd,host=h," + options), SpecError), options
