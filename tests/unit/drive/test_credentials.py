"""How a password reaches QEMU (drive/credentials.py: normalize_credentials), with the two
callers' settings: iscsi (secret, env or inline; a password_secret needs a user) and curl (secret
or inline; a password_secret alone is fine, and 'inline' may carry only a cookie). Each row: the
credential keys of the spec -> the exact keys normalized, or the field and the whole message of
the refusal (a plain password is never shown)."""

from __future__ import annotations

import pytest

from ansible_collections.virt_uri.toolkit.plugins.module_utils.drive.credentials import normalize_credentials
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError

# protocols/iscsi.py: normalize; protocols/curl.py: normalize
ISCSI = {"modes": ("secret", "env", "inline")}
CURL = {"modes": ("secret", "inline"), "user_required_with_secret": False, "password_optional": True}

ACCEPTED = [
    (ISCSI, {}, {}),
    (ISCSI, {"user": "u"}, {"user": "u"}),
    (ISCSI, {"user": None, "password": None, "password_secret": None}, {}),
    (ISCSI, {"credentials": "secret", "user": "u", "password_secret": "sec0"}, {"user": "u", "password_secret": "sec0"}),
    (ISCSI, {"user": "u", "password_secret": "a-1.b_2"}, {"user": "u", "password_secret": "a-1.b_2"}),
    (ISCSI, {"credentials": "env", "user": "u", "password": "p@ss"},
     {"user": "u", "credentials": "env", "password": "p@ss"}),
    (ISCSI, {"credentials": "inline", "user": "u", "password": "p", "password_secret": None},
     {"user": "u", "credentials": "inline", "password": "p"}),
    (CURL, {}, {}),
    (CURL, {"password_secret": "sec0"}, {"password_secret": "sec0"}),
    (CURL, {"user": "u", "password_secret": "sec0"}, {"user": "u", "password_secret": "sec0"}),
    # 'inline' with no password: a plain cookie only (curl.py checks the cookie itself)
    (CURL, {"credentials": "inline"}, {"credentials": "inline"}),
    (CURL, {"credentials": "inline", "user": "u"}, {"user": "u", "credentials": "inline"}),
    (CURL, {"credentials": "inline", "user": "u", "password": "p"},
     {"user": "u", "credentials": "inline", "password": "p"}),
]


@pytest.mark.parametrize("caller,spec,expected", ACCEPTED, ids=["row%d" % i for i in range(len(ACCEPTED))])
def test_accepted(caller, spec, expected):
    assert normalize_credentials(spec, **caller) == expected


REFUSED = [
    (ISCSI, {"credentials": "plain"}, "credentials",
     "credentials: 'plain' is not accepted; expected one of: secret, env, inline"),
    (CURL, {"credentials": "env", "user": "u", "password": "p"}, "credentials",
     "credentials: 'env' is not accepted; expected one of: secret, inline"),
    (ISCSI, {"user": 7}, "user", "user: 7 is not accepted; expected a string, got int"),
    (ISCSI, {"user": ""}, "user", "user: '' is not accepted; expected a non-empty string"),
    (ISCSI, {"user": "u", "password": "hunter2"}, "password",
     "password: <hidden> is not accepted; a plain password is rendered only with credentials 'inline' or "
     "'env'; by default give password_secret (the id of a QEMU secret object)"),
    (CURL, {"user": "u", "password": "hunter2"}, "password",
     "password: <hidden> is not accepted; a plain password is rendered only with credentials 'inline'; by "
     "default give password_secret (the id of a QEMU secret object)"),
    (ISCSI, {"user": "u", "password_secret": "0sec"}, "password_secret",
     "password_secret: '0sec' is not accepted; expected a QEMU object id: a letter, then letters, digits, "
     "'-', '.', '_'"),
    (ISCSI, {"password_secret": "sec0"}, "user", "user: required with password_secret"),
    (ISCSI, {"credentials": "env", "user": "u", "password_secret": "sec0"}, "password_secret",
     "password_secret: 'sec0' is not accepted; not used with credentials 'env' (that mode takes 'password')"),
    (CURL, {"credentials": "inline", "password_secret": "sec0"}, "password_secret",
     "password_secret: 'sec0' is not accepted; not used with credentials 'inline' (that mode takes 'password')"),
    (ISCSI, {"credentials": "inline", "password": "p"}, "user", "user: required with credentials 'inline'"),
    (ISCSI, {"credentials": "env", "password": "p"}, "user", "user: required with credentials 'env'"),
    (CURL, {"credentials": "inline", "password": "p"}, "user", "user: required with credentials 'inline'"),
    (ISCSI, {"credentials": "inline", "user": "u"}, "password", "password: required with credentials 'inline'"),
    (ISCSI, {"credentials": "env", "user": "u", "password": None}, "password",
     "password: required with credentials 'env'"),
    (ISCSI, {"credentials": "env", "user": "u", "password": 1234}, "password",
     "password: <hidden> is not accepted; expected a string, got int"),
    (CURL, {"credentials": "inline", "user": "u", "password": ""}, "password",
     "password: <hidden> is not accepted; expected a non-empty string"),
]


@pytest.mark.parametrize("caller,spec,field,message", REFUSED, ids=["row%d" % i for i in range(len(REFUSED))])
def test_refused(caller, spec, field, message):
    with pytest.raises(SpecError) as caught:
        normalize_credentials(spec, **caller)
    assert (caught.value.field, str(caught.value)) == (field, message)
