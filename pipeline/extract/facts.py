"""Facts parsed out of the text of one treatment or exercise.

Plain functions from a string to a value; none of them raises on any input
(the property tests feed them arbitrary text).
"""

from __future__ import annotations

import re
from functools import lru_cache

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "ninety": 90, "half a": 0.5, "a half": 0.5,
    # German, for the German pages the corpus holds
    "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
    "zehn": 10, "zwanzig": 20, "dreißig": 30,
}
_WORDS = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS if w not in ("a", "an")), key=len, reverse=True))
# Number words become digits once per text, so the patterns below only look
# for digits: a 40-word alternation inside every pattern made them slow.
NUMBER_WORD_RE = re.compile(
    rf"\b(?:(?P<tens>twenty|thirty|forty|fifty)[- ](?P<ones>one|two|three|four|five|six|seven|eight|nine)"
    rf"|(?P<word>{_WORDS})|(?P<article>an?)(?=\s+(?:second|minute|min\b)))\b",
    re.I,
)
NUM = r"(?:\d+(?:[.,]\d+)?)"


@lru_cache(maxsize=512)
def normalise_numbers(text: str) -> str:
    """'hold for seven seconds' -> 'hold for 7 seconds'; 'a minute' -> '1 minute'."""
    def replace(match: re.Match) -> str:
        if match.group("tens"):
            return str(NUMBER_WORDS[match.group("tens").lower()] + NUMBER_WORDS[match.group("ones").lower()])
        if match.group("article"):
            return "1"
        value = NUMBER_WORDS[match.group("word").lower()]
        return str(int(value)) if float(value).is_integer() else str(value)

    return NUMBER_WORD_RE.sub(replace, text)


UNIT = r"(?P<unit>seconds?|secs?|s\b|minutes?|mins?|sekunden|minuten)"
APPROX = r"(?:about|around|approximately|roughly|at least|up to|a slow|a full|ca\.|etwa|mindestens)?\s*"
RANGE = rf"(?P<n>{NUM})(?:\s*(?:-|–|to|or|bis)\s*(?P<m>{NUM}))?"


def number(text: str) -> float | None:
    """'7' -> 7, 'seven' -> 7, 'twenty-five' -> 25, '2,5' -> 2.5; None if not a number."""
    text = text.strip().lower()
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        pass
    if text in NUMBER_WORDS:
        return float(NUMBER_WORDS[text])
    parts = re.split(r"[- ]", text)
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return float(NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]])
    return None


def _seconds(value: float | None, unit: str) -> int | None:
    if value is None:
        return None
    unit = unit.lower()
    factor = 60 if unit.startswith(("min",)) else 1
    return int(round(value * factor))


# A hold: "hold (this position) for about five seconds", "stay here for 30
# seconds", "a 30-second hold", "hold for a 10-second count", "hold 1 minute".
HOLD_PATTERNS = [
    re.compile(rf"\b(?:hold|holding|stay|remain|keep (?:it|this|the position)|halten|halte)\b[^.;:!?]{{0,60}}?\b(?:for\s+)?{APPROX}(?:a\s+)?{RANGE}[- ]?{UNIT}", re.I),
    re.compile(rf"\b{APPROX}(?:a\s+)?{RANGE}[- ]?{UNIT}[- ](?:hold|stretch|count|isometric)\b", re.I),
    re.compile(rf"\bfor\s+{APPROX}{RANGE}[- ]?{UNIT}\s+(?:each|per side|on each side)?[^.;]{{0,20}}\bhold", re.I),
]
REST_PATTERNS = [
    re.compile(rf"\b(?:rest|relax|pause|break|recover|recovery)\b[^.;:!?]{{0,25}}?\b(?:for\s+)?{APPROX}(?:a\s+)?{RANGE}[- ]?{UNIT}", re.I),
    re.compile(rf"\b{APPROX}(?:a\s+)?{RANGE}[- ]?{UNIT}\s+(?:of\s+)?(?:rest|recovery|break|pause)\b", re.I),
    re.compile(r"\b(?:a|one)\s+(?P<unit>minute)\s+(?:of\s+)?(?:rest|recovery)\b", re.I),
]
REPS = [
    re.compile(rf"\b(?:repeat|do|perform|complete|aim for)?\s*(?:this\s+|it\s+|the (?:exercise|stretch|movement)\s+)?{RANGE}\s+(?:slow\s+|full\s+|more\s+|controlled\s+|gentle\s+)?(?:times|reps|repetitions|wiederholungen|mal)\b", re.I),
    re.compile(rf"\brepeat\b[^.;]{{0,30}}?{RANGE}\s+times\b", re.I),
    re.compile(rf"\b{RANGE}\s+reps?\b", re.I),
]
SETS_PATTERNS = [
    re.compile(rf"\b{RANGE}\s+(?:sets|rounds|sätze|durchgänge)\b", re.I),
    re.compile(rf"\b(?:sets|rounds):\s*{RANGE}\b", re.I),
]
LEADING_COUNT = re.compile(r"^\s*(?P<n>\d{1,4})\s+(?!(?:minutes?|mins?|seconds?|secs?|miles?|km|kilometers?|meters?|m|yards?|calories|kg|lbs?|pounds)\b)(?P<rest>[A-Za-z].*)$")


