# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""iSCSI drives (drive/protocols/iscsi.py): the field and the whole message of each refusal, as
the other drive error tables do (tests/unit/drive/test_server_address_errors.py), and the readings
of each form. The URL, -drive / -blockdev and disk XML shapes here are the ones
tests/live/drive/test_drive_filters_live.py opens with tgtd on QEMU 7.2 and 10.0 (iscsi-secret,
iscsi-inline, iscsi-ipv6-inline, iscsi-options)."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import (
    normalize, render_blockdev, render_uri,
)
from ansible_collections.virt_uri.toolkit.tests.support.ids import row_ids
from ansible_collections.virt_uri.toolkit.tests.support.refusals import spec_refusal

ISCSI = {"protocol": "iscsi", "server": {"host": "192.0.2.1"}, "target": "iqn.2001-04.com.example", "lun": 1}
NORM = {"protocol": "iscsi", "servers": [{"host": "192.0.2.1", "port": 3260}], "target": "iqn.2001-04.com.example",
        "lun": 1}
LAYER = {"device": "disk", "read_only": False}


_URL_USER = "libiscsi cannot carry # % / : ? @ in a URL user name"
SPEC_ERRORS = [
    ({"protocol": "iscsi", "server": {"host": "h"}, "lun": 1}, "target",
     "target: required: the target IQN, e.g. iqn.2001-04.com.example:storage"),
    (dict(ISCSI, target=1), "target", "target: 1 is not accepted; expected a string, got int"),
    (dict(ISCSI, target="iqn.a/b"), "target",
     "target: 'iqn.a/b' is not accepted; an iSCSI target name cannot contain '/' (libiscsi ends it there)"),
    ({"protocol": "iscsi", "server": {"host": "h"}, "target": "t"}, "lun", "lun: required: the LUN number (0 for the first)"),
    (dict(ISCSI, lun=-1), "lun", "lun: -1 is not accepted; expected an integer >= 0"),
    (dict(ISCSI, lun=256), "lun", "lun: 256 is not accepted; a LUN 0-255: libiscsi sends a higher LUN without the "
     "flat-space addressing bits, and the target reads another LUN (tgtd: 256 as LUN 0, 257 as LUN 1)"),
    (dict(ISCSI, user="a%b", password="p", credentials="inline"), "user", "user: 'a%b' is not accepted; " + _URL_USER),
    (dict(ISCSI, user="a:b", password="p", credentials="inline"), "user", "user: 'a:b' is not accepted; " + _URL_USER),
    (dict(ISCSI, user="a@b", password="p", credentials="inline"), "user", "user: 'a@b' is not accepted; " + _URL_USER),
    (dict(ISCSI, user="u", password="p@q", credentials="inline"), "password",
     "password: <hidden> is not accepted; libiscsi cannot carry '@', '/', '?' or '#' in a URL password; use "
     "credentials 'secret' (password_secret) or 'env'"),
    (dict(ISCSI, user="u", password="p#q", credentials="inline"), "password",
     "password: <hidden> is not accepted; libiscsi cannot carry '@', '/', '?' or '#' in a URL password; use "
     "credentials 'secret' (password_secret) or 'env'"),
    (dict(ISCSI, options={"header_digest": "md5"}), "options.header_digest",
     "options.header_digest: 'md5' is not accepted; expected one of: crc32c, none, crc32c-none, none-crc32c"),
    (dict(ISCSI, options={"transport": "rdma"}), "options.transport",
     "options.transport: 'rdma' is not accepted; expected 'tcp' or 'iser'"),
    (dict(ISCSI, options={"timeout": -1}), "options.timeout",
     "options.timeout: -1 is not accepted; expected an integer between 0 and 4294967295"),
    (dict(ISCSI, options={"initiator_name": 1}), "options.initiator_name",
     "options.initiator_name: 1 is not accepted; expected a string, got int"),
    (dict(ISCSI, foo=1), "foo", "foo: 1 is not accepted; unknown key; accepted keys here: credentials, lun, options, "
     "password, password_secret, protocol, server, servers, target, user"),
]


@pytest.mark.parametrize("spec,field,message", SPEC_ERRORS, ids=row_ids(SPEC_ERRORS))
def test_spec_refusal(spec, field, message):
    assert spec_refusal(normalize, spec) == (field, message)


