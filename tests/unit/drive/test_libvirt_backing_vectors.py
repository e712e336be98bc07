"""libvirt's backing-store vectors, read by qemu_drive_parse.

Source: libvirt tests/virstoragetest.c (commit 01f7ade91250a7974a4e4eafe784d93004887502), mymain(),
the TEST_BACKING_PARSE / TEST_BACKING_PARSE_FULL rows; libvirt names them "Backing store parse N"
(virTestCounterNext, in file order), which is the number given here. Each row holds the backing
string libvirt was given and, as facts, what libvirt's <source> said (protocol, name, hosts), written
as our drive spec. Only the rows of protocols this collection reads are here (not file, host_device,
host_cdrom, fat, vxhs, nvme, raw offset/size).

Where libvirt accepts what QEMU refuses, we follow QEMU (the drive is opened by QEMU) and the row
says which QEMU check refuses it; the QEMU check is named by file and function,
or qemu-img 7.2 refused it.
"""

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.parse import parse_drive


def tcp(*pairs):
    return [{"host": h, "port": p} for h, p in pairs]


def nbd(servers, export=""):
    return {"protocol": "nbd", "servers": servers, "export": export}


SOCK = [{"socket": "/tmp/sock"}]
PATH_SOCK = [{"socket": "/path/to/socket"}]
IQN_NOAUTH = "iqn.2016-12.com.virttest:emulated-iscsi-noauth.target"
COOKIE = 'vmware_soap_session="0c8db85112873a79b7ef74f294cb70ef7f"'
ESX = {"protocol": "https", "servers": tcp(("host", 443)), "credentials": "inline",
       "path": "/folder/esx6.5-rhel7.7-x86_64/esx6.5-rhel7.7-x86_64-flat.vmdk?dcPath=data&dsName=esx6.5-matrix",
       "options": {"cookie": COOKIE, "timeout": 2000, "sslverify": False}}
ESX_JSON = ('json:{ "file.cookie": "vmware_soap_session=\\"0c8db85112873a79b7ef74f294cb70ef7f\\"",'
            '"file.sslverify": %s,"file.driver": "https",'
            '"file.url": "https://host/folder/esx6.5-rhel7.7-x86%%5f64/esx6.5-rhel7.7-x86%%5f64-flat.vmdk'
            '?dcPath=data&dsName=esx6.5-matrix","file.timeout": 2000}')

