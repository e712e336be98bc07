"""qemu_drive_parse on every form: json: filenames, -blockdev mappings, -drive / --image-opts strings,
libvirt <disk> XML. One row per case: input -> the spec (and layer) QEMU's reading gives, or the
field and the whole message of the refusal, which holds the words QEMU / libvirt refuse it with
(block.c, block/*.c, blockdev.c)."""

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse_opts import is_device_key
from ansible_collections.virt_uri.toolkit.tests.support.ids import printable_ids
from ansible_collections.virt_uri.toolkit.tests.support.refusals import spec_refusal


def tcp(host, port):
    return [{"host": host, "port": port}]


NBD_E = {"protocol": "nbd", "servers": tcp("127.0.0.1", 1), "export": "e"}
SRV = '"server":{"type":"inet","host":"h","port":"1"}'
NBD_H = {"protocol": "nbd", "servers": tcp("h", 10809), "export": ""}
BLOCKDEV = {"driver": "nbd", "server": {"type": "inet", "host": "h", "port": "1"}}
XML = "<disk type='network'>%s</disk>"
SOURCE = "<source protocol='nbd' name='e'>%s</source>"
ISCSI_XML = XML % "<source protocol='iscsi' name='iqn.x:t/1'><host name='h'/>%s</source>"
UUID = "0a1b2c3d-0000-1111-2222-333344445555"
XML_LAYER = {"device": "disk", "read_only": False}
NBD_XML = {"protocol": "nbd", "servers": tcp("h", 10809), "export": "e"}
KNOWN = ("known: ftp, ftps, gluster, gluster+rdma, gluster+tcp, gluster+unix, http, https, iscsi, iser, nbd, nbd+tcp, "
         "nbd+unix, nfs, rbd, sheepdog, sheepdog+tcp, sheepdog+unix, ssh")
NBD_READS = "options read here: export, open-timeout, reconnect-delay, server, tls-creds, tls-hostname"
NBD_FLAT_READS = "options read here: export, host, open-timeout, port, reconnect-delay, tls-creds, tls-hostname"
NO_SUCH = "QEMU's nbd driver has no such option, or the drive spec cannot carry it; "
NEEDS_FILE = ("file: required in %s: a protocol node (driver=PROTOCOL, or file.driver=... under a format driver "
              "such as %s)")

