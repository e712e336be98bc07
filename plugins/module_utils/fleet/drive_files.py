# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The qemu_drives role's plan: every file one host gets, from the role's variables.

``plan_drive_files(role_vars)`` returns ``{"files": [{"path", "content"}, ...],
"unknown_variables": [...]}`` or raises ``PlanError`` carrying one message per failed check,
each naming the role variable, the VM and drive, the field and its value:
``qemu_drives_vms[1] (vm2) drive 0: server.port: 70000 is not accepted; ...``.

Every option written comes from the drive core (render_opts, render_blockdev, render_disk_xml)
or from a value checked here against what QEMU and libvirt accept; nothing is pasted as text.
"""

from __future__ import annotations

import difflib
import json
import re

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError, describe
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.attach_keys import (
    check_format, check_interface, check_node_name,
)
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.disk_xml import render_disk_xml
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.render import render_blockdev, render_opts
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.versions import parse_qemu_version
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.versions import parse_libvirt_version
from ansible_collections.virt_uri.toolkit.plugins.module_utils.libvirt.disk_names import free_disk_names
from ansible_collections.virt_uri.toolkit.plugins.module_utils.qemu_opts import join_opts

__all__ = ["PlanError", "ROLE_VARIABLES", "plan_drive_files", "with_guess"]

# The role's variables and their defaults (roles/qemu_drives/defaults/main.yml says the same).
ROLE_VARIABLES = {
    "qemu_drives_vms": [],
    "qemu_drives_forms": ["args", "blockdev", "xml"],
    "qemu_drives_xml_on_unexpressible": "fail",
    "qemu_drives_args_style": "drive",
    "qemu_drives_qemu_version": None,
    "qemu_drives_libvirt_version": None,
    "qemu_drives_root": "",
    "qemu_drives_dir": "/etc/qemu-drives",
    "qemu_drives_owner": None,
    "qemu_drives_group": None,
    "qemu_drives_dir_mode": "0750",
    "qemu_drives_file_mode": "0640",
    "qemu_drives_backup": False,
    "qemu_drives_allow_plain_passwords": False,
    "qemu_drives_strict_variables": False,
}
# Names the role itself sets: its registered result; 'qemu_drives__*' are private.
_ROLE_OUTPUTS = ("qemu_drives_result",)
# Drive keys that belong to the role; every other key is the drive spec.
_ROLE_DRIVE_KEYS = ("node_name", "format", "interface", "target_dev", "target_bus", "device", "secret_usage",
                    "secret_uuid", "read_only", "xml", "xml_on_unexpressible")
_VM_KEYS = ("name", "drives")
_FORMS = ("args", "blockdev", "xml")
_VM_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+\-]{0,254}\Z")  # \Z: "$" matches before a final newline
# Default <target dev> prefix per bus, as libvirt and virt-install name disks on it.
_BUS_PREFIX = {"virtio": "vd", "scsi": "sd", "sata": "sd", "usb": "sd", "ide": "hd", "xen": "xvd"}
_BOOL_TEXT = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False,
              "0": False}


class PlanError(ValueError):
    """Every failed check of one plan; ``messages`` has one line per check."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


def _bool(value, field):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _BOOL_TEXT:
        return _BOOL_TEXT[value.strip().lower()]
    raise SpecError(field, value, "expected a boolean")


def _choice(value, field, allowed):
    if not isinstance(value, str) or value not in allowed:
        raise SpecError(field, value, "expected one of: %s" % ", ".join(allowed))
    return value


def _abs_path(value, field, allow_empty=False):
    if allow_empty and value in ("", None):
        return ""
    if not isinstance(value, str) or not value.startswith("/") or "\x00" in value or "\n" in value:
        raise SpecError(field, value, "expected an absolute path")
    return value.rstrip("/") if value != "/" else ""


