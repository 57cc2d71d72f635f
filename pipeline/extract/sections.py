"""Treatments and exercises of a page: candidates, scored, selected, named.

The steps, each in its own module:

1. :mod:`~pipeline.extract.structure`: the page as a flow of blocks;
2. :mod:`~pipeline.extract.candidates`: every reading of the flow as a list;
3. :mod:`~pipeline.extract.scoring`: each reading scored from many small
   signals, overlaps resolved, kind (treatments or exercises) decided;
4. here: each kept item becomes a record with its section (the heading the
   page put it under, and what kind of section that is), its confidence,
   and for exercises the dosage facts of its text, filled in from a
   plan-wide line ("3 sets of 10 for each exercise") where the item says
   nothing itself.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from pipeline.extract import facts
from pipeline.extract.candidates import INTERVAL_LABEL, Group, Item, block_text, candidate_groups, headings_before
from pipeline.extract.scoring import (ACCEPT, ANNOUNCED_ADVICE, UNSURE_BELOW, Model, PageContext,
                                      default_model, filter_items, group_features, group_kind, heuristic_probability,
                                      announced_treatments, authors_routine, consecutive_numbers, off_topic_list,
                                      NOT_AN_ITEM, STUDY_SUBJECTS, product_or_symptom_list, reports, select,
                                      table_header, vetoed, CARD_DETAILS, EXERCISE_NUMBER, _bare_movement, _instructs,
                                      _share)
from pipeline.extract.structure import Block
from pipeline.extract.vocabulary import (AMOUNT, COUNTED_ADVICE, EXERCISE_CUE, EXERCISE_NAME, NOT_ADVICE_LABEL,
                                         NOT_TREATMENTS, PRICE, TRAINING_DISCIPLINE, TREATMENT_CLASS, TREATMENT_CUE,
                                         TREATMENT_NAME, counts_in, health_topic_hits, is_imperative)


MAX_GROUPS = 400
INDEX_SHARE = 0.6  # of a page's candidate items in groups of linked entries, from which it is an index


@dataclass
class FoundItem:
    kind: str               # treatments, exercises
    name: str
    text: str
    how: str                # how the page marked the list: headings, list, table, ...
    section: str
    confidence: float
    plan: str | None = None  # a plan-wide line the item's group sits under
    cells: dict | None = None
    count: int | None = None  # "10 push-ups": the count before the exercise's name, its reps
    label: str = ""         # what the name was read from, dosage and all ("Glute bridge: 3 x 10")
    under: str = ""         # the heading the item's group sits under, the headline included ("Dehnübungen nach ...")


def scored_groups(flow: list[Block], page: PageContext, json_ld: list[dict]) -> list[Group]:
    """The candidate groups with the items each keeps, their features, and
    whether a labelling rule rules them out (``group.ruled_out``). Ruled-out
    groups stay in the list: the scorer is trained on them as the negatives
    they are, and selection skips them."""
    groups = []
    # A page of thousands of lists is read for its first MAX_GROUPS: what a
    # person would call an article holds a few dozen at most.
    candidates = candidate_groups(flow, page.title, json_ld)[:MAX_GROUPS]
    # The author's own routine told under headings ("The split I followed
    # was:" over "Push Day", "Pull Day" and their lists): the lists inside
    # are what the author did, as a list so introduced is (vetoed).
    routines = [(g.start, g.end) for g in candidates if g.how == "headings" and authors_routine(g)]
    # Groups of entries named by links to other pages; two or more, holding
    # most of the page's items, make the page an index (a home, category or
    # tag page), whose every such group and the headings over them
    # ("Fitness", "Nutrition") are no advice. (An article's related blocks
    # and link lists hold a third to a half of its items.)
    linked = [g for g in candidates if linked_entries(g)]
    indexes = [(g.start, g.end) for g in linked]
    index_page = len(linked) >= 2 and sum(len(g.items) for g in linked) >= INDEX_SHARE * sum(
        len(g.items) for g in candidates)
    linked_ids = {id(g) for g in linked}
    # The lists a section heading may stand over (is "Medications" a tip, or the heading of a list of them?)
    lists = sorted(((g.start, g.end) for g in candidates if g.how in ("list", "bold-paras", "table", "headings")
                    and len(g.items) >= 2), key=lambda span: span[0])
    for group in candidates:
        ruled_out = group.ruled_out or vetoed(group) or (group.how != "headings" and any(
            start < group.start and group.end <= end for start, end in routines)) or \
            preparing_for_a_visit(group, flow) or study_programme(group, flow)
        if index_page:
            ruled_out = ruled_out or id(group) in linked_ids or index_sections(group, indexes)
        filter_items(group)
        if group.how == "headings":
            drop_section_headings(group, lists, flow, page.title)
        if group.items:
            group.ruled_out = ruled_out or product_or_symptom_list(group, page) or off_topic_list(group, page) or \
                index_entries(group, page)
            group.features = group_features(group, page)
            # (A table headed "Exercise" under "Exercises", dosed by the
            # plan's line above it, "repeat each exercise 5 times": see
            # dosed_exercises. Not a model feature: the scorer's rows stay.)
            if group.how == "table" and EXERCISE_CUE.search(table_header(group)):
                group.plan_dosed = _plan_doses(group, flow)
            groups.append(group)
    return groups


# Readings so specific that they are taken on their own word: a workout of
# the day ("For time: ..."), schema.org HowTo / ExercisePlan steps, a plan
# table with a workout for each day, paragraphs the page itself labels
# "Tip:" among its "Myth:" and "Fact:" ones, and the steps under "How to do
# a wall sit" (one exercise, the wall sit).
RULE_READINGS = {"workout": 0.9, "howto": 0.9, "schedule": 0.9, "label-paras": 0.9, "exercise-steps": 0.9}
# Routines and activities read from the text alone: none on a page that
# reports ("trials found that programmes including walking, jogging ..."
# tell what a study's subjects did).
WORKOUT_READINGS = ("workout", "exercise-steps", "prose")


# A page's own sections in a run of headings: "Symptoms of gout",
# "Tennis Elbow Treatment", "Preventing gout", "Treatment from a GP". A
# section noun with what it is of, or after nothing but the title's words
# ("Heat treatment" names a treatment: "heat" is not in the title).
SECTION_NOUN = (r"(?:(?:signs\s+and\s+)?symptoms|signs|causes|treatments?|diagnosis|prevention|complications|outlook|"
                r"recovery|home\s+care|risk\s+factors|prognosis|overview|tests|symptome|beschwerden|ursachen|behandlung|diagnose|"
                r"vorbeugung|prognose|symptômes|traitement|diagnostic|prévention|síntomas|causas|tratamiento|diagnóstico|"
                r"prevención|pronóstico)")
PAGE_SECTION = re.compile(rf"^(?P<pre>.*?)\b{SECTION_NOUN}(?P<post>\s+(?:of|for|from|in|with|bei|von|de|du|des|del|"
                          rf"de\s+la)\s+.{{1,50}})?$", re.I)
PAGE_SECTION_VERB = re.compile(r"^(?:preventing|treating|diagnosing|how\s+to\s+(?:prevent|treat))\s+(?P<obj>.{1,50})$",
                               re.I)
REVIEW_NOTE = re.compile(r"^how\s+we\s+reviewed\s+this\s+article\b", re.I)
PREPARING_FOR_A_VISIT = re.compile(
    r"^(?:preparing\s+for\s+(?:your|the)\s+(?:appointment|visit)|before\s+your\s+(?:appointment|visit)|"
    r"preparación\s+para\s+(?:la|tu)\s+consulta|vorbereitung\s+auf\s+(?:den|das)\s+\w+|"
    r"préparer\s+(?:sa|votre)\s+consultation)", re.I)
_WORD = re.compile(r"[\w'’-]+")


def _words_of(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text)}


# Words that qualify a section noun without naming an item: "Typical
# symptoms", "Typische Beschwerden", "Common causes", "Causas habituales".
SECTION_QUALIFIERS = frozenset("""typical common main key usual early other possible typische häufige häufigsten
    wichtigste typiques courants courantes principaux principales habituales comunes""".split())


def page_section_heading(name: str, title: str) -> bool:
    """Is this heading one of the page's own sections, not an item?"""
    name = name.strip().rstrip(":?").strip()
    if REVIEW_NOTE.match(name):
        return True
    title_words = _singular(_words_of(title))
    match = PAGE_SECTION.match(name)
    if match:
        before = _singular(_words_of(match.group("pre"))) - SECTION_QUALIFIERS
        if match.group("post") or before or match.group("pre").strip():
            return before <= title_words
    match = PAGE_SECTION_VERB.match(name)
    if match:
        what = _singular(_words_of(match.group("obj")) - {"at", "home", "it", "the", "a", "your"})
        return bool(what) and what <= title_words
    return False


