"""The site's own "What Others Are Reading" block: the editors' record of
what is read together, which the recommendation stage builds on.

A block is found by its label (a heading or a labelled container) or, failing
that, by a class name that says "related". Labels come in tiers: a page
with "What Others Are Reading" and "Popular" gives the first only; a page
with just "Most Popular" gives that. A "Recent Posts" list is the blog's
feed in date order, neither related nor popular (LABELING.md): no block.
"""

from __future__ import annotations

import html as htmlmod
import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipeline.extract.content import CAROUSEL_CLONE, ancestors, class_tokens, has_element_child, link_density
from pipeline.extract.structure import spaced_text
from pipeline.urls import BadURL, absolute_url, canonical_url, document_base

TIER_1 = re.compile(
    r"^\W*(?:what\s+others\s+are\s+reading|people\s+are\s+reading|others\s+are\s+reading|read\s+this\s+next|"
    r"you\s+(?:may|might)\s+also\s+(?:like|enjoy)|related(?:\s+&\s+recommended)?(?:\s+(?:posts?|articles?|stories|"
    r"content|reading|links|guides))?(?!\s+(?:topics|tags|to\b|services|institutes|departments|"
    r"specialties|locations|doctors|providers|(?:web)?sites|internet|external|products))|recommended(?:\s+(?:for\s+you|reading|articles?|posts?|stories))?|"
    r"more\s+(?:to\s+read|like\s+this|on\s+this\s+topic)|further\s+reading|more\s+information|m[aá]s\s+informaci[oó]n|see\s+also|"
    r"meist\s+gelesen|meistgelesen|das\s+könnte\s+dich\s+auch\s+interessieren|"
    r"(?:das\s+)?könnte\s+(?:dich|sie)\s+auch\s+interessieren|weitere\s+artikel|lesen\s+sie\s+auch|"
    r"(?:other\s+)?people\s+are\s+reading|(?:others?|people|readers?)\s+also\s+(?:viewed|read|liked)|lesetipps|"
    r"most\s+read|most\s+viewed|les\s+plus\s+lus|(?:lo\s+)?más\s+(?:leíd[oa]s?|vistos?)|(?:editor|subscriber|reader|staff)(?:s['’]?|['’]s)?\s+picks|our\s+picks|"
    r"read\s+more(?=\s*:?\s*$)|"
    r"keep\s+reading|continue\s+reading(?=\s*:?\s*$)|"
    r"don'?t\s+miss|must\s+reads?|you\s+might\s+be\s+interested|suggested\s+(?:reading|articles?|posts?)|"
    r"readers?\s+recommend|top\s+picks|featured\s+(?:resources|articles?|posts?|stories)|explore\s+more|"
    r"more\s+(?:articles|stories|posts|reading)|related\s+story|the\s+latest\s+from\s+the\s+blog|"
    # "More cold and flu advice", "More patient guides", "More about tinnitus", "From our blog"
    r"more\s+(?:[\w'’&-]+\s+){0,3}(?:guides|advice|articles|posts|stories|recipes|reviews|reads|resources|reading|"
    r"episodes|tutorials|workouts|news\s+releases)(?=(?:\s+in\s+similar\s+topics)?\s*:?\s*$)|"
    # "Other hand and wrist conditions", "Other studies you may be interested in", "Try these next"
    r"other\s+(?:[\w'’&-]+\s+){0,3}(?:conditions|studies|articles|guides|pages|stories|posts|events|advice|news)"
    r"(?:\s+you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in|find\s+(?:useful|helpful)))?"
    r"(?=\s*:?\s*$)|"
    r"other\s+(?:[\w'’&-]+\s+){0,3}[\w'’&-]+\s+you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in)"
    r"(?=\s*:?\s*$)|(?:helpful|useful)\s+(?:guides|articles|reads|resources)(?:\s+from\s+(?:our|the)\s+blog)?"
    r"(?=\s*:?\s*$)|"
    r"(?:try|read|watch)\s+(?:this|these)\s+next|"
    r"similar\s+(?:guides|pages|jobs|events|recipes|videos|conditions|exercises|workouts|routines|stretches)"
    r"(?=\s*:?\s*$)|"
    r"sigue\s+leyendo|seguir\s+leyendo|m[aá]s\s+sobre\s+[\w\s]{3,30}$|otros\s+(?:consejos|art[ií]culos)\b|"
    r"otr[oa]s\s+(?:hojas|fichas|gu[ií]as)(?:\s+informativas)?(?=\s*:?\s*$)|"
    r"autres\s+(?:actualit[ée]s|articles|conseils|fiches)|(?:conseils|articles)\s+(?:santé\s+)?associ[ée]s|"
    r"weitere\s+[\wäöüß-]+(?=\s*:?\s*$)|"
    r"more\s+about\s+[\w'’-]+(?:\s+[\w'’-]+){0,2}(?=\s*:?\s*$)|from\s+(?:our|the)\s+blog|"
    r"other\s+pages\s+you\s+(?:may|might)\s+find\s+(?:useful|helpful)|you\s+(?:may|might)\s+(?:also\s+)?find\s+"
    r"(?:these\s+|this\s+)?(?:useful|helpful)|you['’]ll\s+(?:also\s+)?(?:love|like|enjoy)|"
    r"latest\s+from\s+the\s+blog|what'?s\s+hot|"
    r"weitere\s+(?:meldungen|themen|beiträge)|gleich\s+weiterlesen|auch\s+interessant|mehr\s+zum\s+thema|"
    r"empfohlen|erfahre\s+mehr|"
    r"read\s+next|what\s+to\s+read\s+next|next\s+read|read\s+more\s+like\s+this|"
    r"similar\s+(?:articles|posts|stories|reads)|(?:other\s+)?(?:articles|posts|stories)\s+you\s+(?:may|might)\s+"
    r"(?:also\s+)?(?:like|enjoy)|in\s+case\s+you\s+missed\s+it|keep\s+exploring|"
    r"ähnliche\s+(?:artikel|beiträge)|"
    r"(?:à\s+)?lire\s+aussi|sur\s+le\s+même\s+(?:sujet|thème)|vous\s+aimerez\s+aussi|articles?\s+similaires|"
    r"te\s+puede\s+interesar|lee\s+también|también\s+te\s+puede\s+interesar|te\s+recomendamos|"
    r"voir\s+aussi|dans\s+la\s+même\s+rubrique|ver\s+también|(?:quizás?|puede\s+que)\s+te\s+interese|"
    r"(?:artículos|noticias|notas|entradas|publicaciones)\s+relacionad[oa]s|otros\s+contenidos\b|"
    r"(?:ces\s+)?articles?\s+(?:qui\s+)?pourrai(?:en)?t\s+vous\s+intéresser|"
    r"pour\s+aller\s+plus\s+loin|vous\s+pourriez\s+(?:aussi\s+|également\s+)?(?:être\s+intéressée?s?\s+par|aimer)|"
    r"(?:contenidos|trámites)\s+relacionados|"
    # Italian: "Potrebbe interessarti anche", "Leggi anche", "Articoli correlati", "Per approfondire"
    r"(?:ti\s+)?potrebber?o?\s+(?:interessarti|interessare|piacerti)|leggi\s+anche|(?:articoli|post|contenuti)\s+"
    r"(?:correlati|simili)|correlati|per\s+approfondire|approfondimenti|altri\s+articoli|i\s+più\s+letti|"
    r"weitere\s+[\wäöüß-]+\s+(?:aus|zu|zum|zur|im)\s+[^:]{1,50}$|"
    r"читайте\s+также|похожие\s+(?:статьи|материалы|записи)|рекомендуем(?:\s+прочитать)?)\b",
    re.I,
)
TIER_2 = re.compile(r"^\W*(?:most\s+popular|most\s+(?:shared|e-?mailed|sent|commented)(?:\s+(?:stories|articles))?|"
                    r"(?:more\s+)?popular(?:\s+(?:posts?|articles?|now|stories))?|(?:more\s+)?trending(?:\s+now)?|"
                    r"more\s+from|more\s+on\b|more\s+in\s+\w+|more\s+(?:[\w-]+\s+){1,2}(?:headlines|news|stories|releases)|"
                    r"more\s+(?:[\w-]+\s+){1,2}from\s+(?:the|our)\b|"  # "More workouts from the studio"
                    r"more\s+(?:articles|summaries|guides|stories|posts|reads)\s+(?:on|about)\b|"
                    r"top\s+reads|(?:our\s+)?latest\s+(?:posts|articles|stories)|mehr\s+aus\s+\w+|"
                    r"beliebt|les\s+plus\s+lus|lo\s+más\s+leído|(?:lo\s+)?más\s+(?:leídos|vistos?)|"
                    r"(?:самые\s+)?популярн\w*(?:\s+\w+)?|самое\s+читаемое)\b", re.I)
