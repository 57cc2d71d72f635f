"""Which candidate groups are lists of treatments or exercises.

Many small signals, combined (trafilatura's lesson) by a logistic model
learned from hand-labelled pages (``scripts/train_extract_model.py``,
reproducible; the weights ship in ``model.json``): how the group is marked
up, what its heading and lead-in say, whether the title announces as many
items as it has ("7 Ways to ..."), whether its items open with an
imperative verb, are questions, name decoys or exercises, carry dosage
words, how link-heavy they are, where they sit, and what kind of page holds
them (news, a shop, a recipe, a page about something other than health).

Scoring a group costs a dot product; the features are plain numbers, so the
model file is a list of weights a person can read.
"""

from __future__ import annotations

import json
import math
from collections import Counter
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from pipeline.extract.candidates import Group, Item
from pipeline.extract.facts import parse_dosage
from pipeline.extract.vocabulary import REPORTING as REPORTING_WORDS
from pipeline.extract.vocabulary import HEALTH_PAGE_DENSITY, health_hits
from pipeline.extract.vocabulary import (AMOUNT, COLUMN_LABEL, DECOY_CUE, DOSAGE_WORDS, EQUIPMENT_NAME, EXERCISE_CUE,
                                         EXERCISE_NAME, FIRST_PERSON, INGREDIENT, INTRO_CUE, NOT_TREATMENTS,
                                         PHARMACIST_HEADING,
                                         PREVENTION_HEADING, PROMO, SECOND_PERSON, TITLE_RANKS_ADVICE, TREATMENT_CLASS,
                                         TREATMENT_CUE, TREATMENT_HEADING, TREATMENT_KIND, TREATMENT_KIND_AFTER,
                                         TREATMENT_WORD, TREATMENTS_INTRO, counts_in, is_gerund, is_imperative,
                                         is_instruction_infinitive, is_question, ranks_products)

MODEL_PATH = Path(__file__).with_name("model.json")
HOWS = ("headings", "list", "bold-paras", "label-paras", "bold-lines", "colon-paras", "numbered-paras", "table",
        "dl", "howto", "prose", "workout")
ACCEPT = 0.5
UNSURE_BELOW = 0.7
SIBLING_MARGIN = 0.1
OWN_TEXT = 40  # characters a section holds beside its list, from which it has text of its own
MOVEMENT_NAME_WORDS = 5  # "Double-leg calf raises": a movement's name is short; a step is a sentence
TIPS_MARGIN = 0.2  # how far under the bar a run of headings still holds the bullets under it as its text
ANNOUNCED_ADVICE = 0.9  # the probability of a list a labelling rule takes (sections.probabilities)


@dataclass
class PageContext:
    """What is known of the page as a whole, for the features of each group."""

    title: str
    flow_length: int
    health: float          # density of health words in the body
    news: float            # reporting words per word ("said", "according to", "study")
    shop: float            # prices and "buy" per word
    recipe: bool
    news_type: bool        # JSON-LD says NewsArticle / ScholarlyArticle / report
    title_counts: frozenset
    title_treatment: bool
    title_exercise: bool
    title_decoy: bool
    title_howto: bool
    title_roundup: bool
    title_health: bool
    first_person: float    # "I", "my" per word: diaries and essays
    second_person: float = 0.0   # "you", "your" per word: advice speaks to the reader
    imperatives: float = 0.0     # share of sentences that open with an imperative verb
    quotes: float = 0.0          # quotation marks per word: reporting
    title_question: bool = False
    started: float = 0.0         # when extraction of the page began (time budget)
    names_condition: bool = False  # its headline names a condition of the curated table ("Tinnitus")


def _share(items: list[Item], test) -> float:
    return sum(1 for item in items if test(item)) / len(items) if items else 0.0


def exercise_name_share(items: list[Item]) -> float:
    """The share of items whose names name a movement ("Banded squats")."""
    return _share(items, lambda it: bool(EXERCISE_NAME.search(it.name)))


def _instructs(item: Item) -> bool:
    return is_imperative(item.name)


def _dosed(item: Item) -> bool:
    """Does the item say how much of it to do ("3×15", "hold 30 seconds")?"""
    return parse_dosage(item.text[:300], item.name).counted


# A heading that says when or where, not what to do: "Morning", "At work",
# "In the bedroom", "Le soir", "Dans la journée", "Am Arbeitsplatz", "Por la noche".
WHEN_OR_WHERE = re.compile(
    r"^\W*(?:(?:in|at|during|before|after|for)\s+(?:the\s+|your\s+)?|le\s+|la\s+|l['’]|au\s+|à\s+la\s+|à\s+l['’]|"
    r"dans\s+(?:la\s+|le\s+|l['’])?|pendant\s+(?:la\s+|le\s+)?|am\s+|im\s+|in\s+der\s+|bei\s+der\s+|"
    r"unterwegs|por\s+la\s+|en\s+(?:el\s+|la\s+|casa)?|durante\s+(?:el\s+|la\s+)?|al\s+|di\s+|a\s+)?"
    r"(?:morning|mornings|evening|evenings|night|nights|daytime|day|bedtime|work|home|office|bedroom|kitchen|bathroom|"
    r"desk|car|garden|stairs|soir|matin|journée|nuit|chambre|cuisine|salle\s+de\s+bains?|travail|bureau|maison|"
    r"morgen|abend|nacht|tag|tagsüber|arbeitsplatz|schlafzimmer|küche|bad|mañana|tarde|noche|día|casa|trabajo|"
    r"dormitorio|cocina|baño|mattina|sera|notte|giorno|lavoro|ufficio|camera|cucina|bagno)\W*$", re.I)
# A routine of care, not of training: "wind-down routine", "skincare routine".
CARE_ROUTINE = re.compile(r"\b(?:wind[\s-]?down|bedtime|sleep|skin[\s-]?care|night[\s-]?time|hygiene|self[\s-]?care|"
                          r"beauty|hair[\s-]?care|oral[\s-]?care|daily|evening)\s+routines?\b", re.I)
# A heading that names a kind of training: its items are exercises whatever they say.
EXERCISE_KIND = re.compile(r"\b(?:exercises?|stretch(?:es|ing)?|workouts?|moves|movements|routine|drills?|poses?|"
                           r"übungen|dehn\w*|exercices?|étirements?|ejercicios?|estiramientos?|yoga|pilates|"
                           r"renforcement|fortalecimiento|esercizi|kräftigung\w*)\b", re.I)


# The parts of one exercise's card that list no advice: what it works,
# what it needs, how it goes wrong, its variations ("Muscles worked",
# "Easier / harder"); and with its steps and dose, all of its parts.
_CARD_DETAILS = (
    r"muscles?(?:\s+(?:worked|used|targeted))?|targets?|target\s+muscles|primary|secondary|equipment|"
    r"(?:common\s+)?mistakes(?:\s+to\s+avoid)?|easier(?:\s*(?:/|or|and)\s*harder)?|harder|"
    r"make\s+it\s+(?:easier|harder)(?:\s+or\s+(?:easier|harder))?|variations?|modifications?|progressions?|"
    r"regressions?|(?:the\s+)?benefits|what\s+it\s+(?:stretches|works|targets|does)|muskeln|häufige\s+fehler|"
    r"varianten?|muscles\s+sollicités|erreurs(?:\s+fréquentes)?|músculos(?:\s+trabajados)?|errores(?:\s+comunes)?")
CARD_DETAILS = re.compile(rf"^\W*(?:{_CARD_DETAILS})\W*$", re.I)
CARD_PART = re.compile(rf"^\W*(?:how\s+to\s+do\s+(?:it|this|them)|steps|instructions|(?:form\s+)?cues|doses?|dosage|"
                       rf"sets\s+(?:and|&)\s+reps|reps|sets|ausführung|étapes|pasos|{_CARD_DETAILS})\W*$", re.I)


# The heading over one exercise's or one technique's steps ("How to do it",
# "Steps", "Instructions", "So geht's", "Comment faire", "Cómo hacerlo").
STEPS_HEADING = re.compile(r"^\W*(?:how\s+to\s+do\s+(?:it|this|them)|how\s+to\s+perform\s+it|how\s+it['’]?s\s+done|"
                           r"steps?|instructions|technique|the\s+move|so\s+geht['’]?s|ausführung|anleitung|"
                           r"comment\s+(?:faire|le\s+faire|la\s+faire)|étapes|réalisation|cómo\s+hacerlo|pasos|"
                           r"ejecución)\W*$", re.I)


# A heading that names the goal of the advice under it, not one tip:
# "Relieve the cold", "Soulager le rhume", "Den Schmerz lindern".
GOAL_HEADING = re.compile(r"^\W*(?:relieve|relieving|ease|easing|soothe|soothing|treat|treating|prevent|preventing|"
                          r"manage|managing|soulager|traiter|prévenir|apaiser|aliviar|tratar|prevenir|calmar|"
                          r"(?:\w+\s+){1,3}(?:lindern|behandeln|vorbeugen))\b", re.I)


# German says "how to" as "So" and a verb before the reader: "So entlasten
# Sie Ihre Knie", "So bleibt Ihr Kreislauf stabil", "So schläfst du besser".
GERMAN_SO_HOW = re.compile(r"^\W*so\s+\w+\s+(?:sie|ihr|ihre|ihren|du|dein|deine|deinen)\b", re.I)


def _cues(text: str) -> tuple[float, float, float]:
    # (Comparing treatments is no decoy: "Back Pain Treatments Compared". A
    # heading that is itself an instruction in the infinitive, "Sturzfallen
    # beseitigen", "Aménager son logement", heads advice.)
    return (float(bool(TREATMENT_CUE.search(text) or GERMAN_SO_HOW.match(text)
                       or is_instruction_infinitive(text) and len(text) <= 80)),
            float(bool(EXERCISE_CUE.search(text))),
            float(bool(DECOY_CUE.search(text)) and not TITLE_RANKS_ADVICE.search(text)))


