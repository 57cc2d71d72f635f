"""Candidate groups: every way a page can mark a list of items, read off the flow.

A *group* is one reading of some blocks as a list: the runs of sibling
headings (real or pseudo) under one parent heading, an ``<ol>``/``<ul>``, a
run of paragraphs that open with a bold lead-in, a run of "TIP: ..."
paragraphs, bold lines inside one paragraph, paragraphs after a lead-in that
ends with a colon, numbered paragraphs, a data table's rows, a definition
list, schema.org HowTo steps, and exercises named in prose ("activities such
as swimming, cycling or walking"). Readings overlap on purpose: which one is
right is decided later, by scoring (:mod:`pipeline.extract.scoring`).

Each item is named as LABELING.md says: by its heading, else its bold
lead-in, else its leading clause.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from pipeline.extract.facts import NUMBER_WORDS, parse_dosage
from pipeline.extract.structure import (Block, clean_text, item_text, leading_bold, list_items, spaced_text,
                                        table_grid, table_rows)
from pipeline.extract.vocabulary import (ADVICE_LABEL, COLUMN_LABEL, EXERCISE_NAME, NOT_ADVICE_LABEL, QA_PREFIX,
                                         is_imperative, is_question, names_complaint)

_NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_NUMERO = r"(?:#|n[°º]|n\.\s?º|no\.?|nr\.?)?"  # "Tip #2", "Astuce n°1", "Regel Nr. 3"
# A count that is part of a name, not its number: "2 litres of water a day", "5 portions of fruit".
_QUANTITY = (r"(?!(?:litres?|liters?|glass(?:es)?|cups?|portions?|servings?|meals?|steps?|times?|days?|weeks?|nights?|"
             r"mg|g|ml|kg|grams?|ounces?|oz|pounds?|lbs?|miles?|km|drops?|tablets?|capsules?|(?:table|tea)?spoons?|"
             # (Not before a hyphen: "3 Step-ups" is item 3, not three steps.)
             r"pieces?|units?|drinks?|minutes?|hours?|seconds?|mins?|hrs?|more|less|fewer|or|to|per|a|an|x)\b(?!-))")
NUMBER_PREFIX = re.compile(
    r"^\s*[\u200b\ufeff]*(?:(?:step|tip|rule|tipp|schritt|no\.?|nr\.?|number|day|week|exercise|übung|move|option|level|"
    r"method|idea|way|stretch|pose|étape|conseil|astuce|exercice|paso|consejo|ejercicio|regel|punkt|"
    r"picture|photo|image|bild|foto|imagen)\s*" + _NUMERO +
    r"\s*(?P<n1>\d{1,2})\b(?:\s*(?:of|von|sur|de)\s*\d{1,2}\b)?\s*[:.)\-–—]?\s*"  # "Method 1 of 4:"
    r"|(?:step|tip|tipp|rule|method|way|idea|option)\s+" + _NUMBER_WORDS + r"\s*[:.)\-–—]\s*"  # "Step One:"
    r"|(?:#|n[°º]\s?)\s*(?P<n2>\d{1,2})\s*[:.)\-–—]?\s*"
    r"|\(\s*(?P<n5>\d{1,2})\s*\)\s*"  # "(1) Cut back"
    r"|(?P<n3>\d{1,2})\s*(?:\.?[º°ª]\.?|[.):/]|\s[-–—](?=\s))\s*(?!\d)"  # "1.º", "1/", "1 - "
    r"|(?P<n4>\d{1,2})\s+(?=[A-ZÄÖÜ„“\"'](?!inute|econd|our))" + _QUANTITY +
    r"|0(?P<n6>[1-9])\s+(?=\S)" + _QUANTITY +  # a zero-padded number counts the items: "01 90/90 hip switches"
    # A workout's superset codes ("A1. Goblet squat", "B2) Push-up") order
    # the moves, as numbers do; they name none.
    r"|[A-H][1-9][.):]\s+(?=\S)"
    r"|(?P<circled>[\u2460-\u2473\u2776-\u2793])\s*)",  # "① Drink more water"
    re.I,
)
STEP_ONLY = re.compile(r"^\s*(?:step|schritt|tip|tipp|rule|étape|paso|day|tag|week|woche|option|minute|round|"
                       r"station|block|interval|picture|photo|image|bild|foto|imagen)"
                       r"\s*#?\s*\d{1,2}(?:\s*(?:of|von|sur|de)\s*\d{1,2})?\s*[:.\-–—]?\s*$", re.I)
PLAN_PART_ONLY = re.compile(r"^\s*(?:day|tag|week|woche|jour|semaine|día|semana)\s*#?\s*\d", re.I)
SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“„‘(]?[A-ZÄÖÜÉ0-9¿¡])")
ABBREVIATIONS = {"dr", "mr", "ms", "mrs", "st", "vs", "e.g", "i.e", "etc", "no", "ca", "bzw", "z.b", "u.a", "approx",
                 "eg", "ie", "min", "max", "fig", "vol", "sec", "prof", "jr", "sr", "inc", "ltd", "mt", "ave", "tbsp",
                 "tsp", "oz", "lbs", "dept", "ggf", "evtl", "d.h", "env", "p.ex", "cf", "p.ej", "aprox", "dra", "sra",
                 "vit"}
INITIALISM = re.compile(r"^(?:[a-z]\.)+[a-z]$")  # "U.S.", "a.m.": their full stops end no sentence


def _abbreviation(word: str) -> bool:
    return word in ABBREVIATIONS or len(word) == 1 or bool(INITIALISM.match(word))
MAX_ITEM_TEXT = 3000


@dataclass(slots=True)
class Item:
    name: str
    text: str
    label: str                 # what the name was read from: heading, bold lead-in or first sentence
    block: int                 # flow index where the item starts
    number: int | None = None  # its explicit number ("3." / "Step 3")
    end: int = -1              # flow index where it ends (its section, for a heading)
    link_chars: int = 0
    chars: int = 0
    cells: dict | None = None  # table rows: header -> cell text
    in_main: bool = True
    line: int = -1             # items that are lines of one paragraph: which line
    linked: bool = False       # its name is a link to another page (an index's entry, a teaser)
    section: str | None = None  # its own section when not the group's (movements sorted under kinds)


@dataclass
class Group:
    how: str                   # headings, list, bold-paras, label-paras, bold-lines, colon-paras, numbered-paras,
                               # table, schedule, dl, howto, prose, workout
    items: list[Item]
    start: int                 # first flow index it covers
    end: int                   # last flow index it covers
    section: str = ""          # the heading above the group (for heading runs: their parent heading)
    section_level: int = 0
    leadin: str = ""           # the sentence that introduces it, if any
    numbered: bool = False
    ordered: bool = False      # an <ol>
    in_main: float = 0.0       # share of its items inside the main container
    dropped: list[Item] = field(default_factory=list)  # items the scorer's item rules left out
    ruled_out: bool = False    # a labelling rule says it is no list of advice (see scoring.vetoed)
    kind: str | None = None    # decided later: treatments, exercises
    score: float = 0.0
    features: dict = field(default_factory=dict)
    parent_section: str = ""   # the heading above a question section (an FAQ's?) or a column's label
    antecedent: str = ""       # what a bare lead-in ("They include:") speaks of: the sentence before it
    plan_dosed: bool = False   # a plan-wide line in its reach doses every item ("repeat each exercise 5 times")

    @property
    def span(self) -> range:
        return range(self.start, self.end + 1)


# -- naming -----------------------------------------------------------------------


def first_sentence(text: str) -> str:
    return next(sentences(text.strip().split("\n")[0]))


def sentences(text: str):
    """The sentences of a line of text, in order; an abbreviation's or an
    initial's full stop ends none ("Dr. Smith", "e.g. ice", "J. Doe")."""
    start = 0
    for match in SENTENCE_END.finditer(text):
        before = text[max(start, match.start() - 40):match.start()].rsplit(" ", 1)[-1].lower().strip("(")
        if _abbreviation(before):
            continue
        yield text[start:match.start() + 1].strip()
        start = match.end()
    yield text[start:].strip()


BARE_LEADIN_WORDS = 3  # 'They include:', 'These are:'
ANAPHORA = re.compile(r"(?:they|these|those|this|it|such|sie|diese|ils|elles|ces|ellos|ellas|estos|estas)\b", re.I)


def _sentence_starts(text: str) -> list[int]:
    starts = [0]
    for match in SENTENCE_END.finditer(text):
        before = text[max(0, match.start() - 40):match.start()].rsplit(" ", 1)[-1].lower()
        if not _abbreviation(before):
            starts.append(match.end())
    return starts


def lead_in(text: str) -> tuple[str, str]:
    """The sentence that introduces what follows ('Most give up. Here are
    tips:' -> 'Here are tips:'), and, when that is a bare 'They include:',
    the sentence it speaks of ('There are four families of medications used
    in the treatment of lupus. They include:' -> 'There are four ...
    lupus.'), else ''."""
    text = text.strip().split("\n")[-1]
    starts = _sentence_starts(text)
    last = text[starts[-1]:].strip()
    if len(starts) > 1 and len(last.split()) <= BARE_LEADIN_WORDS and ANAPHORA.match(last):
        return last, text[starts[-2]:starts[-1]].strip()
    return last, ""


def last_sentence(text: str) -> str:
    """The sentence that introduces what follows: 'Most give up. Here are tips:' -> 'Here are tips:'."""
    return lead_in(text)[0]


def item_number(text: str) -> int | None:
    match = NUMBER_PREFIX.match(text)
    if not match:
        return None
    value = next((g for g in match.group("n1", "n2", "n3", "n4", "n5", "n6") if g), None)
    if value:
        return int(value)
    circled = match.group("circled")
    if circled:
        code = ord(circled)
        for base, count in ((0x2460, 20), (0x2776, 10), (0x2780, 10), (0x278A, 10)):
            if base <= code < base + count:
                return code - base + 1
    return None


