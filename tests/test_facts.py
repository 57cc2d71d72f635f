"""Facts parsed from exercise and treatment text: the dosage grammar and the older single-fact functions."""

import pytest

from pipeline.extract.facts import (MAX_CHARS, Dosage, Fact, body_position, column_kind, hold_range, hold_seconds,
                                    medicines, number, parse_dosage, plan_dosage, reps, rest_seconds, sets,
                                    table_dosage, treatment_category, warning_conditions)

# Short names for the record's columns, so the table below stays readable.
KEYS = {"hold": "hold_seconds", "hold_max": "hold_seconds_max", "reps": "reps", "reps_max": "reps_max",
        "sets": "sets", "sets_max": "sets_max", "rest": "rest_seconds", "duration": "duration_seconds",
        "freq": "frequency", "side": "per_side"}
# Every case asserts all six facts: the ones it names have those values, the others must be None.
MAIN = ("hold", "reps", "sets", "rest", "duration", "freq")


def check(record: dict, expected: dict) -> None:
    for key in MAIN:
        assert record[KEYS[key]] == expected.get(key), f"{key}: {record}"
    for key in ("hold_max", "reps_max", "sets_max", "side"):
        if key in expected:
            assert record[KEYS[key]] == expected[key], f"{key}: {record}"


ENGLISH = [
    # holds, phrased many ways
    ("Hold for 30 seconds.", {"hold": 30, "hold_max": None}),
    ("Keep the stretch for 20 seconds, breathing slowly.", {"hold": 20}),
    ("Stay here for a minute.", {"hold": 60}),
    ("Try a 30-second hold.", {"hold": 30}),
    # a wall sit is held as a plank is; sit-ups and wall push-ups for a time are a duration
    ("Wall sit: 3 sets of 30 seconds", {"hold": 30, "sets": 3}),
    ("Finish with a 45-second wall sit.", {"hold": 45}),
    ("Sit-ups: 3 sets of 30 seconds", {"duration": 30, "sets": 3}),
    ("Wall push-ups: 3 sets of 30 seconds", {"duration": 30, "sets": 3}),
    ("Chaise contre le mur : 3 séries de 30 secondes", {"hold": 30, "sets": 3}),
    ("Wandsitzen: 3 Sätze à 30 Sekunden", {"hold": 30, "sets": 3}),
    ("Pause for 2 seconds at the top, then lower slowly.", {"hold": 2}),
    ("Hold the plank for twenty-five seconds.", {"hold": 25}),
    ("Hold it for half a minute.", {"hold": 30}),
    ("Hold for one and a half minutes.", {"hold": 90}),
    ("Hold for 1.5 minutes.", {"hold": 90}),
    ("Remain in the pose for 2 minutes.", {"hold": 120}),
    ("Keep your workouts to 50-60 minutes.", {"duration": 3000}),  # too long for a position: a duration
    ("Stay active for 30 minutes a day.", {"duration": 1800, "freq": "daily"}),
    ("Squeeze your shoulder blades together for 5 seconds.", {"hold": 5}),
    ("Hold for 20 to 30 seconds.", {"hold": 20, "hold_max": 30}),
    ("Hold each position for 15-30 seconds on each side.", {"hold": 15, "hold_max": 30, "side": True}),
    ("Hold for 2-3 minutes.", {"hold": 120, "hold_max": 180}),
    ("A 30-second plank is enough to start.", {"hold": 30}),
    # repetitions and sets
    ("Repeat 10 times.", {"reps": 10}),
    ("Do 8 to 12 repetitions.", {"reps": 8, "reps_max": 12}),
    ("Do 10 slow repetitions.", {"reps": 10}),
    ("8-12 reps", {"reps": 8, "reps_max": 12}),
    ("8–12 reps", {"reps": 8, "reps_max": 12}),
    ("Aim for a dozen reps.", {"reps": 12}),
    ("Repeat twice.", {"reps": 2}),
    ("Repeat 1-3 times.", {"reps": 1, "reps_max": 3}),
    ("Repeat the movement three times.", {"reps": 3}),
    ("Complete 3 sets of eight.", {"sets": 3, "reps": 8}),
    ("Do 3 sets of 10.", {"sets": 3, "reps": 10}),
    ("Do 2-3 sets of 8-12 reps.", {"sets": 2, "sets_max": 3, "reps": 8, "reps_max": 12}),
    ("3 x 10", {"sets": 3, "reps": 10}),
    ("3x10", {"sets": 3, "reps": 10}),
    ("3 × 12", {"sets": 3, "reps": 12}),
    ("Do 10 reps x 3 sets.", {"reps": 10, "sets": 3}),
    ("Do 3 sets to failure.", {"sets": 3}),
    ("Do 3 sets of 15 reps per arm.", {"sets": 3, "reps": 15, "side": True}),
    ("Do 10 reps on each leg.", {"reps": 10, "side": True}),
    ("Hold 30 seconds per side.", {"hold": 30, "side": True}),
    ("Do 10 reps with each arm.", {"reps": 10, "side": True}),
    ("Lunges: 3 sets of 10 per leg.", {"sets": 3, "reps": 10, "side": True}),  # "per" of a side, not "per cent"
    ("Do 2 sets of 8 per side.", {"sets": 2, "reps": 8, "side": True}),
    ("Side plank: 3 x 10 per side.", {"sets": 3, "reps": 10, "side": True}),
    ("3 sets of 10 per cent more weight.", {"sets": 3}),
    ("Jumping jacks: 3 sets of 45 seconds.", {"sets": 3, "duration": 45}),
    ("Plank: 3 x 30 seconds.", {"sets": 3, "hold": 30}),
    ("Hold for 30 seconds; rest for 30 seconds; repeat 3 times.", {"hold": 30, "rest": 30, "reps": 3}),
    ("Repeat the whole circuit 3 times.", {"sets": 3}),
    # "more" counts on from what was just done: the one described, and N more.
    ("Rest for 30 seconds, then do two more sets.", {"rest": 30, "sets": 3}),
    ("Hold for 20 seconds. Repeat 3 more times.", {"hold": 20, "reps": 4}),
    ("Do 10 reps, rest, and do 2-3 more sets.", {"reps": 10, "sets": 3, "sets_max": 4}),
    ("Then do two additional sets of 12.", {"sets": 3, "reps": 12}),
    ("Do 3 rounds.", {"sets": 3}),
    ("Squats x 12", {"reps": 12}),
    ("Reps: 10-12", {"reps": 10, "reps_max": 12}),
    ("Sets and reps: 3 sets of 12", {"sets": 3, "reps": 12}),  # a compound label: the value says which is which
    ("Sets/reps: 3 x 12", {"sets": 3, "reps": 12}),
    ("Reps and sets: 3 sets of 10", {"sets": 3, "reps": 10}),
    ("Perform 8 to 10 repetitions. Work up to 15.", {"reps": 8, "reps_max": 10}),
    # rest
    ("Rest 60 seconds between sets.", {"rest": 60}),
    ("Take a 30-second break.", {"rest": 30}),
    ("1 minute of rest between rounds.", {"rest": 60}),
    ("Take 30 seconds between sets.", {"rest": 30}),
    ("Hold this position for six seconds, then rest for 10 seconds.", {"hold": 6, "rest": 10}),
    ("Hold for 10s. Rest for 20s.", {"hold": 10, "rest": 20}),
    # durations and frequency
    ("Walk for 10 minutes.", {"duration": 600}),
    ("30 minutes of cardio.", {"duration": 1800}),
    ("Jog 20 min.", {"duration": 1200}),
    ("Walk for 30 minutes a day.", {"duration": 1800, "freq": "daily"}),
    ("Cycle for 20-30 minutes, 3-5 days per week.", {"duration": 1200, "freq": "3-5 days a week"}),
    ("Do this stretch daily.", {"freq": "daily"}),
    ("Stretch on a daily basis.", {"freq": "daily"}),
    ("Run 4 sets of 1/4 mile.", {"sets": 4}),
    ("Stretch every day.", {"freq": "daily"}),
    ("Do it twice a day.", {"freq": "twice a day"}),
    ("Train 3 times a week.", {"freq": "3 times a week"}),
    ("Exercise three to five days a week.", {"freq": "3-5 days a week"}),
    ("Do them every other day.", {"freq": "every other day"}),
    ("Do this exercise 2 to 3 times a day.", {"freq": "2-3 times a day"}),
    ("Do 2 sets of 10 reps, 3 times a week.", {"sets": 2, "reps": 10, "freq": "3 times a week"}),
    ("Hold for 5 seconds, 10 reps, 3 sets, rest 60s, once a day.",
     {"hold": 5, "reps": 10, "sets": 3, "rest": 60, "freq": "daily"}),
    ("Hold for 10 seconds and repeat 10 times, 3 times a day.", {"hold": 10, "reps": 10, "freq": "3 times a day"}),
    ("Hold the stretch for 30 seconds, then switch sides.", {"hold": 30, "side": True}),
]

