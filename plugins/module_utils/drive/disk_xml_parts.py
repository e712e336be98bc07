# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the protocols share to write their part of a libvirt <disk> (disk_xml.py writes the rest).

Each protocol owns its <source> children (drive/protocol.py: disk_source, disk_unexpressible); the
names libvirt's domain schema allows and the <auth> element they have in common are here.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Optional

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

__all__ = ["DiskXml", "XML_BAD", "GENERIC_NAME_RE", "auth_element", "secret_auth"]

# XML 1.0 cannot carry these at all, even escaped.
XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# libvirt's domain schema (virt-xml-validate): <auth username> is genericName, <secret usage> is
# objectName (basictypes.rng).
GENERIC_NAME_RE = re.compile(r"^[a-zA-Z0-9_+\-]+\Z")
_OBJECT_NAME_RE = re.compile(r"^[^/\n]+\Z")
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\Z")


@dataclass(frozen=True)
class DiskXml:
    """The libvirt_disk_xml arguments a protocol's <source> depends on."""
    libvirt_version: tuple
    secret_usage: Optional[str] = None
    secret_uuid: Optional[str] = None
    ssh_keyfile: Optional[str] = None
    ssh_agent_socket: Optional[str] = None

    @property
    def has_secret(self):
        return self.secret_usage is not None or self.secret_uuid is not None


def auth_element(source, user, kind, secret_usage, secret_uuid):
    """<auth username><secret type=iscsi|ceph uuid|usage/></auth> (domaincommon.rng diskAuth)."""
    auth = ET.SubElement(source, "auth", {"username": user})
    if secret_uuid is not None:
        if not isinstance(secret_uuid, str) or not _UUID_RE.match(secret_uuid):
            raise SpecError("secret_uuid", secret_uuid, "expected a UUID")
        ET.SubElement(auth, "secret", {"type": kind, "uuid": secret_uuid})
    else:
        if not isinstance(secret_usage, str) or not _OBJECT_NAME_RE.match(secret_usage) \
                or XML_BAD.search(secret_usage):
            raise SpecError("secret_usage", secret_usage, "expected a non-empty usage name without '/' "
                            "or newlines (libvirt's objectName)")
        ET.SubElement(auth, "secret", {"type": kind, "usage": secret_usage})


def secret_auth(spec, source, disk, what):
    """<auth> whose password is in a libvirt secret of type 'iscsi' (iSCSI CHAP; curl's too)."""
    if spec.get("credentials") in ("env", "inline"):
        raise SpecError("credentials", spec["credentials"], "libvirt takes the password of %s only from "
                        "a libvirt secret: use credentials 'secret' with secret_usage or secret_uuid" % what)
    if (disk.secret_usage is None) == (disk.secret_uuid is None):
        raise SpecError("secret_usage", disk.secret_usage, "%s in libvirt XML needs exactly one of "
                        "secret_usage or secret_uuid (the libvirt secret holding the password)" % what)
    if not GENERIC_NAME_RE.match(spec["user"]):
        raise SpecError("user", spec["user"], "libvirt's domain schema allows only letters, digits, '_', "
                        "'+' and '-' in the user name of %s" % what)
    auth_element(source, spec["user"], "iscsi", disk.secret_usage, disk.secret_uuid)