# (libvirt test number, backing string, our spec; qemu_version)
READ = [
    (4, "http://example.com", {"protocol": "http", "servers": tcp(("example.com", 80)), "path": "/"}, None),
    (5, "http://example.com/", {"protocol": "http", "servers": tcp(("example.com", 80)), "path": "/"}, None),
    (6, "http://example.com/file", {"protocol": "http", "servers": tcp(("example.com", 80)), "path": "/file"}, None),
    # libvirt returns 1 here (it drops the credentials); libcurl is given them (block/curl.c keeps the url)
    (7, "http://user:pass@example.com/file", {"protocol": "http", "servers": tcp(("example.com", 80)),
                                              "path": "/file", "user": "user", "password": "pass",
                                              "credentials": "inline"}, None),
    (9, "nbd:example.org:6000:exportname=blah", nbd(tcp(("example.org", 6000)), "blah"), None),
    (10, "nbd:example.org:6000:exportname=:", nbd(tcp(("example.org", 6000)), ":"), None),
    (11, "nbd:example.org:6000:exportname=:test", nbd(tcp(("example.org", 6000)), ":test"), None),
    (12, "nbd:[::1]:6000:exportname=:test", nbd(tcp(("::1", 6000)), ":test"), None),
    (13, "nbd:127.0.0.1:6000:exportname=:test", nbd(tcp(("127.0.0.1", 6000)), ":test"), None),
    (14, "nbd:unix:/tmp/sock:exportname=/", nbd(SOCK, "/"), None),
    (15, "nbd:unix:/tmp/sock:", nbd([{"socket": "/tmp/sock:"}]), None),
    (16, "nbd:unix:/tmp/sock::exportname=:", nbd([{"socket": "/tmp/sock:"}], ":"), None),
    (17, "nbd://example.org:1234", nbd(tcp(("example.org", 1234))), None),
    (18, "nbd://example.org:1234/", nbd(tcp(("example.org", 1234))), None),
    (19, "nbd://example.org:1234/exportname", nbd(tcp(("example.org", 1234)), "exportname"), None),
    (20, "nbd+unix://?socket=/tmp/sock", nbd(SOCK), None),
    (21, "nbd+unix:///?socket=/tmp/sock", nbd(SOCK), None),
    (22, "nbd+unix:////?socket=/tmp/sock", nbd(SOCK, "/"), None),
    (23, "nbd+unix:///exp?socket=/tmp/sock", nbd(SOCK, "exp"), None),
    (24, "nbd+unix:////exp?socket=/tmp/sock", nbd(SOCK, "/exp"), None),
    (37, 'json:{"file.driver":"http", "file.url":"http://example.com/file"}',
     {"protocol": "http", "servers": tcp(("example.com", 80)), "path": "/file"}, None),
    (38, 'json:{"file":{ "driver":"http","url":"http://example.com/file"}}',
     {"protocol": "http", "servers": tcp(("example.com", 80)), "path": "/file"}, None),
    (40, 'json:{"file.driver":"gluster", "file.filename":"gluster://example.com/vol/file"}',
     {"protocol": "gluster", "servers": tcp(("example.com", 24007)), "volume": "vol", "path": "file"}, None),
    (43, 'json:{"driver": "raw","file": {"server.0.host": "A.A.A.A","server.1.host": "B.B.B.B",'
         '"server.2.host": "C.C.C.C","driver": "gluster","path": "raw","server.0.type": "tcp",'
         '"server.1.type": "tcp","server.2.type": "tcp","server.0.port": "24007","server.1.port": "24007",'
         '"server.2.port": "24007","volume": "vol1"}}',
     {"protocol": "gluster", "servers": tcp(("A.A.A.A", 24007), ("B.B.B.B", 24007), ("C.C.C.C", 24007)),
      "volume": "vol1", "path": "raw", "layer": {"format": "raw"}}, None),
    (44, 'json:{"file":{"driver":"nbd","path":"/path/to/socket"}}', nbd(PATH_SOCK), None),
    (45, 'json:{"driver":"nbd","path":"/path/to/socket"}', nbd(PATH_SOCK), None),
    (46, 'json:{"file.driver":"nbd","file.path":"/path/to/socket"}', nbd(PATH_SOCK), None),
    (47, 'json:{"file":{"driver":"nbd","export":"blah","host":"example.org","port":"6000"}}',
     nbd(tcp(("example.org", 6000)), "blah"), None),
    (48, 'json:{"file.driver":"nbd","file.export":"blah","file.host":"example.org","file.port":"6000"}',
     nbd(tcp(("example.org", 6000)), "blah"), None),
    (49, 'json:{"file":{"driver":"nbd","export":"blah","server": { "type":"inet","host":"example.org",'
         '"port":"6000"}}}', nbd(tcp(("example.org", 6000)), "blah"), None),
    (50, 'json:{"file":{"driver":"nbd","server": { "type":"unix","path":"/path/socket"}}}',
     nbd([{"socket": "/path/socket"}]), None),
    (51, 'json:{"file":{"driver":"ssh","host":"example.org","port":"6000","path":"blah","user":"user"}}',
     {"protocol": "ssh", "servers": tcp(("example.org", 6000)), "path": "blah", "user": "user"}, None),
    (52, 'json:{"file.driver":"ssh","file.host":"example.org","file.port":"6000","file.path":"blah",'
         '"file.user":"user"}',
     {"protocol": "ssh", "servers": tcp(("example.org", 6000)), "path": "blah", "user": "user"}, None),
    (53, 'json:{"file":{"driver":"ssh","path":"blah","server":{ "host":"example.org","port":"6000"},'
         '"user":"user"}}',
     {"protocol": "ssh", "servers": tcp(("example.org", 6000)), "path": "blah", "user": "user"}, None),
    (57, 'json:{"file":{"driver":"iscsi","transport":"tcp","portal":"test.org","target":"%s"}}' % IQN_NOAUTH,
     {"protocol": "iscsi", "servers": tcp(("test.org", 3260)), "target": IQN_NOAUTH, "lun": 0}, None),
    # libvirt returns 1 (a password without a user): block/iscsi.c sets up CHAP only with a user
    (59, 'json:{"file":{"driver":"iscsi","transport":"tcp","portal":"test.org","password":"testpass",'
         '"target":"iqn.2016-12.com.virttest:emulated-iscsi-auth.target"}}',
     {"protocol": "iscsi", "servers": tcp(("test.org", 3260)),
      "target": "iqn.2016-12.com.virttest:emulated-iscsi-auth.target", "lun": 0}, None),
    (60, 'json:{"file":{"driver":"iscsi","transport":"tcp","portal":"test.org:1234","target":"%s","lun":"6"}}'
     % IQN_NOAUTH, {"protocol": "iscsi", "servers": tcp(("test.org", 1234)), "target": IQN_NOAUTH, "lun": 6},
     None),
    (61, 'json:{"file":{"driver":"iscsi","transport":"tcp","portal":"[2001::0]:1234","target":"%s","lun":6}}'
     % IQN_NOAUTH, {"protocol": "iscsi", "servers": tcp(("2001::", 1234)), "target": IQN_NOAUTH, "lun": 6},
     None),
    (62, 'json:{"file":{"driver":"iscsi","transport":"tcp","portal":"[2001::0]","target":"%s","lun":6}}'
     % IQN_NOAUTH, {"protocol": "iscsi", "servers": tcp(("2001::", 3260)), "target": IQN_NOAUTH, "lun": 6},
     None),
    (63, 'json:{"file":{"driver":"sheepdog","vdi":"test","server":{ "type":"inet","host":"example.com",'
         '"port":"321"}}}', {"protocol": "sheepdog", "servers": tcp(("example.com", 321)), "vdi": "test"}, "5.2"),
    (64, 'json:{"driver": "raw","file": {"server.host": "10.10.10.10","server.port": "7000","tag": "",'
         '"driver": "sheepdog","server.type": "inet","vdi": "Alice"}}',
     {"protocol": "sheepdog", "servers": tcp(("10.10.10.10", 7000)), "vdi": "Alice", "layer": {"format": "raw"}},
     "5.2"),
    (66, 'json:{"file":{"driver":"nfs","user":2,"group":9,"path":"/foo/bar/baz","server": {  '
         '"host":"example.com","type":"inet"}}}',
     {"protocol": "nfs", "servers": [{"host": "example.com"}], "path": "/foo/bar/baz",
      "options": {"uid": 2, "gid": 9}}, None),
    (68, ESX_JSON % "false", ESX, None),
    (69, ESX_JSON % '"off"', ESX, None),
]