GENERIC_TITLE = re.compile(
    r"^(?:read\s+(?:more|article|the\s+article|on)(?:\s+[\w-]+)?|(?:view|see|show)\s+(?:all|more)(?:\s+[\w-]+){0,2}|"
    r"visit\s+site|[\w\s]{0,20}[»›]|"
    r"more|continue\s+reading|learn\s+more|click\s+here|taboola|outbrain|sponsored|advertisement|"
    r"mehr\s+lesen|weiterlesen|alle\s+\w+|lire\s+la\s+suite|leer\s+más|ver\s+más)\W*$",
    re.I,
)
# A paid teaser says so in its title ("Sponsored by ...", "Anzeige"), or
# shows the ad network's markup as text.
PAID_TITLE = re.compile(r"\bsponsored\s+(?:by|links?)\b|^\s*(?:anzeige|werbung|ad|advertisement)\b\s*[:|-]|</?[a-z]+[\s>]",
                        re.I)
# A block of paid teasers says so somewhere in it ("Promoted", "Sponsored
# Links", "Paid content", the network's "by Taboola"), or is the ad
# network's own widget by its markup.
PAID_DISCLOSURE = re.compile(r"\b(?:sponsored(?:\s+(?:links?|content|stories|posts))?|promoted(?:\s+(?:links?|content|"
                             r"stories))?|paid\s+(?:content|partner\s+content|post)|(?:by|von|par|por)\s+(?:taboola|outbrain)|"
                             r"anzeigen?|werbung|publicité|contenu\s+sponsorisé|patrocinado)\b", re.I)
AD_WIDGET = re.compile(r"taboola|outbrain|\btrc[_-]|\bob-widget|revcontent|\bmgid|zergnet|nativo|\bplista", re.I)
# A video's teaser says so ("Childhood Cancers Health Video", "Watch: ...",
# "(Video)"): no article, as a block labelled "Videos" holds none.
VIDEO_TITLE = re.compile(r"(?:\bvideo|\(video\)|\[video\])\s*$|^\s*(?:watch|video)\s*:", re.I)
AUTHOR_CREDENTIALS = re.compile(r",\s*(?:M\.?S|M\.?D|R\.?D|Ph\.?D|RDN|CPT|NASM|RN|DO|MPH|CSCS|DPT|PharmD|BCPS|"
                                r"FNP(?:-BC)?|DNP|NP|PA-C|LCSW|IBCLC|CDCES)\b\.?")
NOT_ARTICLES = re.compile(r"\b(?:videos?|podcasts?|slideshows?|galler(?:y|ies)|products?|deals|search|topics|tags|"
                          r"themen\s*:|ads|sponsored|promoted|advertisements?|anzeigen?|werbung|"
                          r"(?:from|around)\s+the\s+web|from\s+our\s+partners)\b", re.I)
# "Related Articles & Videos" still holds articles.
ARTICLES_TOO = re.compile(r"\b(?:articles|stories|posts)\s+(?:&|and|und)\s+videos?\b", re.I)
# (A profile at "/@handle" too, as Medium's and YouTube's: "/@handle/slug" is an article.)
AUTHOR_LINK = re.compile(r"/(?:author|authors|staff|profile|people|contributors?|team|(?:medical-|expert-)?reviewers?)/"
                         r"|/@[^/?#]+/?(?:[?#]|$)", re.I)
# A teaser's byline link ("Medically reviewed by <a>Nadia Ferreira</a>"): the text before it ends in "by".
BY_BEFORE = re.compile(r"(?:\bby|\bvon|\bpar|\bpor)\s*:?\s*$", re.I)

# A label that announces one teaser: an inline box inside the article's text.
SINGULAR_LABEL = re.compile(r"^\W*(?:related\s+(?:story|article|post|reading)|read\s+this\s+next|read\s+next|"
                            r"lesen\s+sie\s+auch|lire\s+aussi|lee\s+también)\W*$", re.I)
