"""qemu_drive_parse on every form: json: filenames, -blockdev mappings, -drive / --image-opts strings,
libvirt <disk> XML. One row per case: input -> the spec (and layer) QEMU's reading gives, or the
field and message QEMU / libvirt refuse it with (block.c, block/*.c, blockdev.c)."""

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive
from ansible_collections.virt_uri.toolkit.tests.support.ids import printable_ids


def tcp(host, port):
    return [{"host": host, "port": port}]


NBD_E = {"protocol": "nbd", "servers": tcp("127.0.0.1", 1), "export": "e"}

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
]

BAD = [
    ("json:{", "json", "Could not parse the JSON options"),
    ("json:[1]", "json", "Invalid JSON object given"),
    ('json:{"driver":"nbd"}', "server", "NBD server address missing"),
    ('json:{"driver":"nbd","server":{"type":"inet","host":"127.0.0.1"}}', "server.port", "Parameter 'port' is missing"),
    ('json:{"driver":"nbd","path":"/tmp/x","port":"1"}', "port", "port may not be used without host"),
    ('json:{"driver":"nbd","path":"/tmp/x","host":"h"}', "path", "path and host may not be used at the same time"),
    ('json:{"driver":"nbd","host":"h","server":{"type":"unix","path":"/x"}}', "host", "Cannot use 'server'"),
    ('json:{"driver":"iscsi","portal":"127.0.0.1:1","target":"iqn.x:t"}', "transport", "Need all of transport"),
    ('json:{"driver":"iscsi","transport":"rdma","portal":"h","target":"iqn.x:t"}', "transport",
     "Unknown transport: rdma"),
    ('json:{"driver":"iscsi","transport":"tcp","portal":"127.0.0.1:1","target":"iqn.x:t","user":"u"}',
     "password-secret", "CHAP username specified but no password was given"),
    ('json:{"driver":"iscsi","transport":"tcp","portal":"::1","target":"iqn.x:t"}', "portal", "needs brackets"),
    ('json:{"driver":"ssh","server":{"host":"127.0.0.1","port":"1"}}', "path", "Parameter 'path' is missing"),
    ('json:{"driver":"ssh","port":"1","path":"/x"}', "port", "port may not be used without host"),
    ('json:{"driver":"gluster","volume":"testvol","path":"a.img"}', "server", "Parameter 'server' is missing"),
    ('json:{"driver":"gluster","volume":"v","path":"a.img","server":[{"type":"inet","host":"127.0.0.1"}]}',
     "server.0.port", "Parameter 'port' is missing"),
    ('json:{"driver":"gluster","volume":"v","path":"a","server":[{"type":"unix","path":"/a","socket":"/x"}]}',
     "server.0.socket", "Conflicting parameters 'path' and 'socket'"),
    ('json:{"driver":"https","url":"http://h/x.img"}', "url", "does not start with 'https://'"),
    ('json:{"driver":"http"}', "url", "curl block driver requires an 'url' option"),
    ('json:{"driver":"vxhs","vdisk-id":"x"}', "driver", "unknown driver"),
    ('json:{"driver":"qcow2","file":{"driver":"file","filename":"/x"}}', "file.driver", "unknown driver"),
    ('json:{"driver":"nbd","filename":"iscsi://h/iqn.x/1"}', "driver", "does not match"),
    ('json:{"driver":"nbd","server":{"type":"inet","host":"h","port":"1"},"x-dirty-bitmap":"b"}',
     "x-dirty-bitmap", "QEMU's nbd driver has no such option, or the drive spec cannot carry it"),
    ('json:{"driver":"qcow2","file":"nbd0"}', "file", "names an existing node"),
    ("file=nbd://h/e,file.export=x", "file.export", "Option 'export' cannot be used with a file name"),
    ("driver=nbd,format=raw", "format", "Cannot specify both 'driver' and 'format'"),
    ("driver=nbd,server.type=inet,server.host=h,server.port=x", "server.port", "expected an integer"),
    ({"driver": "nbd", "server": {"type": "inet", "host": "h", "port": 10809}}, "server.port",
     "Invalid parameter type for 'server.port', expected: string"),
    ({"driver": "iscsi", "transport": "tcp", "portal": "h", "target": "iqn.x:t", "lun": "1"}, "lun",
     "expected: integer"),
    ({"driver": "nbd", "filename": "nbd://h/e"}, "filename", "take no filename"),
    ("<!DOCTYPE d [<!ENTITY a 'b'>]><disk type='network'/>", "disk", "DTD or entity declaration"),
    ("<disk type='file'><source file='/x'/></disk>", "disk.type", "expected type='network'"),
    ("<disk type='network'><source protocol='vxhs'/></disk>", "source.protocol", "expected one of"),
    ("<disk type='network'", "disk", "not well-formed"),
    # QEMU reads ASCII digits only (tests/live/drive/test_ascii_digits_live.py): Arabic-Indic
    # digits were read as the port/LUN they stand for, a superscript crashed int().
    ("nbd://127.0.0.1:\u0661\u0660\u0668\u0660\u0669/x", "uri", "the port must be a number"),
    ("nbd://127.0.0.1:\u00b2/x", "uri", "the port must be a number"),
    ("nbd:127.0.0.1:\u0661\u0660\u0668\u0660\u0669:exportname=x", "port", "expected an integer (digits 0-9)"),
    ("driver=nbd,host=127.0.0.1,port=\u0661\u0660\u0668\u0660\u0669,export=x", "server.port",
     "expected an integer (digits 0-9)"),
    ("driver=nbd,host=127.0.0.1,port=1,reconnect-delay=\u0661", "reconnect-delay",
     "Parameter 'reconnect-delay' expects a number"),
    ("iscsi://127.0.0.1/iqn.x/\u0660", "uri", "expected iscsi://"),
    ("driver=iscsi,transport=tcp,portal=127.0.0.1:3260,target=iqn.x,lun=\u0660", "lun",
     "Parameter 'lun' expects a number"),
    ("driver=iscsi,transport=tcp,portal=127.0.0.1:\u0663\u0662\u0666\u0660,target=iqn.x,lun=0", "portal",
     "expected a portal 'host[:port]'"),
]


@pytest.mark.parametrize("text,expected", OK, ids=printable_ids([row[0] for row in OK], 60, str))
def test_reads(text, expected):
    assert parse_drive(text) == expected


@pytest.mark.parametrize("text,field,message", BAD, ids=printable_ids([row[0] for row in BAD], 60, str))
def test_refuses(text, field, message):
    with pytest.raises(SpecError) as err:
        parse_drive(text)
    assert err.value.field == field
    assert message in str(err.value)


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
