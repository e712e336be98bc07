# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real libvirt is the oracle: virURIParse/virConfReadString (ctypes), virsh, libvirtd.

Every test runs once per oracle generation (``generation``: libvirt 9.0 on the host, 11.3 in
the trixie root; tests/support/qemu_oracle.py): ``oracle`` is that generation's parsers, virsh is
that generation's virsh. libvirtd and sshd are the host's. Only 127.0.0.1 is ever connected to.
"""

from __future__ import annotations

import inspect
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.virt_uri.toolkit.plugins.filter.libvirt_remote_uri import libvirt_remote_uri
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.aliases import validate_uri_aliases
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.default_uri import resolve_default_uri
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri import render_libvirt_uri
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri_reference import format_uri_like_libvirt, parse_uri_reference
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.virconf import (
    format_virconf_value,
    parse_virconf,
)
from ansible_collections.virt_uri.toolkit.tests.support.ids import printable_ids
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires

ROOT = Path(__file__).resolve().parents[3]


def versioned(func, generation):
    """{'libvirt_version': ...} when ``func`` takes it (the core grows version gates)."""
    if "libvirt_version" in inspect.signature(func).parameters:
        return {"libvirt_version": generation.libvirt_version}
    return {}


def run(argv, env=None, timeout=60):
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout,
                          check=False)


STABLE = settings(derandomize=True, max_examples=1500, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# ---------------------------------------------------------------- parser vs virURIParse

URI_ALPHABET = list("ab:/?#[]@%25;&=+!$'()*,-._~ 9\"<>\\\u00e9") + ["%41", "%2", "//", "::", "[::1]"]
uri_texts = st.tuples(
    st.sampled_from(["qemu", "test+ssh", "", "a1", "QEMU"]),
    st.sampled_from([":", "://", ":/", "//", ""]),
    st.lists(st.sampled_from(URI_ALPHABET), max_size=14).map("".join),
).map("".join)


def ours(text):
    try:
        uri = parse_uri_reference(text)
    except SpecError:
        return None
    fields = dict(uri.as_dict())
    fields["params"] = list(fields["params"])
    fields["formatted"] = format_uri_like_libvirt(uri)
    return fields


@STABLE
@given(uri_texts)
def test_parser_agrees_with_virURIParse(oracle, text):
    assert ours(text) == oracle.uri_parse(text)


HOSTILE = st.text(alphabet=st.sampled_from(list("aZ09 \"'\n\t]#=[,;&?/%:@+\\\u00e9\u2603")),
                  max_size=16)


@STABLE
@given(st.sampled_from(["test", "qemu"]),
       st.sampled_from([None, "tcp", "ssh", "libssh"]),
       st.one_of(st.none(), HOSTILE.filter(lambda s: s and ":" not in s)),
       st.sampled_from(["h.example.com", "192.0.2.7", "2001:db8::1", "fe80::1%eth0"]),
       st.lists(st.tuples(st.sampled_from(["xa", "x_b", "keyfile"]), HOSTILE.filter(bool)), max_size=3))
def test_rendered_uri_reads_back_in_libvirt(generation, oracle, driver, transport, user, host,
                                            params):
    if transport != "ssh" and transport != "libssh":
        params = [p for p in params if p[0] != "keyfile"]
    spec = {"driver": driver, "transport": transport, "user": user, "host": host,
            "path": "/default" if driver == "test" else "/system",
            "params": [list(p) for p in params]}
    text = render_libvirt_uri(spec, **versioned(render_libvirt_uri, generation))
    real = oracle.uri_parse(text)
    scheme = driver + ("+" + transport if transport else "")
    assert (real["scheme"], real["user"], real["server"], real["path"], real["params"]) == (
        scheme, user, host, spec["path"], [tuple(p) for p in params])


# ---------------------------------------------------------------- virConf vs virConfReadString

@STABLE
@given(st.lists(HOSTILE, max_size=3) | HOSTILE)
def test_virconf_values_read_back_in_libvirt(oracle, value):
    try:
        text = "key = %s\n" % format_virconf_value(value)
    except SpecError:
        # Refused: check libvirt would indeed not read the naive triple-quoted form back.
        items = value if isinstance(value, list) else [value]
        for item in items:
            naive = 'key = """%s"""\n' % item
            got = oracle.conf_read(naive, ["key"])
            if got is None or got["key"] != item:
                return
        pytest.fail("refused a value libvirt could read: %r" % (value,))
    assert oracle.conf_read(text, ["key"]) == {"key": value}
    assert parse_virconf(text).get("key") == value


VIRCONF_TOKENS = ["x", "y", " ", "=", '"', "'", '"""', "[", "]", ",", ";", "#", "\n", "1", "-",
                  "a", "\t", "\r", "_", "\\"]