def consecutive_numbers(items: list[Item]) -> bool:
    numbers = [item.number for item in items if item.number is not None]
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


# The direction each signal may push (LABELING.md's rules, not the data):
# +1 may only raise the probability, -1 only lower it, 0 either way. The
# training script fits the weights within these signs, so a signal that is
# rare in the labelled pages cannot come out backwards (with a hundred pages,
# "is numbered" once came out as a sign against a list).
SIGNS = {
    "numbered": 1, "consecutive": 1, "ordered": 1, "count_title": 1, "count_title_near": 1, "count_section": 1,
    "sec_advice": 1, "lead_advice": 1, "lead_intro": 1, "lead_colon": 1, "title_advice": 1, "title_howto": 1,
    "imperative": 1, "gerund": 1, "name_exercise": 1, "dosage": 1, "in_main": 1, "page_health": 1,
    "page_second_person": 1, "page_imperatives": 1, "title_health": 1, "name_upper": 1, "text_you": 1,
    "text_imperative": 1, "text_health": 1, "text_reporting": -1,
    "sec_decoy": -1, "lead_decoy": -1, "title_decoy": -1, "title_roundup": -1, "question": -1, "name_decoy": -1,
    "name_promo": -1, "name_long": -1, "text_empty": -1, "first_person": -1, "ingredients": -1, "links": -1,
    "page_health_low": -1, "page_news": -1, "page_news_type": -1, "page_shop": -1, "page_recipe": -1,
    "page_first_person": -1, "page_quotes": -1, "name_digits": -1, "lead_first_person": -1,
}


ITEM_FLAGS = ("imperative", "gerund", "question", "name_decoy", "name_promo", "name_exercise", "name_digits",
              "name_upper", "name_sentence", "name_long", "name_short", "text_empty", "dosage", "first_person",
              "text_you", "text_imperative", "text_reporting", "text_health", "ingredients")


def _after_name(item: Item) -> str:
    """The start of the item's text after its name: where its instruction starts."""
    text = item.text[:len(item.label) + 80]
    if text.startswith(item.label):
        text = text[len(item.label):]
    return text.lstrip(" .:-–—")


def group_features(group: Group, page: PageContext) -> dict[str, float]:
    items = group.items
    n = len(items)
    names = [item.name for item in items]
    # How the list is marked up is deliberately not a feature: with a hundred
    # labelled pages, "bold paragraphs" or "<ol>" would be learned from the
    # handful of sites that use them, not from what lists of advice are.
    f: dict[str, float] = {"n_log": math.log(n)}
    f["n_two"] = float(n == 2)
    f["numbered"] = float(group.numbered)
    f["consecutive"] = float(consecutive_numbers(items))
    f["ordered"] = float(group.ordered)
    section_counts = counts_in(group.section) | counts_in(group.leadin)
    f["count_title"] = float(n in page.title_counts)
    f["count_title_near"] = float(any(abs(n - c) == 1 for c in page.title_counts) and n not in page.title_counts)
    f["count_section"] = float(n in section_counts)
    # Treatment and exercise cues count as one "advice" signal: which of the
    # two a list holds is decided apart (group_kind), and exercise words sit on
    # many pages that instruct nothing (gear reviews, training diaries).
    sec_treat, sec_exer, f["sec_decoy"] = _cues(group.parent_section if COLUMN_LABEL.match(group.section)
                                                else group.section)
    lead_treat, lead_exer, f["lead_decoy"] = _cues(group.leadin)
    f["sec_advice"] = max(sec_treat, sec_exer)
    f["lead_advice"] = max(lead_treat, lead_exer)
    f["lead_intro"] = float(bool(group.leadin and INTRO_CUE.search(group.leadin)))
    # "The cardio I do now:", "My trainings of choice:": the author's own routine, told, not taught.
    # (An author who recommends, "what I'd suggest", speaks to the reader.)
    f["lead_first_person"] = float(bool(FIRST_PERSON.search(f"{group.leadin} {group.section}"))
                                   and not RECOMMENDS.search(f"{group.leadin} {group.section}"))
    f["lead_colon"] = float(group.leadin.rstrip().endswith(":"))
    f["sec_question"] = float(is_question(group.section))
    f["sec_is_title"] = float(group.section_level == 0)
    f["title_advice"] = float(page.title_treatment or page.title_exercise)
    f["title_decoy"] = float(page.title_decoy)
    f["title_howto"] = float(page.title_howto)
    f["title_roundup"] = float(page.title_roundup)
    f["title_health"] = float(page.title_health)
    # Per item, one pass; text features look at the item's first 300
    # characters (where its instruction is), so the cost does not grow with
    # long sections.
    counts = dict.fromkeys(ITEM_FLAGS, 0)
    for item in items:
        name, head = item.name, item.text[:300]
        after = _after_name(item)
        imperative, exercise_name = is_imperative(name), EXERCISE_NAME.search(name)
        flags = (
            imperative, is_gerund(name), is_question(item.label) or is_question(name),
            DECOY_CUE.search(name), PROMO.search(name),
            exercise_name, any(c.isdigit() for c in name), name[:1].isupper(),
            item.label.rstrip().endswith("."), len(name.split()) > 14, len(name.split()) <= 1, len(item.text) < 20,
            DOSAGE_WORDS.search(head), FIRST_PERSON.search(head),
            SECOND_PERSON.search(head), is_imperative(after),
            REPORTING_WORDS.search(head), health_hits(head) > 0, INGREDIENT.search(head) is not None,
        )
        for key, flag in zip(ITEM_FLAGS, flags):
            counts[key] += flag
    for key in ITEM_FLAGS:
        f[key] = counts[key] / n
    words = [len(name.split()) for name in names]
    mean_words = sum(words) / n
    f["name_words"] = min(mean_words, 20) / 20
    spread = (sum((w - mean_words) ** 2 for w in words) / n) ** 0.5
    f["name_spread"] = min(spread / max(mean_words, 1), 2) / 2
    chars = [len(item.text) for item in items]
    f["text_log"] = math.log1p(sum(chars) / n) / 8
    total = sum(max(item.chars, 1) for item in items)
    f["links"] = min(sum(item.link_chars for item in items) / total, 1.0)
    f["in_main"] = group.in_main
    f["position"] = min(group.start, page.flow_length) / max(page.flow_length, 1)
    f["page_health"] = min(page.health * 20, 1.0)
    f["page_health_low"] = float(page.health < HEALTH_PAGE_DENSITY)
    f["page_news"] = reporting(page)
    f["page_shop"] = min(page.shop * 100, 1.0)
    f["page_recipe"] = float(page.recipe)
    f["page_news_type"] = float(page.news_type)
    f["page_first_person"] = min(page.first_person * 20, 1.0)
    f["page_second_person"] = min(page.second_person * 20, 1.0)
    f["page_imperatives"] = min(page.imperatives * 4, 1.0)
    f["page_quotes"] = min(page.quotes * 50, 1.0)
    f["title_question"] = float(page.title_question)
    f["bias"] = 1.0
    return f


def page_context(title: str, body: str, json_ld: list[dict], recipe: bool, health: float | None = None) -> PageContext:
    from pipeline.extract.vocabulary import NEWS_TYPES, PRICE, REPORTING, health_density, health_topic_hits, tokens

    # Densities need a sample, not the whole text: the first 6,000 characters.
    body = body[:6000]
    counts = Counter(tokens(body))
    words = max(sum(counts.values()), 1)
    types: set[str] = set()
    for obj in json_ld:
        value = obj.get("@type")
        types |= {str(t).lower() for t in (value if isinstance(value, list) else [value]) if t}
    treat, exer, decoy = _cues(title)
    return PageContext(
        title=title, flow_length=0, health=health if health is not None else health_density(f"{title} {body}"),
        news=REPORTING.count_in(counts) / words, shop=len(PRICE.findall(body.lower())) / words, recipe=recipe,
        news_type=bool(types & NEWS_TYPES), title_counts=frozenset(counts_in(title)),
        title_treatment=bool(treat), title_exercise=bool(exer), title_decoy=bool(decoy),
        title_howto=bool(re.search(r"\bhow\s+to\b|\bwie\s+(?:du|sie|man)\b|\bcomment\b|\bcómo\b", title, re.I)),
        title_roundup=ranks_products(title), title_health=health_topic_hits(title) > 0,
        first_person=FIRST_PERSON.count_with_i(counts, body) / words,
        second_person=SECOND_PERSON.count_in(counts) / words,
        imperatives=_imperative_sentences(body),
        quotes=len(QUOTES.findall(body)) / words,
        title_question=title.rstrip().endswith("?"),
    )


QUOTES = re.compile(r"[\"“”„«»]")
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")


def _imperative_sentences(text: str) -> float:
    sentences = [s for s in SENTENCE_SPLIT.split(text) if len(s) > 15]
    if not sentences:
        return 0.0
    return sum(1 for s in sentences if is_imperative(s)) / len(sentences)


# -- the model ----------------------------------------------------------------------


