# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""All or nothing, end to end: when this host's libvirt rejects one candidate libvirt.conf, the
libvirt_conf module fails naming that file and libvirt's message, and no file is written - not
the rejected one, not a good one planned in the same call, not the directories.

The collection's own value checks refuse every text libvirt is known to reject, so to reach
libvirt's check the test lets one bad value through them (check_client_setting made a
pass-through, as a future bug in the core would): ``uri_aliases = ["bad"]``, an entry without
``=`` that virURIFindAliasMatch (src/util/viruri.c) refuses ("Malformed 'uri_aliases' config
entry"). The real virsh of the host is the oracle; nothing is connected to (test:///default).
"""

from __future__ import annotations

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.virt_uri.toolkit.plugins.module_utils.fleet import client_conf_edit
from ansible_collections.virt_uri.toolkit.plugins.modules import libvirt_conf
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires

EXISTING = 'uri_default = "test:///default"   # hand-written, keep\n'


def run_in_process(args, capsys):
    with patch_module_args(dict(args, _ansible_remote_tmp="/tmp", _ansible_keep_remote_files=False)):
        with pytest.raises(SystemExit):
            libvirt_conf.main()
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def fleet_root(tmp_path):
    (tmp_path / "etc").mkdir()
    existing = tmp_path / "etc" / "libvirt.conf"
    existing.write_text(EXISTING)
    return tmp_path


def files(root):
    return [
        {"path": str(root / "etc" / "libvirt.conf"), "settings": {"uri_aliases": ["good=test:///default"]}},
        {"path": str(root / "home" / "alice" / ".config" / "libvirt" / "libvirt.conf"),
         "settings": {"uri_aliases": ["bad"]}},
    ]


def test_the_core_refuses_the_bad_alias_first(fleet_root, capsys):
    requires("virsh")
    res = run_in_process({"files": files(fleet_root), "create_dirs": True,
                          "validate_with_virsh": True}, capsys)
    assert res.get("failed") and "settings.uri_aliases" in res["msg"], res
    assert "libvirt rejects" not in res["msg"], res["msg"]
    assert (fleet_root / "etc" / "libvirt.conf").read_text() == EXISTING
    assert not (fleet_root / "home").exists()


def test_a_candidate_libvirt_rejects_fails_and_nothing_is_written(fleet_root, capsys, monkeypatch):
    requires("virsh")
    # Our value check lets the bad entry through: only libvirt's own check stands in the way.
    monkeypatch.setattr(client_conf_edit, "check_client_setting", lambda key, value, _aliases: value)
    res = run_in_process({"files": files(fleet_root), "create_dirs": True,
                          "validate_with_virsh": True}, capsys)
    bad = fleet_root / "home" / "alice" / ".config" / "libvirt" / "libvirt.conf"
    assert res.get("failed"), res
    assert res["msg"].startswith("libvirt rejects the new %s, so no file was written: "
                                 % bad), res["msg"]
    assert "Malformed 'uri_aliases' config entry 'bad'" in res["msg"], res["msg"]
    assert not res.get("changed"), res
    # Nothing written: the good file keeps its text, no directory was created for the bad one.
    assert (fleet_root / "etc" / "libvirt.conf").read_text() == EXISTING
    assert not (fleet_root / "home").exists()
    assert sorted(p.name for p in (fleet_root / "etc").iterdir()) == ["libvirt.conf"]