@STABLE
@given(st.lists(st.sampled_from(VIRCONF_TOKENS), max_size=16).map("".join))
def test_virconf_parser_agrees_with_libvirt(oracle, text):
    real = oracle.conf_read(text, ["x", "y"])
    try:
        doc = parse_virconf(text)
    except SpecError:
        assert real is None
        return
    mine = {}
    for key in ("x", "y"):
        value = doc.get(key)
        if isinstance(value, int):
            value = "<integer>"
        elif isinstance(value, list) and not all(isinstance(v, str) for v in value):
            value = "<not a string list>"
        mine[key] = value
    assert real == mine


# Texts whose reading tests/unit/libvirt/test_libvirt_virconf.py asserts: an 'X' where the grammar
# wants a value, a separator or the rest of a comment (the letter the mutants of virconf.py's
# character sets add), and a byte that is not UTF-8 inside a string.
READINGS = ["x = X", "x = 1X", "# aXb", 'x = "v" # aXb', "x = 'a\udcffb'"]


@pytest.mark.parametrize("text", READINGS, ids=printable_ids(READINGS, 20))
def test_virconf_reading_and_error_text_are_libvirts(oracle, text):
    try:
        doc = parse_virconf(text)
    except SpecError as exc:
        assert str(exc) == oracle.conf_error(text)
        return
    assert oracle.conf_error(text) is None
    assert oracle.conf_read(text, ["x"]) == {"x": doc.get("x")}


def test_virconf_size_limit_is_libvirts(generation, tmp_path):
    """virConfReadFile reads at most MAX_CONFIG_FILE_SIZE (10 MiB) bytes: exactly that is read,
    one byte more is refused (src/util/virconf.c: virConfReadFile, virFileReadAll). The comment
    is of 4-byte characters: the limit counts bytes, not characters."""
    body = 'uri_default = "test:///default"\n#'
    limit = 10 * 1024 * 1024
    for size, uri in ((limit, "test:///default"), (limit + 1, None)):
        pad = size - len(body) - 1
        text = body + "\U0001F600" * (pad // 4) + "a" * (pad % 4) + "\n"
        env = user_env(tmp_path, None)
        (Path(env["XDG_CONFIG_HOME"]) / "libvirt" / "libvirt.conf").write_bytes(text.encode())
        assert os.path.getsize(Path(env["XDG_CONFIG_HOME"]) / "libvirt" / "libvirt.conf") == size
        result = virsh_as_user(generation, env, None)
        if uri is None:
            assert result.returncode != 0 and "libvirt.conf" in result.stderr, result.stderr
            with pytest.raises(SpecError) as info:
                parse_virconf(text)
            assert str(info.value) == ("memory conf: '(%d chars)' is not accepted; at most "
                                       "10 MiB (virConf limit)" % len(text))
        else:
            assert (result.returncode, result.stdout.strip()) == (0, uri), result.stderr
            assert parse_virconf(text).get("uri_default") == uri


# ---------------------------------------------------------------- virsh uri vs the lookup core

def user_env(tmp_path, conf_text, extra=None):
    home = tmp_path / "home"
    xdg = tmp_path / "xdg"
    (xdg / "libvirt").mkdir(parents=True, exist_ok=True)
    home.mkdir(exist_ok=True)
    if conf_text is not None:
        (xdg / "libvirt" / "libvirt.conf").write_text(conf_text)
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(xdg), "PATH": "/usr/bin:/bin",
           "LC_ALL": "C"}
    env.update(extra or {})
    return env


def virsh_as_user(generation, env, name):
    """``virsh [-c NAME] uri`` as uid 1000 in a user namespace (reads root-owned tmp files)."""
    argv = ["unshare", "--user", "--map-user=1000", "--map-group=1000", "env", "-i"]
    argv += ["%s=%s" % kv for kv in env.items()]
    argv += [generation.tool("virsh")] + (["-c", name] if name is not None else []) + ["uri"]
    return generation.run(argv)