OK = [
    # json: pseudo-filenames (block.c: parse_json_filename; qemu-img 7.2 accepted each)
    ('json:{"driver":"nbd","server":{"type":"inet","host":"127.0.0.1","port":"1"},"export":"e"}', NBD_E),
    ('json:{"driver":"nbd","server":{"type":"inet","host":"127.0.0.1","port":1},"export":"e"}', NBD_E),
    ('json:{"driver":"nbd","host":"127.0.0.1","port":"1","export":"e"}', NBD_E),
    ('json:{"driver":"nbd","server.type":"inet","server.host":"127.0.0.1","server.port":"1","export":"e"}', NBD_E),
    ('json:{"driver":"nbd","host":"localhost"}', {"protocol": "nbd", "servers": tcp("localhost", 10809),
                                                  "export": ""}),
    ('json:{"driver":"nbd","path":"/tmp/s"}', {"protocol": "nbd", "servers": [{"socket": "/tmp/s"}], "export": ""}),
    ('json:{"file":{"filename":"nbd://127.0.0.1:1/e"}}', NBD_E),
    ('json:{"driver":"nbd","filename":"nbd:127.0.0.1:1:exportname=e"}', NBD_E),
    ('json:{"driver":"raw","file":{"driver":"nbd","server":{"type":"inet","host":"127.0.0.1","port":"1"},'
     '"export":"e"}}', dict(NBD_E, layer={"format": "raw"})),
    ('json:{"driver":"qcow2","file.driver":"nbd","file.server.type":"inet","file.server.host":"127.0.0.1",'
     '"file.server.port":1,"file.export":"e"}', dict(NBD_E, layer={"format": "qcow2"})),
    ('json:{"driver":"iscsi","transport":"tcp","portal":"[::1]:3261","target":"iqn.x:t","lun":"2"}',
     {"protocol": "iscsi", "servers": tcp("::1", 3261), "target": "iqn.x:t", "lun": 2}),
    ('json:{"driver":"iscsi","transport":"iser","portal":"h","target":"iqn.x:t","lun":0,'
     '"user":"u","password-secret":"sec0","initiator-name":"iqn.i:me"}',
     {"protocol": "iscsi", "servers": tcp("h", 3260), "target": "iqn.x:t", "lun": 0, "user": "u",
      "password_secret": "sec0", "options": {"transport": "iser", "initiator_name": "iqn.i:me"}}),
    ('json:{"driver":"ssh","host":"h","port":2222,"path":"/x","host_key_check":"no"}',
     {"protocol": "ssh", "servers": tcp("h", 2222), "path": "/x", "options": {"host_key_check": "no"}}),
    ('json:{"driver":"ssh","server":{"host":"::1","port":"22"},"path":"/x","user":"u",'
     '"host-key-check":{"mode":"hash","type":"sha1","hash":"%s"}}' % ("ab" * 20),
     {"protocol": "ssh", "servers": tcp("::1", 22), "path": "/x", "user": "u",
      "options": {"host_key_check": "sha1:" + "ab" * 20}}),
    ('json:{"driver":"gluster","volume":"v","path":"a.img","server":[{"type":"tcp","host":"h","port":24007},'
     '{"type":"unix","socket":"/run/g.sock"}],"debug":12}',
     {"protocol": "gluster", "servers": [{"host": "h", "port": 24007}, {"socket": "/run/g.sock"}],
      "volume": "v", "path": "a.img", "options": {"debug": 9}}),
    ('json:{"driver":"gluster","volume":"v","path":"a.img","server.0.type":"inet","server.0.host":"h",'
     '"server.0.port":"24007","server.1.type":"inet","server.1.host":"h2","server.1.port":"24008"}',
     {"protocol": "gluster", "servers": [{"host": "h", "port": 24007}, {"host": "h2", "port": 24008}],
      "volume": "v", "path": "a.img"}),
    ('json:{"driver":"https","url":"https://h:8443/x.img?a=b","sslverify":false,"readahead":"64k",'
     '"timeout":"10","cookie-secret":"c0"}',
     {"protocol": "https", "servers": tcp("h", 8443), "path": "/x.img?a=b",
      "options": {"sslverify": False, "readahead": 65536, "timeout": 10, "cookie_secret": "c0"}}),
    ('json:{"file.driver":"http","file.url":"http://h/x.img","file.username":"u","file.password-secret":"p"}',
     {"protocol": "http", "servers": tcp("h", 80), "path": "/x.img", "user": "u", "password_secret": "p"}),
    # -drive (QemuOpts) and --image-opts strings
    ("driver=nbd,server.type=unix,server.path=/tmp/s,export=a,,b",
     {"protocol": "nbd", "servers": [{"socket": "/tmp/s"}], "export": "a,b"}),
    ("file.driver=nbd,file.server.type=inet,file.server.host=127.0.0.1,file.server.port=1,file.export=e",
     NBD_E),
    ("file=nbd://127.0.0.1:1/e,format=qcow2,if=none,id=d0,readonly=on",
     dict(NBD_E, layer={"format": "qcow2", "read_only": True, "options": {"if": "none", "id": "d0"}})),
    ('file=json:{"driver":"nbd",,"host":"127.0.0.1",,"port":1,,"export":"e"},if=virtio',
     dict(NBD_E, layer={"options": {"if": "virtio"}})),
    ("file=gluster://h/v/a.img,file.debug=5", {"protocol": "gluster", "servers": tcp("h", 24007), "volume": "v",
                                               "path": "a.img", "options": {"debug": 5}}),
    ("driver=iscsi,transport=tcp,portal=h:3260,target=iqn.x:t,lun=1,user=u,password=p,,w",
     {"protocol": "iscsi", "servers": tcp("h", 3260), "target": "iqn.x:t", "lun": 1, "user": "u",
      "password": "p,w", "credentials": "inline"}),
    ("driver=raw,file.driver=https,file.url=https://h/x,file.sslverify=off,read-only=on",
     {"protocol": "https", "servers": tcp("h", 443), "path": "/x", "options": {"sslverify": False},
      "layer": {"format": "raw", "read_only": True}}),
    # -blockdev mappings (strict QAPI typing)
    ({"driver": "nbd", "server": {"type": "inet", "host": "127.0.0.1", "port": "1"}, "export": "e",
      "node-name": "n0", "read-only": True}, dict(NBD_E, layer={"node_name": "n0", "read_only": True})),
    ({"driver": "qcow2", "node-name": "fmt0", "file": {"driver": "iscsi", "transport": "tcp", "portal": "h",
                                                       "target": "iqn.x:t", "lun": 3}},
     {"protocol": "iscsi", "servers": tcp("h", 3260), "target": "iqn.x:t", "lun": 3,
      "layer": {"format": "qcow2", "format_node_name": "fmt0"}}),
    # libvirt <disk> elements
    ("<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='iscsi' "
     "name='iqn.x:t/1'><host name='h' port='3260'/></source><target dev='vda' bus='virtio'/></disk>",
     {"protocol": "iscsi", "servers": tcp("h", 3260), "target": "iqn.x:t", "lun": 1,
      "layer": {"format": "raw", "target_dev": "vda", "target_bus": "virtio", "device": "disk",
                "read_only": False}}),
    ("<disk type='network' device='cdrom'><driver name='qemu' type='raw'/><source protocol='https' name='/x.iso' "
     "query='a=b'><host name='h' port='443'/><ssl verify='no'/></source><target dev='sdb' bus='sata'/>"
     "<readonly/></disk>",
     {"protocol": "https", "servers": tcp("h", 443), "path": "/x.iso?a=b", "options": {"sslverify": False},
      "layer": {"format": "raw", "target_dev": "sdb", "target_bus": "sata", "device": "cdrom",
                "read_only": True}}),
    # generic block keys go to the layer, with the node they were on (block.c: bdrv_runtime_opts)
    ('json:{"driver":"raw","cache.direct":"on","discard":"unmap","x":1,"file":{"driver":"nbd",%s,'
     '"detect-zeroes":"on","node-name":"p0"}}' % SRV,
     {"protocol": "nbd", "servers": tcp("h", 1), "export": "", "layer": {
         "format": "raw", "node_name": "p0",
         "options": {"cache.direct": "on", "discard": "unmap", "x": 1, "file.detect-zeroes": "on"}}}),
    ('json:{"driver":"raw","node-name":"f0","auto-read-only":"on","file":{"driver":"nbd",%s,"force-share":"on"}}'
     % SRV, {"protocol": "nbd", "servers": tcp("h", 1), "export": "", "layer": {
         "format": "raw", "format_node_name": "f0", "options": {"auto-read-only": "on", "file.force-share": "on"}}}),
    ('json:{"filename":"nbd://h/e","tls-creds":"t0"}', dict(NBD_XML, options={"tls_creds": "t0"})),
    ('json:{"driver":"raw","filename":"nbd://h/e"}', dict(NBD_XML, layer={"format": "raw"})),
    ("driver=nbd,host=h,if=none,id=d0,bps=100,iops_rd=1,cache.direct=on",
     dict(NBD_H, layer={"options": {"cache.direct": "on", "bps": "100", "id": "d0", "if": "none", "iops_rd": "1"}})),
    ("driver=nbd,host=h,readonly", dict(NBD_H, layer={"read_only": True})),
    ("driver=nbd,host=h,noreadonly", dict(NBD_H, layer={"read_only": False})),
    ("driver=nbd,host=h,readonly=off", dict(NBD_H, layer={"read_only": False})),
    ("file=nbd://h/e,read-only=on,readonly=on", dict(NBD_XML, layer={"read_only": True})),
    ("file.driver=nbd,file.host=h,format=raw", dict(NBD_H, layer={"format": "raw"})),
    ("driver=nbd,host=h,snapshot=on", dict(NBD_H, layer={"options": {"snapshot": "on"}})),
    ("driver=raw,file.driver=nbd,file.host=h,snapshot=on", dict(NBD_H, layer={"format": "raw", "options": {"snapshot": "on"}})),
    (XML % (SOURCE % "<host transport='unix' socket='/s'/>"),
     {"protocol": "nbd", "servers": [{"socket": "/s"}], "export": "e", "layer": XML_LAYER}),
    (XML % (SOURCE % "<host name='h' port='1'/>"),
     {"protocol": "nbd", "servers": tcp("h", 1), "export": "e", "layer": XML_LAYER}),
    ("  \n" + XML % (SOURCE % "<host name='h'/>") + "  ", dict(NBD_XML, layer=XML_LAYER)),
    (XML % (SOURCE % "<host name='h'/>" + "<driver/>"), dict(NBD_XML, layer=XML_LAYER)),
    ("<disk type='network' device='cdrom'>" + SOURCE % "<host name='h'/>" + "<driver name='qemu'/><target dev='vdb'/>"
     "<readonly/></disk>", dict(NBD_XML, layer={"target_dev": "vdb", "device": "cdrom", "read_only": True})),
    (XML % ("<driver type='qcow2'/>" + SOURCE % "<host name='h'/>" + "<target bus='scsi'/>"),
     dict(NBD_XML, layer={"format": "qcow2", "target_bus": "scsi", "device": "disk", "read_only": False})),
    (ISCSI_XML % "<auth username='u'><secret type='iscsi' usage='s'/></auth>",
     {"protocol": "iscsi", "servers": tcp("h", 3260), "target": "iqn.x:t", "lun": 1, "user": "u",
      "layer": dict(XML_LAYER, secret_usage="s")}),
    (ISCSI_XML % ("<auth username='u'><secret type='iscsi' uuid='%s'/></auth>" % UUID),
     {"protocol": "iscsi", "servers": tcp("h", 3260), "target": "iqn.x:t", "lun": 1, "user": "u",
      "layer": dict(XML_LAYER, secret_uuid=UUID)}),
    (ISCSI_XML % "<auth username='u'/>",
     {"protocol": "iscsi", "servers": tcp("h", 3260), "target": "iqn.x:t", "lun": 1, "user": "u", "layer": XML_LAYER}),
]

