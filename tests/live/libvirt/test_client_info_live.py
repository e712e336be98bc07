# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""libvirt_client_info's answer against ``virsh uri`` on the same filesystem, as the same user.

Every case runs in a private mount namespace: a tmpfs on /run (so /run/libvirt is ours) and
bind mounts over /etc/libvirt, /var/lib/libvirt, /var/cache/libvirt and /var/log/libvirt, so the
machine's own files and sockets are never touched.  Two generations:

* host: libvirt 9.0, the module itself through ``ansible localhost -m`` and the resolution core;
* trixie root: libvirt 11.3's virsh chrooted into an overlay of the shared root (which stays
  untouched), and the resolution core run by the root's own python3 (glusterfs-common brings
  it) inside the same chroot (the module's Python part is the core; AnsibleModule is not
  in the root and adds nothing to the answer), so both see the same files, sockets and uid.

Daemon sockets are real: libvirtd started as root in the namespace, or the session libvirtd
that virsh autostarts for an unprivileged user; a stale socket (bound, closed) checks
``connect=true``.  Unprivileged means ``unshare --user --map-user=1000`` (the trixie overlay
gets a passwd entry for it, as the session qemu driver needs one).  Both generations have the
qemu driver module (the trixie root installs libvirt-daemon-driver-qemu), so the daemon cases
are pinned to qemu:///system and qemu:///session (QEMU_DRIVER_ANSWERS), not two failures.
"""

from __future__ import annotations

import glob
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ansible_collections.virt_uri.toolkit.tests.support.qemu_oracle import trixie_root_path
from ansible_collections.virt_uri.toolkit.tests.support.requires import requires, unavailable

REPO = Path(__file__).resolve().parents[3]
TRIXIE = Path(trixie_root_path())  # $VIRT_URI_TRIXIE_ROOT or the root hack/trixie-root builds

RESOLVE = r"""
import json, os, sys
sys.path.insert(0, sys.argv[1])
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.client_view import describe_client
args = json.loads(sys.argv[2])
r = describe_client(os.geteuid(), dict(os.environ), egid=os.getegid(),
                    connect=args.get("connect", False))
print("RESOLVED=" + json.dumps({"uri": r["uri"], "error": r["error"], "source": r["source"],
                                "steps": r["steps"], "sockets": r["sockets"]}))