def _singular(words: set[str]) -> set[str]:
    """Words without a plural's s: "How to prevent tension headaches" is a
    section of "Tension headache relief"."""
    return {word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
            for word in words}


def drop_section_headings(group: Group, lists: list[tuple[int, int]], flow: list[Block], title: str) -> None:
    """Move out of a run of headings those that head sections, not items:
    the page's own sections ("Symptoms of gout", "Preventing gout"), a class
    of treatment over a list of its own ("Medications", "Surgery and other
    procedures"), and a section that holds nothing but labels ("Do",
    "Don't"). A run of the page's sections hid the lists inside it (each
    list was taken for a section's text)."""
    starts = [start for start, _ in lists]
    kept = []
    for item in group.items:
        own_text, subheadings = _own_text_and_subheadings(item, flow)
        if page_section_heading(item.name, title) or (
                TREATMENT_CLASS.match(item.name.strip()) and _holds_list(item, lists, starts)) or \
                _holds_only_labels(subheadings) or _product_box(own_text):
            group.dropped.append(item)
        else:
            kept.append(item)
    group.items = kept


def _holds_list(item: Item, lists: list[tuple[int, int]], starts: list[int]) -> bool:
    k = bisect.bisect_right(starts, item.block)
    while k < len(lists) and lists[k][0] <= item.end:
        if lists[k][1] <= item.end:
            return True
        k += 1
    return False


def _own_text_and_subheadings(item: Item, flow: list[Block]) -> tuple[str, list[str]]:
    """A heading item's own text (up to its first subheading, 400 characters
    at most) and its subheadings, in one walk of its section."""
    level = flow[item.block].level if item.block < len(flow) else 0
    own: list[str] = []
    subheadings: list[str] = []
    for k in range(item.block + 1, min(item.end, len(flow) - 1) + 1):
        if flow[k].kind == "heading" and flow[k].level > level:
            subheadings.append(flow[k].text.strip())
        elif not subheadings and sum(map(len, own)) <= 400:
            own.append(block_text(flow[k]))
    return " ".join(own)[:400], subheadings


def _product_box(own_text: str) -> bool:
    """A heading whose own text carries prices: an affiliate box among the
    tips ("SensiGuard toothpaste. Price $12.99, free delivery over $35"),
    not a tip. (A tip with a box in a subsection under it stays a tip.)"""
    return len(PRICE.findall(own_text.lower())) >= 2


def _holds_only_labels(subheadings: list[str]) -> bool:
    """Two or more subheadings, every one a label ("Do", "Don't")."""
    return len(subheadings) >= 2 and all(NOT_AN_ITEM.match(sub) for sub in subheadings)


def study_programme(group: Group, flow: list[Block]) -> bool:
    """A list introduced by the paragraph that tells what a study's subjects
    did ("Participants attended two supervised sessions a week ... The
    sessions included:"): the study's programme, reported, not advice."""
    if group.how in ("headings", "prose") or not 0 < group.start < len(flow):
        return False
    before = flow[group.start - 1]
    return before.kind == "para" and before.text.rstrip().endswith(":") and \
        bool(STUDY_SUBJECTS.search(before.text[-600:]))


def preparing_for_a_visit(group: Group, flow: list[Block]) -> bool:
    """A list in a section on preparing for an appointment ("bring a list of
    your medicines", "write down your questions"): it prepares a visit, it
    treats nothing (LABELING.md)."""
    if group.how == "headings" or group.start >= len(flow):
        return False
    level = 99
    for j in headings_before(flow, group.start):
        if flow[j].level < level:  # the headings the group sits under, not every one before it
            if PREPARING_FOR_A_VISIT.match(flow[j].text.strip()):
                return True
            level = flow[j].level
            if level <= 1:
                return False
    return False


def announced_advice(group: Group) -> bool:
    """A list of instructions that the page announces as advice: a lead-in
    that names advice and introduces the list ("with these ergonomic tips,
    Dr. Jazini recommends:"; "things you can do to combat the munchies:"),
    and either a section heading that names advice too ("Posture Tips for
    Long Workdays") with at least half the items opening with an imperative
    or a gerund, or seven in ten of them doing so. LABELING.md's actionable
    items the article recommends, whatever else the page is (a chair roundup
    around them, an FAQ whose headings are lost)."""
    f = group.features
    if not (f.get("lead_advice") and f.get("lead_colon")):
        return False
    instructions = f.get("imperative", 0.0) + f.get("gerund", 0.0)
    return instructions >= 0.7 or bool(f.get("sec_advice")) and instructions >= 0.5


def counted_advice(group: Group, page: PageContext) -> bool:
    """Subheadings that a section heading counts as advice: "Unsere 4
    Tipps:" over four subheadings, "Three stretches to try" over three. The
    page says how many tips it gives and they are there (LABELING.md: the
    subheadings of a section about tips are the tips). Not on a page that
    reports or sells, not questions, not outside the main content."""
    f = group.features
    # (Or the title counts them, "Saunieren ohne Kreislaufprobleme: 8 Tipps",
    # over a section that heads advice, "So bleibt Ihr Kreislauf stabil",
    # with that many subheadings.)
    counted = bool(COUNTED_ADVICE.search(group.section)) and len(group.items) in counts_in(group.section) or \
        bool(COUNTED_ADVICE.search(page.title)) and len(group.items) in page.title_counts and \
        bool(f.get("sec_advice")) and group.section_level > 0
    return group.how == "headings" and len(group.items) >= 3 and counted and \
        not f.get("sec_decoy") and f.get("question", 0.0) == 0 and \
        f.get("links", 0.0) < 0.5 and group.in_main >= 0.5 and not reports(page) and page.shop < SHOP_DENSITY


