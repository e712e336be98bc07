# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real libvirt parsers, called through ctypes (spec C: probe/virprobe.py does the same).

virURIParse, virURIFormat and virConfReadString are private but exported
(LIBVIRT_PRIVATE_9.0.0) from libvirt.so.0; the struct layout is libvirt 9.0's virURI.
"""

from __future__ import annotations

import ctypes
import ctypes.util


class _Param(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("value", ctypes.c_char_p), ("ignore", ctypes.c_bool)]


class _URI(ctypes.Structure):
    _fields_ = [("scheme", ctypes.c_char_p), ("server", ctypes.c_char_p),
                ("user", ctypes.c_char_p), ("port", ctypes.c_int),
                ("path", ctypes.c_char_p), ("query", ctypes.c_char_p),
                ("fragment", ctypes.c_char_p), ("paramsCount", ctypes.c_size_t),
                ("paramsAlloc", ctypes.c_size_t), ("params", ctypes.POINTER(_Param))]


def load():
    lib = ctypes.CDLL(ctypes.util.find_library("virt") or "libvirt.so.0")
    lib.virURIParse.restype = ctypes.POINTER(_URI)
    lib.virURIParse.argtypes = [ctypes.c_char_p]
    lib.virURIFormat.restype = ctypes.c_void_p
    lib.virURIFormat.argtypes = [ctypes.POINTER(_URI)]
    lib.virURIFree.argtypes = [ctypes.POINTER(_URI)]
    lib.virConfReadString.restype = ctypes.c_void_p
    lib.virConfReadString.argtypes = [ctypes.c_char_p, ctypes.c_uint]
    lib.virConfGetValueType.restype = ctypes.c_int
    lib.virConfGetValueType.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.virConfGetValueString.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                          ctypes.POINTER(ctypes.c_char_p)]
    lib.virConfGetValueStringList.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_bool,
                                              ctypes.POINTER(ctypes.POINTER(ctypes.c_char_p))]
    lib.virConfFree.argtypes = [ctypes.c_void_p]
    lib.virResetLastError.argtypes = []
    return lib


def _s(raw):
    return None if raw is None else raw.decode("utf-8", "surrogateescape")


def uri_parse(lib, text):
    """The fields libvirt parses, or None when virURIParse fails."""
    ptr = lib.virURIParse(text.encode("utf-8", "surrogateescape"))
    if not ptr:
        lib.virResetLastError()
        return None
    u = ptr.contents
    fields = {
        "scheme": _s(u.scheme), "server": _s(u.server), "user": _s(u.user), "port": u.port,
        "path": _s(u.path), "query": _s(u.query), "fragment": _s(u.fragment),
        "params": [(_s(u.params[k].name), _s(u.params[k].value))
                   for k in range(u.paramsCount)],
    }
    formatted = lib.virURIFormat(ptr)
    fields["formatted"] = _s(ctypes.string_at(formatted)) if formatted else None
    lib.virURIFree(ptr)
    return fields


VIR_CONF_LLONG, VIR_CONF_ULLONG, VIR_CONF_STRING, VIR_CONF_LIST = 1, 2, 3, 4


def conf_read(lib, text, keys):
    """{key: value} as libvirt reads ``text`` (strings and string lists), or None on error."""
    conf = lib.virConfReadString(text.encode("utf-8", "surrogateescape"), 0)
    if not conf:
        lib.virResetLastError()
        return None
    out = {}
    for key in keys:
        bkey = key.encode()
        kind = lib.virConfGetValueType(conf, bkey)
        if kind == VIR_CONF_STRING:
            value = ctypes.c_char_p()
            lib.virConfGetValueString(conf, bkey, ctypes.byref(value))
            out[key] = _s(value.value)
        elif kind == VIR_CONF_LIST:
            arr = ctypes.POINTER(ctypes.c_char_p)()
            if lib.virConfGetValueStringList(conf, bkey, False, ctypes.byref(arr)) < 0:
                lib.virResetLastError()
                out[key] = "<not a string list>"
                continue
            items, k = [], 0
            while arr and arr[k] is not None:
                items.append(_s(arr[k]))
                k += 1
            out[key] = items
        elif kind in (VIR_CONF_LLONG, VIR_CONF_ULLONG):
            out[key] = "<integer>"
        else:
            out[key] = None
    lib.virConfFree(conf)
    return out