@dataclass
class Model:
    """A logistic model: features are standardised with ``mean``/``scale``, then weighted."""

    names: list[str]
    mean: list[float]
    scale: list[float]
    weights: list[float]
    intercept: float
    threshold: float = ACCEPT   # the probability from which a group is accepted

    def probability(self, features: dict[str, float]) -> float:
        z = self.intercept
        for name, mean, scale, weight in zip(self.names, self.mean, self.scale, self.weights):
            z += weight * (features.get(name, 0.0) - mean) / scale
        return 1 / (1 + math.exp(-max(min(z, 40), -40)))

    def to_json(self) -> dict:
        return {"names": self.names, "mean": self.mean, "scale": self.scale, "weights": self.weights,
                "intercept": self.intercept, "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: dict) -> "Model":
        return cls(data["names"], data["mean"], data["scale"], data["weights"], data["intercept"],
                   data.get("threshold", ACCEPT))


@lru_cache(maxsize=1)
def default_model() -> Model | None:
    """The shipped group scorer (model.json), or None (then a hand-weighted fallback scores)."""
    try:
        return Model.from_json(json.loads(MODEL_PATH.read_text())["group"])
    except (OSError, ValueError, KeyError):
        return None


def heuristic_probability(f: dict[str, float]) -> float:
    """The hand-weighted fallback when no trained model is present (and the
    starting point the model was compared with)."""
    z = -2.0
    z += 1.5 * f["numbered"] + 1.5 * f["count_title"] + 1.0 * f["count_section"]
    z += 1.2 * max(f["sec_advice"], f["lead_advice"]) + 0.8 * f["lead_intro"]
    z += 1.5 * f["imperative"] + 0.6 * f["gerund"] + 0.8 * f["name_exercise"] + 0.5 * f["dosage"]
    z -= 2.5 * f["question"] + 2.0 * f["name_decoy"] + 1.5 * f["sec_decoy"] * (1 - f["sec_advice"])
    z -= 2.0 * f["links"] + 1.5 * (1 - f["in_main"]) + 1.5 * f["name_promo"]
    z -= 2.0 * f["page_recipe"] + 1.0 * f["page_news_type"] + 1.5 * f["page_shop"] + 1.0 * f["page_news"]
    z += 1.0 * f["page_health"] - 1.0 * f["name_long"]
    return 1 / (1 + math.exp(-z))


# -- kind, items and overlaps -------------------------------------------------------------


def table_header(group: Group) -> str:
    """A table's header row, which says what its rows are ("Übung | Sätze |
    Wiederholungen"); empty for any other reading."""
    items = group.items
    return " | ".join(items[0].cells) if group.how == "table" and items and items[0].cells else ""


def group_kind(group: Group, page: PageContext) -> str:
    """'exercises' or 'treatments', from the group's own words first, then the title's."""
    if group.kind:
        return group.kind
    items = group.items
    if _share(items, lambda it: bool(EXERCISE_NUMBER.match(it.label or ""))) >= 0.5:
        return "exercises"  # "Exercice 1 : le pendule de Codman", "Exercise 2: Wall slides"
    exercise_names = exercise_name_share(items)
    # (A dose without its words counts: "Seated heel raises – 2 × 15", "Ankle circles – 10 each direction".)
    dosage = _share(items, lambda it: bool(DOSAGE_WORDS.search(it.text)) or _dosed(it))
    # (A routine for sleep or skin is no training: "Build a wind-down routine".)
    section = CARE_ROUTINE.sub(" ", group.section)
    context = CARE_ROUTINE.sub(" ", f"{group.section} {group.leadin} {table_header(group)}")
    context_exercise = bool(EXERCISE_CUE.search(context))
    if (not group.section.strip() or group.section_level == 0) and page.title_treatment and \
            _share(items, _instructs) >= 0.75 and _share(items, _bare_movement) < 0.3:
        # Under no heading, on "Shin Splints: Treatment and Exercises",
        # instructions that name no movement of their own ("Rest from running
        # for 2 weeks") are the treatment, whatever a lead-in says of training.
        return "treatments"
    if group.how == "headings" and exercise_names < 0.5 and _share(items, _instructs) >= 0.75 and \
            _share(items, _dosed) < 0.3 and _share(items, lambda it: bool(EXERCISE_NAME.search(it.text[:200]))) < 0.5:
        # Tips under their own headings that name no movement, nor speak of
        # one ("Raise your screen to eye level", "Keep your keyboard close"),
        # are advice, whatever the section says of stretches. ("Push Day"
        # over "Bench press" is a plan's day.)
        return "treatments"
    # ("Other ways to ease heel pain" names what helps, whatever its lead-in says of stretching.)
    # ("Self-help" over "Avoid sitting for long periods" is care, though its lead-in says "self-help and exercise".)
    context_treatment = bool(re.search(r"\b(?:treat|remed|relie|tips?\b|tipps?\b|conseils?|consejos?|ease\b|easing\b|"
                                       r"sooth|self[\s-]?(?:help|care|management)\b|selbsthilfe|autosoins?\b|"
                                       r"autocuidados?\b)", context, re.I))
    if context_exercise and _share(items, _instructs) >= 0.75 and exercise_names < 0.3 and \
            _share(items, _dosed) < 0.3 and \
            not EXERCISE_KIND.search(f"{section} {table_header(group)}") and \
            _share(items, lambda it: bool(EXERCISE_NAME.search(it.text[:200]))) < 0.75:
        # Only the lead-in or a word of the heading speaks of training
        # ("Stretching once a day helps, but ...", "What our physio told us
        # to do"), over instructions that name no movement and dose none
        # ("Stand up every 30 minutes", "Ice the heels after matches"):
        # advice. (A heading that names a kind of training, "Stretches",
        # "Übungen", keeps its items exercises.)
        return "treatments"
    if EXERCISE_KIND.search(section) and _share(items, _instructs) < 0.5 and \
            all(len(item.name.split()) <= 5 and not is_question(item.name) for item in items):
        # Short names that tell nothing ("Lying knee rocks", "Loose fist")
        # under a heading that names a kind of training ("Four flare
        # exercises", "Gentle movements during a flare") are its movements,
        # though a lead-in says they "ease stiffness".
        return "exercises"
    if context_exercise and not (context_treatment and exercise_names < 0.5):
        return "exercises" if (exercise_names >= 0.3 or dosage >= 0.3 or not context_treatment) else "treatments"
    if exercise_names >= 0.6 and dosage >= 0.4:
        return "exercises"
    if not context_treatment and _share(items, _bare_movement) >= 0.8:
        # Bare movements ("Bench press", "Push-ups") under a plan's "Day 1":
        # exercises, where "Swap running for cycling" is a tip.
        return "exercises"
    if not context.strip() or group.section_level == 0:
        if page.title_exercise and (exercise_names >= 0.4 or dosage >= 0.4 or not page.title_treatment):
            return "exercises"
    if dosage >= 0.6 and exercise_names >= 0.3:
        return "exercises"
    if PREVENTION_OR_TREATMENT.search(group.section) and exercise_names < 0.3 and dosage < 0.3:
        # Under "Vorbeugen" or "Treatment", items that name no movement and
        # no dose are advice, whatever exercise word a lead-in holds ("Ein
        # Physiotherapeut zeigt Ihnen ...").
        return "treatments"
    if dosage >= 0.6 and not context_treatment and page.title_exercise and not page.title_treatment:
        # Dosed items under a heading that names neither ("So geht's") on a
        # page about exercises ("4 Übungen für zu Hause"), whose names the
        # vocabulary does not know ("Katzenbuckel", "Vierfüßlerstand").
        return "exercises"
    if not context_treatment and not page.title_treatment and exercise_names >= 0.5 and \
            all(len(item.name.split()) <= 4 for item in items):
        # Movements ("Farmer's carry", "Kettlebell swings") under a heading
        # that names neither ("Complete 3 rounds:"), on a page that speaks
        # of no treatment: a workout's exercises, not tips.
        return "exercises"
    return "treatments"


PREVENTION_OR_TREATMENT = re.compile(r"\b(?:prevent\w*|vorbeug\w*|prävention|prévent\w*|prévenir|preven\w*|"
                                     r"behandl\w*|traitements?|tratamientos?)", re.I)


NOT_AN_ITEM = re.compile(
    # A qualifier makes a kind of them, still a section: "Medical treatment"
    # and "Home remedies" under "Treatment" hold the treatments in their lists.
    rf"^(?:(?:main\s+|{TREATMENT_KIND}\s+)?(?:treatments?|exercises?|stretches|remedies|tips|causes|"
    r"symptoms|overview|introduction|intro|prevention|diagnosis|outlook|risk\s+factors|complications|workouts?|"
    r"behandlung|übungen|ursachen|symptome|einleitung|traitements?|exercices|causes|symptômes|tratamientos?|"
    rf"ejercicios|causas|síntomas)(?:\s+{TREATMENT_KIND_AFTER})?$|"
    # ... and so is a plural kind with what it is for, the heading over a
    # run of them: "Stretches for sciatica", "Exercises to try", "Home
    # remedies that help" (a tip is one thing: "Stretch your calves").
    rf"(?:\d+\s+)?(?:{TREATMENT_KIND}\s+)?(?:treatments|exercises|stretches|remedies|tips|workouts|"
    r"(?:dehn)?übungen|tipps|hausmittel|exercices|étirements|remèdes|conseils|ejercicios|estiramientos|remedios|"
    r"consejos)\s+(?:for|to|that|you\s+can|against|für|gegen|bei|zur|pour|contre|para|contra|que)\b.{0,60}$|"
    # Sections of a condition page that hold no single item.
    r"(?:living\s+(?:well\s+)?with|leben\s+mit|vivre\s+avec|vivir\s+con)\b.{0,60}$|prognosis$|"
    # ... and so is a kind of care: "Self-care" and "Exercises" under "Treatment".
    r"(?:self[\s-]?care|(?:at[\s-])?home[\s-]care|first[\s-]aid|selbsthilfe|erste\s+hilfe|premiers\s+(?:secours|soins)|"
    r"primeros\s+auxilios|autocuidados?)$|"
    r"references|sources|conclusion|summary|bottom\s+line|takeaways?|key\s+takeaways|main\s+takeaways|faqs?|"
    r"at\s+a\s+glance|in\s+brief|in\s+short|quick\s+facts|the\s+short\s+version|tl;?dr|"
    # The how-to template's parts (eHow, LIVESTRONG, wikiHow): "Things You'll Need", "Instructions", "Tips & Warnings".
    r"(?:things\s+you['’]?ll\s+need|things\s+you\s+will\s+need|what\s+you['’]?ll\s+need|what\s+you\s+need|"
    r"you['’]?ll\s+need|instructions|directions|steps|warnings?|tips\s*(?:&|and)\s*warnings|resources|"
    r"was\s+sie\s+brauchen|anleitung)$|"
    # The phases a plan of advice runs through ("Before you fly", "On the
    # plane", "After you arrive", "In the morning"): sections over their tips.
    # (Not German's "In Bewegung bleiben": a noun and an infinitive, advice.)
    r"(?:before|after|during|on|at|in)\s+(?!(?-i:[A-ZÄÖÜ]\w+\s+[a-zäöüß]+(?:en|eln|ern))$)"
    r"(?:the\s+|your\s+|you\s+)?(?:\w+\s+)?\w+$|"
    # ... "Before a run of nights", "After a night shift": a phase of a few words
    r"(?:before|after|during)\s+(?:a|an|the|your)\s+(?:\w+\s+){0,2}(?:of\s+)?\w+$|"
    # ... "A few days before you fly", "When you land", "The first few days"
    r"(?:a\s+few|the\s+first(?:\s+few)?|the\s+last|(?:two|three|\d+))\s+(?:days?|hours?|weeks?|nights?)"
    r"(?:\s+(?:before|after)\s+.{1,30})?$|when\s+you\s+(?:land|arrive|get\s+(?:home|back)|wake\s+up|board)$|"
    r"frequently\s+asked\s+questions|(?:common|your)\s+questions(?:\s+answered)?|questions\s+and\s+answers|"
    r"related(?:\s+\w+)?|relacionad[oa]s?|(?:artículos|noticias)\s+relacionad[oa]s|"
    r"articles?\s+(?:liés|similaires)|à\s+lire\s+aussi|ähnliche\s+\w+|verwandte\s+\w+|"
    r"final\s+thoughts|in\s+conclusion|the\s+bottom\s+line|"
    r"fazit|quellen|zusammenfassung|conclusion|résumé|conclusión|resumen|about\s+the\s+author|disclaimer|"
    r"table\s+of\s+contents|contents|inhalt|"
    # Tips in the plural, whatever kind: "Everyday tips", "Quick tips", "Top tips" head a list of them.
    r"(?:[\w'’-]+\s+){0,2}(?:tips|tipps|hacks|conseils|consejos|astuces)$|"
    # A heading over the cases it names, its "if" left hanging: "See a GP if", "Call 999 if".
    r"(?:see|call|contact|visit|ask|get|seek)\b.{0,40}\bif$|"
    # A video page's parts: "Chapters" (its list holds the moves), "Transcript", "Show notes".
    r"(?:video\s+)?chapters$|(?:video\s+|full\s+)?transcript$|show\s+notes$|kapitel$|transkript$|chapitres$|"
    r"transcription$|capítulos$|transcripción$|"
    # The parts of a workout over their lists ("Warm-up", "Cool-down", "The circuit"): sections, not movements.
    r"(?:the\s+|le\s+|el\s+|der\s+)?(?:warm[\s-]?ups?|cool[\s-]?downs?|finishers?|circuit|zirkel|main\s+(?:set|workout)|"
    r"échauffement|retour\s+au\s+calme|aufwärmen|abwärmen|cool-?down|calentamiento|vuelta\s+a\s+la\s+calma|"
    r"enfriamiento|session)(?:\s*[·:–—-]\s*\d+\s*(?:min|mins|minutes|s|sec|secs|seconds)\b\.?)?$|"
    # A drug maker's or a site's own furniture: "Important safety information", "Explore more".
    r"important\s+safety\s+information$|explore\s+more$|"
    # The labels of a do-and-don't box: its bullets are the advice.
    r"do(?:'?s)?$|don[’']?t(?:'?s)?$|do\s+not$|dos\s+and\s+don[’']?ts$|avoid$|machen\s+sie$|vermeiden\s+sie$|"
    r"à\s+faire$|à\s+éviter$|qué\s+hacer$|qué\s+evitar$|"
    # The page's furniture among the headings: "142 comments", "Leave a
    # reply", "Watch next", "Share this post", "Subscribe".
    r"(?:\d[\d,.]*\s+)?(?:comments?|replies|responses|kommentare|commentaires|comentarios|commenti)$|"
    r"leave\s+a\s+(?:comment|reply)$|(?:watch|up)\s+next$|(?:more|other|related)\s+videos$|"
    r"share\s+this(?:\s+\w+)?$|subscribe(?:\s+\w+){0,3}$|join\s+the\s+(?:newsletter|conversation)$|"
    # A teaser box's label among the headings ("Don't Miss", "Read More").
    r"don'?t\s+miss$|read\s+more$|must\s+reads?$|you\s+(?:may|might)\s+also\s+like|recommended\s+for\s+you|"
    r"lesen\s+sie\s+auch|lire\s+aussi|lee\s+también)\b",
    re.I,
)


# An opening quotation mark and the marks that may close it ("..." '...' “...” „...“ «...»).
CLOSING_QUOTES = {'"': '"', "“": "”\"", "„": "“”\"", "«": "»", "‘": "’'"}
OPENING_QUOTES = frozenset(CLOSING_QUOTES)
URL_LIKE = re.compile(r"^(?:https?|www)\b|^\S+\.(?:com|org|net|gov|html?)\b", re.I)


CLOCK_TIME = re.compile(r"^\s*\d{1,2}(?:[:.h]\d{2})?\s*(?:am|pm|a\.m\.?|p\.m\.?|h|uhr)?\s*$", re.I)
COPYRIGHT_LINE = re.compile(r"^\W*(?:©|\(c\)\s|copyright\b|all\s+rights\s+reserved)", re.I)


def keep_item(item: Item, group: Group, numbered_majority: bool) -> bool:
    """Items of an accepted group that are still not items: a question among
    answers, a promo, the 'References' heading of a run, an unnumbered
    interloper among numbered siblings."""
    name = item.name
    if not name or len(name) > 250:
        return False
    if (is_question(item.label) or is_question(name)) and group.how in ("headings", "bold-paras", "list",
                                                                         "colon-paras", "bold-lines"):
        return False
    if PROMO.search(name) and len(name.split()) > 3:
        return False
    if NOT_AN_ITEM.match(name) or URL_LIKE.match(name) or WHEN_TO_SEE_A_DOCTOR.match(name):
        return False
    if numbered_majority and item.number is None and group.how in ("headings", "bold-paras"):
        return False
    if name[:1] in OPENING_QUOTES and not any(mark in name[1:] for mark in CLOSING_QUOTES[name[0]]):
        return False  # a quotation that runs past the name: a testimonial or a pull quote
    if group.how == "headings" and len(name.split()) > 15:
        return False  # a sentence set as a heading is a pull quote, not a tip's name
    if CLOCK_TIME.match(name):
        return False  # "7am", "11:00", "15 Uhr": a schedule's row (when to give the next dose), not a tip
    if AMOUNT.search(name) and group.how in ("headings", "list", "bold-paras", "table"):
        return False  # "SinuSalt Nasal Rinse Kit, 60 sachets£11.49": a product card with its price, no advice
    if COPYRIGHT_LINE.match(item.label or item.text):
        return False  # "© Continental Press Association 2026. All rights reserved." closing a wire story
    if not item.in_main and group.in_main >= 0.5:
        return False  # a sidebar heading that happens to share the run's level
    return True


def authors_routine(group: Group) -> bool:
    """A lead-in that tells what the author did, introducing what follows
    ("The split I followed was:", "The cardio I do now:"); not one that
    recommends in the first person ("Here is what I suggest:", "My advice:"),
    nor one over instructions to the reader ("Here's what worked for me:"
    over "Sip, don't gulp."): what the author did, said as what to do, is
    advice."""
    leadin = group.leadin.rstrip()
    if not (leadin.endswith(":") and FIRST_PERSON.search(leadin)) or RECOMMENDS.search(leadin):
        return False
    # (A majority: "Slow cycling sessions" reads as a verb. A run of headings
    # names the routine's parts, "Push Day", "Pull Day": no instructions.)
    return group.how == "headings" or _share(group.items, _instructs) <= 0.5


RECOMMENDS = re.compile(r"\b(?:i(?:\s+would|'d|’d)?\s+(?:suggest|recommend|advise|tell\s+(?:my\s+)?patients)|"
                        r"i(?:\s+would|'d|’d)\s+tell\s+(?:anyone|you|everyone)|worth\s+(?:adding|doing|trying|a\s+(?:try|go))|"
                        r"my\s+(?:advice|recommendations?|suggestions?|top\s+tips|tips)|ich\s+(?:empfehle|rate)|"
                        r"je\s+(?:vous\s+)?(?:conseille|recommande)|(?:le\s+)?recomiendo)\b", re.I)


# A trial's arm or group: "Group B: supported home exercise", "Arm 2 – usual care".
TRIAL_ARM = re.compile(r"^\W*(?:group|arm|cohort)\s+(?:[a-d]|\d{1,2})\s*[:–—-]", re.I)


def _decoy_first(text: str) -> bool:
    """Does the lead-in open by naming signs, symptoms or causes, before any
    word of advice? ("Some everyday signs that your strength is slipping:":
    the strength is what slips, the list is signs; "Tips to ease the
    symptoms:" is advice.)"""
    return bool(SIGNS_FIRST.match(CONDITION_CLAUSE.sub(" ", text).strip()))


SIGNS_FIRST = re.compile(r"^\W*(?:[\w'’-]+\s+){0,3}?(?:(?:warning\s+|early\s+|common\s+|tell-?tale\s+)?signs?|"
                         r"symptoms?|causes?|risk\s+factors?|anzeichen|symptome|signes|síntomas|señales)\b", re.I)


def vetoed(group: Group) -> bool:
    """What LABELING.md rules out whatever the scorer thinks: a list whose
    own heading or lead-in names something other than advice (causes,
    symptoms, risk factors, benefits, when to see a doctor, references) and
    no advice; and the author's own routine told in the first person ("The
    cardio I do now:"). Runs of headings are left to the scorer: the heading
    above a run is often just the article's previous section."""
    section = group.section
    if group.how == "prose":
        # Activities named in a sentence under "Causes and risk factors"
        # ("... running or dancing on hard floors") are causes.
        return bool(DECOY_CUE.search(section)) and not (TREATMENT_CUE.search(section) or EXERCISE_CUE.search(section))
    if group.how in ("headings", "label-paras", "howto", "workout"):
        return False
    if WHEN_TO_SEE_A_DOCTOR.match(section):
        return True  # its list is the warning signs, however its lead-in says "contact your provider"
    if TRIAL_ARM.match(section):
        return True  # "Group B: supported home exercise": what a trial's participants get, no advice
    leadin = group.leadin.rstrip()
    introduces = leadin.endswith(":")
    advice = (TREATMENT_CUE.search(group.leadin) or EXERCISE_CUE.search(group.leadin)) and \
        not _decoy_first(group.leadin)
    # (A heading left hanging on its "if" says the same, the list right under
    # it: "Stop and contact your physio if" over "your knee swells up".)
    cases = CASES_FOLLOW.search(leadin) if introduces else not leadin and CASES_FOLLOW.search(f"{section.rstrip()}:")
    if cases and _share(group.items, _instructs) < 0.5:
        return True  # "Get urgent help (call 999) if:" over the cases: LABELING.md's warning list
    if (introduces and READY_WHEN.search(leadin)) or READY_HEADING.match(section):
        return True  # "You are ready when you can do all of these:": a test of recovery, not what to do
    if introduces and DECOY_CUE.search(leadin) and not advice and not (
            # ("If someone has signs of heat exhaustion, they need to be
            # cooled down:" over instructions: the signs are only the case.)
            not DECOY_CUE.search(CONDITION_CLAUSE.sub(" ", leadin)) and _share(group.items, _instructs) >= 0.75):
        return True
    # ("Key takeaways", "Key findings": "key" says which, not that they are advice.)
    plain = KEY_BEFORE_DECOY.sub("", section)
    if DECOY_CUE.search(section) and not (advice or TREATMENT_CUE.search(plain) or EXERCISE_CUE.search(plain)) and \
            not ((SUMMARY_HEADING.match(section) or CASE_HEADING.match(section)) and
                 _share(group.items, _instructs) >= 0.75):
        # (A summary's list of instructions, "Key takeaways: Eat a balanced
        # diet ...", is the page's advice; its findings are not. So are the
        # instructions under a heading that states the case, "Si aparecen
        # síntomas" over "Descanse y tome un analgésico": the symptoms are
        # only when to follow them.)
        return True
    if HOW_IT_WORKS.match(section) and not advice and exercise_name_share(group.items) < 0.5:
        return True  # a service's process ("How does it work?": book, pay, meet), not advice
    if authors_routine(group):
        return True
    if FAQ_HEADING.match(group.section) or FAQ_HEADING.match(group.parent_section):
        return True  # a list inside an FAQ's answers: LABELING.md leaves FAQs out
    # Items that tell the author's story ("Next, I added progressive overload
    # by ...") instruct nobody, whatever exercises they name.
    return len(group.items) >= 2 and sum(1 for item in group.items if NARRATED.search(item.name)) * 2 >= len(group.items)


# A study's subjects, whose programme a report describes ("Participants attended ...").
STUDY_SUBJECTS = re.compile(r"\b(?:participants|volunteers|trial\s+subjects|(?:intervention|control|exercise)\s+group|"
                            r"patients\s+(?:in|on)\s+the\s+(?:trial|study)|teilnehmer(?:innen)?|probanden|"
                            r"participantes|voluntarios)\b", re.I)
# A lead-in over the tests of recovery: "Most people are ready when they can
# do all of these without pain:", "You should be able to:".
READY_WHEN = re.compile(r"\b(?:ready|fit|safe)\b.{0,40}\bwhen\s+(?:you|they|your\s+child|he|she)\s+can\b|"
                        r"\b(?:you|they)\s+should\s+(?:now\s+)?be\s+able\s+to\b|"
                        r"\bcan\s+(?:do|manage|complete)\s+(?:all|each|both)\s+of\s+(?:these|the\s+following)\b|"
                        r"\b(?:once|when)\s+(?:all|each|both)\s+of\s+(?:these|the\s+following)\s+(?:are|is)\s+true\b",
                        re.I)
# ... and a heading asking it: "Am I ready to run normally again?", "Ready to return to play?"
READY_HEADING = re.compile(r"^\W*(?:(?:am\s+i|are\s+you|is\s+(?:he|she|your\s+child))\s+)?ready\s+(?:to|for)\b.*\?\s*$",
                           re.I)
# A heading that states the reader's case: "If symptoms appear", "Si
# aparecen síntomas", "Wenn Beschwerden auftreten", "En cas de fièvre".
CASE_HEADING = re.compile(r"^\W*(?:if|when|wenn|falls|bei|si|quand|cuando|en\s+cas\s+d[e']|en\s+caso\s+de)\b", re.I)
# A lead-in whose list is the cases it applies to: "See a GP urgently if:".
CASES_FOLLOW = re.compile(r"\b(?:if|when|wenn|falls|si|quand|cuando)\s*:$", re.I)
SUMMARY_HEADING = re.compile(r"^\W*(?:(?:the\s+)?key\s+(?:takeaways?|points?|messages?)|(?:the\s+)?takeaways?|"
                             r"(?:the\s+)?bottom\s+line|in\s+(?:summary|short|brief)|summary|das\s+wichtigste"
                             r"(?:\s+in\s+kürze)?|en\s+résumé|à\s+retenir|en\s+resumen|lo\s+esencial)\W*$", re.I)
KEY_BEFORE_DECOY = re.compile(r"\bkeys?\b(?=\s+(?:takeaways?|findings?|points?|facts?|figures|statistics|results?|"
                              r"messages?)\b)", re.I)
# A heading that explains how a service or product works.
HOW_IT_WORKS = re.compile(
    r"^\s*(?:how\s+(?:it|this|they)\s+works?|how\s+(?:does|do)\s+(?:it|this|they|[\w'-]+(?:\s+[\w'-]+){0,3})\s+work"
    r"|comment\s+(?:ça|cela|ca)\s+(?:marche|fonctionne)|comment\s+fonctionne|wie\s+funktioniert|c[oó]mo\s+funciona)\b",
    re.I)


# LABELING.md's "when to see a doctor" warning lists, by their heading.
WHEN_TO_SEE_A_DOCTOR = re.compile(
    r"^\s*(?:when\s+(?:to|should\s+(?:you|i))\s+(?:see|call|contact|visit|consult|seek|get)\b"
    r"(?!\s+(?:started|going|moving|better|results|back|up|ready)\b)"  # "When to get started" is no warning
    # "When a bruise needs medical attention", "When constipation needs a doctor", "When to worry"
    r"|when\b[^.:;!?]{0,50}\b(?:needs?|requires?)\s+(?:a\s+|urgent\s+|emergency\s+)?(?:doctor|gp|physician|"
    r"medical\s+(?:attention|help|care|advice)|treatment\s+by\s+a\s+doctor)\b|when\s+to\s+worry\b"
    # (NHS care cards: "Urgent advice: Call 111 if", "Immediate action required: Call 999 if")
    r"|(?:immediate\s+action\s+required|urgent\s+advice|non-urgent\s+advice)\s*:"
    r"|wann\s+(?:zum\s+arzt|sollte\s+(?:man|ich)\s+zum\s+arzt)|quand\s+(?:consulter|faut-il\s+consulter)"
    r"|cu[aá]ndo\s+(?:consultar|acudir|ir\s+al\s+m[eé]dico|ver\s+a\s+un\s+m[eé]dico))", re.I)
FAQ_HEADING = re.compile(r"^\s*(?:faqs?|frequently\s+asked\s+questions|häufige\s+fragen|questions\s+fréquentes|"
                         r"foire\s+aux\s+questions|preguntas\s+frecuentes)\s*[:?]?\s*$", re.I)
# A first-person subject in an item's name: the author telling, not the page
# instructing. (FIRST_PERSON's "mi", "ma", "me" would catch miles and French
# articles in names; here only subjects and "my".)
NARRATED = re.compile(r"\b(?:I|I['’](?:m|ve|d|ll)|[Mm]y|[Ii]ch|[Jj]e|[Jj]['’]ai|[Yy]o)\b")


def off_topic_list(group: Group, page: PageContext) -> bool:
    """A list none of whose items says a word about health, on a page that
    let the health gate in only by its title ("... Tips to Stay Calm" over
    decluttering rules): LABELING.md's non-health listicle. A health page
    keeps such lists (a plan's "Rest day", a drug list): its own text says
    what they are about."""
    return page.health < HEALTH_PAGE_DENSITY and not any(health_hits(item.text[:300]) for item in group.items)


def reporting(page: PageContext) -> float:
    """How much the page reads as a report ("said", "researchers", "study"),
    0 to 1: its density of reporting words, a fiftieth of its words or more
    counting as 1."""
    return min(page.news * 50, 1.0)


REPORTING_PAGE = 0.5  # reporting() from which a page reads as news


def reports(page: PageContext) -> bool:
    """Does the page read as news (a study, a trial, what someone said)?
    Rules that take a list on their own word do not apply there."""
    return reporting(page) >= REPORTING_PAGE


# A sentence's opening condition, up to its comma ("If home treatment does not help after a few weeks, ...").
CONDITION_CLAUSE = re.compile(r"(?:^|(?<=[.!?]\s))\s*(?:if|when|unless|wenn|falls|sollten|si|quand|cuando)\b"
                              r"[^,.:;!?]{0,120},\s*", re.I)


def announced_treatments(group: Group, page: PageContext) -> bool:
    """Does the page say that the list is treatments? Its lead-in introduces
    it as the treatments themselves ("Several targeted therapies ...
    include:", or a bare "They include:" after "four families of medications
    used in the treatment of lupus"), or it stands in a section whose heading
    names treatment and nothing else ("Treatment", "Home remedies for knee
    pain", "Behandlung"): LABELING.md's items of a section about treatment.
    Not when the lead-in speaks of their risks, of what the choice depends
    on or of what to avoid, nor when it names causes, symptoms or side
    effects; and not on a page that reports (a trial's "Treatment" section
    lists its arms, not advice)."""
    if reports(page):
        return False
    leadin, before = group.leadin, group.antecedent
    introduces = leadin.rstrip().endswith(":")
    # (Only a lead-in that introduces the list says what it holds: "Treatment
    # depends on how severe it is." before the sections does not.)
    # ("If home treatment does not help, your doctor may recommend:" says no
    # "not" of what it lists: the condition before the comma is the if's.)
    said = CONDITION_CLAUSE.sub(" ", f"{before} {leadin}")
    if group.how not in ("prose", "howto", "workout", "schedule") and group.section_level > 1 and \
            PHARMACIST_HEADING.search(group.section) and \
            not NOT_TREATMENTS.search(CONDITION_CLAUSE.sub(" ", f"{group.section} {leadin}")):
        return True  # "A pharmacist can help" over "They can recommend:" (what came before is the section's own)
    if introduces and (NOT_TREATMENTS.search(said) or DECOY_CUE.search(said)):
        return False
    if group.how not in ("prose", "howto", "workout", "schedule") and group.section_level > 1 and (
            TREATMENT_HEADING.match(group.section.strip())
            or not page.title_decoy and PREVENTION_HEADING.match(group.section.strip())):
        return True  # (the page's own title is no section: a contents list sits under it)
    if not introduces:
        return False
    return bool(TREATMENTS_INTRO.search(leadin) or (before and TREATMENT_WORD.search(before)))


def product_or_symptom_list(group: Group, page: PageContext) -> bool:
    """On a page (or under a heading) that announces products or symptoms
    ("Best fitness trackers 2026", "Shingles - Symptoms & causes", "10 ways to
    measure body fat", "Best Home Gym Equipment: ..."), a list of names that tell nobody to do anything is a list of
    products, symptoms or methods (LABELING.md: not treatments). Lists of
    instructions ("Keep feet flat") and of exercises on such pages stay."""
    picks = page.title_roundup or ranks_products(group.section)
    if not (picks or page.title_decoy) or group.how in ("howto", "workout", "prose", "schedule", "exercise-steps"):
        return False
    if not picks and announced_treatments(group, page):
        # Its lead-in says what it lists: "four families of medications used
        # in the treatment of lupus. They include:" on an FAQ page.
        return False
    section = group.section.strip()
    if not picks and page.title_treatment and (TREATMENT_HEADING.match(section) or TREATMENT_CLASS.match(section)) \
            and not NOT_TREATMENTS.search(section) and not DECOY_CUE.search(section):
        # "Gout: Symptoms, Causes and Treatment": under its "Treatment" or
        # "Surgery and other procedures" heading, the names are the treatments.
        return False
    # Among picks ("Best Home Gym Equipment"), a piece of gear is a product
    # whatever movement its name starts with ("Jump Rope for Cardio", "Pull-Up
    # Bar"). On a page that teaches the gear's use ("How To Use Gym
    # Equipment") a section named after a machine is that machine's exercise.
    items = [item for item in group.items if not (picks and EQUIPMENT_NAME.search(item.name))]
    advice = sum(1 for item in items if is_imperative(item.name) or is_gerund(item.name))
    movements = sum(1 for item in items if EXERCISE_NAME.search(item.name))
    return advice < 0.3 * len(group.items) and movements < 0.5 * len(group.items)


def filter_items(group: Group) -> None:
    """Keep the items that are items (see :func:`keep_item`); the others are
    remembered in ``group.dropped`` (a note among exercises may be a plan line)."""
    numbers = sum(1 for item in group.items if item.number is not None)
    numbered_majority = numbers >= 3 and numbers >= len(group.items) * 0.5 or (
        numbers == 2 and len(group.items) <= 3)
    kept = [item for item in group.items if keep_item(item, group, numbered_majority)]
    if group.how in ("headings", "bold-paras"):
        # A heading the run repeats word for word is an insert of the page's
        # template ("Work out anywhere, anytime with Sweat" after every few
        # machines): an article does not give one tip twice. A movement may
        # come back (a circuit's second round): its first heading stays.
        seen = Counter(item.name.lower() for item in kept)
        kept = [item for item in kept if seen[item.name.lower()] == 1 or EXERCISE_NAME.search(item.name)]
    kept_ids = {id(item) for item in kept}  # (not `item in kept`: a field-by-field compare per pair, quadratic)
    group.dropped = [item for item in group.items if id(item) not in kept_ids]
    group.items = kept


def _under(item: Item, group: Group) -> bool:
    """Does the group sit in the section under the heading item (after the
    heading, before the section ends)?"""
    return item.block < group.start and group.end <= item.end


def _overlap(a: Group, b: Group) -> bool:
    if a.start > b.end or b.start > a.end:
        return False
    return any(x.block <= y.end and y.block <= x.end
               and not (x.line >= 0 and y.line >= 0 and x.block == y.block and x.line != y.line)
               for x in a.items for y in b.items)


def _make_up(group: Group) -> tuple[bool, bool]:
    """What a list's items are, as far as a sibling must match it: do most
    name movements, do half give instructions? Friday's workout beside
    Monday's names movements as Monday's does; "Idol Levels" beside "How to
    Play" gives no instructions where the steps did."""
    f = group.features
    return f.get("name_exercise", 0.0) >= 0.5, f.get("imperative", 0.0) + f.get("gerund", 0.0) >= 0.5


def _bare_movement(item: Item) -> bool:
    """A movement's name ("Bench press", "Calf raises"), not an instruction
    that mentions one ("Walk for a week first", "Hold it on for 15 minutes")."""
    return len(item.name.split()) <= 5 and bool(EXERCISE_NAME.search(item.name)) and not is_imperative(item.name)


# "Exercise 2:", "Exercice 1 :", "Übung 3:" before a movement's name.
EXERCISE_NUMBER = re.compile(r"^\W*(?:exercise|exercice|übung|ejercicio|move|stretch|pose)\s*(?:n[°º]\s*)?\d{1,2}"
                             r"\s*[:.)–—-]\s*", re.I)


def _movements_own_list(group: Group) -> bool:
    """A list of steps or doses under one movement's own heading ("Towel calf
    stretch" over "Sit with your leg straight", "Gently pull the towel"; or
    over "Seated", "30-second hold", "x3"): that movement's text, not a
    section the heading announces ("Treatment options", "Stretches")."""
    section = group.section.strip()
    numbered = EXERCISE_NUMBER.match(section)  # "Exercice 1 : le pendule de Codman", "Übung 3: Brücke"
    name = section[numbered.end():].strip() if numbered else section
    if not name or len(name.split()) > 6 or not (numbered or EXERCISE_NAME.search(name)) or \
            is_imperative(name) or NOT_AN_ITEM.match(name):
        return False
    if group.how != "list" or exercise_name_share(group.items) >= 0.5:
        return False  # (a table or list of movements under "The 5-minute desk stretch routine" is the routine)
    return _share(group.items, _instructs) >= 0.5 or _share(group.items, _dosed) >= 0.5 or \
        all(len(item.name.split()) <= 3 for item in group.items)


def _plan_days(groups: list[Group], probabilities: list[float], threshold: float) -> list[float]:
    """A run of headings most of whose sections are lists of movements ("Day
    1: Push" over "Bench press, Overhead press, Push-ups") is a plan's days,
    not tips: its lists are the exercises, taken with the run's confidence,
    and the run itself is no list of items (its probability becomes -1,
    under every bar)."""
    result = list(probabilities)
    for a, outer in enumerate(groups):
        if outer.how != "headings" or len(outer.items) < 2 or probabilities[a] < threshold - TIPS_MARGIN or \
                exercise_name_share(outer.items) >= 0.5:
            continue
        lists: dict[int, int] = {}  # inner list -> the run's item holding it
        for b, inner in enumerate(groups):
            if inner.how in ("list", "table", "numbered-lines", "bold-lines") and not inner.ruled_out and \
                    len(inner.items) >= 2 and _share(inner.items, _bare_movement) >= 0.5:
                holder = next((k for k, item in enumerate(outer.items)
                               if _under(item, inner)), None)
                if holder is not None:
                    lists[b] = holder
        # (Stages that tell the reader what to do, each with its own text
        # beside its list of movements, are tips: see _exercises_inside_tips.
        # A plan's day is its list.)
        told = [b for b, k in lists.items() if len(outer.items[k].text) > sum(len(item.text) + 1 for item in
                                                                              groups[b].items) + OWN_TEXT]
        if lists and len(told) * 2 >= len(lists) and _share(outer.items, _instructs) >= 0.75:
            continue
        if len(set(lists.values())) * 2 >= len(outer.items) and len(set(lists.values())) >= 2:
            result[a] = -1.0
            for b in lists:
                result[b] = max(result[b], probabilities[a])
    return result


def select(groups: list[Group], probabilities: list[float], threshold: float = ACCEPT) -> list[tuple[Group, float]]:
    """The accepted groups, without overlaps, in document order.

    Where two readings claim the same blocks the more probable wins; blocks
    are claimed by the items a group keeps, so a run of headings whose
    'Introduction' was dropped does not shadow the list that sits under it."""
    probabilities = _plan_days(groups, probabilities, threshold)
    priority = list(probabilities)
    excluded: set[int] = set()
    # LABELING.md: where a section has a heading per tip and bullets under
    # each, the headings are the items. A list inside one item of an accepted
    # run of headings is that item's text, however sure of itself it is; and
    # inside a run that may well be tips but falls short of the bar, it is
    # still that item's text: taking the bullets because the headings were
    # not taken made a higher bar yield more wrong items, not fewer.
    for a, outer in enumerate(groups):
        if outer.how != "headings" or probabilities[a] < threshold - TIPS_MARGIN or len(outer.items) < 3:
            continue
        # (Headings that say when or where, "Le soir", "Dans la chambre",
        # "Morning", "At work", are no tips: the lists under them are.)
        if _share(outer.items, lambda it: bool(WHEN_OR_WHERE.match(it.name))) >= 0.5:
            continue
        # A run whose headings name movements ("Sideways walking", "Step-ups")
        # is a run of exercises: the list under each is its steps, however
        # sure of itself, not a section of advice.
        run_of_movements = exercise_name_share(outer.items) >= 0.5
        for b, inner in enumerate(groups):
            # (A plan table's workouts are no bullets: they are the exercises.)
            # (Nor is a list whose own heading names a section of advice,
            # surer of itself than the run: "Treatment options" or "The
            # 5-minute desk stretch routine" over its table, inside a run of
            # the page's sections. A tip's heading, "Ice the knee", tells
            # the reader to do something: its bullets are its text.)
            if b != a and inner.how not in ("headings", "schedule") and not (
                    inner.features.get("sec_advice") and probabilities[b] > probabilities[a]
                    and (not is_imperative(inner.section) or GOAL_HEADING.match(inner.section))
                    and not run_of_movements
                    and not _movements_own_list(inner)) and any(
                    _under(item, inner) for item in outer.items):
                priority[b] = min(priority[b], probabilities[a] - 1e-3)
                # (Exercises named inside a tip are exercises all the same; and a
                # list under a heading that names advice, "How to start
                # journaling", is that advice, not a tip's bullets, when the run
                # around it, "Benefits of…", "Types of…", fell short.)
                # (Nor when the run is of labels that tell nothing, "Basispflege: das
                # A und O", "Wenn die Pflege nicht reicht", over lists that instruct;
                # a label that reads as a verb, "Rest and recovery", is one of them.)
                if probabilities[a] < threshold and inner.how != "prose" and exercise_name_share(inner.items) < 0.5 \
                        and not (inner.features.get("sec_advice") and probabilities[b] >= ANNOUNCED_ADVICE) \
                        and not (_share(outer.items, _instructs) < 0.25 and _share(inner.items, _instructs) >= 0.75):
                    excluded.add(b)
    # Headings that each head a list of advice of their own ("Things you
    # can do during an attack", "Things to avoid") or of instructions ("If
    # you have a chesty cough", "Helping your baby settle") are the
    # section's labels, not its tips: the lists are the items, as sure of
    # themselves as the run is. Two thirds of the sections holding one is
    # enough ("Useful organisations" beside them holds links). (A tip's
    # heading tells the reader what to do, "Ice the knee".)
    for a, outer in enumerate(groups):
        if outer.how != "headings" or len(outer.items) < 2:
            continue
        # (A tip's heading tells the reader what to do, "Ice the knee": its
        # bullets are its text. Unless every such heading holds a list of
        # four instructions or more, "Look after yourself" over "Rest",
        # "Drink plenty of fluids", ...: a section worded as an instruction.)
        # (Only the lists inside the run are looked at, each once: a page
        # of hundreds of runs costs what their lists cost. A heading that
        # tells but holds no list, "Essayez la cohérence cardiaque" over a
        # callout, has no bullets to keep.)
        lists = [inner for inner in groups if inner.how == "list" and outer.start < inner.start <= outer.end]
        told = [item for item in outer.items if is_imperative(item.name)
                and any(_under(item, inner) for inner in lists)]
        if told:
            long_lists = [inner for inner in lists if len(inner.items) >= 4 and _share(inner.items, _instructs) >= 0.75]
            if not all(any(_under(item, inner) for inner in long_lists) for item in told):
                continue
        # (A list under "How to do it" is the steps of the heading above it,
        # "Goblet squat", not advice that heading labels; so is a list of
        # steps or doses right under a movement's own heading, "Heel raises".
        # Movements listed under kinds, "Calf stretches", are another rule's.)
        movements = exercise_name_share(outer.items) >= 0.5
        held = [b for b, inner in enumerate(groups) if inner.how == "list" and not STEPS_HEADING.match(inner.section)
                and not (movements and exercise_name_share(inner.items) < 0.5)
                and (inner.features.get("sec_advice") or _share(inner.items, _instructs) >= 0.75)
                and probabilities[b] >= min(threshold, probabilities[a]) - SIBLING_MARGIN
                and any(_under(item, inner) for item in outer.items)]
        holders = sum(1 for item in outer.items if any(_under(item, groups[b]) for b in held))
        # (Or two do and every other section but one holds a reading of its
        # own, however weak: "Salt", "Potassium", "Phosphate" over their
        # lists beside "Your blood results" over its terms and the author's
        # box, "Who wrote this". Not movements dosed under their names,
        # "Hip CARs" over its steps: those sections are exercises.)
        read = 0
        if holders >= 2 and not any(_dosed(item) for item in outer.items):
            readings = [g for g in groups if g.how in ("list", "headings", "bold-paras", "table", "dl")
                        and len(g.items) >= 2 and outer.start < g.start <= outer.end]
            read = sum(1 for item in outer.items if any(_under(item, g) for g in readings))
        if held and (holders == len(outer.items) or holders >= 2 and (holders * 3 >= len(outer.items) * 2
                                                                        or read >= len(outer.items) - 1)):
            priority[a] = min(priority[a], min(probabilities[b] for b in held) - 1e-3)

            excluded.difference_update(held)
    # A run of movements ("Side-lying hip abduction", "Hip hitch": headings,
    # bold lead-ins, a list) inside one section of a run of the page's
    # sections ("Training tweaks", "The strength programme") is the finer
    # reading: the movements are the items, not the section that holds
    # them. (Tips beside them keep their place: see _runs_beside_their_sections.)
    for b, inner in enumerate(groups):
        movements = exercise_name_share(inner.items)
        if inner.how == "prose" or len(inner.items) < 3 or probabilities[b] < threshold or \
                movements < 0.5 and inner.features.get("dosage", 0.0) < 0.66 and _share(inner.items, _dosed) < 0.66:
            continue  # (movements by their names, or by the dose each is given: "Hip hitch", "2 × 12 per leg")
        for a, outer in enumerate(groups):
            if a == b or outer.how != "headings" or exercise_name_share(outer.items) >= max(movements, 0.5):
                continue
            if inner.how != "headings" and (_share(outer.items, _instructs) >= 0.5 or movements < 0.5 or
                                            _share(inner.items, _instructs) >= 0.5):
                # (A run of tips keeps the movements listed in them, see
                # _exercises_inside_tips; and a list that only doses or steps
                # through a movement, "Sets: 3", "Breathe in for four
                # seconds", is that heading's text.)
                continue
            if any(_under(item, inner) for item in outer.items):
                priority[a] = min(priority[a], probabilities[b] - 1e-3)
                priority[b] = max(priority[b], probabilities[b])
    # Sections each holding a reading of its own that is taken on its own
    # merit, headings or lead-ins among them ("The stretches" over bold
    # movements, "Set up your workstation" over tip headings): the page's
    # sections, whose readings are the items. (Tips with bullets under each
    # hold lists only: LABELING.md's headings-are-the-items rule stands.)
    for a, outer in enumerate(groups):
        if outer.how != "headings" or len(outer.items) < 2:
            continue
        # (Held: begun under the heading; the run's last section is cut short where its siblings ended.)
        # (A run of movements just under the bar, "Pursed-lip breathing", "Box
        # breathing" under "Breathing techniques", is held too when every
        # section holds a reading: the page's sections are plain then.)
        held = [b for b, inner in enumerate(groups)
                if b != a and inner.how in ("list", "headings", "bold-paras", "table") and len(inner.items) >= 2
                and (probabilities[b] >= threshold or inner.how == "headings"
                     and probabilities[b] >= threshold - SIBLING_MARGIN)
                and any(item.block < inner.start <= item.end for item in outer.items)]
        holders = sum(1 for item in outer.items if any(item.block < groups[b].start <= item.end for b in held))
        if holders < len(outer.items):
            held = [b for b in held if probabilities[b] >= threshold]
            holders = sum(1 for item in outer.items if any(item.block < groups[b].start <= item.end for b in held))
        # (A run of one exercise's parts, "How to do it", "Muscles worked",
        # "Modifications", is that exercise's card, not a finer reading.)
        finer = [b for b in held if groups[b].how != "list" and not (
            groups[b].how in ("headings", "bold-paras", "bold-lines")
            and _share(groups[b].items, lambda it: bool(CARD_PART.match(it.name))) >= 0.5)]
        # (Every section holds one; or half of them do, one a run of three or
        # more headings or lead-ins; or two do and every other section but
        # one holds a reading ruled out, "Signs anger might be a problem"
        # over its signs, or left under the bar, "Local support" over
        # services.)
        inside = [g for c, g in enumerate(groups) if c != a and g.how in ("list", "headings", "bold-paras", "table")
                  and len(g.items) >= 2 and outer.start < g.start <= outer.end]
        read = sum(1 for item in outer.items if any(item.block < g.start <= item.end for g in inside))
        if finer and (holders == len(outer.items) or holders * 2 >= len(outer.items) and
                      any(len(groups[b].items) >= 3 for b in finer) or holders >= 2 and read >= len(outer.items) - 1):
            priority[a] = min(priority[a], min(probabilities[b] for b in held) - 1e-3)
            for b in held:
                # (Only the readings right under the sections: a tip's bullets
                # inside a run of tips stay that tip's text.)
                if not any(c != b and groups[c].start < groups[b].start and groups[b].end <= groups[c].end
                           for c in held):
                    priority[b] = max(priority[b], probabilities[b])
    # Movements sorted under kinds ("Mobility", "Strength") are the items,
    # not the kinds: the run of kinds (and a section after them, "How we
    # can help") yields to the run of their movements.
    for a, gathered in enumerate(groups):
        kinds = {item.section for item in gathered.items if item.section is not None}
        if kinds and probabilities[a] >= threshold:
            for b, other in enumerate(groups):
                labels = {item.label for item in other.items}
                if other.how == "headings" and len(labels & kinds) >= 2 and len(labels & kinds) * 2 > len(labels):
                    priority[b] = min(priority[b], probabilities[a] - 1e-3)
    # The list under "How to do a plank" is the plank's steps (the
    # exercise-steps reading), not a list of treatments, however sure of
    # itself the list is.
    for a, steps in enumerate(groups):
        if steps.how == "exercise-steps" and probabilities[a] >= threshold:
            for b, other in enumerate(groups):
                if other.how == "list" and other.start == steps.start:
                    priority[b] = min(priority[b], probabilities[a] - 1e-3)
    order = sorted(range(len(groups)), key=lambda k: -priority[k])
    chosen: list[tuple[Group, float]] = []
    for k in order:
        group, probability = groups[k], probabilities[k]
        if probability < threshold or k in excluded:
            continue
        # (One heading is taken alone when it stood alone, not when it is
        # what is left of a run of the page's sections: "When a bruise
        # needs medical attention" after "Causes" and "FAQ" were dropped.)
        if len(group.items) < 2 and not (group.how == "headings" and probability >= 0.8 and not group.dropped) and \
                group.how != "exercise-steps":
            continue
        # Exercises named in a sentence sit inside some item's text, which may be
        # an item in its own right: they neither block nor are blocked.
        if group.start != 10**6 and group.how != "prose" and any(
                _overlap(group, other) for other, _ in chosen if other.how != "prose"):
            continue
        chosen.append((group, probability))
    # A list just beside an accepted list of the same make-up (Monday's and
    # Friday's workouts, two <ul>s under one heading) is taken at a lower
    # bar: sites repeat their structure. Read forwards, then backwards, so a
    # chain of such lists (Monday's, Tuesday's, Wednesday's) is taken from
    # whichever of them was accepted, each beside the one taken before it.
    by_place = sorted(order, key=lambda k: groups[k].start)
    for k in by_place + by_place[::-1]:
        group, probability = groups[k], probabilities[k]
        if probability < threshold - SIBLING_MARGIN or probability >= threshold or group.how == "prose" or k in excluded:
            continue
        if len(group.items) < 2 or any(_overlap(group, other) for other, _ in chosen if other.how != "prose"):
            continue
        # (A run of headings around the run taken, the page's own sections
        # "Triggers", "Support" about "Treatment", is no sibling of it.)
        if any(other.how == group.how and max(group.start - other.end, other.start - group.end) <= 3
               and not (group.how == "headings" and group.start < other.start and other.end <= group.end)
               and _make_up(other) == _make_up(group) for other, _ in chosen):
            chosen.append((group, probability))
    chosen.extend(_other_columns(groups, probabilities, chosen))
    chosen.extend(_runs_beside_their_sections(groups, probabilities, chosen, threshold))
    chosen = _exercises_inside_tips(groups, probabilities, chosen, threshold)
    chosen = [(group, p) for group, p in chosen if not _recap(group, chosen)]
    chosen.sort(key=lambda gp: gp[0].start)
    return chosen


def _recap(group: Group, chosen: list[tuple[Group, float]]) -> bool:
    """A summary ("Key takeaways") that repeats most of another accepted
    list's names: the page's items are where the page gives them, with their
    text, not in its recap."""
    if not SUMMARY_HEADING.match(group.section):
        return False
    names = {item.name.lower() for item in group.items}
    return any(other is not group and len(names & {item.name.lower() for item in other.items}) * 2 >= len(names)
               for other, _ in chosen)


def _other_columns(groups: list[Group], probabilities: list[float],
                   chosen: list[tuple[Group, float]]) -> list[tuple[Group, float]]:
    """The other column of a do-and-don't pair ("Do" beside an accepted
    "Don't", under one "Soothing sore gums: dos and don'ts") is read as its
    pair is: the page set the two side by side as one piece of advice."""
    taken = [group for group, _ in chosen if group.how == "list" and COLUMN_LABEL.match(group.section)]
    found = []
    for group, probability in zip(groups, probabilities):
        if group.how != "list" or group.ruled_out or probability <= 0 or any(group is g for g, _ in chosen) or \
                not COLUMN_LABEL.match(group.section) or len(group.items) < 2:
            continue
        pair = next((other for other in taken if other.parent_section == group.parent_section
                     and other.section != group.section and abs(other.start - group.start) <= 4), None)
        if pair is not None and not any(_overlap(group, other) for other, _ in chosen):
            found.append((group, probability))
    return found


def _exercises_inside_tips(groups: list[Group], probabilities: list[float], chosen: list[tuple[Group, float]],
                           threshold: float) -> list[tuple[Group, float]]:
    """Movements listed inside a tip ("Start gentle movement" over "Ankle
    pumps" and "Gentle calf stretch", under its heading or after its bold
    lead-in) are exercises all the same: a run of tips that tell the
    reader what to do is the treatments, and the lists
    of movements inside its items (short names, more of them movements than
    the tips) are exercises beside them, not its bullets."""
    result = []
    for group, probability in chosen:
        inner = [] if group.how not in ("headings", "bold-paras") or _share(group.items, _instructs) < 0.75 else [
            (other, p) for other, p in zip(groups, probabilities)
            if other.how == "list" and p >= threshold and not other.ruled_out and len(other.items) >= 2
            and all(len(item.name.split()) <= MOVEMENT_NAME_WORDS for item in other.items)
            and (exercise_name_share(other.items) >= max(0.5, exercise_name_share(group.items))
                 # (or names that tell nothing under a tip that names a kind
                 # of training: "Do three gentle stretches in bed" over
                 # "Knees to chest", "Supine twist", "Legs up the wall")
                 or _share(other.items, _instructs) < 0.5 and any(
                     _under(item, other) and EXERCISE_KIND.search(item.name) for item in group.items))
            and any(_under(item, other) for item in group.items)]
        if inner:
            result.append((replace(group, kind="treatments"), probability))
            result.extend((replace(other, kind="exercises"), p) for other, p in inner)
        else:
            result.append((group, probability))
    return result


def _runs_beside_their_sections(groups: list[Group], probabilities: list[float],
                                chosen: list[tuple[Group, float]], threshold: float) -> list[tuple[Group, float]]:
    """A run of tips that lost only because a surer list sits under one of
    its headings ("Simple eye exercises" over its own list, beside six tips
    on eye strain) keeps its other headings, when they read as instructions
    (three in four open with a verb) or as movements, each with its dose
    ("Relaxed jaw ... Repeat 6 times" beside "Other ways to ease jaw pain"):
    the whole run was dropped, and the tips with it."""
    taken = {id(group) for group, _ in chosen}
    found = []
    for group, probability in zip(groups, probabilities):
        if group.how != "headings" or probability < threshold or id(group) in taken or group.ruled_out:
            continue
        blockers = [other for other, _ in chosen if other.how != "prose" and _overlap(group, other)]
        holders = [next((item for item in group.items if _under(item, other)), None)
                   for other in blockers]
        if not blockers or any(holder is None for holder in holders):
            continue
        held = {id(holder) for holder in holders}
        rest = [item for item in group.items if id(item) not in held]
        # (Movements: each dosed, none a kind with headings of its own under
        # it, beside tips, not beside the movements themselves.)
        movements = _share(rest, _dosed) >= 0.66 and not any(
            other.how == "headings" and _under(item, other)
            for item in rest for other in groups) and all(exercise_name_share(b.items) < 0.5 for b in blockers)
        if len(rest) >= 3 and (sum(1 for item in rest if is_imperative(item.name)) >= 0.75 * len(rest) or movements):
            found.append((replace(group, items=rest), probability))
    return found