def linked_entries(group: Group) -> bool:
    """Are two in three of the group's (two or more) items named by a link to
    another page ("10 Stretches for Lower Back Pain" over its teaser, as a
    heading, a list item or a bold line)? Such entries index other pages."""
    return len(group.items) >= 2 and sum(1 for item in group.items if item.linked) * 3 >= len(group.items) * 2


def index_entries(group: Group, page: PageContext) -> bool:
    """Linked entries are an index of articles (a category or tag page), not
    sections or advice of this page. Not under a section heading that names
    treatment or exercise: "Treatment options" over "<li><a
    href=/physio>Physical therapy</a></li>" links each treatment to its own
    page (unless the page is an index: several groups of linked entries)."""
    return linked_entries(group) and not (
        group.section_level > 1 and (announced_treatments(group, page) or TREATMENT_CUE.search(group.section)
                                     or EXERCISE_CUE.search(group.section)))


def index_sections(group: Group, indexes: list[tuple[int, int]]) -> bool:
    """A run of headings two in three of whose sections hold linked entries:
    an index page's sections ("Fitness", "Nutrition" over their cards)."""
    if group.how != "headings":
        return False
    holding = sum(1 for item in group.items if any(item.block < start and end <= item.end for start, end in indexes))
    return holding * 3 >= len(group.items) * 2


def advice_section_list(group: Group, page: PageContext) -> bool:
    """A list of instructions under a heading that names advice ("Tips for
    better sleep", "Treating sunburn", "What you can do"), eight in ten of
    its (three or more) items opening with an imperative: LABELING.md's
    items of a section about treatment, remedies, tips, self-care or
    prevention, in whatever words. The learned scorer rated such bare lists
    (a name and no text) at 0.56-0.60, under the bar, because the labelled
    pages hold few of them. So too a list, or a run of subheadings or bold
    lead-ins, eight in ten of whose items name a treatment in a few words
    ("What helps": "Rest", "Ice packs", "An elbow strap", "Physiotherapy"),
    which no verb marks as advice (the scorer rated them at 0.26 to 0.45).
    Not under a heading that also names causes or symptoms (nor, for named
    treatments, one that says they are to be avoided), not outside the
    main content, not a list of links (a menu of topics: "Sleep",
    "Exercise"), not on a page that reports or sells (a product's "How to
    use": "Take 2 capsules daily"), and not under a heading that names a
    movement ("How to do a plank": its items are the steps of one exercise).
    Gerunds instruct as imperatives do ("Sitting with your hips higher than
    your knees"). The title, the heading or most items speak of health
    (or the headline names a condition of the curated table: "Tinnitus"), or
    name treatments, or half of them mention one ("Appliquez de la glace"):
    "Tips for a productive morning" ("Make your bed", "Tidy your desk") is
    LABELING.md's non-health listicle, whatever health words its page
    holds."""
    f = group.features
    # (Named treatments under "Treatments to avoid", "... that don't work" are not recommended.)
    treatments = 0.0 if NOT_TREATMENTS.search(group.section) else _treatment_names(group.items)
    if group.how == "list":
        instructs = f.get("imperative", 0.0) + f.get("gerund", 0.0) >= 0.8 or treatments >= 0.8
    elif group.how == "table":
        # A table whose name column says it holds treatments ("Treatment |
        # What it involves | How well it works"), or whose rows name them.
        instructs = treatments >= 0.8 or _names_treatment_column(group)
    else:
        # (Subheadings under "How to reduce tooth sensitivity" that each tell
        # the reader what to do are its advice, as a list's items are.)
        instructs = group.how in ("headings", "bold-paras", "dl") and treatments >= 0.8 or \
            group.how == "headings" and f.get("imperative", 0.0) + f.get("gerund", 0.0) >= 0.8
    # (A page dense with prices is a shop whose "How to use" is no advice;
    # an article with an affiliate box or two beside its advice is not, and
    # a table that says it lists treatments is advice whatever sits beside it.)
    sells = page.shop >= SHOP_DENSITY and not (group.how == "table" and _names_treatment_column(group))
    # (A table's header that names treatments, "Medication | How it works", says what its section holds.)
    announced = bool(f.get("sec_advice")) or group.how == "table" and _names_treatment_column(group)
    return instructs and len(group.items) >= 3 and announced and not f.get("sec_decoy") and \
        f.get("question", 0.0) == 0 and f.get("links", 0.0) < 0.5 and \
        group.in_main >= 0.5 and not reports(page) and not sells and \
        not EXERCISE_NAME.search(group.section) and \
        (health_topic_hits(f"{page.title} {group.section}") > 0 or page.names_condition or f.get("text_health", 0.0) >= 0.5
         or treatments >= 0.8 or _treatment_mentions(group.items) >= 0.5)


TREATMENT_COLUMN = re.compile(r"^\s*(?:treatments?|remed(?:y|ies)|(?:treatment\s+)?options?|therap(?:y|ies)|what\s+helps|"
                              r"self[\s-]?care|behandlung(?:en)?|therapie|traitements?|remèdes?|tratamientos?|"
                              r"remedios?|terapias?|medications?|medicines?|drugs?|(?:type\s+of\s+)?medication|"
                              r"medikamente?|arzneimittel|médicaments?|medicamentos?)\s*$", re.I)


def _names_treatment_column(group: Group) -> bool:
    cells = group.items[0].cells if group.items else None
    return bool(cells) and any(TREATMENT_COLUMN.match(header) for header in cells)


# Prices and "buy" per word from which a page is a shop for the advice rule:
# a product page says them every few lines (3 in 100 words and more); an
# article with two affiliate boxes, 4 in 600.
SHOP_DENSITY = 0.015


def _treatment_names(items: list[Item]) -> float:
    """The share of items that name a treatment in a few words ("Rest", "Ice
    packs", "Ibuprofen", "Physical therapy")."""
    named = sum(1 for item in items if len(item.name.split()) <= 5 and (
        TREATMENT_NAME.search(item.name) or facts.MEDICINES.search(item.name)))
    return named / len(items)


def _treatment_mentions(items: list[Item]) -> float:
    """The share of items whose text names a treatment ("Appliquez de la
    glace", "Tragen Sie eine Bandage"): items that speak of health."""
    return sum(1 for item in items if TREATMENT_NAME.search(item.text[:300])) / len(items)


# Names that are a plan's parts, not movements ("Week 1", "Schedule A", "Phase 2", "Zero to 5K Plan").
PLAN_PART = re.compile(r"\b(?:week|day|schedule|phase|plan|stage|level|month|woche|tag|semaine|jour|semana|día)\b",
                       re.I)


