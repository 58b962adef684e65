"""The three-way merge of case changes, rule by rule (PROTOCOL.md, "Cases")."""

from __future__ import annotations

import pytest

from forms.cases import load_case_types
from sync.merge import (
    Candidate,
    Rule,
    Source,
    State,
    merge,
    merge_notes,
    merge_set,
    merge_status,
    overlay,
    rule_of,
    same,
)

RULES = {
    "head_name": "value",
    "members": "value",
    "phones": "set",
    "notes": "notes",
    "status": {"rule": "status", "order": ["registered", "visited", "supported", "closed"]},
}
K1 = Source("kiosk:K01", "1763717400000.0000@K01", "c-1", "k1")
K2 = Source("kiosk:K02", "1763717401000.0000@K02", "c-2", "k2")
K3 = Source("kiosk:K03", "1763717402000.0000@K03", "c-3", "k3")


def _change(**fields):
    return {name: {"old": old, "new": new} for name, (old, new) in fields.items()}


def _after(state, *changes):
    for patch, source in changes:
        state = merge(state, RULES, patch, source).state
    return state


def test_a_field_nobody_else_touched_takes_the_new_value():
    outcome = merge({"head_name": "Amina"}, RULES, _change(head_name=("Amina", "Awa")), K1)
    assert outcome.state.fields == {"head_name": "Awa"}
    assert outcome.state.sources["head_name"] == K1
    assert outcome.moved == {"head_name"} and not outcome.opened and outcome.changed


def test_the_same_edit_on_both_sides_is_no_conflict():
    state = _after(State({"head_name": "Amina"}), (_change(head_name=("Amina", "Awa")), K1))
    outcome = merge(state, RULES, _change(head_name=("Amina", "Awa")), K2)
    assert outcome.state.fields == {"head_name": "Awa"}
    assert not outcome.opened and not outcome.moved and not outcome.changed
    assert not outcome.state.conflicts


def test_different_values_conflict_and_keep_every_candidate():
    state = _after(
        State({"head_name": "Amina"}, {"head_name": K1}), (_change(head_name=("Amina", "Awa")), K2)
    )
    outcome = merge(state, RULES, _change(head_name=("Amina", "Ngozi")), K3)
    assert outcome.opened == {"head_name": "Amina"}
    candidates = outcome.state.conflicts["head_name"]
    assert [(c.value, c.source) for c in candidates] == [("Awa", K2), ("Ngozi", K3)]
    assert outcome.state.fields["head_name"] == "Ngozi"  # K3's hlc is the latest
    assert outcome.changed


def test_the_conflicted_field_shows_the_latest_hlc_whatever_the_arrival_order():
    base = State({"head_name": "Amina"})
    late_first = _after(
        base, (_change(head_name=("Amina", "Ngozi")), K3), (_change(head_name=("Amina", "Awa")), K2)
    )
    late_last = _after(
        base, (_change(head_name=("Amina", "Awa")), K2), (_change(head_name=("Amina", "Ngozi")), K3)
    )
    assert late_first.fields == late_last.fields == {"head_name": "Ngozi"}
    values = {c.value for c in late_first.conflicts["head_name"]}
    assert values == {c.value for c in late_last.conflicts["head_name"]} == {"Awa", "Ngozi"}


def test_a_conflict_that_opens_under_an_older_value_may_not_move_the_field():
    state = _after(State({}), (_change(head_name=(None, "Awa")), K3))
    outcome = merge(state, RULES, _change(head_name=("Amina", "Ngozi")), K1)
    assert outcome.state.fields["head_name"] == "Awa"
    assert outcome.opened and not outcome.moved and outcome.changed


def test_an_open_conflict_takes_every_later_value_as_a_candidate():
    state = _after(
        State({"head_name": "Amina"}),
        (_change(head_name=("Amina", "Awa")), K1),
        (_change(head_name=("Amina", "Ngozi")), K2),
    )
    outcome = merge(state, RULES, _change(head_name=("Ngozi", "Zainab")), K3)
    assert outcome.joined == {"head_name"} and not outcome.opened
    assert [c.value for c in outcome.state.conflicts["head_name"]] == ["Awa", "Ngozi", "Zainab"]
    assert outcome.state.fields["head_name"] == "Zainab"


def test_different_fields_of_concurrent_changes_merge_without_conflict():
    base = State({"head_name": "Amina", "members": 3})
    state = _after(
        base,
        (_change(head_name=("Amina", "Awa")), K1),
        (_change(members=(3, 4)), K2),
    )
    assert state.fields == {"head_name": "Awa", "members": 4} and not state.conflicts


def test_a_change_made_with_base_version_0_is_merged_with_old_null():
    state = State({"head_name": "Amina", "members": 3})
    patch = _change(head_name=("Amina", "Awa"), members=(None, 3))
    outcome = merge(state, RULES, patch, K2, creates=True)
    assert set(outcome.opened) == {"head_name"}  # its old is taken as null, not Amina
    assert "members" not in outcome.state.conflicts