def test_normalize():
    # a URL password may hold '%' and ':' (libiscsi splits the userinfo at the first '%', else ':')
    spec = dict(ISCSI, lun=255, user="u", password="p%:", credentials="inline", options={"transport": "tcp"})
    assert normalize(spec) == dict(NORM, lun=255, user="u", password="p%:", credentials="inline")
    assert normalize(dict(ISCSI, lun=0, options={"transport": "iser", "timeout": 0})) == dict(
        NORM, lun=0, options={"transport": "iser", "timeout": 0})


def _unexpressible(names):
    return ("options", "options: %r is not accepted; %s cannot be written in the iscsi URL; use qemu_drive_opts, "
            "qemu_blockdev or libvirt_disk_xml, or pass on_unexpressible='omit' to drop them knowingly"
            % (sorted(names), ", ".join(sorted(names))))


_DECODER = ("libiscsi would read this target differently from a URL (after a %-escape its decoder skips the next "
            "two characters, so escapes less than three characters apart are left undecoded); use qemu_drive_opts "
            "or qemu_blockdev")
URI_ERRORS = [
    (dict(ISCSI, options={"timeout": 5, "initiator_name": "iqn.i"}), _unexpressible(["initiator_name", "timeout"])),
    (dict(ISCSI, options={"header_digest": "none", "transport": "iser"}), _unexpressible(["header_digest"])),
    (dict(ISCSI, user="u", password_secret="sec0"), _unexpressible(["password_secret", "user"])),
    (dict(ISCSI, user="u", password_secret="sec0", options={"timeout": 1}),
     _unexpressible(["password_secret", "timeout", "user"])),
    # a user with no password: the URL would log in without CHAP
    (dict(ISCSI, user="u"), _unexpressible(["user"])),
    (dict(ISCSI, target="iqn.%A%B"), ("target", "target: 'iqn.%A%B' is not accepted; " + _DECODER)),
    (dict(ISCSI, target="a" * 244), ("target", "target: %s...(246 chars) is not accepted; the URL would be 256 "
                                     "bytes after 'iscsi://'; libiscsi silently truncates beyond 255; use "
                                     "qemu_drive_opts or qemu_blockdev" % repr("a" * 244)[:120])),
    # the limit counts bytes: a two-byte user name
    (dict(ISCSI, target="a" * 239, user="\u00fc", password="p", credentials="inline"),
     ("target", "target: %s...(241 chars) is not accepted; the URL would be 256 bytes after 'iscsi://'; libiscsi "
      "silently truncates beyond 255; use qemu_drive_opts or qemu_blockdev" % repr("a" * 239)[:120])),
]


@pytest.mark.parametrize("spec,refusal", URI_ERRORS, ids=row_ids(URI_ERRORS))
def test_uri_refusal(spec, refusal):
    assert spec_refusal(render_uri, spec) == refusal


@pytest.mark.parametrize("spec,expected", [
    (dict(ISCSI, user="u", password="p%:", credentials="inline"), "iscsi://u%p%:@192.0.2.1/iqn.2001-04.com.example/1"),
    # credentials 'env': the password goes to LIBISCSI_CHAP_PASSWORD, the URL has no userinfo
    (dict(ISCSI, user="u", password="p", credentials="env"), "iscsi://192.0.2.1/iqn.2001-04.com.example/1"),
    (dict(ISCSI, server={"host": "::1", "port": 3261}, lun=0), "iscsi://[::1]:3261/iqn.2001-04.com.example/0"),
    (dict(ISCSI, target="a" * 243), "iscsi://192.0.2.1/%s/1" % ("a" * 243)),  # 255 bytes after iscsi://
    (dict(ISCSI, target="a" * 238, user="\u00fc", password="p", credentials="inline"),
     "iscsi://\u00fc%%p@192.0.2.1/%s/1" % ("a" * 238)),
    # a '%' three characters from the next escape decodes right
    (dict(ISCSI, target="iqn.%41%42"), "iscsi://192.0.2.1/iqn.%2541%2542/1"),
    # block/iscsi.c: iscsi_parse_filename maps the URL's ISER_TRANSPORT to transport 'iser'
    (dict(ISCSI, options={"transport": "iser"}), "iser://192.0.2.1/iqn.2001-04.com.example/1"),
], ids=["inline", "env", "ipv6", "limit", "limit-two-byte-user", "escapes", "iser"])
def test_uri(spec, expected):
    assert render_uri(spec) == expected
    if spec.get("credentials") != "env":
        assert parse_drive(expected) == normalize(spec)