def _first_range(pattern: re.Pattern, text: str) -> tuple[float | None, float | None, str | None, re.Match | None]:
    match = pattern.search(text)
    if not match:
        return None, None, None, None
    groups = match.groupdict()
    n = number(groups.get("n") or "")
    m = number(groups.get("m") or "") if groups.get("m") else None
    return n, m, groups.get("unit"), match


HOLD_WORDS = ("hold", "stay", "remain", "keep", "halt", "second", "sekund")
REST_WORDS = ("rest", "relax", "pause", "break", "recover")


def hold_seconds(text: str) -> int | None:
    """Seconds a position is held, from the exercise's text; None if it says none.

    Rest periods are removed first: "rest for 10 seconds" is not a hold.
    A range ("20 to 30 seconds") gives its lower bound; see hold_range.
    """
    low, _ = hold_range(text)
    return low


def hold_range(text: str) -> tuple[int | None, int | None]:
    """(lowest, highest) seconds of a hold; both equal when one number is given."""
    try:
        cleaned = normalise_numbers(text or "")
        lowered = cleaned.lower()
        if not any(word in lowered for word in HOLD_WORDS):
            return None, None  # the cheap test first: most text holds nothing
        if any(word in lowered for word in REST_WORDS):
            for pattern in REST_PATTERNS:
                cleaned = pattern.sub(" ", cleaned)
        for pattern in HOLD_PATTERNS:
            n, m, unit, _ = _first_range(pattern, cleaned)
            if n is not None and unit:
                low = _seconds(n, unit)
                high = _seconds(m, unit) if m is not None else low
                if low is not None and 0 < low <= 3600:
                    return low, high
    except (re.error, ValueError, OverflowError):  # pathological input: no fact rather than a crash
        return None, None
    return None, None


def rest_seconds(text: str) -> int | None:
    """Seconds of rest between repetitions or sets."""
    try:
        text = normalise_numbers(text or "")
        found = []
        for pattern in REST_PATTERNS:
            match = pattern.search(text)
            if match:
                found.append(match)
        if not found:
            return None
        match = min(found, key=lambda m: m.start())
        value = number(match.groupdict().get("n") or "") if match.groupdict().get("n") else 1.0
        return _seconds(value, match.group("unit") or "s")
    except (ValueError, OverflowError):
        return None


def reps(text: str, name: str = "") -> int | None:
    """Repetitions: 'repeat 10 times', '8 to 12 repetitions' (-> 8), '150 Burpee pull-ups' (-> 150)."""
    try:
        lead = LEADING_COUNT.match(name or "")
        if lead:
            return int(lead.group("n"))
        text = normalise_numbers(text or "")
        for pattern in REPS:
            n, _, _, match = _first_range(pattern, text)
            if n is not None and 0 < n < 10_000:
                return int(n)
    except (ValueError, OverflowError):
        return None
    return None


def sets(text: str) -> int | None:
    """Sets or rounds: 'Complete 2 sets', '3 rounds'."""
    try:
        text = normalise_numbers(text or "")
        for pattern in SETS_PATTERNS:
            n, _, _, _ = _first_range(pattern, text)
            if n is not None and 0 < n < 100:
                return int(n)
    except (ValueError, OverflowError, TypeError):
        return None
    return None


POSITIONS = [
    (re.compile(r"\b(?:lie|lay|lying|laying)\s+(?:down\s+)?(?:flat\s+)?on\s+your\s+back\b|\blie\s+face\s*up\b|\bsupine\b", re.I), "lying on your back"),
    (re.compile(r"\b(?:lie|lay|lying|laying)\s+(?:down\s+)?(?:flat\s+)?(?:on\s+your\s+(?:stomach|front|belly)|face\s*down)\b|\bprone\b", re.I), "lying face down"),
    (re.compile(r"\b(?:lie|lay|lying|laying)\s+on\s+your\s+(?:left\s+|right\s+)?side\b", re.I), "lying on your side"),
    (re.compile(r"\b(?:on\s+(?:all\s+fours|your\s+hands\s+and\s+knees)|kneel(?:ing)?\s+on\s+all\s+fours|vierfüßlerstand)\b", re.I), "on all fours"),
    (re.compile(r"\bkneel(?:ing|s)?\b", re.I), "kneeling"),
    (re.compile(r"\b(?:sit|sitting|seated)\b", re.I), "sitting"),
    (re.compile(r"\b(?:stand|standing)\b", re.I), "standing"),
    (re.compile(r"\bprop yourself up on your forearms\b|\bplank position\b", re.I), "plank"),
]


