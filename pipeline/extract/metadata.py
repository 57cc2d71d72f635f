"""Article metadata, from the best source a page offers.

Order of trust: JSON-LD (schema.org, including @graph and MedicalWebPage),
OpenGraph and other meta tags, microdata (itemprop), then the visible HTML.
JSON-LD on real pages is often broken; a block that does not parse is
repaired where that is cheap (comments, trailing commas, raw newlines) and
otherwise skipped, never fatal.
"""

from __future__ import annotations

import html as htmlmod
import json
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit
from email.utils import parsedate_to_datetime

from selectolax.lexbor import LexborHTMLParser

from pipeline.extract.content import ancestors

ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "medicalwebpage", "webpage", "medicalscholarlyarticle",
                 "report", "healthtopiccontent", "howto", "reportagenewsarticle", "analysisnewsarticle",
                 "techarticle", "socialmediaposting", "recipe", "itempage", "scholarlyarticle"}


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(htmlmod.unescape(str(text)).split())
    return text or None


# -- JSON-LD ------------------------------------------------------------------


def _loads_lenient(text: str):
    text = text.strip()
    if text.startswith("<!--"):
        text = text[4:]
    if text.endswith("-->"):
        text = text[:-3]
    text = text.strip().rstrip(";")
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        pass
    repaired = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    repaired = re.sub(r",\s*([}\]])", r"\1", repaired)
    try:
        return json.loads(repaired, strict=False)
    except (ValueError, RecursionError):
        return None


def json_ld_objects(tree: LexborHTMLParser) -> list[dict]:
    """Every schema.org object of the page's JSON-LD, @graph flattened."""
    found: list[dict] = []

    def walk(value, depth=0):
        if depth > 6 or len(found) > 200:
            return
        if isinstance(value, list):
            for item in value:
                walk(item, depth + 1)
        elif isinstance(value, dict):
            if "@graph" in value:
                walk(value["@graph"], depth + 1)
            if "@type" in value:
                found.append(value)
            elif "mainEntity" in value:
                walk(value["mainEntity"], depth + 1)

    for node in tree.css('script[type="application/ld+json"]'):
        data = _loads_lenient(node.text(deep=True) or "")
        if data is not None:
            walk(data)
    return found


def types_of(obj: dict) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).lower().rsplit("/", 1)[-1] for v in values if v}