GERMAN = [
    ("Halten Sie die Position 20 Sekunden.", {"hold": 20}),
    ("Die Dehnung 30 Sekunden lang halten.", {"hold": 30}),
    ("Bleiben Sie dreißig Sekunden in dieser Position.", {"hold": 30}),
    ("Halte die Position für 20–30 Sekunden.", {"hold": 20, "hold_max": 30}),
    ("Eine halbe Minute halten, dann die Seite wechseln.", {"hold": 30, "side": True}),
    ("Halten Sie fünfundzwanzig Sekunden.", {"hold": 25}),
    ("Danach zwei weitere Sätze machen.", {"sets": 3}),
    ("Machen Sie zwischen 10 und 15 Wiederholungen.", {"reps": 10, "reps_max": 15}),
    ("Drei Sätze zu je zehn Wiederholungen.", {"sets": 3, "reps": 10}),
    ("Machen Sie 3 Sätze à 12 Wiederholungen pro Bein.", {"sets": 3, "reps": 12, "side": True}),
    ("Wiederholen Sie die Übung zehnmal.", {"reps": 10}),
    ("Die Übung 10-mal wiederholen.", {"reps": 10}),
    ("Danach 30 Sekunden Pause.", {"rest": 30}),
    ("20 Sekunden pro Seite halten.", {"hold": 20, "side": True}),
    ("Jede Seite 30 Sekunden halten.", {"hold": 30, "side": True}),
    ("Gehen Sie täglich 30 Minuten spazieren.", {"duration": 1800, "freq": "daily"}),
    ("Trainieren Sie dreimal pro Woche.", {"freq": "3 times a week"}),
    ("Zweimal täglich wiederholen.", {"freq": "twice a day"}),
    ("Die Übung zweimal wiederholen.", {"reps": 2}),
    ("An 3 Tagen pro Woche laufen.", {"freq": "3 days a week"}),
    ("Jeden zweiten Tag dehnen.", {"freq": "every other day"}),
]

