# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real libvirt parsers of each generation, called through ctypes.

virURIParse, virURIFormat and virConfReadString are private but exported from libvirt.so.0
(LIBVIRT_PRIVATE_9.0.0 on the host, LIBVIRT_PRIVATE_11.3.0 in the trixie root).

``for_generation(gen)`` (also ``gen.libvirt()``) returns an oracle with

* ``uri_parse(text)``       the fields of virURIParse (scheme, server, user, port, path, query,
                            fragment, params, formatted = virURIFormat), or None if it fails;
* ``uri_fields(text)``      the same without ``query``, ``fragment`` and ``formatted``: no
                            virURIFormat, which aborts the process on a URI over 1 MiB;
* ``conf_read(text, keys)`` {key: value} as virConfReadString reads ``text`` (strings, string
                            lists, ``"<integer>"``), or None if libvirt cannot parse it;
* ``conf_keys(text)``       every key libvirt reads from ``text`` (virConfWalk), or None;
* ``conf_error(text)``      the message virConfReadString fails with on ``text``
                            (virGetLastErrorMessage), or None when libvirt reads it;
* ``disk_name(index, prefix)`` / ``disk_index(name)``  virIndexToDiskName / virDiskNameToIndex.

The host's libvirt is loaded into this process. The trixie root's libvirt.so.0 needs trixie's
glibc, so it cannot be loaded here: this very file runs as a worker under the root's own
python3 (``hack/trixie-root`` installs it), answering JSON lines on stdin/stdout. Strings cross
as JSON with lone surrogates kept, and both sides encode with surrogateescape, so the bytes
libvirt gets are the same either way.

struct _virURI (src/util/viruri.h) is identical in 9.0 and 11.3: scheme, server, user,
``unsigned int port``, path, query, fragment, paramsCount, paramsAlloc, params; virURIParam is
name, value, ``bool ignore``.

The older interface stays: ``load()`` (the host's library), ``uri_parse(lib, text)`` and
``conf_read(lib, text, keys)`` -- which also accept an oracle from ``for_generation``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import subprocess
import sys
import threading


class _Param(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("value", ctypes.c_char_p), ("ignore", ctypes.c_bool)]


class _URI(ctypes.Structure):
    _fields_ = [("scheme", ctypes.c_char_p), ("server", ctypes.c_char_p),
                ("user", ctypes.c_char_p), ("port", ctypes.c_uint),
                ("path", ctypes.c_char_p), ("query", ctypes.c_char_p),
                ("fragment", ctypes.c_char_p), ("paramsCount", ctypes.c_size_t),
                ("paramsAlloc", ctypes.c_size_t), ("params", ctypes.POINTER(_Param))]


def load():
    """The libvirt.so.0 of the running Python's system, with the prototypes set."""
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
    lib.virGetLastErrorMessage.restype = ctypes.c_char_p
    lib.virGetLastErrorMessage.argtypes = []
    return lib


def _s(raw):
    return None if raw is None else raw.decode("utf-8", "surrogateescape")


def uri_parse(lib, text, formatted=True):
    """The fields libvirt parses, or None when virURIParse fails."""
    if hasattr(lib, "uri_parse"):
        return lib.uri_parse(text) if formatted else lib.uri_fields(text)
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
    if formatted:
        text = lib.virURIFormat(ptr)
        fields["formatted"] = _s(ctypes.string_at(text)) if text else None
    else:
        del fields["query"], fields["fragment"]
    lib.virURIFree(ptr)
    return fields


_WALK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p)


def conf_keys(lib, text):
    """Every key libvirt reads from ``text`` (virConfWalk), or None when it does not parse."""
    if hasattr(lib, "conf_keys"):
        return lib.conf_keys(text)
    lib.virConfWalk.argtypes = [ctypes.c_void_p, _WALK, ctypes.c_void_p]
    conf = lib.virConfReadString(text.encode("utf-8", "surrogateescape"), 0)
    if not conf:
        lib.virResetLastError()
        return None
    keys = []
    callback = _WALK(lambda name, value, opaque: keys.append(_s(name)) or 0)
    lib.virConfWalk(conf, callback, None)
    lib.virConfFree(conf)
    return keys


def conf_error(lib, text):
    """libvirt's message when virConfReadString refuses ``text``, or None when it reads it."""
    if hasattr(lib, "conf_error"):
        return lib.conf_error(text)
    conf = lib.virConfReadString(text.encode("utf-8", "surrogateescape"), 0)
    if conf:
        lib.virConfFree(conf)
        return None
    message = _s(lib.virGetLastErrorMessage())
    lib.virResetLastError()
    return message


VIR_CONF_LLONG, VIR_CONF_ULLONG, VIR_CONF_STRING, VIR_CONF_LIST = 1, 2, 3, 4


def conf_read(lib, text, keys):
    """{key: value} as libvirt reads ``text`` (strings and string lists), or None on error."""
    if hasattr(lib, "conf_read"):
        return lib.conf_read(text, keys)
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