def _name_of(value) -> str | None:
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, dict):
        return _clean(value.get("name") or value.get("headline"))
    if isinstance(value, list):
        names = [n for n in (_name_of(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def _url_of(value) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        url = value.get("url") or value.get("contentUrl")
        if url:
            return url if isinstance(url, str) else _url_of(url)
        ref = value.get("@id")
        return ref if isinstance(ref, str) and "#" not in ref else None  # "…/#primaryimage" names no image
    if isinstance(value, list) and value:
        return _url_of(value[0])
    return None


def resolved(value, index: dict[str, dict]):
    """A JSON-LD value with its bare references looked up: Yoast and Rank Math
    write the author, image, publisher and subject of a page as {"@id": ...}
    pointing at an object elsewhere in the @graph."""
    if isinstance(value, list):
        return [resolved(v, index) for v in value]
    if isinstance(value, dict) and isinstance(value.get("@id"), str) and not set(value) - {"@id"}:
        return index.get(value["@id"], value)
    return value


MEDICAL_TYPES = {"medicalcondition", "disease", "infectiousdisease", "medicalsignorsymptom", "medicalsign",
                 "medicalsymptom", "medicalentity"}


def about_condition(about) -> str | None:
    """The condition a page's JSON-LD says it is about: a MedicalCondition
    (or kin) first; a plain Thing only when it is the one subject named."""
    values = [v for v in (about if isinstance(about, list) else [about]) if isinstance(v, dict)]
    for value in values:
        if types_of(value) & MEDICAL_TYPES and _clean(value.get("name")):
            return _clean(value.get("name"))
    if len(values) == 1 and "thing" in types_of(values[0]):
        return _clean(values[0].get("name"))
    return None


def main_json_ld(objects: list[dict]) -> dict:
    """Merge the article-like objects: earlier (usually more specific) ones win."""
    merged: dict = {}
    for obj in objects:
        if types_of(obj) & ARTICLE_TYPES:
            for key, value in obj.items():
                merged.setdefault(key, value)
    return merged


# -- meta tags and microdata ------------------------------------------------


def meta_tags(tree: LexborHTMLParser) -> dict[str, str]:
    """name/property -> content for every <meta>, first one wins."""
    tags: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        if key and attrs.get("content"):
            tags.setdefault(key.strip().lower(), attrs["content"])
    return tags


def microdata(tree: LexborHTMLParser, prop: str) -> str | None:
    node = tree.css_first(f'[itemprop="{prop}"]')
    if node is None:
        return None
    attrs = node.attributes
    return _clean(attrs.get("content") or attrs.get("datetime") or node.text(deep=True))


# -- fields -----------------------------------------------------------------


def parse_date(value) -> str | None:
    """An ISO 8601 date (YYYY-MM-DD) from the many ways pages write one; None
    for one before the web or more than two days ahead of today, UTC (a
    CMS's 1970-01-01 placeholder would beat the page's real date)."""
    date = _parse_date(value)
    if date and not (EARLIEST_DATE <= date <= (datetime.now(timezone.utc) + timedelta(days=2)).date().isoformat()):
        return None
    return date


EARLIEST_DATE = "1991-01-01"


def _parse_date(value) -> str | None:
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        try:
            return datetime(int(match[1]), int(match[2]), int(match[3])).date().isoformat()
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", value.replace(",", " "))
    cleaned = " ".join(cleaned.split())
    cleaned = re.sub(r"\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?$", "", cleaned, flags=re.I)  # "05/08/2014 07:01:00"
    for fmt in ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%d.%m.%Y", "%m/%d/%Y", "%Y/%m/%d", "%B %Y"):
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    match = re.search(r"(\w+ \d{1,2} \d{4})", cleaned)
    if match and match.group(1) != cleaned:
        return _parse_date(match.group(1))
    return None


TITLE_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|::|»|·)\s+")


def host_label(url: str) -> str | None:
    """'https://www.zenhabits.net/x' -> 'zenhabits': what a title may call the site."""
    host = urlsplit(url).hostname or ""
    if re.fullmatch(r"[\d.]+|.*:.*", host):
        return None  # an IP address names no site
    labels = [label for label in host.split(".") if label not in ("www", "m", "blog")]
    return labels[-2] if len(labels) >= 2 else None


def headline_h1(tree: LexborHTMLParser) -> str | None:
    """The first <h1> that is a headline: old blog themes put the site's logo,
    a link home, in an <h1> of its own."""
    for h1 in tree.css("h1"):
        text = _clean(h1.text(deep=True))
        if not text:
            continue
        link = h1.css_first("a")
        if link is not None and _clean(link.text(deep=True)) == text and HOME_LINK.match(link.attributes.get("href") or ""):
            continue
        return text
    return None


HOME_LINK = re.compile(r"^(?:https?://[^/]+)?/?(?:index\.\w+)?$")


def strip_site_suffix(title: str, site_name: str | None = None) -> str:
    """'How To Treat X | Health Guide' -> 'How To Treat X'; '» How To Treat X
    :site' -> 'How To Treat X' (old blog themes)."""
    title = title.lstrip("»«|·:-–— ")
    if site_name:
        title = re.sub(rf"\s*[:|»·–—-]+\s*{re.escape(site_name)}\s*$", "", title, flags=re.I) or title
    parts = TITLE_SEPARATORS.split(title)
    if len(parts) == 1:
        return title
    if site_name:
        site = site_name.strip().lower()
        kept = [p for p in parts if p.strip().lower() != site]
        if kept and len(kept) < len(parts):
            return " - ".join(kept) if len(kept) > 1 else kept[0]
        # ... or a part that holds it: "Clamshell - MotionRx Exercise Library"
        kept = [p for p in parts if not re.search(rf"(?<!\w){re.escape(site)}(?!\w)", p.lower())]
        if kept and len(kept) < len(parts):
            return " - ".join(kept) if len(kept) > 1 else kept[0]
    # Without a known site name, keep the longest part (the headline).
    return max(parts, key=len)


CONDITION_PATTERNS = [
    re.compile(r"^(?:how\s+to|ways\s+to|tips\s+to|\d+\s+ways\s+to)\s+(?:treat|cure|ease|relieve|manage|prevent|get rid of|"
               r"deal with|get relief from|find relief from|handle|soothe|stop|decrease|reduce|fix|overcome|beat|"
               r"fight|heal|recover from|live with|cope with)\s+(?:the\s+(?:rates?\s+of\s+)?)?(?:your\s+)?(?P<c>.+)$", re.I),
    re.compile(r"^(?:treating|managing|relieving|easing|dealing with|living with|coping with|beating|"
               r"understanding)\s+(?P<c>.+)$", re.I),
    re.compile(r"^(?:relief|remedies|home remedies|treatments?|exercises|stretches|tips|help)\s+for\s+(?P<c>.+?)(?::.*)?$", re.I),
    # "Costochondritis: Symptoms, ...", "What is costochondritis? Symptoms and causes", "Ischias: Ursachen ..."
    re.compile(r"^(?:(?:what\s+(?:is|are)|what's|understanding)\s+(?:an?\s+|the\s+)?)?(?P<c>[^:?]{3,60}?)\s*[:?]\s*"
               r"(?:symptoms?|causes?|treatments?|what works|diagnosis|overview|ursachen|symptome|behandlung|therapie|"
               r"causas|síntomas|tratamientos?|symptômes|traitements?)\b", re.I),
    re.compile(r"^(?P<c>[^:]+?)\s+(?:treatment|remedies|relief)$", re.I),
]
CONDITION_TAIL = re.compile(
    r"\s+(?:at home|naturally|fast|quickly|for good|in (?:\w+ )?(?:minutes|days|weeks)(?: a day)?|"
    r"for (?:runners|beginners|office workers|women|men|kids|seniors)|after \d+|during pregnancy|at work|in winter|"
    r"in \d+ (?:minutes|days|steps)(?: a day)?)$",
    re.I,
)


def condition_from_title(title: str | None) -> str | None:
    """'How To Treat Back Muscle Spasms' -> 'back muscle spasms'."""
    if not title:
        return None
    title = title.strip().rstrip("?!.")
    for pattern in CONDITION_PATTERNS:
        match = pattern.match(title)
        if match:
            condition = match.group("c").strip(" :-–")
            previous = None
            while previous != condition:
                previous = condition
                condition = CONDITION_TAIL.sub("", condition)
            condition = re.sub(r"^(?:a|an|the)\s+", "", condition, flags=re.I)
            if GOAL.match(condition) or re.search(r"[?,]", condition):
                return None  # "Tips for Better Sleep This Winter" names a goal; a clause ran on past the name
            if 2 < len(condition) < 80:
                return condition.lower()
    return None


# What "tips for ..." may name instead of a condition: a goal or an audience.
GOAL = re.compile(r"^(?:better|healthier|healthy|good|great|more|less|stronger|faster|perfect|glowing|beginners|"
                  r"runners|your|a\s+better|a\s+healthy|a\s+good)\b", re.I)


STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "that", "for", "it", "with", "you", "are", "this", "on", "your"},
    "de": {"der", "die", "und", "das", "ist", "nicht", "mit", "sich", "auf", "ein", "eine", "für", "du", "dich"},
    "fr": {"le", "la", "les", "et", "des", "est", "une", "pour", "dans", "que", "qui", "pas", "vous", "sur"},
    "es": {"el", "la", "los", "las", "y", "que", "es", "para", "una", "por", "con", "del", "se", "su"},
    "nl": {"de", "het", "een", "en", "van", "is", "dat", "niet", "met", "voor", "zijn", "je", "op", "ook"},
    "it": {"il", "di", "che", "la", "per", "una", "sono", "con", "non", "del", "gli", "le", "della", "anche"},
}