class _Plan:
    """Collects the messages of every failed check while planning goes on."""

    def __init__(self, role_vars):
        self.vars = dict(ROLE_VARIABLES)
        self.vars.update({k: v for k, v in role_vars.items() if k in ROLE_VARIABLES and v is not None})
        self.errors = []
        self.unknown = sorted(k for k in role_vars
                              if k not in ROLE_VARIABLES and k not in _ROLE_OUTPUTS
                              and not k.startswith("qemu_drives__"))

    def check(self, where, func, *args, **kwargs):
        """func(*args, **kwargs), or None with the error recorded as '<where>: <field>: ...'."""
        try:
            return func(*args, **kwargs)
        except SpecError as exc:
            self.errors.append("%s: %s" % (where, exc) if where else str(exc))
        except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
            # odd input the core did not foresee: reported like the filters do (adapter.filter_errors)
            self.errors.append("%s: invalid input: %s %s" % (where or "qemu_drives", type(exc).__name__, exc))
        return None

    def role_setting(self, name, func, *args):
        return self.check("", lambda: func(self.vars[name], name, *args))


def _settings(plan):
    version = plan.check("", lambda: _version(plan.vars["qemu_drives_qemu_version"]))
    forms = plan.check("", _forms, plan.vars["qemu_drives_forms"])
    return {
        "version": version,
        "libvirt_version": plan.check("", lambda: _libvirt_version(plan.vars["qemu_drives_libvirt_version"])),
        "forms": forms or (),
        "style": plan.role_setting("qemu_drives_args_style", _choice, ("drive", "blockdev")),
        "on_unexpressible": plan.role_setting("qemu_drives_xml_on_unexpressible", _choice, ("fail", "omit")),
        "root": plan.role_setting("qemu_drives_root", _abs_path, True),
        "dir": plan.role_setting("qemu_drives_dir", _abs_path),
        "plain_ok": plan.role_setting("qemu_drives_allow_plain_passwords", _bool),
        "strict": plan.role_setting("qemu_drives_strict_variables", _bool),
    }


def with_guess(name):
    """An unknown variable's name with the role variable it was probably meant to be."""
    guess = difflib.get_close_matches(name, ROLE_VARIABLES, 1)
    return "%s (did you mean %s?)" % (name, guess[0]) if guess else name


def _version(value):
    try:
        return parse_qemu_version(value)
    except SpecError as exc:
        raise SpecError("qemu_drives_qemu_version", value, exc.accepted) from exc


def _libvirt_version(value):
    try:
        return parse_libvirt_version(value)
    except SpecError as exc:
        raise SpecError("qemu_drives_libvirt_version", value, exc.accepted) from exc


def _forms(value):
    if not isinstance(value, (list, tuple)) or any(not isinstance(f, str) or f not in _FORMS for f in value):
        raise SpecError("qemu_drives_forms", value, "expected a list of: %s" % ", ".join(_FORMS))
    return tuple(value)


def plan_drive_files(role_vars):
    """The files of one host for the role's variables (a mapping of qemu_drives_* names)."""
    plan = _Plan(role_vars)
    settings = _settings(plan)
    vms = plan.vars["qemu_drives_vms"]
    if not isinstance(vms, (list, tuple)):
        plan.errors.append(str(SpecError("qemu_drives_vms", vms, "expected a list of VMs "
                                         "({name: ..., drives: [...]})")))
        vms = []
    if settings["strict"] and plan.unknown:
        plan.errors.append("unknown variables (qemu_drives_strict_variables is true): %s; the role "
                           "takes: %s" % (", ".join(with_guess(n) for n in plan.unknown),
                                          ", ".join(sorted(ROLE_VARIABLES))))
    files = []
    seen = set()
    for vm_index, vm in enumerate(vms):
        files.extend(_plan_vm(plan, settings, vm_index, vm, seen))
    if plan.errors:
        raise PlanError(plan.errors)
    return {"files": files, "unknown_variables": plan.unknown}


