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
      - The drive spec, one mapping per drive. Keys by protocol
        (unknown keys and options are refused with an error naming them).
      - C(protocol) (all) - V(iscsi), V(nbd), V(ssh), V(sheepdog), V(gluster), V(http), V(https), V(ftp), V(ftps),
        V(rbd), V(nfs).
      - C(servers) (all) - list of C({host, port}) (IPv6 literals without brackets) or C({socket}) (Unix;
        nbd, sheepdog, gluster). C(server) is shorthand for a one-element list. Only gluster and rbd
        (Ceph monitors; optional, else the conf file's) take several. Default ports - iscsi 3260, nbd 10809,
        ssh 22, sheepdog 7000, gluster 24007, rbd 6789, http 80, https 443, ftp 21, ftps 990. An nfs server
        takes no port (libnfs asks the server's portmapper). A gluster server may set C(transport=rdma) (QEMU < 9.1).
      - C(export) (nbd) - export name; may be empty, may contain spaces and C(/).
      - C(target), C(lun) (iscsi) - target IQN (no C(/)) and LUN number (required).
      - C(volume), C(path) (gluster) - volume name and image path inside the volume.
      - C(path) (ssh, http, https, ftp, ftps) - absolute path; for the curl protocols it may end in a
        C(?query) made of URI query characters.
      - C(vdi), C(snapshot) (sheepdog) - VDI name; snapshot id (integer) or tag (string).
      - C(pool), C(namespace) (>= 5.0), C(image), C(snapshot), C(conf) (rbd) - Ceph pool, RADOS namespace,
        image, snapshot name, absolute path of a ceph.conf. RBD has no URI; C(syntax=legacy) gives
        the C(rbd:) string (C(pool/namespace/image@snap) then C(id), C(conf), C(mon_host) pairs), each
        backslash, slash, at sign, colon and equals sign in a value escaped with a backslash.
      - C(key_secret) (rbd, >= 3.0) - id of a QEMU C(secret) object holding the cephx key, created with
        C(format=base64) and the key as C(ceph auth get-key) prints it. Never written into a string.
      - C(path) (nfs) - absolute path of the image, export included (C(/export/dir/disk.img)).
      - C(user) (iscsi, ssh, curl, rbd) - user name (rbd - the cephx id without C(client.)).
      - C(password_secret) (iscsi, curl) - id of a QEMU C(secret) object holding the password (the default way).
      - C(credentials) (iscsi, curl) - V(secret) (default - C(password_secret)), V(env) (iscsi - the
        password goes to C(LIBISCSI_CHAP_PASSWORD), see P(virt_uri.toolkit.qemu_drive_chap_env#filter)), or
        V(inline) (the plain C(password) is written into the URI; libiscsi cannot carry C(@), C(/), C(?), C(#) in it).
      - C(password) - plain password, accepted only with C(credentials=env) or C(credentials=inline).
      - C(options) - nbd - C(tls_creds), C(tls_hostname) (>= 7.0), C(reconnect_delay), C(open_timeout) (>= 7.0);
        iscsi - C(initiator_name), C(timeout), C(header_digest) (crc32c, none, crc32c-none, none-crc32c),
        C(transport) (tcp, iser); ssh - C(host_key_check) (yes, no, md5:HEX, sha1:HEX, sha256:HEX);
        gluster - C(debug) (0-9), C(logfile); http/https/ftp/ftps - C(readahead) (bytes or 64k/1M...,
        a multiple of 512), C(timeout) (0-10000 s), C(sslverify) (https, ftps), C(cookie) and
        C(cookie_secret) (http, https; not both; a plain C(cookie) is a secret, accepted only with
        C(credentials=inline)), C(proxy_username), C(proxy_password_secret); rbd - C(auth_client_required)
        (list of cephx, none; >= 3.0); nfs - C(uid), C(gid), C(tcp_syn_count), C(readahead_size) (bytes,
        <= 1048576), C(page_cache_size) (pages, <= 2048), C(debug) (0-2) (URI C(uid), C(gid), C(tcp-syncnt),
        C(readahead), C(pagecache), C(debug); QEMU refuses other names and clamps larger values).
      - C(layer) - what surrounded the drive in a definition read by P(virt_uri.toolkit.qemu_drive_parse#filter):
        C(format), C(read_only), C(node_name), C(format_node_name), C(target_dev), C(target_bus), C(device),
        C(secret_usage), C(secret_uuid), C(options). The renderers take their defaults from it (a format
        layer, node names, read-only, the libvirt target), so the parse result renders back to the same
        meaning; C(options) (for example C(-drive if=) or C(id=)) is kept for review and written by none.
    type: dict
    required: true
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
