"""Curated vocabularies kept in the repo, versioned: the alias table of
treatments and exercises, conditions with their ICD-10-CM codes, and body
regions. Plain data files beside this module (README.md there says where
each came from and under which licence); these functions only read them.

Both dedupe (entities, condition codes) and recommend (same condition, same
body region) use them, so they live here rather than in either stage.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORD_RE = re.compile(r"[^\W_]+")


def singular(word: str) -> str:
    """A crude English singular, enough to make 'stretches' meet 'stretch'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def plain_words(text: str) -> list[str]:
    """Lower-cased words with apostrophes dropped ("child's" -> "childs") and
    hyphens as spaces: the form names are compared in."""
    text = unicodedata.normalize("NFC", (text or "").lower()).replace("’", "'").replace("'", "")
    return WORD_RE.findall(text.replace("-", " "))


# -- treatments and exercises -------------------------------------------------------


@dataclass(frozen=True)
class Concept:
    """One treatment or exercise under the name people recognise."""
    id: str
    kind: str                      # treatment, exercise
    label: str                     # the name shown: "Ice pack"
    category: str | None
    aliases: tuple[str, ...]
    broader: tuple[str, ...]       # ids of wider concepts (ibuprofen -> nsaid): related, never merged
    links: tuple[dict, ...]        # [{"vocabulary": "free-exercise-db", "id": "Plank"}]


@dataclass(frozen=True)
class AliasTable:
    version: str
    concepts: dict[str, Concept]
    ignore_words: frozenset[str]   # words a treatment name may add around a known name

    def broader_chain(self, concept_id: str) -> list[Concept]:
        """Every wider concept of one, nearest first (ibuprofen: NSAID, then pain reliever)."""
        seen: list[Concept] = []
        todo = list(self.concepts[concept_id].broader) if concept_id in self.concepts else []
        while todo:
            wider = self.concepts.get(todo.pop(0))
            if wider is not None and wider not in seen:
                seen.append(wider)
                todo.extend(wider.broader)
        return seen


@lru_cache(maxsize=None)
def load_aliases(path: str | None = None) -> AliasTable:
    data = json.loads(Path(path or HERE / "aliases.json").read_text(encoding="utf-8"))
    concepts = {}
    for c in data["concepts"]:
        concepts[c["id"]] = Concept(c["id"], c["kind"], c["label"], c.get("category"), tuple(c["aliases"]),
                                    tuple(c.get("broader", ())), tuple(c.get("links", ())))
    for concept in concepts.values():
        for wider in concept.broader:
            if wider not in concepts:
                raise ValueError(f"aliases.json: concept {concept.id!r} names an unknown broader concept {wider!r}")
    return AliasTable(str(data["version"]), concepts, frozenset(data.get("ignore_words", ())))


# -- body regions ---------------------------------------------------------------------


@dataclass(frozen=True)
class BodyRegions:
    version: str
    parent: dict[str, str | None]
    term_region: dict[str, str]     # "lumbar" -> "lower back"
    pattern: re.Pattern             # every term, longest first
    not_region: re.Pattern | None   # "get back to running" names no body part


@lru_cache(maxsize=None)
def load_body_regions() -> BodyRegions:
    data = json.loads((HERE / "body_regions.json").read_text(encoding="utf-8"))
    parent, term_region = {}, {}
    for entry in data["regions"]:
        parent[entry["region"]] = entry.get("parent")
        term_region[entry["region"]] = entry["region"]
        for term in entry["terms"]:
            term_region[" ".join(plain_words(term))] = entry["region"]
    terms = sorted(term_region, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\b")
    phrases = [" ".join(plain_words(p)) for p in data.get("not_region_phrases", ())]
    not_region = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b") if phrases else None
    return BodyRegions(str(data["version"]), parent, term_region, pattern, not_region)


def body_region_of(*texts: str | None) -> str | None:
    """The first body region named in the first text that names one
    ("Sciatica" -> "lower back", "How To Treat Runner's Knee" -> "knee")."""
    regions = load_body_regions()
    for text in texts:
        if not text:
            continue
        plain = " ".join(plain_words(text))
        if regions.not_region is not None:
            plain = regions.not_region.sub(" ", plain)
        match = regions.pattern.search(plain)
        if match:
            return regions.term_region[match.group(0)]
    return None


def normalise_region(value: str | None) -> str | None:
    """A region as extraction wrote it ("Lower Back", "lumbar") in this vocabulary's words."""
    if not value:
        return None
    regions = load_body_regions()
    plain = " ".join(plain_words(value))
    return regions.term_region.get(plain) or body_region_of(value)


def same_region(a: str | None, b: str | None) -> bool:
    """Equal, or one is the other's broader region ('back' and 'lower back');
    'lower back' and 'upper back' are not the same region."""
    if not a or not b:
        return False
    if a == b:
        return True
    parent = load_body_regions().parent
    return parent.get(a) == b or parent.get(b) == a


# -- conditions and ICD-10-CM ------------------------------------------------------------


@dataclass(frozen=True)
class ConditionConcept:
    id: str
    label: str
    code: str | None               # ICD-10-CM, None where no code fits
    title: str | None              # the code's official title (checked against the package by a test)
    match: str | None              # exact, close
    body_region: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ConditionTable:
    version: str
    by_alias: dict[str, ConditionConcept]
    alias_text: dict[str, str]     # plain words of an alias -> the alias as the table writes it ("alzheimer's disease")
    headline_pattern: re.Pattern   # every alias but the not_in_headlines ones, longest first, in plain words


def _condition_form(name: str) -> str:
    words = plain_words(name)
    if words and words[0] in ("a", "an", "the"):
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=None)
def load_conditions() -> ConditionTable:
    data = json.loads((HERE / "conditions.json").read_text(encoding="utf-8"))
    by_alias: dict[str, ConditionConcept] = {}
    alias_text: dict[str, str] = {}
    for c in data["conditions"]:
        concept = ConditionConcept(c["id"], c["label"], c.get("code"), c.get("title"), c.get("match"),
                                   c.get("body_region"), tuple(c["aliases"]))
        for alias in (c["label"], *c["aliases"]):
            by_alias.setdefault(_condition_form(alias), concept)
            # Found with its article ("a cold"), named without it ("cold").
            alias_text.setdefault(" ".join(plain_words(alias)), re.sub(r"^(?:a|an|the)\s+", "", alias.lower()))
    ambiguous = {" ".join(plain_words(a)) for a in data.get("not_in_headlines", ())}
    forms = sorted((f for f in alias_text if f and f not in ambiguous), key=len, reverse=True)
    headline_pattern = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")\b")
    return ConditionTable(str(data["version"]), by_alias, alias_text, headline_pattern)