LABEL_SELECTOR = ("h1, h2, h3, h4, h5, h6, strong, b, dt, label, header, [class*=title], [class*=heading], "
                  "[class*=label], [class*=badge], [class*=header], [class*=headline], [class*=related] > span, "
                  "[class*=related] > div, "
                  # (a utility-class heading: <div class="text-xl font-semibold">)
                  "[class*=font-semibold], [class*=font-bold]")


LABEL_WORDS = ("informaci", "read", "relat", "like", "enjoy", "recommend", "popular", "trend", "more", "gelesen", "interess",
               "artikel", "picks", "see also", "viewed", "stories", "beliebt", "lesen", "miss", "suggest", "featured",
               "explore", "latest", "hot", "weitere", "empfohlen", "mehr", "lire", "aussi", "sujet",
               "similaires", "interesar", "también", "relacionad", "leído", "lus", "posts", "lesetipp", "most",
               "читайте", "похожие", "рекоменд", "популярн", "читаем", "similar", "ähnlich", "next", "recomend",
               "thème", "explor", "voir", "rubrique", "interese", "visto", "blog", "useful", "helpful", "love",
               "about", "other", "sigue", "sobre", "otros", "autres", "associ", "episodes", "interested", "intéress",
               "loin", "pourriez", "contenidos", "trámites", "interessa", "piacerti", "leggi", "correlat", "simili",
               "approfond", "altri", "letti")


LABEL_WORD = re.compile("|".join(re.escape(word) for word in LABEL_WORDS))  # one scan, not a test per word


MAX_LABEL_SOURCE = 2000  # characters of text, spaces and all, a label may hold
MAX_LABEL_NODES = 200     # ... and elements and text nodes
LABEL_CONTAINS = frozenset({"div", "p", "ul", "ol", "li", "a", "h2", "h3", "h4"})  # what makes a <div> a container


def _descendants(node: LexborNode, limit: int):
    """The nodes inside ``node`` in document order, elements and text, then
    None once ``limit`` of them have been given: a bounded walk, for the
    questions asked of every candidate element, which asked of the whole
    subtree cost the square of a deep page's nesting."""
    pending: list[LexborNode] = []
    current = node.child
    given = 0
    while current is not None or pending:
        if current is None:
            current = pending.pop()
            continue
        given += 1
        if given > limit:
            yield None
            return
        yield current
        if current.child is not None:
            if current.next is not None:
                pending.append(current.next)
            current = current.child
            continue
        current = current.next


def _label_source(node: LexborNode) -> tuple[str, bool] | None:
    """A candidate label's text (as ``text(deep=True)`` reads it) and
    whether it holds any of LABEL_CONTAINS; None past MAX_LABEL_SOURCE
    characters or MAX_LABEL_NODES nodes (a label is a few words)."""
    parts: list[str] = []
    chars = 0
    holds = False
    for current in _descendants(node, MAX_LABEL_NODES):
        if current is None:
            return None
        tag = current.tag
        if tag == "-text":
            text = current.text_content or ""
            chars += len(text)
            if chars > MAX_LABEL_SOURCE:
                return None
            parts.append(text)
        elif tag != "-comment":
            holds = holds or tag in LABEL_CONTAINS
    return "".join(parts), holds


def _label_tier(text: str) -> int | None:
    if not text or len(text) > MAX_LABEL_SOURCE:
        return None
    if len(text) > 120:
        text = " ".join(text.split())  # a pretty-printed label's indentation is no text
        if len(text) > 120:
            return None
    if LABEL_WORD.search(text.lower()) is None:
        return None  # cheap test first: most elements are not labels
    text = " ".join(text.split())
    if not text or len(text) > 60 or (NOT_ARTICLES.search(text) and not ARTICLES_TOO.search(text)):
        return None
    if TIER_1.match(text):
        return 1
    if TIER_2.match(text):
        return 2
    return None


RELATED_LABEL = re.compile(r"^\W*related\b", re.I)


def _bare_link_list(block: LexborNode) -> bool:
    """Is the block one list whose every item is one link and nothing else?"""
    lists = [block] if block.tag in ("ul", "ol") else block.css("ul, ol")
    if len(lists) != 1:
        return False
    items = lists[0].css("li")
    return len(items) >= 2 and all(len(item.css("a[href]")) == 1 and _visible_chars(item) == _visible_chars(
        item.css_first("a[href]")) for item in items)


def _own_page(url: str, page_url: str) -> bool:
    """A page of the same site that is no topic's or tag's index."""
    return urlsplit(url).hostname == urlsplit(page_url).hostname and not TAXONOMY_PATH.search(urlsplit(url).path + "/")