# (libvirt test number, backing string, field, what our refusal says, why)
REFUSED = [
    (3, "://", "uri", "unknown protocol", "libvirt refuses it too"),
    (25, "iscsi://testuser:testpass@example.org:1234/exportname", "uri", "target-iqn/lun",
     "libvirt returns 1 without a LUN; libiscsi: 'Could not parse <lun>' "
     "(lib/init.c: iscsi_parse_url)"),
    (26, "json:", "json", "Could not parse the JSON options", "libvirt refuses it too"),
    (27, "json:asdgsdfg", "json", "Could not parse the JSON options", "libvirt refuses it too"),
    (28, "json:{}", "file", "a protocol node", "libvirt refuses it too"),
    (29, 'json: { "file.driver":"blah"}', "file.driver", "unknown driver", "libvirt refuses it too"),
    (39, 'json:{"file.driver":"ftp", "file.url":"http://example.com/file"}', "file.url",
     "does not start with 'ftp://'", "libvirt refuses it too; block/curl.c: curl_open"),
    (41, 'json:{"file":{"driver":"gluster","volume":"testvol","path":"img.qcow2","server":[ { "type":"tcp",'
         '"host":"example.com","port":"1234"},{ "type":"unix","socket":"/path/socket"},{ "type":"tcp",'
         '"host":"example.com"}]}}', "file.server.2.port", "Parameter 'port' is missing",
     "libvirt fills in 24007; QEMU 7.2 refuses a gluster server without port "
     "(block/gluster.c: qemu_gluster_parse_json)"),
    (42, 'json:{"file.driver":"gluster","file.volume":"testvol","file.path":"img.qcow2","file.server":[ '
         '{ "type":"tcp","host":"example.com","port":"1234"},{ "type":"unix","socket":"/path/socket"},'
         '{ "type":"inet","host":"example.com"}]}', "file.server.2.port", "Parameter 'port' is missing",
     "as 41"),
    (58, 'json:{"file":{"driver":"iscsi","transport":"tcp","portal":"test.org","user":"testuser",'
         '"target":"iqn.2016-12.com.virttest:emulated-iscsi-auth.target"}}', "file.password-secret",
     "CHAP username specified but no password was given",
     "libvirt returns 1; QEMU 7.2 refuses it (block/iscsi.c: apply_chap)"),
]


@pytest.mark.parametrize("number,backing,expected,version", READ, ids=["parse %d" % r[0] for r in READ])
def test_libvirt_backing_store_parse(number, backing, expected, version):
    assert parse_drive(backing, version) == expected, number


@pytest.mark.parametrize("number,backing,field,message,why", REFUSED, ids=["parse %d" % r[0] for r in REFUSED])
def test_libvirt_backing_store_refused(number, backing, field, message, why):
    with pytest.raises(SpecError) as err:
        parse_drive(backing)
    assert err.value.field == field, (number, why)
    assert message in str(err.value), (number, why)