def test_uri_omits_what_it_cannot_carry():
    spec = dict(ISCSI, user="u", password_secret="sec0", options={"timeout": 5})
    assert render_uri(spec, on_unexpressible="omit") == "iscsi://192.0.2.1/iqn.2001-04.com.example/1"


BLOCKDEV_ERRORS = [
    (dict(ISCSI, user="u", password="p", credentials="inline"), "credentials",
     "credentials: 'inline' is not accepted; a plain password is written only into a URL (inline) or the "
     "environment (env); for -drive/-blockdev options use password_secret with a QEMU secret object"),
    (dict(ISCSI, user="u", password="p", credentials="env"), "credentials",
     "credentials: 'env' is not accepted; a plain password is written only into a URL (inline) or the "
     "environment (env); for -drive/-blockdev options use password_secret with a QEMU secret object"),
    (dict(ISCSI, user="u"), "password_secret", "password_secret: required with user for -drive / -blockdev (the id "
     "of a QEMU secret object holding the CHAP password)"),
]


@pytest.mark.parametrize("spec,field,message", BLOCKDEV_ERRORS, ids=row_ids(BLOCKDEV_ERRORS))
def test_blockdev_refusal(spec, field, message):
    assert spec_refusal(render_blockdev, spec) == (field, message)


def test_blockdev():
    spec = dict(ISCSI, user="u", password_secret="sec0",
                options={"initiator_name": "iqn.2026-01.test.virt-uri:client", "timeout": 30})
    node = {"driver": "iscsi", "transport": "tcp", "portal": "192.0.2.1:3260", "target": "iqn.2001-04.com.example",
            "lun": 1, "user": "u", "password-secret": "sec0", "initiator-name": "iqn.2026-01.test.virt-uri:client",
            "timeout": 30}
    assert render_blockdev(spec) == node
    assert parse_drive(node) == normalize(spec)
    assert render_blockdev(ISCSI) == {"driver": "iscsi", "transport": "tcp", "portal": "192.0.2.1:3260",
                                      "target": "iqn.2001-04.com.example", "lun": 1}


_LONG = "iscsi://h/%s/1" % ("a" * 252)
_QUERY = ("is not accepted; query strings and fragments are not supported: header_digest / data_digest crash "
          "qemu-img; use the options of qemu_drive_opts instead")
