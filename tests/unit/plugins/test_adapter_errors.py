"""plugin_utils/adapter.py: a SpecError is a refusal naming the field; any other error from the
core is an internal error (a bug), reported with the filter's name and no value or traceback."""

import pytest
from ansible.errors import AnsibleFilterError, AnsibleLookupError

from ansible_collections.virt_uri.toolkit.plugins.lookup import libvirt_default_uri
from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError
from ansible_collections.virt_uri.toolkit.plugins.plugin_utils.adapter import CoreBugError, each_spec, filter_errors

SECRET = "Planted-Secret-9f2c41"


@filter_errors
def refusing_filter(spec):
    raise SpecError("server.port", spec, "an integer 1..65535")


@pytest.mark.parametrize("error", [KeyError(SECRET), TypeError("bad operand %s" % SECRET), IndexError(SECRET),
                                   AttributeError(SECRET), ValueError(SECRET), RuntimeError(SECRET)])
def test_a_crash_in_the_core_is_an_internal_error_not_a_refusal(error):
    @filter_errors
    def crashing_filter(spec):  # pylint: disable=unused-argument
        raise error

    with pytest.raises(CoreBugError) as caught:
        crashing_filter({"password": SECRET})
    assert not isinstance(caught.value, AnsibleFilterError)  # pytest.raises(AnsibleFilterError) does not take it
    assert str(caught.value) == (
        "crashing_filter: internal error (%s) in virt_uri.toolkit; this is a bug in the collection, not "
        "in the input: please report it with the input that caused it" % type(error).__name__)
    assert SECRET not in str(caught.value)
    assert caught.value.__cause__ is error


def test_a_spec_error_is_a_refusal_naming_the_field():
    with pytest.raises(AnsibleFilterError) as caught:
        refusing_filter(0)
    assert str(caught.value) == "refusing_filter: server.port: 0 is not accepted; an integer 1..65535"
    assert isinstance(caught.value.__cause__, SpecError)


def test_a_crash_inside_a_list_item_is_still_internal():
    @filter_errors
    @each_spec
    def crashing_filter(spec):
        return {}[spec]

    with pytest.raises(CoreBugError, match=r"^crashing_filter: internal error \(KeyError\)"):
        crashing_filter(["a"])


def test_lookup_reports_a_crash_in_the_core_as_internal(monkeypatch):
    def crash(**kwargs):
        raise KeyError(SECRET)

    monkeypatch.setattr(libvirt_default_uri, "resolve_default_uri", crash)
    lookup = libvirt_default_uri.LookupModule()
    with pytest.raises(CoreBugError, match=r"^libvirt_default_uri: internal error \(KeyError\)") as caught:
        lookup.run([], variables={}, probe=False)
    assert not isinstance(caught.value, AnsibleLookupError) and SECRET not in str(caught.value)
