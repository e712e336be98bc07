"""The renderers' own arguments (drive/render.py): syntax, on_unexpressible, the option-string
prefix, node names, read-only, the format node, json:'s protocols and the CHAP environment, and
the defaults a parsed spec's layer gives them. Each row: the call -> the exact output, or the field
and the whole message of the refusal, named as the user wrote it ('server.socket')."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import (
    normalize, render_blockdev, render_chap_env, render_json_pseudo, render_opts, render_uri,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

NBD = {"protocol": "nbd", "server": {"host": "h"}}
NODE = {"driver": "nbd", "server": {"type": "inet", "host": "h", "port": "10809"}}
HTTP = {"protocol": "http", "server": {"host": "h"}, "path": "/a"}
ISCSI = {"protocol": "iscsi", "server": {"host": "h"}, "target": "t", "lun": 0, "user": "u", "password": "p",
         "credentials": "env"}
LAYERED = dict(NBD, layer={"format": "qcow2", "node_name": "p0", "format_node_name": "f0", "read_only": True})
NODE_NAME = "expected a QEMU node name: a letter, then up to 30 letters, digits, '-', '.', '_'"
FORMAT = "expected a block format driver name such as 'raw' or 'qcow2'"
TLS_HOSTNAME = dict(NBD, options={"tls_hostname": "x"})

RENDERED = [
    (lambda: render_uri(NBD, "7.2"), "nbd://h"),
    (lambda: render_uri(NBD, syntax="legacy"), "nbd:h:10809"),
    (lambda: normalize(dict(NBD, layer={"format": "raw"})), {"protocol": "nbd", "servers": [{"host": "h", "port": 10809}], "export": ""}),
    (lambda: render_blockdev(NBD), NODE),
    # curl cannot write, and -blockdev has no auto-read-only by default (block/curl.c)
    (lambda: render_blockdev(HTTP), {"driver": "http", "url": "http://h/a", "read-only": True}),
    (lambda: render_blockdev(HTTP, read_only=True), {"driver": "http", "url": "http://h/a", "read-only": True}),
    (lambda: render_blockdev(NBD, node_name="n0", read_only=True, fmt="raw"),
     {"driver": "raw", "file": dict(NODE, **{"node-name": "n0", "read-only": True}), "read-only": True}),
    (lambda: render_blockdev(LAYERED), {"driver": "qcow2", "file": dict(NODE, **{"node-name": "p0", "read-only": True}),
                                        "node-name": "f0", "read-only": True}),
    (lambda: render_blockdev(LAYERED, node_name="n1", read_only=False, fmt="raw"),
     {"driver": "raw", "file": dict(NODE, **{"node-name": "n1", "read-only": False}), "node-name": "f0",
      "read-only": False}),
    (lambda: render_blockdev(dict(NBD, layer={"format_node_name": "f0"})), NODE),
    (lambda: render_opts(NBD), "file.driver=nbd,file.server.type=inet,file.server.host=h,file.server.port=10809"),
    (lambda: render_opts(NBD, prefix=""), "driver=nbd,server.type=inet,server.host=h,server.port=10809"),
    (lambda: render_opts(NBD, prefix="", fmt="raw"),
     "driver=raw,file.driver=nbd,file.server.type=inet,file.server.host=h,file.server.port=10809"),
    (lambda: render_opts(NBD, as_mapping=True), {"file.driver": "nbd", "file.server.type": "inet",
                                                 "file.server.host": "h", "file.server.port": "10809"}),
    (lambda: render_opts(LAYERED), "driver=qcow2,file.driver=nbd,file.server.type=inet,file.server.host=h,"
                                   "file.server.port=10809,file.node-name=p0,file.read-only=on,node-name=f0,read-only=on"),
    # -drive opens curl read-only by itself (auto-read-only): nothing written
    (lambda: render_opts(HTTP), "file.driver=http,file.url=http://h/a"),
    (lambda: render_json_pseudo(NBD), 'json:{"driver":"nbd","server":{"type":"inet","host":"h","port":"10809"}}'),
    (lambda: render_json_pseudo(LAYERED), 'json:{"driver":"qcow2","file":{"driver":"nbd","server":{"type":"inet",'
                                          '"host":"h","port":"10809"},"node-name":"p0","read-only":true},'
                                          '"node-name":"f0","read-only":true}'),
    (lambda: render_json_pseudo(NBD, fmt="raw"),
     'json:{"driver":"raw","file":{"driver":"nbd","server":{"type":"inet","host":"h","port":"10809"}}}'),
    (lambda: render_json_pseudo(dict(NBD, export="a,b"), escape_commas=True),
     'json:{"driver":"nbd",,"server":{"type":"inet",,"host":"h",,"port":"10809"},,"export":"a,,b"}'),
    (lambda: render_json_pseudo(HTTP, protocols=("http", "https")), 'json:{"driver":"http","url":"http://h/a"}'),
    (lambda: render_json_pseudo(dict(NBD, export="\u00e9")),
     'json:{"driver":"nbd","server":{"type":"inet","host":"h","port":"10809"},"export":"\u00e9"}'),
    (lambda: render_chap_env(ISCSI), {"LIBISCSI_CHAP_USERNAME": "u", "LIBISCSI_CHAP_PASSWORD": "p"}),
]


@pytest.mark.parametrize("call,expected", RENDERED, ids=["row%d" % i for i in range(len(RENDERED))])
def test_rendered(call, expected):
    assert call() == expected


REFUSED = [
    (lambda: render_uri(NBD, on_unexpressible="x"), "on_unexpressible",
     "on_unexpressible: 'x' is not accepted; expected 'fail' or 'omit'"),
    (lambda: render_uri(NBD, syntax="x"), "syntax", "syntax: 'x' is not accepted; expected 'uri' or 'legacy'"),
    (lambda: render_uri(HTTP, syntax="legacy"), "syntax",
     "syntax: 'legacy' is not accepted; expected 'uri' (a legacy form exists only for nbd, sheepdog and rbd)"),
    (lambda: normalize({"protocol": "nbd", "server": {"host": "h", "port": 0}}), "server.port",
     "server.port: 0 is not accepted; expected an integer between 1 and 65535"),
    (lambda: render_blockdev(NBD, read_only="yes"), "read_only", "read_only: 'yes' is not accepted; expected a boolean"),
    (lambda: render_blockdev(HTTP, read_only="yes"), "read_only", "read_only: 'yes' is not accepted; expected a boolean"),
    # QEMU: 'curl driver does not support writes' (tests/live/drive/test_curl_read_only_live.py)
    (lambda: render_blockdev(HTTP, read_only=False), "read_only", "read_only: False is not accepted; true or unset "
     "for http: QEMU's curl driver cannot write (it says 'curl driver does not support writes')"),
    (lambda: render_blockdev(NBD, node_name=5), "node_name", "node_name: 5 is not accepted; " + NODE_NAME),
    (lambda: render_blockdev(NBD, node_name="a" * 32), "node_name",
     "node_name: '%s' is not accepted; %s" % ("a" * 32, NODE_NAME)),
    (lambda: render_blockdev(NBD, fmt="Raw"), "format", "format: 'Raw' is not accepted; " + FORMAT),
    (lambda: render_blockdev(NBD, fmt=5), "format", "format: 5 is not accepted; " + FORMAT),
    (lambda: render_opts(NBD, prefix="x."), "prefix",
     "prefix: 'x.' is not accepted; expected 'file.' (for -drive) or '' (for --image-opts)"),
    (lambda: render_json_pseudo(NBD, protocols=("http", "https")), "protocol",
     "protocol: 'nbd' is not accepted; expected one of: http, https"),
    (lambda: render_chap_env(NBD), "credentials",
     "credentials: the CHAP environment exists only for protocol 'iscsi' with credentials 'env'"),
    (lambda: render_chap_env(dict(ISCSI, credentials="inline")), "credentials",
     "credentials: 'inline' is not accepted; the CHAP environment exists only for protocol 'iscsi' with credentials "
     "'env'"),
    (lambda: render_chap_env(ISCSI, "x"), "qemu_version",
     "qemu_version: 'x' is not accepted; expected a QEMU version such as '7.2' or '10.0.3'"),
    (lambda: normalize(NBD, "x"), "qemu_version",
     "qemu_version: 'x' is not accepted; expected a QEMU version such as '7.2' or '10.0.3'"),
    (lambda: render_blockdev(TLS_HOSTNAME, "6.2"), "options.tls_hostname",
     "options.tls_hostname: 'x' is not accepted; needs QEMU >= 7.0"),
    (lambda: render_opts(TLS_HOSTNAME, "6.2"), "options.tls_hostname",
     "options.tls_hostname: 'x' is not accepted; needs QEMU >= 7.0"),
    (lambda: render_json_pseudo(TLS_HOSTNAME, "6.2"), "options.tls_hostname",
     "options.tls_hostname: 'x' is not accepted; needs QEMU >= 7.0"),
]


@pytest.mark.parametrize("call,field,message", REFUSED, ids=["row%d" % i for i in range(len(REFUSED))])
def test_refused(call, field, message):
    with pytest.raises(SpecError) as caught:
        call()
    assert (caught.value.field, str(caught.value)) == (field, message)


@pytest.mark.parametrize("render", [normalize, render_uri, render_blockdev, render_opts, render_json_pseudo,
                                    render_chap_env],
                         ids=["normalize", "uri", "blockdev", "opts", "json", "chap"])
def test_every_renderer_names_the_field_as_written(render):
    with pytest.raises(SpecError) as caught:
        render({"protocol": "nbd", "server": {"socket": "rel"}})
    assert (caught.value.field, str(caught.value)) == (
        "server.socket", "server.socket: 'rel' is not accepted; expected an absolute socket path starting with '/'")