"""

CONF_ALIAS = 'uri_default = "t"\nuri_aliases = [ "t=test:///default?who=conf" ]\n'

# id, libvirt.conf (None: no file), extra env, daemon (none | running | stale), connect
CASES = [
    ("env-only", None, {"LIBVIRT_DEFAULT_URI": "test:///default?who=env"}, "none", False),
    ("env-alias", CONF_ALIAS, {"LIBVIRT_DEFAULT_URI": "t"}, "none", False),
    ("uri_default-alias", CONF_ALIAS, {}, "none", False),
    ("env-wins", CONF_ALIAS, {"LIBVIRT_DEFAULT_URI": "test:///default?who=env"}, "none", False),
    ("empty-env-ignored", CONF_ALIAS, {"LIBVIRT_DEFAULT_URI": ""}, "none", False),
    ("broken-conf", "uri_default = 1\n", {"LIBVIRT_DEFAULT_URI": "test:///default"}, "none",
     False),
    ("no-socket", "# nothing\n", {}, "none", False),
    ("no-socket-no-autostart", None, {"LIBVIRT_AUTOSTART": "0"}, "none", False),
    ("daemon", None, {}, "running", False),
    ("daemon-env-wins", None, {"LIBVIRT_DEFAULT_URI": "test:///default?who=env"}, "running",
     False),
    ("stale-socket", None, {}, "stale", True),
]


def _script(root, work, who, conf_dir, env, daemon, connect, resolver_python, uid=1000,
            record=True):
    """A shell script for ``unshare -m``: set up the view, run the resolver, then virsh.

    ``record``: the trixie overlay gets a passwd and group entry for ``uid`` (the session
    qemu driver looks the user up); the host's own entries are what they are."""
    lines = ["set -u"]
    r = ""
    if root:
        # an overlay of the shared root: every mkdir and mount point stays in our upper dir
        r = str(work / "ovl" / "merged")
        lines.append("mkdir -p {w}/ovl/upper {w}/ovl/wd {r} && mount -t overlay overlay -o "
                     "lowerdir={root},upperdir={w}/ovl/upper,workdir={w}/ovl/wd {r} || exit 99"
                     .format(w=work, r=r, root=root))
    if r and record and who != "root":
        lines.append("grep -q '^[^:]*:[^:]*:{u}:' {r}/etc/passwd || {{ echo 'virt-uri-user:x:{u}:"
                     "{u}::/work/home:/bin/sh' >>{r}/etc/passwd && echo 'virt-uri-user:x:{u}:' "
                     ">>{r}/etc/group; }} || exit 99".format(u=uid, r=r))
    chroot = "/usr/sbin/chroot %s " % shlex.quote(r) if r else ""
    inside = "/work" if r else str(work)
    lines.append("R=%s" % shlex.quote(r))
    lines.append("mount -t tmpfs tmpfs $R/run && mkdir -p $R/run/libvirt || exit 99")
    for rel in ("etc/libvirt", "var/lib/libvirt", "var/cache/libvirt", "var/log/libvirt"):
        lines.append("mkdir -p %s/%s $R/%s && mount --bind %s/%s $R/%s || exit 99" % (
            work, rel.replace("/", "_"), rel, work, rel.replace("/", "_"), rel))
    lines.append("[ -z \"%s\" ] || cp %s/libvirt.conf %s/etc_libvirt/" % (
        conf_dir or "", conf_dir or "/nonexistent", work))
    if r:
        lines.append("mkdir -p $R/work $R/repo && mount --bind %s $R/work && mount --bind %s "
                     "$R/repo && mount -t proc proc $R/proc && mount --rbind /dev $R/dev "
                     "|| exit 99" % (work, REPO))
    rundir = "%s/run/libvirt" % (r or "") if who == "root" else "%s/rt/libvirt" % work
    if daemon == "stale":
        lines.append("%s -c 'import socket,sys;s=socket.socket(socket.AF_UNIX);"
                     "s.bind(sys.argv[1]);s.close()' %s/libvirt-sock" % (sys.executable, rundir)
                     if who == "root" else
                     "mkdir -p %s && %s -c 'import socket,sys;s=socket.socket(socket.AF_UNIX);"
                     "s.bind(sys.argv[1]);s.close()' %s/libvirt-sock && chmod -R 777 %s/rt"
                     % (rundir, sys.executable, rundir, work))
    envs = " ".join(shlex.quote("%s=%s" % kv) for kv in env.items())
    if who == "root":
        run_as = "%senv -i %s" % (chroot, envs)
    else:
        root_opt = "--root=%s " % shlex.quote(r) if r else ""
        run_as = "unshare --user --map-user=%d --map-group=%d %senv -i %s" % (
            uid, uid, root_opt, envs)
    if daemon == "running":
        if who == "root":
            lines.append("%s/usr/sbin/libvirtd -f %s/libvirtd.conf -p %s/libvirtd.pid "
                         ">%s/libvirtd.log 2>&1 &" % (chroot, inside, inside, work))
            lines.append("for i in $(seq 100); do [ -S %s/libvirt-sock ] && break; sleep 0.1; "
                         "done" % rundir)
        else:
            # the session daemon virsh would autostart, started first so the socket exists
            lines.append("%s /usr/sbin/libvirtd --timeout=60 >%s/libvirtd.log 2>&1 &"
                         % (run_as, work))
            lines.append("for i in $(seq 100); do [ -S %s/libvirt-sock ] && break; sleep 0.1; "
                         "done" % rundir)
    coll = "/repo/collections" if r else str(REPO / "collections")
    lines.append("%s %s -c %s %s %s" % (run_as, resolver_python, shlex.quote(RESOLVE),
                                        shlex.quote(coll),
                                        shlex.quote(json.dumps({"connect": connect}))))
    lines.append("out=$(%s timeout 20 virsh uri 2>%s/virsh.err); echo \"VIRSH_RC=$?\"; "
                 "echo \"VIRSH_OUT=$out\"; echo \"VIRSH_ERR=$(tr '\\n' ' ' <%s/virsh.err)\""
                 % (run_as, work, work))
    # stop what was started (the autostarted session daemon too), by pid
    lines.append("for p in %s/libvirtd.pid %s/libvirtd.pid; do [ -f \"$p\" ] && "
                 "kill $(cat \"$p\") 2>/dev/null; done; true" % (work, rundir))
    return "\n".join(lines)