def expected_from_lookup(name, env, **kwargs):
    try:
        return resolve_default_uri(name, environ=env, euid=1000, probe=False, **kwargs)["uri"], None
    except SpecError as exc:
        return None, str(exc)


DEFAULT_CASES = [
    # libvirt.conf, -c name, extra env          (virsh -c X uri cases, and more)
    ('uri_aliases = [ "t=test:///default" ]', "t", {}),
    ('uri_aliases = [ "t=test:///default" ]', "T", {}),
    ('uri_aliases = [ "t=t2", "t2=test:///default" ]', "t", {}),
    ('uri_aliases = [ "noequals", "t=test:///default" ]', "test:///default", {}),
    ('uri_aliases = [ "t=test:///default", "noequals" ]', "t", {}),
    ('uri_aliases = [ "bad.alias=x", "t=test:///default" ]', "t", {}),
    ('uri_aliases = "t=test:///default"', "t", {}),
    ('uri_default = "test:///default"', None, {}),
    ('uri_default = "t"\nuri_aliases = [ "t=test:///default" ]', None, {}),
    ('uri_default = "test:///default"', None, {"LIBVIRT_DEFAULT_URI": "t"}),
    ('uri_aliases = [ "t=test:///default" ]', None, {"LIBVIRT_DEFAULT_URI": "t"}),
    ('uri_default = "test:///default"', None, {"LIBVIRT_DEFAULT_URI": ""}),
    ("uri_default = test:///default", None, {}),
    ('uri_aliases = [\n # c\n "t=test:///default" ]', "t", {}),
    ("\n", "t", {}),
    ("uri_default = 1", None, {}),
    ("# x", "nosuchalias", {}),
    ("# x", "qemu://system", {}),
    ("# x", "qemu://session/x", {}),
    ("# x", "vbox://system", {}),
    ("# x", "vz://session", {}),
    ('uri_aliases = [ "a=b=c", "t=test:///default?x=a%20b&y=1;z" ]', "t", {}),
    ('uri_aliases = [ "t=test://@/default" ]', "t", {}),
    ('uri_default = "test:///default#frag"', None, {}),
    ('uri_aliases = [ "Hail_1-x=test:///default" ]', "Hail_1-x", {}),
    ('uri_default = "test:///default"', None, {"LIBVIRT_DEFAULT_URI": "test:///default?a=1"}),
    ('uri_default = "test:///default"\nuri_default = "nope"', None, {}),
    (None, "test:///default", {}),
    ("", "test:///default", {}),
]


@pytest.mark.parametrize("conf,name,extra", DEFAULT_CASES,
                         ids=["%s|%s|%s" % (repr(c)[:30], n, e) for c, n, e in DEFAULT_CASES])
def test_lookup_equals_virsh_uri_unprivileged(generation, tmp_path, conf, name, extra):
    env = user_env(tmp_path, conf, extra)
    result = virsh_as_user(generation, env, name)
    uri, error = expected_from_lookup(name, env)
    if result.returncode == 0:
        assert uri == result.stdout.strip(), (error, result.stderr)
    else:
        assert uri is None, "virsh failed (%s) but the lookup answered %r" % (result.stderr, uri)


@pytest.mark.parametrize("uri", ["qemu://system", "qemu://session/x", "vbox://system/a?b=1&c=x%20y"])
def test_missing_slash_message_quotes_what_libvirt_says(generation, tmp_path, uri):
    """libvirt.c: virConnectCheckURIMissingSlash quotes the whole URI, path and query too."""
    result = virsh_as_user(generation, user_env(tmp_path, "# x"), uri)
    assert result.returncode != 0
    message = expected_from_lookup(uri, user_env(tmp_path, "# x"))[1]
    quoted = message.split("libvirt says '", 1)[1].split("': did you mean", 1)[0]
    assert quoted.startswith("invalid URI %s (" % uri) and quoted in result.stderr, (message, result.stderr)