def guess_language(text: str) -> str | None:
    """A language code from the text when the page does not declare one.

    Stopword counts for Latin-script languages and script ranges for the
    others: no model to download, right for whole articles."""
    sample = text[:20000]
    if not sample.strip():
        return None
    kana = len(re.findall(r"[\u3040-\u30ff]", sample))
    han = len(re.findall(r"[\u4e00-\u9fff]", sample))
    cyr = len(re.findall(r"[\u0400-\u04ff]", sample))
    latin = len(re.findall(r"[A-Za-z]", sample))
    if kana > 20:
        return "ja"
    if han > 50 and han > latin:
        return "zh"
    if cyr > latin:
        return "ru"
    words = re.findall(r"[a-zäöüßéèàç]+", sample.lower())
    if len(words) < 20:
        return None
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in STOPWORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= max(3, len(words) // 50) else None


def normalise_language(value: str | None) -> str | None:
    if not value:
        return None
    match = re.match(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$", value)
    return match.group(1).lower() if match else None


def extract_metadata(tree: LexborHTMLParser, url: str) -> dict:
    """Title, author, dates, description, language, site name, image, canonical
    URL and the JSON-LD objects, from an unmodified parse of the page."""
    objects = json_ld_objects(tree)
    index = {obj["@id"]: obj for obj in objects if isinstance(obj.get("@id"), str)}
    ld = main_json_ld(objects)
    meta = meta_tags(tree)
    title_node = tree.css_first("title")
    html_title = _clean(title_node.text()) if title_node is not None else None
    h1_text = headline_h1(tree)
    site_name = _clean(meta.get("og:site_name")) or _name_of(resolved(ld.get("publisher"), index))
    if not site_name:
        for obj in objects:
            if "website" in types_of(obj) or "organization" in types_of(obj):
                site_name = _clean(obj.get("name"))
                if site_name:
                    break
    title = (_clean(ld.get("headline")) or _clean(meta.get("og:title")) or _clean(meta.get("twitter:title"))
             or microdata(tree, "headline") or h1_text or html_title)
    if title and h1_text and title.startswith(h1_text) and TITLE_SEPARATORS.search(h1_text):
        title = h1_text  # the headline's own dash ("5 back pain myths - and what to do instead") parts no site name
    elif title:
        title = strip_site_suffix(title, site_name or host_label(url))
    if title and h1_text and len(h1_text) < len(title) and title.startswith(h1_text):
        title = h1_text
    author = (_name_of(resolved(ld.get("author"), index)) or _clean(meta.get("author")) or _clean(meta.get("article:author"))
              or microdata(tree, "author"))
    if author and author.startswith("http"):
        author = None
    if not author:
        node = tree.css_first('[rel="author"], .author, .byline-author, .author-name')
        if node is not None:
            text = _clean(node.text(deep=True))
            if text and len(text) < 80:
                author = re.sub(r"^(?:by|von)\s+", "", text, flags=re.I)
    published = (parse_date(ld.get("datePublished")) or parse_date(meta.get("article:published_time"))
                 or parse_date(meta.get("datepublished")) or parse_date(meta.get("date"))
                 or parse_date(meta.get("publish_date")) or parse_date(meta.get("pubdate"))
                 or parse_date(meta.get("dcterms.issued")) or parse_date(meta.get("dc.date.issued"))
                 or parse_date(microdata(tree, "datePublished")) or parse_date(_article_time(tree)))
    modified = (parse_date(ld.get("dateModified")) or parse_date(meta.get("article:modified_time"))
                or parse_date(meta.get("og:updated_time")) or parse_date(meta.get("datemodified"))
                or parse_date(meta.get("last_updated")) or parse_date(meta.get("dcterms.modified"))
                or parse_date(microdata(tree, "dateModified")))
    html_node = tree.css_first("html")
    declared = normalise_language(html_node.attributes.get("lang") if html_node is not None else None)
    others = {normalise_language(value) for value in (
        ld.get("inLanguage") if isinstance(ld.get("inLanguage"), str) else None, meta.get("og:locale"),
        meta.get("content-language"))} - {None}
    if declared and others and declared not in others:
        language = None  # a theme's lang="en-US" on a German blog whose og:locale says de_DE: the text decides
    else:
        language = declared or (next(iter(others)) if len(others) == 1 else None)
    canonical = None
    node = tree.css_first('link[rel="canonical"][href]')
    if node is not None:
        canonical = _article_canonical(htmlmod.unescape(node.attributes.get("href") or "").strip(), url)
    canonical = canonical or (_article_canonical(htmlmod.unescape(meta["og:url"]).strip(), url)
                              if meta.get("og:url") else None)
    image = _url_of(resolved(ld.get("image"), index)) or meta.get("og:image") or meta.get("twitter:image")
    if isinstance(image, str):
        image = urljoin(url, htmlmod.unescape(image).strip()) or None  # (og:image is often relative)
    about_name = about_condition(resolved(ld.get("about"), index))
    return {
        "title": title,
        "h1": h1_text,
        "author": author,
        "published": published,
        "modified": modified,
        "description": _clean(meta.get("description") or meta.get("og:description") or ld.get("description")),
        "language": language,
        "site_name": site_name,
        "image": image if isinstance(image, str) else None,
        "canonical": canonical,
        "condition_hint": re.sub(r"^(?:a|an|the)\s+", "", about_name.lower()) if about_name else None,
        "page_type": (meta.get("og:type") or "").strip().lower() or None,
        "json_ld": objects,
    }


def _article_time(tree: LexborHTMLParser) -> str | None:
    """The ``datetime`` of the article's own <time>: one marked "published",
    else the first inside the article or main content and outside its
    navigation, asides and footers, else the first outside the site's header
    and those (a news ticker's or a sidebar widget's date is not the page's)."""
    nodes = tree.css("time[datetime]")
    for node in nodes:
        if "published" in (node.attributes.get("class") or "").split():
            return node.attributes.get("datetime")
    chrome = ("nav", "aside", "footer")
    fallback = None
    for node in nodes:
        above = [ancestor.tag for ancestor in ancestors(node.parent, 64)]
        if any(tag in chrome for tag in above):
            continue
        if "article" in above or "main" in above:
            return node.attributes.get("datetime")
        if fallback is None and "header" not in above:
            fallback = node.attributes.get("datetime")
    return fallback


def _article_canonical(value: str, url: str) -> str | None:
    """A canonical link, unless it points an article at the site's home page
    (a CMS misconfiguration: every article would become one URL)."""
    if not value:
        return None
    target, page = urlsplit(urljoin(url, value)), urlsplit(url)
    if target.path in ("", "/") and not target.query and page.path not in ("", "/"):
        return None
    return value


# Body regions, most specific first: "lower back pain" is the lower back, not the back.
BODY_REGIONS = [
    ("lower back", r"lower[- ]back|low[- ]back|lumbar|sciatica|unterer\s+rücken|lendenwirbel|lombaire|lumbar"),
    ("upper back", r"upper[- ]back|thoracic|shoulder\s+blades?|oberer\s+rücken"),
    ("neck", r"\bneck\b|cervical|nacken|\bhals\w*|\bcou\b|cervical|cuello"),
    ("shoulder", r"shoulders?|rotator\s+cuff|frozen\s+shoulder|schulter\w*|épaules?|hombros?"),
    ("elbow", r"elbows?|tennis\s+elbow|golfer'?s\s+elbow|ellbogen|coudes?|codos?"),
    ("wrist and hand", r"wrists?|carpal\s+tunnel|\bhands?\b|fingers?|thumbs?|handgelenk\w*|poignets?|muñecas?"),
    ("hip", r"\bhips?\b|hüfte\w*|hanches?|caderas?"),
    ("knee", r"\bknees?\b|patell\w*|acl\b|meniscus|\bknie\w*|genoux|genou|rodillas?"),
    ("ankle and foot", r"ankles?|\bfeet\b|\bfoot\b|heels?|plantar|achilles|bunions?|sprunggelenk|\bfuß|füße|"
                       r"chevilles?|\bpieds?\b|tobillos?|\bpies?\b"),
    ("leg", r"\blegs?\b|shin\s+splints?|calf|calves|hamstrings?|thighs?|\bbeine?\b|waden?|jambes?|piernas?"),
    ("head", r"headaches?|migraines?|\bhead\b|concussion|kopfschmerz\w*|migräne|maux?\s+de\s+tête|cabeza|jaw|tmj"),
    ("mouth and teeth", r"\bteeth\b|tooth|dental|gums?|\boral\b|mouth|zähne|zahn\w*|dents?|dientes?"),
    ("back", r"\bback\b|\bspine\b|spinal|rücken\w*|wirbelsäule|\bdos\b|espalda|columna"),
    ("chest", r"\bchest\b|\blungs?\b|breathing|asthma|brust\w*|poitrine|pecho"),
    ("abdomen", r"stomach|abdomen|abdominal|belly|\bgut\b|digest\w*|bloating|constipation|bauch\w*|ventre|estómago"),
    ("skin", r"\bskin\b|acne|eczema|psoriasis|rash\w*|\bhaut\b|peau|\bpiel\b"),
    ("eyes", r"\beyes?\b|vision|augen?\b|\byeux\b|\bojos?\b"),
]
_REGION_RES = [(region, re.compile(pattern, re.I)) for region, pattern in BODY_REGIONS]


def body_region(*texts: str | None) -> str | None:
    """The body region a page is about, from its condition, title and headline
    (in that order of trust): 'How to Ease Lower Back Pain' -> 'lower back'."""
    for text in texts:
        if not text:
            continue
        for region, pattern in _REGION_RES:
            if pattern.search(text):
                return region
    return None