def dosed_exercises(group: Group, page: PageContext) -> bool:
    """A list in a section about exercises whose items are short names, each
    (two in three at least) with its own hold, reps or sets ("Clamshells: 3
    sets of 10", "Dead bug: 2 sets of 8"): the exercises the article
    instructs (LABELING.md), whether or not the vocabulary knows the moves.
    Not a plan's weeks or schedules, not instructions, and not on a page that
    reports (a study's exercises are what its subjects did)."""
    items = group.items
    # (A table's header row says what its rows are, "Exercise | Sets | Reps",
    # "Übung | Sätze | Wiederholungen": its rows are exercises however long
    # their names, "Table slides (passive forward elevation)".)
    headed = bool(EXERCISE_CUE.search(table_header(group)))
    # (A plan's day or week over them, "Day A / Monday" over "Back squat — 4 ×
    # 6 @ RPE 7", is such a section too.)
    if group.how not in ("list", "bold-paras", "headings", "dl", "table") or len(items) < 2 or \
            not (EXERCISE_CUE.search(group.section) or headed or PLAN_PART.search(group.section)) or reports(page):
        return False
    names = sum(1 for item in items if _content_words(item.name) <= 4 and not PLAN_PART.search(item.name)
                and not is_imperative(item.name))
    dosed = sum(1 for item in items if _states_dosage(item))
    return (names == len(items) or headed) and (dosed * 3 >= len(items) * 2 or headed and group.plan_dosed)


# The little words a French or Spanish name spells out ("Estiramiento de la
# fascia con toalla" is as short a name as "Towel fascia stretch"). An
# English name is counted whole: "How to read the table" is no movement.
ROMANCE_FUNCTION_WORDS = frozenset("""de la le les l' du des un une au aux à en con el los las del al por y una
    sur avec sin""".split())


def _content_words(name: str) -> int:
    words = name.lower().replace("'", "' ").split()
    if not ROMANCE_FUNCTION_WORDS.intersection(words):
        return len(words)
    return sum(1 for word in words if word not in ROMANCE_FUNCTION_WORDS)


def probabilities(groups: list[Group], model: Model | None, page: PageContext) -> list[float]:
    result = []
    for g in groups:
        if g.ruled_out:
            result.append(0.0)
            continue
        if g.how in WORKOUT_READINGS and reports(page):
            result.append(0.0)  # a routine on a page that reports is what a study's subjects did
            continue
        p = RULE_READINGS.get(g.how) or (
            model.probability(g.features) if model is not None else heuristic_probability(g.features))
        announced = announced_advice(g) or announced_treatments(g, page) or dosed_exercises(g, page) or \
            advice_section_list(g, page) or counted_advice(g, page)
        result.append(max(p, ANNOUNCED_ADVICE) if announced else p)
    return result


def _plan_doses(group: Group, flow: list[Block]) -> bool:
    """Does a plan-wide line say how much of each to do ("Jede Übung 10-mal,
    zwei- bis dreimal täglich")? Then the items are that plan's exercises,
    whether or not the vocabulary knows their names ("Becken heben")."""
    plan = _plan_line(group, flow)
    return bool(plan) and facts.parse_dosage(plan).counted


def _plan_line(group: Group, flow: list[Block]) -> str | None:
    """Text in the group's reach that speaks of all its items: its lead-in, the
    intro under its heading, a note between the items ("Rest 30 s between sets")."""
    texts = [group.leadin]
    texts.extend(item.text for item in group.dropped)
    start = max(group.start - 3, 0)
    # (Further back, only a line that says it covers them all: "Then do 3
    # sets of 10 to 12 reps of each exercise" under "How to do the workout",
    # a product box between it and "The exercises".)
    texts.extend(block.text for block in flow[max(group.start - PLAN_REACH, 0):start]
                 if block.kind == "para" and EVERY_EXERCISE.search(block.text))
    texts.extend(block.text for block in flow[start:group.start] if block.kind == "para")
    text = " ".join(t for t in texts if t)
    return text or None


PLAN_REACH = 10  # blocks back that a line naming every exercise may stand
EVERY_EXERCISE = re.compile(r"\b(?:(?:of\s+|for\s+)?(?:each|every|all(?:\s+the)?)\s+(?:exercises?|moves?|movements?|stretches)|"
                            r"jede[rn]?\s+übung|alle\s+übungen|chaque\s+exercice|tous\s+les\s+exercices|"
                            r"cada\s+ejercicio|todos\s+los\s+ejercicios)\b", re.I)


class SeenNames:
    """The names already taken, by kind. A name is taken when it is one of
    them, or one letter more or less than one of them: a plural ("Lunge",
    "Lunges") or a slip of the page's own ("Temp Run" for the "Tempo Run" of
    the table before). Only a letter added or dropped: "Push-up" and
    "Pull-up" differ by one changed letter and are two exercises, and
    "Knee circle 12" is not "Knee circle 1"."""

    SMALL = 16  # names of one length compared one by one; past that, by their shorter spellings

    def __init__(self) -> None:
        self.names: set[tuple[str, str]] = set()
        self.by_length: dict[tuple[str, int], list[str]] = {}
        # For lengths with many names (a page of 4,000 headings): every
        # spelling one letter shorter, so a check costs a set lookup, not a
        # compare with each name (quadratic).
        self.shorter: dict[tuple[str, int], set[str]] = {}

    def __contains__(self, key: tuple[str, str]) -> bool:
        kind, name = key[0], key[1].lower()
        if (kind, name) in self.names:
            return True
        if len(name) < 5:
            return False
        fewer = self.by_length.get((kind, len(name) - 1), ())
        if len(fewer) > self.SMALL:
            found = any((kind, spelling) in self.names for spelling in _one_letter_less(name))
        else:
            found = any(_one_letter_more(name, shorter) for shorter in fewer)
        if found:
            return True
        spellings = self.shorter.get((kind, len(name) + 1))
        if spellings is not None:
            return name in spellings
        return any(_one_letter_more(longer, name) for longer in self.by_length.get((kind, len(name) + 1), ()))

    def add(self, key: tuple[str, str]) -> None:
        kind, name = key[0], key[1].lower()
        if (kind, name) in self.names:
            return
        self.names.add((kind, name))
        bucket = self.by_length.setdefault((kind, len(name)), [])
        bucket.append(name)
        spellings = self.shorter.get((kind, len(name)))
        if spellings is not None:
            spellings.update(_one_letter_less(name))
        elif len(bucket) > self.SMALL:
            self.shorter[(kind, len(name))] = {s for n in bucket for s in _one_letter_less(n)}


def _one_letter_less(name: str) -> set[str]:
    """Its spellings with one letter dropped (what :func:`_one_letter_more` matches)."""
    return {name[:k] + name[k + 1:] for k in range(len(name)) if name[k].isalpha()}


def _one_letter_more(longer: str, shorter: str) -> bool:
    """Is ``longer`` ``shorter`` with one letter put in somewhere?"""
    k = next((i for i, (a, b) in enumerate(zip(longer, shorter)) if a != b), len(shorter))
    return longer[k].isalpha() and longer[k + 1:] == shorter[k:]