FRENCH = [
    ("Maintenez 30 secondes.", {"hold": 30}),
    ("Maintenez la position pendant vingt-cinq secondes.", {"hold": 25}),
    ("Restez dans cette position 20 secondes de chaque côté.", {"hold": 20, "side": True}),
    ("Gardez la posture une minute.", {"hold": 60}),
    ("Faites de 10 à 15 répétitions.", {"reps": 10, "reps_max": 15}),
    ("Faites 3 séries de 10.", {"sets": 3, "reps": 10}),
    ("Répétez 10 fois de chaque côté.", {"reps": 10, "side": True}),
    ("Faites 12 répétitions par jambe.", {"reps": 12, "side": True}),
    ("Trois séries de douze répétitions.", {"sets": 3, "reps": 12}),
    ("Une minute de repos entre les séries.", {"rest": 60}),
    ("Faites une pause de 30 secondes.", {"rest": 30}),
    ("Marchez 30 minutes par jour.", {"duration": 1800, "freq": "daily"}),
    ("Étirez-vous tous les jours.", {"freq": "daily"}),
    ("Deux fois par semaine.", {"freq": "twice a week"}),
    ("3 à 5 jours par semaine.", {"freq": "3-5 days a week"}),
]

SPANISH = [
    ("Mantén 20 segundos.", {"hold": 20}),
    ("Mantén la posición durante treinta y cinco segundos.", {"hold": 35}),
    ("Sostén la postura medio minuto.", {"hold": 30}),
    ("Quédate así un minuto y medio.", {"hold": 90}),
    ("Haz entre 10 y 15 repeticiones.", {"reps": 10, "reps_max": 15}),
    ("Haz 3 series de 10 repeticiones.", {"sets": 3, "reps": 10}),
    ("3 series de 10", {"sets": 3, "reps": 10}),
    ("Mantén 15 segundos por lado.", {"hold": 15, "side": True}),
    ("Realiza 3 series de 10 a 12 repeticiones por lado.", {"sets": 3, "reps": 10, "reps_max": 12, "side": True}),
    ("Repite 10 veces con cada pierna.", {"reps": 10, "side": True}),
    ("Haz once repeticiones.", {"reps": 11}),
    ("Descansa 30 segundos entre series.", {"rest": 30}),
    ("Un minuto de descanso.", {"rest": 60}),
    ("Camina 30 minutos al día.", {"duration": 1800, "freq": "daily"}),
    ("Estira cada día.", {"freq": "daily"}),
    ("Dos veces al día.", {"freq": "twice a day"}),
    ("Entrena 3 veces por semana.", {"freq": "3 times a week"}),
]

