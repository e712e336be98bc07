# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP, HTTPS, FTP, FTPS drives (drive/protocols/curl.py): the field and the whole message of
each refusal, as the other drive error tables do (tests/unit/drive/test_server_address_errors.py),
and the readings of each form. QEMU 7.2 and 10.0 open the URL, -drive and -blockdev shapes here
against nginx and an FTP(S) server, and libvirt validates the disk XML
(tests/live/drive/test_drive_filters_live.py: http, http-query, https-cookie-inline,
http-basic-secret, http-basic-inline, http-ipv6, ftp, ftp-user-inline, ftps;
tests/live/libvirt/test_libvirt_version_gates_live.py: test_curl_auth_with_a_secret_validates_on_both)."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import (
    normalize, render_blockdev, render_uri,
)
from ansible_collections.virt_uri.toolkit.tests.support.ids import row_ids
from ansible_collections.virt_uri.toolkit.tests.support.refusals import spec_refusal

HTTP = {"protocol": "http", "server": {"host": "h"}, "path": "/a.img"}
HTTPS = dict(HTTP, protocol="https")
FTP = dict(HTTP, protocol="ftp")


_QUERY = ("the query string may hold only URI query characters and %XX escapes (no spaces, '#' or other characters; "
          "escape them as %XX)")
_READAHEAD = "must be a positive multiple of 512 bytes (HTTP_READAHEAD_SIZE)"
SPEC_ERRORS = [
    ({"protocol": "http", "server": {"host": "h"}}, "path",
     "path: required: the absolute path on the server (may end in ?query)"),
    (dict(HTTP, path="a.img"), "path", "path: 'a.img' is not accepted; expected an absolute path starting with '/'"),
    (dict(HTTP, path=1), "path", "path: 1 is not accepted; expected a string, got int"),
    (dict(HTTP, path="/a?b c"), "path", "path: '/a?b c' is not accepted; " + _QUERY),
    (dict(HTTP, path="/a#b"), "path", "path: '/a#b' is not accepted; " + _QUERY),
    (dict(HTTP, options={"readahead": 0}), "options.readahead", "options.readahead: 0 is not accepted; " + _READAHEAD),
    (dict(HTTP, options={"readahead": 513}), "options.readahead",
     "options.readahead: 513 is not accepted; " + _READAHEAD),
    (dict(HTTP, options={"readahead": "1x"}), "options.readahead",
     "options.readahead: '1x' is not accepted; expected bytes as an integer or a size such as '64k', '1M'"),
    (dict(HTTP, options={"timeout": 10001}), "options.timeout",
     "options.timeout: 10001 is not accepted; expected an integer between 0 and 10000"),
    (dict(HTTPS, options={"sslverify": "x"}), "options.sslverify",
     "options.sslverify: 'x' is not accepted; expected a boolean (true/false, yes/no, on/off)"),
    (dict(HTTP, credentials="inline", options={"cookie": "a=\x01"}), "options.cookie",
     "options.cookie: <hidden> is not accepted; control characters cannot be sent in a cookie header"),
    (dict(HTTP, credentials="inline", options={"cookie": 1}), "options.cookie",
     "options.cookie: 1 is not accepted; expected a string, got int"),
    (dict(HTTP, options={"cookie_secret": "0x"}), "options.cookie_secret", "options.cookie_secret: '0x' is not "
     "accepted; expected a QEMU object id: a letter, then letters, digits, '-', '.', '_'"),
    (dict(HTTP, options={"proxy_username": 1}), "options.proxy_username",
     "options.proxy_username: 1 is not accepted; expected a string, got int"),
    (dict(HTTP, options={"proxy_password_secret": "0x"}), "options.proxy_password_secret",
     "options.proxy_password_secret: '0x' is not accepted; expected a QEMU object id: a letter, then letters, "
     "digits, '-', '.', '_'"),
    (dict(HTTP, options={"sslverify": False}), "options.sslverify", "options.sslverify: False is not accepted; "
     "only for https and ftps (QEMU's http driver has no sslverify)"),
    (dict(FTP, options={"cookie_secret": "c"}), "options.cookie_secret", "options.cookie_secret: 'c' is not "
     "accepted; only for http and https (QEMU's ftp driver has no cookie_secret)"),
    (dict(FTP, credentials="inline", options={"cookie": "a=1"}), "options.cookie", "options.cookie: <hidden> is not "
     "accepted; only for http and https (QEMU's ftp driver has no cookie)"),
    (dict(HTTP, options={"cookie": "a=1"}), "options.cookie", "options.cookie: <hidden> is not accepted; a plain "
     "cookie is rendered only with credentials 'inline'; by default give cookie_secret (the id of a QEMU secret "
     "object holding the cookie)"),
    (dict(HTTP, credentials="inline", options={"cookie": "a=1", "cookie_secret": "c"}), "options.cookie_secret",
     "options.cookie_secret: 'c' is not accepted; curl driver cannot handle both cookie and cookie secret: give one"),
    (dict(HTTP, foo=1), "foo", "foo: 1 is not accepted; unknown key; accepted keys here: credentials, options, "
     "password, password_secret, path, protocol, server, servers, user"),
]