def _symbol(char: str) -> bool:
    """An emoji, check mark, arrow or other pictograph a name may be decorated
    with (not a currency sign: "$5 meals")."""
    # (An accordion's "+" and "−" icons are such marks too: "+−1. Vista en capas".)
    return unicodedata.category(char) in ("So", "Sk") or "\u2190" <= char <= "\u21ff" or \
        char in "\ufe0f\ufe0e\u200d+−±"


DIGIT = re.compile(r"\d")
KEYCAP = re.compile(r"(\d)\ufe0f?\u20e3")  # "1️⃣ Stay active": an emoji number is a number


def tidy_name(name: str) -> str:
    """Strip numbering, decoration and trailing punctuation: 'Rule #1: Avoid X.' -> 'Avoid X';
    '✅ Ice the knee' -> 'Ice the knee'."""
    name = name.replace("\u200b", "")
    if "\u20e3" in name:
        name = KEYCAP.sub(r"\1 ", name)
    name = " ".join(name.split())
    if name and (_symbol(name[0]) or _symbol(name[-1])):
        start, end = 0, len(name)
        while start < end and (_symbol(name[start]) or name[start] == " "):
            start += 1
        while end > start and (_symbol(name[end - 1]) or name[end - 1] == " "):
            end -= 1
        name = name[start:end] or name
    name = QA_PREFIX.sub("", name, count=1)
    name = TIMESTAMP_PREFIX.sub("", name, count=1) or name  # a video chapter's "0:42 Chin tucks"
    name = NUMBER_PREFIX.sub("", name, count=1)
    name = LABEL_AFTER_NUMBER.sub("", name, count=1) or name  # "1. Tipp: Viel trinken"
    name = name.strip(" \t:–—-•*·|")
    name = CITATION_TAIL.sub("", name).strip() or name  # "Regular sleep [3]"
    name = re.sub(r"[.:;,!…]+$", "", name).strip()
    name = _unquoted(name)
    if DIGIT.search(name):
        name = DOSAGE_TAIL.sub("", name).strip() or name
    if name.endswith((")", "]")):
        name = MEDIA_TAIL.sub("", name).strip() or name
    if name.endswith("?") and not name.endswith("??"):
        name = name.rstrip("?").strip()
    return name


TIMESTAMP_PREFIX = re.compile(r"^(?:\d{1,2}:)?\d{1,2}:\d{2}\s+(?=[^\W\d])")
LABEL_AFTER_NUMBER = re.compile(r"^(?:pro\s+)?(?:tip|tipp|astuce|conseil|consejo|truco|hinweis)\s*[:.\-–—]\s+(?=\S)",
                                re.I)
CITATION_TAIL = re.compile(r"\s*\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\]$")
QUOTE_PAIRS = {'"': '"', "“": "”", "„": "“", "‘": "’", "'": "'", "«": "»", "»": "«", "‚": "‘", "”": "”"}


def _unquoted(name: str) -> str:
    """A name in one pair of quotes, without them ("“Box breathing”", "„Wärme“", "« La chaleur »")."""
    if len(name) >= 3 and name[0] in QUOTE_PAIRS and name[-1] in (QUOTE_PAIRS[name[0]], "”", "“", "»", "«", "’"):
        inner = name[1:-1].strip()
        if inner and not any(mark in inner for mark in '"“”„«»'):
            return inner
    return name


# "Banded Squats (3 sets of 12-15 reps)", "Bridge – 3x10", "Plank: 30 seconds",
# "Goblet squat 3x10 each side", "Kettlebell swings, 15 reps", "Bird dog x 8 each side":
# the dosage belongs to the facts, not the name.
DOSAGE_TAIL = re.compile(r"\s*[(\[][^()\[\]]*\d[^()\[\]]*(?:sets?|reps?|repetitions|seconds?|secs?|minutes?|mins?|"
                         r"times|x|each|per)\b[^()\[\]]*[)\]]\s*$"
                         r"|(?:\s+[–—-]|\s*:)\s+(?:hold\s+(?:for\s+)?)?\d+(?:\s*[-–]\s*\d+)?\s*(?:[x×]\s*\d+"
                         r"(?:\s*[-–]\s*\d+)?|(?:sets?|reps?|repetitions|seconds?|secs?|minutes?|mins?|times|each|per)"
                         r"\b)[^:–—]{0,30}$"
                         r"|\s+\d+(?:\s*[-–]\s*\d+)?\s*[x×]\s*\d+(?:\s*[-–]\s*\d+)?(?:\s+(?:each|per)\s+\w+)?$"
                         r"|,\s*(?:hold\s+(?:for\s+)?)?\d+(?:\s*[-–]\s*\d+)?\s*(?:[x×]\s*\d+|sets?|reps?|repetitions|"
                         r"seconds?|secs?|minutes?|mins?|times)\b[^,:–—]{0,30}$"
                         r"|\s+[x×]\s*\d+(?:\s*[-–]\s*\d+)?(?:\s+(?:each|per)\s+\w+)?$", re.I)
# "Glute Bridge (Video)", "Bird dog [GIF]": a note on the page's media, not the name.
MEDIA_TAIL = re.compile(r"\s*[(\[](?:with\s+)?(?:videos?|gif|animation|photos?|pictures?|images?|watch|"
                        r"(?:pictured|shown|illustrated)(?:\s+(?:above|below|here|left|right))?|"
                        r"see\s+(?:the\s+)?(?:video|photo|image|picture)s?(?:\s+(?:above|below))?)[)\]]$", re.I)
LEAD_CLAUSE = re.compile(r"^(?P<lead>[^:.!?]{3,90}?)\s*(?::(?!//)|\s[–—-]\s)\s*\S")


INTERVAL_LABEL = re.compile(r"(?:minutes?|min|rounds?|station|block|interval|runde|minuto|ronda|tour)\s*#?\d{1,2}"
                            r"(?:\s*[-–]\s*\d{1,2})?", re.I)


def name_from_text(text: str) -> str:
    """An unlabelled item's name: the part before a colon or dash ('Eat slowly: it takes ...'),
    else its first sentence."""
    lines = [line for line in text.strip().split("\n") if line.strip()]
    if len(lines) > 1 and STEP_ONLY.match(lines[0]):
        lines = lines[1:]  # "<span>Step 1</span><p>Drink a glass of water ...": named by what the step says
    text = NUMBER_PREFIX.sub("", lines[0] if lines else "", count=1)
    match = LEAD_CLAUSE.match(text)
    if match and INTERVAL_LABEL.fullmatch(match.group("lead").strip()):
        # "Minute 1: 12 kettlebell swings", "Round 2 - 10 burpees": the slot, not the movement
        rest = text[match.end("lead"):].lstrip(" :–—-")
        if rest:
            return name_from_text(rest)
    if match and len(match.group("lead").split()) <= 12:
        return match.group("lead")
    sentence = first_sentence(text)
    if len(sentence.split()) > 12:
        # A long first sentence is named by its first clause: "Walk for at least 30 minutes a day, even if ..."
        clause = CLAUSE_CUT.search(sentence)
        if clause and len(sentence[:clause.start()].split()) >= 3:
            return sentence[:clause.start()]
    return sentence


CLAUSE_CUT = re.compile(r",\s+(?:even\s+if|even\s+though|because|since|which|so\s+that|as\s+this|as\s+it|although|"
                        r"though|while|whereas|unless)\b", re.I)


def name_is_link(anchors: list[LexborNode], label: str) -> bool:
    """Is the text an item is named from (a heading, a bold lead-in, a first
    sentence) the text of its first link (of ``anchors``, the item's <a>
    elements) to another page? Then the item is an index's entry or a
    teaser ("<h2><a href='/a/1'>10 Stretches for Back Pain</a></h2>"), not
    a section of this page. A link to an anchor of the page itself ("#rest")
    is not another page."""
    label = " ".join(label.split())
    if not label:
        return False
    for anchor in anchors:
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")):
            continue
        text = " ".join((anchor.text(deep=True) or "").split())
        return bool(text) and label.startswith(text) and len(text) >= 0.9 * len(label.rstrip(" .:;,!?"))
    return False


# A card's part that holds its name: "programme-card__name", "card-title".
NAME_PART = re.compile(r"(?:^|[\s_-])(?:name|title)(?:$|[\s_-])", re.I)


def _named_part(node) -> str | None:
    """The text of a list item's child whose class says it is the item's
    name ("<span class="card__weeks">Weeks 1-2</span><span
    class="card__name">Pelvic tilt</span>"), when the item has such parts."""
    child = node.child
    parts = 0
    classed = False  # (only a card's parts carry classes: a plain item's <a> or <strong> is searched no further)
    found = None
    while child is not None:
        if child.tag not in ("-text", "-comment"):
            parts += 1
            cls = child.attributes.get("class") or ""
            classed = classed or bool(cls)
            if found is None and NAME_PART.search(cls):
                found = clean_text(child.text(deep=True) or "").replace("\n", " ")
        child = child.next
    if found is None and classed:
        # (One level down: "<div class="step__head"><span class="step__num">Step 1</span>
        # <span class="step__title">Rest the ankle</span></div><div class="step__body">")
        part = next((el for el in node.css("[class*=title], [class*=name]")[:4]
                     if NAME_PART.search(el.attributes.get("class") or "")), None)
        if part is not None and part.parent is not None and part.parent.mem_id != node.mem_id and \
                len(list(_element_children(part.parent))) >= 2:
            found = clean_text(part.text(deep=True) or "").replace("\n", " ")
            parts = 2
    return found if found and parts >= 2 and len(found) <= 120 else None