def _links_in(container: LexborNode, label: LexborNode | None, page_url: str, self_urls: set[str],
              listed_on: str | None = None) -> list[dict]:
    """The block's article links, each once, titled by its headline;
    ``listed_on``: the page's URL when the block is a plain related list,
    whose own pages count however short their titles."""
    # A card links its article twice or more (the thumbnail, the kicker,
    # the headline, "Read more"): one link, titled by its headline.
    by_url: dict[str, list[tuple[str, bool]]] = {}
    cards: set[str] = set()
    discloses = bool(PAID_DISCLOSURE.search(spaced_text(container)))  # (asked of each teaser only if the block does)
    carousel = container.css_first('[class*="clone"], [class*="duplicate"]') is not None  # (... and of a carousel)
    for a in container.css("a[href]"):
        if label is not None and _inside(a, label):
            continue
        if carousel and _in_clone(a, container):
            continue  # a carousel's copy of a slide
        title, shown = _title_and_whence(a)
        if len(title) < 3 or _in_running_text(a, title):
            continue
        if _byline(a) or (discloses and _paid_teaser(a, container, title)):
            continue  # a reviewer's name, a paid teaser (its URL stays if another link in the block keeps it)
        href = a.attributes.get("href") or ""
        if AUTHOR_LINK.search(href) or (a.attributes.get("rel") or "") == "author":
            continue  # the byline of a teaser card, not an article
        target = absolute_url(htmlmod.unescape(a.attributes.get("href") or ""), page_url)
        if not target:
            continue
        try:
            url = canonical_url(target)
        except BadURL:
            continue
        by_url.setdefault(url, []).append((title, shown))
        if a.css_first(CARD_PARTS) is not None or _article_slug(url):
            cards.add(url)
    links = [{"title": _headline_of(titles), "url": url, "self": url in self_urls} for url, titles in by_url.items()]
    lengths = sorted(_words(link["title"]) for link in links) if listed_on else []
    if lengths and lengths[len(lengths) // 2] <= 2:
        # (Only where the list is all short names: beside headlines, a short
        # link is a topic chip, "Sports & Exercise".)
        own = {link["url"] for link in _article_titles(links, set(by_url)) if _own_page(link["url"], listed_on)}
        kept = {link["url"] for link in _article_titles(links, cards)}
        return [link for link in links if link["url"] in own or link["url"] in kept]
    return _article_titles(links, cards)


# What makes a link a teaser card: a picture, or a title element of its own
# (a heading, or a class that says so) beside the kicker. A topic chip is a
# bare word or two.
CARD_PARTS = "img, picture, h2, h3, h4, [class*=title], [class*=headline]"
# A taxonomy's page: what a topic chip links to, however long its slug.
TAXONOMY_PATH = re.compile(r"/(?:tags?|topics?|categor(?:y|ies)|sections?|labels?|themen?|rubriques?|temas?|"
                           r"etiquetas?|schlagworte?|keywords?|archives?|authors?)/", re.I)
ARTICLE_SLUG_WORDS = 4


def _article_slug(url: str) -> bool:
    """Does the URL name an article by a slug of several words ("/exercise/
    balance-exercises-for-older-people/"), as a short-titled link in a
    labelled block ("Balance exercises") still does, where a topic chip's
    names a topic ("/tag/sleep")?"""
    path = url.split("?", 1)[0].split("#", 1)[0].split("://", 1)[-1]
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    return "/" in path.rstrip("/") and not TAXONOMY_PATH.search(path) and \
        len([word for word in re.split(r"[-_]+", slug.rsplit(".", 1)[0]) if word]) >= ARTICLE_SLUG_WORDS


def _in_clone(a: LexborNode, container: LexborNode) -> bool:
    node = a
    for _ in range(10):
        node = node.parent
        if node is None or node.mem_id == container.mem_id:
            return False
        if any(CAROUSEL_CLONE.match(token) for token in (node.attributes.get("class") or "").split()):
            return True
    return False


def _byline(a: LexborNode) -> bool:
    """A short link right after "by" ("Medically reviewed by <a>Dr. Amara Okafor</a>"): a person, not an article."""
    before = a.prev
    while before is not None and before.tag == "-comment":
        before = before.prev
    return before is not None and before.tag == "-text" and bool(BY_BEFORE.search(before.text_content or "")) and \
        len(spaced_text(a).split()) <= 6


def _teaser_of(a: LexborNode, container: LexborNode) -> LexborNode:
    """The largest element inside the block around a link that links nothing else: its teaser card."""
    href = a.attributes.get("href")
    node = a
    for _ in range(6):
        parent = node.parent
        if parent is None or parent.mem_id == container.mem_id:
            break
        if (_links_within(parent, 8, 300) or 99) > 8 or any(
                other.attributes.get("href") != href for other in parent.css("a[href]")):
            break
        node = parent
    return node


def _paid_teaser(a: LexborNode, container: LexborNode, title: str) -> bool:
    """A teaser whose own card says it is paid ("Anzeige", "Patrocinado",
    "Sponsored by X") among editorial ones: that teaser goes, not the block."""
    text = spaced_text(_teaser_of(a, container))
    if len(text) > 600:
        return False
    rest = text.replace(title, " ", 1) if title else text
    return bool(PAID_DISCLOSURE.search(rest)) or bool(PAID_TITLE.search(rest.strip()))


def _headline_of(titles: list[tuple[str, bool]]) -> str:
    """The title of an article a card links more than once: the first shown
    title of three words or more (the headline; a kicker, "Running", or
    "Read more" beside it is not), else the longest shown one, else what an
    image link says of itself (an ``alt`` describes the photo, not the article)."""
    shown = [title for title, visible in titles if visible and not GENERIC_TITLE.match(title)]
    headline = next((title for title in shown if _words(title) >= 3), None)
    if headline:
        return headline
    if shown:
        return max(shown, key=_words)
    return titles[0][0]


def not_the_articles(block: LexborNode) -> bool:
    """A block of links that is not the article's related block whatever its
    label says: paid teasers (:func:`paid_block`), the page footer's lists
    (LABELING.md: "not the footer"), an author's box ("More from Jane
    Morgan" over her posts). One walk up the block's ancestors asks all three."""
    for depth, node in enumerate(ancestors(block, 16)):
        words = _class_words(node)
        if depth < 7 and AD_WIDGET.search(words):
            return True
        if depth < 8 and AUTHOR_BOX.search(words):
            return True
        if _page_footer(node, words):
            return True
    return paid_block(block, by_markup=False)


def paid_block(block: LexborNode, by_markup: bool = True) -> bool:
    """Paid teasers, however their label reads ("You May Also Like" over a
    Taboola feed): a link marked ``rel="sponsored"``, the ad network's
    widget by its class or id (the block's or an ancestor's), or the block's
    own disclosure ("Promoted", "Sponsored Links") in the text around its links."""
    if any("sponsored" in (a.attributes.get("rel") or "") for a in block.css("a[href]")):
        return True
    if by_markup and any(AD_WIDGET.search(_class_words(node)) for node in ancestors(block, 7)):
        return True
    text = " ".join((block.text(deep=True, separator=" ") or "").split())
    if len(text) > 4000 or not PAID_DISCLOSURE.search(text):
        return False
    # (A headline may say "sponsored", and one teaser's card "Anzeige" among
    # editorial ones: that teaser goes, in _links_in. The block is paid when
    # it says so around its teasers, or when every teaser does.)
    teasers: dict[int, LexborNode] = {}
    paid = 0
    for a in block.css("a[href]")[:MAX_BLOCK_LINKS]:
        teaser = _teaser_of(a, block)
        if teaser.mem_id not in teasers:
            teasers[teaser.mem_id] = teaser
            paid += _paid_teaser(a, block, link_title(a))
    for teaser in teasers.values():
        text = text.replace(spaced_text(teaser), " ", 1)
    return bool(PAID_DISCLOSURE.search(text)) or bool(teasers) and paid >= len(teasers)


def _in_running_text(a: LexborNode, title: str) -> bool:
    """A link inside a sentence ('as this 2013 study showed') cites; it is no teaser."""
    parent = a.parent
    for _ in range(2):
        if parent is None:
            return False
        if parent.tag in ("p", "li", "td", "dd"):
            # The link starts its paragraph in a teaser ("<a>Title</a> excerpt ..."); a citation sits inside.
            text = " ".join((parent.text(deep=True) or "").split())
            if len(text) <= 3 * len(title) + 40 or text.startswith(title[:20]):
                return False
            # A paragraph of nothing but links ("<p><a>..</a><br><a>..</a></p>") is a list of them.
            linked = sum(len(" ".join((link.text(deep=True) or "").split())) for link in parent.css("a"))
            return linked < 0.8 * len(text)
        parent = parent.parent
    return False


def _article_titles(links: list[dict], cards: set[str] | frozenset[str] = frozenset()) -> list[dict]:
    """Drop what in a block of article titles is no article: 'Read more',
    'View all posts', an author's name and credentials, a paid teaser, and
    the one- or two-word topic chips beside titles of several words. A block
    of nothing but short links ("RA Basics", "Weight Storage", "Shop") is a
    menu of topics, products or sections: no teasers at all. But a teaser
    card (``cards``: with its picture or its own title element) is an
    article however short its title: a health library's "Migraine",
    "Hernie hiatale"."""
    links = [link for link in links if not GENERIC_TITLE.match(link["title"])
             and not AUTHOR_CREDENTIALS.search(link["title"]) and not PAID_TITLE.search(link["title"])
             and not VIDEO_TITLE.search(link["title"])]
    if cards and all(link["url"] in cards for link in links):
        return links
    words = [_words(link["title"]) for link in links]
    lengths = sorted(words)
    median = lengths[len(lengths) // 2] if lengths else 0
    if median >= 4:
        return [link for link, n in zip(links, words) if n >= 3]
    if median <= 2 and len(links) >= 3:
        return [link for link, n in zip(links, words) if n >= 4]
    if len(links) >= 4 and lengths[-1] <= 3:
        return []
    return links


def _words(title: str) -> int:
    """Words of a title ("Sports & Exercise" has two: a topic chip, not a headline)."""
    return len(WORD_TOKEN.findall(title))


WORD_TOKEN = re.compile(r"\S*[^\W_]\S*")  # a run of non-space holding a letter or digit


# What a teaser's anchor holds beside its headline: a kicker, the date, the
# reading time, the source ("Nutrition", "Mar 3, 2025 · 4 min read").
TEASER_EXTRAS = ("time, small, [class*=kicker], [class*=eyebrow], [class*=category], [class*=meta], "
                 "[class*=date], [class*=byline], [class*=source], [class*=reading-time], [class*=read-time], "
                 "[class*=visually-hidden], [class*=VisuallyHidden], [class*=visuallyhidden], [class*=sr-only], "
                 "[class*=screen-reader]")  # (and what only a screen reader hears: "Video, 00:02:13")


def link_title(a: LexborNode) -> str:
    """A link's title: its headline element when the anchor also holds a
    kicker, a rank number or an image caption; else its text without the
    kicker, date and reading time; else, for a link that is only an image,
    what it says of itself (``aria-label``, ``title``, the image's ``alt``)."""
    return _title_and_whence(a)[0]


def _title_and_whence(a: LexborNode) -> tuple[str, bool]:
    """:func:`link_title`, and whether the page shows it (False: read from
    an image link's attributes). A card whose only links are "Read more" or
    its photo is titled by its own heading, which it does not link."""
    title, shown = _own_title(a)
    if not title or not shown or GENERIC_TITLE.match(title):
        heading = _card_heading(a)
        if heading:
            return heading, True
    return title, shown


MAX_CARD_NODES = 300


def _card_heading(a: LexborNode) -> str | None:
    """The heading of the card a link sits in: the nearest of three
    ancestors that holds one heading (not linked) and links to nothing but
    this link's target. (A sidebar widget's title, "I wrote some books!",
    names the widget, not the page its image links to.)"""
    href = a.attributes.get("href")
    node = a
    for _ in range(3):
        node = node.parent
        if node is None or node.tag in ("body", "main", "article", "section", "ul", "ol"):
            return None
        links = _links_within(node, 8, MAX_CARD_NODES)
        if links is None or links > 8:
            return None  # a card is small: a few links, a few hundred nodes (and asked for each of its links)
        # (One node per element: a selector list finds an <h3 class="title"> twice.)
        headings = list({h.mem_id: h for h in node.css("h2, h3, h4, h5, [class*=title], [class*=heading]")}.values())
        if not headings:
            continue
        if len(headings) > 1 or headings[0].css_first("a[href]") is not None or "widget" in _class_words(node) or \
                any(other.attributes.get("href") != href for other in node.css("a[href]")):
            return None
        text = spaced_text(headings[0])
        return text if 3 <= len(text) <= 200 else None
    return None


def _own_title(a: LexborNode) -> tuple[str, bool]:
    if not has_element_child(a):  # (most links are a run of text: nothing inside to tell apart)
        text = spaced_text(a)
        return (text, True) if text else (image_link_title(a), False)
    best = ""
    for child in a.css("h1, h2, h3, h4, h5, h6, [class*=headline], [class*=title]"):
        if child.mem_id == a.mem_id or "subtitle" in (child.attributes.get("class") or ""):
            continue
        text = spaced_text(child)
        # A kicker ("Relationships", "SCORCHER") sits beside the headline in
        # an element of its own: the headline is the one of more words.
        if len(text) >= 3 and len(text.split()) > len(best.split()):
            best = text
    text = spaced_text(a)
    if best:
        # A headline element of a few capital words ("SCORCHER", "FAT
        # CHANCE") is a tabloid kicker; the title is the deck beside it.
        rest = text.replace(best, "", 1).strip()
        if len(best.split()) <= 3 and best.isupper() and len(rest.split()) >= 5:
            return rest, True
        return best, True
    if text:
        for extra in a.css(TEASER_EXTRAS):
            if extra.mem_id == a.mem_id:
                continue
            part = spaced_text(extra)
            rest = text.replace(part, "", 1).strip() if part else text
            if len(rest.split()) >= 2:  # (a link that is all date stays as it is)
                text = " ".join(rest.split())
        return text, True
    return image_link_title(a), False


def image_link_title(a: LexborNode) -> str:
    """The title of a link that shows no text: a thumbnail teaser names its
    article for screen readers (``aria-label``, ``title``, the one image's ``alt``)."""
    attrs = a.attributes
    for value in (attrs.get("aria-label"), attrs.get("title")):
        if value and value.strip():
            return " ".join(value.split())
    images = a.css("img[alt]")
    if len(images) == 1:
        return " ".join((images[0].attributes.get("alt") or "").split())
    return ""


def _inside(node: LexborNode, ancestor: LexborNode) -> bool:
    parent = node
    while parent is not None:
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False


MAX_BLOCK_LINKS = 80    # links a block of teasers holds at the most
MAX_BLOCK_NODES = 5000  # ... and elements and text nodes


def _links_within(node: LexborNode, max_links: int, max_nodes: int) -> int | None:
    """How many <a href> the node holds, counted up to ``max_links`` + 1;
    None past ``max_nodes`` nodes."""
    links = 0
    for current in _descendants(node, max_nodes):
        if current is None:
            return None
        if current.tag == "a" and "href" in current.attributes:
            links += 1
            if links > max_links:
                return links
    return links


def _note_with_ancestors(node: LexborNode, ids: set[int]) -> None:
    """Add the node and every element around it to ``ids`` (stopping where
    an earlier node's ancestors were added: each element is added once)."""
    while node is not None and node.mem_id not in ids:
        ids.add(node.mem_id)
        node = node.parent


def _within(node: LexborNode, ids: set[int], limit: int = 64) -> bool:
    """Is the node, or one of the ``limit`` elements around it, one of
    ``ids``? (Bounded: a block of teasers is not nested deeper than that in
    another, and asking each of thousands of nested blocks about all its
    ancestors cost their depth squared.)"""
    for _ in range(limit):
        if node is None:
            return False
        if node.mem_id in ids:
            return True
        node = node.parent
    return False


def _block_for(label: LexborNode, single: bool = False, link_counts: dict[int, int] | None = None
               ) -> LexborNode | _SiblingRun | None:
    """The smallest ancestor of a label that holds at least two other links
    (one, for a label in the singular: "Related Story"); for a label whose
    nearest links are the article's own, the links that follow it.
    ``link_counts`` remembers each ancestor's count of links for the next
    label: a page of a thousand labels side by side asks the same article
    element each time."""
    link_counts = {} if link_counts is None else link_counts
    node = label
    own = len(label.css("a[href]"))  # (every ancestor holds the label's own links: the others are the rest)
    for _ in range(4):
        node = node.parent
        if node is None or node.tag in ("body", "html"):
            return None
        count = link_counts.get(node.mem_id)
        if count is None:
            count = link_counts[node.mem_id] = len(node.css("a[href]"))
        if count - own >= (1 if single else 2):
            if count > MAX_BLOCK_LINKS:
                return None
            anchors = node.css("a[href]")
            # A block of teasers is mostly links; a label whose nearest links
            # sit in running text (an article's own links) has no block.
            # (Counted without whitespace: a pretty-printed block's
            # indentation is no text, and it can be most of the characters.)
            text = _visible_chars(node)
            linked = sum(_visible_chars(a) for a in anchors)
            if text and (linked >= 0.2 * text or _teaser_cards(node, label)):
                return node
            return _list_after(label)
    return _list_after(label)


ARIA_CONTAINERS = ("section", "aside", "nav", "div", "ul", "ol")


def _aria_labelled(tree: LexborHTMLParser):
    """(block, label text, label element or None, tier) of the containers that name
    themselves for assistive technology: ``<section aria-label="Related
    articles">`` (a label nobody sees), or ``aria-labelledby`` pointing at
    the element that shows it. Accessible markup says what a block is where
    no heading does, or where the heading is a styled paragraph. Not in the
    page's footer."""
    by_id: dict[str, LexborNode] | None = None  # read once, when a container first points at a label
    for node in tree.css("[aria-label], [aria-labelledby]"):
        if node.tag not in ARIA_CONTAINERS:
            continue
        attrs = node.attributes
        label, text = None, " ".join((attrs.get("aria-label") or "").split())
        if not text and attrs.get("aria-labelledby"):
            if by_id is None:
                by_id = {}
                for element in tree.css("[id]"):
                    by_id.setdefault(element.attributes.get("id") or "", element)
            label = by_id.get((attrs.get("aria-labelledby") or "").split()[0])
            text = " ".join(((label.text(deep=True) if label is not None else "") or "").split())
        tier = _label_tier(text) if text else None
        if tier is None or _in_footer(node):
            continue  # (most are "Site search", "Main menu"; a footer's "Related government sites" is the site's)
        anchors = node.css("a[href]")
        if 2 <= len(anchors) <= 80 and _read_as_headlines(anchors):
            yield node, text, label, tier


def _visible_chars(node: LexborNode) -> int:
    return len("".join((node.text(deep=True) or "").split()))


def _teaser_cards(node: LexborNode, label: LexborNode) -> bool:
    """Teasers with their excerpts: two or more sibling cards (elements of one
    class, or ``<article>`` elements), each a short block whose title is a
    link. Their excerpts outweigh the titles, as the text around an
    article's own links does; that the cards repeat is what tells them apart."""
    cards: dict[tuple[str, str], int] = {}
    child = node.child
    while child is not None:
        tag = child.tag
        cls = child.attributes.get("class") if tag in ("div", "li", "article", "section") else None
        if (cls or tag == "article") and not _inside(label, child) and len(child.text(deep=True) or "") <= 500 and \
                any(len((a.text(deep=True) or "").split()) >= 2 for a in child.css("a[href]")):
            key = (tag, cls.split()[0] if cls else "")  # (a card's later classes may be its post's own: "post-500")
            cards[key] = cards.get(key, 0) + 1
        child = child.next
    return any(n >= 2 for n in cards.values())


def _list_after(label: LexborNode) -> LexborNode | _SiblingRun | None:
    """The links that follow a label standing alone in its paragraph, inside
    an article's text: a list ("<p><strong>Related:</strong></p><ul><li><a>
    ...</a></li></ul>") or a run of paragraphs that are each one link."""
    wrapper = label
    # (Out of the wrappers that hold the label alone, a page builder's few:
    # none holds a link, as a block of image-only teasers, text and all, would.)
    for _ in range(12):
        if not (wrapper.parent is not None and wrapper.parent.tag in ("p", "div", "span", "strong", "b", "section") and
                " ".join((wrapper.parent.text(deep=True) or "").split()) == " ".join((label.text(deep=True) or "").split())
                and not any(not _inside(a, label) for a in wrapper.parent.css("a[href]"))):
            break
        wrapper = wrapper.parent
    following = _next_element(wrapper)
    if following is None:
        return None
    if following.tag in ("ul", "ol"):
        items = following.css("li")
        if len(items) < 2 or any(item.css_first("a[href]") is None for item in items):
            return None
        block: LexborNode | _SiblingRun = following
    elif following.tag in ("div", "section", "aside", "nav"):
        # A wrapper of links right after the label ("<h2>Related articles</h2>
        # <div class="grid">…<ul>…</ul></div>"): mostly links, and not many.
        # (Or cards with excerpts, however deep the page builder nests them:
        # a heading widget in a section of its own over a posts widget.)
        anchors = following.css("a[href]")
        text = _visible_chars(following)
        if not 2 <= len(anchors) <= 40 or not text or (sum(_visible_chars(a) for a in anchors) < 0.5 * text
                                                       and not _teaser_cards(_only_child_down(following), label)):
            return None
        block = following
    elif following.tag == "p":
        run = []
        while following is not None and following.tag == "p" and _one_link(following):
            run.append(following)
            following = _next_element(following)
        if len(run) < 2:
            return None
        block = _SiblingRun(run)
    else:
        return None
    # "Asthma", "Food Allergies" under "Related to Allergies" are a menu of topics.
    return block if _read_as_headlines(block.css("a[href]")) else None


def _only_child_down(node: LexborNode, limit: int = 12) -> LexborNode:
    """The first element inside ``node`` with more than one element child:
    where a page builder's wrappers end and the repeated cards begin."""
    for _ in range(limit):
        children = []
        child = node.child
        while child is not None and len(children) < 2:
            if child.tag not in ("-text", "-comment"):
                children.append(child)
            child = child.next
        if len(children) != 1:
            return node
        node = children[0]
    return node


def _read_as_headlines(anchors: list[LexborNode]) -> bool:
    """Teasers are headlines of several words: the median link title has three
    or more (a strip of one- or two-word links is a menu of topics). A card
    links its article two or three times (picture, headline, "Read more"):
    each article counts once, by its longest title."""
    longest: dict[str, int] = {}
    for a in anchors:
        href = a.attributes.get("href") or ""
        longest[href] = max(longest.get(href, 0), len(link_title(a).split()))
    lengths = sorted(longest.values())
    return bool(lengths) and lengths[len(lengths) // 2] >= 3


def _next_element(node: LexborNode) -> LexborNode | None:
    following = node.next
    while following is not None and following.tag in ("-text", "br", "-comment"):
        following = following.next
    return following


def _one_link(paragraph: LexborNode) -> bool:
    """A paragraph that is nothing but one link (a teaser line)."""
    anchors = paragraph.css("a[href]")
    if len(anchors) != 1:
        return False
    text = len(" ".join((paragraph.text(deep=True) or "").split()))
    return text > 0 and len(" ".join((anchors[0].text(deep=True) or "").split())) >= 0.8 * text


class _SiblingRun:
    """Consecutive sibling elements read as one block (a label's paragraphs
    of links); it answers as its first element does, but for its links."""

    def __init__(self, nodes: list[LexborNode]):
        self.nodes = nodes

    def __getattr__(self, name: str):
        return getattr(self.nodes[0], name)

    def css(self, selector: str) -> list[LexborNode]:
        return [match for node in self.nodes for match in node.css(selector)]


SIDEBAR_TOKENS = {"sidebar", "side", "rail", "aside", "widget-area", "widgets", "secondary", "column-right", "right"}


# A class that names a layout with a sidebar, or its main part
# ("sidebar-layout__content", "has-sidebar", "content-with-sidebar"), wraps
# the article's own column too: it says nothing of where a block sits.
SIDEBAR_LAYOUT = re.compile(r"layout|content|main|wrap|container|(?:has|with|no)-sidebar")


def _in_sidebar(node: LexborNode) -> bool:
    for ancestor in ancestors(node, 10):
        if ancestor.tag == "aside" or (ancestor.attributes.get("role") or "") == "complementary":
            return True
        for token in _class_words(ancestor).split():
            if (token in SIDEBAR_TOKENS or "sidebar" in token) and not SIDEBAR_LAYOUT.search(token):
                return True
    return False


def _in_footer(node: LexborNode) -> bool:
    """In the page's footer (the block itself or an ancestor says so)."""
    return any(ancestor.tag == "footer" or any(token.startswith("footer") for token in class_tokens(ancestor))
               for ancestor in ancestors(node, 12))


# An author's box ("More from Jane Morgan" over her other posts): the
# writer's list, not what is read with this article.
AUTHOR_BOX = re.compile(r"author[-_]?(?:box|bio|info|card|profile|details|block|wrap|about)|about[-_]?(?:the[-_]?)?author|"
                        r"(?:^|\s)bio[-_]?box|(?:^|\s)post[-_]author(?:\s|$)")


PAGE_FOOTER_NAME = re.compile(r"^(?:site|page|global|main)?[-_]?footer$", re.I)


def _page_footer(node: LexborNode, class_words: str) -> bool:
    """Is this element the page's own footer, the site's: a ``<footer>``
    outside the article and the main content (an article's ``<footer>``
    holds its related posts), ``role="contentinfo"``, or an element whose
    whole class or id is "footer", "site-footer" ("mod-no-footer" is no
    footer)? (``class_words``: its class and id, from :func:`_class_words`.)"""
    if node.tag == "footer" and not any(up.tag in ("article", "main") for up in ancestors(node.parent, 24)):
        return True
    if (node.attributes.get("role") or "") == "contentinfo":
        return True
    return "footer" in class_words and any(PAGE_FOOTER_NAME.match(name) for name in class_words.split())


def _document_positions(nodes: list[LexborNode]) -> list[tuple[int, ...]]:
    """Where each node stands in page order (the index of it and of each
    ancestor among its siblings): selectolax gives no offsets. Each parent's
    children are counted once, so thousands of sibling blocks cost their
    number, not its square."""
    indexes: dict[int, dict[int, int]] = {}
    positions = []
    for node in nodes:
        position = []
        while node is not None and node.tag not in ("html", "-document"):
            parent = node.parent
            key = parent.mem_id if parent is not None else -1
            table = indexes.get(key)
            if table is None:
                table = indexes[key] = {}
                child = parent.child if parent is not None else node
                while child is not None:
                    table[child.mem_id] = len(table)
                    child = child.next
            position.append(table.get(node.mem_id, 0))
            node = parent
        positions.append(tuple(reversed(position)))
    return positions


# Class and id words of unlabelled recommendation widgets ("recirc-section",
# "trending-now", "people_are_reading", "related_reading", "read-next"): the
# tier says whose picks they are, as the labels' tiers do.
# ("read-more-wrap": the "Read more" strip of Ghost's default theme, Casper.)
CLASS_TIER_1 = ("related", "recirc", "recommend", "read-next", "readnext", "read-more-wrap", "also-read", "also-like",
                "you-may", "people-are-reading", "others-are-reading", "more-like-this", "further-reading")
CLASS_TIER_2 = ("trending", "popular", "most-read", "mostread", "most-viewed")
NAVIGATION_TAGS = ("nav", "header", "footer", "form")
NAVIGATION_TOKENS = ("menu", "nav", "breadcrumb", "footer", "header", "toc", "tags", "categor", "pagination", "share")


def _class_words(node: LexborNode) -> str:
    return f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}".lower().replace("_", "-")


def _in_navigation(node: LexborNode) -> bool:
    """Inside a menu, header, footer or the like (whose links are the site's, not this article's)."""
    return any(ancestor.tag in NAVIGATION_TAGS or (ancestor.attributes.get("role") or "") == "navigation"
               or any(token.startswith(NAVIGATION_TOKENS) for token in class_tokens(ancestor))
               for ancestor in ancestors(node.parent, 12))


def _class_blocks(tree: LexborHTMLParser) -> list[tuple[str, LexborNode, None]]:
    """Blocks of teasers that no label names, found by their class or id
    words: the outermost such container with at least two article links,
    outside navigation; tier 1 words first, then popularity lists outside a
    sidebar, then any."""
    found: dict[int, list[tuple[str, LexborNode, None]]] = {1: [], 2: []}
    # The blocks found, and every element around one: a block inside or
    # around another is not another (sets, so that thousands of such blocks
    # cost their number, not its square).
    found_ids: set[int] = set()
    around_found: set[int] = set()
    for tier, words in ((1, CLASS_TIER_1), (2, CLASS_TIER_2)):
        variants = {v for w in words for v in (w, w.replace("-", "_"))}
        selector = ", ".join(f'[class*="{v}"], [id*="{v}"]' for v in sorted(variants))
        for node in tree.css(selector):
            if node.tag in ("a", "html", "body", "main", "article") or _in_navigation(node):
                continue
            if node.mem_id in around_found or _within(node, found_ids):
                continue
            if not 2 <= (_links_within(node, MAX_BLOCK_LINKS, MAX_BLOCK_NODES) or 0) <= MAX_BLOCK_LINKS:
                continue
            anchors = node.css("a[href]")
            if link_density(node) < 0.3:
                continue
            if _read_as_headlines(anchors) and not paid_block(node):
                word = next(w for w in words if w in _class_words(node))
                found[tier].append((word.replace("-", " "), node, None))
                found_ids.add(node.mem_id)
                _note_with_ancestors(node, around_found)
    blocks = found[1] or [block for block in found[2] if not _in_sidebar(block[1])]
    return blocks or found[2]


def related_links(tree: LexborHTMLParser, page_url: str, self_urls: set[str]) -> list[dict]:
    """[{'position', 'title', 'url', 'block'}] from the best-tier related blocks."""
    found: dict[int, list[tuple[str, LexborNode]]] = {1: [], 2: []}
    used: set[int] = set()
    link_counts: dict[int, int] = {}
    for label in tree.css(LABEL_SELECTOR):
        source = _label_source(label)
        if source is None:
            continue  # too much inside for a label
        raw, holds_blocks = source
        if holds_blocks and label.tag in ("div", "span", "p", "li", "a", "header"):
            continue  # a container, not a label
        tier = _label_tier(raw) if raw else None
        if tier is None:
            continue
        text = " ".join(raw.split())
        block = _block_for(label, single=bool(SINGULAR_LABEL.match(text)), link_counts=link_counts)
        if block is None or block.mem_id in used:
            continue
        used.add(block.mem_id)
        found[tier].append((text, block, label))
    # (A block with a visible label is named by it: an aria-labelled block
    # inside one, or around one, is not another. Each visible block's
    # ancestors are noted once, so thousands of blocks of both kinds cost
    # their number, not its square.)
    visible = {block.mem_id for tier_blocks in found.values() for _, block, _ in tier_blocks}
    around_visible: set[int] = set()
    for tier_blocks in found.values():
        for _, node, _ in tier_blocks:
            _note_with_ancestors(node, around_visible)
    for block, text, label, tier in _aria_labelled(tree):
        if block.mem_id in used or block.mem_id in around_visible or _within(block, visible):
            continue
        used.add(block.mem_id)
        found[tier].append((text, block, label))
    # (Not paid teasers, not the page footer's lists, LABELING.md's "not
    # the footer" whatever they are called there, nor an author's box.)
    for tier in found:
        found[tier] = [block for block in found[tier] if not not_the_articles(block[1])]
    # The labelled "related / what others are reading / you may also like /
    # trending" blocks of the page's own column; a popularity list in a
    # sidebar is the site's, not this article's.
    blocks = found[1] + [block for block in found[2] if not _in_sidebar(block[1]) and not (
        found[1] and _in_footer(block[1]))]
    if not blocks:
        blocks = found[2]
    if not blocks:
        blocks = _class_blocks(tree)
    base_node = tree.css_first("base[href]")  # (relative links resolve against the page's <base>, as a browser's do)
    base = document_base(base_node.attributes.get("href") if base_node is not None else None, page_url)
    positions = _document_positions([block for _, block, _ in blocks])
    blocks = [block for _, block in sorted(zip(positions, blocks), key=lambda pair: pair[0])]
    links: list[dict] = []
    seen: set[str] = set()
    for name, block, label in blocks:
        # (A plain list of the site's own pages under "Related ..." is its
        # related pages however short their titles: "Related conditions":
        # "Asthma", "Conjunctivitis".)
        listed = bool(RELATED_LABEL.match(name)) and _bare_link_list(block)
        for link in _links_in(block, label, base, self_urls, page_url if listed else None):
            if link["url"] in seen:
                continue
            seen.add(link["url"])
            # A link to the page itself is kept as the block shows it (the
            # recommendation stage never recommends an article to itself).
            links.append({"position": len(links) + 1, "title": link["title"], "url": link["url"], "block": name,
                          "self": link["self"]})
    return links
