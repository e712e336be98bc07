# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP, HTTPS, FTP, FTPS through QEMU's curl driver (block/curl.c: curl_parse_filename,
curl_open): read-only images by URL."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive import options as opt
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.credentials import normalize_credentials
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import (
    check_keys, need_int, need_str,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.servers import host_port, normalize_servers
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.uri_text import (
    quote_path, quote_userinfo, split_uri, unquote_strict,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.protocol import Protocol
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml_parts import secret_auth

SCHEMES = ("http", "https", "ftp", "ftps")
DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21, "ftps": 990}
KEYS = {"protocol", "server", "servers", "path", "user", "password", "password_secret",
        "credentials", "options"}
READ_ONLY = True  # 'curl driver does not support writes': -blockdev needs read-only
TIMEOUT_MAX = 10000  # CURL_TIMEOUT_MAX
_QUERY_RE = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$")
_COOKIE_RE = re.compile(r"^[^\x00-\x1f\x7f]*$")


def _readahead(value, field):
    size = opt.parse_size(value, field)
    if size <= 0 or size % 512:
        raise SpecError(field, value, "must be a positive multiple of 512 bytes (HTTP_READAHEAD_SIZE)")
    return size


def _timeout(value, field):
    return need_int(value, field, 0, TIMEOUT_MAX)


def _cookie(value, field):
    text = need_str(value, field)
    if not _COOKIE_RE.match(text):
        raise SpecError(field, value, "control characters cannot be sent in a cookie header", secret=True)
    return text


OPTIONS = {
    "readahead": _readahead, "timeout": _timeout, "sslverify": opt.as_bool, "cookie": _cookie,
    "cookie_secret": opt.need_object_id, "proxy_username": opt.as_str,
    "proxy_password_secret": opt.need_object_id,
}
# QAPI BlockdevOptionsCurlHttp/Https/Ftp/Ftps: which options each driver takes.
_ONLY_FOR = {"sslverify": ("https", "ftps"), "cookie": ("http", "https"), "cookie_secret": ("http", "https")}


def normalize(spec, version):
    check_keys(spec, "", KEYS)
    protocol = spec["protocol"]
    servers = normalize_servers(spec, DEFAULT_PORTS[protocol])
    if "path" not in spec:
        raise SpecError("path", None, "required: the absolute path on the server (may end in ?query)")
    path = need_str(spec["path"], "path")
    if not path.startswith("/"):
        raise SpecError("path", path, "expected an absolute path starting with '/'")
    base, sep, query = path.partition("?")
    if "#" in path or not _QUERY_RE.match(query):
        raise SpecError("path", path, "the query string may hold only URI query characters and %XX escapes "
                        "(no spaces, '#' or other characters; escape them as %XX)")
    out = {"protocol": protocol, "servers": servers, "path": path}
    out.update(normalize_credentials(spec, ("secret", "inline"), user_required_with_secret=False,
                                     password_optional=True))
    options = opt.normalize_options(spec, OPTIONS)
    for name, protocols in _ONLY_FOR.items():
        if name in options and protocol not in protocols:
            raise SpecError("options." + name, options[name], "only for %s (QEMU's %s driver has no %s)"
                            % (" and ".join(protocols), protocol, name), secret=name == "cookie")
    if "cookie" in options and out.get("credentials") != "inline":
        # A cookie is a secret: written in clear only when asked for, like a password.
        raise SpecError("options.cookie", options["cookie"], "a plain cookie is rendered only with "
                        "credentials 'inline'; by default give cookie_secret (the id of a QEMU secret "
                        "object holding the cookie)", secret=True)
    if "cookie" in options and "cookie_secret" in options:
        raise SpecError("options.cookie_secret", options["cookie_secret"],
                        "curl driver cannot handle both cookie and cookie secret: give one")
    if options.get("sslverify") is True:
        del options["sslverify"]  # the default
    if options:
        out["options"] = options
    return out


def url(spec, with_password):
    """The URL libcurl gets; credentials only when inline was asked for."""
    server = spec["servers"][0]
    auth = ""
    if "user" in spec and (with_password or "password_secret" not in spec):
        auth = quote_userinfo(spec["user"])
        if spec.get("credentials") == "inline":
            auth += ":" + quote_userinfo(spec["password"])
        auth += "@"
    base, sep, query = spec["path"].partition("?")
    return "%s://%s%s%s%s%s" % (spec["protocol"], auth, host_port(server, DEFAULT_PORTS[spec["protocol"]]),
                                quote_path(base), sep, query)


def uri(spec, version, omit=False):
    dropped = list(spec.get("options", {}))
    if "password_secret" in spec:
        dropped += ["user", "password_secret"]
    if dropped and not omit:
        raise opt.unexpressible(dropped, "URL", spec["protocol"])
    # omitted, a password_secret takes its user along (url() leaves that user out without the password)
    return url(spec, with_password="password_secret" not in spec)


def blockdev(spec, version):
    node = {"driver": spec["protocol"], "url": url(spec, with_password=False)}
    if "password_secret" in spec:
        if "user" in spec:
            node["username"] = spec["user"]
        node["password-secret"] = spec["password_secret"]
    elif spec.get("credentials") == "inline":
        node["url"] = url(spec, with_password=True)
    for name, value in spec.get("options", {}).items():
        node[name.replace("_", "-")] = value
    return node


# Options each <source protocol=...> can carry (libvirt 9.0 domaincommon.rng).
XML_OPTIONS = {
    "http": {"readahead", "timeout", "cookie"},
    "https": {"readahead", "timeout", "cookie", "sslverify"},
    "ftp": {"readahead", "timeout"},
    "ftps": {"readahead", "timeout", "sslverify"},
}


def disk_unexpressible(spec, disk):
    dropped = set(spec.get("options", {})) - XML_OPTIONS[spec["protocol"]]
    creds = {key for key in ("user", "password", "password_secret") if key in spec}
    if creds and not ("user" in spec and disk.has_secret):
        dropped |= creds  # <auth username=> needs the password in a libvirt secret
    return dropped


def disk_source(spec, source, host_el, disk):
    base, sep, query = spec["path"].partition("?")
    source.set("protocol", spec["protocol"])
    source.set("name", base)
    if sep:
        source.set("query", query)
    host_el(spec["servers"][0])
    options = spec.get("options", {})
    if "user" in spec and disk.has_secret:
        # curl's <auth> takes a secret of type 'iscsi' too (validated by libvirt 9.0 and 11.3).
        secret_auth(spec, source, disk, "a %s user" % spec["protocol"])
    if "sslverify" in options:
        ET.SubElement(source, "ssl", {"verify": "yes" if options["sslverify"] else "no"})
    if "cookie" in options:
        cookies = ET.SubElement(source, "cookies")
        for part in options["cookie"].split(";"):
            if not part.strip():
                continue
            name, sep, value = part.strip().partition("=")
            if not sep or not name:
                raise SpecError("options.cookie", options["cookie"], "libvirt needs 'name=value; ...' cookies",
                                secret=True)
            ET.SubElement(cookies, "cookie", {"name": name}).text = value
    if "readahead" in options:
        ET.SubElement(source, "readahead", {"size": str(options["readahead"])})
    if "timeout" in options:
        ET.SubElement(source, "timeout", {"seconds": str(options["timeout"])})


def from_uri(parts, text):
    if not parts["host"]:
        raise SpecError("uri", text, "expected %s://[user[:password]@]host[:port]/path" % parts["scheme"])
    spec = {"protocol": parts["scheme"],
            "server": {"host": parts["host"], "port": parts["port"] or DEFAULT_PORTS[parts["scheme"]]},
            "path": unquote_strict(parts["path"] or "/", "path")}
    if parts["query"] is not None:
        spec["path"] += "?" + parts["query"]
    if parts["userinfo"] is not None:
        user, sep, password = parts["userinfo"].partition(":")
        spec["user"] = unquote_strict(user, "user")
        if sep:
            spec.update(password=unquote_strict(password, "password", secret=True), credentials="inline")
    return spec


def from_blockdev(node):
    """A curl node back to a spec: the url as block/curl.c hands it to libcurl, then the options."""
    driver = node.driver
    url_text = node.text("url", required="curl block driver requires an 'url' option")
    if not url_text.startswith(driver + "://"):
        raise SpecError(node.where("url"), url_text, "%s curl driver cannot handle the URL '%s' (does not start "
                        "with '%s://')" % (driver, url_text, driver))
    try:
        spec = from_uri(split_uri(url_text, node.where("url")), url_text)
    except SpecError as exc:
        if exc.field == "uri":  # from_uri names the whole URL 'uri'; here it is the node's url
            raise exc.rename(node.where("url")) from None
        raise
    user, secret = node.text("username"), node.text("password-secret")
    if user is not None:
        spec["user"] = user
    if secret is not None:
        spec["password_secret"] = secret
    options = {}
    for name in ("cookie", "cookie_secret", "proxy_username", "proxy_password_secret"):
        value = node.text(name.replace("_", "-"))
        if value is not None:
            options[name] = value
    if "cookie" in options:
        spec["credentials"] = "inline"  # a plain cookie in the input stays a plain cookie
    readahead = node.integer("readahead") if node.strict else node.text("readahead")
    if readahead is not None:
        options["readahead"] = readahead  # -drive takes a size ('64k'), QAPI an integer
    timeout = node.integer("timeout")
    if timeout is not None:
        options["timeout"] = timeout
    sslverify = node.boolean("sslverify")
    if sslverify is not None:
        options["sslverify"] = sslverify
    if options:
        spec["options"] = options
    return spec


def _disk_options(source):
    """<ssl verify>, <cookies><cookie name>VALUE</cookie>, <readahead size>, <timeout seconds>: the
    children disk_source writes (whether this scheme takes each is normalize's rule, _ONLY_FOR)."""
    options = {}
    ssl = source.find("ssl")
    if ssl is not None:
        options["sslverify"] = ssl.get("verify") != "no"
    cookies = source.find("cookies")
    if cookies is not None:
        options["cookie"] = "; ".join("%s=%s" % (c.get("name"), c.text or "") for c in cookies.findall("cookie"))
    for tag, attr, key in (("readahead", "size", "readahead"), ("timeout", "seconds", "timeout")):
        child = source.find(tag)
        if child is not None:
            options[key] = child.get(attr)
    return options


def from_disk_source(source, servers):
    """<source protocol='http' name='/PATH' query='Q'> with the children of _disk_options."""
    options = _disk_options(source)
    path = source.get("name") or ""
    if not path.startswith("/"):
        path = "/" + path  # libvirt stores the path without the leading '/' in some inputs
    if source.get("query") is not None:
        path += "?" + source.get("query")
    spec = {"protocol": source.get("protocol"), "servers": servers, "path": path}
    if "cookie" in options:
        spec["credentials"] = "inline"
    if options:
        spec["options"] = options
    return spec


PROTOCOL = Protocol(
    names=("http", "https", "ftp", "ftps"), schemes=SCHEMES, keys=frozenset(KEYS), normalize=normalize,
    uri=uri, blockdev=blockdev, disk_source=disk_source, disk_unexpressible=disk_unexpressible, from_uri=from_uri, from_blockdev=from_blockdev,
    from_disk_source=from_disk_source, options=OPTIONS, read_only=READ_ONLY,
    disk_children=("auth", "ssl", "cookies", "readahead", "timeout"),
)