_SHAPE = "is not accepted; expected iscsi://[user%password@]host[:port]/target-iqn/lun"
PARSE_ERRORS = [
    (_LONG, "uri", "uri: %s...(266 chars) is not accepted; longer than libiscsi's 255 bytes after 'iscsi://'"
     % repr(_LONG)[:120]),
    (_LONG.replace("iscsi", "iser"), "uri", "uri: %s...(265 chars) is not accepted; longer than libiscsi's 255 "
     "bytes after 'iser://'" % repr(_LONG.replace("iscsi", "iser"))[:120]),
    # bytes, not characters
    ("iscsi://h/%s\u00e9/1" % ("a" * 250), "uri", "uri: %s...(265 chars) is not accepted; longer than libiscsi's "
     "255 bytes after 'iscsi://'" % repr("iscsi://h/%s\u00e9/1" % ("a" * 250))[:120]),
    ("iscsi://h/t/1?header_digest=crc32c", "uri", "uri: 'iscsi://h/t/1?header_digest=crc32c' " + _QUERY),
    ("iscsi://h/t/1#f", "uri", "uri: 'iscsi://h/t/1#f' " + _QUERY),
    ("iscsi://u@h/t/1", "uri", "uri: 'iscsi://u@h/t/1' is not accepted; a user without a password in the URL needs "
     "the password in LIBISCSI_CHAP_PASSWORD; write the spec with credentials 'env'"),
    ("iscsi://h/t", "uri", "uri: 'iscsi://h/t' " + _SHAPE),
    ("iscsi://h", "uri", "uri: 'iscsi://h' " + _SHAPE),
    ("iscsi://h/t/x", "uri", "uri: 'iscsi://h/t/x' " + _SHAPE),
    ("iscsi://::1/t/1", "uri",
     "uri: 'iscsi://::1/t/1' is not accepted; cannot read the portal host[:port] (IPv6 needs brackets)"),
    ("iscsi://999.1.1.1/t/1", "host", "host: '999.1.1.1' is not accepted; not a valid IPv4 address"),
    ("iscsi://h/t%41%42/0", "uri", "uri: 'iscsi://h/t%41%42/0' is not accepted; QEMU (libiscsi) reads this target "
     "as 'tA%42', not 'tAB': its decoder skips the two characters after each %-escape"),
    ("iscsi://h/t%aa/0", "target", "target: 't%aa' is not accepted; %-escapes do not decode to UTF-8"),
    # the bytes libiscsi leaves are no UTF-8: shown with a replacement character
    ("iscsi://h/t%C3%A9/0", "uri", "uri: 'iscsi://h/t%C3%A9/0' is not accepted; QEMU (libiscsi) reads this target "
     "as 't\ufffd%A9', not 't\u00e9': its decoder skips the two characters after each %-escape"),
    # libiscsi: the first '://', the first '@', the first '/' after the portal, then the LUN
    ("iscsi://h/t/0://x", "uri", "uri: 'iscsi://h/t/0://x' " + _SHAPE),
    ("iscsi://u:p://x@h/t/0", "password", "password: <hidden> is not accepted; libiscsi cannot carry '@', '/', '?' "
     "or '#' in a URL password; use credentials 'secret' (password_secret) or 'env'"),
    # an empty user before the '%': the spec's user check, not the missing-password one
    ("iscsi://%p@h/t/0", "user", "user: '' is not accepted; expected a non-empty string"),
    ("iscsi://h/t/x/0", "uri", "uri: 'iscsi://h/t/x/0' " + _SHAPE),
    ("iscsi://u%p@x@h/t/0", "host", "host: 'x@h' is not accepted; expected a host name (letters, digits, '-', '.'), "
     "an IPv4 address or an IPv6 address"),
]


@pytest.mark.parametrize("text,field,message", PARSE_ERRORS, ids=row_ids(PARSE_ERRORS))
def test_parse_refusal(text, field, message):
    assert spec_refusal(parse_drive, text) == (field, message)


@pytest.mark.parametrize("text,expected", [
    ("iscsi://h/%s/1" % ("a" * 251), {"servers": [{"host": "h", "port": 3260}], "target": "a" * 251, "lun": 1}),
    ("iscsi://u%p:q@h/t/1", {"servers": [{"host": "h", "port": 3260}], "target": "t", "lun": 1, "user": "u",
                             "password": "p:q", "credentials": "inline"}),
    ("iscsi://u:p@h/t/1", {"servers": [{"host": "h", "port": 3260}], "target": "t", "lun": 1, "user": "u",
                           "password": "p", "credentials": "inline"}),
    ("iscsi://[::1]:3261/t/0", {"servers": [{"host": "::1", "port": 3261}], "target": "t", "lun": 0}),
    ("iser://h/t/0", {"servers": [{"host": "h", "port": 3260}], "target": "t", "lun": 0,
                      "options": {"transport": "iser"}}),
    ("iscsi://h/t%2541/0", {"servers": [{"host": "h", "port": 3260}], "target": "t%41", "lun": 0}),
    ("iscsi://u:p:q@h/t/0", {"servers": [{"host": "h", "port": 3260}], "target": "t", "lun": 0, "user": "u",
                             "password": "p:q", "credentials": "inline"}),
    # hex digits A-F and a-f, each escape three characters from the next
    ("iscsi://h/t%4Axx%4Fxx%6axx%6f/0", {"servers": [{"host": "h", "port": 3260}], "target": "tJxxOxxjxxo", "lun": 0}),
], ids=["limit", "percent-first", "colon", "ipv6", "iser", "escape", "first-colon", "hex-letters"])
def test_parse_uri(text, expected):
    assert parse_drive(text) == dict(expected, protocol="iscsi")