ITALIAN = [
    ("Mantieni la posizione per 30 secondi.", {"hold": 30}),
    ("Tieni venti secondi.", {"hold": 20}),
    ("Rimani in posizione 15 secondi per lato.", {"hold": 15, "side": True}),
    ("Esegui 3 serie da 10 ripetizioni.", {"sets": 3, "reps": 10}),
    ("Fai 2 serie di 12 ripetizioni per gamba.", {"sets": 2, "reps": 12, "side": True}),
    ("Ripeti 10 volte per lato.", {"reps": 10, "side": True}),
    ("Ripeti tra 10 e 15 volte.", {"reps": 10, "reps_max": 15}),
    ("Tieni 20 secondi, poi riposa 30 secondi.", {"hold": 20, "rest": 30}),
    ("Cammina 30 minuti al giorno.", {"duration": 1800, "freq": "daily"}),
    ("Due volte al giorno.", {"freq": "twice a day"}),
    ("Tre volte alla settimana.", {"freq": "3 times a week"}),
    ("Ripeti dieci volte con ciascuna gamba.", {"reps": 10, "side": True}),
]

# Numbers that are not a dose: nothing at all may come out of these.
NOTHING = [
    "Due to the injury, rest the knee.",
    "Sei stanco dopo 2 settimane di lavoro?",
    "Hold for a count of five.",
    "Breathe in for 4 seconds.",
    "Lower for 5 seconds up and 5 seconds down.",
    "In 2019, 10% of adults aged 65 walked 5 km.",
    "Burn 300 calories.",
    "Run 10 miles.",
    "See page 12.",
    "Take 10 deep breaths.",
    "It is 3 times more likely in people over 50 years old.",
    "Once in position, relax your shoulders.",
    "In the 1990s, few people stretched.",
    "Walk 10,000 steps.",
    "Rest from daily activities.",
    "Lie on your back with your knees bent.",
    "Results appear in 30 minutes.",
    "Adults need 150 minutes of moderate activity a week.",
    "Track your daily steps and read the Daily Planner.",  # 'daily' before a noun is an adjective
    "The video starts in 10 seconds.",
    "Prices rose twice last year.",  # 'twice' without 'repeat' or 'do' is no count
    "Use a 5 kg dumbbell and a 2 m band.",
    "",
]


# Shapes fitness and physio sites of 2025-26 write (probe pages, each fact
# checked against LABELING.md): a count said of each side, a card's meta
# line of bare labels.
SITES_2025 = [
    ("Do 10 each leg.", {"reps": 10, "side": True}),
    ("Perform 8 on each side, slowly.", {"reps": 8, "side": True}),
    ("Aim for fifteen per leg.", {"reps": 15, "side": True}),
    ("Hold 30 seconds per side.", {"hold": 30, "side": True}),  # a time per side stays a hold
    ("Sets 3 | Reps 10 | Rest 45s", {"sets": 3, "reps": 10, "rest": 45}),
    ("Sets 2 • Reps 12 each side", {"sets": 2, "reps": 12, "side": True}),
    ("Sets: 2; Reps: 15 each side; Rest: 30 seconds", {"sets": 2, "reps": 15, "rest": 30, "side": True}),
    ("Do 10 circles in each direction.", {"reps": 10}),
    ("Neck rotations – 5 each way", {"reps": 5, "side": True}),
    ("Do 8 switches per side.", {"reps": 8, "side": True}),
    ("Sled push: 4 x 20 m", {"sets": 4}),  # four lengths of 20 m: sets, no reps
    ("30 secondes de gainage", {"hold": 30}),
    ("30 Sekunden Seitstütz", {"hold": 30}),
    # a pause of a time is rest, unless it is at the top of the movement
    ("Dazwischen 1 Minute Pause.", {"rest": 60}),
    ("Take a 30-second pause, then go again.", {"rest": 30}),
    ("Hold with a 2-second pause at the top.", {"hold": 2}),
]


