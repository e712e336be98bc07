# -*- coding: utf-8 -*-
# Copyright: virt_uri.toolkit contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property runs that count refusals instead of returning early on them.

A property that returns on every SpecError holds for a renderer that refuses everything. Here
each refusal a property allows is pinned with its reason, any other refusal fails, and the
share of generated inputs accepted has a floor.
"""

from __future__ import annotations

from hypothesis import given, settings

from ansible_collections.virt_uri.toolkit.plugins.module_utils.errors import SpecError


def refusal(field, accepted_prefix):
    """An allowed refusal: SpecError on ``field`` whose "accepted" text starts with the prefix."""
    def matches(exc, _value):
        return exc.field == field and exc.accepted.startswith(accepted_prefix)
    matches.reason = "%s: %s" % (field, accepted_prefix)
    return matches


def holds(strategy, check, allowed, min_accepted, max_examples=300):
    """Run ``check(value)`` over ``strategy``; a SpecError must match one of ``allowed``
    (callables ``(exc, value) -> bool``, see :func:`refusal`); at least ``min_accepted`` of
    the generated values must pass ``check`` unrefused. Returns the outcomes: None for an
    accepted value, the matching ``allowed`` entry for a refused one."""
    outcomes = []

    @settings(derandomize=True, max_examples=max_examples, deadline=None, database=None)
    @given(strategy)
    def run(value):
        try:
            check(value)
        except SpecError as exc:
            reason = next((rule for rule in allowed if rule(exc, value)), None)
            assert reason is not None, "refusal not allowed by this property: %s" % exc
            outcomes.append(reason)
            return
        outcomes.append(None)

    run()
    accepted = outcomes.count(None) / len(outcomes)
    assert accepted >= min_accepted, "only %.0f%% of %d generated values accepted (floor %.0f%%)" % (
        100 * accepted, len(outcomes), 100 * min_accepted)
    return outcomes