def _name_of(node, text: str) -> tuple[str, str]:
    """(name, what it was read from) of a list item or paragraph."""
    named = _named_part(node)
    if named:
        return tidy_name(named), named
    bold = leading_bold(node)
    if bold and len(bold) <= 160 and len(bold) < len(text) + 1:
        label = bold
        name = tidy_name(bold)
        if ADVICE_LABEL.match(name + ":") or not name or STEP_ONLY.match(bold):
            # "<b>Tip 3:</b> Eat slowly ..." is named by what follows its label
            rest = text[len(bold):].strip(" :.-–")
            name = tidy_name(name_from_text(rest)) if rest else name
        return name, label
    return tidy_name(name_from_text(text)), first_sentence(text)


# -- the readings -----------------------------------------------------------------------


def headings_before(flow: list[Block], index: int):
    """The flow indexes of the headings before ``index``, nearest first: along
    the chain the flow builder keeps (``Block.prev_heading``), else by
    scanning back (a flow made by hand)."""
    if 0 < index <= len(flow):
        block = flow[index - 1]
        j = index - 1 if block.kind == "heading" else block.prev_heading
        if j is not None:
            while j >= 0:
                yield j
                j = flow[j].prev_heading
            return
    for j in range(min(index, len(flow)) - 1, -1, -1):
        if flow[j].kind == "heading":
            yield j


def _heading_above(flow: list[Block], index: int, below_level: int = 99) -> tuple[str, int]:
    for j in headings_before(flow, index):
        if flow[j].level < below_level:
            return flow[j].text, flow[j].level
    return "", 0


def _index_of_heading(flow: list[Block], index: int, text: str) -> int:
    return next((j for j in headings_before(flow, index) if flow[j].text == text), 0)


def _leadin_before(flow: list[Block], index: int) -> tuple[str, str]:
    """The lead-in in the paragraph just before, and its antecedent (see :func:`lead_in`)."""
    if index > 0 and flow[index - 1].kind == "para":
        return lead_in(flow[index - 1].text)
    return "", ""


def block_text(block: Block) -> str:
    """A block's text as a section under a heading holds it. A list's items,
    a definition list's terms and a table's cells are kept apart ("Sets: 2;
    Reps: 15 each side"): run together ("Sets2Reps15 each side") they read
    as two reps."""
    if block.kind in ("para", "heading"):
        return block.text
    node = block.node
    if node.tag in ("ul", "ol"):
        return _joined(spaced_text(child) for child in _element_children(node) if child.tag == "li")
    if node.tag == "dl":
        parts: list[str] = []
        term = None
        for child in _element_children(node, ("div",)):
            text = spaced_text(child)
            if child.tag == "dt":
                term = text
            elif child.tag == "dd":
                parts.append(f"{term.rstrip(':')}: {text}" if term else text)
                term = None
        return _joined(parts)
    if node.tag == "table":
        rows = [[spaced_text(cell) for cell in row] for row in table_rows(node)]
        rows = [row for row in rows if any(row)]
        if len(rows) == 2 and len(rows[0]) == len(rows[1]):  # a header and one row of values: "Sets 3 | Reps 10"
            return _joined(f"{head.rstrip(':')}: {value}" if head else value for head, value in zip(*rows))
        return _joined(" ".join(cell for cell in row if cell) for row in rows)
    return clean_text(spaced_text(node))


def _joined(parts) -> str:
    """Parts one after the other, a semicolon between them where a part
    does not end its own sentence."""
    text = ""
    for part in parts:
        part = part.strip()
        if part:
            text = f"{text}{' ' if not text or text.endswith(('.', '!', '?', ':', ';')) else '; '}{part}"
    return text.strip()


def _element_children(node, unwrap: tuple[str, ...] = ()):
    """A node's element children; those whose tag is in ``unwrap`` give theirs instead (a <dl>'s <div> rows)."""
    child = node.child
    while child is not None:
        if child.tag in unwrap:
            yield from _element_children(child)
        elif child.tag not in ("-text", "-comment"):
            yield child
        child = child.next


def _share_in_main(flow: list[Block], items: list[Item]) -> float:
    if not items:
        return 0.0
    for item in items:
        item.in_main = item.block >= len(flow) or flow[item.block].in_main
    return sum(1 for item in items if item.in_main) / len(items)


def _group(flow: list[Block], how: str, items: list[Item], start: int, end: int, leadin: str | None = None,
           **kwargs) -> Group:
    """A reading of flow[start..end], with the heading above it, its lead-in
    (the paragraph just before, unless given) and the share of it in the main content."""
    section, level = _heading_above(flow, start)
    kwargs.setdefault("numbered", sum(1 for item in items if item.number) >= 2)
    before = _leadin_before(flow, start) if leadin is None else (leadin, "")
    group = Group(how, items, start, end, section, level, before[0], antecedent=before[1], **kwargs)
    if section and level > 1:
        # Only for a question ("Can I run with knee pain?": is it an FAQ?) or
        # a column's label ("Do", "Don't": of what?) is the heading above it
        # wanted: scanning back is then worth its cost.
        if is_question(section) or COLUMN_LABEL.match(section):
            group.parent_section = _heading_above(flow, _index_of_heading(flow, start, section), level)[0]
    group.in_main = _share_in_main(flow, items)
    return group


def heading_groups(flow: list[Block], title: str) -> list[Group]:
    """Sibling headings of one level under one parent heading, each with text."""
    groups = []
    # parent[i]: the index of the heading that holds heading i; children lists per (parent, level)
    open_headings: list[int] = []  # stack of heading indexes, levels increasing
    siblings: dict[tuple[int, int], list[int]] = {}
    for i, block in enumerate(flow):
        if block.kind != "heading":
            continue
        while open_headings and flow[open_headings[-1]].level >= block.level:
            open_headings.pop()
        parent = open_headings[-1] if open_headings else -1
        siblings.setdefault((parent, block.level), []).append(i)
        open_headings.append(i)
    ends: dict[int, int] = {}
    # Where each heading's section ends: the next heading of the same or a higher level.
    last_at_level: list[int] = []
    for i, block in enumerate(flow):
        if block.kind == "heading":
            while last_at_level and flow[last_at_level[-1]].level >= block.level:
                ends[last_at_level.pop()] = i - 1
            last_at_level.append(i)
    for i in last_at_level:
        ends[i] = len(flow) - 1
    children: dict[int, list[int]] = {}
    for (parent, _level), members in siblings.items():
        children.setdefault(parent, []).extend(members)
    for (parent, level), members in siblings.items():
        if len(members) < 2 or (level == 1 and parent == -1 and len(members) < 3):
            continue
        group = _heading_run(flow, members, ends, parent, title)
        if group is not None:
            groups.append(group)
        # Headings that sort the items into kinds ("Mobility", "Strength";
        # "Estiramientos", "Fortalecimiento"), each over the movements of
        # its kind: those, across the kinds, are one more reading of the
        # section (a kind with one movement makes no run of its own). Only
        # movements, named or dosed: tips sorted by kind keep their kinds'
        # sections. Repeated names are a tip's parts ("How to do it" under
        # each tip), not items.
        nested = [[k for k in children.get(i, ()) if flow[k].level > level] for i in members]
        inner = [k for kids in nested for k in kids]
        if sum(1 for kids in nested if kids) >= 2 and len(inner) >= 3 and \
                len({flow[k].level for k in inner}) == 1 and \
                len({flow[k].text.casefold() for k in inner}) == len(inner):
            group = _heading_run(flow, inner, ends, parent, title,
                                 {k: flow[i].text for i, kids in zip(members, nested) for k in kids})
            if group is not None and sum(bool(EXERCISE_NAME.search(it.name)) or parse_dosage(it.text, it.name).counted
                                         for it in group.items) * 2 >= len(group.items):
                groups.append(group)
    return groups


def _heading_run(flow: list[Block], members: list[int], ends: dict[int, int], parent: int,
                 title: str, kinds: dict[int, str] | None = None) -> Group | None:
    """One reading of headings as items: each named by its heading, its text
    what lies under it (``kinds``: the heading each sits under, when that is
    not the group's section)."""
    items = []
    most_blocks = 0
    for position, i in enumerate(members):
        end = ends[i]
        if position == len(members) - 1 and most_blocks and end - i > max(most_blocks * 2, 6):
            end = i + max(most_blocks * 2, 6)  # the last item ends near where its siblings did
        texts = []
        length = 0
        link_chars = 0
        for k in range(i + 1, end + 1):
            block = flow[k]
            text = block_text(block)
            if text:
                texts.append(text.replace("\n", " "))
                length += len(text)
                link_chars += block.link_chars
            if length > MAX_ITEM_TEXT:
                break
        most_blocks = max(most_blocks, end - i)
        heading = flow[i].text
        text = " ".join(texts)
        if not text:
            continue  # a heading with nothing under it ("5 Treatments to Try" right above "6 Exercises")
        # ("Step 3" over a paragraph is named by it; "Week 1" over its
        # list or table is a plan's part, named as it is.)
        if STEP_ONLY.match(heading) and not (PLAN_PART_ONLY.match(heading) and i < end and
                                             flow[i + 1].kind in ("list", "table")):
            name = tidy_name(name_from_text(text)) if text else ""
        else:
            name = tidy_name(_panelists_tip(flow, i, end) or heading)
        if not name:
            continue
        items.append(Item(name, text, heading, i, item_number(heading), end, link_chars + flow[i].link_chars,
                          len(text) + len(heading),
                          linked=bool(flow[i].link_chars) and name_is_link(flow[i].node.css("a"), heading),
                          section=kinds.get(i) if kinds else None))
    if len(items) < 2:
        return None
    _name_advice_under_complaints(items)
    section, section_level = (flow[parent].text, flow[parent].level) if parent >= 0 else (title, 0)
    first = members[0]
    leadin = _leadin_before(flow, first)[0] if parent < first - 1 else ""
    numbers = [item.number for item in items if item.number is not None]
    group = Group("headings", items, first, ends[members[-1]], section, section_level, leadin,
                  numbered=len(numbers) >= 2)
    group.in_main = _share_in_main(flow, items)
    if group.in_main == 0 and parent >= 0 and flow[parent].in_main:
        return None  # the template's footer columns ("Company", "Explore") after the article's last heading
    return group