_NODE = '"driver":"iscsi","transport":"tcp","portal":"h","target":"t"'
_NEED_ALL = "required by QEMU's iscsi driver (Need all of transport, portal and target options): Parameter '%s' is missing"
NODE_ERRORS = [
    ('json:{"driver":"iscsi","portal":"h","target":"t"}', "transport", "transport: " + _NEED_ALL % "transport"),
    ('json:{"driver":"iscsi","transport":"tcp","target":"t"}', "portal", "portal: " + _NEED_ALL % "portal"),
    ('json:{"driver":"iscsi","transport":"tcp","portal":"h"}', "target", "target: " + _NEED_ALL % "target"),
    ('json:{"driver":"iscsi","transport":"rdma","portal":"h","target":"t"}', "transport",
     "transport: 'rdma' is not accepted; Unknown transport: rdma (expected tcp or iser)"),
    ('json:{"driver":"iscsi","transport":"tcp","portal":"::1","target":"t"}', "portal",
     "portal: '::1' is not accepted; an IPv6 portal needs brackets, '[::1]:3260' (libiscsi takes the port after the "
     "last ':')"),
    ('json:{"driver":"iscsi","transport":"tcp","portal":"h:3260,1","target":"t"}', "portal",
     "portal: 'h:3260,1' is not accepted; expected a portal 'host[:port]' or '[IPv6]:port' (a ',TPGT' suffix is not "
     "read here)"),
    ('json:{"driver":"iscsi","transport":"tcp","portal":"[::1:3260","target":"t"}', "portal",
     "portal: '[::1:3260' is not accepted; expected a portal 'host[:port]' or '[IPv6]:port' (a ',TPGT' suffix is not "
     "read here)"),
    ('json:{%s,"user":"u"}' % _NODE, "password-secret",
     "password-secret: CHAP username specified but no password was given"),
    ('json:{%s,"user":"u","password":"p","password-secret":"s"}' % _NODE, "password",
     "password: <hidden> is not accepted; 'password' and 'password-secret' properties are mutually exclusive"),
    # -blockdev has no plain 'password' (QAPI BlockdevOptionsIscsi): the user has none
    ({"driver": "iscsi", "transport": "tcp", "portal": "h", "target": "t", "user": "u", "password": "p"},
     "password-secret", "password-secret: CHAP username specified but no password was given"),
    ('file.driver=iscsi,file.transport=tcp,file.portal=h,file.target=t,file.lun=x', "file.lun",
     "file.lun: 'x' is not accepted; Parameter 'lun' expects a number"),
]


@pytest.mark.parametrize("text,field,message", NODE_ERRORS, ids=row_ids(NODE_ERRORS))
def test_node_refusal(text, field, message):
    assert spec_refusal(parse_drive, text) == (field, message)


@pytest.mark.parametrize("text,expected", [
    # no lun: LUN 0 (block/iscsi.c: qemu_opt_get_number(opts, "lun", 0))
    ('json:{%s}' % _NODE, {"servers": [{"host": "h", "port": 3260}], "target": "t", "lun": 0}),
    ('json:{"driver":"iscsi","transport":"tcp","portal":"[::1]:3261","target":"t","lun":3}',
     {"servers": [{"host": "::1", "port": 3261}], "target": "t", "lun": 3}),
    # -drive's deprecated plain 'password' (block/iscsi.c: apply_chap)
    ('json:{%s,"user":"u","password":"p"}' % _NODE,
     {"servers": [{"host": "h", "port": 3260}], "target": "t", "lun": 0, "user": "u", "password": "p",
      "credentials": "inline"}),
    ('json:{"driver":"iscsi","transport":"iser","portal":"h","target":"t","initiator-name":"iqn.i",'
     '"header-digest":"none","timeout":3}',
     {"servers": [{"host": "h", "port": 3260}], "target": "t", "lun": 0,
      "options": {"transport": "iser", "initiator_name": "iqn.i", "header_digest": "none", "timeout": 3}}),
], ids=["no-lun", "ipv6-portal", "password", "options"])
def test_parse_node(text, expected):
    assert parse_drive(text) == dict(expected, protocol="iscsi")