BAD = [
    ("json:{", "json",
     "json: 'json:{' is not accepted; Could not parse the JSON options: Expecting property name enclosed in double "
     "quotes: line 1 column 2 (char 1)"),
    ("json:[1]", "json",
     "json: 'json:[1]' is not accepted; Invalid JSON object given (a json: filename holds one object)"),
    ('json:{"driver":"nbd"}', "server", "server: NBD server address missing"),
    ('json:{"driver":"nbd","server":{"type":"inet","host":"127.0.0.1"}}', "server.port",
     "server.port: required by QEMU's nbd driver (the server port (a string in QAPI)): Parameter 'port' is missing"),
    ('json:{"driver":"nbd","path":"/tmp/x","port":"1"}', "port",
     "port: '1' is not accepted; port may not be used without host"),
    ('json:{"driver":"nbd","path":"/tmp/x","host":"h"}', "path",
     "path: '/tmp/x' is not accepted; path and host may not be used at the same time"),
    ('json:{"driver":"nbd","host":"h","server":{"type":"unix","path":"/x"}}', "host",
     "host: 'h' is not accepted; Cannot use 'server' and path/host/port at the same time"),
    ('json:{"driver":"iscsi","portal":"127.0.0.1:1","target":"iqn.x:t"}', "transport",
     "transport: required by QEMU's iscsi driver (Need all of transport, portal and target options): Parameter "
     "'transport' is missing"),
    ('json:{"driver":"iscsi","transport":"rdma","portal":"h","target":"iqn.x:t"}', "transport",
     "transport: 'rdma' is not accepted; Unknown transport: rdma (expected tcp or iser)"),
    ('json:{"driver":"iscsi","transport":"tcp","portal":"127.0.0.1:1","target":"iqn.x:t","user":"u"}',
     "password-secret", "password-secret: CHAP username specified but no password was given"),
    ('json:{"driver":"iscsi","transport":"tcp","portal":"::1","target":"iqn.x:t"}', "portal",
     "portal: '::1' is not accepted; an IPv6 portal needs brackets, '[::1]:3260' (libiscsi takes the port after the "
     "last ':')"),
    ('json:{"driver":"ssh","server":{"host":"127.0.0.1","port":"1"}}', "path",
     "path: required by QEMU's ssh driver (the image path): Parameter 'path' is missing"),
    ('json:{"driver":"ssh","port":"1","path":"/x"}', "port",
     "port: '1' is not accepted; port may not be used without host"),
    ('json:{"driver":"gluster","volume":"testvol","path":"a.img"}', "server", "server: Parameter 'server' is missing"),
    ('json:{"driver":"gluster","volume":"v","path":"a.img","server":[{"type":"inet","host":"127.0.0.1"}]}',
     "server.0.port",
     "server.0.port: required by QEMU's gluster driver (the server port (a string in QAPI)): Parameter 'port' is "
     "missing"),
    ('json:{"driver":"gluster","volume":"v","path":"a","server":[{"type":"unix","path":"/a","socket":"/x"}]}',
     "server.0.socket",
     "server.0.socket: '/x' is not accepted; Conflicting parameters 'path' and 'socket' (block/gluster.c)"),
    ('json:{"driver":"https","url":"http://h/x.img"}', "url",
     "url: 'http://h/x.img' is not accepted; https curl driver cannot handle the URL 'http://h/x.img' (does not "
     "start with 'https://')"),
    ('json:{"driver":"http"}', "url",
     "url: required by QEMU's http driver (curl block driver requires an 'url' option): Parameter 'url' is missing"),
    ('json:{"driver":"vxhs","vdisk-id":"x"}', "driver",
     "driver: 'vxhs' is not accepted; unknown driver; network protocols: ftp, ftps, gluster, http, https, iscsi, "
     "nbd, nfs, rbd, sheepdog, ssh; formats above them: raw, qcow2, qcow, qed, vmdk, vpc, vdi, vhdx, luks, dmg, "
     "cloop, bochs, parallels, copy-on-read, throttle, preallocate, compress"),
    ('json:{"driver":"qcow2","file":{"driver":"file","filename":"/x"}}', "file.driver",
     "file.driver: 'file' is not accepted; unknown driver; network protocols: ftp, ftps, gluster, http, https, "
     "iscsi, nbd, nfs, rbd, sheepdog, ssh"),
    ('json:{"driver":"nbd","filename":"iscsi://h/iqn.x/1"}', "driver",
     "driver: 'nbd' is not accepted; does not match the filename 'iscsi://h/iqn.x/1', which is for QEMU's iscsi "
     "driver"),
    ('json:{"driver":"nbd","server":{"type":"inet","host":"h","port":"1"},"x-dirty-bitmap":"b"}',
     "x-dirty-bitmap",
     "x-dirty-bitmap: 'b' is not accepted; QEMU's nbd driver has no such option, or the drive spec cannot carry it; "
     "options read here: export, open-timeout, reconnect-delay, server, tls-creds, tls-hostname"),
    ('json:{"driver":"qcow2","file":"nbd0"}', "file",
     "file: 'nbd0' is not accepted; in a json: filename a string 'file' names an existing node (a reference); give "
     "the node itself: \"file\": {\"driver\": ...}"),
    ("file=nbd://h/e,file.export=x", "file.export",
     "file.export: 'x' is not accepted; Option 'export' cannot be used with a file name"),
    ("driver=nbd,format=raw", "format",
     "format: 'raw' is not accepted; Cannot specify both 'driver' and 'format' (blockdev.c)"),
    ("driver=nbd,server.type=inet,server.host=h,server.port=x", "server.port",
     "server.port: 'x' is not accepted; expected an integer (digits 0-9), got str"),
    ({"driver": "nbd", "server": {"type": "inet", "host": "h", "port": 10809}}, "server.port",
     "server.port: 10809 is not accepted; expected a string, got a number (Invalid parameter type for 'server.port', "
     "expected: string)"),
    ({"driver": "iscsi", "transport": "tcp", "portal": "h", "target": "iqn.x:t", "lun": "1"}, "lun",
     "lun: '1' is not accepted; expected a number, got a string (Invalid parameter type for 'lun', expected: integer)"),
    ({"driver": "nbd", "filename": "nbd://h/e"}, "filename",
     "filename: 'nbd://h/e' is not accepted; -blockdev / blockdev-add take no filename (QAPI has no such member); "
     "give the driver's options"),
    ("<!DOCTYPE d [<!ENTITY a 'b'>]><disk type='network'/>", "disk",
     "disk: \"<!DOCTYPE d [<!ENTITY a 'b'>]><disk type='network'/>\" is not accepted; a DTD or entity declaration is "
     "not read (a <disk> element needs none; entities can expand without bound)"),
    ("<disk type='file'><source file='/x'/></disk>", "disk.type",
     "disk.type: 'file' is not accepted; expected type='network' (a file or block disk is not a network drive)"),
    ("<disk type='network'><source protocol='vxhs'/></disk>", "source.protocol",
     "source.protocol: 'vxhs' is not accepted; expected one of: ftp, ftps, gluster, http, https, iscsi, nbd, nfs, "
     "rbd, sheepdog, ssh"),
    ("<disk type='network'", "disk",
     "disk: \"<disk type='network'\" is not accepted; not well-formed XML: unclosed token: line 1, column 0"),
    # QEMU reads ASCII digits only (tests/live/drive/test_ascii_digits_live.py): Arabic-Indic
    # digits were read as the port/LUN they stand for, a superscript crashed int().
    ("nbd://127.0.0.1:\u0661\u0660\u0668\u0660\u0669/x", "uri",
     "uri: 'nbd://127.0.0.1:\u0661\u0660\u0668\u0660\u0669/x' is not accepted; the port must be a number"),
    ("nbd://127.0.0.1:\u00b2/x", "uri", "uri: 'nbd://127.0.0.1:\u00b2/x' is not accepted; the port must be a number"),
    ("nbd:127.0.0.1:\u0661\u0660\u0668\u0660\u0669:exportname=x", "port",
     "port: '\u0661\u0660\u0668\u0660\u0669' is not accepted; expected an integer (digits 0-9), got str"),
    ("driver=nbd,host=127.0.0.1,port=\u0661\u0660\u0668\u0660\u0669,export=x", "server.port",
     "server.port: '\u0661\u0660\u0668\u0660\u0669' is not accepted; expected an integer (digits 0-9), got str"),
    ("driver=nbd,host=127.0.0.1,port=1,reconnect-delay=\u0661", "reconnect-delay",
     "reconnect-delay: '\u0661' is not accepted; Parameter 'reconnect-delay' expects a number"),
    ("iscsi://127.0.0.1/iqn.x/\u0660", "uri",
     "uri: 'iscsi://127.0.0.1/iqn.x/\u0660' is not accepted; expected "
     "iscsi://[user%password@]host[:port]/target-iqn/lun"),
    ("driver=iscsi,transport=tcp,portal=127.0.0.1:3260,target=iqn.x,lun=\u0660", "lun",
     "lun: '\u0660' is not accepted; Parameter 'lun' expects a number"),
    ("driver=iscsi,transport=tcp,portal=127.0.0.1:\u0663\u0662\u0666\u0660,target=iqn.x,lun=0", "portal",
     "portal: '127.0.0.1:\u0663\u0662\u0666\u0660' is not accepted; expected a portal 'host[:port]' or '[IPv6]:port' "
     "(a ',TPGT' suffix is not read here)"),
    # the readers' own refusals (drive/parse.py, parse_json.py, parse_opts.py, parse_tree.py, parse_disk_xml.py)
    (5, "uri", "uri: 5 is not accepted; expected a string, got int"),
    ("", "uri", "uri: '' is not accepted; expected a non-empty string"),
    ("NBD://h", "uri",
     "uri: 'NBD://h' is not accepted; unknown protocol 'NBD' (QEMU matches it case-sensitively); " + KNOWN),
    ('json:{"driver":"nbd",%s,"export":null}' % SRV, "export", "export: QEMU takes no null option values"),
    ('json:{"driver":"nbd",%s,"export":1.5}' % SRV, "export",
     "export: 1.5 is not accepted; expected a whole number or a string (QEMU: Parameter expects a number)"),
    ('json:{"driver":"gluster","volume":"v","path":"p","server":[{"type":"inet","host":"h","port":null}]}',
     "server.0.port", "server.0.port: QEMU takes no null option values"),
    (dict(BLOCKDEV, export=b"e"), "export",
     "export: b'e' is not accepted; expected JSON values (strings, numbers, booleans, lists, mappings)"),
    (dict(BLOCKDEV, export=None), "export", "export: QEMU takes no null option values"),
    ({"driver": "nbd", "server": [{"type": "inet"}, None]}, "server.1", "server.1: QEMU takes no null option values"),
    # a top-level key "" has no path of its own: the message names the drive
    ('json:{"":null}', "drive", "drive: QEMU takes no null option values"),
    ('json:{"":1.5}', "drive",
     "drive: 1.5 is not accepted; expected a whole number or a string (QEMU: Parameter expects a number)"),
    ({"": b"e"}, "drive", "drive: b'e' is not accepted; expected JSON values (strings, numbers, booleans, lists, "
     "mappings)"),
    # the message shows the first 60 characters of a json: filename that is not an object
    ("json:[" + "1," * 40 + "1]", "json", "json: 'json:[" + "1," * 27 + "' is not accepted; Invalid JSON object "
     "given (a json: filename holds one object)"),
    ('json:{"driver":5}', "driver", "driver: 5 is not accepted; expected a driver name (a string)"),
    ('json:{"driver":"raw"}', "file", NEEDS_FILE % ("a json: filename", "raw")),
    ("json:{}", "file", NEEDS_FILE % ("a json: filename", "raw")),
    ('json:{"driver":"qcow2","file":{}}', "file", NEEDS_FILE % ("a json: filename", "qcow2")),
    ("format=qcow2,if=none", "file", NEEDS_FILE % ("an option string", "qcow2")),
    ({"driver": "raw"}, "file", NEEDS_FILE % ("a -blockdev mapping", "raw")),
    ({"driver": "raw", "file": {"driver": "nbd", "filename": "nbd://h/e"}}, "file.filename",
     "file.filename: 'nbd://h/e' is not accepted; -blockdev / blockdev-add take no filename (QAPI has no such "
     "member); give the driver's options"),
    # the protocol node under a format node: its own field path in each refusal
    ('json:{"driver":"raw","file":{"export":"x"}}', "file.driver", "file.driver: required: the protocol driver "
     "(ftp, ftps, gluster, http, https, iscsi, nbd, nfs, rbd, sheepdog, ssh)"),
    ('json:{"driver":"raw","file":{"filename":5}}', "file.filename",
     "file.filename: 5 is not accepted; expected a string"),
    ('json:{"driver":"raw","file":{"driver":"ssh","filename":"nbd://h/e"}}', "file.driver",
     "file.driver: 'ssh' is not accepted; does not match the filename 'nbd://h/e', which is for QEMU's nbd driver"),
    ("driver=raw,file.driver=gluster,file.volume=v,file.path=p,file.server.0.host=h,file.server.x=1", "file.server",
     "file.server: ['0', 'x'] is not accepted; cannot mix list indexes and option names"),
    ("driver=raw,file.driver=nbd,file.host=h,file.read-only=maybe", "file.read-only",
     "file.read-only: 'maybe' is not accepted; expected a boolean (true/false, yes/no, on/off)"),
    # a device key belongs to -drive itself, not to its file child
    ("driver=raw,file.driver=nbd,file.host=h,file.if=none", "file.if",
     "file.if: 'none' is not accepted; QEMU's nbd driver has no such option, or the drive spec cannot carry it; "
     "options read here: export, host, open-timeout, port, reconnect-delay, tls-creds, tls-hostname"),
    # a group the filename fills, given as one value
    ('json:{"filename":"nbd://h/e","server":"x"}', "server",
     "server: 'x' is not accepted; Option 'server' cannot be used with a file name"),
    ({"driver": "raw", "file": "nbd0"}, "file",
     "file: 'nbd0' is not accepted; in a -blockdev mapping a string 'file' names an existing node (a reference); give "
     "the node itself: \"file\": {\"driver\": ...}"),
    ('json:{"file":{"driver":5}}', "file.driver",
     "file.driver: 5 is not accepted; unknown driver; network protocols: ftp, ftps, gluster, http, https, iscsi, nbd, "
     "nfs, rbd, sheepdog, ssh"),
    ('json:{"driver":"raw","read-only":"on","file":{"driver":"nbd",%s,"read-only":"off"}}' % SRV, "file.read-only",
     "file.read-only: 'off' is not accepted; differs from read-only on the other node"),
    ("driver=nbd,host=h,read-only=on,readonly=off", "read-only",
     "read-only: 'on' is not accepted; differs from read-only on the other node"),
    ('json:{"driver":"raw","read-only":"maybe","file":{"driver":"nbd",%s}}' % SRV, "read-only",
     "read-only: 'maybe' is not accepted; expected a boolean (true/false, yes/no, on/off)"),
    ({"driver": "nbd", "server": {"type": "inet", "host": "h", "port": "1"}, "read-only": "on"}, "read-only",
     "read-only: 'on' is not accepted; expected a boolean, got a string"),
    ('json:{"driver":"nbd","filename":5}', "filename", "filename: 5 is not accepted; expected a string"),
    ('json:{"filename":"nbd://h/e","export":"x"}', "export",
     "export: 'x' is not accepted; Option 'export' cannot be used with a file name"),
    ('json:{"driver":"nbd","filename":"nbd://h/e","server.host":"x"}', "server.host",
     "server.host: 'x' is not accepted; Option 'server.host' cannot be used with a file name"),
    ('json:{"driver":"nbd","filename":"json:{}"}', "filename",
     "filename: 'json:{}' is not accepted; a json: filename inside another definition is not read; give its object "
     "directly"),
    # the message shows the first 40 characters of the inner json: filename
    ('json:{"driver":"raw","file":{"filename":"json:{\\"driver\\":\\"nbd\\",\\"server\\":{\\"type\\":\\"unix\\"}}"}}',
     "file.filename", "file.filename: 'json:{\"driver\":\"nbd\",\"server\":{\"type\":\"u' is not accepted; a json: "
     "filename inside another definition is not read; give its object directly"),
    ('json:{"file":{"filename":"nbd://h/e"},"filename":"x"}', "file.filename",
     "file.filename: 'x' is not accepted; unknown protocol 'x' (QEMU matches it case-sensitively); " + KNOWN),
    # a json: or -blockdev node has no guest device keys ('if' is -drive's)
    ('json:{"driver":"nbd",%s,"if":"none"}' % SRV, "if", "if: 'none' is not accepted; " + NO_SUCH + NBD_READS),
    (dict(BLOCKDEV, **{"if": "none"}), "if", "if: 'none' is not accepted; " + NO_SUCH + NBD_READS),
    ("driver=nbd,host=h,readonly,noreadonly=x", "noreadonly",
     "noreadonly: 'x' is not accepted; " + NO_SUCH + NBD_FLAT_READS),
    ("driver=nbd,host=h,readonly=maybe", "readonly",
     "readonly: 'maybe' is not accepted; expected a boolean (true/false, yes/no, on/off)"),
    ("driver=nbd,host=h,x", "x",
     "x: 'driver=nbd,host=h,x' is not accepted; expected name=value pairs separated by ',' (a literal comma in a "
     "value is written ',,')"),
    ("driver=nbd,host=h,=1", "options", "options: 'driver=nbd,host=h,=1' is not accepted; an option name is empty"),
    # QEMU 7.2 and 10.0 read 'nox' as x=off and refuse x, and refuse the empty name after 'readonly,,' ("doesn't
    # support the option ''"): tests/live/drive/test_booleans_live.py
    ("driver=nbd,host=h,nox", "nox",
     "nox: 'driver=nbd,host=h,nox' is not accepted; expected name=value pairs separated by ',' (a literal comma in "
     "a value is written ',,')"),
    ("driver=nbd,host=h,readonly,,x=1", "options",
     "options: 'driver=nbd,host=h,readonly,,x=1' is not accepted; expected name=value pairs separated by ',' (a "
     "literal comma in a value is written ',,')"),
    # the first 60 characters of the text
    ("driver=nbd,host=%s,readonly,,x=1" % ("h" * 50), "options",
     "options: 'driver=nbd,host=%s' is not accepted; expected name=value pairs separated by ',' (a literal comma in "
     "a value is written ',,')" % ("h" * 44)),
    ("driver=nbd,port=1,host=%s,=1" % ("h" * 50), "options",
     "options: 'driver=nbd,port=1,host=%s' is not accepted; an option name is empty" % ("h" * 37)),
    ('file=json:{"driver":"nbd",,"host":"h"},driver=nbd', "driver",
     "driver: 'nbd' is not accepted; given both in file=json:{...} and as an option"),
    ("file=json:{bad", "file",
     "file: 'json:{bad' is not accepted; Could not parse the JSON options: Expecting property name enclosed in double "
     "quotes: line 1 column 2 (char 1)"),
    # a message shows the first 60 characters of the text it could not read
    ('json:{"driver":"nbd","server":{"type":"unix","path":"/var/run/nbd.sock"},"export":}', "json",
     "json: 'json:{\"driver\":\"nbd\",\"server\":{\"type\":\"unix\",\"path\":\"/var/ru' is not accepted; Could not "
     "parse the JSON options: Expecting value: line 1 column 78 (char 77)"),
    ("<disk type='network'><source protocol='nbd' name='export'><host name='h'/></source>", "disk",
     "disk: \"<disk type='network'><source protocol='nbd' name='export'><h\" is not accepted; not well-formed XML: "
     "no element found: line 1, column 83"),
    (XML % "", "source", "source: required: <source protocol=... name=...>"),
    ("<disk/>", "disk.type", "disk.type: expected type='network' (a file or block disk is not a network drive)"),
    ("<x type='network'/>", "disk", "disk: 'x' is not accepted; expected a <disk> element"),
    (XML % "<source/>", "source.protocol",
     "source.protocol: expected one of: ftp, ftps, gluster, http, https, iscsi, nbd, nfs, rbd, sheepdog, ssh"),
    (XML % (SOURCE % "<host transport='unix'/>"), "source.host.0.socket",
     "source.host.0.socket: required with transport='unix'"),
    (XML % (SOURCE % "<host name='h'/><host transport='udp' name='h'/>"), "source.host.1.transport",
     "source.host.1.transport: 'udp' is not accepted; expected tcp, unix or rdma"),
    (XML % (SOURCE % "<host port='1'/>"), "source.host.0.name",
     "source.host.0.name: required: the server's host name or address"),
    (XML % (SOURCE % "<host name='h'/><timeout seconds='1'/>"), "source.timeout",
     "source.timeout: '<timeout>' is not accepted; not read back for protocol 'nbd' (its <source> children read "
     "back: host, reconnect); the drive spec has no place for it, so it would be lost"),
    ('<?xml version="1.0"?><!DOCTYPE disk SYSTEM "file:///etc/passwd"><disk type="network"/>', "disk",
     "disk: '<?xml version=\"1.0\"?><!DOCTYPE disk SYSTEM \"file:///etc/pass' is not accepted; a DTD or entity "
     "declaration is not read (a <disk> element needs none; entities can expand without bound)"),
    ('<disk type="network">&ext;</disk>', "disk",
     "disk: '<disk type=\"network\">&ext;</disk>' is not accepted; not well-formed XML: undefined entity: line 1, "
     "column 21"),
]


