# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which module handles which protocol name and which URI scheme."""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.protocols import (
    curl, gluster, iscsi, nbd, sheepdog, ssh,
)

PROTOCOLS = {
    "iscsi": iscsi, "nbd": nbd, "ssh": ssh, "sheepdog": sheepdog, "gluster": gluster,
    "http": curl, "https": curl, "ftp": curl, "ftps": curl,
}
SCHEMES = {scheme: module for module in set(PROTOCOLS.values()) for scheme in module.SCHEMES}
