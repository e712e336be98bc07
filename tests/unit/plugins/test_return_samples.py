"""Every filter's RETURN sample is what the filter returns for the input shown here.

A sample in ``ansible-doc`` is read as a promise; this table keeps each one true.
"""

import importlib
import re

import pytest
import yaml

G = {"protocol": "gluster", "servers": [{"host": "192.0.2.1"}, {"socket": "/run/g.sock"}],
     "volume": "v", "path": "a.img"}
N = {"protocol": "nbd", "server": {"host": "192.0.2.1"}, "export": "disk one"}
I = {"protocol": "iscsi", "server": {"host": "192.0.2.10"}, "target": "iqn.2001-04.com.example:storage",
     "lun": 1, "user": "chap", "password": "<password>", "credentials": "env"}
CONN = {"driver": "qemu", "transport": "ssh", "user": "root", "host": "hv1.example.com", "path": "/system",
        "params": {"keyfile": "/root/.ssh/id_ed25519"}}

ROWS = [
    ("gluster_json", (G,), {}),
    ("libvirt_client_files", ({
        "libvirt_client_uri_aliases": {"local": "qemu:///system", "hv1": "qemu+ssh://root@hv1.example.com/system"},
        "libvirt_client_uri_default": "local"},), {}),
    ("libvirt_disk_xml", (N,), {}),
    ("libvirt_remote_uri", (CONN,), {}),
    ("libvirt_uri_aliases", ({"hv1": "qemu+ssh://root@hv1.example.com/system", "local": "qemu:///system"},), {}),
    ("libvirt_uri_parse", ("qemu+ssh://root@hv1.example.com:2222/system?keyfile=/root/.ssh/id_ed25519",), {}),
    ("qemu_blockdev", (N,), {"node_name": "d0"}),
    ("qemu_drive_chap_env", (I,), {}),
    ("qemu_drive_json", (N,), {}),
    ("qemu_drive_opts", (N,), {}),
    ("qemu_drive_uri", (N,), {}),
    ("qemu_drives_plan", ({"qemu_drives_vms": [{"name": "vm1", "drives": [N]}], "qemu_drives_forms": ["args"]},), {}),
    ("qemu_opts_escape", ("https://192.0.2.1/a,b.img",), {}),
    ("systemd_exec_arg", ("nbd://192.0.2.1/disk%20one",), {}),
]


def plugin(name):
    return importlib.import_module("ansible_collections.virt_uri.toolkit.plugins.filter." + name)


@pytest.mark.parametrize("name,args,kwargs", ROWS, ids=[r[0] for r in ROWS])
def test_sample_is_the_filters_output(name, args, kwargs):
    module = plugin(name)
    returned = yaml.safe_load(module.RETURN)["_value"]
    result = getattr(module, name)(*args, **kwargs)
    assert returned["sample"] == result
    for field, doc in returned.get("contains", {}).items():
        assert doc["sample"] == result[field], field


def test_every_filter_with_a_return_has_a_sample_row():
    from pathlib import Path
    names = {p.stem for p in (Path(plugin("qemu_drive_uri").__file__).parent).glob("*.py")}
    with_row = {r[0] for r in ROWS}
    # qemu_drive_parse's sample is checked by its own tests (tests/unit/drive)
    missing = {n for n in names - with_row - {"qemu_drive_parse"}
               if re.search(r"^RETURN", Path(plugin(n).__file__).read_text(), re.M)}
    assert not missing