@pytest.mark.parametrize("text,expected", OK, ids=printable_ids([row[0] for row in OK], 60, str))
def test_reads(text, expected):
    assert parse_drive(text) == expected


@pytest.mark.parametrize("text,field,message", BAD, ids=printable_ids([row[0] for row in BAD], 60, str))
def test_refuses(text, field, message):
    with pytest.raises(SpecError) as err:
        parse_drive(text)
    assert (err.value.field, str(err.value)) == (field, message)


def test_filter_return_sample_is_what_the_filter_returns():
    """qemu_drive_parse's RETURN sample (ansible-doc) for the input its description names."""
    import yaml  # pylint: disable=import-outside-toplevel
    from ansible_collections.virt_uri.toolkit.plugins.filter import qemu_drive_parse as plugin  # pylint: disable=import-outside-toplevel
    returned = yaml.safe_load(plugin.RETURN)["_value"]
    text = ("format=qcow2,file.driver=nbd,file.server.type=inet,file.server.host=192.0.2.1,"
            "file.server.port=10809,file.export=disk,if=none,id=d0,readonly=on")
    result = plugin.qemu_drive_parse(text)
    assert returned["sample"] == result
    for field, doc in returned["contains"].items():
        assert doc["sample"] == result[field], field


def test_a_drivers_own_key_is_not_taken_for_a_device_key():
    """-drive's snapshot= / group= are the driver's own keys on an rbd / nfs node (found by the
    properties: driver=rbd,...,snapshot=s lost the snapshot to layer.options)."""
    spec = parse_drive("driver=rbd,pool=p,image=i,snapshot=s,if=none")
    assert spec["snapshot"] == "s" and spec["layer"] == {"options": {"if": "none"}}
    assert parse_drive("driver=nfs,server.type=inet,server.host=h,path=/e/d,group=7")["options"] == {"gid": 7}