def _name_advice_under_complaints(items: list[Item]) -> None:
    """Headings that name complaints ("Neck pain", "Hip pain"; "diarrhoea"
    under "How to cope with side effects"), each over a paragraph that opens
    with what to do ("Use one pillow that keeps your neck level ..."): the
    advice is the item, named by its first clause (LABELING.md: a symptom is
    no treatment), not the complaint it answers."""
    complaints = [item for item in items if names_complaint(item.name)]
    if len(complaints) < 2 or len(complaints) * 3 < len(items) * 2:
        return
    for item in complaints:
        if is_imperative(first_sentence(item.text)):
            item.name = tidy_name(name_from_text(item.text)) or item.name


def list_groups(flow: list[Block], title: str) -> list[Group]:
    groups: list[Group] = []
    for i, block in enumerate(flow):
        if block.kind != "list":
            continue
        items = []
        for li in list_items(block.node):
            text = clean_text(item_text(li))
            if not text:
                continue
            name, label = _name_of(li, text)
            anchors = li.css("a")  # (read once: for the link share and for a name that is a link)
            link_chars = sum(len(a.text(deep=True) or "") for a in anchors)
            items.append(Item(name, text.replace("\n", " ")[:MAX_ITEM_TEXT], label, i, item_number(text), i,
                              link_chars, len(text), linked=bool(link_chars) and name_is_link(anchors, label)))
        if not items:
            continue
        ordered = block.node.tag == "ol"
        start_attr = block.node.attributes.get("start") if ordered else None
        # An <ol start="2"> that goes on where an earlier <ol> stopped (a note or a sub-list between): one list.
        # What sits between is the text of the item before it (the block
        # editor's "<ol><li>Choose a technique:</li></ol><ul>examples</ul>
        # <ol start="2">"), so the sub-list is no list of its own.
        if ordered and start_attr and start_attr.isdigit():
            previous = next((g for g in reversed(groups) if g.ordered and i - g.end <= 3), None)
            if previous is not None and len(previous.items) + 1 == int(start_attr):
                last = previous.items[-1]
                between = " ".join(flow[k].text or (flow[k].node.text(deep=True) or "") for k in range(previous.end + 1, i))
                last.text = clean_text(f"{last.text} {between}").replace("\n", " ")[:MAX_ITEM_TEXT]
                last.end = i - 1
                previous.items.extend(items)
                previous.end = i
                previous.in_main = _share_in_main(flow, previous.items)
                continue
        # A bulleted list split in two by an ad or a widget (gone with the
        # boilerplate, so the halves touch) is one list: the same markup, no
        # heading or text between. Halves apart would each lack the other's
        # evidence, and one of them would be lost.
        previous = groups[-1] if groups else None
        if not ordered and previous is not None and not previous.ordered and previous.end == i - 1 and \
                _same_markup(flow[previous.end].node, block.node):
            previous.items.extend(items)
            previous.end = i
            previous.in_main = _share_in_main(flow, previous.items)
            continue
        groups.append(_group(flow, "list", items, i, i, ordered=ordered,
                             numbered=ordered or sum(1 for it in items if it.number) >= 2))
    return [g for g in groups if len(g.items) >= 2]


def _same_markup(a, b) -> bool:
    """Two elements of one tag and one class list under one parent (a list
    and its continuation; not the lists of two tab panels)."""
    return a.tag == b.tag and (a.attributes.get("class") or "") == (b.attributes.get("class") or "") and \
        a.parent is not None and b.parent is not None and a.parent.mem_id == b.parent.mem_id


# An expert's name over their tip ("Dr Amelia Stone" / "GP and menopause
# specialist" / "Talk to your GP about HRT"): a title or a name class says
# it is a person, not a tip.
PERSON_TITLE = re.compile(r"^(?:dr|prof|professor|mr|mrs|ms|mx|sir|dame)\.?\s+[A-Z]")
PERSON_NAME = re.compile(r"^(?:(?:dr|prof|professor|mr|mrs|ms|mx|sir|dame)\.?\s+)?"
                         r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3}$")
PERSON_CLASS = re.compile(r"(?:expert|author|person|panel|speaker|member|profile)\w*[_-]*(?:name|title)|"
                          r"(?:^|[\s_-])(?:name|bio)(?:$|[\s_-])", re.I)


def _panelists_tip(flow: list[Block], i: int, end: int) -> str | None:
    """The tip a panel's expert gives, when heading ``i`` is the expert's
    name: the first line under it that is all bold, within three blocks."""
    heading = flow[i].text.strip()
    if not PERSON_NAME.match(heading) or not (
            PERSON_TITLE.match(heading) or PERSON_CLASS.search(flow[i].node.attributes.get("class") or "")):
        return None
    for k in range(i + 1, min(end, i + 3) + 1):
        block = flow[k]
        # (A paragraph all bold is read as a pseudo-heading, or stays a paragraph when other text shares it.)
        if block.kind == "para" and _one_bold_line(block) or block.kind == "heading" and block.node.tag == "p":
            return block.text.strip()
    return None


def _runs_under_headings(flow: list[Block], wanted) -> list[list[int]]:
    """Runs of blocks satisfying ``wanted`` between two headings (other blocks may sit between them)."""
    runs: list[list[int]] = []
    run: list[int] = []
    for i, block in enumerate(flow):
        if block.kind == "heading":
            if run:
                runs.append(run)
            run = []
        elif wanted(block):
            run.append(i)
    if run:
        runs.append(run)
    return runs


def _one_bold_line(block: Block) -> bool:
    """A paragraph whose only bold text is its first line."""
    bolds = [b for b in block.node.css("strong, b") if (b.text(deep=True) or "").strip()] if block.node else []
    return len(bolds) == 1 and block.text.split("\n", 1)[0].strip() == (block.bold or "").strip()


DOSE_ONLY_WORDS = frozenset("""sets set reps rep repetitions repetition seconds second secs sec s minutes minute mins min
    rounds round times time each side sides per of x and to or a an the rpe rir rm amrap emom hold holds for with
    between taking rest resting slow slowly controlled on off""".split())


def _dose_only(text: str) -> bool:
    """Is the text only a dose ("3 × 20–30 seconds", "sets of 8", "3 × 3–5,
    taking five seconds to lower"), with hardly a word of its own?"""
    others = [w for w in re.findall(r"[^\W\d_]+", text.lower()) if w not in DOSE_ONLY_WORDS and w not in NUMBER_WORDS]
    return len(others) <= 2 and parse_dosage(text).counted


def bold_paragraph_groups(flow: list[Block], title: str) -> list[Group]:
    """Paragraphs opening with a bold lead-in ('<strong>Rest.</strong> Lie down ...'), and
    runs of generic labels ('TIP: ...' among 'Myth:' and 'Fact:')."""
    groups = []

    def has_lead(block: Block) -> bool:
        # The lead may stand on a line of its own ("<strong>Move 1: Bridge</strong><br>Lie on ..."),
        # but not be one of several bold lines (bold_line_groups reads those).
        return block.kind == "para" and bool(block.bold) and len(block.bold) < len(block.text) - 2 \
            and ("\n" not in block.text[:len(block.bold) + 2] or _one_bold_line(block))

    for run in _runs_under_headings(flow, has_lead):
        if len(run) < 2:
            continue
        # ("Step 1 —", "Step 2 —" are numbered labels, each its own: not one label repeated.)
        leads = [(flow[i].bold or "").strip().lower() if STEP_ONLY.match(flow[i].bold or "") else
                 tidy_name(flow[i].bold or "").lower() for i in run]
        repeated = len(leads) - len(set(leads))
        if repeated >= len(leads) / 3:
            # Generic labels: only the advice ones are items, named by what follows the label.
            chosen = [i for i in run if ADVICE_LABEL.match((flow[i].bold or "").strip())]
            items = []
            for i in chosen:
                rest = flow[i].text[len(flow[i].bold or ""):].strip(" :.-–")
                if _dose_only(rest.split("\n", 1)[0]):
                    continue  # "Do: 3 × 20–30 seconds." under each movement: its dose, no tip
                items.append(Item(tidy_name(name_from_text(rest)), flow[i].text, flow[i].bold or "", i,
                                  None, i, flow[i].link_chars, len(flow[i].text)))
            if len(items) >= 2:
                groups.append(_group(flow, "label-paras", items, run[0], run[-1], numbered=False))
            continue
        if sum(1 for i in run if NOT_ADVICE_LABEL.match((flow[i].bold or "").strip())) >= len(run) / 2:
            continue
        items = []
        for position, i in enumerate(run):
            stop = run[position + 1] if position + 1 < len(run) else min(i + 4, len(flow))
            texts = [block_text(flow[k]) for k in range(i, stop) if flow[k].kind in ("para", "list", "table")]
            text = " ".join(t.replace("\n", " ") for t in texts if t)[:MAX_ITEM_TEXT]
            name = tidy_name(flow[i].bold or "")
            if ADVICE_LABEL.match((flow[i].bold or "").strip()) or STEP_ONLY.match(flow[i].bold or ""):
                name = tidy_name(name_from_text(flow[i].text[len(flow[i].bold or ""):].strip(" :.-–")))
            items.append(Item(name, text or flow[i].text, flow[i].bold or "", i, item_number(flow[i].text),
                              stop - 1, flow[i].link_chars, len(flow[i].text),
                              linked=bool(flow[i].link_chars) and name_is_link(flow[i].node.css("a"),
                                                                               flow[i].bold or "")))
        groups.append(_group(flow, "bold-paras", items, run[0], run[-1]))
    return groups