def run_case(tmp_path, root, who, conf, extra, daemon, connect, uid=1000, record=True):
    requires(tool=("unshare", "virsh"), root="mount namespaces and libvirtd")
    if root is not None and not (root / "usr/bin/virsh").exists():
        unavailable("the trixie root is missing at %s (hack/trixie-root builds it)" % root)
    work = tmp_path / "work"
    (work / "rt").mkdir(parents=True)
    (work / "home").mkdir()
    conf_dir = None
    if conf is not None:
        conf_dir = tmp_path / "conf"
        conf_dir.mkdir()
        (conf_dir / "libvirt.conf").write_text(conf)
        if who != "root":
            (work / "xdg" / "libvirt").mkdir(parents=True)
            (work / "xdg" / "libvirt" / "libvirt.conf").write_text(conf)
            conf_dir = None  # root's /etc/libvirt stays empty
    if who == "root":
        # a conflicting user file that root must never read
        (work / "xdg" / "libvirt").mkdir(parents=True, exist_ok=True)
        (work / "xdg" / "libvirt" / "libvirt.conf").write_text(
            'uri_default = "test:///default?who=XDG-MUST-NOT-BE-READ"\n')
    (work / "libvirtd.conf").write_text('auth_unix_rw = "none"\nauth_unix_ro = "none"\n')
    subprocess.run(["chmod", "-R", "a+rwX", str(tmp_path)], check=True)
    inside = "/work" if root is not None else str(work)
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C", "HOME": "%s/home" % inside,
           "XDG_CONFIG_HOME": "%s/xdg" % inside, "XDG_RUNTIME_DIR": "%s/rt" % inside}
    env.update(extra)
    python = "/usr/bin/python3" if root is not None else sys.executable
    script = _script(root, work, who, conf_dir, env, daemon, connect, python, uid, record)
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode != 99, result.stderr
    lines = result.stdout.splitlines()

    def field(prefix):
        return next(line[len(prefix):] for line in lines if line.startswith(prefix))

    ours = json.loads(field("RESOLVED="))
    virsh = field("VIRSH_OUT=").strip() if field("VIRSH_RC=") == "0" else None
    return ours, virsh, field("VIRSH_ERR="), result


def check(ours, virsh, virsh_err):
    if virsh is not None:
        assert ours["uri"] == virsh, (ours, virsh_err)
    else:
        assert ours["uri"] is None, "virsh failed (%s) but we answered %r (%s)" % (
            virsh_err, ours["uri"], ours["steps"])
        assert ours["error"]


GENERATIONS = [("9.0", None), ("11.3", TRIXIE)]

# (case, who) -> what virsh and the module answer when libvirtd has the qemu driver module: the
# system daemon we start (root), the session daemon that is running or that virsh autostarts
# over a missing or refused socket (user).
QEMU_DRIVER_ANSWERS = {
    ("daemon", "root"): "qemu:///system",
    ("daemon", "user"): "qemu:///session",
    ("no-socket", "user"): "qemu:///session",
    ("stale-socket", "user"): "qemu:///session",
}


def _require_qemu_driver(root):
    pattern = "usr/lib/*/libvirt/connection-driver/libvirt_driver_qemu.so"
    if not glob.glob(str(Path(root or "/") / pattern)):
        unavailable("no libvirt_driver_qemu.so under %s (libvirt-daemon-driver-qemu; "
                    "hack/trixie-root installs it)" % (root or "/"))