VERSIONED = [
    # the version reaches every reader: a URI inside json: / file= decodes its query as that QEMU does
    ('json:{"filename":"nbd+unix:///e?socket=/a%2520b"}', "7.2", [{"socket": "/a%20b"}]),
    ('json:{"filename":"nbd+unix:///e?socket=/a%2520b"}', "10.0", [{"socket": "/a b"}]),
    ("file=nbd+unix:///e?socket=/a%2520b", "7.2", [{"socket": "/a%20b"}]),
    ("nbd+unix:///e?socket=/a%2520b", "7.2", [{"socket": "/a%20b"}]),
]


@pytest.mark.parametrize("text,version,servers", VERSIONED, ids=["json-7.2", "json-10.0", "opts", "uri"])
def test_the_version_reaches_every_reader(text, version, servers):
    assert parse_drive(text, version)["servers"] == servers


@pytest.mark.parametrize("text", [
    {"driver": "nbd", "server": {"type": "unix", "path": "/s"}, "tls-hostname": "x", "tls-creds": "t"},
    'json:{"driver":"nbd","server":{"type":"unix","path":"/s"},"tls-hostname":"x","tls-creds":"t"}',
    "driver=nbd,server.type=unix,server.path=/s,tls-hostname=x,tls-creds=t",
], ids=["blockdev", "json", "opts"])
def test_the_version_gates_every_reader(text):
    assert parse_drive(text)["options"] == {"tls_creds": "t", "tls_hostname": "x"}
    with pytest.raises(SpecError) as err:
        parse_drive(text, "6.2")
    assert (err.value.field, str(err.value)) == ("options.tls_hostname",
                                                 "options.tls_hostname: 'x' is not accepted; needs QEMU >= 7.0")


