"""QemuOpts escaping: escape then split gives the value back, whatever it holds."""

from hypothesis import given, settings, strategies as st

from ansible_collections.virt_uri.toolkit.plugins.module_utils.qemu_opts import (
    escape_opt_value, flatten_options, join_opts, split_opts,
)


@settings(derandomize=True, max_examples=500)
@given(st.text(), st.text(alphabet=",=ab ", max_size=12))
def test_escape_splits_back(value, other):
    text = "driver=raw,file.filename=%s,x=%s" % (escape_opt_value(value), escape_opt_value(other))
    assert split_opts(text) == [("driver", "raw"), ("file.filename", value), ("x", other)]


def test_short_form_boolean_is_seen():
    assert split_opts("filename=/tmp/x,y") == [("filename", "/tmp/x"), ("y", None)]
    assert split_opts("filename=/tmp/x,,y") == [("filename", "/tmp/x,y")]


def test_flatten_lists_and_booleans():
    flat = flatten_options({"server": [{"type": "inet"}, {"type": "unix"}], "sslverify": False})
    assert flat == [("server.0.type", "inet"), ("server.1.type", "unix"), ("sslverify", "off")]
    assert join_opts([("a", "x,y")]) == "a=x,,y"


def test_trailing_comma_and_empty_text_add_no_option():
    # util/qemu-option.c opts_do_parse() loops while *p: after the last ',' (or in an empty
    # string) nothing is left to read, so no empty-named option appears.
    assert split_opts("") == []
    assert split_opts("y,") == [("y", None)]
    assert split_opts("driver=raw,") == [("driver", "raw")]


def test_a_name_runs_to_the_first_equals_or_comma():
    # get_opt_name_value(): the name is everything before '=' or ',', whatever the letters.
    assert split_opts("aXb=c,X") == [("aXb", "c"), ("X", None)]


def test_booleans_are_on_and_off():
    # qapi/qapi-util.c qapi_bool_parse() reads only lower-case on/off (yes/no, true/false, y/n).
    assert flatten_options({"read-only": True, "cache": {"direct": False}}) == [
        ("read-only", "on"), ("cache.direct", "off")]
    assert join_opts(flatten_options({"auto-read-only": True})) == "auto-read-only=on"