@pytest.mark.parametrize("spec,field,message", SPEC_ERRORS, ids=row_ids(SPEC_ERRORS))
def test_spec_refusal(spec, field, message):
    assert spec_refusal(normalize, spec) == (field, message)


@pytest.mark.parametrize("spec,expected", [
    (dict(HTTP, options={"readahead": "64k", "timeout": 10000}),
     {"servers": [{"host": "h", "port": 80}], "options": {"readahead": 65536, "timeout": 10000}}),
    (dict(HTTPS, options={"sslverify": True}), {"servers": [{"host": "h", "port": 443}]}),  # the default
    (dict(dict(HTTP, protocol="ftps"), options={"sslverify": False, "readahead": 512}),
     {"servers": [{"host": "h", "port": 990}], "options": {"sslverify": False, "readahead": 512}}),
    (dict(FTP, user="u"), {"servers": [{"host": "h", "port": 21}], "user": "u"}),
], ids=["options", "sslverify-default", "ftps", "ftp-user"])
def test_normalize(spec, expected):
    assert normalize(spec) == dict(expected, protocol=spec["protocol"], path="/a.img")


def _unexpressible(names, form="http URL", alternatives="qemu_drive_opts, qemu_blockdev or libvirt_disk_xml"):
    return ("options", "options: %r is not accepted; %s cannot be written in the %s; use %s, or pass "
            "on_unexpressible='omit' to drop them knowingly"
            % (sorted(names), ", ".join(sorted(names)), form, alternatives))


@pytest.mark.parametrize("spec,refusal", [
    (dict(HTTP, options={"timeout": 3}), _unexpressible(["timeout"])),
    (dict(HTTP, user="u", password_secret="pw0"), _unexpressible(["password_secret", "user"])),
    (dict(FTP, password_secret="pw0", options={"readahead": 512}),
     _unexpressible(["password_secret", "readahead", "user"], "ftp URL")),
], ids=["option", "secret", "ftp"])
def test_uri_refusal(spec, refusal):
    assert spec_refusal(render_uri, spec) == refusal


@pytest.mark.parametrize("spec,expected", [
    (dict(HTTP, user="u@x", password="p:@/", credentials="inline", path="/a b?x=%41"),
     "http://u%40x:p%3A%40%2F@h/a%20b?x=%41"),
    (dict(HTTP, server={"host": "h", "port": 80}), "http://h/a.img"),
    (dict(HTTP, server={"host": "::1", "port": 8080}), "http://[::1]:8080/a.img"),
    (dict(FTP, user="anonymous", password="guest@x", credentials="inline"), "ftp://anonymous:guest%40x@h/a.img"),
], ids=["inline-escapes", "default-port", "ipv6", "ftp-user-inline"])
def test_uri(spec, expected):
    assert render_uri(spec) == expected
    assert parse_drive(expected) == normalize(spec)