@pytest.mark.parametrize("who", ["root", "user"])
@pytest.mark.parametrize("generation,root", GENERATIONS, ids=[g for g, _r in GENERATIONS])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_client_info_equals_virsh_uri(tmp_path, case, generation, root, who):
    case_id, conf, extra, daemon, connect = case
    ours, virsh, err, result = run_case(tmp_path, root, who, conf, extra, daemon, connect)
    check(ours, virsh, err)
    if (case_id, who) in QEMU_DRIVER_ANSWERS:
        # both generations have libvirtd with the qemu driver module (the trixie root installs
        # libvirt-daemon-driver-qemu): a real answer from the probe, not two failures
        _require_qemu_driver(root)
        expected = QEMU_DRIVER_ANSWERS[case_id, who]
        assert virsh == expected, (generation, err, result.stderr)
        assert ours["uri"] == expected and ours["source"] == "probe", ours
        assert any("libvirt_driver_qemu.so" in step["result"] for step in ours["steps"]), ours
    if case_id.startswith("env") or case_id == "uri_default-alias":
        assert virsh is not None and "XDG-MUST-NOT-BE-READ" not in virsh, err


@pytest.mark.parametrize("generation,root", GENERATIONS, ids=[g for g, _r in GENERATIONS])
def test_session_daemon_needs_a_user_record(tmp_path, generation, root):
    """uid 4242 has no passwd entry: the autostarted libvirtd's qemu driver cannot start
    (virGetUserEnt), so virsh fails - and the module says so instead of qemu:///session."""
    ours, virsh, err, result = run_case(tmp_path, root, "user", None, {}, "none", False, uid=4242,
                                        record=False)
    assert virsh is None, (generation, virsh, result.stderr)
    check(ours, virsh, err)
    # both generations have the qemu driver module: it is the missing record that stops it
    _require_qemu_driver(root)
    assert "no user record for uid 4242" in ours["error"], ours


# ---------------------------------------------------------------- the module through ansible-playbook

PLAYBOOK = """
- name: libvirt_client_info
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Plain
      virt_uri.toolkit.libvirt_client_info:
        users: {users}
      register: plain
    - name: With LIBVIRT_DEFAULT_URI in the task environment
      virt_uri.toolkit.libvirt_client_info:
      environment:
        LIBVIRT_DEFAULT_URI: t
      register: with_env
    - name: In check mode
      virt_uri.toolkit.libvirt_client_info:
      check_mode: true
      register: checked
    - name: Save
      ansible.builtin.copy:
        content: "{{{{ {{'plain': plain, 'with_env': with_env, 'checked': checked}} | to_json }}}}"
        dest: "{out}"
        mode: "0644"
      check_mode: false
"""


def _playbook_script(tmp_path, who):
    """ansible-playbook and virsh in one private mount namespace, as root or as uid 1000."""
    work = tmp_path / "work"
    for sub in ("etc_libvirt", "var_lib_libvirt", "var_cache_libvirt", "var_log_libvirt",
                "home", "xdg/libvirt", "rt", "other/home", "other/xdg/libvirt", "other/rt",
                "tmp"):
        (work / sub).mkdir(parents=True, exist_ok=True)
    conf = 'uri_aliases = [ "t=test:///default?who=%s" ]\n' % who
    (work / ("etc_libvirt" if who == "root" else "xdg/libvirt") / "libvirt.conf").write_text(conf)
    (work / "other/xdg/libvirt/libvirt.conf").write_text(
        'uri_default = "o"\nuri_aliases = [ "o=test:///default?who=other" ]\n')
    (work / "libvirtd.conf").write_text('auth_unix_rw = "none"\nauth_unix_ro = "none"\n')
    other_env = {"HOME": str(work / "other/home"), "XDG_CONFIG_HOME": str(work / "other/xdg"),
                 "XDG_RUNTIME_DIR": str(work / "other/rt")}
    users = json.dumps([{"name": "nobody", "environment": other_env}] if who == "root" else [])
    out = work / "result.json"
    (work / "playbook.yml").write_text(PLAYBOOK.format(users=users, out=out))
    subprocess.run(["chmod", "-R", "a+rwX", str(tmp_path)], check=True)
    bindir = Path(sys.executable).parent
    env = {"PATH": "%s:/usr/sbin:/usr/bin:/sbin:/bin" % bindir, "LC_ALL": "C.UTF-8",
           "HOME": str(work / "home"), "XDG_CONFIG_HOME": str(work / "xdg"),
           "XDG_RUNTIME_DIR": str(work / "rt"),
           "ANSIBLE_COLLECTIONS_PATH": str(REPO / "collections"),
           "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1",
           "ANSIBLE_LOCAL_TEMP": str(work / "tmp"), "ANSIBLE_REMOTE_TEMP": str(work / "tmp")}
    envs = " ".join(shlex.quote("%s=%s" % kv) for kv in env.items())
    as_who = "env -i %s" % envs if who == "root" else \
        "unshare --user --map-user=1000 --map-group=1000 env -i %s" % envs
    lines = ["mount -t tmpfs tmpfs /run && mkdir -p /run/libvirt || exit 99"]
    for rel in ("etc/libvirt", "var/lib/libvirt", "var/cache/libvirt", "var/log/libvirt"):
        lines.append("mount --bind %s/%s /%s || exit 99" % (work, rel.replace("/", "_"), rel))
    if who == "root":  # the system daemon, so that the probe has something real to find
        lines.append("/usr/sbin/libvirtd -f %s/libvirtd.conf -p %s/libvirtd.pid >%s/ld.log "
                     "2>&1 & for i in $(seq 100); do [ -S /run/libvirt/libvirt-sock ] && "
                     "break; sleep 0.1; done" % (work, work, work))
    lines.append("%s ansible-playbook -i localhost, -c local %s/playbook.yml >%s/play.log 2>&1;"
                 " echo PLAY_RC=$?" % (as_who, work, work))
    lines.append("echo VIRSH_PLAIN=$(%s virsh uri 2>&1)" % as_who)
    lines.append("echo VIRSH_ENV=$(%s LIBVIRT_DEFAULT_URI=t virsh uri 2>&1)" % as_who)
    if who == "root":
        lines.append("echo VIRSH_OTHER=$(setpriv --reuid=65534 --regid=65534 --clear-groups "
                     "env -i PATH=/usr/sbin:/usr/bin:/bin %s virsh uri 2>&1)" % " ".join(
                         "%s=%s" % kv for kv in other_env.items()))
    lines.append("for p in %s/libvirtd.pid %s/rt/libvirt/libvirtd.pid "
                 "%s/other/rt/libvirt/libvirtd.pid; do [ -f \"$p\" ] && kill $(cat \"$p\") "
                 "2>/dev/null; done; true" % (work, work, work))
    return "\n".join(lines), out, work


