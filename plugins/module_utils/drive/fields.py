# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validation of the scalar fields every protocol shares: strings, integers, hosts, ports, paths.

Each check returns the normalized value or raises SpecError naming the field.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

__all__ = [
    "need_mapping", "need_str", "need_int", "need_bool", "check_keys",
    "check_qemu_host", "check_port", "check_socket_path", "is_ipv6", "host_in_uri", "is_decimal",
]

# RFC 1123 host names (underscore tolerated, as resolvers do).
_HOSTNAME_RE = re.compile(r"^(?=.{1,253}\Z)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
                          r"(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?\Z")
# QEMU reads numbers with ASCII digits only: qemu_strtoi*/qemu_strtou* (util/cutils.c, strtol
# underneath), URI ports in util/uri.c (ISA_DIGIT) and GLib's g_uri_parse (g_ascii_isdigit).
# Python's str.isdigit() and a regex \d also take other scripts' digits ('\u0661\u0660' reads as
# 10) and superscripts ('\u00b2', which int() refuses): every number of a drive is read as [0-9].
_DECIMAL_RE = re.compile(r"[0-9]+\Z")
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


def _kind(value):
    """The plain type name of a value; Ansible passes str/dict/list subclasses (data tagging)
    whose class names (e.g. _AnsibleTaggedStr) mean nothing to the user."""
    if value is None:
        return "null"
    for base in (bool, int, float, str, dict, list, tuple):
        if isinstance(value, base):
            return base.__name__
    return type(value).__name__


def need_mapping(value, field):
    if not hasattr(value, "keys") or not hasattr(value, "get"):
        raise SpecError(field, value, "expected a mapping, got %s" % _kind(value))
    return value


def need_str(value, field, allow_empty=False, secret=False):
    if not isinstance(value, str):
        raise SpecError(field, value, "expected a string, got %s" % _kind(value), secret)
    if not allow_empty and value == "":
        raise SpecError(field, value, "expected a non-empty string", secret)
    if "\x00" in value:
        raise SpecError(field, value, "NUL characters cannot be passed to QEMU", secret)
    return str(value)


def is_decimal(text):
    """True for a string of ASCII digits, the only digits QEMU reads (see _DECIMAL_RE)."""
    return isinstance(text, str) and _DECIMAL_RE.match(text) is not None


def need_int(value, field, minimum=None, maximum=None):
    """An integer, or a string of ASCII decimal digits (as YAML and Jinja often produce)."""
    if isinstance(value, bool):
        raise SpecError(field, value, "expected an integer, got a boolean")
    if isinstance(value, str) and re.match(r"^[+-]?[0-9]{1,20}$", value.strip()):
        value = int(value.strip())
    if isinstance(value, str):
        raise SpecError(field, value, "expected an integer (digits 0-9), got str")
    if not isinstance(value, int):
        raise SpecError(field, value, "expected an integer, got %s" % _kind(value))
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        bounds = "between %s and %s" % (minimum, maximum) if maximum is not None else ">= %s" % minimum
        raise SpecError(field, value, "expected an integer %s" % bounds)
    return value


def need_bool(value, field):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in _TRUE + _FALSE:
        return value.lower() in _TRUE
    raise SpecError(field, value, "expected a boolean (true/false, yes/no, on/off)")


def check_keys(mapping, field, allowed):
    """Refuse keys a protocol does not know, listing those it does."""
    for key in mapping.keys():
        if key not in allowed:
            where = "%s.%s" % (field, key) if field else str(key)
            raise SpecError(where, mapping[key], "unknown key; accepted keys here: %s" % ", ".join(sorted(allowed)),
                            secret=key == "password")


def is_ipv6(host):
    return ":" in host


def check_qemu_host(value, field):
    """QEMU's host rule for a drive server: a DNS name, an IPv4 address or an IPv6 literal
    (without brackets, as in the spec), which QEMU hands to getaddrinfo (util/qemu-sockets.c:
    inet_connect_saddr). Not libvirt's: libvirt/uri.py check_libvirt_uri_host reads a connection
    URI's host, drive/disk_xml.py check_libvirt_schema_host the <host name> of a disk."""
    host = need_str(value, field)
    if host.startswith("[") and host.endswith("]"):
        raise SpecError(field, host, "write IPv6 addresses without brackets (%s); "
                        "brackets are added where a URI needs them" % host[1:-1])
    if ":" in host:
        if "%" in host:
            # Checked before the address: a SpecError is a ValueError, and the except below
            # would replace this explanation with 'not a valid IPv6 address'.
            raise SpecError(field, host, "IPv6 zone ids ('%') cannot be written in QEMU URIs; "
                            "use a global or loopback address")
        try:
            return str(ipaddress.IPv6Address(host))
        except ValueError as exc:
            raise SpecError(field, host, "not a valid IPv6 address") from exc
    if re.match(r"^[0-9.]+$", host):
        try:
            return str(ipaddress.IPv4Address(host))
        except ValueError as exc:
            raise SpecError(field, host, "not a valid IPv4 address") from exc
    if not _HOSTNAME_RE.match(host):
        raise SpecError(field, host, "expected a host name (letters, digits, '-', '.'), "
                        "an IPv4 address or an IPv6 address")
    return host


def check_port(value, field):
    return need_int(value, field, 1, 65535)


def check_socket_path(value, field):
    path = need_str(value, field)
    if not path.startswith("/"):
        raise SpecError(field, path, "expected an absolute socket path starting with '/'")
    if len(path.encode("utf-8")) > 107:
        raise SpecError(field, path, "a Unix socket path is limited to 107 bytes (sun_path)")
    return path


def host_in_uri(host):
    """The host as it appears in a URI authority: IPv6 literals in brackets."""
    return "[%s]" % host if is_ipv6(host) else host