def repeated_label_groups(flow: list[Block], title: str) -> list[Group]:
    """One advice label per section, repeated from section to section ("Myth:
    ..." headings, each with its "What to do instead: Keep moving ..."): the
    labelled paragraphs are the items, named by what follows the label.
    (Several labels under one heading are bold_paragraph_groups' runs.)"""
    # (A "Pro tip:" that is a link, "Get more meal ideas here", is a promotion.)
    # (Nor a dose under each movement, "Do: 3 × 20–30 seconds.": no tip.)
    labelled = [i for i, block in enumerate(flow) if block.kind == "para" and block.bold
                and len(block.bold) < len(block.text) - 2 and ADVICE_LABEL.match(block.bold.strip())
                and block.link_chars * 2 < len(block.text) - len(block.bold)
                and not _dose_only(block.text[len(block.bold):].strip(" :.-–").split("\n", 1)[0])]
    by_label: dict[str, list[int]] = {}
    for i in labelled:
        by_label.setdefault(tidy_name(flow[i].bold or "").lower(), []).append(i)
    groups = []
    for run in by_label.values():
        if len(run) < 2 or any(not any(flow[k].kind == "heading" for k in range(a + 1, b))
                               for a, b in zip(run, run[1:])):
            continue
        items = [Item(tidy_name(name_from_text(flow[i].text[len(flow[i].bold or ""):].strip(" :.-–"))), flow[i].text,
                      flow[i].bold or "", i, None, i, flow[i].link_chars, len(flow[i].text)) for i in run]
        group = _group(flow, "label-paras", items, run[0], run[-1], numbered=False)
        # Its section is the one holding the sections it repeats in, not the first of them.
        first = next(j for j in headings_before(flow, run[0]))
        group.section, group.section_level = _heading_above(flow, first, flow[first].level)
        if not group.section:
            group.section = title
        groups.append(group)
    return groups


def bold_line_groups(flow: list[Block], title: str) -> list[Group]:
    """Bold lead-ins inside one paragraph, one per line (<br>-separated)."""
    groups = []
    for i, block in enumerate(flow):
        if block.kind != "para" or "\n" not in block.text:
            continue
        bolds = [clean_text(b.text(deep=True) or "").replace("\n", " ") for b in block.node.css("strong, b")]
        bolds = [b for b in bolds if b]
        if len(bolds) < 2:
            continue
        items: list[Item] = []
        share = block.link_chars / max(len(block.text), 1)  # a table of contents is all links
        for k, line in enumerate(block.text.split("\n")):
            if not line.strip():
                continue
            # (A line may number its lead-in: "1. <b>Rest from running</b> for two weeks".)
            bare = NUMBER_PREFIX.sub("", line.strip(), count=1)
            numbered = bare != line.strip()
            lead = next((b for b in bolds if line.startswith(b) or numbered and bare.startswith(b)), None)
            if lead:
                items.append(Item(tidy_name(lead), line, lead, i, item_number(line), i, int(share * len(line)),
                                  len(line), line=k))
            elif items:
                items[-1].text += " " + line
        if len(items) < 2:
            continue
        groups.append(_group(flow, "bold-lines", items, i, i))
    return groups


def numbered_line_groups(flow: list[Block], title: str) -> list[Group]:
    """Lines numbered 1, 2, 3 ... inside one paragraph ('1. Leg press: 1 x 10<br>2. Chest press ...'),
    as pages built of <br>-separated text write their lists."""
    groups = []
    for i, block in enumerate(flow):
        if block.kind != "para" or block.text.count("\n") < 2:
            continue
        lines = block.text.split("\n")
        run: list[tuple[int, int]] = []  # (line index, number)
        bolds = [clean_text(b.text(deep=True) or "").replace("\n", " ") for b in block.node.css("strong, b")] \
            if block.node is not None else []

        def named(line: str) -> str:
            # "1. <b>Rest from running</b> for two weeks": named by its lead-in.
            bare = NUMBER_PREFIX.sub("", line.strip(), count=1)
            lead = next((b for b in bolds if b and bare.startswith(b)), None)
            return tidy_name(lead) if lead else tidy_name(name_from_text(line))

        def close() -> None:
            if len(run) < 2:
                return
            items = [Item(named(lines[k]), lines[k], lines[k], i, number, i, 0, len(lines[k]),
                          line=k) for k, number in run]
            before = lines[run[0][0] - 1] if run[0][0] > 0 else ""
            groups.append(_group(flow, "numbered-lines", items, i, i, before or None, numbered=True))

        for k, line in enumerate(lines):
            number = item_number(line)
            if number is not None and run and number == run[-1][1] + 1:
                run.append((k, number))
            elif number == 1:
                close()
                run = [(k, 1)]
            elif run and number is None and len(line) > 150:
                close()
                run = []
        close()
    return groups


def colon_paragraph_groups(flow: list[Block], title: str) -> list[Group]:
    """Short paragraphs after a lead-in that ends with a colon ('Start with small steps:')."""
    groups = []
    for i, block in enumerate(flow):
        if block.kind != "para" or not block.text.rstrip().endswith(":") or i + 2 >= len(flow):
            continue
        items = []
        end = i
        for k in range(i + 1, min(i + 13, len(flow))):
            following = flow[k]
            if following.kind != "para" or following.text.rstrip().endswith(":"):
                break
            text = following.text.replace("\n", " ")
            if len(text) > 700 or first_sentence(text).endswith("?"):
                break
            items.append(Item(tidy_name(name_from_text(text)), text, first_sentence(text), k, item_number(text), k,
                              following.link_chars, len(text)))
            end = k
        if len(items) >= 2:
            groups.append(_group(flow, "colon-paras", items, i + 1, end, last_sentence(block.text)))
    return groups


def numbered_paragraph_groups(flow: list[Block], title: str) -> list[Group]:
    """Paragraphs numbered 1, 2, 3 ... in their text (no list markup, no bold)."""
    groups = []
    run: list[int] = []
    expected = 1

    def close() -> None:
        if len(run) >= 2:
            items = []
            for position, i in enumerate(run):
                stop = run[position + 1] if position + 1 < len(run) else min(i + 3, len(flow))
                text = " ".join(flow[k].text.replace("\n", " ") for k in range(i, stop) if flow[k].kind == "para")
                items.append(Item(tidy_name(name_from_text(flow[i].text)), text, first_sentence(flow[i].text), i,
                                  item_number(flow[i].text), stop - 1, flow[i].link_chars, len(text)))
            groups.append(_group(flow, "numbered-paras", items, run[0], run[-1], numbered=True))

    for i, block in enumerate(flow):
        if block.kind == "heading":
            close()
            run, expected = [], 1
            continue
        if block.kind != "para" or block.bold:
            continue
        number = item_number(block.text)
        if number == expected:
            run.append(i)
            expected += 1
        elif number == 1:
            close()
            run, expected = [i], 2
    close()
    return groups


# (Not the dashes "–" and "—": Spanish and Russian set dialogue with them.)
BULLET_MARKS = frozenset("•◦▪▫‣⁃∙·→►▶➤➔✓✔✅☑-*+")


def _bullet_of(text: str) -> str | None:
    """The bullet a paragraph opens with ("→ Ice the knee."), if it does."""
    mark = text[:1]
    if mark in BULLET_MARKS or (mark and _symbol(mark)):
        rest = text[1:].lstrip("\ufe0f ")
        return mark if rest[:1].isalpha() else None
    return None


def bullet_paragraph_groups(flow: list[Block], title: str) -> list[Group]:
    """Paragraphs that each open with the same bullet mark ("→ Ice the
    knee. Wrap ...", "• Rest ..."): a list typed by hand, read as a list."""
    groups = []
    run: list[int] = []
    mark: str | None = None

    def close() -> None:
        if len(run) >= 3:
            items = [Item(tidy_name(name_from_text(flow[i].text[1:].strip())), flow[i].text.replace("\n", " "),
                          first_sentence(flow[i].text), i, None, i, flow[i].link_chars, len(flow[i].text))
                     for i in run]
            groups.append(_group(flow, "list", items, run[0], run[-1], numbered=False))

    for i, block in enumerate(flow):
        bullet = _bullet_of(block.text) if block.kind == "para" else None
        if bullet is None or bullet != mark:
            close()
            run, mark = ([i], bullet) if bullet else ([], None)
            continue
        run.append(i)
    close()
    return groups


MAX_LINE_ITEM = 250  # characters of a line read as one item of a paragraph's lines