def body_position(text: str) -> str | None:
    """The starting position an exercise describes: 'lying on your back', 'on all fours'..."""
    try:
        best = None
        for pattern, label in POSITIONS:
            match = pattern.search(text or "")
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), label)
        return best[1] if best else None
    except (ValueError, TypeError):
        return None


TREATMENT_CATEGORIES = [
    ("medication", r"medic|drug|nsaid|ibuprofen|naproxen|aspirin|acetaminophen|paracetamol|pain ?reliever|painkiller|"
                   r"diclofenac|cream|ointment|gel\b|pill|tablet|supplement|vitamin|multivitamin|prescription|antibiotic|medikament"),
    ("heat", r"\bheat|heating pad|hot water|warm (?:bath|compress|towel)|\bwarmth|wärme"),
    ("cold", r"\bice\b|\bicing\b|cold (?:pack|compress)|\bcold\b|kälte|\beis\b"),
    ("massage", r"massag"),
    ("professional care", r"doctor|physician|\bgp\b|physio|therapist|chiropract|specialist|consult|pediatrician|"
                          r"professional|clinic|hospital|emergency|\barzt|ärzt"),
    ("rest", r"\brest\b|relax|\bsleep|\bnap\b|ruhe|schlaf"),
    ("exercise", r"exercis|stretch|yoga|pilates|walk|\brun|jog|swim|cycl|bike|workout|train|active|\bgames?\b|sport|"
                 r"bewegung|spazier|übung|workouts?"),
    ("diet", r"\beat|food|diet|meal|drink|water|sugar|carb|calor|fruit|vegetable|gemüse|obst|snack|portion|protein|"
             r"sweetener|grain|\boil\b|meat|fish|omega|plate|dip|chips|essen|lebensmittel|getränk|bissen|hydrat"),
    ("prevention", r"prevent|posture|avoid|lift|ergonom|shoe|footwear|insole|brace|habit|routine|schedule|track|weigh|goal|prioriti|monitor|"
                   r"vermeid|vorbeug"),
]
_CATEGORY_RES = [(name, re.compile(pattern, re.I)) for name, pattern in TREATMENT_CATEGORIES]


def treatment_category(name: str, text: str = "") -> str:
    """One of: medication, heat, cold, rest, professional care, prevention,
    exercise, massage, diet, other. The name decides first; the text breaks ties."""
    for source in (name or "", text or ""):
        for category, pattern in _CATEGORY_RES:
            if pattern.search(source):
                return category
    return "other"


MEDICINES = re.compile(
    r"\b(?:non-?steroidal anti-?i?nflammatory drugs?(?: \(NSAIDs?\))?|NSAIDs?|ibuprofen|naproxen|aspirin|"
    r"acetaminophen|paracetamol|diclofenac|muscle relaxants?|corticosteroids?|cortisone|antibiotics?|"
    r"antihistamines?|opioids?|codeine|tramadol|gabapentin|melatonin|paxlovid|insulin|metformin|statins?|"
    r"capsaicin|menthol|lidocaine|triptans?|sumatriptan|magnesium|multivitamins?|vitamin [A-K]\d*)\b",
    re.I,
)
WARNING_CONTEXT = re.compile(
    r"(?:sign|signs|symptom|indicate|mean|caused by|due to)\b[^.]{0,40}?\b(?:such as|like|including)\s+([^.]+)", re.I
)


def medicines(text: str) -> list[str]:
    """Medicines a text mentions, in order, without repeats."""
    seen: list[str] = []
    for match in MEDICINES.finditer(text or ""):
        word = match.group(0)
        if word.lower() not in (s.lower() for s in seen):
            seen.append(word)
    return seen


def warning_conditions(text: str) -> list[str]:
    """Conditions a text warns of: '... a sign of something serious, such as
    kidney infection (pyelonephritis), slipped disc or osteoarthritis'."""
    found: list[str] = []
    for match in WARNING_CONTEXT.finditer(text or ""):
        for part in re.split(r",\s*|\s+(?:or|and)\s+", match.group(1)):
            part = part.strip(" .;:")
            if 2 < len(part) < 60 and part.lower() not in (f.lower() for f in found):
                found.append(part)
    return found