def _plan_vm(plan, settings, vm_index, vm, seen):
    where = "qemu_drives_vms[%d]" % vm_index
    if not isinstance(vm, dict):
        plan.errors.append("%s: %s is not accepted; expected a mapping {name: ..., drives: [...]}"
                           % (where, describe(vm)))
        return []
    name = vm.get("name")
    if not isinstance(name, str) or not _VM_NAME_RE.match(name) or name in (".", ".."):
        plan.errors.append("%s: name: %s is not accepted; expected a file-name-safe VM name: letters, digits, "
                           "'_', '.', '+', '-' (not starting with '.', '+' or '-')" % (where, describe(name)))
        name = None
    elif name in seen:
        plan.errors.append("%s: name: %s is not accepted; another VM of qemu_drives_vms has this name (its "
                           "files would overwrite the other's)" % (where, describe(name)))
    else:
        seen.add(name)
        where = "%s (%s)" % (where, name)
    extra = sorted(str(k) for k in vm if k not in _VM_KEYS)
    if extra:
        plan.errors.append("%s: %s: unknown VM keys; a VM takes name and drives (drive keys go into "
                           "drives)" % (where, ", ".join(extra)))
    drives = vm.get("drives", [])
    if drives is None:
        drives = []
    if not isinstance(drives, (list, tuple)):
        plan.errors.append("%s: drives: %s is not accepted; expected a list of drive specs"
                           % (where, describe(drives)))
        drives = []
    planned = [_plan_drive(plan, settings, "%s drive %d" % (where, i), i, d) for i, d in enumerate(drives)]
    _unique(plan, where, planned, "node_name", "node name (QEMU: 'Duplicate nodes with node-name')")
    _name_disks(plan, where, planned)
    if plan.errors or name is None:
        return []
    return _vm_files(settings, name, planned)


def _unique(plan, where, planned, key, what):
    seen = {}
    for index, drive in enumerate(planned):
        if drive is None or drive.get(key) is None:
            continue
        if drive[key] in seen:
            plan.errors.append("%s drive %d: %s: %s is not accepted; drive %d already has this %s"
                               % (where, index, key, describe(drive[key]), seen[drive[key]], what))
        else:
            seen[drive[key]] = index


def _plan_drive(plan, settings, where, index, drive):
    """The checked role keys and the protocol spec of one drive; None when it is not a mapping."""
    if not isinstance(drive, dict):
        plan.errors.append("%s: %s is not accepted; expected a drive spec (a mapping)" % (where, describe(drive)))
        return None
    errors_before = len(plan.errors)
    spec = {k: v for k, v in drive.items() if k not in _ROLE_DRIVE_KEYS}
    out = {
        "where": where,
        "spec": spec,
        "version": settings["version"],
        "libvirt_version": settings["libvirt_version"],
        "interface": plan.check(where, check_interface, drive.get("interface", "virtio")),
        "node_name": plan.check(where, check_node_name, drive.get("node_name", "drive%d" % index)),
        "format": plan.check(where, check_format, drive.get("format", "raw")),
        "read_only": None if drive.get("read_only") is None
        else plan.check(where, _bool, drive["read_only"], "read_only"),
        "xml": plan.check(where, _bool, drive.get("xml", True), "xml") and "xml" in settings["forms"],
        "on_unexpressible": plan.check(where, _choice, drive.get("xml_on_unexpressible",
                                                                 settings["on_unexpressible"]),
                                       "xml_on_unexpressible", ("fail", "omit")),
        "target_dev": drive.get("target_dev"),
        "target_bus": drive.get("target_bus", "virtio"),
        "device": drive.get("device", "disk"),
        "secret_usage": drive.get("secret_usage"),
        "secret_uuid": drive.get("secret_uuid"),
    }
    if not settings["plain_ok"] and ("password" in spec or spec.get("credentials") in ("inline", "env")):
        plan.errors.append("%s: credentials: %s is not accepted; a plain password would be written into the "
                           "files, so it needs qemu_drives_allow_plain_passwords: true - use password_secret "
                           "(a QEMU secret object id)" % (where, describe(spec.get("credentials", "inline"))))
    if settings["version"] is None:
        return out
    # The protocol node: every spec error is reported once, from here.
    node = plan.check(where, render_blockdev, spec, settings["version"], read_only=out["read_only"])
    out["protocol_node"] = node
    if len(plan.errors) > errors_before:
        out["failed"] = True
    elif "args" in settings["forms"] and settings["style"] in ("drive", "blockdev"):
        out["words"] = plan.check(where, _args_words, settings, out)
    return out


def _args_words(settings, drive):
    """The drive's two lines of drives.args; a value with a newline cannot be one line."""
    if settings["style"] == "blockdev":
        return ["-blockdev", json.dumps(_format_node(drive), separators=(",", ":"))]
    options = render_opts(drive["spec"], settings["version"], fmt=drive["format"], as_mapping=True)
    for name, value in options.items():
        if "\n" in value:
            raise SpecError("-drive %s" % name, value, "drives.args holds one argument per line, so no -drive "
                            "value can contain a newline; use qemu_drives_args_style: blockdev (JSON escapes "
                            "it) or leave args out of qemu_drives_forms")
    return ["-drive", _drive_word(settings, drive)]


