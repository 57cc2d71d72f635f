"""The extract stage: HTML (text plus URL) -> one plain record.

:func:`extract_page` never raises: a page it cannot read comes back with
``status`` "failed" or "not_article" and a ``reason``. Generic rules do the
work; a source's ``extract:`` rules in sources.yaml (CSS selectors by field)
override them where a site needs it, in the spirit of recipe-scrapers.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from pipeline.extract.candidates import name_from_text, tidy_name
from pipeline.extract.content import (body_text, link_density, main_container, mark_css_headings, remove_boilerplate,
                                      remove_junk)
from pipeline.extract.metadata import (body_region, condition_from_title, extract_metadata, guess_language,
                                       types_of)
from pipeline.extract.related import link_title, related_links
from pipeline.extract.scoring import Model, PageContext, page_context
from pipeline.extract.sections import FoundItem, exercise_record, find_items, treatment_record
from pipeline.extract.sites import Site, site_for
from pipeline.extract.structure import build_flow, clean_text, leading_bold
from pipeline.extract.vocabulary import HEALTH_PAGE_DENSITY, health_density, health_topic_hits
from pipeline.decoding import decode_html, repair_mojibake
from pipeline.urls import BadURL, absolute_url, canonical_url
from pipeline.vocab import condition_named_in

# Bump when a change alters what extraction yields: `pipeline extract` then
# re-extracts every page.
EXTRACTOR_VERSION = "2.87"
MAX_HTML_CHARS = 4_000_000
MIN_ARTICLE_WORDS = 80
TIME_BUDGET_SECONDS = 10.0


class TimeBudgetExceeded(Exception):
    """A page took longer than TIME_BUDGET_SECONDS: recorded as failed, with this as its reason."""


def check_budget(started: float, phase: str) -> None:
    if time.monotonic() - started > TIME_BUDGET_SECONDS:
        raise TimeBudgetExceeded(f"time budget exceeded ({TIME_BUDGET_SECONDS:g} s) while {phase}")


def is_health_text(title: str, description: str, body: str, density: float | None = None,
                   names_condition: bool = False) -> bool:
    """Could this page be about health, fitness or well-being? A lenient gate:
    only pages that almost never use the vocabulary are left out here; how
    much a page is about health is one of the scorer's signals after it.

    A title or description that names a health topic, or a headline that
    names a condition of the curated table (``names_condition``: "Tinnitus",
    "Hemorrhoids", "Vertigo", whose pages the general vocabulary barely
    touches), lets in a page whose text uses the vocabulary in 0.2 % of its
    words (anger, sleep training, dental care: the issue's pages); without
    one the text must carry it (``HEALTH_PAGE_DENSITY``)."""
    head_hits = health_topic_hits(f"{title} {description}") + names_condition
    density = health_density(body) if density is None else density
    return head_hits >= 1 and density >= 0.002 or density >= HEALTH_PAGE_DENSITY


def is_recipe(metadata: dict, body: str) -> bool:
    for obj in metadata["json_ld"]:
        value = obj.get("@type")
        types = {str(t).lower() for t in (value if isinstance(value, list) else [value])}
        if "recipe" in types:
            return True
    return bool(re.search(r"(?im)^\s*ingredients\s*:?\s*$", body) and
                re.search(r"(?im)^\s*(?:directions|instructions|method|preparation)\s*:?\s*$", body))


PRODUCT_TYPES = {"product", "productgroup", "individualproduct", "productmodel", "softwareapplication",
                 "mobileapplication", "webapplication"}
# What an article says it is, beside a product it may review (not "WebPage": a shop's product page is one too).
WRITTEN_TYPES = {"article", "newsarticle", "blogposting", "medicalwebpage", "howto", "medicalscholarlyarticle",
                 "report", "healthtopiccontent", "reportagenewsarticle", "analysisnewsarticle", "techarticle",
                 "scholarlyarticle", "review", "faqpage"}


# A product recall or safety notice ("Recall: Children's ibuprofen ...",
# "Field safety notice"): its steps return a product, they treat nothing.
RECALL_NOTICE = re.compile(r"^\W*(?:(?:urgent|voluntary|product|drugs?|medicines?|devices?|class\s+\d)\s+)*recall(?:ed|s)?\b|"
                           r"\bfield\s+safety\s+notice\b|\brückruf\b|\brappel\s+de\s+(?:lot|produit)|"
                           r"\bretirada\s+del\s+mercado\b", re.I)


# A page about an animal's health ("Exercises for Dogs With Hip Dysplasia",
# "Arthritis in cats", "your dog's joints"): the dataset is people's health.
ANIMAL_PATIENT = re.compile(
    r"\b(?:for|in|with)\s+(?:(?:your|older|senior|young|large|small)\s+)?(?:dogs?|pupp(?:y|ies)|cats?|kittens?|pets?|"
    r"horses?|rabbits?)\b|\byour\s+(?:dog|cat|puppy|kitten|pet|horse)['’]?s?\b|\b(?:dog|cat|puppy|pet|horse)['’]s\b|"
    r"\bbei\s+(?:hunden|katzen)\b|\bchez\s+(?:le\s+chien|le\s+chat|les\s+chiens|les\s+chats)\b|"
    r"\ben\s+(?:perros|gatos)\b",
    re.I)


# A hospital's or a practice's page for visitors ("Visiting times and guidance", "Opening hours").
VISITOR_INFORMATION = re.compile(r"\b(?:visiting\s+(?:times|hours)|opening\s+(?:times|hours)|getting\s+here|parking|"
                                 r"how\s+to\s+find\s+us|besuchszeiten|öffnungszeiten|horaires\s+de\s+visite|"
                                 r"horarios?\s+de\s+visitas?)\b", re.I)


# An organisation's policy or code ("Staff social media policy", "Visiting
# policy", "Code of conduct", "Cancellation policy").
ORGANISATION_POLICY = re.compile(r"\b(?:(?:social\s+media|visiting|visitor|cancellation|privacy|cookie|"
                                 r"complaints?|safeguarding|data\s+protection|staff|refund|booking)\s+polic(?:y|ies)|"
                                 r"code\s+of\s+conduct|terms\s+(?:and|&)\s+conditions)\b", re.I)


# A page about looks or money, not health ("How to Apply Foundation Like a
# Makeup Artist", "9 Habits That Cut Our Grocery Bill by a Third (Without
# Eating Worse)"): LABELING.md's non-health listicles, which the health
# gate lets in for their skin and food words. (Not when the headline also
# names health or training: "Healthy eating on a budget", "Eating well on
# a budget", "Make-up for acne-prone skin", "A home gym on a budget".)
LOOKS_OR_MONEY = re.compile(
    r"\b(?:make[\s-]?up|foundation|concealer|mascara|eyeliner|eyeshadow|lipstick|contour(?:ing)?|bronzer|"
    r"nail\s+(?:polish|art)|hairstyles?|updo|manicure|pedicure|schminken|maquillage|maquillaje|"
    r"(?:grocery|food|energy|shopping|heating)\s+bills?|budget(?:ing)?|save\s+money|saving\s+money|spend\s+less|"
    r"cost\s+of\s+living|frugal|debt|money[\s-]saving|geld\s+sparen|économiser|ahorrar\s+dinero)\b", re.I)
HEALTH_IN_HEADLINE = re.compile(r"\b(?:health\w*|nutrition\w*|diet\w*|eating\s+well|eat\s+well|acne|eczema|rosacea|"
                                r"psoriasis|sensitive\s+skin|"
                                r"allerg\w*|pain|gesund\w*|santé|salud|gym|workouts?|exercis\w*|fitness|training|"
                                r"yoga|pilates|stretch\w*)", re.I)


# A how-to of a service, not of care: "How to book your first physiotherapy
# appointment online", "How to claim for physio", "Termin online buchen".
SERVICE_HOWTO = re.compile(
    r"^\W*(?:how\s+to\s+(?:book|make\s+an?\s+appointment|cancel|reschedule|register|sign\s+up|pay|claim|order|renew|"
    r"refer\s+yourself|self[\s-]refer|get\s+a\s+referral)|booking\s+(?:an?\s+|your\s+)?(?:appointment|consultation)|"
    r"(?:so\s+buchen\s+sie|termin\s+(?:online\s+)?buchen)|comment\s+prendre\s+rendez[\s-]vous|"
    r"cómo\s+pedir\s+cita)\b", re.I)


# A prize draw ("GIVEAWAY: Win a 10-Class Reformer Pilates Pass"): "How to
# enter" is no advice.
GIVEAWAY = re.compile(r"\b(?:giveaway|sweepstakes?|prize\s+draw|gewinnspiel|verlosung|concours|jeu-concours|sorteo)\b",
                      re.I)


def is_product_page(metadata: dict) -> bool:
    """A shop's page for one product (og:type "product", or a schema.org
    Product and no article about it): LABELING.md's negative, whose "How to
    use" steps and warnings are no advice. A review or an article that marks
    up the products it recommends says it is an article."""
    if (metadata.get("page_type") or "").startswith("product"):
        return True
    types = [types_of(obj) for obj in metadata["json_ld"]]
    return any(t & PRODUCT_TYPES for t in types) and not any(t & WRITTEN_TYPES for t in types)


def no_advice_reason(metadata: dict, title: str) -> str | None:
    """Why a page that speaks of health gives no advice, by what it is
    (LABELING.md's negatives): a shop's product page, a recall notice, a
    page about an animal, a page for visitors. None for any other page.
    (A source's own selectors in sources.yaml override this.)"""
    if is_product_page(metadata):
        return "a product page: its how-to-use steps are not treatments"
    if RECALL_NOTICE.search(title):
        return "a recall notice: what to do with a product is no treatment"
    if ANIMAL_PATIENT.search(title):
        return "about an animal's health, not a person's"
    if VISITOR_INFORMATION.search(title):
        return "visitor information: its rules treat nothing"
    if LOOKS_OR_MONEY.search(title) and not HEALTH_IN_HEADLINE.search(title):
        return "about looks or money, not health"
    if SERVICE_HOWTO.search(title):
        return "how to use a service: its steps book, pay or register"
    if ORGANISATION_POLICY.search(title):
        return "an organisation's policy: its rules are for staff or visitors, no care"
    if GIVEAWAY.search(title):
        return "a giveaway: its steps enter a draw"
    return None


def _failed(url: str, status: str, reason: str) -> dict:
    return {"url": url, "status": status, "reason": reason, "extractor_version": EXTRACTOR_VERSION,
            "treatments": [], "exercises": [], "related": []}


CONTROL_CHARS = re.compile(r"[\x01-\x08\x0b\x0e-\x1f]")


def looks_binary(text: str) -> bool:
    sample = text[:4096]
    if "\x00" in sample:
        return True
    return len(CONTROL_CHARS.findall(sample)) > len(sample) * 0.05


def extract_page(html: str | bytes, url: str, rules: dict | None = None, model: Model | None = None,
                 site_rules: bool = True) -> dict:
    """Extract one page into a plain record (see the README for its fields).

    ``rules`` are a source's CSS selectors from sources.yaml; they take
    precedence over the site class's (pipeline/extract/sites). ``model`` is a
    scorer other than the shipped one (the training script's
    leave-one-site-out runs pass theirs); ``site_rules=False`` measures the
    generic rules alone."""
    try:
        if isinstance(html, bytes):
            html = decode_html(html)[0]
        html = repair_mojibake(html)
        if not html or not html.strip():
            return _failed(url, "failed", "empty page")
        if looks_binary(html):
            return _failed(url, "failed", "binary content, not HTML")
        truncated = len(html) > MAX_HTML_CHARS
        if truncated:
            html = html[:MAX_HTML_CHARS]
        site = site_for(url) if site_rules else None
        record = _extract(html, url, site.rules(rules) if site else (rules or {}), model, site)
        if truncated:
            record["reason"] = (record.get("reason") or "") + f"page truncated to {MAX_HTML_CHARS} characters"
        return record
    except RecursionError:
        return _failed(url, "failed", "HTML nested too deeply")
    except TimeBudgetExceeded as exc:
        return _failed(url, "failed", str(exc))
    except Exception as exc:  # a bug or a page nobody foresaw: record it, lose nothing else
        return _failed(url, "failed", f"extractor error: {type(exc).__name__}: {exc}"[:300])


def _select_text(tree: LexborHTMLParser, selector: str | None) -> str | None:
    if not selector:
        return None
    node = tree.css_first(selector)
    if node is None:
        return None
    attrs = node.attributes
    value = attrs.get("content") or attrs.get("datetime") or node.text(deep=True)
    return " ".join((value or "").split()) or None


def _rule_items(tree: LexborHTMLParser, selector: str, kind: str) -> list[FoundItem]:
    """Items a site rule's CSS selector points at: headings name the text after them."""
    items = []
    for node in tree.css(selector):
        text = clean_text(node.text(deep=True) or "").replace("\n", " ")
        if node.tag in ("h2", "h3", "h4", "h5", "h6"):
            texts = []
            sibling = node.next
            while sibling is not None and sibling.tag not in ("h1", "h2", "h3", "h4", "h5", "h6"):
                if sibling.tag != "-text":
                    texts.append(clean_text(sibling.text(deep=True) or "").replace("\n", " "))
                sibling = sibling.next
            name, text = tidy_name(text), " ".join(t for t in texts if t)
        else:
            bold = leading_bold(node)
            name = tidy_name(bold if bold and len(bold) < len(text) else name_from_text(text))
        if name:
            items.append(FoundItem(kind, name, text, "site rule", "", 1.0))
    return items


def _self_urls(url: str, canonical: str | None) -> tuple[str, set[str]]:
    page_canonical = url
    if canonical:
        resolved = absolute_url(canonical, url)
        try:
            page_canonical = canonical_url(resolved) if resolved else url
        except BadURL:
            page_canonical = url
    try:
        return page_canonical, {canonical_url(url), page_canonical}
    except BadURL:
        return page_canonical, {page_canonical}


def _rule_related(tree: LexborHTMLParser, selector: str, url: str, self_urls: set[str]) -> list[dict]:
    related: list[dict] = []
    for node in tree.css(selector):
        for a in ([node] if node.tag == "a" else node.css("a[href]")):
            target = absolute_url(a.attributes.get("href") or "", url)
            title = link_title(a)
            try:
                link = canonical_url(target) if target else None
            except BadURL:
                link = None
            if link and title and link not in self_urls and link not in {r["url"] for r in related}:
                related.append({"position": len(related) + 1, "title": title, "url": link, "block": "site rule"})
    return related


@dataclass
class Prepared:
    """A page read up to its candidate lists: what :func:`find_items` needs."""

    record: dict
    flow: list
    page: PageContext
    json_ld: list[dict]
    tree: LexborHTMLParser
    site_items: dict = field(default_factory=dict)  # what a site class read before cleaning


def prepare_page(html: str, url: str, rules: dict | None = None, site: Site | None = None) -> Prepared | dict:
    """Parse, clean and describe a page; a finished record when the page is
    not one to look for treatments in (too short, an index, not about health,
    a recipe)."""
    rules = rules or {}
    started = time.monotonic()
    tree = LexborHTMLParser(html)
    if tree.body is None and tree.head is None:
        return _failed(url, "failed", "not HTML: no document could be parsed")
    metadata = extract_metadata(tree, url)
    site_items = site.items(tree, url) if site is not None else {}
    mark_css_headings(tree)
    remove_junk(tree)
    page_canonical, self_urls = _self_urls(url, metadata["canonical"])
    if rules.get("related"):
        related = _rule_related(tree, rules["related"], url, self_urls)
    else:
        related = related_links(tree, url, self_urls)
    root = tree.body or tree.root
    remove_boilerplate(root)
    if rules.get("body") and tree.css_first(rules["body"]) is not None:
        main = tree.css_first(rules["body"])
    else:
        main = main_container(root)
    flow = build_flow(root, main)
    body = body_text(flow)
    title = _select_text(tree, rules.get("title")) or metadata["title"]
    named_condition = condition_named_in(title) or condition_named_in(metadata["h1"])  # of the curated table
    record = {
        "url": url,
        "canonical_url": page_canonical,
        "title": title,
        "condition": _select_text(tree, rules.get("condition")) or metadata["condition_hint"] or named_condition
        or condition_from_title(title) or condition_from_title(metadata["h1"]),
        "author": _select_text(tree, rules.get("author")) or metadata["author"],
        "published": metadata["published"],
        "modified": metadata["modified"],
        "description": metadata["description"],
        "language": metadata["language"] or guess_language(body),
        "site_name": metadata["site_name"],
        "image": metadata["image"],
        "body_region": None,
        "word_count": len(body.split()),
        "body": body,
        "extractor_version": EXTRACTOR_VERSION,
        "status": "article",
        "reason": None,
        "treatments": [],
        "exercises": [],
        "related": related,
    }
    record["body_region"] = body_region(record["condition"], title, metadata["h1"])
    if rules.get("published"):
        from pipeline.extract.metadata import parse_date

        record["published"] = parse_date(_select_text(tree, rules["published"])) or record["published"]
    if record["word_count"] < MIN_ARTICLE_WORDS:
        record["status"] = "not_article"
        record["reason"] = f"too little text ({record['word_count']} words)"
        return record
    density = link_density(main)
    if density > 0.5 and record["word_count"] < 600:
        record["status"] = "not_article"
        record["reason"] = f"an index page ({density:.0%} of its text is links)"
        return record
    density = health_density(body)
    names_condition = named_condition is not None
    health = is_health_text(title or "", record["description"] or "", body, density, names_condition)
    if not health and not (rules.get("treatments") or rules.get("exercises")):
        record["reason"] = "not about health: no treatments or exercises looked for"
        return record
    recipe = is_recipe(metadata, body)
    if recipe:
        record["reason"] = "a recipe: its steps are not treatments"
        return record
    no_advice = None if rules.get("treatments") or rules.get("exercises") else no_advice_reason(metadata, title or "")
    if no_advice:
        record["reason"] = no_advice
        return record
    check_budget(started, "reading the page")
    page = page_context(title or "", body, metadata["json_ld"], recipe, density)
    page.started = started
    page.flow_length = len(flow)
    page.names_condition = names_condition
    return Prepared(record, flow, page, metadata["json_ld"], tree, site_items)


def _extract(html: str, url: str, rules: dict, model: Model | None, site: Site | None = None) -> dict:
    prepared = prepare_page(html, url, rules, site)
    if isinstance(prepared, dict):
        return prepared
    record, tree = prepared.record, prepared.tree
    found = find_items(prepared.flow, prepared.page, prepared.json_ld, model)
    for kind, items in prepared.site_items.items():
        found = [f for f in found if f.kind != kind] + [FoundItem(kind, name, text, "site rule", "", 1.0)
                                                       for name, text in items]
    if rules.get("treatments"):
        found = [f for f in found if f.kind != "treatments"] + _rule_items(tree, rules["treatments"], "treatments")
    if rules.get("exercises"):
        found = [f for f in found if f.kind != "exercises"] + _rule_items(tree, rules["exercises"], "exercises")
    for item in found:
        if item.kind == "treatments":
            record["treatments"].append(treatment_record(len(record["treatments"]) + 1, item))
        else:
            record["exercises"].append(exercise_record(len(record["exercises"]) + 1, item))
    return record