def line_list_groups(flow: list[Block], title: str) -> list[Group]:
    """Lines of one paragraph, <br>-separated, read as a list: three or more
    that open with the same bullet mark ("- Wear wraparound sunglasses"), or
    three or more short unmarked lines under a caption line that ends in a
    colon ("Our top tips:") or is set bold. Site builders (Wix, Squarespace) and text pasted
    from e-mail write lists this way, in one <p>."""
    groups = []
    for i, block in enumerate(flow):
        if block.kind != "para" or block.text.count("\n") < 2:
            continue
        lines = block.text.split("\n")
        share = block.link_chars / max(len(block.text), 1)  # a table of contents is all links

        def add(run: list[int], leadin: str) -> None:
            # (Not a menu of links, nor a run of questions or web addresses:
            # an FAQ's index or a list of resources, no list at all.)
            if share >= 0.5 or sum(1 for k in run if is_question(lines[k]) or WEB_ADDRESS.search(lines[k])) * 2 >= \
                    len(run):
                return
            items = [Item(tidy_name(name_from_text(_unbulleted(lines[k]))), lines[k], lines[k], i, None, i,
                          int(share * len(lines[k])), len(lines[k]), line=k) for k in run]
            groups.append(_group(flow, "list", items, i, i, leadin or None, numbered=False))

        run: list[int] = []
        mark: str | None = None
        for k, line in enumerate(lines + [""]):
            bullet = _bullet_of(line) if len(line) <= MAX_LINE_ITEM else None
            if bullet is not None and bullet == mark:
                run.append(k)
                continue
            if len(run) >= 3:
                add(run, lines[run[0] - 1] if run[0] > 0 else "")
            run, mark = ([k], bullet) if bullet else ([], None)
        caption = lines[0].strip()
        rest = [k for k in range(1, len(lines)) if lines[k].strip()]
        # (A caption ends in a colon, or is the paragraph's bold first line:
        # "<strong>Things you can try at home</strong><br>Wear a splint ...")
        captioned = caption.endswith(":") or (block.bold or "").strip() == caption
        # (Each line an item of its own: it opens with a capital, where a
        # hard-wrapped paragraph's lines run on in lower case, "of antibodies".)
        if captioned and len(caption) <= 120 and len(rest) >= 3 and all(
                len(lines[k]) <= MAX_LINE_ITEM and _bullet_of(lines[k]) is None and not lines[k].rstrip().endswith(":")
                and item_number(lines[k]) is None and lines[k].lstrip()[:1].isupper() for k in rest):
            add(rest, caption)
    return groups


WEB_ADDRESS = re.compile(r"https?://|www\.|\.(?:com|org|net|gov|edu)\b", re.I)


def _unbulleted(line: str) -> str:
    return line[1:].lstrip("\ufe0f ").strip() if _bullet_of(line) else line.strip()


ITEM_NAME_HEADER = re.compile(r"^\W*(?:exercises?|stretch(?:es)?|moves?|movements?|poses?|treatments?|remed(?:y|ies)|"
                              r"medicines?|medications?|drugs?|übung(?:en)?|behandlung|medikament|exercices?|"
                              r"ejercicios?|médicaments?|medicamentos?|tratamientos?|traitements?)\b", re.I)
TABLE_NAME_HEADER = re.compile(r"\b(?:name|exercise|stretch|move|pose|treatment|remedy|tip|what|übung|behandlung|"
                               r"exercice|ejercicio|activity|workout)\b", re.I)


# A training plan laid out by day: "Monday | Tuesday | ..." across the top (or
# down the side), a workout in each cell.
WEEKDAY = re.compile(
    r"^(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?$|^day\s*\d{1,2}$|"
    r"^(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|tag\s*\d{1,2})$|"
    r"^(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|jour\s*\d{1,2})$|"
    r"^(?:lunes|martes|miércoles|jueves|viernes|sábado|domingo|día\s*\d{1,2})$", re.I)
REST_CELL = re.compile(r"^(?:rest|off|rest\s+day|day\s+off|recovery|ruhetag|pause|repos|descanso|-|–|—|x)?$", re.I)
# A race is the plan's goal, not one of its workouts; a cell that offers a
# choice ("Easy run or cross-training", "Optional cross-training or rest")
# points at workouts the plan names on their own.
RACE_OR_CHOICE_CELL = re.compile(r"^(?:(?:\d{1,3}\s*k|half[\s-]*marathon|marathon|\w+)\s+race|half[\s-]*marathon|marathon|"
                                 r"race\s+day|wettkampf|course|carrera)$|\s(?:or|oder|ou|o)\s", re.I)
# Where a cell's workout name ends and its prescription begins: "Run Easy 30 min",
# "Walk/Run Easy 10x (Walk 2 min ...)".
PRESCRIPTION = re.compile(r"\d\s*(?:x\b|min|mins|minutes?|hours?|miles?|mi\b|km|k\b|m\b|reps?|sets?|sec|seconds?)",
                          re.I)
# A time of day ("6 pm", "18 Uhr", "18h", "18:00–19:00"), not a pace ("8:30 per mile").
CLOCK_TIME = re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\b\.?|uhr\b|h\b)|"
                        r"\b(?:[01]?\d|2[0-3]):[0-5]\d\s*(?:-|–|to|bis)\s*(?:[01]?\d|2[0-3]):[0-5]\d\b", re.I)
CELL_NAME = re.compile(r"^(?P<name>[^\d(:;,\n]{3,60}?)\s*(?:[\d(:;,\n]|$)")


def _cell_movements(line: str) -> list[str]:
    """A plan cell's workouts: "Bridge, Bird dog, Plank" is three movements
    when each part names one; "Run 5 km, easy pace" is one workout. (Not
    :func:`_enumeration_parts`: in a plan cell "or" offers a choice, which
    RACE_OR_CHOICE_CELL reads, and "and" often joins one workout's parts.)"""
    parts = [p.strip() for p in re.split(r"\s*(?:[,;+]|\s&\s)\s*", line) if p.strip()]
    if len(parts) >= 2 and all(EXERCISE_NAME.search(p) and len(p.split()) <= 5 for p in parts):
        return parts
    return [line]


def _schedule_items(rows: list[list[LexborNode]], block_index: int) -> list[Item] | None:
    """The distinct workouts of a plan table (weekdays across its first row or
    down its first column), in the order they first appear; None when the
    table is no plan."""
    lines = [[(c.text(deep=True) or "").strip() for c in cells] for cells in rows]
    header = [clean_text(t) for t in lines[0]]
    first_column = [clean_text(row[0]) for row in lines if row]
    if sum(bool(WEEKDAY.match(t)) for t in header) >= 3:
        cells = [t for row in lines[1:] for t in row]
    elif sum(bool(WEEKDAY.match(t)) for t in first_column) >= 3:
        # (A header row over the days, "Day | Workout", names columns, not workouts.)
        cells = [t for row in lines[0 if WEEKDAY.match(first_column[0]) else 1:] for t in row[1:]]
    else:
        return None
    if sum(1 for cell in cells if CLOCK_TIME.search(cell)) * 3 >= len(cells):
        return []  # a timetable of classes ("Yin Yoga", "6 pm"), not a plan of workouts
    items: list[Item] = []
    seen: set[str] = set()
    for cell in cells:
        first_line = clean_text(cell.split("\n")[0])
        text = clean_text(cell).replace("\n", " ")
        for part in _cell_movements(first_line):
            match = CELL_NAME.match(part)
            name = tidy_name(match["name"]) if match else ""
            if (not re.search(r"[^\W\d_]{2}", name) or REST_CELL.match(name) or RACE_OR_CHOICE_CELL.search(name)
                    or name.lower() in seen):
                continue
            seen.add(name.lower())
            own = part if part != first_line else text  # a movement of a listing cell has its part as its text
            items.append(Item(name, own, name, block_index, None, block_index, 0, len(own)))
    # A meal plan is laid out by day too: a plan of workouts names movements
    # or prescribes time, distance or repetitions.
    moving = sum(1 for item in items if EXERCISE_NAME.search(item.name) or PRESCRIPTION.search(item.text))
    return items if moving * 2 >= len(items) else []


def table_groups(flow: list[Block], title: str) -> list[Group]:
    """A data table, one item per row; a header row names the columns (and is no item).
    A plan table (days across the top) is read as the workouts in its cells."""
    groups = []
    for i, block in enumerate(flow):
        if block.kind != "table":
            continue
        rows = table_rows(block.node)
        if len(rows) < 2:
            continue
        # A table laid out by day (a plan of workouts or of meals) has weeks
        # for rows, not items: its row reading is ruled out, and stays in the
        # scorer's data as the negative it is.
        schedule = _schedule_items(rows, i)
        if schedule and len(schedule) >= 2:
            groups.append(_group(flow, "schedule", schedule, i, i, numbered=False, kind="exercises"))
        # Rows as a grid: a cell spanning rows or columns stands in each
        # ("Weeks 1-2" beside each of its exercises), so cells line up with
        # their columns; a row that is one cell across the table ("Rest
        # days: walk for 20 minutes") is a note, not an item.
        grid, header_rows = table_grid(block.node)
        # (A cell's paragraphs are apart: "Wear shoes that fit well." "Slippers with no back are not safe.")
        texts = [[clean_text(item_text(c)).replace("\n", " ") for c in cells] for cells in grid]
        header: list[str] | None = None
        if header_rows >= 2:
            # Two header rows ("Dose" over "Sets | Reps | Hold"): each column
            # is named by its own cells, top to bottom, each said once.
            header = [" ".join(dict.fromkeys(texts[k][c] for k in range(header_rows) if c < len(texts[k])
                                             and texts[k][c])) for c in range(len(texts[header_rows - 1]))]
            texts = texts[header_rows:]
            grid = grid[header_rows:]
        elif all(c.tag == "th" for c in grid[0]) or (
                len(texts) > 2 and all(len(t) < 40 for t in texts[0]) and any(
                    TABLE_NAME_HEADER.search(t) or re.search(r"\b(?:reps?|sets?|hold|duration|rest|#)\b", t, re.I)
                    for t in texts[0])):
            header = texts[0]
            texts = texts[1:]
            grid = grid[1:]
        texts = [row for row, cells in zip(texts, grid) if len(cells) < 2 or len({c.mem_id for c in cells}) > 1]
        name_column = None
        if header:
            # (A column that names the items, "Medicine", before one that merely asks, "What it helps".)
            name_column = next((k for k, h in enumerate(header) if ITEM_NAME_HEADER.search(h)), None)
            if name_column is None:
                name_column = next((k for k, h in enumerate(header) if TABLE_NAME_HEADER.search(h)), None)
        items = []
        for row in texts:
            cells = [t for t in row if t]
            if not cells:
                continue
            if name_column is not None and name_column < len(row) and row[name_column]:
                name = row[name_column]
            else:
                # the first cell with words (not "1", not "#")
                name = next((t for t in row if re.search(r"[^\W\d_]{2}", t)), cells[0])
                if len(name) > 80 or SENTENCE_END.search(name):
                    name = name_from_text(name)  # (a cell of sentences is named by its first)
            text = " ".join(t for t in row if t and t != name)
            cell_map = {h: row[k] for k, h in enumerate(header) if k < len(row)} if header else None
            items.append(Item(tidy_name(name), text or name, name, i, None, i, 0, len(text) + len(name), cell_map))
        if len(items) >= 2:
            groups.append(_group(flow, "table", items, i, i, numbered=False, ruled_out=schedule is not None))
        if header and sum(1 for h in header if h) >= 2 and all(COLUMN_LABEL.match(h) for h in header if h):
            groups.extend(_column_lists(flow, i, header, texts))
    return groups


