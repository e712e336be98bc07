"""Cases found by tests/robustness against the real tools, pinned as unit tests."""

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.protocols.iscsi import _libiscsi_decode
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_opts, render_uri

LUN = {"protocol": "iscsi", "server": {"host": "192.0.2.1"}, "lun": 0}


@pytest.mark.parametrize("escaped, decoded", [
    ("a%2C%2Cb", b"a,%2Cb"), ("a%20b%20c", b"a b%20c"), ("a%20bc%20d", b"a bc d"), ("%41", b"A"), ("%4", b"%4"),
    # lib/init.c: h2i() maps A-F and a-f, anything else as c - '0' (G: 23, g: 55); as QEMU sent
    # them in tests/robustness/test_injection.py
    ("%4Fabc%4f", b"OabcO"), ("%4Gabc%4g", b"Wabcw"),
])
def test_libiscsi_decoder_skips_two_characters_after_an_escape(escaped, decoded):
    assert _libiscsi_decode(escaped) == decoded


@pytest.mark.parametrize("target", ["iqn.2001-04.com.example:x,,y", "iqn.2001-04.com.example:a b c"])
def test_iscsi_target_libiscsi_misreads_is_refused_in_uri_form_only(target):
    spec = dict(LUN, target=target)
    with pytest.raises(SpecError, match="libiscsi"):
        render_uri(spec)
    assert "target=%s" % target.replace(",", ",,") in render_opts(spec)


def test_iscsi_target_with_spaced_escapes_still_renders():
    assert render_uri(dict(LUN, target="iqn.2001-04.com.example:a bc d")).endswith(":a%20bc%20d/0")


def test_iscsi_uri_libiscsi_misreads_is_refused_by_the_parser():
    with pytest.raises(SpecError, match="libiscsi"):
        parse_drive("iscsi://192.0.2.1/iqn.2001-04.com.example:a%2C%2Cb/0")


@pytest.mark.parametrize("spec, kwargs, field", [
    (dict(LUN, target="iqn.2001-04.com.example:t", user="a,b", password_secret="s"), {"secret_usage": "u"}, "user"),
    (dict(LUN, target="iqn.2001-04.com.example:t", user="ab", password_secret="s"), {"secret_usage": "a/b"},
     "secret_usage"),
    ({"protocol": "nbd", "server": {"host": "a_b.example"}}, {}, "host"),
    ({"protocol": "nbd", "server": {"socket": "/run/a\nb"}}, {}, "socket"),
])
def test_disk_xml_refuses_what_the_libvirt_schema_rejects(spec, kwargs, field):
    with pytest.raises(SpecError, match=field):
        render_disk_xml(spec, **kwargs)