def test_user_falls_back_to_home_config(generation, tmp_path):
    env = user_env(tmp_path, None)
    del env["XDG_CONFIG_HOME"]
    cfg = Path(env["HOME"]) / ".config" / "libvirt"
    cfg.mkdir(parents=True)
    (cfg / "libvirt.conf").write_text('uri_aliases = [ "h=test:///default" ]\n')
    result = virsh_as_user(generation, env, "h")
    assert result.returncode == 0, result.stderr
    assert expected_from_lookup("h", env)[0] == result.stdout.strip() == "test:///default"


ROOT_SNIPPET = """
import json, os, sys
sys.path.insert(0, %r)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.default_uri import resolve_default_uri
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
name = sys.argv[1] if len(sys.argv) > 1 else None
try:
    print(json.dumps({"uri": resolve_default_uri(name, probe=False)["uri"]}))
except SpecError as exc:
    print(json.dumps({"error": str(exc)}))
"""


def as_root_in_mount_ns(generation, etc_dir, env, name):
    """virsh uri (of the generation) and our resolver (on the host), both as root with ETC_DIR
    bind-mounted on /etc/libvirt."""
    unshare = requires(tool="unshare")
    conn = ["-c", name] if name is not None else []
    virsh = generation.run(["virsh"] + conn + ["uri"], env=env,
                           binds=[(str(etc_dir), "/etc/libvirt")])
    virsh_uri = virsh.stdout.strip() if virsh.returncode == 0 else None
    snippet = ROOT_SNIPPET % str(ROOT / "collections")
    arg = " " + shlex.quote(name) if name is not None else ""
    script = ("mount --bind %s /etc/libvirt || exit 99; exec %s -c %s%s"
              % (shlex.quote(str(etc_dir)), shlex.quote(sys.executable), shlex.quote(snippet),
                 arg))
    result = run([unshare, "-m", "--propagation", "private", "sh", "-c", script], env=env)
    assert result.returncode != 99, result.stderr
    return virsh_uri, json.loads(result.stdout.strip().splitlines()[-1]), virsh


@pytest.mark.parametrize("conf,name,extra", DEFAULT_CASES[:18],
                         ids=["%s|%s|%s" % (repr(c)[:30], n, e) for c, n, e in DEFAULT_CASES[:18]])
def test_lookup_equals_virsh_uri_as_root(generation, tmp_path, conf, name, extra):
    if os.geteuid() != 0:
        pytest.fail("needs root") if os.environ.get("CI") == "true" else pytest.skip("needs root")
    etc = tmp_path / "etc-libvirt"
    etc.mkdir()
    if conf is not None:
        (etc / "libvirt.conf").write_text(conf)
    # The user's XDG file must be ignored by root: put a conflicting one there.
    xdg = tmp_path / "xdg" / "libvirt"
    xdg.mkdir(parents=True)
    (xdg / "libvirt.conf").write_text('uri_aliases = [ "t=test:///XDG-MUST-NOT-BE-READ" ]\n')
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    env.update(extra)
    virsh_uri, ours_json, result = as_root_in_mount_ns(generation, etc, env, name)
    if virsh_uri is not None:
        assert ours_json.get("uri") == virsh_uri, (ours_json, result.stderr)
    else:
        assert "error" in ours_json, (ours_json, result.stdout, result.stderr)


# ---------------------------------------------------------------- the writer's files in libvirt

ALIASES = {
    "plain": "test:///default",
    "with_params": {"driver": "test", "path": "/default",
                    "params": [["note", "it's \"quoted\" ]#= and ;&"], ["note", "twice"]]},
    "spaces-1": {"driver": "test", "path": "/default", "params": {"x": "a b\tc"}},
    "UPPER": "test:///default?y=%C3%A9",
}

USER_FILE = """# my own notes: keep me
uri_default = 'test:///default'   # trailing note

uri_aliases = [
  "old=test:///default",
]
remote_mode = "legacy"; tls_priority = "NORMAL"
"""