def _states_dosage(item) -> bool:
    """Does the item say how much of it to do ("Clamshells: 3 sets of 10")?
    Not a duration or a frequency alone: "warm up for five to 10 minutes",
    "twice a week" are said in an article's "Safety Precautions" and
    "Frequency" sections too (``Dosage.counted``)."""
    if getattr(item, "cells", None) and facts.table_dosage(list(item.cells), list(item.cells.values())).counted:
        return True  # a table row's Sets / Repetitions / Hold columns
    return facts.parse_dosage(item.text, item.name).counted


# A workout named as such, the word ending its name ("25-Minute Pumpkin
# Workout", "Zombie Workout Video"): a named exercise session, as a
# movement's name is. ("Replace WORKOUT with TRAINING" names none.)
WORKOUT_NAME = re.compile(r"\b(?:workout|wod|circuit|übungsprogramm|entraînement|rutina)s?(?:\s+video)?\W*$", re.I)


def _names_exercise(name: str) -> bool:
    """A movement ("Clamshell") or a workout; examples in brackets are not
    the item's name."""
    name = name.split(" (", 1)[0]
    return bool(EXERCISE_NAME.search(name) or WORKOUT_NAME.search(name))


def names_no_exercise(items: list) -> bool:
    """No item names a movement or a workout, and most say nothing of how
    much to do: a list about training, not of exercises."""
    return not any(_names_exercise(item.name) for item in items) and \
        sum(1 for item in items if _states_dosage(item)) * 2 <= len(items)


def find_items(flow: list[Block], page: PageContext, json_ld: list[dict],
               model: Model | None = None) -> list[FoundItem]:
    """The page's treatments and exercises in document order."""
    from pipeline.extract import check_budget

    model = model if model is not None else default_model()
    groups = scored_groups(flow, page, json_ld)
    if page.started:
        check_budget(page.started, "scoring candidate lists")
    found: list[FoundItem] = []
    seen = SeenNames()
    bases: set[tuple[str, str]] = set()  # the names taken, without a bracket after them
    threshold = model.threshold if model is not None else ACCEPT
    events = event_names(json_ld)
    for group, probability in select(groups, probabilities(groups, model, page), threshold):
        items = group.items
        kind = group_kind(group, page)
        if events and sum(1 for item in items if item.name.casefold() in events) >= min(2, len(items)):
            # "Walk and Talk", "Therapy dogs": a programme's events (its JSON-LD
            # lists some of them as Events), not advice.
            continue
        fresh = [item for item in items if (kind, item.name) not in seen]
        if group.how == "bold-lines":
            # "Important:", "See also:" open lines as a tip's lead-in does: labels, no items.
            # (Left to the end: the scorer learned these groups as the page gives them.)
            fresh = [item for item in fresh if not NOT_ADVICE_LABEL.match(item.label.strip())]
        if group.how == "howto" and (len(fresh) < len(items) or any(
                (taken, _base_name(item.name)) in bases for item in items for taken in ("treatments", "exercises"))):
            # The visible list already gave these steps ("Child's Pose (Balasana)"
            # for "Child's Pose"), as whichever kind its own words made them.
            continue
        if group.how == "howto" and ("exercises", _base_name(group.section)) in bases:
            continue  # the HowTo of one exercise taken already ("Clamshell"): its steps are that exercise's text
        if kind == "exercises" and group.how not in ("howto", "workout", "schedule", "table") and \
                names_no_exercise(items) and not _plan_doses(group, flow) and \
                _share(items, lambda it: bool(EXERCISE_NUMBER.match(it.label or ""))) < 0.5:
            # Its section made it exercises, but no item names a movement, and
            # most say nothing of how much: a list about training ("Replace
            # DIET with NUTRITION"; "Schedule A", "Choose two exercises per
            # muscle group"), not of exercises. (Movements the vocabulary does
            # not know come with their dosage: "Clamshells, 3 sets of 10".)
            # Examples in brackets are not the item's name: "Exercise #1
            # should work the muscle shortened (e.g., leg curl)" names none,
            # and the bracket's exercises are found where they stand.
            if not (page.title_treatment and page.names_condition):
                continue
            # ... unless the page treats a condition ("Acne Treatment: A
            # 4-Step Routine"): its routine's steps are that treatment's.
            kind = "treatments"
            fresh = [item for item in items if (kind, item.name) not in seen]
        if no_advice_of_its_own(group, kind, page):
            continue
        if kind == "exercises":
            # "Yoga", "Cardio": a kind of training, no named exercise. What is
            # left of a list of them ("Yoga, Dance"; "Stretch, Suspended" on
            # an index of exercise kinds) is no list of exercises either.
            named = [item for item in fresh if not TRAINING_DISCIPLINE.match(item.name)]
            if len(named) < min(2, len(fresh)):
                continue
            fresh = named
        plan = _plan_line(group, flow) if kind == "exercises" else None
        # Numbers that do not count the items off (10, 15, 20) count the
        # movement: "10 push-ups" is ten reps of push-ups.
        counts = kind == "exercises" and not consecutive_numbers(items)
        # Tips and named movements in one run ("Roll your foot over a frozen
        # bottle", "Wall calf stretch", "Wear supportive shoes"): the
        # movements are exercises, the tips treatments.
        movements = {id(item) for item in fresh if _named_movement(item)} \
            if kind == "treatments" and group.how in ("headings", "list", "bold-paras") and \
            any(_instructs(item) for item in fresh) else set()
        for item in fresh:
            item_kind = "exercises" if id(item) in movements else kind
            if (item_kind, item.name) in seen:
                continue  # the same name twice in one list (a promo repeated between sections)
            seen.add((item_kind, item.name))
            bases.add((item_kind, _base_name(item.name)))
            # The page's own section heading; a list right under the headline has none.
            section = group.section if group.section_level > 1 and group.section != page.title else ""
            section = item.section if item.section is not None else section
            found.append(FoundItem(item_kind, item.name, item.text, group.how, section, probability, plan, item.cells,
                                   _count_before_name(item) if counts else None, item.label, group.section))
    return found


def event_names(json_ld: list[dict]) -> set[str]:
    """The names of the events the page's JSON-LD lists (Event,
    SportsEvent, EducationEvent ...), case-folded."""
    names = set()
    # (Also inside an ItemList of them: itemListElement -> ListItem -> item.)
    stack = [(obj, 0) for obj in json_ld]
    while stack:
        obj, depth = stack.pop()
        if isinstance(obj, list):
            stack.extend((o, depth) for o in obj[:500])
            continue
        if not isinstance(obj, dict):
            continue
        types = obj.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(isinstance(t, str) and t.endswith("Event") for t in types) and isinstance(obj.get("name"), str):
            names.add(obj["name"].strip().casefold())
        if depth < 3:
            stack.extend((obj[key], depth + 1) for key in ("itemListElement", "item") if key in obj)
    return names