@pytest.mark.parametrize("who", ["root", "user"])
def test_module_equals_virsh_uri(who):
    """The module itself (ansible-playbook, local connection) on the host's libvirt 9.0."""
    requires(tool=("unshare", "virsh", "setpriv"), root="mount namespaces and libvirtd")
    # not under pytest's 0700 tmp tree: nobody must reach its own files (libvirt fails when it
    # cannot create the user runtime directory, whatever the URI)
    tmp_path = Path(tempfile.mkdtemp(prefix="client-info-"))
    os.chmod(tmp_path, 0o755)
    try:
        _check_module_run(tmp_path, who)
    finally:
        shutil.rmtree(tmp_path, ignore_errors=True)


def _check_module_run(tmp_path, who):
    script, out, work = _playbook_script(tmp_path, who)
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True,
                            text=True, timeout=300, check=False)
    lines = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    assert lines.get("PLAY_RC") == "0", (work / "play.log").read_text() + result.stderr
    res = json.loads(out.read_text())
    plain, with_env, checked = res["plain"], res["with_env"], res["checked"]
    me = plain["clients"][0]
    # without LIBVIRT_DEFAULT_URI: the probe (root: the system libvirtd we started; the user:
    # the session libvirtd that virsh autostarts)
    assert me["uri"] == lines["VIRSH_PLAIN"].strip() == (
        "qemu:///system" if who == "root" else "qemu:///session"), (me, lines)
    assert me["source"] == "probe" and plain["default_uri"] == me["uri"]
    # with it: the alias of the right file (root never reads XDG, users never /etc)
    assert with_env["default_uri"] == lines["VIRSH_ENV"].strip() == \
        "test:///default?who=%s" % who, (with_env, lines)
    assert with_env["clients"][0]["config"]["aliases"] == {"t": "test:///default?who=%s" % who}
    assert checked["default_uri"] == me["uri"] and not checked["changed"]
    assert not plain["changed"] and not with_env["changed"]
    if who == "root":
        other = plain["clients"][1]
        assert other["user"] == "nobody" and other["uid"] == 65534
        assert other["uri"] == lines["VIRSH_OTHER"].strip() == "test:///default?who=other", (
            other, lines)
