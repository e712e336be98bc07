# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Differential fuzz: generated connection URIs rendered by the collection, read back by the
virURIParse of each libvirt (9.0 on the host, 11.3 in the trixie root: ``generation``).

Every rendered URI must be parsed by that libvirt into exactly the spec's scheme, user, host,
port, path and parameters (names and values, in order). Refusals (SpecError) are counted and the
share accepted is asserted, so a renderer refusing everything fails. ``DIFF_CASES`` specs
(default 300), ``FUZZ_CASES`` under FUZZ=1 (``make fuzz``, default 5000); seed ``DIFF_SEED``.

The parse side (``test_our_reader_agrees_with_virURIParse``) goes the other way: generated URI
texts, edge cases first (%00 in every field, an empty host or parameter name, 'driver+' with
an empty transport), read by our parser and by virURIParse of both libvirts; every field must
agree and so must the refusals. No disagreement is allowed.
"""

from __future__ import annotations

import inspect
import os
import random

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri import (
    parse_libvirt_uri, render_libvirt_uri,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri_reference import (
    parse_uri_reference,
)

FUZZ = os.environ.get("FUZZ") == "1"
CASES = int(os.environ.get("FUZZ_CASES", "5000")) if FUZZ else int(os.environ.get("DIFF_CASES", "300"))
SEED = int(os.environ.get("DIFF_SEED", "20261"))

PIECES = (list("abcXYZ019-_.~") + list(" !\"#$%&'()*+,:;<=>?@[\\]^`{|}/") +
          ["%20", "%25", "%2520", "%41", "&a=b", "é", "☃", "\t"])
# Parameters each transport reads (src/remote/remote_driver.c: doRemoteOpen); a few specs get
# any name, so the refusals are exercised too.
TRANSPORT_PARAMS = {
    None: ["name"], "tcp": ["name"], "tls": ["name", "pkipath", "no_verify"],
    "ssh": ["keyfile", "socket", "netcat", "no_verify", "no_tty", "name", "command"],
    "libssh": ["keyfile", "socket", "netcat", "known_hosts", "no_verify", "name"],
    "libssh2": ["keyfile", "socket", "netcat", "known_hosts", "no_verify", "name"],
    "unix": ["socket", "name"], "ext": ["command", "name"],
}
ANY_PARAM = sorted({name for names in TRANSPORT_PARAMS.values() for name in names})
INTEGER_PARAMS = ("no_verify", "no_tty")
HOSTS = ["127.0.0.1", "::1", "localhost", "h-1.example.org", "fe80::1", "[::1]", "h_1"]
DRIVERS = {"qemu": ["/system", "/session"], "test": ["/default"], "lxc": ["/"]}
TRANSPORTS = [None, "tcp", "tls", "ssh", "libssh", "libssh2", "unix", "ext"]


def _text(rng, max_pieces=6):
    return "".join(rng.choice(PIECES) for _draw in range(rng.randint(1, max_pieces)))


def _spec(rng):
    driver = rng.choice(sorted(DRIVERS))
    spec = {"driver": driver, "transport": rng.choice(TRANSPORTS),
            "path": rng.choice(DRIVERS[driver])}
    if spec["transport"] not in (None, "unix") or rng.random() < 0.2:
        spec["host"] = rng.choice(HOSTS)
    if rng.random() < 0.5:
        spec["user"] = _text(rng, 4).replace(":", "") or "u"
    if rng.random() < 0.4:
        spec["port"] = rng.choice([1, 22, 16509, 65535] + [rng.randint(1, 65535)] * 4
                                  + [0, 65536, 2147483648])
    names = TRANSPORT_PARAMS[spec["transport"]] if rng.random() < 0.9 else ANY_PARAM
    spec["params"] = [[name, rng.choice(["0", "1"]) if name in INTEGER_PARAMS else _text(rng)]
                      for name in (rng.choice(names) for _draw in range(rng.randint(0, 3)))]
    if spec["transport"] == "ext" and not any(p[0] == "command" for p in spec["params"]):
        spec["params"].append(["command", "/usr/bin/" + _text(rng, 2)])
    return spec


def _versioned(generation):
    if "libvirt_version" in inspect.signature(render_libvirt_uri).parameters:
        return {"libvirt_version": generation.libvirt_version}
    return {}


def test_rendered_uris_read_back_exactly(generation, oracle):
    rng = random.Random(SEED)
    accepted, refused, wrong = 0, 0, []
    for _case in range(CASES):
        spec = _spec(rng)
        try:
            uri = render_libvirt_uri(spec, **_versioned(generation))
        except SpecError:
            refused += 1
            continue
        accepted += 1
        real = oracle.uri_parse(uri)
        scheme = spec["driver"] + ("+" + spec["transport"] if spec["transport"] else "")
        host = spec.get("host")
        expected = (scheme, spec.get("user"), host.strip("[]") if host else None,
                    spec.get("port") or 0, spec["path"], [tuple(p) for p in spec["params"]])
        got = None if real is None else (real["scheme"], real["user"],
                                         (real["server"] or "").strip("[]") or None, real["port"],
                                         real["path"], real["params"])
        if got != expected:
            wrong.append("%r -> %r: libvirt %s read %r, not %r" % (
                spec, uri, generation.libvirt_version, got, expected))
    print("libvirt %s: %d URIs rendered and read back, %d refused (%.0f%% accepted), %d wrong"
          % (generation.libvirt_version, accepted, refused, 100.0 * accepted / CASES, len(wrong)))
    assert not wrong, "%d wrong:\n%s" % (len(wrong), "\n".join(wrong[:10]))
    assert accepted >= 0.5 * CASES, "too few URIs rendered (%d of %d)" % (accepted, CASES)


# ------------------------------------------------------------------ parse side
# Generated URI *texts* (not specs): our reader (uri_reference.parse_uri_reference and the
# connection layer's parse_libvirt_uri) against the virURIParse of each libvirt, field by field.
# The pieces lean on what differed before: %00 in every field (libvirt keeps C strings), an
# empty host or parameter name, 'driver+' with an empty transport, a transport's case.
SCHEMES = ["qemu", "qemu+ssh", "qemu+SSH", "qemu+", "A+", "A", "test+unix", "x-y.z", "q+a+b",
           "", "1a", "qemu+tls"]
URI_PIECES = (list("aZ09-._~!$&'()*+,;=:@/?#[]%") +
              ["%00", "%20", "%25", "%2F", "%3D", "%26", "%41", "%zz", "%0", "é", " ", "\"", "=",
               "&", ";", "==", "&&"])
AUTHORITIES = ["", "h", "127.0.0.1", "[::1]", "[fe80::1%25eth0]", "%00", "h%00x", "u@h",
               "%00@h", "@h", "u:p@h:22", "h:0", "h:", "h:2147483648", "[::1]:16509", "h:65535"]
PARSE_CASES = CASES


def _piece_text(rng, max_pieces):
    return "".join(rng.choice(URI_PIECES) for _draw in range(rng.randint(0, max_pieces)))


def _uri_text(rng):
    scheme = rng.choice(SCHEMES)
    text = scheme + ":" if scheme else ""
    shape = rng.random()
    if shape < 0.6:
        text += "//" + rng.choice(AUTHORITIES + [_piece_text(rng, 3)])
    if shape < 0.9:
        text += "/" + _piece_text(rng, 4)
    else:
        text += _piece_text(rng, 3)
    if rng.random() < 0.7:
        segments = []
        for _draw in range(rng.randint(0, 3)):
            segments.append(rng.choice(["", "%00", "n", "%00name", "na%00me", "no_tty", "=",
                                        "keyfile"]) + rng.choice(["", "="]) +
                            rng.choice(["", "v", "%00", "a%00b", "%26", "1", "=x"]))
        text += "?" + rng.choice(["&", ";", "&;"])[0].join(segments)
    if rng.random() < 0.2:
        text += "#" + _piece_text(rng, 2)
    return text


EDGE_URIS = ["A://%00", "?%00name=", "A+:", "A+://h/x", "qemu+:///system", "qemu:///a%00b",
             "qemu://%00@h/", "qemu://h%00x/", "qemu:///s?n=%00v&%00=&n%00=v", "qemu:%00",
             "qemu+SSH://h/system", "qemu:///s#%00", "?=;x", "qemu://@h/x"]


def _libvirt_split(scheme):
    """remoteSplitURIScheme (src/remote/remote_sockets.c): driver up to the first '+', the
    transport after it lower-cased ('' for 'driver+', None without '+')."""
    if scheme is None:
        return None, None
    driver, plus, transport = scheme.partition("+")
    return driver, (transport.lower() if plus else None)


def test_our_reader_agrees_with_virURIParse(generation, oracle):
    """Every generated text: our fields == virURIParse's (libvirt 9.0 and 11.3), and where it
    parses as a connection URI, the contract mapping says what libvirt read."""
    rng = random.Random(SEED + 1)
    texts = EDGE_URIS + [_uri_text(rng) for _case in range(PARSE_CASES)]
    parsed, failed, wrong = 0, 0, []
    for text in texts:
        real = oracle.uri_fields(text)
        try:
            ours = parse_uri_reference(text)
        except SpecError:
            ours = None
        if real is None or ours is None:
            failed += 1
            if (real is None) != (ours is None):
                wrong.append("%r: libvirt %s %s, ours %s" % (
                    text, generation.libvirt_version, "failed" if real is None else "parsed",
                    "refused" if ours is None else "parsed"))
            continue
        parsed += 1
        mine = {"scheme": ours.scheme, "server": ours.server, "user": ours.user,
                "port": ours.port, "path": ours.path, "params": [tuple(p) for p in ours.params]}
        theirs = {key: real[key] for key in mine}
        if mine != theirs:
            wrong.append("%r: libvirt %s read %r, ours %r" % (
                text, generation.libvirt_version, theirs, mine))
            continue
        if real["scheme"] is None:
            continue
        spec = parse_libvirt_uri(text, validate=False, ordered=True)
        driver, transport = _libvirt_split(real["scheme"])
        contract = (driver, transport, real["user"], real["server"] or None,
                    real["port"] or None, real["path"] or "", [list(p) for p in real["params"]])
        got = tuple(spec[key] for key in ("driver", "transport", "user", "host", "port", "path",
                                          "params"))
        if got != contract:
            wrong.append("%r: libvirt %s read %r, libvirt_uri_parse %r" % (
                text, generation.libvirt_version, contract, got))
    print("libvirt %s: %d URI texts, %d parsed, %d refused by both, %d disagreements"
          % (generation.libvirt_version, len(texts), parsed, failed, len(wrong)))
    assert not wrong, "%d disagreements:\n%s" % (len(wrong), "\n".join(wrong[:10]))
    assert parsed >= 0.3 * len(texts), "too few texts parse (%d of %d)" % (parsed, len(texts))
