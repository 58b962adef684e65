"""Answers as staff read them: the form's questions with choice labels, whether the
choices are the question's own, a shared list's or a reference list's."""

from __future__ import annotations

from forms.library import load_directory
from sync.central import answers

DEFINITIONS = load_directory()


def test_choices_read_as_their_labels_wherever_the_list_lives():
    household = DEFINITIONS["household-registration"]
    assert household.field("village").choices_from == "villages"
    rows = dict(answers.rows(household, {"village": "busia", "head_name": "Amina Odhiambo"}))
    assert rows["Which village does the household live in?"] == "Busia"
    birth = DEFINITIONS["birth-certificate"]
    listed = next(f for f in birth.all_fields() if f.choice_list is not None)
    value = birth.choices(listed)[0]
    shown = dict(answers.rows(birth, {listed.name: value.value}))
    assert shown[listed.label.get("en", "en")] == value.label.get("en", "en")


def test_an_answer_the_form_does_not_know_is_still_shown():
    household = DEFINITIONS["household-registration"]
    rows = answers.rows(household, {"village": "atlantis", "extra": "kept"})
    assert ("Which village does the household live in?", "atlantis") in rows
    assert rows[-1] == ("extra", "kept")
