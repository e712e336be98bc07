# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Injection: hostile values cannot add an option to a QEMU option string, a key to libvirt.conf or
an element to disk XML. Shown with the real parsers: QEMU (qemu-img against servers on 127.0.0.1 or
a Unix socket: the export name, HTTP path and iSCSI target it sends are the ones given), libvirt
(virConfReadString/virConfWalk, and virsh reading the file as an unprivileged user), and XML
parsers (xmllint, lxml, virt-xml-validate). Nothing connects anywhere but 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from urllib.parse import unquote

import pytest
from ansible.errors import AnsibleFilterError
from hypothesis import given, strategies as st
from lxml import etree

from hostile import free_text, hostile_text
from robust_support import ROBUST

from ansible_collections.virt_uri.toolkit.tests.support.requires import requires

from ansible_collections.virt_uri.toolkit.plugins.filter.libvirt_disk_xml import libvirt_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.filter.libvirt_remote_uri import libvirt_remote_uri
from ansible_collections.virt_uri.toolkit.plugins.filter.libvirt_uri_aliases import libvirt_uri_aliases
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_drive_json import qemu_drive_json
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_drive_opts import qemu_drive_opts
from ansible_collections.virt_uri.toolkit.plugins.filter.qemu_drive_uri import qemu_drive_uri
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.virconf import (
    VirConfDocument, format_virconf_value,
)
from ansible_collections.virt_uri.toolkit.tests.support import libvirt_oracle
from ansible_collections.virt_uri.toolkit.tests.support.properties import holds

HOSTILE = [
    "a,b", "a,,b", ",driver=file", "x,file.filename=/etc/passwd", "x,,,read-only=on", "sp ace", "q\"uo'te",
    "new\nline", "cr\rlf", "tab\there", "unicod\u00e9 \U0001F600 \u202e", "%41%2C%00", "#frag", "?q=1&r=2", "[::1]",
    "@at", "&amp;<x/>", ";semi", "=eq=", "\\back\\", "$(id)`id`", "{{ lookup('env','HOME') }}", "a" * 3000,
]


def _run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False, **kwargs)


