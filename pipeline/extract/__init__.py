"""The extract stage: HTML (text plus URL) -> one plain record.

:func:`extract_page` never raises: a page it cannot read comes back with
``status`` "failed" or "not_article" and a ``reason``. Generic rules do the
work; a source's ``extract:`` rules in sources.yaml (CSS selectors by field)
override them where a site needs it, in the spirit of recipe-scrapers.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from pipeline.extract import facts
from pipeline.extract.content import body_text, main_container, remove_boilerplate, remove_junk
from pipeline.extract.metadata import condition_from_title, extract_metadata, guess_language
from pipeline.extract.related import link_title, related_links
from pipeline.extract.sections import find_sections, item_name
from pipeline.extract.content import clean_text
from pipeline.urls import BadURL, absolute_url, canonical_url

# Bump when a change alters what extraction yields: `pipeline extract` then
# re-extracts every page.
EXTRACTOR_VERSION = "1.0"
MAX_HTML_CHARS = 4_000_000
MIN_ARTICLE_WORDS = 80
RULE_KEYS = {"title", "author", "published", "body", "condition", "treatments", "exercises", "related"}

# Words that mark health and fitness text. Counted by set lookup and prefix
# test over the page's words: a regex alternation of the same terms costs ten
# times as much on a long page.
HEALTH_WORDS = frozenset("""
pain painful ache aches aching disease diseases condition conditions spine spinal fitness weight stress anxiety
blood heart cancer virus hospital clinic skin acne immune chronic relief cure surgery illness sick arzt abnehmen
kalorien ernährung übungen training fett plague lung lungs flu pneumonia carb carbs protein yoga wod burpee burpees
squat squats lunge lunges reps cardio running jogging walking pilates strength pushups pullups gym
""".split())
HEALTH_STEMS = ("treat", "therap", "health", "medic", "injur", "exercis", "stretch", "diet", "obes", "calori",
                "nutrition", "inflammat", "sleep", "diabet", "infect", "vaccin", "allerg", "remed", "gesund",
                "schmerz", "krank", "ärzt", "muskel", "vitamin", "symptom", "workout", "muscle", "joint", "doctor",
                "physician", "patient", "relie")
WORD_RE = re.compile(r"\w+")


def health_hits(text: str) -> int:
    return sum(1 for w in WORD_RE.findall(text.lower()) if w in HEALTH_WORDS or w.startswith(HEALTH_STEMS))


def is_health_text(title: str, description: str, body: str) -> bool:
    """Is this page about health or fitness? Term density over the title,
    description and the start of the body; the title counts double."""
    head = f"{title} {description}"
    words = body.split(None, 1000)[:1000]  # a density needs a sample, not the whole text
    sample = " ".join(words)
    hits = health_hits(sample)
    head_hits = health_hits(head)
    density = hits / max(len(words), 1)
    return head_hits >= 1 and density >= 0.004 or density >= 0.012


def is_recipe(metadata: dict, body: str) -> bool:
    for obj in metadata["json_ld"]:
        value = obj.get("@type")
        types = {str(t).lower() for t in (value if isinstance(value, list) else [value])}
        if "recipe" in types:
            return True
    return bool(re.search(r"(?im)^\s*ingredients\s*:?\s*$", body) and
                re.search(r"(?im)^\s*(?:directions|instructions|method|preparation)\s*:?\s*$", body))


def _failed(url: str, status: str, reason: str) -> dict:
    return {"url": url, "status": status, "reason": reason, "extractor_version": EXTRACTOR_VERSION,
            "treatments": [], "exercises": [], "related": []}


CONTROL_CHARS = re.compile(r"[\x01-\x08\x0b\x0e-\x1f]")


def link_density(container) -> float:
    """Share of the container's text that sits inside links: high on index pages."""
    total = len(container.text(deep=True) or "")
    if not total:
        return 0.0
    return sum(len(a.text(deep=True) or "") for a in container.css("a")) / total


def looks_binary(text: str) -> bool:
    sample = text[:4096]
    if "\x00" in sample:
        return True
    return len(CONTROL_CHARS.findall(sample)) > len(sample) * 0.05


def extract_page(html: str | bytes, url: str, rules: dict | None = None) -> dict:
    """Extract one page into a plain record (see the README for its fields)."""
    try:
        if isinstance(html, bytes):
            from pipeline.decoding import decode_html

            html = decode_html(html)[0]
        if not html or not html.strip():
            return _failed(url, "failed", "empty page")
        if looks_binary(html):
            return _failed(url, "failed", "binary content, not HTML")
        truncated = len(html) > MAX_HTML_CHARS
        if truncated:
            html = html[:MAX_HTML_CHARS]
        record = _extract(html, url, rules or {})
        if truncated:
            record["reason"] = (record.get("reason") or "") + f"page truncated to {MAX_HTML_CHARS} characters"
        return record
    except RecursionError:
        return _failed(url, "failed", "HTML nested too deeply")
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