def test_options_next_to_a_filename_are_read_for_the_version_given():
    """The filename's spec is normalized and rendered for the QEMU named: sheepdog (gone after 6.0)
    with an option it does not have is refused for that option under 5.2, not for the driver."""
    text = 'json:{"filename":"sheepdog://h/vm","x":"1"}'
    message = ("x: '1' is not accepted; QEMU's sheepdog driver has no such option, or the drive spec cannot "
               "carry it; options read here: server, snap-id, tag, vdi")
    assert spec_refusal(parse_drive, text, "5.2") == ("x", message)


@pytest.mark.parametrize("key,device", [
    ("if", True), ("id", True), ("throttling.bps-total", True), ("throttling.iops-total.max", True),
    ("bps_max", True), ("bps-total", True), ("iops_max_length", True), ("iops-total", True),
    ("export", False), ("file.if", False), ("server.host", False), ("x.throttling", False), ("ifx", False),
])
def test_device_keys(key, device):
    """-drive's guest-device and throttling keys (blockdev.c: qemu_common_drive_opts) go to layer.options."""
    assert is_device_key(key) is device


GLUSTER_RDMA_XML = XML % "<source protocol='gluster' name='v/p'><host name='h' transport='rdma'/></source>"


def test_disk_xml_reads_gluster_rdma_where_qemu_has_it():
    assert parse_drive(GLUSTER_RDMA_XML, "9.0")["servers"] == [{"host": "h", "port": 24007, "transport": "rdma"}]
    with pytest.raises(SpecError) as err:
        parse_drive(GLUSTER_RDMA_XML, "9.1")
    assert (err.value.field, str(err.value)) == (
        "servers.0.transport", "servers.0.transport: 'rdma' is not accepted; gluster+rdma was removed in QEMU 9.1 (it "
        "always fell back to tcp); use 'tcp'")