def _column_lists(flow: list[Block], i: int, header: list[str], rows: list[list[str]]) -> list[Group]:
    """A table of columns labelled "Do" and "Don't" (or "À faire", "À
    éviter") is two lists side by side, read as the pair of lists it stands
    for: each cell an item (its own line, so the columns do not claim each
    other's cells), each column under its label, the heading above as their
    section."""
    groups = []
    for c, label in enumerate(header):
        items = [Item(tidy_name(name_from_text(row[c])), row[c], label, i, None, i, 0, len(row[c]), line=r * 64 + c)
                 for r, row in enumerate(rows) if c < len(row) and row[c]]
        if label and len(items) >= 2:
            group = _group(flow, "list", items, i, i, numbered=False)
            group.parent_section, group.section, group.section_level = group.section, label, group.section_level + 1
            groups.append(group)
    return groups


def dl_groups(flow: list[Block], title: str) -> list[Group]:
    groups = []
    for i, block in enumerate(flow):
        if block.kind != "dl":
            continue
        items: list[Item] = []
        child = block.node.child
        while child is not None:
            if child.tag == "dt":
                name = clean_text(child.text(deep=True) or "").replace("\n", " ")
                items.append(Item(tidy_name(name), "", name, i, None, i))
            elif child.tag == "dd" and items:
                items[-1].text += " " + clean_text(child.text(deep=True) or "").replace("\n", " ")
            child = child.next
        items = [it for it in items if it.name]
        for it in items:
            it.text = it.text.strip()
            it.chars = len(it.text) + len(it.name)
        if len(items) >= 2:
            groups.append(_group(flow, "dl", items, i, i, numbered=False))
    return groups


WORKOUT_HEADER = re.compile(
    r"^\s*(?:for\s+time|amrap(?:\s+in)?\s*\d*|emom|\d+\s+rounds?(?:\s+for\s+time)?(?:\s+of)?|complete\s+\d+\s+rounds?|"
    r"tabata|as\s+many\s+rounds)[^\n]{0,40}:\s*",
    re.I,
)


def workout_groups(flow: list[Block], title: str) -> list[Group]:
    """'For time: Run 10 miles / 150 Burpee pull-ups' and the like (the first only:
    later ones are readers retelling it in comments)."""
    for i, block in enumerate(flow[:400]):
        if block.kind != "para":
            continue
        match = WORKOUT_HEADER.match(block.text)
        if not match:
            continue
        lines = [line.strip(" -•*") for line in block.text[match.end():].split("\n") if line.strip(" -•*")]
        items = [Item(tidy_name(line), line, line, i, None, i) for line in lines if 2 < len(line) < 80]
        if items:
            group = Group("workout", items, i, i, "workout " + match.group(0), 0, "", kind="exercises")
            group.in_main = _share_in_main(flow, items)
            return [group]
    return []


HOW_TO_DO = re.compile(
    r"^(?:how\s+to\s+(?:do|perform)|comment\s+(?:faire|réaliser)|cómo\s+(?:hacer|realizar)|so\s+(?:geht|gelingt))"
    r"\s+(?:(?:a|an|the|le|la|les|l'|un|une|el|la|los|las|die|der|das|den)\s+)?(?P<name>[^?:.!]{3,40}?)\s*[?:.!]?$",
    re.I)


HOW_TO_DO_IT = re.compile(r"^(?:how\s+to\s+(?:do|perform)\s+(?:it|this(?:\s+(?:exercise|stretch|move|pose))?)|"
                          r"step[\s-]by[\s-]step(?:\s+instructions)?|so\s+geht(?:'s|\s+es|s)|comment\s+(?:le|la)\s+"
                          r"(?:faire|réaliser)|cómo\s+(?:hacerlo|hacerla|realizarlo|realizarla))\s*[?:.!]?$", re.I)


TRAILING_BRACKET = re.compile(r"\s*\([^()]*\)\s*$")


def exercise_steps_groups(flow: list[Block], title: str) -> list[Group]:
    """The steps of one exercise under a heading that names it ("How to do a
    wall sit" over "1. Stand with your back ..."): one exercise, named by the
    heading, whose text is its steps. The steps are how to do it, not a list
    of treatments (LABELING.md: a named exercise the article instructs). The
    heading's object is a movement by its name or by the dose the steps give."""
    groups = []
    for i, block in enumerate(flow):
        if block.kind != "list":
            continue
        section, _ = _heading_above(flow, i)
        # (Steps right under the headline, "How to do a wall angel (and why
        # yours probably looks wrong)", are the headline's movement's.)
        heading = section or title
        match = HOW_TO_DO.match(TRAILING_BRACKET.sub("", heading)) if heading else None
        if match:
            name = match.group("name").strip()
        elif section and HOW_TO_DO_IT.match(section):
            # "How to do it" on a page about one movement: the headline names
            # it ("Exercise of the Week: The Dead Bug").
            name = title.rsplit(": ", 1)[-1].strip()
        else:
            continue
        if len(name.split()) > 5:
            continue
        steps = [clean_text(li.text(deep=True) or "").replace("\n", " ") for li in list_items(block.node)]
        steps = [step for step in steps if step]
        if len(steps) < 2:
            continue
        # A movement by its name, or by the dose its steps give ("hold for 30
        # seconds"); "How to do a breast self-exam" is neither.
        if not (EXERCISE_NAME.search(name) or parse_dosage(" ".join(steps)).counted):
            continue
        item = Item(name[:1].upper() + name[1:], " ".join(steps), section, i, None, i, 0, sum(map(len, steps)))
        groups.append(_group(flow, "exercise-steps", [item], i, i, kind="exercises"))
    return groups


DOSAGE_LINE = re.compile(r"^\s*(?P<name>[^:\n]{2,40}?)\s*[:–—-]\s+(?P<text>\S.*)$")


def dosage_line_groups(flow: list[Block], title: str) -> list[Group]:
    """A workout written as lines of one paragraph, each a name and its dose
    ("Squats: 3 sets of 12<br>Lunges: 3 sets of 10 per leg<br>Plank: hold 30
    seconds"): three or more such lines, half the paragraph's lines at
    least. Lines without a hold, reps or sets ("Warm-up: 5 minutes of easy
    jogging") are not items. Read as a workout: the doses say what it is."""
    groups = []
    for i, block in enumerate(flow):
        if block.kind != "para" or block.text.count("\n") < 2:
            continue
        lines = [line for line in block.text.split("\n") if line.strip()]
        items = []
        for k, line in enumerate(lines):
            match = DOSAGE_LINE.match(line)
            if not match:
                continue
            if parse_dosage(match.group("text")).counted:
                items.append(Item(tidy_name(match.group("name")), line, match.group("name"), i, item_number(line), i,
                                  0, len(line), line=k))
        if len(items) >= 3 and len(items) * 2 >= len(lines):
            groups.append(_group(flow, "workout", items, i, i, kind="exercises"))
    return groups


# "exercise, like swimming, bicycling, jogging, or hiking"; "Walking, swimming and other aerobic activities"
SUCH_AS_EXERCISES = re.compile(
    r"\b(?:exercises?|exercising|activit(?:y|ies)|workouts?|sports?|cardio|training)\b[^.;]{0,30}?,?\s*\(?"
    r"(?:like|such\s+as|including|e\.\s?g\.,?)\s+(?P<after>[^.;:()]{3,200})",
    re.I,
)
AND_OTHER = re.compile(r"(?P<before>[^.;:()]{3,200})\s+and\s+other\s+(?:\w+\s+)?(?:activities|exercises|sports)\b$",
                       re.I)
ACTIVITY_WORD = re.compile(r"^(?:[a-z]+ing|yoga|pilates|tai chi|aerobics|dance|rowing|push-?ups|sit-?ups|"
                           r"squats|lunges|planks?|crunches|burpees|brisk walking)$", re.I)


def _is_activity(part: str, named: bool) -> bool:
    """An activity word ("swimming"), or with ``named`` a short exercise name
    ("seated calf raise", "incline dumbbell curls")."""
    if ACTIVITY_WORD.match(part):
        return True
    return named and len(part.split()) <= 4 and bool(EXERCISE_NAME.search(part)) and not re.search(r"\d", part)


def _enumeration_parts(phrase: str) -> list[str]:
    """The parts of "a, b and c" / "a, b, or c", in order."""
    parts = [p.strip() for p in re.split(r",\s*|\s+(?:and|or)\s+", phrase) if p.strip()]
    return [re.sub(r"^(?:and|or)\s+", "", p).strip() for p in parts]