@pytest.mark.parametrize("text, expected", ENGLISH + GERMAN + FRENCH + SPANISH + ITALIAN + SITES_2025)
def test_dosage_grammar(text, expected):
    record = parse_dosage(text).as_record()
    check(record, expected)
    for fact in record["facts"]:
        assert fact["phrase"] and fact["phrase"] in text  # each fact names the exact words it came from


@pytest.mark.parametrize("text", NOTHING)
def test_numbers_that_are_not_a_dose(text):
    record = parse_dosage(text).as_record()
    check(record, {})
    assert record["facts"] == []


def test_the_grammar_table_is_large_and_covers_four_languages():
    assert len(ENGLISH + GERMAN + FRENCH + SPANISH + NOTHING) >= 80
    assert min(len(GERMAN), len(FRENCH), len(SPANISH)) >= 12


def test_phrases_name_the_words_each_fact_came_from():
    record = parse_dosage("Lie down. Hold for 10 seconds, then relax. Repeat 8 to 12 times, "
                          "with 30 seconds of rest between sets, twice a day.").as_record()
    phrases = {f["fact"]: f["phrase"] for f in record["facts"]}
    assert phrases == {"hold_seconds": "Hold for 10 seconds", "reps": "Repeat 8 to 12 times",
                       "rest_seconds": "30 seconds of rest", "frequency": "twice a day"}
    assert parse_dosage("Complete 3 sets of eight.").sets.phrase == "3 sets of eight"
    assert parse_dosage("Complete 3 sets of eight.").reps.phrase == "3 sets of eight"


def test_first_statement_of_a_fact_wins():
    assert hold_seconds("Hold for 10 seconds at first; later hold for 30 seconds.") == 10
    assert reps("Start with 5 repetitions and build up to 15 repetitions.") == 5


def test_as_record_has_the_exercise_columns():
    record = parse_dosage("Hold 20-30 seconds per side, 3 x 10, rest 1 minute, walk 5 minutes daily.").as_record()
    assert set(record) == {"hold_seconds", "hold_seconds_max", "reps", "reps_max", "sets", "sets_max",
                           "rest_seconds", "duration_seconds", "frequency", "per_side", "facts"}
    assert (record["hold_seconds"], record["hold_seconds_max"], record["sets"], record["reps"]) == (20, 30, 3, 10)
    assert (record["rest_seconds"], record["duration_seconds"], record["frequency"]) == (60, 300, "daily")
    assert record["per_side"] is True
    assert all(set(f) == {"fact", "value", "max", "phrase"} for f in record["facts"])
    assert Dosage().as_record()["facts"] == [] and not Dosage()


def test_per_side_from_another_sentence_marks_the_dosage_not_the_fact():
    dosage = parse_dosage("Hold for 30 seconds. Repeat on the other side.")
    assert dosage.hold.per_side is False and dosage.per_side is True
    assert dosage.as_record()["per_side"] is True
    assert parse_dosage("Lift both legs for 5 seconds.").as_record()["per_side"] is False


def test_name_states_facts_too_and_wins():
    assert parse_dosage("", "150 Burpee pull-ups").reps.value == 150
    assert parse_dosage("", "30-Second Plank").hold.value == 30
    assert parse_dosage("Do 3 sets of 12.", "20 Squats").as_record()["reps"] == 20
    assert parse_dosage("Do 3 sets of 12.", "20 Squats").as_record()["sets"] == 3
    for name in ("Run 10 miles", "10 Best Stretches for Back Pain", "2019 Review", "5 km run", "7 Ways to Sleep"):
        assert parse_dosage("", name).reps is None, name


