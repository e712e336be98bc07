# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter adapter: drive spec -> libvirt <disk type='network'> element."""

from __future__ import annotations

DOCUMENTATION = r"""
name: libvirt_disk_xml
short_description: Render a drive spec as a libvirt network disk element
version_added: 1.0.0
author: virt_uri.toolkit developers (@virt-uri)
description:
  - Renders C(<disk type='network'>) with C(<source protocol=... name=...>), one C(<host>) per server
    (C(transport='unix' socket=...) for Unix sockets), and the protocol's extras - iSCSI
    C(<auth>) with a libvirt secret and C(<initiator>), C(<ssl verify>), C(<cookies>),
    C(<readahead>), C(<timeout>), http/https/ftp/ftps C(<auth username=>) with a libvirt secret,
    ssh C(<identity>) (libvirt >= 11.3) and NBD C(<reconnect delay=>) (libvirt >= 9.2); curl disks are C(<readonly/>).
  - All text is XML-escaped; control characters that XML cannot carry are refused.
  - The result validates with C(virt-xml-validate) inside a domain.
extends_documentation_fragment:
  - virt_uri.toolkit.drive_spec
options:
  target_dev:
    description: Guest device name (default - a parsed spec's C(layer.target_dev), else V(vda)).
    type: str
    default: vda
  target_bus:
    description: Guest bus (default - a parsed spec's C(layer.target_bus), else V(virtio)).
    type: str
    default: virtio
    choices: [virtio, scsi, sata, ide, usb, xen, sd, fdc]
  device:
    description: Disk device kind (default - a parsed spec's C(layer.device), else V(disk)).
    type: str
    default: disk
    choices: [disk, cdrom, lun, floppy]
  format:
    description: Image format for C(<driver type=...>) (default - a parsed spec's C(layer.format), else V(raw)).
    type: str
    default: raw
  libvirt_version:
    description:
      - The libvirt version whose domain schema the element must validate against, as V(MAJOR.MINOR[.MICRO]).
      - The default V(11.3) is the newest libvirt the live tests run (Debian trixie's), as O(qemu_version)
        defaults to the newest tested QEMU. With V(9.0) ssh disks and NBD O(_input.options.reconnect_delay)
        are refused, since libvirt 9.0's C(virt-xml-validate) rejects them.
    type: str
    default: '11.3'
  secret_usage:
    description:
      - For iSCSI CHAP and http/https/ftp/ftps users - the usage name of the libvirt secret holding the password.
      - For RBD with cephx - the usage name of the libvirt secret of type C(ceph) holding the key
        (it takes the place of the spec's C(key_secret), a QEMU object id).
    type: str
  secret_uuid:
    description: For iSCSI CHAP, http/https/ftp/ftps users or RBD cephx - the UUID of that libvirt secret (instead of O(secret_usage)).
    type: str
  ssh_keyfile:
    description: For an ssh disk with a user - the private key file (C(<identity keyfile=>)).
    type: str
  ssh_agent_socket:
    description: For an ssh disk with a user - the ssh-agent socket (C(<identity agentsock=>)), instead of O(ssh_keyfile).
    type: str
  read_only:
    description: Add C(<readonly/>) (always set for http, https, ftp, ftps unless V(false)).
    type: bool
  on_unexpressible:
    description:
      - What to do with spec fields the disk XML of O(libvirt_version) cannot carry (for example gluster
        C(debug), iSCSI C(timeout), NBD C(reconnect_delay) before 9.2, a curl C(user) without a libvirt
        secret, ssh C(host_key_check)).
      - V(fail) raises an error naming them; V(omit) leaves them out, knowingly.
      - SSH disks are refused for O(libvirt_version) < 11.3 - libvirt 9.0's schema has no ssh network disk.
    type: str
    default: fail
    choices: [fail, omit]
"""

EXAMPLES = r"""
- name: Disk XML for an iSCSI LUN with CHAP from a libvirt secret
  ansible.builtin.debug:
    msg: "{{ lun | virt_uri.toolkit.libvirt_disk_xml(secret_usage='libvirtiscsi', target_dev='sdb', target_bus='scsi') }}"
  vars:
    lun: {protocol: iscsi, server: {host: 192.0.2.1}, target: 'iqn.2001-04.com.example:storage', lun: 1,
          user: chapuser, password_secret: unused-by-libvirt}
"""

RETURN = r"""
_value:
  description: The C(<disk>) element as text.
  type: str
  sample: |-
    <disk type="network" device="disk">
      <driver name="qemu" type="raw" />
      <source protocol="nbd" name="disk one">
        <host name="192.0.2.1" port="10809" />
      </source>
      <target dev="vda" bus="virtio" />
    </disk>
"""

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import each_spec, filter_errors


@filter_errors
@each_spec
def libvirt_disk_xml(spec, qemu_version=None, target_dev=None, target_bus=None, device=None,
                     format=None, secret_usage=None, secret_uuid=None, read_only=None,  # pylint: disable=redefined-builtin
                     on_unexpressible="fail", libvirt_version=None, ssh_keyfile=None, ssh_agent_socket=None):
    return render_disk_xml(spec, qemu_version, target_dev=target_dev, target_bus=target_bus, device=device,
                           fmt=format, secret_usage=secret_usage, secret_uuid=secret_uuid, read_only=read_only,
                           on_unexpressible=on_unexpressible, libvirt_version=libvirt_version,
                           ssh_keyfile=ssh_keyfile, ssh_agent_socket=ssh_agent_socket)


class FilterModule:
    def filters(self):
        return {"libvirt_disk_xml": libvirt_disk_xml}
