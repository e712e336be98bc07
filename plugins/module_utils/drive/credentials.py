# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a password reaches QEMU: a secret object (default), the environment, or inline.

A plain password is only accepted when the user chose 'env' or 'inline' explicitly, so
secrets stay out of rendered strings by default.
"""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.fields import need_str
from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.options import need_object_id

__all__ = ["normalize_credentials"]


def normalize_credentials(spec, modes, user_required_with_secret=True, password_optional=False):
    """Return the credential keys of a normalized spec: user, password_secret or password.

    password_optional: 'inline' may also just allow other plain secrets (curl's cookie).
    """
    mode = spec.get("credentials", "secret")
    if mode not in modes:
        raise SpecError("credentials", mode, "expected one of: %s" % ", ".join(modes))
    out = {}
    if spec.get("user") is not None:
        out["user"] = need_str(spec["user"], "user")
    if mode == "secret":
        if spec.get("password") is not None:
            raise SpecError("password", spec["password"], "a plain password is rendered only with "
                            "credentials 'inline'%s; by default give password_secret (the id of a "
                            "QEMU secret object)" % (" or 'env'" if "env" in modes else ""), secret=True)
        if spec.get("password_secret") is not None:
            out["password_secret"] = need_object_id(spec["password_secret"], "password_secret")
            if "user" not in out and user_required_with_secret:
                raise SpecError("user", None, "required with password_secret")
        return out
    if spec.get("password_secret") is not None:
        raise SpecError("password_secret", spec["password_secret"],
                        "not used with credentials '%s' (that mode takes 'password')" % mode)
    out["credentials"] = mode
    if password_optional and spec.get("password") is None:
        return out
    if "user" not in out:
        raise SpecError("user", None, "required with credentials '%s'" % mode)
    if spec.get("password") is None:
        raise SpecError("password", None, "required with credentials '%s'" % mode)
    out["password"] = need_str(spec["password"], "password", secret=True)
    return out