def test_a_static_positions_duration_is_its_hold():
    """A labelled duration of a stretch or a plank ("Dauer: 30 Sekunden pro
    Seite") is how long it is held; of a movement, a duration."""
    assert parse_dosage("Dauer: 30 Sekunden pro Seite", "Seitstütz").as_record()["hold_seconds"] == 30
    assert parse_dosage("Duration: 45 seconds", "Hamstring stretch").as_record()["hold_seconds"] == 45
    record = parse_dosage("Duration: 45 seconds", "Jumping jacks").as_record()
    assert (record["hold_seconds"], record["duration_seconds"]) == (None, 45)
    assert parse_dosage("Duration: 10 minutes", "Child's pose").as_record()["duration_seconds"] == 600  # too long to hold


def test_a_plan_gives_no_reps_to_an_exercise_that_times_its_hold():
    """ "3 series de 10 a 12 repeticiones de cada ejercicio" over "Plancha:
    mantén 30 segundos": the plank is held, not repeated ten times; it takes
    the plan's sets."""
    plan = plan_dosage("Haz 3 series de 10 a 12 repeticiones de cada ejercicio.")
    merged = parse_dosage("Mantén 30 segundos con el cuerpo recto.", "Plancha").merged_with(plan).as_record()
    assert (merged["hold_seconds"], merged["reps"], merged["sets"]) == (30, None, 3)
    merged = parse_dosage("Baja despacio.", "Sentadilla").merged_with(plan).as_record()
    assert (merged["reps"], merged["sets"]) == (10, 3)


def test_merged_with_fills_only_the_gaps():
    plan = plan_dosage("Aim for 2-3 sets of 8-12 reps for each exercise, resting 60 seconds between sets.")
    own = parse_dosage("Do 15 reps per leg.")
    merged = own.merged_with(plan).as_record()
    assert (merged["reps"], merged["reps_max"], merged["sets"], merged["sets_max"]) == (15, None, 2, 3)
    assert merged["rest_seconds"] == 60 and merged["per_side"] is True
    assert [f["fact"] for f in merged["facts"]] == ["reps", "sets", "rest_seconds"]
    assert merged["facts"][1]["phrase"] == "2-3 sets of 8-12 reps"
    assert own.merged_with(None) is own
    assert Dosage().merged_with(plan) == plan


@pytest.mark.parametrize("text, expected", [
    ("Aim for 2-3 sets of 8-12 reps for each exercise.", {"sets": 2, "sets_max": 3, "reps": 8, "reps_max": 12}),
    ("Do each stretch 3 times, holding 30 seconds.", {"reps": 3, "hold": 30}),
    ("Starten Sie mit jeweils drei Sätzen zu je zehn Wiederholungen.", {"sets": 3, "reps": 10}),
    ("Machen Sie jede Übung 10-mal.", {"reps": 10}),
    ("Faites 3 séries de 12 répétitions pour chaque exercice.", {"sets": 3, "reps": 12}),
    ("Haz 3 series de 10 repeticiones de cada ejercicio.", {"sets": 3, "reps": 10}),
    ("Repeat the whole circuit 3 times, 3 times a week.", {"sets": 3, "freq": "3 times a week"}),
    ("Complete 4 rounds in total, resting 60 seconds between rounds.", {"sets": 4, "rest": 60}),
    ("Drei Durchgänge, dazwischen 60 Sekunden Pause.", {"sets": 3, "rest": 60}),
    ("Hold each stretch for 30 seconds on each side.", {"hold": 30, "side": True}),
    ("Warm up first. Then do all of these exercises 3 times a week.", {"freq": "3 times a week"}),
    ("Do 3 sets of 10 reps per exercise. Rest 60 seconds between sets. Walk for 5 minutes after.",
     {"sets": 3, "reps": 10, "rest": 60}),  # rest between sets is plan-wide; the walk is not
])
def test_plan_wide_lines(text, expected):
    plan = plan_dosage(text)
    assert plan is not None
    check(plan.as_record(), expected)


@pytest.mark.parametrize("text", [
    "Do 3 sets of 10 reps.",                       # says nothing about the other exercises
    "These exercises are great for your back.",    # about all of them, but no dose
    "Zehn Mal jeweils auf die linke und die rechte Seite.",  # 'jeweils' here means each side, not each exercise
    "",
])
def test_lines_that_are_not_plan_wide(text):
    assert plan_dosage(text) is None