@pytest.mark.parametrize("fmt", [None, "raw"])
def test_blockdev_cannot_be_writable(fmt):
    """QEMU refuses a curl -blockdev node with read-only off (tests/live/drive/test_curl_read_only_live.py)."""
    with pytest.raises(SpecError) as refused:
        render_blockdev(dict(HTTP, protocol="ftps"), read_only=False, fmt=fmt)
    assert str(refused.value) == ("read_only: False is not accepted; true or unset for ftps: QEMU's curl driver "
                                  "cannot write (it says 'curl driver does not support writes')")
    assert render_blockdev(HTTP, read_only=True)["read-only"] is True


def test_uri_omit_drops_the_user_of_a_secret():
    """on_unexpressible='omit' drops user and password_secret as its refusal names them: no 'u@'
    left in the URL (libcurl would send the user with an empty password)."""
    spec = dict(HTTP, user="u", password_secret="pw0", options={"timeout": 3})
    assert render_uri(spec, on_unexpressible="omit") == "http://h/a.img"


@pytest.mark.parametrize("spec,node", [
    (dict(HTTP, user="u", password_secret="pw0",
          options={"timeout": 3, "readahead": "64k", "proxy_username": "pu", "proxy_password_secret": "pp"}),
     {"driver": "http", "url": "http://h/a.img", "username": "u", "password-secret": "pw0", "timeout": 3,
      "readahead": 65536, "proxy-username": "pu", "proxy-password-secret": "pp", "read-only": True}),
    (dict(HTTP, password_secret="pw0"), {"driver": "http", "url": "http://h/a.img", "password-secret": "pw0",
                                         "read-only": True}),
    (dict(HTTP, user="u", password="p", credentials="inline"),
     {"driver": "http", "url": "http://u:p@h/a.img", "read-only": True}),
    (dict(HTTP, user="u"), {"driver": "http", "url": "http://u@h/a.img", "read-only": True}),
    (dict(HTTPS, credentials="inline", options={"sslverify": False, "cookie": "a=1"}),
     {"driver": "https", "url": "https://h/a.img", "sslverify": False, "cookie": "a=1", "read-only": True}),
    (dict(HTTPS, options={"cookie_secret": "ck0"}),
     {"driver": "https", "url": "https://h/a.img", "cookie-secret": "ck0", "read-only": True}),
], ids=["secret-options", "secret-no-user", "inline", "user-only", "cookie", "cookie-secret"])
def test_blockdev(spec, node):
    assert render_blockdev(spec) == node
    back = parse_drive(node)
    assert back == dict(normalize(spec), layer={"read_only": True})


_URL = "is not accepted; expected %s://[user[:password]@]host[:port]/path"
PARSE_ERRORS = [
    ("http:///a", "uri", "uri: 'http:///a' " + _URL % "http"),
    ("ftps:///a", "uri", "uri: 'ftps:///a' " + _URL % "ftps"),
    ("http://h/%zz", "path", "path: '/%zz' is not accepted; invalid %-encoding"),
    ("http://u%zz@h/a", "user", "user: 'u%zz' is not accepted; invalid %-encoding"),
    ("http://u:%zz@h/a", "password", "password: <hidden> is not accepted; invalid %-encoding"),
    ("http://u:%ff@h/a", "password", "password: <hidden> is not accepted; %-escapes do not decode to UTF-8"),
    ('json:{"driver":"http"}', "url", "url: required by QEMU's http driver (curl block driver requires an 'url' "
     "option): Parameter 'url' is missing"),
    ('json:{"driver":"http","url":"https://h/a"}', "url", "url: 'https://h/a' is not accepted; http curl driver "
     "cannot handle the URL 'https://h/a' (does not start with 'http://')"),
    # from_uri's refusals of the whole URL name the node's url
    ('json:{"driver":"http","url":"http:///a"}', "url", "url: 'http:///a' " + _URL % "http"),
    ('json:{"driver":"raw","file":{"driver":"ftp","url":"ftp:///a"}}', "file.url",
     "file.url: 'ftp:///a' " + _URL % "ftp"),
    ('json:{"driver":"http","url":"http://[::1/a"}', "url",
     "url: 'http://[::1/a' is not accepted; IPv6 address without closing ']'"),
    ({"driver": "http", "url": "http://h/a", "readahead": "64k", "read-only": True}, "readahead",
     "readahead: '64k' is not accepted; expected a number, got a string (Invalid parameter type for 'readahead', "
     "expected: integer)"),
]