def no_advice_of_its_own(group: Group, kind: str, page: PageContext) -> bool:
    """A group the scorer took whose items are no advice by what they are,
    decided after scoring (so the model's training rows stay as they were):
    movements the page says to leave out, a product's directions or its
    blurbs ("How to use it:"), a visit's steps, a price list, the course of
    a clinic's care."""
    items = group.items
    if kind == "exercises" and MOVES_TO_AVOID.search(group.section):
        return True  # "Moves to leave out": movements the page tells the reader not to do
    if page.title_roundup and HOW_TO_USE.match(group.section):
        return True  # "How to use a massage gun" on "Best Massage Guns 2026": a product's directions
    if _share(items, lambda it: bool(PRODUCT_DIRECTIONS.search(it.text))) >= 0.5:
        return True  # each item says "How to use it:": products (a sponsored roundup), not what to do
    if _share(items, lambda it: bool(BOOKING_STEP.match(it.name))) >= 0.5:
        return True  # "Book online", "Fill in your forms", "Arrive 5 minutes early": a visit's steps
    if _share(items, lambda it: bool(PAPERWORK.search(it.name))) >= 0.5:
        return True  # "Apply for Parental Leave Pay", "Tell your employer your leave dates": paperwork, no care
    if _share(items, lambda it: bool(UI_STEP.search(it.text[:200]))) >= 0.5:
        return True  # "Open Today and tap the + button", "Choose Symptoms": steps in an app, not care
    if group.how == "table" and _price_list(group):
        return True  # "Home whitening | £295": a clinic's price list, services for sale
    if WHEN_CAN_I.match(group.section) or group.how == "table" and RETURN_COLUMN.search(table_header(group)):
        return True  # "When can I…?" over "Drive | After 1 to 2 weeks": when activities come back, no care
    if kind == "treatments" and SELF_CHECK.match(group.section):
        return True  # "How to check for tummy muscle separation": a test the reader does, no care
    if group.how == "list" and (CARD_DETAILS.match(group.section) or GOALS.match(group.section)):
        return True  # an exercise's "Muscles worked", "Easier / harder"; "Your goals by the end of week 2"
    if ORGANISATION_ACTION.search(group.section) or DUTIES.search(group.leadin.rstrip()):
        return True  # "How to apply", "Top tips for your own fundraiser"; "Line managers shall:": no care
    if kind == "treatments" and VISIT_SECTION.search(group.section):
        return True  # "Before you come", "How to order", "The evening before your operation": a visit's steps
    if NOT_FOR_THE_READER.match(group.section):
        return True  # "Advice for healthcare professionals", an SmPC's "Method of administration"
    return kind == "treatments" and bool(CARE_PROCESS.match(group.section))  # "Your treatment journey"


# What a reader does for an organisation, not for their health: fundraise,
# donate, volunteer, apply for a grant or a role, join. ("Apply" alone is
# advice's verb: "Apply ice", "How to apply the cream".)
ORGANISATION_ACTION = re.compile(
    r"\b(?:fundrais\w*|donat(?:e|ing|ions?)|volunteer(?:s|ing)?|get\s+involved|how\s+to\s+(?:report|submit|"
    r"fill\s+(?:in|out))|how\s+to\s+apply(?:\s+for\b|\s*$)|"
    r"apply\s+(?:for|now|online)|applications?|applying\s+for|eligibility|grants?|funding|membership|"
    r"what\s+you['’]ll\s+do|bewerb\w*|spende\w*|ehrenamt\w*|bénévol\w*|candidature|voluntariado|donaci\w*|"
    r"solicitud(?:es)?|reimburse\w*|rembours\w*|erstatt\w*|reembols\w*|rimbors\w*|"
    # (a policy for staff: "Social media policy", "Posting health content")
    r"social\s+media\s+(?:policy|guidelines|rules)|posting\s+(?:\w+\s+){0,3}content|"
    # (paying: "Spread the cost", "If you are paying for yourself", health insurance)
    r"spread\s+the\s+cost|pay\s+monthly|payment\s+plans?|finance\s+options?|paying\s+for\s+yourself|self[\s-]pay|"
    r"(?:using|with|through)\s+(?:your\s+)?(?:health\s+|private\s+medical\s+)?insurance|"
    # (hosting an event of one's own for a campaign)
    r"host\s+(?:your\s+own|an?)\s+(?:\w+\s+)?event|"
    # (entering a competition: "Entering the Spring Open?", "How to enter")
    r"entering\s+the\b|how\s+to\s+enter|entry\s+(?:form|fees?|rules)|"
    # (referring a patient: a clinician's steps, "How to refer", "Before you refer")
    r"(?:how|when|who)\s+to\s+refer|before\s+(?:you\s+)?referr?(?:ing)?|do\s+not\s+refer|"
    r"referral\s+(?:criteria|process|pathway|form|guide))\b", re.I)