def test_written_aliases_are_read_by_virsh(generation, tmp_path):
    entries = validate_uri_aliases(ALIASES)
    doc = parse_virconf(USER_FILE)
    doc.set("uri_aliases", entries)
    doc.set("uri_default", "plain")
    text = doc.render()
    assert text.startswith("# my own notes: keep me\n")
    assert 'remote_mode = "legacy"; tls_priority = "NORMAL"' in text
    env = user_env(tmp_path, text)
    for entry in entries:
        alias, _eq, target = entry.partition("=")
        result = virsh_as_user(generation, env, alias)
        assert result.returncode == 0, (alias, result.stderr)
        assert result.stdout.strip() == format_uri_like_libvirt(parse_uri_reference(target))
        assert expected_from_lookup(alias, env)[0] == result.stdout.strip()
    result = virsh_as_user(generation, env, None)
    assert result.returncode == 0 and result.stdout.strip() == "test:///default"
    result = virsh_as_user(generation, env, "old")
    assert result.returncode != 0  # replaced by the editor


def test_removing_every_key_leaves_a_file_libvirt_reads(generation, tmp_path):
    doc = parse_virconf('\nuri_default = "test:///default"\n\n')
    doc.remove("uri_default")
    env = user_env(tmp_path, doc.render())
    result = virsh_as_user(generation, env, "test:///default")
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- connecting to loopback servers

def virsh_list(generation, uri, env=None):
    result = generation.run(["virsh", "-c", uri, "list", "--all"], env=env, timeout=90)
    assert result.returncode == 0, "virsh -c %s list: %s" % (uri, result.stderr)
    assert "Id" in result.stdout and "Name" in result.stdout
    return result.stdout


def test_tcp(generation, libvirtd):
    uri = libvirt_remote_uri({"driver": "test", "transport": "tcp", "host": "127.0.0.1",
                              "port": libvirtd["port"], "path": "/default"})
    assert uri == "test+tcp://127.0.0.1:%d/default" % libvirtd["port"]
    assert "test" in virsh_list(generation, uri)


def test_unix_socket(generation, libvirtd):
    for driver, path in (("test", "/default"), ("qemu", "/system")):
        uri = libvirt_remote_uri({"driver": driver, "transport": "unix", "path": path,
                                  "params": {"socket": libvirtd["socket"]}})
        virsh_list(generation, uri)


def ssh_spec(transport, libvirtd, sshd, **params):
    return {"driver": "test", "transport": transport, "user": "root", "host": "127.0.0.1",
            "port": sshd["port"], "path": "/default",
            "params": dict({"keyfile": sshd["key"], "socket": libvirtd["socket"],
                            "netcat": sshd["netcat"]}, **params)}


def test_ssh(generation, libvirtd, sshd):
    generation.tool("ssh")
    uri = libvirt_remote_uri(ssh_spec("ssh", libvirtd, sshd, no_verify=True, no_tty=1,
                                      command=sshd["ssh_command"]))
    assert "no_verify=1" in uri and "no_tty=1" in uri
    assert "test" in virsh_list(generation, uri)


@pytest.mark.parametrize("transport", ["libssh2", "libssh"])
def test_libssh_family(generation, libvirtd, sshd, transport):
    uri = libvirt_remote_uri(ssh_spec(transport, libvirtd, sshd, known_hosts=sshd["known_hosts"],
                                      known_hosts_verify="normal", sshauth=["privkey"]))
    assert "test" in virsh_list(generation, uri)


def test_libssh_unknown_host_is_refused(generation, libvirtd, sshd, tmp_path):
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    uri = libvirt_remote_uri(ssh_spec("libssh", libvirtd, sshd, known_hosts=str(empty),
                                      known_hosts_verify="normal", sshauth="privkey"))
    result = generation.run(["virsh", "-c", uri, "list"], timeout=60)
    assert result.returncode != 0


def test_nul_in_user_is_refused_as_libvirt_truncates_it(generation, oracle):
    """virURIParse decodes %00 into a C string: the user 'a%00b' is read as 'a' (both libvirts)."""
    assert oracle.uri_parse("qemu+ssh://a%00b@127.0.0.1/system")["user"] == "a"
    assert oracle.uri_parse("qemu+ssh://a:x%00y@127.0.0.1/system")["user"] == "a:x"
    spec = {"driver": "qemu", "transport": "ssh", "host": "127.0.0.1", "path": "/system",
            "user": "a\x00b"}
    with pytest.raises(SpecError, match="without NUL"):
        render_libvirt_uri(spec, **versioned(render_libvirt_uri, generation))
    with pytest.raises(SpecError, match="without NUL"):
        render_libvirt_uri(dict(spec, user="a", password="x\x00y"), allow_password=True,
                           **versioned(render_libvirt_uri, generation))
