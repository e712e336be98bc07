"""The one error type of the core (plugins/module_utils/errors.py): the text names the field, the
value (shortened, or hidden for a secret) and what is accepted; rename() moves it to the path the
user wrote."""

from __future__ import annotations

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError, describe


def test_text_of_a_value():
    err = SpecError("servers.0.port", 0, "expected an integer between 1 and 65535")
    assert (err.field, err.value, err.accepted, err.secret) == ("servers.0.port", 0,
                                                                "expected an integer between 1 and 65535", False)
    assert str(err) == "servers.0.port: 0 is not accepted; expected an integer between 1 and 65535"
    assert err.args == (str(err),) and isinstance(err, ValueError)


def test_text_of_a_missing_field():
    assert str(SpecError("lun", None, "required: the LUN number")) == "lun: required: the LUN number"


def test_a_secret_is_hidden():
    err = SpecError("password", "hunter2", "refused", secret=True)
    assert (str(err), err.secret) == ("password: <hidden> is not accepted; refused", True)
    assert str(SpecError("password", "hunter2", "refused", True)) == "password: <hidden> is not accepted; refused"


def test_describe_shortens_long_values():
    assert describe("a" * 118) == repr("a" * 118)  # 120 characters with the quotes
    assert describe("a" * 119) == repr("a" * 119)[:120] + "...(121 chars)"
    assert describe(5) == "5" and describe(None) == "None"
    assert str(SpecError("x", "a" * 200, "ok")) == "x: %s...(202 chars) is not accepted; ok" % ("'" + "a" * 119)


def test_rename():
    err = SpecError("servers.0.socket", "/s", "bad", secret=True)
    assert err.rename("server.socket") is err
    assert (err.field, str(err), err.args) == ("server.socket", "server.socket: <hidden> is not accepted; bad",
                                               ("server.socket: <hidden> is not accepted; bad",))
    missing = SpecError("servers.0.host", None, "required").rename("server.host")
    assert str(missing) == "server.host: required"