# The steps of a visit, an order or an operation's preparation, or of
# choosing who treats you, not care: "Before you come", "How to order",
# "How to choose a therapist", "Signing the consent form", "Your journey,
# step by step" (not "Your journey to better sleep"), "How to
# read these figures", "The evening before and the morning of your
# operation", "Preparing for your joint replacement". (Movements to do
# before an operation are exercises all the same: only treatments yield;
# and "On the day of your procedure: go straight home and rest" is care.)
VISIT_SECTION = re.compile(
    r"\b(?:before\s+you\s+come(?:\s+in)?|what\s+to\s+bring|how\s+to\s+(?:order|book|pay|claim|renew|register)\b|"
    r"how\s+to\s+(?:choose|find|pick)\s+(?:a|an|the|your)\s+(?:\w+\s+)?(?:therapist|counsell?or|doctor|gp|dentist|"
    r"physio\w*|surgeon|clinic|practitioner|provider|care\s+home|hospital|plan|policy|cover|package|insurer)\b|"
    r"make\s+the\s+most\s+of\s+your\s+(?:plan|policy|cover|membership|benefits)|how\s+to\s+join\s*$|"
    r"how\s+to\s+complete\s+(?:this|the|your)\s+(?:form|application|registration)|"
    r"^\W*your\s+journey(?:,?\s+step\s+by\s+step)?\W*$|"
    r"(?:what\s+happens\s+)?if\s+you\s+take\s+part|taking\s+part\s+in\s+(?:the|this|a)\s+(?:trial|study)|"
    r"how\s+to\s+prepare\s+for\s+(?:your|the|a)\s+(?:\w+\s+){0,2}(?:check[\s-]?up|tests?|scan|appointment|"
    r"consultation|visit|operation|surgery|procedure|trip|webinar)\b|"
    r"consent\s+form|how\s+to\s+read\s+(?:these|the|our)\s+(?:figures|results|numbers|"
    r"statistics|data|tables?)|(?:preparing|getting\s+ready)\s+for\s+(?:your|the)\s+(?:\w+\s+){0,2}(?:operation|"
    r"surgery|procedure|admission|replacement|scan|appointment)|(?:evening|night|morning|day)\s+before\b.{0,40}"
    r"\b(?:operation|surgery|procedure|admission|scan|appointment)|"
    # (Booking and what to bring, in German, French, Spanish and Italian.)
    r"termin\w*\s+(?:vereinbaren|buchen)|terminvereinbarung|was\s+sie\s+mitbringen|"
    r"prendre\s+(?:un\s+)?rendez[\s-]vous|que\s+(?:faut-il\s+)?apporter|"
    r"(?:pedir|solicitar|reservar)\s+(?:una\s+)?cita|qu[ée]\s+traer|"
    r"prenotare|prenotazione|cosa\s+portare|"
    # (Using a tool or form, being referred, visiting, booking: "How to use
    # this template", "How to get referred", "Before you visit", "Booking
    # your treatment", "Before your appointment".)
    r"how\s+to\s+use\s+(?:this|the|our|your)\s+(?:[\w-]+\s+){0,2}(?:template|calculator|tool|form|app|checker|diary|"
    r"planner|tracker|chart|website|site|portal|service)\b|how\s+to\s+(?:get\s+referred|refer\s+yourself|self[\s-]refer)|"
    r"before\s+you\s+visit|when\s+you\s+visit|visiting\s+(?:times|hours|rules)|booking\s+(?:your|an?)\b|"
    r"how\s+booking\s+works|booking\s+(?:steps|process)|"
    r"before\s+your\s+(?:appointment|visit|treatment|procedure|consultation|scan|operation|surgery|session|test|"
    r"ecg|x-?ray|examination|check|exams?)\b|before\s+your\s+exams?\b|"
    # (a trip for treatment abroad, joining a group, a service's change: "Plan
    # your medical trip", "How to join a group", "What this means for you")
    r"plan\s+your\s+(?:[\w-]+\s+){0,2}(?:trip|visit|stay|journey)\b|how\s+to\s+join\s+(?:a|an|the|our)\s+"
    r"(?:[\w-]+\s+){0,2}(?:group|club|class|programme|program|course|scheme|service|network)\b|"
    r"^\W*what\s+this\s+means\s+for\s+you\W*$|\bjourney\s+in\s+(?:\d+|\w+)\s+(?:easy\s+|simple\s+)?steps\b|"
    r"^\W*what\s+happens(?:\s+next)?\W*$|"
    # (wearing or using a device the clinic gives; filling in a diary; a buying guide)
    r"(?:wearing|using|fitting)\s+(?:a|an|the|your)\s+(?:[\w-]+\s+){0,3}(?:monitor|recorder|patch|sensor|pump|"
    r"headband|tracker)\b|how\s+to\s+(?:fill\s+(?:in|out)|complete|keep)\s+(?:this|the|your|a)\s+(?:[\w-]+\s+){0,2}"
    r"(?:diary|log|form|chart|template|tracker|questionnaire)\b|how\s+to\s+(?:choose|pick|buy|find)\s+(?:a|an|the|your)\s+"
    r"(?:[\w-]+\s+){0,2}(?:mattress|pillow|bed|monitor|tracker|hearing\s+aids?|device|gadget|wearable)\b)", re.I)
# A section written for others than the reader, or a medicine's product
# information for prescribers: "Advice for healthcare professionals",
# "4.2 Posology and method of administration", "Contraindications".
NOT_FOR_THE_READER = re.compile(
    r"^\W*(?:\d+(?:\.\d+)*\.?\s*)?(?:(?:advice|information|guidance|instructions)\s+for\s+(?:healthcare\s+|health\s+"
    r"care\s+)?(?:professionals|clinicians|prescribers|pharmacists|gps|doctors|nurses|staff|employers|managers)|"
    r"posology|method\s+of\s+administration|contraindications|special\s+warnings|undesirable\s+effects|"
    r"pharmaco(?:dynamic|kinetic)\w*)\b", re.I)
# A policy's duties of others: "4.2 Line managers shall:", "The employer is responsible for:".
DUTIES = re.compile(r"\b(?:shall|(?:is|are)\s+responsible\s+for)\b[^.]{0,30}:$|"
                    # (What a clinician will do to you, "your midwife or doctor will
                    # usually:", and rules for visitors, "We ask every visitor to:".)
                    r"\b(?:midwife|midwives|doctor|doctors|gp|nurse|nurses|consultant|surgeon|dentist|team|"
                    r"physiotherapist|therapist)\s+(?:or\s+[\w-]+\s+)?will(?:\s+(?:usually|normally|also|then|"
                    r"routinely))?\s*:$|"
                    r"\b(?:surgeon|doctor|anaesthetist|anesthetist|team|consultant)\s+(?:may|might|will)\s+(?:also\s+)?"
                    r"(?:need\s+to|have\s+to)\s*:$|"
                    r"\bwe\s+ask\s+(?:every|all|each)\s+visitors?\b[^.]{0,30}:$", re.I)


# A test the reader does on themself: "How to check for tummy muscle
# separation", "How to tell if it's impetigo".
SELF_CHECK = re.compile(r"^\W*how\s+to\s+(?:check|test|tell|measure|know|spot|patch[\s-]test|score|rate)\b|"
                        r"^\W*how\s+to\s+give\b.{0,30}\b(?:score|rating|number)\b|^\W*(?:self[\s-]?check|"
                        r"check\s+yourself)\b", re.I)
# A plan's goals, what the reader should manage by then: "Your goals by the
# end of week 2" over "Bend the knee to 90 degrees".
GOALS = re.compile(r"^\W*(?:your\s+|our\s+)?(?:goals?|milestones?|aims?)\b|^\W*by\s+the\s+end\s+of\s+(?:week|day|month)\b|"
                   r"^\W*what\s+you\s+should\s+be\s+able\s+to\s+do\b", re.I)


# A section of a product's directions ("How to use a massage gun", "So
# benutzen Sie ..."): no advice of its own on a page that ranks products.
HOW_TO_USE = re.compile(r"^\W*(?:how\s+to\s+(?:use|apply|fit|clean|choose|pick)|how\s+we\s+tested|"
                        r"so\s+(?:benutzen|verwenden)|comment\s+(?:utiliser|choisir)|cómo\s+(?:usar|utilizar|elegir))\b",
                        re.I)


# What a product's blurb says of its use: "How to use it:", "How to use them:".
PRODUCT_DIRECTIONS = re.compile(r"\bhow\s+to\s+use\s+(?:it|them)\b|\bso\s+wird\s+es\s+angewendet\b|"
                                r"\bmode\s+d['’]emploi\b|\bmodo\s+de\s+(?:uso|empleo)\b", re.I)


# A step of booking or attending a visit, not of care.
BOOKING_STEP = re.compile(r"^\W*(?:book|re-?book|fill\s+in|complete\s+(?:your|the)\s+(?:forms?|registration)|arrive|"
                          r"check\s+in|pay|register|call\s+us|contact\s+us|choose\s+(?:your|a)\s+(?:clinic|slot|date|"
                          r"time|appointment))\b", re.I)