@pytest.mark.parametrize("value,field,message", PARSE_ERRORS, ids=row_ids(PARSE_ERRORS))
def test_parse_refusal(value, field, message):
    assert spec_refusal(parse_drive, value) == (field, message)


@pytest.mark.parametrize("value,expected", [
    ("http://h", {"protocol": "http", "servers": [{"host": "h", "port": 80}], "path": "/"}),
    ("http://u@h/a", {"protocol": "http", "servers": [{"host": "h", "port": 80}], "path": "/a", "user": "u"}),
    ("http://u:p@h/a?q=1", {"protocol": "http", "servers": [{"host": "h", "port": 80}], "path": "/a?q=1",
                            "user": "u", "password": "p", "credentials": "inline"}),
    ("ftps://h:99/a", {"protocol": "ftps", "servers": [{"host": "h", "port": 99}], "path": "/a"}),
    ("ftp://[::1]/a", {"protocol": "ftp", "servers": [{"host": "::1", "port": 21}], "path": "/a"}),
    # -drive takes a size string for readahead (block/curl.c: qemu_opt_get_size)
    ('json:{"driver":"http","url":"http://h/a","readahead":"64k","timeout":3,"cookie":"a=1"}',
     {"protocol": "http", "servers": [{"host": "h", "port": 80}], "path": "/a", "credentials": "inline",
      "options": {"readahead": 65536, "timeout": 3, "cookie": "a=1"}}),
    ('json:{"driver":"https","url":"https://h/a","sslverify":false,"cookie-secret":"c"}',
     {"protocol": "https", "servers": [{"host": "h", "port": 443}], "path": "/a",
      "options": {"cookie_secret": "c", "sslverify": False}}),
], ids=["no-path", "user", "inline-query", "ftps-port", "ftp-ipv6", "drive-options", "https-options"])
def test_parse(value, expected):
    assert parse_drive(value) == expected


def test_disk_xml():
    spec = dict(HTTPS, path="/a.img?x=1", user="u", password_secret="pw0",
                options={"sslverify": False, "readahead": 65536, "timeout": 3})
    xml = render_disk_xml(spec, secret_usage="web")
    assert xml == (
        '<disk type="network" device="disk">\n  <driver name="qemu" type="raw" />\n'
        '  <source protocol="https" name="/a.img" query="x=1">\n    <host name="h" port="443" />\n'
        '    <auth username="u">\n      <secret type="iscsi" usage="web" />\n    </auth>\n'
        '    <ssl verify="no" />\n    <readahead size="65536" />\n    <timeout seconds="3" />\n'
        '  </source>\n  <target dev="vda" bus="virtio" />\n  <readonly />\n</disk>')
    assert parse_drive(xml) == {
        "protocol": "https", "servers": [{"host": "h", "port": 443}], "path": "/a.img?x=1", "user": "u",
        "options": {"sslverify": False, "readahead": 65536, "timeout": 3},
        "layer": {"format": "raw", "target_dev": "vda", "target_bus": "virtio", "device": "disk",
                  "secret_usage": "web", "read_only": True}}


