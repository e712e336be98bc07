# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks libvirt makes when it opens a connection URI (libvirt src/libvirt.c:
virConnectOpenInternal, virConnectCheckURIMissingSlash; src/driver.c: virConnectValidateURIPath;
src/remote/remote_driver.c: doRemoteOpen, doRemoteOpenExtractURIArgs).

One function, ``validate_connection``, applies them to the contract mapping
(``{driver, transport, user, host, port, path, params}``) in the order libvirt does, with
libvirt's own wording so that an error here reads like the one ``virsh -c`` would print.
"""

from __future__ import annotations

import re

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

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

# src/remote/remote_driver.c: doRemoteOpenExtractURIArgs: name -> transports that use it
# (None: every one).
# A parameter the transport does not use is ignored, not an error: libvirt 9.0 and 11.3 open
# test:///default?no_tty=1 and qemu+tls://h/system?keyfile=/x alike (the live version tests).
REMOTE_PARAMS = {
    "name": None,
    "command": ("ssh", "ext"),
    "socket": ("unix",) + _SSH_FAMILY,
    "netcat": _SSH_FAMILY,
    "keyfile": _SSH_FAMILY,
    "known_hosts": ("libssh", "libssh2"),
    "known_hosts_verify": ("libssh", "libssh2"),
    "sshauth": ("libssh", "libssh2"),
    "mode": ("unix",) + _SSH_FAMILY,
    "proxy": _SSH_FAMILY,
    "pkipath": ("tls",),
    "tls_priority": ("tls",),
    "no_verify": ("tls", "ssh"),
    "no_tty": ("ssh",),
    "no_sanity": ("tls",),
    "auth": None,
    "authfile": None,
}

# esx_util.c / hyperv_util.c: the query parameters of the client-side drivers.
_ESX_PARAMS = ("transport", "vcenter", "no_verify", "auto_answer", "proxy")
_HYPERV_PARAMS = ("transport",)
_STRTOL_INT = re.compile(r"^[ \t\n\v\f\r]*[+-]?[0-9]+$")


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


# doRemoteOpenExtractURIArgs and its users: the value rule of each remote parameter, with
# libvirt's own error (remote_driver.c, virnetlibsshsession.c, remote_sockets.c).
_VALUE_CHECKS = {
    "no_verify": _check_int_param, "no_tty": _check_int_param, "no_sanity": _check_int_param,
    "known_hosts_verify": _choice(("normal", "auto", "ignore"),
                                  "'Invalid host key verification method: '%s''", fold=True),
    "sshauth": _check_sshauth,
    "mode": _choice(("auto", "legacy", "direct"), "'Unknown remote mode '%s''"),
    "proxy": _choice(("auto", "netcat", "native"), "'Unnkown proxy type '%s''"),
    "auth": _check_auth,
    "command": _check_path_value, "socket": _check_path_value, "netcat": _check_path_value,
    "keyfile": _check_path_value, "known_hosts": _check_path_value, "pkipath": _check_path_value,
    "authfile": _check_path_value,
}


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
        if lname == "transport" and value not in ("http", "https"):
            raise SpecError(pfield, value, "http or https (libvirt says \"Query parameter "
                            "'transport' has unexpected value '%s' (should be http|https)\")"
                            % value)
        if lname in ("no_verify", "auto_answer") and value not in ("0", "1"):
            raise SpecError(pfield, value, "0 or 1 (libvirt says \"Query parameter '%s' has "
                            "unexpected value '%s' (should be 0 or 1)\")" % (lname, value))
        if lname == "proxy":
            m = re.match(r"^(?:([a-z0-9]+)://)?[^:/]+(?::[0-9]+)?$", value)
            if not m or (m.group(1) or "http") not in ("http", "socks", "socks4", "socks4a", "socks5"):
                raise SpecError(pfield, value, "[http|socks|socks4|socks4a|socks5://]host"
                                "[:port]")
        if lname == "vcenter" and driver != "esx":
            raise SpecError(pfield, value, "vcenter only with esx://")


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
        raise SpecError(prefix + "host", host, "a host name; libvirt says 'invalid URI "
                        "%s://%s (maybe you want %s:///%s)': did you mean %s:///%s?"
                        % (driver, host, driver, host, driver, host))
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
        pfield = "%sparams.%s" % (prefix, name)
        if lname not in REMOTE_PARAMS:
            continue  # passed through to the daemon's driver (doRemoteOpen)
        _VALUE_CHECKS.get(lname, _no_check)(pfield, value, lname)
    if "mode" in last and last["mode"][1] == "direct" and eff != "unix":
        raise SpecError(prefix + "params.mode", "direct", "auto or legacy with %s (libvirt "
                        "says 'Cannot use direct socket mode for %s transport')" % (eff, eff))
    if "proxy" in last and last["proxy"][1] == "native" and "netcat" in last:
        raise SpecError(prefix + "params.netcat", last["netcat"][1], "no netcat with "
                        "proxy=native (libvirt says 'netcat path not valid with native proxy "
                        "mode')")
    if eff in ("libssh", "libssh2") and "sshauth" in last and "keyfile" not in last and \
            "privkey" in last["sshauth"][1].lower().split(","):
        # virnetlibsshsession.c / virnetsshsession.c: virNet*SessionAuthAddPrivKeyAuth.
        raise SpecError(prefix + "params.sshauth", last["sshauth"][1], "a keyfile with sshauth=privkey "
                        "over %s (libvirt says 'Key file path must be provided for private key "
                        "authentication'); add keyfile=PATH or drop privkey" % eff)
    if eff == "ext" and "command" not in last:
        raise SpecError(prefix + "params.command", None, "a command for the ext transport "
                        "(libvirt says \"remote_open: for 'ext' transport, command is "
                        "required\")")