# A timetable of when everyday activities come back after an operation:
# "When can I…?", "Activity | Usually possible after".
# (The heading asks it; a table's column says it, not any heading that
# happens to say "safe after".)
WHEN_CAN_I = re.compile(r"^\W*when\s+can\s+i\b", re.I)
RETURN_COLUMN = re.compile(r"\b(?:usually\s+)?(?:possible|safe|allowed)\s+(?:after|from)\b", re.I)
# Paperwork and arrangements: leave, pay, benefits, employers, childcare, forms.
PAPERWORK = re.compile(r"\b(?:apply\s+for|employer|(?:maternity|paternity|parental|sick)\s+(?:leave|pay)|leave\s+dates|"
                       r"child\s?care|benefits?|allowance|paperwork|car\s+(?:seat|restraint)|antenatal\s+classes|"
                       r"birth\s+certificate|register\s+the\s+birth|insurance\s+(?:claim|policy))\b", re.I)
# A step in an app or on a site: tap, click, swipe, a button, a screen.
# (Not "screen" or "settings": a desk's screen, a chair's settings are advice's words too.)
UI_STEP = re.compile(r"\b(?:tap|taps|tapping|click|clicks|swipe|toggle|scroll\s+(?:down|up)|log\s+in|sign\s+in|"
                     r"button|drop-?down|tippen|tippe|klicken|klicke|appuyez|cliquez|toca|pulsa|haz\s+clic)\b", re.I)
PRICE_HEADER = re.compile(r"^\W*(?:price|prices|fee|fees|cost|costs|from|preis|kosten|prix|tarifs?|precio|coste)\b", re.I)


def _price_list(group: Group) -> bool:
    """A table with a price column ("Treatment | Price") or prices in most rows."""
    header = group.items[0].cells if group.items and group.items[0].cells else {}
    if any(PRICE_HEADER.match(str(name)) for name in header):
        return True
    return _share(group.items, lambda it: bool(AMOUNT.search(it.text))) >= 0.5


# A section on how a clinic's care proceeds ("Your treatment journey",
# "Preparing for your procedure", "What to expect on the day", "How to
# book"): steps of a service, not what treats the condition.
CARE_PROCESS = re.compile(
    r"^\W*(?:(?:your|the|our)\s+(?:treatment|patient|care)\s+(?:journey|pathway|process)|"
    r"(?:preparing|prepare)\s+for\s+(?:your|the)\s+(?:procedure|operation|surgery|appointment|visit|consultation|scan)|"
    r"what\s+to\s+expect(?:\s+(?:on|at|during)\s+(?:the\s+day|your\s+\w+))?|on\s+the\s+day\s+of\s+your\s+\w+|"
    r"how\s+to\s+book|booking(?:\s+an?\s+appointment)?|how\s+it\s+works)\W*$|"
    r"^\W*what\s+happens\s+(?:during|at|in|on|before|after)\b", re.I)  # "What happens during an MRI scan"


# A section of movements the reader is told not to do.
MOVES_TO_AVOID = re.compile(r"\b(?:avoid|leave\s+out|skip|stop\s+doing|not\s+to\s+do|off[\s-]limits|vermeiden|"
                            r"weglassen|à\s+éviter|éviter|evitar|a\s+evitar)\b", re.I)


# The nouns a named movement ends with ("Wall calf stretch", "Glute
# bridges", "Child's pose"); not an activity ("Swimming"), nor a word that
# names food or a plan as often ("dip", "intervals").
MOVEMENT_END = frozenset("""stretch stretches squat squats lunge lunges plank planks bridge bridges curl curls raise
    raises press presses row rows pose poses tilt tilts twist twists rotation rotations tuck tucks slide slides
    crunch crunches deadlift deadlifts extension extensions kicks clamshell clamshells thrust thrusts shrugs
    pushups push-ups press-ups pullups pull-ups situps sit-ups scrunches""".split())


def _named_movement(item: Item) -> bool:
    """A movement named as such ("Wall calf stretch", "Towel scrunches"), not
    a kind of training ("Stretching", "Yoga") nor an activity ("Swimming")."""
    words = item.name.lower().split()
    return bool(words) and words[-1].strip(".,:;!") in MOVEMENT_END and _bare_movement(item)


def _base_name(name: str) -> str:
    """A name without the bracket after it, lower-cased: "Child's Pose
    (Balasana)" is "child's pose"."""
    return re.sub(r"\s*[(\[][^()\[\]]*[)\]]\s*$", "", name).strip().lower()


def _count_before_name(item: Item) -> int | None:
    """The number an item's text opens with when the item's name follows it
    ("10 push-ups"), also after an interval's slot ("Minute 1: 12 kettlebell
    swings", "Round 2 - 10 burpees")."""
    text = item.text.lstrip()
    slot = INTERVAL_LABEL.match(text)
    if slot and item.number is None:
        rest = text[slot.end():].lstrip(" :–—-")
        count = re.match(r"(\d{1,4})\s+", rest)
        if count and rest[count.end():].lower().startswith(item.name.lower()):
            return int(count.group(1))
        return None
    if item.number is None:
        return None
    digits = str(item.number)
    if not text.startswith(digits):
        return None
    rest = text[len(digits):]
    return item.number if rest[:1] == " " and rest.strip().lower().startswith(item.name.lower()) else None


def treatment_record(position: int, item: FoundItem) -> dict:
    return {
        "position": position, "name": item.name, "text": item.text,
        "category": facts.treatment_category(item.name, item.text),
        "medicines": facts.medicines(item.text), "warnings": facts.warning_conditions(item.text),
        "found_by": item.how, "section": item.section or None, "section_kind": "treatments",
        "confidence": round(item.confidence, 3), "unsure": item.confidence < UNSURE_BELOW,
    }


NAMED_BY_LABEL = frozenset({"headings", "list", "bold-paras", "bold-lines", "colon-paras", "numbered-paras", "dl",
                            "label-paras"})


def _name_and_dose(item: FoundItem) -> str:
    """The name with what followed it in the heading or lead-in it was read
    from: "Glute bridge: 3 x 10" is named "Glute bridge" and says 3 sets of
    10 (the tail left the name, not the facts). The numbering before it
    stays out ("1 Push-ups" counts the list, not the push-ups), and a name
    read from a sentence ("... and 15 glute bridges") has no label to read."""
    if item.how not in NAMED_BY_LABEL or not item.label:
        return item.name
    at = item.label.find(item.name)
    return item.name + item.label[at + len(item.name):] if at >= 0 else item.name


def exercise_record(position: int, item: FoundItem) -> dict:
    """An exercise with its dosage: what its own text (or table row) says,
    and where it says nothing, what a plan-wide line of its list says."""
    dosage = facts.parse_dosage(item.text, f"{item.count} {item.name}" if item.count else _name_and_dose(item))
    if item.cells:
        dosage = facts.table_dosage(list(item.cells), list(item.cells.values())).merged_with(
            facts.without_cell_times(dosage))
    if item.plan:
        dosage = dosage.merged_with(facts.plan_dosage(item.plan))
    dosage = dosage.held_if_static(item.under)  # ("Oberschenkel vorne" under "Dehnübungen nach dem Joggen")
    record = {
        "position": position, "name": item.name, "text": item.text,
        **dosage.as_record(),
        "body_position": facts.body_position(item.text), "found_by": item.how,
        "section": item.section or None, "section_kind": "exercises",
        "confidence": round(item.confidence, 3), "unsure": item.confidence < UNSURE_BELOW,
    }
    return record