def test_a_plan_that_says_two_things_says_neither():
    plan = plan_dosage("Beginners: do each exercise for 2 sets of 10. Advanced: do each exercise for 3 sets of 10. "
                       "Rest 60 seconds between each exercise.")
    assert plan is not None
    record = plan.as_record()
    assert record["sets"] is None and record["reps"] == 10 and record["rest_seconds"] == 60


@pytest.mark.parametrize("header, cells, expected", [
    (["Exercise", "Sets", "Reps", "Rest"], ["Squat", "3", "8-12", "60 s"],
     {"sets": 3, "reps": 8, "reps_max": 12, "rest": 60}),
    (["Übung", "Sätze x Wdh.", "Pause"], ["Kniebeuge", "3 x 10", "90 Sek."], {"sets": 3, "reps": 10, "rest": 90}),
    (["Exercice", "Séries", "Répétitions", "Repos"], ["Squat", "3", "10 par jambe", "1 min"],
     {"sets": 3, "reps": 10, "rest": 60, "side": True}),
    (["Ejercicio", "Series", "Repeticiones", "Descanso"], ["Sentadilla", "4", "12-15", "45"],
     {"sets": 4, "reps": 12, "reps_max": 15, "rest": 45}),
    (["Stretch", "Hold (sec)", "Reps"], ["Hamstring", "30", "2 each side"], {"hold": 30, "reps": 2, "side": True}),
    (["Activity", "Duration (min)"], ["Walk", "10"], {"duration": 600}),
    (["#", "Exercise", "Sets/Reps", "Notes"], ["1", "Bridge", "3/10", "hold 5 seconds at the top"],
     {"sets": 3, "reps": 10, "hold": 5}),
    (["Exercise", "Reps"], ["Plank", "30 sec"], {"duration": 30}),
    (["Exercise", "Reps"], ["Push-ups", "to failure"], {}),
    (["Exercise", "Sets", "Reps"], ["Lunge", "3 x 10", ""], {"sets": 3, "reps": 10}),
    (["Exercise", "Frequency"], ["Walk", "3 times a week"], {"freq": "3 times a week"}),
    (["Exercise", "Dosage"], ["Row", "2 sets of 15, rest 30 s"], {"sets": 2, "reps": 15, "rest": 30}),
    (["Exercise", "Sets"], ["Curl", "three"], {}),  # a number word alone in a cell is not read (yet)
    ([], [], {}),
])
def test_table_rows(header, cells, expected):
    record = table_dosage(header, cells).as_record()
    check(record, expected)
    for fact in record["facts"]:
        assert any(fact["phrase"] in cell for cell in cells)


@pytest.mark.parametrize("header, kind", [
    ("Reps (each side)", ("reps", 1, True)), ("Hold time", ("hold", 1, False)), ("Rest time", ("rest", 1, False)),
    ("Time (min)", ("duration", 60, False)), ("Sets x Reps", ("sets_reps", 1, False)), ("Exercise", (None, 1, False)),
    ("Wiederholungen", ("reps", 1, False)), ("Durée", ("duration", 1, False)), ("Series", ("sets", 1, False)),
    ("Times per day", ("frequency", 1, False)), ("Repeat", ("reps", 1, False)),
])
def test_column_kind(header, kind):
    assert column_kind(header) == kind