_SECRET = "secret_usage or secret_uuid (the libvirt secret holding the password)"
DISK_ERRORS = [
    (dict(ISCSI, options={"timeout": 5}), {}, "options", "options: ['timeout'] is not accepted; timeout cannot be "
     "written in the iscsi libvirt disk XML; use qemu_blockdev or qemu_drive_opts, or pass on_unexpressible='omit' "
     "to drop them knowingly"),
    (dict(ISCSI, options={"header_digest": "none", "transport": "iser", "initiator_name": "iqn.i"}), {}, "options",
     "options: ['header_digest', 'transport'] is not accepted; header_digest, transport cannot be written in the "
     "iscsi libvirt disk XML; use qemu_blockdev or qemu_drive_opts, or pass on_unexpressible='omit' to drop them "
     "knowingly"),
    (dict(ISCSI, user="u"), {}, "secret_usage", "secret_usage: iSCSI CHAP in libvirt XML needs exactly one of "
     + _SECRET),
    (dict(ISCSI, user="u", password="p", credentials="inline"), {"secret_usage": "x"}, "credentials",
     "credentials: 'inline' is not accepted; libvirt takes the password of iSCSI CHAP only from a libvirt secret: "
     "use credentials 'secret' with secret_usage or secret_uuid"),
    (dict(ISCSI, user="u v"), {"secret_usage": "x"}, "user", "user: 'u v' is not accepted; libvirt's domain schema "
     "allows only letters, digits, '_', '+' and '-' in the user name of iSCSI CHAP"),
]


@pytest.mark.parametrize("spec,kwargs,field,message", DISK_ERRORS, ids=row_ids(DISK_ERRORS))
def test_disk_xml_refusal(spec, kwargs, field, message):
    assert spec_refusal(render_disk_xml, spec, **kwargs) == (field, message)


def test_disk_xml():
    spec = dict(ISCSI, user="u", password_secret="sec0", options={"initiator_name": "iqn.2026-01.test.virt-uri:client"})
    xml = render_disk_xml(spec, secret_usage="iscsi-chap")
    assert xml == (
        '<disk type="network" device="disk">\n  <driver name="qemu" type="raw" />\n'
        '  <source protocol="iscsi" name="iqn.2001-04.com.example/1">\n'
        '    <host name="192.0.2.1" port="3260" />\n'
        '    <auth username="u">\n      <secret type="iscsi" usage="iscsi-chap" />\n    </auth>\n'
        '    <initiator>\n      <iqn name="iqn.2026-01.test.virt-uri:client" />\n    </initiator>\n'
        '  </source>\n  <target dev="vda" bus="virtio" />\n</disk>')
    back = parse_drive(xml)
    assert back == dict(NORM, user="u", options={"initiator_name": "iqn.2026-01.test.virt-uri:client"},
                        layer={"format": "raw", "target_dev": "vda", "target_bus": "virtio", "device": "disk",
                               "secret_usage": "iscsi-chap", "read_only": False})


def _disk(name, children="<host name='h'/>"):
    return ("<disk type='network' device='disk'><source protocol='iscsi'%s>%s</source></disk>"
            % ("" if name is None else " name='%s'" % name, children))


def test_disk_xml_reading():
    # no '/LUN': LUN 0, as libvirt reads it (storage_source_backingstore.c: virStorageSourceParseBackingJSONiSCSI)
    assert parse_drive(_disk("iqn.t")) == {"protocol": "iscsi", "servers": [{"host": "h", "port": 3260}],
                                           "target": "iqn.t", "lun": 0, "layer": LAYER}
    assert parse_drive(_disk("iqn.t/3", "<host name='h' port='3261'/>")) == {
        "protocol": "iscsi", "servers": [{"host": "h", "port": 3261}], "target": "iqn.t", "lun": 3, "layer": LAYER}


@pytest.mark.parametrize("name,field,message", [
    ("/3", "source.name", "source.name: '/3' is not accepted; expected 'TARGET-IQN/LUN'"),
    (None, "source.name", "source.name: '' is not accepted; expected 'TARGET-IQN/LUN'"),
    ("iqn.t/x", "lun", "lun: 'x' is not accepted; expected an integer (digits 0-9), got str"),
], ids=["no-target", "no-name", "bad-lun"])
def test_disk_xml_reading_refusal(name, field, message):
    assert spec_refusal(parse_drive, _disk(name)) == (field, message)
