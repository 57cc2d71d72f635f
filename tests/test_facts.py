"""Facts parsed from exercise and treatment text."""

import pytest

from pipeline.extract.facts import (body_position, hold_range, hold_seconds, medicines, reps, rest_seconds, sets,
                                    treatment_category, warning_conditions)


@pytest.mark.parametrize("text, seconds", [
    ("Hold this position for seven seconds and breathe in and out deeply.", 7),
    ("Hold this position for about five seconds.", 5),
    ("Try a 30-second hold.", 30),
    ("Hold for 1 minute, then switch sides.", 60),
    ("Stay here for 30 seconds.", 30),
    ("Hold for a 10-second count.", 10),
    ("hold it for twenty-five seconds", 25),
    ("Hold for 90 seconds", 90),
    ("Hold this position for six seconds, then rest for 10 seconds.", 6),
    ("Rest for 10 seconds between reps.", None),
    ("Walk for 30 minutes a day.", None),
    ("Do 10 squats.", None),
    ("Die Position zehn Sekunden halten.", 10),
])
def test_hold_seconds(text, seconds):
    assert hold_seconds(text) == seconds


def test_hold_range_keeps_both_ends():
    assert hold_range("Hold for 20 to 30 seconds.") == (20, 30)
    assert hold_range("Hold for 2-3 minutes.") == (120, 180)


def test_rest_is_kept_apart_from_hold():
    text = "Hold for five seconds, then rest for 10 seconds. Perform 3 sets with a minute of rest between them."
    assert hold_seconds(text) == 5
    assert rest_seconds(text) == 10
    assert rest_seconds("3 sets with a minute of rest between them") == 60


@pytest.mark.parametrize("text, name, count", [
    ("Repeat 10 times.", "", 10), ("Do 8 to 12 repetitions.", "", 8), ("Do 10 slow repetitions.", "", 10),
    ("", "150 Burpee pull-ups", 150), ("", "Run 10 miles", None), ("12 reps of each exercise", "", 12),
    ("Hold for 30 seconds.", "", None),
])
def test_reps(text, name, count):
    assert reps(text, name) == count


def test_sets():
    assert sets("Complete 2 sets.") == 2
    assert sets("Do 3 rounds") == 3
    assert sets("Hold for five seconds.") is None


@pytest.mark.parametrize("text, position", [
    ("Lie on your back and move to a fetal position.", "lying on your back"),
    ("Kneel on all fours with your knees slightly apart.", "on all fours"),
    ("Lay on your back with your knees bent", "lying on your back"),
    ("Lie face down on the mat.", "lying face down"),
    ("Stand with your feet hip-width apart.", "standing"),
    ("Breathe deeply.", None),
])
def test_body_position(text, position):
    assert body_position(text) == position


@pytest.mark.parametrize("name, category", [
    ("Use medications", "medication"), ("Apply heat with a heating pad", "heat"), ("Ice the area", "cold"),
    ("Rest from daily activities", "rest"), ("Call your physician in severe cases", "professional care"),
    ("Prevent back spasms by avoiding triggers", "prevention"), ("Book a massage", "massage"),
    ("Eat more fiber", "diet"), ("Try yoga", "exercise"), ("Practice mindfulness", "other"),
])
def test_treatment_category(name, category):
    assert treatment_category(name) == category


def test_medicines_and_warnings():
    text = ("An NSAID such as ibuprofen helps. See a doctor: it may be a sign of something serious, such as "
            "kidney infection (pyelonephritis), slipped disc or osteoarthritis.")
    assert medicines(text) == ["NSAID", "ibuprofen"]
    assert warning_conditions(text) == ["kidney infection (pyelonephritis)", "slipped disc", "osteoarthritis"]
