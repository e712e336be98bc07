# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Differential fuzz: generated connection URIs rendered by the collection, read back by the
virURIParse of each libvirt (9.0 on the host, 11.3 in the trixie root: ``generation``).

Every rendered URI must be parsed by that libvirt into exactly the spec's scheme, user, host,
port, path and parameters (names and values, in order). Refusals (SpecError) are counted and the
share accepted is asserted, so a renderer refusing everything fails. ``DIFF_CASES`` specs
(default 300), ``FUZZ_CASES`` under FUZZ=1 (``make fuzz``, default 5000); seed ``DIFF_SEED``.
"""

from __future__ import annotations

import inspect
import os
import random

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri import render_libvirt_uri

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