def test_a_field_sent_unchanged_is_not_merged():
    state = _after(
        State({"head_name": "Amina", "members": 3}), (_change(head_name=("Amina", "Awa")), K1)
    )
    outcome = merge(state, RULES, _change(head_name=("Amina", "Amina"), members=(3, 4)), K2)
    assert outcome.state.fields == {"head_name": "Awa", "members": 4}
    assert not outcome.opened and outcome.moved == {"members"}
    created = merge(state, RULES, _change(head_name=("Zainab", "Zainab")), K2, creates=True)
    assert created.opened == {"head_name": None}  # its old is null: it did set the field


def test_values_are_compared_as_json():
    assert not same(1, True) and not same(0, False) and not same(1, 1.5)
    assert same({"a": 1, "b": [2]}, {"b": [2], "a": 1})
    outcome = merge({"members": 1}, RULES, _change(members=(True, 2)), K1)
    assert outcome.opened == {"members": True}


def test_lists_merge_as_sets_never_in_conflict():
    central = ["+254700000001", "+254700000002"]
    kiosk_old, kiosk_new = ["+254700000001"], ["+254700000003"]
    merged = merge_set(central, kiosk_old, kiosk_new)
    assert merged == ["+254700000002", "+254700000003"]  # central's order, then what was added
    assert merge_set(None, None, ["a", "a", "b"]) == ["a", "b"]
    assert merge_set(["a"], ["a", "x"], ["a"]) == ["a"]  # removing what central lacks: nothing
    assert merge_set(["a", "b"], ["a"], ["a", "b"]) == ["a", "b"]  # adding what it has: once


def test_concurrent_additions_and_removals_to_a_set_are_all_kept():
    state = _after(
        State({"phones": ["p1", "p2"]}),
        (_change(phones=(["p1", "p2"], ["p1", "p2", "p3"])), K1),
        (_change(phones=(["p1", "p2"], ["p2", "p4"])), K2),
    )
    assert state.fields["phones"] == ["p2", "p3", "p4"] and not state.conflicts


def test_notes_added_are_appended_in_hlc_order_and_never_removed():
    state = _after(
        State({}),
        (_change(notes=(None, ["visited on Monday"])), K2),
        (_change(notes=([], ["first call", "second call"])), K1),
    )
    notes = state.fields["notes"]
    assert [(n["text"], n["hlc"], n["actor"]) for n in notes] == [
        ("first call", K1.hlc, K1.actor),
        ("second call", K1.hlc, K1.actor),
        ("visited on Monday", K2.hlc, K2.actor),
    ]
    after = merge(state, RULES, _change(notes=(notes, [notes[0], "seen again"])), K3).state
    assert [n["text"] for n in after.fields["notes"]] == [
        "first call",
        "second call",
        "visited on Monday",
        "seen again",
    ]


def test_a_note_central_already_has_is_not_added_twice():
    entry = {"text": "visited", "hlc": K1.hlc, "actor": K1.actor}
    assert merge_notes([entry], None, [entry], K2) == [entry]
    assert merge_notes([], [], [entry], K2) == [entry]  # kept as it is, not stamped again


def test_a_status_moves_forward_only():
    order = ("registered", "visited", "supported", "closed")
    assert merge_status("registered", "visited", order) == "visited"
    assert merge_status("supported", "visited", order) == "supported"
    assert merge_status(None, "registered", order) == "registered"
    assert merge_status("visited", None, order) == "visited"
    assert merge_status("visited", "lost", order) == "visited"
    state = _after(
        State({"status": "registered"}),
        (_change(status=("registered", "supported")), K1),
        (_change(status=("registered", "visited")), K2),
    )
    assert state.fields["status"] == "supported" and not state.conflicts


def test_rules_come_from_case_types_dicts_or_names():
    household = load_case_types()["household"]
    assert rule_of(household.fields["status"]) == Rule(
        "status", ("registered", "visited", "supported", "closed")
    )
    assert rule_of(household.fields["phones"]) == Rule("set")
    assert rule_of({"rule": "notes"}) == Rule("notes") and rule_of("value") == Rule()
    with pytest.raises(ValueError, match="unknown merge rule"):
        rule_of("newest")


def test_a_kiosk_sees_its_own_unacknowledged_change_on_top_of_what_it_pulled():
    pulled = {"head_name": "Awa", "phones": ["p1", "p2"], "status": "supported", "members": 5}
    patch = _change(
        head_name=("Amina", "Zainab"),
        phones=(["p1"], ["p1", "p3"]),
        status=("registered", "visited"),
        members=(3, 3),  # sent unchanged: central's newer value shows
    )
    assert overlay(pulled, RULES, patch, K1) == {
        "head_name": "Zainab",
        "phones": ["p1", "p2", "p3"],
        "status": "supported",
        "members": 5,
    }


def test_candidates_round_trip_through_json():
    candidate = Candidate("Awa", K1)
    assert candidate.as_json() == {
        "value": "Awa",
        "change_id": "c-1",
        "kiosk_id": "k1",
        "actor": "kiosk:K01",
        "hlc": K1.hlc,
    }
    assert Candidate.from_json(candidate.as_json()) == candidate