def _try(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except AnsibleFilterError:
        return None


# ------------------------------------------------------------------ QEMU: NBD export names
@contextmanager
def qemu_nbd(tmp_path, export):
    tool = requires(tool="qemu-nbd")
    image = tmp_path / "disk.img"
    if not image.exists():
        _run([requires(tool="qemu-img"), "create", "-q", "-f", "raw", str(image), "1M"])
    sock = tmp_path / "nbd.sock"
    if sock.exists():
        sock.unlink()
    proc = subprocess.Popen([tool, "-k", str(sock), "-x", export, "-t", "-f", "raw", str(image)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while not sock.exists():
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "qemu-nbd did not start"
            time.sleep(0.02)
        yield sock
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def _qemu_img_info(*args):
    return _run([requires(tool="qemu-img"), "info", "--output=json", *args])


@pytest.mark.parametrize("export", HOSTILE, ids=range(len(HOSTILE)))
def test_qemu_reads_the_nbd_export_intact(tmp_path, export):
    """qemu-nbd serves exactly `export`; QEMU opens it only if it parsed exactly that name from our
    option string / URI / json: (a comma injection would cut the name and the open would fail)."""
    with qemu_nbd(tmp_path, export) as sock:
        spec = {"protocol": "nbd", "server": {"socket": str(sock)}, "export": export}
        forms = {
            "image-opts": ["--image-opts", qemu_drive_opts(spec, prefix="")],
            "image-opts+format": ["--image-opts", qemu_drive_opts(spec, format="raw")],
            "json": [qemu_drive_json(spec, format="raw")],
        }
        uri = _try(qemu_drive_uri, spec)
        if uri is not None:
            forms["uri"] = ["-f", "raw", uri]
        for form, args in forms.items():
            proc = _qemu_img_info(*args)
            assert proc.returncode == 0, (form, args, proc.stderr)
            assert json.loads(proc.stdout)["virtual-size"] == 1024 * 1024
        # control: a name that differs by one character is refused by the server
        other = dict(spec, export=export + "x")
        proc = _qemu_img_info("--image-opts", qemu_drive_opts(other, prefix=""))
        assert proc.returncode != 0 and "not" in proc.stderr


# ------------------------------------------------------------------ QEMU: HTTP path and iSCSI target
@contextmanager
def capture_server():
    """A TCP listener on 127.0.0.1 that records the first bytes each client sends, then closes."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.settimeout(0.2)
    seen, stop = [], threading.Event()

    def loop():
        while not stop.is_set():
            try:
                conn, _addr = srv.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                data = b""
                try:
                    while len(data) < 65536:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                        if b"\r\n\r\n" in data or b"TargetName=" in data and b"\0" in data.split(b"TargetName=", 1)[1]:
                            break
                except OSError:
                    pass
                seen.append(data)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield srv.getsockname()[1], seen
    finally:
        stop.set()
        thread.join(5)
        srv.close()


HTTP_PATHS = ["/a b.img", "/a,b.img", "/x,file.driver=file,file.filename=/etc/passwd", "/q\"'.img",
              "/unicod\u00e9\U0001F600.img", "/%41%2C.img", "/semi;colon.img", "/at@.img", "/a&b.img", "/[x].img"]


@pytest.mark.parametrize("path", HTTP_PATHS, ids=range(len(HTTP_PATHS)))
def test_qemu_requests_the_http_path_intact(path):
    """QEMU's curl driver requests exactly the path given (read from its HTTP request line)."""
    requires(tool="qemu-img")
    with capture_server() as (port, seen):
        spec = {"protocol": "http", "server": {"host": "127.0.0.1", "port": port}, "path": path}
        forms = [["--image-opts", qemu_drive_opts(spec, prefix="")], ["--image-opts", qemu_drive_opts(spec, format="raw")]]
        uri = _try(qemu_drive_uri, spec)
        if uri is not None:
            forms.append(["-f", "raw", uri])
        for args in forms:
            del seen[:]
            _qemu_img_info(*args)
            assert seen, "QEMU sent no request for %r" % args
            line = seen[0].split(b"\r\n", 1)[0].decode("utf-8")
            method, target, _version = line.split(" ")
            assert method in ("HEAD", "GET")
            assert unquote(target) == path, (args, line)


ISCSI_TARGETS = ["iqn.2001-04.com.example:a,b", "iqn.2001-04.com.example:x,,driver=file",
                 "iqn.2001-04.com.example:sp ace", "iqn.2001-04.com.example:q\"'", "iqn.2001-04.com.example:%41",
                 "iqn.2001-04.com.example:a b c", "iqn.2001-04.com.example:x%%y"]


@pytest.mark.parametrize("target", ISCSI_TARGETS, ids=range(len(ISCSI_TARGETS)))
def test_qemu_logs_in_to_the_iscsi_target_intact(target):
    """libiscsi (in QEMU) sends TargetName=<target> in its login: the name QEMU parsed."""
    requires(tool="qemu-img")
    with capture_server() as (port, seen):
        spec = {"protocol": "iscsi", "server": {"host": "127.0.0.1", "port": port}, "target": target, "lun": 0}
        forms = [["--image-opts", qemu_drive_opts(spec, prefix="")]]
        uri = _try(qemu_drive_uri, spec)
        if uri is not None:
            forms.append(["-f", "raw", uri])
        for args in forms:
            del seen[:]
            proc = _qemu_img_info(*args)
            got = [m.group(1).decode("utf-8") for data in seen for m in re.finditer(rb"TargetName=([^\0]*)\0", data)]
            assert got, (args, proc.stderr, seen[:1])
            assert got[0] == target, (args, got)


@pytest.mark.parametrize("escaped", ["a%2C%2Cb", "a%20b%20c", "a%20bc%20d", "%41%42", "x%25%32%43y", "plain",
                                     "%4Fabc%4f", "%4Gabc%4g"])
def test_libiscsi_url_decoder_model(escaped):
    """Differential check of the model the iscsi URI renderer relies on: what libiscsi (in QEMU) sends
    for a URL target equals module_utils' _libiscsi_decode (it skips two characters after an escape)."""
    from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.protocols.iscsi import _libiscsi_decode
    requires(tool="qemu-img")
    with capture_server() as (port, seen):
        _qemu_img_info("-f", "raw", "iscsi://127.0.0.1:%d/iqn.2001-04.com.example:%s/0" % (port, escaped))
        got = [m.group(1) for data in seen for m in re.finditer(rb"TargetName=([^\0]*)\0", data)]
    assert got and got[0] == _libiscsi_decode("iqn.2001-04.com.example:" + escaped), got


# ------------------------------------------------------------------ libvirt.conf: no key added
BASE_CONF = '# managed by a test\nremote_mode = "auto"\nuri_aliases = [ "x=test:///default" ]  # keep me\n'


def _holds_nul(exc, _value):
    """libvirt strings are C strings: a NUL would end the value early."""
    return exc.accepted.startswith("a string without NUL") and "\x00" in str(exc.value)


def _unwritable_in_virconf(exc, _value):
    """virConfParseString has "...", '...' and triple quotes, no escapes: a value needing the
    triple form that holds three double quotes or ends in one cannot be written."""
    text = exc.value
    return (exc.accepted.startswith("a string libvirt.conf can hold") and isinstance(text, str)
            and ("\n" in text or "\r" in text or ('"' in text and "'" in text))
            and ('"""' in text or text.endswith('"')))


def test_virconf_edit_adds_no_key(libvirt_lib):
    """Whatever value the editor accepts, libvirt reads back the same keys and that exact value;
    it refuses only the two kinds of string libvirt.conf cannot hold."""
    def check(drawn):
        key, value = drawn
        doc = VirConfDocument(BASE_CONF)
        doc.set(key, value)
        text = doc.render()
        keys = libvirt_oracle.conf_keys(libvirt_lib, text)
        assert keys is not None, text
        expected = ["remote_mode", "uri_aliases"] + ([key] if key not in ("remote_mode", "uri_aliases") else [])
        assert sorted(keys) == sorted(expected), (keys, text)
        read = libvirt_oracle.conf_read(libvirt_lib, text, [key])
        assert read[key] == value, (read, value)

    holds(st.tuples(st.sampled_from(["uri_default", "tls_priority", "remote_proxy", "uri_aliases"]),
                    st.one_of(hostile_text, free_text, st.lists(st.one_of(hostile_text, free_text), max_size=3))),
          check, [_holds_nul, _unwritable_in_virconf], 0.9, max_examples=ROBUST.max_examples)


@ROBUST
@given(st.dictionaries(st.one_of(st.from_regex(r"[A-Za-z0-9_.\-]{1,8}", fullmatch=True), free_text),
                       st.one_of(st.sampled_from(["test:///default", "qemu:///system"]),
                                 free_text.map(lambda t: "test:///default?name=" + t), free_text), max_size=4))
def test_uri_aliases_add_no_key(libvirt_lib, aliases):
    entries = _try(libvirt_uri_aliases, aliases)
    if entries is None:
        return
    text = "uri_aliases = %s\n" % format_virconf_value(entries)
    assert libvirt_oracle.conf_keys(libvirt_lib, text) == ["uri_aliases"]
    assert libvirt_oracle.conf_read(libvirt_lib, text, ["uri_aliases"]) == {"uri_aliases": entries}


VIRSH_VALUES = ['test:///default?name=%22%0A%5Duri_default%3D%22evil', "test:///default?name=a'b",
                "test:///default?name=a%27b%22c%22%22%22", 'test:///default?name=x%23y%2C%3Bz',
                "test:///default?name=%E2%80%AE%F0%9F%98%80", "test:///default#frag'", "test:///default?name=a%0Ab%0D",
                "test:///default?name=%5D&x=%5B%2C"]


def _as_user(tmp_path, text, *args):
    """virsh run as uid 1000 in a user namespace, reading $XDG_CONFIG_HOME/libvirt/libvirt.conf = text."""
    requires(tool="virsh")
    unshare = requires(tool="unshare")
    requires(root="mapping virsh to uid 1000 (unshare --user)")
    cfg = tmp_path / "xdg" / "libvirt"
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "libvirt.conf").write_text(text, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    for p in (tmp_path, tmp_path / "xdg", cfg, home):
        p.chmod(0o777)
    (cfg / "libvirt.conf").chmod(0o644)
    return _run([unshare, "--user", "--map-user=1000", "--map-group=1000", "env", "-u", "LIBVIRT_DEFAULT_URI",
                 "HOME=%s" % home, "XDG_CONFIG_HOME=%s" % (tmp_path / "xdg"), "virsh", *args])


@pytest.mark.parametrize("uri", VIRSH_VALUES, ids=range(len(VIRSH_VALUES)))
def test_virsh_reads_uri_default_and_alias_intact(tmp_path, uri):
    """libvirt itself reads the file the editor wrote: `virsh uri` connects to exactly our uri_default
    and `virsh -c alias uri` to exactly the alias target; no key was added on the way."""
    doc = VirConfDocument("")
    doc.set("uri_default", uri)
    doc.set("uri_aliases", libvirt_uri_aliases({"hostile": uri}))
    text = doc.render()
    plain = _as_user(tmp_path, text, "uri")
    aliased = _as_user(tmp_path, text, "-c", "hostile", "uri")
    base = _as_user(tmp_path, "", "-c", uri, "uri")  # the same URI given directly, no file
    assert base.returncode == 0, base.stderr
    assert plain.returncode == 0 and plain.stdout == base.stdout, (text, plain.stdout, plain.stderr)
    assert aliased.returncode == 0 and aliased.stdout == base.stdout, (text, aliased.stdout, aliased.stderr)


def test_virsh_remote_uri_params_intact(tmp_path):
    """A hostile parameter value in a rendered remote URI: virsh (as a user) reads the alias target and
    libvirt parses the parameters back to exactly ours (no parameter added)."""
    value = "a&b=c;d#e f'g\"h,i%j"
    uri = libvirt_remote_uri({"driver": "test", "path": "/default", "params": {"name": value}})
    got = _as_user(tmp_path, "", "-c", uri, "uri")
    assert got.returncode == 0, got.stderr
    lib = libvirt_oracle.load()
    assert libvirt_oracle.uri_parse(lib, got.stdout.strip())["params"] == [("name", value)]


# ------------------------------------------------------------------ disk XML: no element added
DOMAIN = """<domain type='qemu'><name>t</name><memory>65536</memory><os><type arch='x86_64'>hvm</type></os>
<devices>%s</devices></domain>"""


def _xml_cases():
    for value in HOSTILE:
        if "\r" in value or "\t" in value:
            pass
        yield {"protocol": "nbd", "server": {"host": "192.0.2.1"}, "export": value}
        yield {"protocol": "gluster", "servers": [{"host": "192.0.2.1"}, {"socket": "/run/g" + value[:50]}],
               "volume": "v" + value[:50], "path": "p/" + value}
        yield {"protocol": "https", "server": {"host": "192.0.2.1"}, "path": "/" + value}
        yield {"protocol": "iscsi", "server": {"host": "192.0.2.1"}, "target": "iqn.2001-04.com.example:" + value,
               "lun": 1, "user": "u" + value[:20], "password_secret": "s0"}


def test_disk_xml_has_no_added_element(tmp_path):
    xmllint, validate = requires(tool="xmllint"), requires(tool="virt-xml-validate")
    checked = 0
    for index, spec in enumerate(_xml_cases()):
        text = _try(libvirt_disk_xml, spec, secret_usage="chap")
        if text is None:
            continue
        checked += 1
        root = etree.fromstring(text.encode("utf-8"))
        clean = libvirt_disk_xml(_benign(spec), secret_usage="chap")
        assert [e.tag for e in root.iter()] == [e.tag for e in etree.fromstring(clean.encode()).iter()], text
        path = tmp_path / ("d%d.xml" % index)
        path.write_text(DOMAIN % text, encoding="utf-8")
        count = _run([xmllint, "--xpath", "count(//*)", str(path)])
        assert count.returncode == 0, count.stderr
        assert int(float(count.stdout.strip())) == 6 + len(list(root.iter())), (count.stdout, text)
        proc = _run([validate, str(path), "domain"])
        assert proc.returncode == 0, (proc.stdout, proc.stderr, text)
    assert checked >= 40


def _benign(spec):
    """The same spec with every hostile string replaced by a plain one: the element structure to expect."""
    out = json.loads(json.dumps(spec))
    for key in ("export", "volume", "path", "target", "user"):
        if key in out:
            out[key] = {"path": "p/x", "target": "iqn.2001-04.com.example:x"}.get(key, "x") \
                if out["protocol"] != "https" or key != "path" else "/x"
    for server in out.get("servers", []):
        if "socket" in server:
            server["socket"] = "/run/g"
    return out