def _activities(phrase: str, leading: bool, named: bool = False) -> list[str]:
    """The activity words of an enumeration, in order: as many as follow
    one another (after "such as"), or end the phrase (before "and other")."""
    parts = _enumeration_parts(phrase)
    chosen: list[str] = []
    for part in (parts if leading else reversed(parts)):
        if not _is_activity(part, named):
            break
        chosen.append(part)
    return chosen if leading else chosen[::-1]


ENUMERATION_END = re.compile(r"^(?:etc|usw|u\.\s?a|and\s+so\s+on|and\s+more|and\s+others|others|more)\.?$", re.I)


def _bracketed_examples(phrase: str) -> list[str]:
    """The exercise names of a bracketed enumeration: where most of its parts
    are names the vocabulary knows, the others short enough to be names are
    examples of the same kind ("leg extension, chest cable crossover")."""
    parts = [p for p in _enumeration_parts(phrase) if not ENUMERATION_END.match(p)]
    known = sum(1 for p in parts if _is_activity(p, True))
    if known < 3 or known * 2 <= len(parts):
        return _activities(phrase, True, named=True)
    return [p for p in parts if len(p.split()) <= 4 and not re.search(r"\d", p)]


# "(e.g., leg curl, seated calf raise, bicep preacher curl)": examples of
# exercises in brackets, named as exercises whatever word came before.
EXAMPLES_IN_BRACKETS = re.compile(r"\(\s*(?:e\.\s?g\.|for\s+example|such\s+as|like|z\.\s?b\.|p\.\s?ex\.|p\.\s?ej\.),?"
                                  r"\s+(?P<after>[^()]{3,300})\)", re.I)


ENUMERATION_CUES = ("like ", "such as", "including", "e.g", " and other ", "(")


def _prose_texts(flow: list[Block]):
    """(flow index, text) of every paragraph of the main content, and of the
    items of its lists that may enumerate something (the list's text is
    read once; its items only when it holds a cue)."""
    for i, block in enumerate(flow):
        if not block.in_main:
            continue
        if block.kind == "para":
            yield i, " ".join(block.text.split())
        elif block.kind == "list":
            whole = (block.node.text(deep=True) or "").lower()
            if any(cue in whole for cue in ENUMERATION_CUES):
                for li in list_items(block.node):
                    yield i, " ".join((li.text(deep=True) or "").split())


# "Do 3 rounds of: 10 goblet squats, 10 push-ups, 10 dumbbell rows and 15
# glute bridges": a circuit written as a sentence, each movement after its count.
COUNTED_MOVE = re.compile(r"^(?P<n>\d{1,3})\s+(?P<name>[^\d,;:()]{3,40})$")
ROUNDS_OF = re.compile(r"^.*?\bof\s+(?=\d)", re.I)  # "Do 3 rounds of 10 squats": the first movement's count
COUNTED_PAIR = re.compile(r"\b\d{1,3}\s+[^\W\d][^,;:()\d]{2,40},\s*\d{1,3}\s+[^\W\d]")
WORKOUT_VERB = re.compile(r"^\W*(?:complete|perform|finish|superset)\b", re.I)  # "Complete 4 rounds:"


def _counted_moves(enumeration: str) -> list[tuple[int, str, str]]:
    """(count, name, the part read) of the first run of three or more counted
    movements in an enumeration, two in three of them named by the
    vocabulary; [] when there is none."""
    parts = _enumeration_parts(enumeration)
    if parts:
        parts[0] = ROUNDS_OF.sub("", parts[0])
    run: list[tuple[int, str, str]] = []
    for part in parts + [""]:
        match = COUNTED_MOVE.match(part)
        if match and len(match.group("name").split()) <= 4:
            run.append((int(match.group("n")), match.group("name").strip(), part))
            continue
        if len(run) >= 3 and sum(1 for _, name, _ in run if _is_activity(name, True)) * 3 >= len(run) * 2:
            return run
        run = []
    return []


def counted_prose_groups(flow: list[Block], i: int, text: str) -> list[Group]:
    """The circuits a paragraph instructs in sentences of counted movements:
    the sentence is an instruction ("Do 10 squats, ...") or its clause before
    a colon is ("Complete 3 rounds: 10 squats, ..."); a study's "participants
    did 10 squats, ..." instructs nobody."""
    groups = []
    for sentence in sentences(text):
        instruction, _, enumeration = sentence.partition(":")
        moves = _counted_moves(enumeration or instruction)
        if not moves or not (is_imperative(instruction) or WORKOUT_VERB.match(instruction)):
            continue
        # Each movement's text is its part, then the sentence (its rounds and rest).
        items = [Item(name.rstrip("."), f"{part.rstrip('.')}. {sentence}", part, i, count, i)
                 for count, name, part in moves]
        section, level = _heading_above(flow, i)
        group = Group("prose", items, i, i, section, level, sentence, kind="exercises")
        group.in_main = 1.0
        groups.append(group)
    return groups


def prose_exercise_groups(flow: list[Block], title: str) -> list[Group]:
    """Exercises named in a sentence that recommends them (LABELING.md counts
    them): 'regular cardiovascular exercise, like swimming, bicycling, jogging,
    or hiking'."""
    groups = []
    for i, text in _prose_texts(flow):
        low = text.lower()
        if COUNTED_PAIR.search(text):  # (cheap test first: two counted movements in a row, "10 squats, 10 lunges")
            groups += counted_prose_groups(flow, i, text)
        # Cheap tests first: most paragraphs enumerate nothing.
        matches = []
        if ("like " in low or "such as" in low or "including" in low or "e.g" in low) and any(
                cue in low for cue in ("exercis", "activit", "workout", "sport", "cardio", "training")):
            matches += [(m, _activities(m.group("after"), True)) for m in SUCH_AS_EXERCISES.finditer(text)]
        if "(" in text:
            # Three or more exercise names in brackets are exercises by their names alone.
            matches += [(m, names) for m in EXAMPLES_IN_BRACKETS.finditer(text)
                        for names in [_bracketed_examples(m.group("after"))] if len(names) >= 3]
        start = low.find(" and other ")
        while start >= 0:
            end = low.find(" ", start + 11)
            end = low.find(" ", end + 1) if end >= 0 else -1
            window = text[max(0, start - 200):end if end >= 0 else len(text)]
            match = AND_OTHER.search(window) or AND_OTHER.search(window.rsplit(" ", 1)[0])
            if match:
                matches.append((match, _activities(match.group("before"), False)))
            start = low.find(" and other ", start + 1)
        for match, words in matches:
            if len(words) >= 2:
                items = [Item(w[0].upper() + w[1:], text, match.group(0), i, None, i) for w in words]
                section, level = _heading_above(flow, i)
                group = Group("prose", items, i, i, section, level, match.group(0), kind="exercises")
                group.in_main = 1.0
                groups.append(group)
    return groups


def howto_groups(json_ld: list[dict], title: str) -> list[Group]:
    """schema.org HowTo / ExercisePlan steps from the page's JSON-LD, and a
    video's chapters (VideoObject ``hasPart`` Clips: "Pendulum", "Elbow
    bends"), which name what the video shows as a HowTo's steps do."""
    groups = []
    for obj in json_ld:
        types = obj.get("@type")
        types = {str(t).lower() for t in (types if isinstance(types, list) else [types])}
        if not types & {"howto", "exerciseplan", "videoobject"}:
            continue
        if "videoobject" in types:
            steps = [part for part in (obj.get("hasPart") if isinstance(obj.get("hasPart"), list) else [])
                     if isinstance(part, dict) and str(part.get("@type", "")).lower() == "clip"]
        else:
            steps = obj.get("step") or obj.get("steps") or obj.get("exercise") or []
        if isinstance(steps, dict):
            steps = [steps]
        items = []
        for step in steps if isinstance(steps, list) else []:
            inner_steps = [step]
            if isinstance(step, dict) and str(step.get("@type", "")).lower() == "howtosection":
                inner_steps = step.get("itemListElement") or []
                inner_steps = inner_steps if isinstance(inner_steps, list) else []
            for inner in inner_steps:
                if isinstance(inner, dict):
                    text = " ".join(str(inner.get("text") or inner.get("description") or "").split())
                    name = str(inner.get("name") or first_sentence(text))
                    items.append(Item(tidy_name(name), text, name, 10**6, None, 10**6))
                elif isinstance(inner, str):
                    items.append(Item(tidy_name(first_sentence(inner)), inner, inner, 10**6, None, 10**6))
        if len(items) >= 2:
            kind = "exercises" if "exerciseplan" in types else None
            group = Group("howto", items, 10**6, 10**6, str(obj.get("name") or ""), 0, "", numbered=True, kind=kind)
            group.in_main = 1.0
            groups.append(group)
    return groups


READINGS = (heading_groups, list_groups, bold_paragraph_groups, repeated_label_groups, bold_line_groups,
            numbered_line_groups, colon_paragraph_groups, numbered_paragraph_groups, bullet_paragraph_groups,
            line_list_groups, table_groups, dl_groups, workout_groups, dosage_line_groups, exercise_steps_groups,
            prose_exercise_groups)


def candidate_groups(flow: list[Block], title: str, json_ld: list[dict]) -> list[Group]:
    """Every reading of the flow as lists, in document order."""
    groups: list[Group] = []
    for reading in READINGS:
        groups.extend(reading(flow, title))
    groups.extend(howto_groups(json_ld, title))
    for group in groups:
        group.items = [item for item in group.items if item.name]
    return sorted((g for g in groups if g.items), key=lambda g: (g.start, -g.end))
