# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hypothesis strategies for hostile input: wrong types, huge strings, unicode, NUL, newlines,
quotes and the characters URIs, QemuOpts, libvirt.conf and XML give a meaning to."""

from __future__ import annotations

from hypothesis import strategies as st

SPECIALS = [",", ",,", ";", "&", "#", "%", "%25", "%2C", "%00", "%zz", "@", "[", "]", "[::1]", "\x00", "\n",
            "\r\n", "\t", " ", '"', "'", '"""', "\\", "/", "//", "?", "=", ":", "+", "{", "}", "<", ">",
            "]]>", "<!--", "&amp;", "$", "`", "{{ x }}", "{% raw %}", "..", "é", "\u202e", "\U0001F600",
            "\ufeff", "\u2028", "\u0085", "\x7f", "\x1b", "\x0b", "=x\nuri_default=\"evil\"",
            ",file.driver=file,file.filename=/etc/passwd", "'/><evil/><x a='", "\"/><evil/><x a=\""]
atom = st.sampled_from(SPECIALS)
word = st.text(alphabet="abcxyz019.-_", min_size=0, max_size=6)

# Concatenations of dangerous pieces, arbitrary unicode (no lone surrogates: YAML/JSON cannot carry
# them into a playbook), and huge strings.
hostile_text = st.one_of(
    st.lists(st.one_of(atom, word), min_size=0, max_size=10).map("".join),
    st.text(max_size=40),
    st.builds(lambda piece, n: piece * n, st.one_of(atom, st.just("a")), st.integers(1000, 100000)),
)
scalar = st.one_of(
    hostile_text, st.none(), st.booleans(), st.integers(-2 ** 70, 2 ** 70),
    st.floats(allow_nan=True, allow_infinity=True), st.binary(max_size=8),
)
hostile_value = st.one_of(
    scalar,
    st.lists(scalar, max_size=3),
    st.dictionaries(st.one_of(hostile_text, st.integers()), scalar, max_size=3),
)

PROTOCOL_NAMES = ["nbd", "iscsi", "ssh", "sheepdog", "gluster", "http", "https", "ftp", "ftps"]
OPTION_NAMES = ["initiator_name", "timeout", "tls_creds", "tls_hostname", "host_key_check", "readahead",
                "sslverify", "cookie", "cookie_secret", "debug", "logfile", "reconnect_delay",
                "open_timeout", "header_digest", "transport", "proxy_username", "proxy_password_secret"]


def maybe(good):
    """Mostly a plausible value, sometimes a hostile one, sometimes hostile text in a plausible place."""
    return st.one_of(good, hostile_text, hostile_value)


host = maybe(st.sampled_from(["192.0.2.1", "2001:db8::1", "h.example.com", "127.0.0.1", "::1"]))
port = maybe(st.integers(1, 65535))
tcp = st.fixed_dictionaries({"host": host}, optional={"port": port, "transport": maybe(st.just("tcp"))})
unix = st.fixed_dictionaries({"socket": maybe(hostile_text.map(lambda t: "/run/" + t))})
server = st.one_of(tcp, unix, hostile_value)
options = st.one_of(st.dictionaries(st.one_of(st.sampled_from(OPTION_NAMES), hostile_text), hostile_value,
                                    max_size=3), hostile_value)
path = maybe(hostile_text.map(lambda t: "/" + t))

drive_spec = st.fixed_dictionaries(
    {"protocol": maybe(st.sampled_from(PROTOCOL_NAMES))},
    optional={
        "server": server, "servers": st.one_of(st.lists(st.one_of(tcp, unix), max_size=3), hostile_value),
        "export": hostile_text, "target": maybe(hostile_text.map(lambda t: "iqn.2001-04.com.example:" + t)),
        "lun": maybe(st.integers(0, 16383)), "volume": hostile_text, "path": path, "vdi": hostile_text,
        "snapshot": hostile_value, "user": hostile_text, "password_secret": maybe(st.just("sec0")),
        "password": hostile_text, "credentials": maybe(st.sampled_from(["secret", "env", "inline"])),
        "options": options,
    },
)
# sometimes an unknown key too
drive_spec = st.one_of(drive_spec, st.tuples(drive_spec, st.dictionaries(hostile_text, hostile_value, min_size=1,
                                                                         max_size=1)).map(lambda t: {**t[1], **t[0]}))
# A drive spec, a list of them (the list fast path), or anything at all.
drive_input = st.one_of(drive_spec, drive_spec, drive_spec, st.lists(drive_spec, max_size=3), hostile_value)
qemu_version = st.one_of(st.none(), st.sampled_from(["5.2", "7.2", "9.0", "9.1", "10.0"]), hostile_value)

conn_spec = st.fixed_dictionaries(
    {"driver": maybe(st.sampled_from(["qemu", "test", "xen", "lxc", "esx", "remote"]))},
    optional={
        "transport": maybe(st.sampled_from([None, "tls", "unix", "ssh", "libssh2", "libssh", "ext", "tcp"])),
        "user": hostile_text, "password": hostile_text,
        "host": host, "port": port,
        "path": maybe(st.sampled_from(["/system", "/session", "/default", "/embed"])),
        "params": st.one_of(
            st.dictionaries(st.one_of(st.sampled_from(["keyfile", "socket", "no_verify", "command",
                                                       "sshauth", "name", "pkipath", "known_hosts"]),
                                      hostile_text), hostile_value, max_size=3),
            st.lists(st.tuples(hostile_text, hostile_text), max_size=3), hostile_value),
        "fragment": hostile_text,
    },
)
conn_spec = st.one_of(conn_spec, st.tuples(conn_spec, st.dictionaries(hostile_text, hostile_value, min_size=1,
                                                                      max_size=1)).map(lambda t: {**t[1], **t[0]}))