def test_text_past_the_limit_is_not_read_and_nothing_raises():
    text = "Hold for 30 seconds. " + "filler words here " * (MAX_CHARS // 10) + "Do 3 sets of 10."
    dosage = parse_dosage(text)
    assert dosage.hold.value == 30 and dosage.sets is None


def test_fact_is_a_plain_value():
    fact = Fact("reps", 8, 12, "8-12 reps")
    assert fact.as_dict() == {"fact": "reps", "value": 8, "max": 12, "phrase": "8-12 reps"}
    assert fact.per_side is False


# --- the single-fact functions the extractor has called since the start ------------------------------

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
    assert hold_range("Hold for 45 seconds.") == (45, 45)
    assert hold_range("Walk for 45 minutes.") == (None, None)


def test_rest_is_kept_apart_from_hold():
    text = "Hold for five seconds, then rest for 10 seconds. Perform 3 sets with a minute of rest between them."
    assert hold_seconds(text) == 5
    assert rest_seconds(text) == 10
    assert rest_seconds("3 sets with a minute of rest between them") == 60


@pytest.mark.parametrize("text, name, count", [
    ("Repeat 10 times.", "", 10), ("Do 8 to 12 repetitions.", "", 8), ("Do 10 slow repetitions.", "", 10),
    ("", "150 Burpee pull-ups", 150), ("", "Run 10 miles", None), ("12 reps of each exercise", "", 12),
    ("Hold for 30 seconds.", "", None), ("Do as many reps as you can, to failure.", "", None),
])
def test_reps(text, name, count):
    assert reps(text, name) == count


def test_sets():
    assert sets("Complete 2 sets.") == 2
    assert sets("Do 3 rounds") == 3
    assert sets("3 x 10") == 3
    assert sets("Hold for five seconds.") is None


@pytest.mark.parametrize("text, value", [
    ("7", 7), ("seven", 7), ("twenty-five", 25), ("2,5", 2.5), ("drei", 3), ("quinze", 15), ("veinte", 20),
    ("zwölf", 12), ("", None), ("banana", None),
])
def test_number(text, value):
    assert number(text) == value


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
    # A stem inside another word names nothing: "bioactive" is no activity, "spill" no pill.
    ("Try bioactive whey protein", "diet"), ("Wipe up any spill at once", "other"),
    ("Better oils: olive oil for low heat cooking", "diet"), ("Alpha lipoic acid", "medication"),
    ("Seek help", "professional care"), ("Täglich wiegen", "prevention"), ("Rückenmassage", "massage"),
])
def test_treatment_category(name, category):
    assert treatment_category(name) == category


def test_treatment_category_from_the_text_is_what_it_mentions_most():
    """A name that names no category leaves it to the text, which touches on
    several: the one it dwells on, not the first in the list."""
    text = ("Start slowly. Walk a little each day, walk further each week and walk on soft ground; if the pain "
            "lasts, see a doctor.")
    assert treatment_category("Ease into it", text) == "exercise"  # was "professional care"
    assert treatment_category("Ease into it", "Nothing to go on.") == "other"


def test_medicines_and_warnings():
    text = ("An NSAID such as ibuprofen helps. See a doctor: it may be a sign of something serious, such as "
            "kidney infection (pyelonephritis), slipped disc or osteoarthritis.")
    assert medicines(text) == ["NSAID", "ibuprofen"]
    assert warning_conditions(text) == ["kidney infection (pyelonephritis)", "slipped disc", "osteoarthritis"]


@pytest.mark.parametrize("badge, name, hold, sets", [
    ("30 segundos", "Estiramiento de gemelos en pared", 30, None),
    ("3 — 30 segundos", "Estiramiento de la fascia con toalla", 30, None),
    ("30 s", "Hamstring stretch", 30, None),
    ("3 sets x 30 seconds", "Side plank", 30, 3),
])
def test_a_time_alone_on_a_stretchs_badge_is_its_hold(badge, name, hold, sets):
    """A badge or a card's dose line that holds only a time ("30 segundos",
    "3 — 30 segundos") said nothing: a time with no cue word was no fact. It
    is a duration, a static position's hold; and an em dash set apart by
    spaces parts two figures, not a range (it read "3 — 30" as 3 to 30)."""
    dosage = parse_dosage(badge, name)
    assert (dosage.hold and dosage.hold.value, dosage.sets and dosage.sets.value) == (hold, sets)
    assert parse_dosage("20—30 seconds", name).hold.max == 30


def test_a_time_alone_in_a_table_cell_is_read_by_its_column():
    """A row's text ("3 8–10 90 s") read alone gave "90 s" as a duration
    beside the Rest column's rest."""
    from pipeline.extract.facts import table_dosage, without_cell_times

    row = table_dosage(["Exercise", "Sets", "Reps", "Rest"], ["Squat", "3", "8-10", "90 s"]).merged_with(
        without_cell_times(parse_dosage("3 8–10 90 s", "Squat")))
    assert (row.rest.value, row.duration) == (90, None)