def test_disk_xml_cookies():
    xml = render_disk_xml(dict(HTTPS, credentials="inline", options={"cookie": "a=1; ;b=2"}))
    assert ('    <cookies>\n      <cookie name="a">1</cookie>\n      <cookie name="b">2</cookie>\n    </cookies>\n'
            in xml)
    assert parse_drive(xml)["options"] == {"cookie": "a=1; b=2"}
    # the value is everything after the first '='
    xml = render_disk_xml(dict(HTTPS, credentials="inline", options={"cookie": "a=b=c"}))
    assert '      <cookie name="a">b=c</cookie>\n' in xml
    assert parse_drive(xml)["options"] == {"cookie": "a=b=c"}


@pytest.mark.parametrize("spec,kwargs,refusal", [
    (dict(HTTPS, credentials="inline", options={"cookie": "a=1;=2"}), {},
     ("options.cookie", "options.cookie: <hidden> is not accepted; libvirt needs 'name=value; ...' cookies")),
    (dict(HTTPS, credentials="inline", options={"cookie": "a"}), {},
     ("options.cookie", "options.cookie: <hidden> is not accepted; libvirt needs 'name=value; ...' cookies")),
    (dict(HTTP, options={"proxy_username": "p"}), {},
     _unexpressible(["proxy_username"], "http libvirt disk XML", "qemu_blockdev or qemu_drive_opts")),
    (dict(HTTP, user="u", password_secret="pw0"), {},
     _unexpressible(["password_secret", "user"], "http libvirt disk XML", "qemu_blockdev or qemu_drive_opts")),
    (dict(HTTP, user="u", password="p", credentials="inline"), {},
     _unexpressible(["password", "user"], "http libvirt disk XML", "qemu_blockdev or qemu_drive_opts")),
    (dict(HTTP, user="u", options={"proxy_username": "p"}), {},
     _unexpressible(["proxy_username", "user"], "http libvirt disk XML", "qemu_blockdev or qemu_drive_opts")),
    (dict(HTTP, password_secret="pw0"), {"secret_usage": "x"},
     _unexpressible(["password_secret"], "http libvirt disk XML", "qemu_blockdev or qemu_drive_opts")),
    (dict(HTTP, user="u", password="p", credentials="inline"), {"secret_usage": "x"},
     ("credentials", "credentials: 'inline' is not accepted; libvirt takes the password of a http user only from a "
      "libvirt secret: use credentials 'secret' with secret_usage or secret_uuid")),
], ids=["cookie-no-name", "cookie-no-value", "proxy", "user-no-secret", "password-no-secret", "proxy-and-user",
        "secret-no-user", "inline"])
def test_disk_xml_refusal(spec, kwargs, refusal):
    assert spec_refusal(render_disk_xml, spec, **kwargs) == refusal


@pytest.mark.parametrize("xml,expected", [
    # libvirt may store the path without its leading '/'
    ("<disk type='network' device='cdrom'><source protocol='https' name='a.img' query='x=1'><host name='h' "
     "port='8443'/><ssl verify='yes'/><cookies><cookie name='a'>1</cookie><cookie name='b'/></cookies>"
     "<readahead size='65536'/><timeout seconds='3'/></source><readonly/></disk>",
     {"protocol": "https", "servers": [{"host": "h", "port": 8443}], "path": "/a.img?x=1", "credentials": "inline",
      "options": {"cookie": "a=1; b=", "readahead": 65536, "timeout": 3},
      "layer": {"device": "cdrom", "read_only": True}}),
    ("<disk type='network'><source protocol='ftp'><host name='h'/></source></disk>",
     {"protocol": "ftp", "servers": [{"host": "h", "port": 21}], "path": "/",
      "layer": {"device": "disk", "read_only": False}}),
], ids=["https-children", "ftp-no-name"])
def test_disk_xml_reading(xml, expected):
    assert parse_drive(xml) == expected