def condition_concept(name: str | None) -> ConditionConcept | None:
    """The curated condition a name stands for ("a stiff neck" -> neck pain), or None."""
    if not name:
        return None
    return load_conditions().by_alias.get(_condition_form(name))


def condition_named_in(text: str | None) -> str | None:
    """The curated condition a headline names, in the table's words: the
    longest alias it holds word for word ("Chicken Noodle Soup for Low Back
    Pain" -> "low back pain", "Best Office Chairs for Back Pain Relief" ->
    "back pain", "Lebensmittel gegen Erkältung" -> "erkältung"); None when
    it names none.

    A headline's grammar ("How to treat X") finds conditions the table does
    not know, but also takes in what stands around them ("best office
    chairs for back pain"); a name from the table is the one that other
    articles on the condition share (:func:`condition_key`).
    """
    if not text:
        return None
    # ("Stress-Free Meal Prep", "Allergy-Proof Bedroom": an X-free thing is not about X.)
    text = X_FREE.sub(" ", text)
    table = load_conditions()
    found = table.headline_pattern.findall(" ".join(plain_words(text)))
    return table.alias_text[max(found, key=len)] if found else None


X_FREE = re.compile(r"\b[\w']+-(?:free|proof|frei)\b", re.I)


def condition_key(name: str | None) -> str | None:
    """What two articles must share to be on the same condition: the curated
    concept where the table knows the name ("low back pain" = "lower back
    pain"), else the name in plain words."""
    if not name:
        return None
    concept = condition_concept(name)
    return f"c:{concept.id}" if concept else _condition_form(name) or None


def condition_label(name: str | None) -> str | None:
    """The condition as a reader says it: the name the article uses, in lower case."""
    return " ".join(name.split()).lower() if name else None


def condition_region(name: str | None) -> str | None:
    """The body region a condition sits in: the curated one, else its words."""
    concept = condition_concept(name)
    if concept is not None:
        return concept.body_region
    return body_region_of(name)


@dataclass(frozen=True)
class CodeLink:
    code: str
    title: str                     # the official ICD-10-CM title
    match: str                     # exact, close, title (the name is the code's own title or inclusion term)
    source: str


def _icd():
    """The simple-icd-10-cm module; it parses its bundled XML on import
    (about a second) and warns about an importlib API it still uses."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm
    return simple_icd_10_cm


def icd10cm_source() -> str:
    from importlib.metadata import version

    return f"simple-icd-10-cm {version('simple-icd-10-cm')} (ICD-10-CM tabular list, CDC/NCHS, public domain)"


@lru_cache(maxsize=None)
def _icd_titles() -> dict[str, str]:
    """Plain-word title and inclusion term -> code, for every ICD-10-CM code
    (shortest code first, so a category wins over its 'unspecified' child)."""
    cm = _icd()
    index: dict[str, str] = {}
    for code in sorted(cm.get_all_codes(True), key=lambda c: (len(c), c)):
        if cm.is_chapter_or_block(code):
            continue
        for term in (cm.get_description(code), *cm.get_inclusion_term(code)):
            form = _condition_form(re.sub(r",?\s*(?:unspecified|NOS)$", "", term))
            index.setdefault(form, code)
    return index


def icd10cm_link(name: str | None) -> CodeLink | None:
    """The ICD-10-CM code for a condition name, with no network: the curated
    table's code first (its title stored beside it), else a code whose own
    title or inclusion term in the simple-icd-10-cm package is the name word
    for word. None when neither fits: a wrong code is worse than none.

    The package is imported only for names the table does not know: parsing
    its tabular list costs about 150 MB and a second.
    """
    if not name:
        return None
    table = load_conditions()
    concept = condition_concept(name)
    if concept is not None:
        if not concept.code:
            return None
        return CodeLink(concept.code, concept.title or concept.code, concept.match or "exact",
                        f"pipeline/vocab/conditions.json {table.version}, checked against {icd10cm_source()}")
    code = _icd_titles().get(_condition_form(name))
    if code is None:
        return None
    return CodeLink(code, _icd().get_description(code), "title", icd10cm_source())