conn_input = st.one_of(conn_spec, conn_spec, st.lists(conn_spec, max_size=3), hostile_value)

# ---- plausible shapes with hostile text in every free-text field (the injection surface)
small_text = st.one_of(st.lists(st.one_of(atom, word), min_size=1, max_size=6).map("".join), st.text(min_size=1, max_size=12))
free_text = st.one_of(small_text, small_text, hostile_text)
good_host = st.sampled_from(["192.0.2.1", "2001:db8::1", "h.example.com", "127.0.0.1", "::1", "a-b.c_d.example"])
good_tcp = st.fixed_dictionaries({"host": good_host}, optional={"port": st.integers(1, 65535)})
good_unix = st.fixed_dictionaries({"socket": st.one_of(st.just("/run/x.sock"), free_text.map(lambda t: "/run/" + t))})
version_str = st.sampled_from(["5.2", "7.2", "9.0", "9.1", "10.0"])

nbd_spec = st.fixed_dictionaries({"protocol": st.just("nbd"), "server": st.one_of(good_tcp, good_unix)},
                                 optional={"export": free_text, "options": st.fixed_dictionaries(
                                     {}, optional={"tls_creds": st.one_of(st.just("tls0"), free_text),
                                                   "tls_hostname": free_text, "reconnect_delay": st.integers(0, 99)})})
iscsi_spec = st.fixed_dictionaries(
    {"protocol": st.just("iscsi"), "server": good_tcp, "lun": st.integers(0, 255),
     "target": free_text.map(lambda t: "iqn.2001-04.com.example:" + t)},
    optional={"user": free_text, "password_secret": st.one_of(st.just("sec0"), free_text),
              "options": st.fixed_dictionaries({}, optional={"initiator_name": free_text, "timeout": st.integers(0, 99)})})
ssh_spec = st.fixed_dictionaries({"protocol": st.just("ssh"), "server": good_tcp, "path": free_text.map(lambda t: "/" + t)},
                                 optional={"user": free_text, "options": st.fixed_dictionaries(
                                     {}, optional={"host_key_check": st.one_of(st.sampled_from(["yes", "no"]), free_text)})})
gluster_spec = st.fixed_dictionaries(
    {"protocol": st.just("gluster"), "servers": st.lists(st.one_of(good_tcp, good_unix), min_size=1, max_size=3),
     "volume": free_text, "path": free_text},
    optional={"options": st.fixed_dictionaries({}, optional={"debug": st.integers(0, 9), "logfile": free_text})})
curl_spec = st.fixed_dictionaries(
    {"protocol": st.sampled_from(["http", "https", "ftp", "ftps"]), "server": good_tcp,
     "path": free_text.map(lambda t: "/" + t)},
    optional={"user": free_text, "password_secret": st.one_of(st.just("sec0"), free_text),
              "options": st.fixed_dictionaries({}, optional={"sslverify": st.booleans(), "timeout": st.integers(0, 99),
                                                             "cookie_secret": st.one_of(st.just("ck0"), free_text),
                                                             "readahead": st.sampled_from([512, "64k", "1M"])})})
sheepdog_spec = st.fixed_dictionaries({"protocol": st.just("sheepdog"), "server": st.one_of(good_tcp, good_unix),
                                       "vdi": free_text},
                                      optional={"snapshot": st.one_of(st.integers(1, 99), free_text)})
plausible_drive = st.one_of(nbd_spec, iscsi_spec, ssh_spec, gluster_spec, curl_spec, sheepdog_spec)
drive_input = st.one_of(plausible_drive, plausible_drive, plausible_drive, plausible_drive, drive_spec,
                        st.lists(st.one_of(plausible_drive, drive_spec), max_size=3), hostile_value)
qemu_version = st.one_of(st.none(), version_str, version_str, hostile_value)

plausible_conn = st.one_of(
    st.fixed_dictionaries({"driver": st.sampled_from(["qemu", "test", "xen", "lxc"]),
                           "transport": st.sampled_from(["ssh", "libssh2", "libssh"]), "host": good_host,
                           "path": st.sampled_from(["/system", "/session", "/default"])},
                          optional={"user": free_text, "port": st.integers(1, 65535),
                                    "params": st.fixed_dictionaries({}, optional={
                                        "keyfile": free_text, "known_hosts": free_text, "no_verify": st.integers(0, 1),
                                        "name": free_text, "socket": free_text})}),
    st.fixed_dictionaries({"driver": st.sampled_from(["qemu", "test"]), "transport": st.sampled_from(["unix", "tcp", "tls"]),
                           "path": st.sampled_from(["/system", "/session", "/default"])},
                          optional={"host": good_host, "params": st.fixed_dictionaries({}, optional={
                              "socket": free_text, "pkipath": free_text, "name": free_text})}),
    st.fixed_dictionaries({"driver": st.sampled_from(["qemu", "test"]), "transport": st.just("ext"),
                           "path": st.just("/system"), "params": st.fixed_dictionaries({"command": free_text})}),
    st.fixed_dictionaries({"driver": st.sampled_from(["esx", "vpx", "hyperv"]), "host": good_host},
                          optional={"user": free_text, "path": free_text.map(lambda t: "/" + t),
                                    "params": st.fixed_dictionaries({}, optional={"no_verify": st.integers(0, 1)})}),
)
conn_input = st.one_of(plausible_conn, plausible_conn, plausible_conn, conn_spec,
                       st.lists(st.one_of(plausible_conn, conn_spec), max_size=3), hostile_value)
alias_name = st.one_of(st.from_regex(r"[A-Za-z0-9_.\-]{1,12}", fullmatch=True), free_text)
