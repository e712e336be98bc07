# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drive spec and qemu_version, shared by every drive filter."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  _input:
    description:
      - The drive spec, one mapping per drive, or a list of them (the result is then a list, in order;
        an error names the item's index).
      - Unknown keys and options are refused with an error naming them; each key below says which
        protocols take it (C(For ...)).
    type: raw
    required: true
    suboptions:
      layer:
        description:
          - For all protocols.
          - What surrounded the drive in a definition read by P(virt_uri.toolkit.qemu_drive_parse#filter)
            (C(format), C(read_only), C(node_name), C(format_node_name), C(target_dev), C(target_bus), C(device),
            C(secret_usage), C(secret_uuid), C(options)). The renderers take their defaults from it (a format
            layer, node names, read-only, the libvirt target), so the parse result renders back to the same
            meaning; C(options) (for example C(-drive if=) or C(id=)) is kept for review and written by none.
        type: dict
      protocol:
        description:
          - For all protocols.
          - The network protocol of the drive.
        type: str
        required: true
        choices: [iscsi, nbd, ssh, sheepdog, gluster, http, https, ftp, ftps, rbd, nfs]
      servers:
        description:
          - For all protocols.
          - Where the drive is served. Only V(gluster) and V(rbd) take several (gluster - the first that
            answers is used; rbd - the Ceph monitors, optional, else the conf file's).
        type: list
        elements: dict
        suboptions:
          host:
            description:
              - Host name, IPv4 or IPv6 literal (without brackets).
            type: str
          port:
            description:
              - TCP port. Default ports - V(iscsi) 3260, V(nbd) 10809, V(ssh) 22, V(sheepdog) 7000,
                V(gluster) 24007, V(rbd) 6789, V(http) 80, V(https) 443, V(ftp) 21, V(ftps) 990.
                An V(nfs) server takes no port (libnfs asks the server's portmapper).
            type: int
          socket:
            description:
              - For V(nbd), V(sheepdog), V(gluster).
              - Absolute path of a Unix socket, instead of O(_input.servers[].host)/O(_input.servers[].port).
            type: path
          transport:
            description:
              - For V(gluster).
              - V(tcp) (default), or V(rdma) (QEMU < 9.1).
            type: str
      server:
        description:
          - For all protocols.
          - Shorthand for a one-element O(_input.servers) (same keys).
        type: dict
      export:
        description:
          - For V(nbd).
          - Export name; may be empty, may contain spaces and C(/).
        type: str
      target:
        description:
          - For V(iscsi).
          - Target IQN (no C(/)); required.
        type: str
      lun:
        description:
          - For V(iscsi).
          - LUN number 0-255; required. libiscsi sends a higher LUN without the flat-space
            addressing bits, so the target reads another LUN (tgtd opens 257 as LUN 1).
        type: int
      volume:
        description:
          - For V(gluster).
          - Volume name.
        type: str
      path:
        description:
          - For V(gluster), V(ssh), V(http), V(https), V(ftp), V(ftps), V(nfs).
          - Gluster - the image path inside the volume. ssh, http, https, ftp, ftps - the remote path;
            for the curl protocols it may end in a C(?query) made of URI query characters.
            nfs - the absolute path of the image, export included (C(/export/dir/disk.img)).
        type: str
      vdi:
        description:
          - For V(sheepdog).
          - VDI name.
        type: str
      snapshot:
        description:
          - For V(sheepdog), V(rbd).
          - Sheepdog - snapshot id (integer) or tag (string). rbd - snapshot name.
        type: raw
      pool:
        description:
          - For V(rbd).
          - Ceph pool. RBD has no URI; C(syntax=legacy) gives the C(rbd:) string
            (C(pool/namespace/image@snap) then C(id), C(conf), C(mon_host) pairs), each backslash, slash,
            at sign, colon and equals sign in a value escaped with a backslash.
        type: str
      namespace:
        description:
          - For V(rbd).
          - RADOS namespace (QEMU >= 5.0).
        type: str
      image:
        description:
          - For V(rbd).
          - Image name.
        type: str
      conf:
        description:
          - For V(rbd).
          - Absolute path of a C(ceph.conf).
        type: path
      key_secret:
        description:
          - For V(rbd).
          - Id of a QEMU C(secret) object holding the cephx key (QEMU >= 3.0), created with
            C(format=base64) and the key as C(ceph auth get-key) prints it. Never written into a string.
        type: str
      user:
        description:
          - For V(iscsi), V(ssh), V(http), V(https), V(ftp), V(ftps), V(rbd).
          - User name (rbd - the cephx id without C(client.)).
        type: str
      password_secret:
        description:
          - For V(iscsi), V(http), V(https), V(ftp), V(ftps).
          - Id of a QEMU C(secret) object holding the password (the default way).
        type: str
      credentials:
        description:
          - For V(iscsi), V(http), V(https), V(ftp), V(ftps).
          - How the password reaches QEMU - V(secret) (default, O(_input.password_secret)), V(env)
            (iscsi - the password goes to C(LIBISCSI_CHAP_PASSWORD), see
            P(virt_uri.toolkit.qemu_drive_chap_env#filter)), or V(inline) (the plain O(_input.password)
            is written into the URI; libiscsi cannot carry C(@), C(/), C(?), C(#) in it).
        type: str
        choices: [secret, env, inline]
      password:
        description:
          - For V(iscsi), V(http), V(https), V(ftp), V(ftps).
          - Plain password, accepted only with O(_input.credentials=env) or O(_input.credentials=inline).
        type: str
      options:
        description:
          - For V(iscsi), V(nbd), V(ssh), V(gluster), V(http), V(https), V(ftp), V(ftps), V(rbd), V(nfs).
          - Protocol options, validated per protocol. An option a form cannot express (a URI has no
            place for most) is refused unless the filter's C(on_unexpressible=omit).
        type: dict
        suboptions:
          tls_creds:
            description:
              - For V(nbd).
              - Id of a QEMU C(tls-creds-x509) object.
            type: str
          tls_hostname:
            description:
              - For V(nbd).
              - Host name to check the server certificate against (QEMU >= 7.0); required with
                O(_input.options.tls_creds) over a Unix socket.
            type: str
          reconnect_delay:
            description:
              - For V(nbd).
              - Seconds to keep reconnecting after a lost connection.
            type: int
          open_timeout:
            description:
              - For V(nbd).
              - Seconds to keep trying the first connection (QEMU >= 7.0).
            type: int
          initiator_name:
            description:
              - For V(iscsi).
              - The initiator IQN.
            type: str
          timeout:
            description:
              - For V(iscsi), V(http), V(https), V(ftp), V(ftps).
              - Seconds; the curl protocols take 0-10000.
            type: int
          header_digest:
            description:
              - For V(iscsi).
              - V(crc32c), V(none), V(crc32c-none) or V(none-crc32c).
            type: str
          transport:
            description:
              - For V(iscsi).
              - V(tcp) or V(iser).
            type: str
          host_key_check:
            description:
              - For V(ssh).
              - V(yes), V(no), or C(md5:HEX), C(sha1:HEX), C(sha256:HEX) (sha256 in URIs from QEMU 7.0).
            type: str
          debug:
            description:
              - For V(gluster), V(nfs).
              - Gluster - libgfapi log level, 0-9. nfs - libnfs debug level, 0-2 (URI C(debug)).
            type: int
          logfile:
            description:
              - For V(gluster).
              - libgfapi log file.
            type: str
          readahead:
            description:
              - For V(http), V(https), V(ftp), V(ftps).
              - Bytes, or C(64k), C(1M), ...; a multiple of 512.
            type: raw
          sslverify:
            description:
              - For V(https), V(ftps).
              - Verify the server certificate.
            type: bool
          cookie:
            description:
              - For V(http), V(https).
              - Cookie header value; a secret, accepted only with O(_input.credentials=inline). Not with
                O(_input.options.cookie_secret).
            type: str
          cookie_secret:
            description:
              - For V(http), V(https).
              - Id of a QEMU C(secret) object holding the cookie.
            type: str
          proxy_username:
            description:
              - For V(http), V(https), V(ftp), V(ftps).
              - Proxy user name.
            type: str
          auth_client_required:
            description:
              - For V(rbd).
              - List of cephx authentication modes to accept, V(cephx) and/or V(none) (QEMU >= 3.0).
            type: list
            elements: str
          uid:
            description:
              - For V(nfs).
              - User id to present to the server (URI C(uid)).
            type: int
          gid:
            description:
              - For V(nfs).
              - Group id to present to the server (URI C(gid)).
            type: int
          tcp_syn_count:
            description:
              - For V(nfs).
              - TCP SYN retries (URI C(tcp-syncnt)), 0-255.
            type: int
          readahead_size:
            description:
              - For V(nfs).
              - Readahead in bytes (URI C(readahead)), at most 1048576; QEMU refuses other URI parameter names
                and clamps larger values.
            type: int
          page_cache_size:
            description:
              - For V(nfs).
              - Page cache in pages (URI C(pagecache)), at most 2048.
            type: int
          proxy_password_secret:
            description:
              - For V(http), V(https), V(ftp), V(ftps).
              - Id of a QEMU C(secret) object holding the proxy password.
            type: str
  qemu_version:
    description:
      - The QEMU version that will read the output, as V(MAJOR.MINOR[.MICRO]).
      - Output respects what that version accepts - sheepdog only before 6.1, C(gluster+rdma) only
        before 9.1, C(host_key_check=sha256:) in URIs from 7.0, IPv6 hosts in ssh URIs from 9.1.
      - URI query values (C(?socket=)) are %-escaped once for QEMU < 9.1 and, for C(%) and C(&),
        twice for QEMU >= 9.1, which decodes them twice (each form opened by the real QEMU 7.2 and 10.0).
    type: str
    default: '10.0'
"""
