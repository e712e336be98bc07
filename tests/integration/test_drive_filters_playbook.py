"""The drive filters through a real ansible-playbook run (trusted templates, lazy containers,
data tagging): exact outputs, and failures that name the field without a traceback."""

import json

from ansible_collections.virt_uri.toolkit.tests.support.playbook import read_json, run_playbook

PLAYBOOK = """
- name: Render drives with the collection's filters
  hosts: localhost
  gather_facts: false
  vars:
    out: "{out}"
    nbd: {{protocol: nbd, server: {{host: "2001:db8::5", port: 10810}}, export: "disk one/a,b"}}
    sock: {{protocol: nbd, servers: [{{socket: /run/nbd.sock}}]}}
    lun: {{protocol: iscsi, server: {{host: 192.0.2.1}}, target: "iqn.2001-04.com.example:storage", lun: 1,
           user: chap, password_secret: sec0, options: {{initiator_name: "iqn.2001-04.com.example:init"}}}}
    ssh: {{protocol: ssh, server: {{host: host.example.com, port: 2222}}, user: root, path: /vm/a.img,
           options: {{host_key_check: "sha1:{sha1}"}}}}
    vol: {{protocol: gluster, volume: testvol, path: a.img, options: {{debug: 9}},
           servers: [{{host: 192.0.2.1}}, {{socket: /var/run/glusterd.socket}}]}}
    web: {{protocol: https, server: {{host: 192.0.2.1}}, path: "/f/t.vmdk?dcPath=DC&dsName=ds1",
           options: {{sslverify: false, readahead: 64k, timeout: 10}}}}
    results:
      uri: "{{{{ nbd | virt_uri.toolkit.qemu_drive_uri }}}}"
      legacy: "{{{{ sock | virt_uri.toolkit.qemu_drive_uri(syntax='legacy') }}}}"
      sock_uri: "{{{{ sock | virt_uri.toolkit.qemu_drive_uri }}}}"
      opts: "{{{{ lun | virt_uri.toolkit.qemu_drive_opts }}}}"
      image_opts: "{{{{ nbd | virt_uri.toolkit.qemu_drive_opts(prefix='') }}}}"
      ssh_uri: "{{{{ ssh | virt_uri.toolkit.qemu_drive_uri(qemu_version='7.2') }}}}"
      blockdev: "{{{{ ssh | virt_uri.toolkit.qemu_blockdev(node_name='d0') }}}}"
      gluster: "{{{{ vol | virt_uri.toolkit.gluster_json(format='qcow2') }}}}"
      backing: "{{{{ web | virt_uri.toolkit.qemu_drive_json(escape_commas=true) }}}}"
      escaped: "{{{{ 'a,b,,c' | virt_uri.toolkit.qemu_opts_escape }}}}"
      parsed: "{{{{ 'nbd:[::1]:10809:exportname=a:b' | virt_uri.toolkit.qemu_drive_parse }}}}"
      xml: "{{{{ lun | virt_uri.toolkit.libvirt_disk_xml(secret_usage='iscsi-chap', target_dev='sda', target_bus='scsi') }}}}"
  tasks:
    - name: Write the results
      ansible.builtin.copy:
        content: "{{{{ results | to_json }}}}"
        dest: "{{{{ out }}}}"
        mode: "0600"
"""

SHA1 = "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd"


def test_every_drive_filter_in_a_playbook(tmp_path):
    out = tmp_path / "out.json"
    run_playbook(tmp_path, PLAYBOOK.format(out=out, sha1=SHA1))
    got = read_json(out)
    assert got["uri"] == "nbd://[2001:db8::5]:10810/disk%20one/a%2Cb"
    assert got["legacy"] == "nbd:unix:/run/nbd.sock"
    assert got["sock_uri"] == "nbd+unix:///?socket=/run/nbd.sock"
    assert got["opts"] == ("file.driver=iscsi,file.transport=tcp,file.portal=192.0.2.1:3260,"
                           "file.target=iqn.2001-04.com.example:storage,file.lun=1,file.user=chap,"
                           "file.password-secret=sec0,file.initiator-name=iqn.2001-04.com.example:init")
    assert got["image_opts"] == ("driver=nbd,server.type=inet,server.host=2001:db8::5,server.port=10810,"
                                 "export=disk one/a,,b")
    assert got["ssh_uri"] == "ssh://root@host.example.com:2222/vm/a.img?host_key_check=sha1:" + SHA1
    assert got["blockdev"] == {"driver": "ssh", "server": {"host": "host.example.com", "port": "2222"},
                               "path": "/vm/a.img", "user": "root", "node-name": "d0",
                               "host-key-check": {"mode": "hash", "type": "sha1", "hash": SHA1}}
    assert json.loads(got["gluster"][len("json:"):]) == {
        "driver": "qcow2", "file": {"driver": "gluster", "volume": "testvol", "path": "a.img", "debug": 9,
                                    "server": [{"type": "inet", "host": "192.0.2.1", "port": "24007"},
                                               {"type": "unix", "path": "/var/run/glusterd.socket"}]}}
    assert got["backing"] == ('json:{"driver":"https",,"url":"https://192.0.2.1/f/t.vmdk?dcPath=DC&dsName=ds1",,'
                              '"sslverify":false,,"readahead":65536,,"timeout":10}')
    assert got["escaped"] == "a,,b,,,,c"
    assert got["parsed"] == {"protocol": "nbd", "servers": [{"host": "::1", "port": 10809}], "export": "a:b"}
    assert '<source protocol="iscsi" name="iqn.2001-04.com.example:storage/1">' in got["xml"]
    assert '<secret type="iscsi" usage="iscsi-chap" />' in got["xml"]


BAD = """
- name: A bad drive spec fails the task
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Render
      ansible.builtin.debug:
        msg: "{{ {'protocol': 'nbd', 'server': {'host': '192.0.2.1', 'port': 70000}} | virt_uri.toolkit.qemu_drive_uri }}"
"""


def test_bad_input_fails_with_the_field_named(tmp_path):
    proc = run_playbook(tmp_path, BAD, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 2
    assert "qemu_drive_uri: server.port: 70000 is not accepted; expected an integer between 1 and 65535" in output
    assert "Traceback" not in output


SECRET = """
- name: A plain password without credentials=inline is refused, and not echoed
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Render
      ansible.builtin.debug:
        msg: "{{ {'protocol': 'iscsi', 'server': {'host': '192.0.2.1'}, 'target': 'iqn.x:t', 'lun': 0,
                  'user': 'u', 'password': 'Pl4nted-S3cret'} | virt_uri.toolkit.qemu_drive_uri }}"
"""


def test_plain_password_is_refused_and_not_shown(tmp_path):
    proc = run_playbook(tmp_path, SECRET, extra_args=["-vvv"], check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 2
    assert "password: <hidden> is not accepted" in output
    assert "Pl4nted-S3cret" not in output.split("Render", 1)[1].split("fatal", 1)[1]
