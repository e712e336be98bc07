# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Session fixtures: real storage servers on 127.0.0.1, each on a free port, each stopped by pid.

Fixture            yields (see servers.py)
``nbd_tcp``        NbdServer  host, port, export ('disk one/a'), image, size, sha256, pid
``nbd_tcp6``       NbdServer  host '::1', port, export ('six/e x')
``nbd_unix``       NbdServer  socket, export ('unix export/b'), image, size, sha256, pid
``nbd_tricky``     NbdServer  TCP, export 'ex,p?o#r%41t&s;e x/y:exportname=z'
``nbd_unix_tricky`` NbdServer unix socket in a directory 'so ck,d&1', export 'e,1'
``iscsi``          IscsiServer host, host6 ('::1', same port), port, portal, iqn, lun (1), user,
                              password, size, pid
``sshd``           SshServer  host, host6 (same port), port, user ('root'), image, size, auth_sock, home, env,
                              fingerprints {md5, sha1, sha256, *_colons}, tricky_image,
                              pid, agent_pid
``nginx``          HttpServer host, host6 (http_port only), http_port, https_port, path, auth_path, cookie_path,
                              tricky_path, user, password, cookie ('token=s3cret'), size,
                              sha256, pid
``ftp`` / ``ftps`` FtpServer  host, port, path, tricky_path, size, sha256, tls,
                              user ('anonymous'), pid
``gluster``        GlusterServer host, port (24007), socket (glusterd's unix socket), volume,
                              path ('img.raw'), size, sha256, brick, pid
``generation``     parametrized: the host's QEMU 7.2 / libvirt 9.0, then QEMU 10.0 / libvirt
                   11.3 in the trixie root (tests/live/conftest.py, tests/support/qemu_oracle.py)
``qemu_version``   the generation's ('7.2' / '10.0'): every test taking it runs per generation
``xml_validator``  the generation's virt-xml-validate on a <disk> in a minimal domain
``tool``           tool(name) -> path (tests.support.requires: missing fails under CI=true, else skips)
"""

from __future__ import annotations

from pathlib import Path

import pytest

import servers

from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import GENERATIONS
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires

GENERATION_IDS = [gen.id for gen in GENERATIONS]


@pytest.fixture(scope="session")
def tool():
    return lambda name: requires(tool=name)


@pytest.fixture(scope="session")
def qemu_img():
    requires(tool="qemu-img")
    requires(tool="qemu-storage-daemon")
    return requires(tool="qemu-img")


@pytest.fixture(scope="session")
def qemu_version(generation, qemu_img):  # pylint: disable=unused-argument
    return generation.qemu_version


@pytest.fixture(scope="session")
def xml_validator(generation):
    generation.tool("virt-xml-validate")
    return generation.validate_disk_xml


@pytest.fixture(scope="session")
def tls_cert(tmp_path_factory):
    """(cert, key) paths: one self-signed certificate for 127.0.0.1 for nginx and vsftpd."""
    return servers.make_cert(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def nbd_tcp(tmp_path_factory, qemu_img):  # pylint: disable=unused-argument
    with servers.start_nbd(tmp_path_factory.mktemp("nbd_tcp"), "disk one/a") as server:
        yield server


@pytest.fixture(scope="session")
def nbd_tcp6(tmp_path_factory, qemu_img):  # pylint: disable=unused-argument
    with servers.start_nbd(tmp_path_factory.mktemp("nbd_tcp6"), "six/e x", host="::1") as server:
        yield server


@pytest.fixture(scope="session")
def nbd_unix(tmp_path_factory, qemu_img):  # pylint: disable=unused-argument
    with servers.start_nbd(tmp_path_factory.mktemp("nbd_unix"), "unix export/b",
                           unix=True) as server:
        yield server


@pytest.fixture(scope="session")
def nbd_tricky(tmp_path_factory, qemu_img):  # pylint: disable=unused-argument
    """qemu-nbd on TCP with an export name full of URI and QemuOpts specials."""
    with servers.start_nbd(tmp_path_factory.mktemp("nbd_tricky"),
                           "ex,p?o#r%41t&s;e x/y:exportname=z") as server:
        yield server


@pytest.fixture(scope="session")
def nbd_unix_tricky(tmp_path_factory, qemu_img):  # pylint: disable=unused-argument
    """qemu-nbd on a unix socket whose directory holds a space, a comma and a '&'."""
    with servers.start_nbd(tmp_path_factory.mktemp("nbd_unix_tricky"), "e,1", unix=True,
                           socket_dir="so ck,d&1") as server:
        yield server


@pytest.fixture(scope="session")
def iscsi(tmp_path_factory, qemu_img):  # pylint: disable=unused-argument
    with servers.start_iscsi(tmp_path_factory.mktemp("iscsi")) as server:
        yield server


@pytest.fixture(scope="session")
def sshd(tmp_path_factory, qemu_img):  # pylint: disable=unused-argument
    with servers.start_sshd(tmp_path_factory.mktemp("sshd")) as server:
        yield server


@pytest.fixture(scope="session")
def nginx(tmp_path_factory, tls_cert, qemu_img):  # pylint: disable=unused-argument
    cert, key = tls_cert
    with servers.start_nginx(tmp_path_factory.mktemp("nginx"), cert, key) as server:
        yield server


@pytest.fixture(scope="session")
def ftp(tmp_path_factory, qemu_img):  # pylint: disable=unused-argument
    with servers.start_vsftpd(tmp_path_factory.mktemp("ftp")) as server:
        yield server


@pytest.fixture(scope="session")
def ftps(tmp_path_factory, tls_cert, qemu_img):  # pylint: disable=unused-argument
    cert, key = tls_cert
    with servers.start_vsftpd(tmp_path_factory.mktemp("ftps"), tls=True, cert=cert,
                              key=key) as server:
        yield server


@pytest.fixture(scope="session")
def gluster(tmp_path_factory, qemu_img):  # pylint: disable=unused-argument
    with servers.start_gluster(tmp_path_factory.mktemp("gluster")) as server:
        yield server


HERE = Path(__file__).resolve().parent


def _order(item):
    """One generation after the other (session fixtures per generation are set up once)."""
    gen = getattr(item, "callspec", None) and item.callspec.params.get("generation")
    gen_id = getattr(gen, "id", gen)
    return (GENERATION_IDS.index(gen_id) if gen_id in GENERATION_IDS else -1,
            0 if item.path.name == "test_servers_smoke.py" else 1)


def pytest_collection_modifyitems(session, config, items):  # pylint: disable=unused-argument
    """Per generation, the oracle checks (test_servers_smoke.py) run before the filter tests.

    If a fixture server is broken, that shows first (and stops a ``-x`` run) as a fixture
    failure, not as a list of filter failures. Items of other directories keep their order.
    """
    mine = [i for i, item in enumerate(items) if Path(str(item.path)).parent == HERE]
    if not mine:
        return
    ours = [items[i] for i in mine]
    ours.sort(key=_order)
    for index, item in zip(mine, ours):
        items[index] = item
