# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The protocol contract: what each module in drive/protocols/ provides, declared as its PROTOCOL.

The renderers (render.py, disk_xml.py), the readers (parse.py, parse_tree.py, parse_disk_xml.py)
and the registry (registry.py) use a protocol only through this declaration, never by probing the
module for a function. A missing or misnamed part fails when the module is imported.

Required (``norm`` is the normalized spec, ``raw`` a spec normalize() accepts):

    names             spec ``protocol`` values the module handles ('nbd'; curl's http ... ftps)
    schemes           filename prefixes from_uri reads (bdrv_find_protocol: before the first ':')
    keys              the spec keys it accepts (KEYS)
    normalize(raw, version) -> norm
    uri(norm, version, omit) -> URI text
    blockdev(norm, version) -> the QAPI protocol node
    disk_source(norm, source, host_el, disk) -> fills libvirt's <source protocol=...> element
                      and all of its children; host_el(server) writes one <host>, ``disk`` holds the
                      libvirt_disk_xml arguments it may need (disk_xml_parts.DiskXml: the libvirt
                      version, the libvirt secret, the ssh key)
    disk_unexpressible(norm, disk) -> the spec keys and options that <source> cannot carry
    from_uri(parts, text) -> raw        (parts: uri_text.split_uri)
    from_blockdev(node) -> raw          (node: node_reader.NodeReader)
    from_disk_source(source, servers) -> raw   (parse_disk_xml.py; servers: its <host> children)
                      reads the <source> attributes and the children named in disk_children

Optional:

    options           {option name: check} of the spec's ``options`` (drive/options.py)
    legacy(norm, version, omit) -> the legacy filename (nbd:, sheepdog:, rbd:); None: no legacy form
    from_legacy(text) -> raw for a filename without '://' (nbd:, sheepdog:); None: from_uri reads it
    read_only         the driver cannot write (curl): -blockdev and disk XML say read-only
    disk_children     the <source> children from_disk_source reads besides <host> (parse_disk_xml.py
                      refuses any other; 'auth' is read by parse_disk_xml.py into spec user and layer)
    disk_since        the libvirt version gate (libvirt/versions.py) of its network disk; None: any
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Optional

__all__ = ["Protocol"]


@dataclass(frozen=True)
class Protocol:  # pylint: disable=too-many-instance-attributes
    names: tuple
    schemes: tuple
    keys: frozenset
    normalize: Callable
    uri: Callable
    blockdev: Callable
    disk_source: Callable
    disk_unexpressible: Callable
    from_uri: Callable
    from_blockdev: Callable
    from_disk_source: Callable
    options: Mapping = field(default_factory=dict)
    legacy: Optional[Callable] = None
    from_legacy: Optional[Callable] = None
    read_only: bool = False
    disk_children: tuple = ()
    disk_since: Optional[str] = None

    def __post_init__(self):
        if not isinstance(self.disk_children, tuple) or not all(isinstance(v, str) for v in self.disk_children):
            raise TypeError("Protocol.disk_children: a tuple of strings, not %r" % (self.disk_children,))
        for attr in ("names", "schemes"):
            value = getattr(self, attr)
            if not isinstance(value, tuple) or not value or not all(isinstance(v, str) for v in value):
                raise TypeError("Protocol.%s: a non-empty tuple of strings, not %r" % (attr, value))
        for attr in ("normalize", "uri", "blockdev", "disk_source", "disk_unexpressible", "from_uri",
                     "from_blockdev", "from_disk_source"):
            if not callable(getattr(self, attr)):
                raise TypeError("Protocol.%s of %s: a function" % (attr, self.names[0]))
        for attr in ("legacy", "from_legacy"):
            if getattr(self, attr) is not None and not callable(getattr(self, attr)):
                raise TypeError("Protocol.%s of %s: a function or None" % (attr, self.names[0]))