def _name_disks(plan, where, planned):
    """Explicit target_dev values stay; the others take the first free names (virIndexToDiskName)."""
    with_xml = [d for d in planned if d is not None and d["xml"]]
    taken = {}
    for drive in with_xml:
        dev = drive["target_dev"]
        if not isinstance(dev, str):  # None: named below; any other non-text one the core refuses
            continue
        if dev in taken:
            plan.errors.append("%s: target_dev: %s is not accepted; drive %s already uses this name (libvirt: "
                               "'target ... duplicated for disk sources')"
                               % (drive["where"], describe(dev), taken[dev]["where"].rsplit(" ", 1)[-1]))
        else:
            taken[dev] = drive
    by_prefix = {}
    for drive in with_xml:
        if drive["target_dev"] is None:
            bus = drive["target_bus"]
            by_prefix.setdefault(_BUS_PREFIX.get(bus, "vd") if isinstance(bus, str) else "vd", []).append(drive)
    for prefix, drives in by_prefix.items():
        for drive, name in zip(drives, free_disk_names(len(drives), taken, prefix)):
            drive["target_dev"] = name
    for drive in with_xml:
        if drive.get("failed") or drive["protocol_node"] is None:
            continue
        drive["xml_text"] = plan.check(drive["where"], _disk_xml, drive)


def _disk_xml(drive):
    try:
        return render_disk_xml(drive["spec"], drive["version"], target_dev=drive["target_dev"],
                               target_bus=drive["target_bus"], device=drive["device"], fmt=drive["format"],
                               secret_usage=drive["secret_usage"], secret_uuid=drive["secret_uuid"],
                               read_only=drive["read_only"], on_unexpressible=drive["on_unexpressible"],
                               libvirt_version=drive["libvirt_version"])
    except SpecError as exc:
        raise _in_role_terms(exc, drive) from exc


def _in_role_terms(exc, drive):
    """The disk XML core's advice names filters and their arguments; say it with the role's keys."""
    if exc.field == "protocol":
        return SpecError("protocol", exc.value, "libvirt's domain schema (%d.%d, qemu_drives_libvirt_version) has "
                         "no %s network disk; set xml: false on this drive (its drives.args and blockdev.json "
                         "are still written) or leave xml out of qemu_drives_forms"
                         % (drive["libvirt_version"] + (exc.value,)))
    if exc.field == "options" and isinstance(exc.value, list):
        return SpecError("options", exc.value, "%s cannot be written in libvirt disk XML; set "
                         "xml_on_unexpressible: omit on this drive (or qemu_drives_xml_on_unexpressible: omit) "
                         "to leave them out of disk-%s.xml knowingly, or xml: false"
                         % (", ".join(exc.value), drive["target_dev"]))
    return exc


def _format_node(drive):
    """The format node over the protocol node, as -blockdev / blockdev-add take it."""
    node = {"driver": drive["format"], "node-name": drive["node_name"], "file": drive["protocol_node"]}
    if drive["protocol_node"].get("read-only"):
        node["read-only"] = True
    return node


def _drive_word(settings, drive):
    """The -drive value: the core's options with the format, then the checked attach keys."""
    pairs = list(render_opts(drive["spec"], settings["version"], fmt=drive["format"], as_mapping=True).items())
    pairs += [("if", drive["interface"]), ("id", drive["node_name"])]
    if drive["protocol_node"].get("read-only"):
        pairs.append(("readonly", "on"))
    return join_opts(pairs)


def _vm_files(settings, name, planned):
    base = "%s%s/%s" % (settings["root"], settings["dir"], name)
    drives = [d for d in planned if d is not None]
    files = []
    if "args" in settings["forms"]:
        words = [word for drive in drives for word in drive["words"]]
        files.append({"path": base + "/drives.args", "content": "".join(w + "\n" for w in words)})
    if "blockdev" in settings["forms"]:
        nodes = [_format_node(d) for d in drives]
        files.append({"path": base + "/blockdev.json",
                      "content": json.dumps(nodes, indent=2, sort_keys=True, separators=(",", ": ")) + "\n"})
    for drive in drives:
        if drive["xml"]:
            files.append({"path": "%s/disk-%s.xml" % (base, drive["target_dev"]), "content": drive["xml_text"] + "\n"})
    return files
