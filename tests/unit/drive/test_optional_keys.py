"""Every renderer of every protocol, for specs with each optional key added or removed: a spec that
normalize() accepts renders or is refused with a SpecError, never a KeyError / TypeError from a key a
renderer indexes without a guard (issue 14: an iscsi user without password_secret)."""

import itertools

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import (
    normalize, render_blockdev, render_chap_env, render_json_pseudo, render_opts, render_uri,
)

SERVER = {"host": "192.0.2.1"}
# protocol: (required keys, optional keys with a valid value each)
CASES = {
    "nbd": ({"server": SERVER}, {"export": "e", "options": {"reconnect_delay": 1}}),
    "iscsi": ({"server": SERVER, "target": "iqn.2001-04.com.example:t", "lun": 0},
              {"user": "u", "password_secret": "sec0", "credentials": "secret",
               "options": {"initiator_name": "iqn.2001-04.com.example:i"}}),
    "http": ({"server": SERVER, "path": "/x.img"}, {"user": "u", "password_secret": "sec0"}),
    "https": ({"server": SERVER, "path": "/x.img"},
              {"user": "u", "password_secret": "sec0", "options": {"sslverify": False}}),
    "ssh": ({"server": SERVER, "path": "/x.img"}, {"user": "u"}),
    "gluster": ({"server": SERVER, "volume": "v", "path": "/x.img"}, {}),
    "nfs": ({"server": SERVER, "path": "/x.img"}, {}),
    "rbd": ({"pool": "p", "image": "i"},
            {"server": SERVER, "user": "admin", "key_secret": "sec0", "snapshot": "s", "namespace": "n",
             "conf": "/etc/ceph/ceph.conf"}),
}
RENDERERS = (render_uri, render_json_pseudo, render_opts, render_blockdev, render_chap_env,
             lambda s, v: render_uri(s, v, on_unexpressible="omit"),
             lambda s, v: render_disk_xml(s, v, secret_usage="u"))


def _variants():
    for protocol, (required, optional) in CASES.items():
        names = sorted(optional)
        for size in range(len(names) + 1):
            for chosen in itertools.combinations(names, size):
                spec = dict(required, protocol=protocol, **{k: optional[k] for k in chosen})
                yield pytest.param(spec, id="%s+%s" % (protocol, "+".join(chosen) or "none"))


@pytest.mark.parametrize("version", ["7.2", "10.0"])
@pytest.mark.parametrize("spec", list(_variants()))
def test_a_normalized_spec_renders_or_is_refused_by_name(spec, version):
    try:
        normalize(spec, version)
    except SpecError:
        return  # refused at normalize time, by name: fine
    for render in RENDERERS:
        try:
            render(spec, version)
        except SpecError:
            pass


def test_iscsi_user_without_password_secret_is_refused_in_every_qemu_form():
    """A user alone is valid only in disk XML (the password in a libvirt secret); QEMU refuses a CHAP
    user without a password (block/iscsi.c: apply_chap), and the URL must not silently drop it."""
    spec = dict(CASES["iscsi"][0], protocol="iscsi", user="u")
    for render in (render_uri, render_json_pseudo, render_opts, render_blockdev):
        with pytest.raises(SpecError, match="user|password_secret"):
            render(spec, None)
    assert "user" not in render_uri(spec, None, on_unexpressible="omit")
    assert '<auth username="u">' in render_disk_xml(spec, secret_usage="u")
