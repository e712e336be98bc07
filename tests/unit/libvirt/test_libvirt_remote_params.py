# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""remote_params.validate_connection and param_text: the field and the whole message of each
refusal, and what passes.

The libvirt words quoted in the messages are what virsh 9.0 prints for the same URI
(``virsh -c 'qemu+ssh://127.0.0.1:1/system?mode=Auto' uri``: libvirt refuses before it
connects; tests/live/libvirt/test_libvirt_version_gates_live.py runs such URIs on 9.0 and 11.3).
"""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt import remote_params
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.remote_params import (
    effective_transport,
    param_text,
    validate_connection,
)
from ansible_collections.virt_uri.toolkit.tests.support.ids import printable_ids

DRIVERS = ("qemu, xen, lxc, test, vbox, ch, bhyve, vz, parallels, openvz, vmwareplayer, vmwarews, "
           "vmwarefusion, esx, gsx, vpx, hyperv, network, nodedev, nwfilter, secret, storage, "
           "interface, remote")
TRANSPORTS = "tls|unix|ssh|ext|tcp|libssh2|libssh"
SSHAUTH = "agent, privkey, password, keyboard-interactive"


def conn(driver, transport=None, host=None, path="/system"):
    return {"driver": driver, "transport": transport, "host": host, "path": path}


def _int(name, value):
    return ("uri.params.%s" % name, "uri.params.%s: %r is not accepted; an integer (libvirt says 'Failed "
            "to parse value of URI component %s'); write %s=1 for yes, %s=0 for no"
            % (name, value, name, name, name))


# connection, ordered parameters -> field, whole message (validate_connection(field="uri"))
REFUSED = [
    (conn("Qemu"), [], "uri.driver",
     "uri.driver: 'Qemu' is not accepted; a libvirt driver: %s (case-sensitive; libvirt matches "
     "schemes with STREQ)" % DRIVERS),
    (conn("qemu", "SSH", "h"), [], "uri.transport",
     "uri.transport: 'SSH' is not accepted; one of %s (libvirt says 'remote_open: transport in URL "
     "not recognised (should be %s)')" % (TRANSPORTS, TRANSPORTS)),
    (conn("qemu", None, "system", ""), [], "uri.host",
     "uri.host: 'system' is not accepted; a host name; libvirt says 'invalid URI qemu://system "
     "(maybe you want qemu:///system)': did you mean qemu:///system?"),
    (conn("vbox", None, "session", ""), [], "uri.host",
     "uri.host: 'session' is not accepted; a host name; libvirt says 'invalid URI vbox://session "
     "(maybe you want vbox:///session)': did you mean vbox:///session?"),
    # the whole URI, as libvirt quotes it (tests/live/libvirt/test_libvirt_live.py)
    (conn("qemu", None, "session", "/x"), [("b", "1"), ("c", "x y")], "uri.host",
     "uri.host: 'session' is not accepted; a host name; libvirt says 'invalid URI qemu://session/x?b=1&c=x%20y "
     "(maybe you want qemu:///session)': did you mean qemu:///session?"),
    (conn("vz", None, "system", ""), [], "uri.host",
     "uri.host: 'system' is not accepted; a host name; libvirt says 'invalid URI vz://system "
     "(maybe you want vz:///system)': did you mean vz:///system?"),
    (conn("esx", "tls", "h", "/"), [], "uri.transport",
     "uri.transport: 'tls' is not accepted; no +transport for esx (the esx driver connects itself; "
     "use the transport=http|https parameter)"),
    (conn("hyperv", None, None, "/"), [], "uri.host",
     "uri.host: a server for hyperv (libvirt says 'URI is missing the server part')"),
    (conn("vpx", None, "", "/"), [], "uri.host",
     "uri.host: '' is not accepted; a server for vpx (libvirt says 'URI is missing the server part')"),
    (conn("hyperv", None, "h", "/x"), [], "uri.path",
     "uri.path: '/x' is not accepted; one of '', '/' for hyperv (libvirt says \"unexpected hyperv URI "
     "path '/x'\", try hyperv:///)"),
    (conn("esx", None, "h", "/"), [("no_verify", "1"), ("bogus", "1")], "uri.params.bogus",
     "uri.params.bogus: '1' is not accepted; one of the esx parameters transport, vcenter, no_verify, "
     "auto_answer, proxy (libvirt ignores others with a warning)"),
    (conn("hyperv", None, "h", "/"), [("no_verify", "1")], "uri.params.no_verify",
     "uri.params.no_verify: '1' is not accepted; one of the hyperv parameters transport (libvirt "
     "ignores others with a warning)"),
    (conn("esx", None, "h", "/"), [("transport", "ftp")], "uri.params.transport",
     "uri.params.transport: 'ftp' is not accepted; http or https (libvirt says \"Query parameter "
     "'transport' has unexpected value 'ftp' (should be http|https)\")"),
    (conn("hyperv", None, "h", "/"), [("Transport", "HTTP")], "uri.params.Transport",
     "uri.params.Transport: 'HTTP' is not accepted; http or https (libvirt says \"Query parameter "
     "'transport' has unexpected value 'HTTP' (should be http|https)\")"),
    (conn("esx", None, "h", "/"), [("no_verify", "2")], "uri.params.no_verify",
     "uri.params.no_verify: '2' is not accepted; 0 or 1 (libvirt says \"Query parameter 'no_verify' "
     "has unexpected value '2' (should be 0 or 1)\")"),
    (conn("gsx", None, "h", "/"), [("Auto_Answer", "yes")], "uri.params.Auto_Answer",
     "uri.params.Auto_Answer: 'yes' is not accepted; 0 or 1 (libvirt says \"Query parameter "
     "'auto_answer' has unexpected value 'yes' (should be 0 or 1)\")"),
    (conn("esx", None, "h", "/"), [("proxy", "ftp://p:1")], "uri.params.proxy",
     "uri.params.proxy: 'ftp://p:1' is not accepted; [http|socks|socks4|socks4a|socks5://]host[:port]"),
    (conn("esx", None, "h", "/"), [("proxy", "p:x")], "uri.params.proxy",
     "uri.params.proxy: 'p:x' is not accepted; [http|socks|socks4|socks4a|socks5://]host[:port]"),
    (conn("esx", None, "h", "/"), [("proxy", "socks5://")], "uri.params.proxy",
     "uri.params.proxy: 'socks5://' is not accepted; [http|socks|socks4|socks4a|socks5://]host[:port]"),
    (conn("esx", None, "h", "/"), [("proxy", "p/x")], "uri.params.proxy",
     "uri.params.proxy: 'p/x' is not accepted; [http|socks|socks4|socks4a|socks5://]host[:port]"),
    (conn("gsx", None, "h", "/"), [("vcenter", "v")], "uri.params.vcenter",
     "uri.params.vcenter: 'v' is not accepted; vcenter only with esx://"),
    (conn("test", None, None, ""), [], "uri.path",
     "uri.path: '' is not accepted; libvirt says 'testOpen: supply a path or use test:///default'; "
     "use /default or the absolute path of a host definition XML file"),
    (conn("test", "tcp", "h", "/"), [], "uri.path",
     "uri.path: '/' is not accepted; libvirt says 'testOpen: supply a path or use test:///default'; "
     "use /default or the absolute path of a host definition XML file"),
    (conn("vmwarews", None, None, "/system"), [], "uri.path",
     "uri.path: '/system' is not accepted; one of '/session' for vmwarews (libvirt says 'unexpected "
     "VMware URI path', try vmwareplayer:///session, vmwarews:///session or "
     "vmwarefusion:///session)"),
    (conn("vmwareplayer", None, None, ""), [], "uri.path",
     "uri.path: '' is not accepted; one of '/session' for vmwareplayer (libvirt says 'unexpected "
     "VMware URI path', try vmwareplayer:///session, vmwarews:///session or "
     "vmwarefusion:///session)"),
    (conn("vmwarefusion", None, None, "/x"), [], "uri.path",
     "uri.path: '/x' is not accepted; one of '/session' for vmwarefusion (libvirt says 'unexpected "
     "VMware URI path', try vmwareplayer:///session, vmwarews:///session or "
     "vmwarefusion:///session)"),
    (conn("lxc", None, None, "/x"), [], "uri.path",
     "uri.path: '/x' is not accepted; one of '/system', '', '/' for lxc (libvirt says \"unexpected "
     "lxc URI path '/x'\", try lxc:///system)"),
    (conn("vbox", None, None, "/"), [], "uri.path",
     "uri.path: '/' is not accepted; one of '/session', '/system' for vbox (libvirt says "
     "\"unexpected vbox URI path '/'\", try vbox:///session)"),
    (conn("network", None, None, "/embed"), [], "uri.path",
     "uri.path: '/embed' is not accepted; one of '/system', '/session' for network (libvirt says "
     "\"unexpected network URI path '/embed'\", try network:///system)"),
    (conn("qemu", None, None, ""), [], "uri.path",
     "uri.path: '' is not accepted; one of '/system', '/session', '/embed' for qemu (libvirt says "
     "\"unexpected qemu URI path ''\", try qemu:///system)"),
    (conn("qemu", None, "h", "/embed"), [("root", "/r")], "uri.path",
     "uri.path: '/embed' is not accepted; /embed only in a local qemu:///embed URI (no host, no "
     "transport)"),
    (conn("qemu", "unix", None, "/embed"), [("root", "/r")], "uri.path",
     "uri.path: '/embed' is not accepted; /embed only in a local qemu:///embed URI (no host, no "
     "transport)"),
    (conn("ch", None, None, "/embed"), [("root", "/r")], "uri.path",
     "uri.path: '/embed' is not accepted; /embed only in a local qemu:///embed URI (no host, no "
     "transport)"),
    (conn("qemu", None, None, "/embed"), [], "uri.params.root",
     "uri.params.root: an absolute directory: qemu:///embed needs root=/abs/dir"),
    (conn("qemu", None, None, "/embed"), [("root", "/r"), ("ROOT", "r")], "uri.params.root",
     "uri.params.root: 'r' is not accepted; an absolute directory: qemu:///embed needs root=/abs/dir"),
    (conn("qemu", "unix", "h"), [], "uri.host",
     "uri.host: 'h' is not accepted; no host with +unix (libvirt says 'using unix socket and remote "
     "server 'h' is not supported.'); drop the host or use +ssh"),
    (conn("qemu", "ssh", "h"), [("Mode", "direct")], "uri.params.mode",
     "uri.params.mode: 'direct' is not accepted; auto or legacy with ssh (libvirt says 'Cannot use "
     "direct socket mode for ssh transport')"),
    (conn("qemu", None, "h"), [("mode", "direct")], "uri.params.mode",
     "uri.params.mode: 'direct' is not accepted; auto or legacy with tls (libvirt says 'Cannot use "
     "direct socket mode for tls transport')"),
    (conn("qemu", "tcp", "h"), [("mode", "Auto")], "uri.params.mode",
     "uri.params.mode: 'Auto' is not accepted; auto, legacy or direct (libvirt says 'Unknown remote "
     "mode 'Auto'')"),
    (conn("qemu", "ssh", "h"), [("proxy", "Native"), ("netcat", "nc")], "uri.params.proxy",
     "uri.params.proxy: 'Native' is not accepted; auto, netcat or native (libvirt says 'Unnkown "
     "proxy type 'Native'')"),
    (conn("qemu", "ssh", "h"), [("proxy", "native"), ("netcat", "nc")], "uri.params.netcat",
     "uri.params.netcat: 'nc' is not accepted; no netcat with proxy=native (libvirt says 'netcat "
     "path not valid with native proxy mode')"),
    (conn("qemu", "libssh", "h"), [("sshauth", "agent,PrivKey")], "uri.params.sshauth",
     "uri.params.sshauth: 'agent,PrivKey' is not accepted; a keyfile with sshauth=privkey over "
     "libssh (libvirt says 'Key file path must be provided for private key authentication'); add "
     "keyfile=PATH or drop privkey"),
    (conn("qemu", "libssh2", "h"), [("sshauth", "privkey")], "uri.params.sshauth",
     "uri.params.sshauth: 'privkey' is not accepted; a keyfile with sshauth=privkey over "
     "libssh2 (libvirt says 'Key file path must be provided for private key authentication'); add "
     "keyfile=PATH or drop privkey"),
    (conn("qemu", "libssh", "h"), [("sshauth", "agent,,privkey")], "uri.params.sshauth",
     "uri.params.sshauth: 'agent,,privkey' is not accepted; a comma list of %s (libvirt says "
     "'Invalid authentication method: ''')" % SSHAUTH),
    (conn("qemu", "libssh", "h"), [("known_hosts_verify", "NORMAL"), ("known_hosts_verify", "x")],
     "uri.params.known_hosts_verify",
     "uri.params.known_hosts_verify: 'x' is not accepted; normal, auto or ignore (libvirt says "
     "'Invalid host key verification method: 'x'')"),
    (conn("qemu", "ext"), [], "uri.params.command",
     "uri.params.command: a command for the ext transport (libvirt says \"remote_open: for 'ext' "
     "transport, command is required\")"),
    (conn("qemu", "ext"), [("command", "")], "uri.params.command",
     "uri.params.command: '' is not accepted; a non-empty path"),
    (conn("qemu", "ssh", "h"), [("auth", "sasl.")], "uri.params.auth",
     "uri.params.auth: 'sasl.' is not accepted; sasl, sasl.<mechanism> or polkit"),
    (conn("qemu", "ssh", "h"), [("auth", "xsasl")], "uri.params.auth",
     "uri.params.auth: 'xsasl' is not accepted; sasl, sasl.<mechanism> or polkit"),
    # checked in name order, whatever the URI's order: auth before mode
    (conn("qemu", "ssh", "h"), [("mode", "x"), ("authfile", "")], "uri.params.authfile",
     "uri.params.authfile: '' is not accepted; a non-empty path"),
    (conn("qemu", "ssh", "h", "/session"), [("no_verify", "1\n")]) + _int("no_verify", "1\n"),
    (conn("qemu", "ssh", "h"), [("no_tty", "0x1")]) + _int("no_tty", "0x1"),
    (conn("qemu", "tls", "h"), [("no_sanity", "2147483648")]) + _int("no_sanity", "2147483648"),
    (conn("qemu", "tls", "h"), [("no_sanity", "-2147483649")]) + _int("no_sanity", "-2147483649"),
    (conn("qemu", "tls", "h"), [("no_verify", "")]) + _int("no_verify", ""),
    (conn("qemu", "tls", "h"), [("no_verify", "1 ")]) + _int("no_verify", "1 "),
]


@pytest.mark.parametrize("spec,pairs,field,message", REFUSED,
                         ids=printable_ids(REFUSED, 70, lambda r: "%s-%s" % (r[0]["driver"], r[3][len(r[2]) + 2:])))
def test_refusals(spec, pairs, field, message):
    with pytest.raises(SpecError) as info:
        validate_connection(spec, pairs, field="uri")
    assert (info.value.field, str(info.value)) == (field, message)


def test_field_prefix():
    with pytest.raises(SpecError) as info:
        validate_connection(conn("qemu", "unix", "h"), [])
    assert (info.value.field, str(info.value)) == (
        "host", "host: 'h' is not accepted; no host with +unix (libvirt says 'using unix socket and "
        "remote server 'h' is not supported.'); drop the host or use +ssh")
    with pytest.raises(SpecError) as info:
        validate_connection(conn("qemu", "ssh", "h"), [("no_tty", "x")])
    assert info.value.field == "params.no_tty"
    with pytest.raises(SpecError) as info:
        validate_connection(conn("esx", None, "h", "/"), [("x", "1")], field="c")
    assert info.value.field == "c.params.x"


PASSED = [
    (conn("lxc", None, "system", ""), []),  # the missing-slash check is qemu, vbox and vz only
    (conn("qemu", "ssh", "system", "/system"), []),
    (conn("qemu", None, None, "/embed"), [("root", "/r")]),
    (conn("qemu", None, None, "/embed"), [("Root", "x"), ("root", "/r")]),
    (conn("ch", None, None, "/anything"), []),
    (conn("remote", None, "h", "/"), []),
    (conn("test", None, None, "/default"), []),
    (conn("test", None, None, "/tmp/host.xml"), []),
    (conn("esx", None, "h", "/dc/x"), [("transport", "http"), ("vcenter", "v"), ("no_verify", "0"),
                                       ("auto_answer", "1"), ("proxy", "socks5://p:1080")]),
    (conn("vpx", None, "h", ""), [("proxy", "p"), ("Proxy", "http://p:8080"), ("proxy", "socks4a://p")]),
    (conn("hyperv", None, "h", ""), [("transport", "https")]),
    (conn("qemu", "unix", None), [("mode", "direct"), ("socket", "/s")]),
    (conn("qemu", None, None), [("mode", "direct")]),
    (conn("qemu", "ssh", "h"), [("mode", "legacy"), ("proxy", "netcat"), ("netcat", "nc"),
                                ("no_verify", " +1"), ("no_tty", "\n-2147483648"), ("auth", "SASL.gssapi"),
                                ("keyfile", "/k"), ("command", "/c")]),
    (conn("qemu", "ssh", "h"), [("proxy", "native"), ("proxy", "auto"), ("netcat", "nc")]),
    (conn("qemu", "ssh", "h"), [("sshauth", "privkey")]),  # the ssh binary reads its own keys
    (conn("qemu", "libssh", "h"), [("sshauth", "Agent,PRIVKEY,password,keyboard-interactive"),
                                   ("KeyFile", "/k"), ("known_hosts_verify", "Ignore")]),
    (conn("qemu", "tls", "h"), [("no_sanity", "2147483647"), ("auth", "polkit"), ("auth", "sasl"),
                                ("pkipath", "/p"), ("tls_priority", ""), ("name", "")]),
    (conn("qemu", "tcp", "h"), [("other", ""), ("no_verify", "1"), ("mode", "auto")]),
    (conn("qemu", "tls", "h"), [("auth", "POLKIT")]),
    (conn("qemu", "tls", "h"), [("auth", "sasl.x")]),
    (conn("esx", None, "h", "/"), [("proxy", "socks://p:1")]),
    (conn("esx", None, "h", "/"), [("proxy", "socks4://p")]),
    (conn("qemu", "ext", None), [("COMMAND", "/c")]),
]


@pytest.mark.parametrize("spec,pairs", PASSED, ids=printable_ids(PASSED, 60, lambda r: "%s-%s" % (r[0], r[1])))
def test_accepted(spec, pairs):
    assert validate_connection(spec, pairs, field="uri") is None


PARAM_TEXT = [
    ("no_verify", True, "1"), ("No_Tty", False, "0"), ("no_sanity", True, "1"),
    ("auto_answer", True, "1"), ("AUTO_ANSWER", False, "0"), ("port", 0, "0"), ("x", -12, "-12"),
    ("sshauth", ["agent", "privkey"], "agent,privkey"), ("SSHAuth", ("password",), "password"),
    ("sshauth", [], ""), ("x", "", ""), ("x", "a b", "a b"),
]


@pytest.mark.parametrize("name,value,text", PARAM_TEXT, ids=printable_ids(PARAM_TEXT, 40))
def test_param_text(name, value, text):
    assert param_text(name, value, "f") == text


PARAM_TEXT_REFUSED = [
    ("keyfile", True, "f: True is not accepted; a string (only no_verify, no_tty, no_sanity and "
     "auto_answer take true/false, written as 1/0)"),
    ("sshauth", ["agent", 1], "f: ['agent', 1] is not accepted; a list of %s" % SSHAUTH),
    ("keyfile", ["a"], "f: ['a'] is not accepted; a string value ('' for an empty one)"),
    ("x", 1.5, "f: 1.5 is not accepted; a string value ('' for an empty one)"),
    ("x", None, "f: a string value ('' for an empty one)"),
    ("x", "a\x00b", "f: 'a\\x00b' is not accepted; a value without NUL characters"),
]


@pytest.mark.parametrize("name,value,message", PARAM_TEXT_REFUSED, ids=printable_ids(PARAM_TEXT_REFUSED, 40))
def test_param_text_refusals(name, value, message):
    with pytest.raises(SpecError) as info:
        param_text(name, value, "f")
    assert (info.value.field, str(info.value)) == ("f", message)


@pytest.mark.parametrize("spec,transport", [
    ({"transport": "SSH", "host": None}, "ssh"), ({"transport": "", "host": "h"}, "tls"),
    ({"host": "h"}, "tls"), ({"host": ""}, "unix"), ({}, "unix"),
], ids=["lowered", "empty-with-host", "host", "empty-host", "nothing"])
def test_effective_transport(spec, transport):
    assert effective_transport(spec) == transport


def test_value_check_factories():
    """_choice and _esx_flag build the checks of REMOTE_PARAMS / _ESX_PARAMS when the module is
    imported; built here again, each check's accepted values and whole message."""
    check = remote_params._choice(("a", "b", "c"), "'Bad value '%s''")
    assert [check("f", v, "n") for v in ("a", "b", "c")] == [None, None, None]
    with pytest.raises(SpecError) as info:
        check("f", "A", "n")
    assert (info.value.field, str(info.value)) == ("f", "f: 'A' is not accepted; a, b or c (libvirt says 'Bad value 'A'')")
    folded = remote_params._choice(("x", "y"), "'No %s'", fold=True)
    assert folded("f", "Y", "n") is None
    with pytest.raises(SpecError) as info:
        folded("f", "Z", "n")
    assert str(info.value) == "f: 'Z' is not accepted; x or y (libvirt says 'No Z')"
    flag = remote_params._esx_flag("auto_answer")
    assert (flag("f", "0", "esx"), flag("f", "1", "esx")) == (None, None)
    with pytest.raises(SpecError) as info:
        flag("f", "yes", "esx")
    assert (info.value.field, str(info.value)) == ("f", "f: 'yes' is not accepted; 0 or 1 (libvirt says \"Query "
                                                   "parameter 'auto_answer' has unexpected value 'yes' (should be 0 or 1)\")")