def disk_name(lib, index, prefix):
    """virIndexToDiskName(index, prefix): 'vda' for (0, 'vd')."""
    lib.virIndexToDiskName.restype = ctypes.c_void_p
    lib.virIndexToDiskName.argtypes = [ctypes.c_uint, ctypes.c_char_p]
    raw = lib.virIndexToDiskName(index, prefix.encode())
    return _s(ctypes.string_at(raw))  # a few bytes leaked per call: fine for a test process


def disk_index(lib, name):
    """virDiskNameToIndex(name): 0 for 'vda', -1 when libvirt reads no disk name."""
    lib.virDiskNameToIndex.restype = ctypes.c_int
    lib.virDiskNameToIndex.argtypes = [ctypes.c_char_p]
    return lib.virDiskNameToIndex(name.encode("utf-8", "surrogateescape"))


class InProcess:
    """The host's libvirt, loaded into this process."""

    def __init__(self, generation=None):
        self.generation = generation
        self.lib = load()
        self.lib.virInitialize()

    def uri_parse(self, text):
        return uri_parse(self.lib, text)

    def uri_fields(self, text):
        return uri_parse(self.lib, text, formatted=False)

    def conf_read(self, text, keys):
        return conf_read(self.lib, text, keys)

    def conf_keys(self, text):
        return conf_keys(self.lib, text)

    def conf_error(self, text):
        return conf_error(self.lib, text)

    def disk_name(self, index, prefix):
        return disk_name(self.lib, index, prefix)

    def disk_index(self, name):
        return disk_index(self.lib, name)

    def close(self):
        """Nothing to stop."""


class Worker:
    """A generation's libvirt in a worker process (this file run by the root's python3)."""

    def __init__(self, generation):
        self.generation = generation
        with open(__file__, encoding="utf-8") as fh:
            source = fh.read()
        self.lock = threading.Lock()
        self.proc = generation.popen(["python3", "-c", source, "--serve"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, encoding="ascii")
        hello = self._call({"op": "hello"})
        if not hello.get("ok"):
            raise RuntimeError("libvirt worker of %s failed: %r" % (generation.name, hello))

    def _call(self, request):
        with self.lock:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("libvirt worker of %s died: %s" % (
                self.generation.name, self.proc.stderr.read()))
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError("libvirt worker of %s: %s" % (self.generation.name, reply["error"]))
        return reply

    def uri_parse(self, text):
        fields = self._call({"op": "uri_parse", "text": text})["result"]
        if fields is not None:
            fields["params"] = [tuple(p) for p in fields["params"]]
        return fields

    def uri_fields(self, text):
        fields = self._call({"op": "uri_fields", "text": text})["result"]
        if fields is not None:
            fields["params"] = [tuple(p) for p in fields["params"]]
        return fields

    def conf_read(self, text, keys):
        return self._call({"op": "conf_read", "text": text, "keys": list(keys)})["result"]

    def conf_keys(self, text):
        return self._call({"op": "conf_keys", "text": text})["result"]

    def conf_error(self, text):
        return self._call({"op": "conf_error", "text": text})["result"]

    def disk_name(self, index, prefix):
        return self._call({"op": "disk_name", "index": index, "prefix": prefix})["result"]

    def disk_index(self, name):
        return self._call({"op": "disk_index", "name": name})["result"]

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


_oracles = {}


def for_generation(generation):
    """The (cached) libvirt parser oracle of ``generation`` (a qemu_oracle.Generation)."""
    oracle = _oracles.get(generation.id)
    if oracle is None or (isinstance(oracle, Worker) and oracle.proc.poll() is not None):
        oracle = Worker(generation) if generation.in_root else InProcess(generation)
        _oracles[generation.id] = oracle
    return oracle


def serve():
    """The worker loop: one JSON request per line on stdin, one reply per line on stdout."""
    lib = load()
    lib.virInitialize()
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["op"] == "hello":
                reply = {"ok": True}
            elif request["op"] == "uri_parse":
                reply = {"result": uri_parse(lib, request["text"])}
            elif request["op"] == "uri_fields":
                reply = {"result": uri_parse(lib, request["text"], formatted=False)}
            elif request["op"] == "disk_name":
                reply = {"result": disk_name(lib, request["index"], request["prefix"])}
            elif request["op"] == "disk_index":
                reply = {"result": disk_index(lib, request["name"])}
            elif request["op"] == "conf_keys":
                reply = {"result": conf_keys(lib, request["text"])}
            elif request["op"] == "conf_error":
                reply = {"result": conf_error(lib, request["text"])}
            elif request["op"] == "conf_read":
                reply = {"result": conf_read(lib, request["text"], request["keys"])}
            else:
                reply = {"error": "unknown op %r" % request["op"]}
        except Exception as exc:  # pylint: disable=broad-except  # reported to the caller
            reply = {"error": repr(exc)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__" and sys.argv[1:] == ["--serve"]:
    serve()
