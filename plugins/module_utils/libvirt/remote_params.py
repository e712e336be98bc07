# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks libvirt makes when it opens a connection URI (libvirt src/libvirt.c:
virConnectOpenInternal, virConnectCheckURIMissingSlash; src/driver.c: virConnectValidateURIPath;
src/remote/remote_driver.c: doRemoteOpen, doRemoteOpenExtractURIArgs).

One function, ``validate_connection``, applies them to the contract mapping
(``{driver, transport, user, host, port, path, params}``) in the order libvirt does, with
libvirt's own wording so that an error here reads like the one ``virsh -c`` would print. The
parameter rules are tables, like the drive options: REMOTE_PARAMS (each remote parameter's
transports and value rule), _ACROSS (rules across parameters), _ESX_PARAMS / _HYPERV_PARAMS.
"""

from __future__ import annotations

import re

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.uri_reference import format_query_params

__all__ = [
    "KNOWN_DRIVERS",
    "TRANSPORTS",
    "REMOTE_PARAMS",
    "param_text",
    "effective_transport",
    "validate_connection",
]

# remote_sockets.c VIR_ENUM_IMPL(remoteDriverTransport) order, as printed in its error.
TRANSPORTS = ("tls", "unix", "ssh", "ext", "tcp", "libssh2", "libssh")
_SSH_FAMILY = ("ssh", "libssh", "libssh2")

# uriSchemes of each virConnectDriver (src/*/*_driver.c): driver -> accepted paths
# (None: not checked here).
_SECONDARY = ("/system", "/session")
_DRIVER_PATHS = {
    "qemu": ("/system", "/session", "/embed"),
    "xen": ("/system",),
    "lxc": ("/system", "", "/"),
    "test": None,  # /default or an absolute file path, checked below
    "vbox": ("/session", "/system"),
    "ch": None,
    "bhyve": ("/system",),
    "vz": ("/system",),
    "parallels": ("/system",),
    "openvz": ("/system",),
    "vmwareplayer": ("/session",),
    "vmwarews": ("/session",),
    "vmwarefusion": ("/session",),
    "esx": None,
    "gsx": None,
    "vpx": None,
    "hyperv": ("", "/"),
    "network": _SECONDARY,
    "nodedev": _SECONDARY,
    "nwfilter": _SECONDARY,
    "secret": _SECONDARY,
    "storage": _SECONDARY,
    "interface": _SECONDARY,
    "remote": None,  # "remote://host/": the daemon probes its default driver
}
KNOWN_DRIVERS = tuple(_DRIVER_PATHS)
# Client-side drivers that talk to the hypervisor themselves (virConnectDriver.remoteOnly:
# src/esx/esx_driver.c, src/hyperv/hyperv_driver.c).
_REMOTE_ONLY = ("esx", "gsx", "vpx", "hyperv")
# src/libvirt.c: virConnectCheckURIMissingSlash only looks at these schemes.
_MISSING_SLASH_DRIVERS = ("qemu", "vbox", "vz")

_INT_PARAMS = ("no_verify", "no_tty", "no_sanity")
_SSHAUTH_METHODS = ("agent", "privkey", "password", "keyboard-interactive")

_STRTOL_INT = re.compile(r"^[ \t\n\v\f\r]*[+-]?[0-9]+\Z")  # \Z: "$" would let a final newline through


def param_text(name, value, field):
    """The text of one query value: ints as decimal, booleans 1/0 for integer params only,
    sshauth lists joined with ','."""
    lname = name.lower()
    if isinstance(value, bool):
        if lname in _INT_PARAMS or lname == "auto_answer":
            return "1" if value else "0"
        raise SpecError(field, value, "a string (only no_verify, no_tty, no_sanity and "
                        "auto_answer take true/false, written as 1/0)")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)) and lname == "sshauth":
        if not all(isinstance(v, str) for v in value):
            raise SpecError(field, value, "a list of %s" % ", ".join(_SSHAUTH_METHODS))
        return ",".join(value)
    if not isinstance(value, str):
        raise SpecError(field, value, "a string value ('' for an empty one)")
    if "\x00" in value:
        raise SpecError(field, value, "a value without NUL characters")
    return value


def effective_transport(spec):
    """remoteSplitURIScheme: no '+transport' means tls with a server, unix without."""
    if spec.get("transport"):
        return spec["transport"].lower()
    return "tls" if spec.get("host") else "unix"


def _check_int_param(field, value, name):
    # virStrToLong_i: strtol base 10, the whole string, an int.
    if not _STRTOL_INT.match(value) or not -2 ** 31 <= int(value) < 2 ** 31:
        raise SpecError(field, value, "an integer (libvirt says 'Failed to parse value of URI "
                        "component %s'); write %s=1 for yes, %s=0 for no" % (name, name, name))


def _choice(accepted, libvirt_says, fold=False):
    """A check that the value is one of `accepted` (case-folded when libvirt compares so)."""
    def check(field, value, name):  # pylint: disable=unused-argument
        if (value.lower() if fold else value) not in accepted:
            raise SpecError(field, value, "%s (libvirt says %s)" % (
                ", ".join(accepted[:-1]) + " or " + accepted[-1], libvirt_says % value))
    return check


def _check_sshauth(field, value, name):  # pylint: disable=unused-argument
    for method in value.split(","):
        if method.lower() not in _SSHAUTH_METHODS:
            raise SpecError(field, value, "a comma list of %s (libvirt says 'Invalid "
                            "authentication method: '%s'')" % (", ".join(_SSHAUTH_METHODS), method))


def _check_auth(field, value, name):  # pylint: disable=unused-argument
    low = value.lower()
    if not (low in ("sasl", "polkit") or (low.startswith("sasl.") and len(low) > 5)):
        raise SpecError(field, value, "sasl, sasl.<mechanism> or polkit")


def _check_path_value(field, value, name):  # pylint: disable=unused-argument
    if not value:
        raise SpecError(field, value, "a non-empty path")


def _no_check(field, value, name):  # pylint: disable=unused-argument
    return None


# src/remote/remote_driver.c: doRemoteOpenExtractURIArgs and its users: each remote parameter,
# the transports that use it (None: every one) and the rule of its value, with libvirt's own error
# (remote_driver.c, virnetlibsshsession.c, remote_sockets.c). A parameter the transport does not
# use is ignored, not an error: libvirt 9.0 and 11.3 open test:///default?no_tty=1 and
# qemu+tls://h/system?keyfile=/x alike (the live version tests); its value is still checked.
REMOTE_PARAMS = {
    "name": (None, _no_check),
    "command": (("ssh", "ext"), _check_path_value),
    "socket": (("unix",) + _SSH_FAMILY, _check_path_value),
    "netcat": (_SSH_FAMILY, _check_path_value),
    "keyfile": (_SSH_FAMILY, _check_path_value),
    "known_hosts": (("libssh", "libssh2"), _check_path_value),
    "known_hosts_verify": (("libssh", "libssh2"), _choice(("normal", "auto", "ignore"),
                                                          "'Invalid host key verification method: '%s''", fold=True)),
    "sshauth": (("libssh", "libssh2"), _check_sshauth),
    "mode": (("unix",) + _SSH_FAMILY, _choice(("auto", "legacy", "direct"), "'Unknown remote mode '%s''")),
    "proxy": (_SSH_FAMILY, _choice(("auto", "netcat", "native"), "'Unnkown proxy type '%s''")),
    "pkipath": (("tls",), _check_path_value),
    "tls_priority": (("tls",), _no_check),
    "no_verify": (("tls", "ssh"), _check_int_param),
    "no_tty": (("ssh",), _check_int_param),
    "no_sanity": (("tls",), _check_int_param),
    "auth": (None, _check_auth),
    "authfile": (None, _check_path_value),
}


# Rules across parameters, in the order libvirt applies them: (parameter, whether the URI breaks
# the rule, what is accepted) given the last value of each parameter and the effective transport.
_ACROSS = (
    # remote_driver.c: doRemoteOpen
    ("mode", lambda last, eff: "mode" in last and last["mode"][1] == "direct" and eff != "unix",
     lambda last, eff: "auto or legacy with %s (libvirt says 'Cannot use direct socket mode for %s "
     "transport')" % (eff, eff)),
    ("netcat", lambda last, eff: "proxy" in last and last["proxy"][1] == "native" and "netcat" in last,
     lambda last, eff: "no netcat with proxy=native (libvirt says 'netcat path not valid with native "
     "proxy mode')"),
    # virnetlibsshsession.c / virnetsshsession.c: virNet*SessionAuthAddPrivKeyAuth
    ("sshauth", lambda last, eff: eff in ("libssh", "libssh2") and "sshauth" in last and "keyfile" not in last
     and "privkey" in last["sshauth"][1].lower().split(","),
     lambda last, eff: "a keyfile with sshauth=privkey over %s (libvirt says 'Key file path must be provided "
     "for private key authentication'); add keyfile=PATH or drop privkey" % eff),
    ("command", lambda last, eff: eff == "ext" and "command" not in last,
     lambda last, eff: "a command for the ext transport (libvirt says \"remote_open: for 'ext' transport, "
     "command is required\")"),
)


def _esx_transport(field, value, driver):  # pylint: disable=unused-argument
    if value not in ("http", "https"):
        raise SpecError(field, value, "http or https (libvirt says \"Query parameter 'transport' has "
                        "unexpected value '%s' (should be http|https)\")" % value)


def _esx_flag(name):
    def check(field, value, driver):  # pylint: disable=unused-argument
        if value not in ("0", "1"):
            raise SpecError(field, value, "0 or 1 (libvirt says \"Query parameter '%s' has unexpected value "
                            "'%s' (should be 0 or 1)\")" % (name, value))
    return check


def _esx_proxy(field, value, driver):  # pylint: disable=unused-argument
    m = re.match(r"^(?:([a-z0-9]+)://)?[^:/]+(?::[0-9]+)?$", value)
    if not m or (m.group(1) or "http") not in ("http", "socks", "socks4", "socks4a", "socks5"):
        raise SpecError(field, value, "[http|socks|socks4|socks4a|socks5://]host[:port]")


def _esx_vcenter(field, value, driver):
    if driver != "esx":
        raise SpecError(field, value, "vcenter only with esx://")


# src/esx/esx_util.c: esxUtil_ParseUri, src/hyperv/hyperv_util.c: hypervParseUri: the query
# parameters of the client-side drivers and the rule of each value.
_ESX_PARAMS = {
    "transport": _esx_transport, "vcenter": _esx_vcenter, "no_verify": _esx_flag("no_verify"),
    "auto_answer": _esx_flag("auto_answer"), "proxy": _esx_proxy,
}
_HYPERV_PARAMS = {"transport": _esx_transport}


def _check_path(spec, field):
    driver, path = spec["driver"], spec.get("path") or ""
    accepted = _DRIVER_PATHS.get(driver)
    if driver == "test":
        if path in ("", "/"):
            raise SpecError(field + "path", path, "libvirt says 'testOpen: supply a path or "
                            "use test:///default'; use /default or the absolute path of a "
                            "host definition XML file")
        return
    if accepted is None or path in accepted:
        return
    if driver in ("vmwareplayer", "vmwarews", "vmwarefusion"):
        hint = ("libvirt says 'unexpected VMware URI path', try vmwareplayer:///session, "
                "vmwarews:///session or vmwarefusion:///session")
    else:
        hint = "libvirt says \"unexpected %s URI path '%s'\", try %s:///%s" % (
            driver, path, driver, accepted[0].strip("/") or "")
    raise SpecError(field + "path", path, "one of %s for %s (%s)"
                    % (", ".join(repr(p) for p in accepted), driver, hint))


def _last(pairs):
    """Remote driver extraction: names are case-insensitive and the LAST occurrence wins."""
    found = {}
    for name, value in pairs:
        found[name.lower()] = (name, value)
    return found


def _validate_esx_like(spec, pairs, field):
    driver = spec["driver"]
    allowed = _HYPERV_PARAMS if driver == "hyperv" else _ESX_PARAMS
    for name, value in pairs:
        pfield = "%sparams.%s" % (field, name)
        lname = name.lower()
        if lname not in allowed:
            raise SpecError(pfield, value, "one of the %s parameters %s (libvirt ignores "
                            "others with a warning)" % (driver, ", ".join(allowed)))
        allowed[lname](pfield, value, driver)


def validate_connection(spec, pairs, field=""):
    """Apply libvirt's open-time checks to a connection (contract mapping + ordered params).

    ``spec`` has driver, transport (lower-case or None), host, path; ``pairs`` is the ordered
    list of (name, value) query parameters.
    """
    prefix = field + "." if field else ""
    driver, transport = spec["driver"], spec.get("transport")
    host = spec.get("host")
    if driver not in _DRIVER_PATHS:
        raise SpecError(prefix + "driver", driver, "a libvirt driver: %s (case-sensitive; "
                        "libvirt matches schemes with STREQ)" % ", ".join(KNOWN_DRIVERS))
    if transport is not None and transport not in TRANSPORTS:
        raise SpecError(prefix + "transport", transport, "one of %s (libvirt says "
                        "'remote_open: transport in URL not recognised (should be %s)')"
                        % ("|".join(TRANSPORTS), "|".join(TRANSPORTS)))
    if driver in _MISSING_SLASH_DRIVERS and transport is None and host in ("system", "session"):
        # libvirt.c: virConnectCheckURIMissingSlash quotes the whole URI; here it is written
        # back from its parts, the query as virURIFormatParams escapes it
        shown = "%s://%s%s" % (driver, host, spec.get("path") or "")
        if pairs:
            shown += "?" + format_query_params([(name, str(value)) for name, value in pairs])
        raise SpecError(prefix + "host", host, "a host name; libvirt says 'invalid URI "
                        "%s (maybe you want %s:///%s)': did you mean %s:///%s?"
                        % (shown, driver, host, driver, host))
    if driver in _REMOTE_ONLY:
        if transport is not None:
            raise SpecError(prefix + "transport", transport, "no +transport for %s (the %s "
                            "driver connects itself; use the transport=http|https parameter)"
                            % (driver, driver))
        if not host:
            raise SpecError(prefix + "host", host, "a server for %s (libvirt says 'URI is "
                            "missing the server part')" % driver)
        _check_path(spec, prefix)
        _validate_esx_like(spec, pairs, prefix)
        return
    _check_path(spec, prefix)
    if spec.get("path") == "/embed":
        root = _last(pairs).get("root")
        if driver != "qemu" or host or transport:
            raise SpecError(prefix + "path", "/embed", "/embed only in a local qemu:///embed "
                            "URI (no host, no transport)")
        if root is None or not root[1].startswith("/"):
            raise SpecError(prefix + "params.root", root[1] if root else None,
                            "an absolute directory: qemu:///embed needs root=/abs/dir")
    eff = effective_transport(spec)
    if eff == "unix" and host:
        raise SpecError(prefix + "host", host, "no host with +unix (libvirt says 'using unix "
                        "socket and remote server '%s' is not supported.'); drop the host or "
                        "use +ssh" % host)
    last = _last(pairs)
    for lname, (name, value) in sorted(last.items()):
        if lname in REMOTE_PARAMS:  # others are passed through to the daemon's driver (doRemoteOpen)
            REMOTE_PARAMS[lname][1]("%sparams.%s" % (prefix, name), value, lname)
    for name, broken, accepted in _ACROSS:
        if broken(last, eff):
            raise SpecError(prefix + "params." + name, last[name][1] if name in last else None, accepted(last, eff))