def _rule_items(tree: LexborHTMLParser, selector: str) -> list[tuple[str, str, str]]:
    items = []
    for node in tree.css(selector):
        text = clean_text(node.text(deep=True)).replace("\n", " ")
        if node.tag in ("h2", "h3", "h4", "h5", "h6"):
            texts = []
            sibling = node.next
            while sibling is not None and sibling.tag not in ("h1", "h2", "h3", "h4", "h5", "h6"):
                if sibling.tag != "-text":
                    texts.append(clean_text(sibling.text(deep=True)).replace("\n", " "))
                sibling = sibling.next
            name, text = text, " ".join(t for t in texts if t)
            from pipeline.extract.sections import tidy_name

            name = tidy_name(name)
        else:
            name = item_name(node, text)
        if name:
            items.append((name, text, "site rule"))
    return items


def _extract(html: str, url: str, rules: dict) -> dict:
    tree = LexborHTMLParser(html)
    if tree.body is None and tree.head is None:
        return _failed(url, "failed", "not HTML: no document could be parsed")
    metadata = extract_metadata(tree, url)
    remove_junk(tree)
    page_canonical = url
    canonical = metadata["canonical"]
    if canonical:
        resolved = absolute_url(canonical, url)
        try:
            page_canonical = canonical_url(resolved) if resolved else url
        except BadURL:
            page_canonical = url
    try:
        self_urls = {canonical_url(url), page_canonical}
    except BadURL:
        self_urls = {page_canonical}
    if rules.get("related"):
        related = []
        for node in tree.css(rules["related"]):
            anchors = [node] if node.tag == "a" else node.css("a[href]")
            for a in anchors:
                target = absolute_url(a.attributes.get("href") or "", url)
                title = link_title(a)
                try:
                    link = canonical_url(target) if target else None
                except BadURL:
                    link = None
                if link and title and link not in self_urls and link not in {r["url"] for r in related}:
                    related.append({"position": len(related) + 1, "title": title, "url": link, "block": "site rule"})
    else:
        related = related_links(tree, url, self_urls)
    root = tree.body or tree.root
    remove_boilerplate(root)
    if rules.get("body") and tree.css_first(rules["body"]) is not None:
        container = tree.css_first(rules["body"])
    else:
        container = main_container(root)
    body = body_text(container)
    title = _select_text(tree, rules.get("title")) or metadata["title"]
    record = {
        "url": url,
        "canonical_url": page_canonical,
        "title": title,
        "condition": _select_text(tree, rules.get("condition")) or condition_from_title(title)
        or condition_from_title(metadata["h1"]) or metadata["condition_hint"],
        "author": _select_text(tree, rules.get("author")) or metadata["author"],
        "published": metadata["published"],
        "modified": metadata["modified"],
        "description": metadata["description"],
        "language": metadata["language"] or guess_language(body),
        "site_name": metadata["site_name"],
        "image": metadata["image"],
        "word_count": len(body.split()),
        "body": body,
        "extractor_version": EXTRACTOR_VERSION,
        "status": "article",
        "reason": None,
        "treatments": [],
        "exercises": [],
        "related": related,
    }
    if rules.get("published"):
        from pipeline.extract.metadata import parse_date

        record["published"] = parse_date(_select_text(tree, rules["published"])) or record["published"]
    if record["word_count"] < MIN_ARTICLE_WORDS:
        record["status"] = "not_article"
        record["reason"] = f"too little text ({record['word_count']} words)"
        return record
    density = link_density(container)
    if density > 0.5 and record["word_count"] < 600:
        record["status"] = "not_article"
        record["reason"] = f"an index page ({density:.0%} of its text is links)"
        return record
    health = is_health_text(title or "", record["description"] or "", body)
    if not health and not (rules.get("treatments") or rules.get("exercises")):
        record["reason"] = "not about health: no treatments or exercises looked for"
        return record
    if is_recipe(metadata, body):
        record["reason"] = "a recipe: its steps are not treatments"
        return record
    sections = find_sections(container, title or "", metadata["json_ld"])
    if rules.get("treatments"):
        sections["treatments"] = _rule_items(tree, rules["treatments"])
    if rules.get("exercises"):
        sections["exercises"] = _rule_items(tree, rules["exercises"])
    for position, (name, text, how) in enumerate(sections["treatments"], start=1):
        record["treatments"].append({
            "position": position, "name": name, "text": text,
            "category": facts.treatment_category(name, text),
            "medicines": facts.medicines(text), "warnings": facts.warning_conditions(text), "found_by": how,
        })
    for position, (name, text, how) in enumerate(sections["exercises"], start=1):
        low, high = facts.hold_range(text)
        record["exercises"].append({
            "position": position, "name": name, "text": text,
            "hold_seconds": low, "hold_seconds_max": high if high != low else None,
            "reps": facts.reps(text, name), "sets": facts.sets(text), "rest_seconds": facts.rest_seconds(text),
            "body_position": facts.body_position(text), "found_by": how,
        })
    return record
