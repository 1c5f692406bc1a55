"""Reminder schedules edited as days and hours, stored as hours, said as a sentence."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from calls import reminder_offsets as offsets


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_whole_days_read_as_days_and_the_rest_as_hours():
    assert offsets.to_rows([168, 48, 3, 30]) == [(7, "days"), (2, "days"), (3, "hours"), (30, "hours")]
    assert offsets.to_rows([]) == []


def test_rows_become_hours_earliest_first_and_empty_rows_are_skipped():
    rows = [("3", "hours"), ("", "days"), ("7", "days"), (" 2 ", "days")]
    assert offsets.from_rows(rows) == [168, 48, 3]
    assert offsets.from_rows([("", "days")]) == []


def messages(rows):
    with pytest.raises(ValidationError) as error:
        offsets.from_rows(rows)
    return error.value.messages


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([("0", "days")], "Reminder 1: give from 1 hour to 90 days before the deadline."),
        ([("2", "days"), ("-3", "hours")], "Reminder 2: give from 1 hour to 90 days before the deadline."),
        ([("91", "days")], "Reminder 1: give from 1 hour to 90 days before the deadline."),
        ([("2161", "hours")], "Reminder 1: give from 1 hour to 90 days before the deadline."),
        ([("1.5", "days")], "Reminder 1: “1.5” is not a whole number."),
        ([("2", "weeks")], "Reminder 1: choose days or hours."),
        (
            [("2", "days"), ("48", "hours")],
            "Reminder 2 (48 hours) falls at the same time as 2 days: remove one of them.",
        ),
        ([(str(n), "hours") for n in range(1, 12)], "At most 10 reminders."),
    ],
)
def test_what_cannot_be_meant_is_refused_naming_the_row(rows, expected):
    assert messages(rows) == [expected]


def test_every_wrong_row_is_named_at_once():
    assert len(messages([("0", "days"), ("x", "hours"), ("1", "days")])) == 2


def test_a_schedule_is_said_as_a_sentence():
    assert offsets.sentence([168, 48, 3]) == "7 days, 2 days and 3 hours before the application deadline."
    assert offsets.sentence([24, 72], offsets.REVIEW_DEADLINE) == "3 days and 1 day before the review deadline."
    assert offsets.sentence([1]) == "1 hour before the application deadline."
    assert offsets.sentence([]) == "No reminder."


def test_the_sentence_in_french():
    with translation.override("fr"):
        assert offsets.sentence([168, 48, 3]) == "7 jours, 2 jours et 3 heures avant la date limite de candidature."
        assert offsets.sentence([24], offsets.REVIEW_DEADLINE) == "1 jour avant la date limite d’évaluation."
