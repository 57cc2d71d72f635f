"""The article's own content: junk and boilerplate removed, main container found.

Boilerplate is recognised by tag (nav, footer, aside), ARIA role and the
words in class and id attributes. Some words are sure signs (menu, share,
cookie, newsletter, related, comments); others are also used by page
builders for everything (Elementor calls every block a "widget"), so an
element carrying only such a word is dropped only when it is link-heavy or
small. An element that holds the article (several long paragraphs) is never
dropped for its class alone; comment sections are the exception, since they
hold long paragraphs by nature.

The main container is chosen readability's way (paragraph text scores for
its parent and, less, its grandparents), then widened while its parent
holds much more of the article's prose: sites that split one article over
sibling modules would otherwise lose all but the first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipeline.extract.structure import (HEADING_TAGS, INLINE_TAGS, LARGE_TEXT_PX, Block, clean_text, css_pixels,
                                        holds_at_least, list_items, table_rows)

JUNK_TAGS = ("script, style, noscript, template, svg, iframe, select, input, textarea, object, embed, "
             "canvas, video, audio, map, dialog")
# A printable checklist is a form whose list items are ticked: its list is
# the article's own ("Avoid caffeine after 2pm" beside a checkbox). Any
# other form (search, sign-up, comment) is page furniture.
CHECKLIST_ITEMS = 3
# A carousel's copies of its slides ("slick-cloned", "swiper-slide-duplicate", "glide__slide--clone").
CAROUSEL_CLONE = re.compile(r"^(?:slick-cloned|cloned|clone|swiper-slide-duplicate(?:-[\w-]+)?|[\w-]+--clone|"
                            r"[\w-]+-cloned)$")
# A button that opens a panel (an accordion's or a tab's) is the panel's
# title: "Stay active" over the tip it shows. Other buttons (Share, Print,
# Load more) are page furniture.
DISCLOSURE_CLASS = re.compile(r"(?:^|[\s_-])(?:accordion|collaps\w*|toggle|faq|tabs?|expand\w*|disclosure)(?:$|[\s_-])",
                              re.I)
ALWAYS_BOILERPLATE_TAGS = {"nav", "footer", "aside", "header"}
BOILERPLATE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert", "menu",
                     "menubar", "toolbar"}
COMMENT_TOKENS = {"comment", "comments", "commentlist", "comment-list", "disqus", "respond", "replies", "kommentare"}
# Sure signs: an element carrying one of these is boilerplate unless it holds the article.
STRONG_TOKENS = {
    "nav", "navbar", "navigation", "menu", "submenu", "megamenu", "breadcrumb", "breadcrumbs", "share", "sharing",
    "social", "sharebar", "advert", "adverts", "advertisement", "adslot", "adsense", "dfp", "sponsor", "sponsored",
    "promo", "promotion", "cookie", "cookies", "consent", "gdpr", "newsletter", "subscribe", "subscription",
    "signup", "related", "recommended", "recommendations", "recirculation", "popular", "trending", "sidebar",
    "footer", "masthead", "taglist", "pagination", "pager", "modal", "popup", "outbrain", "taboola",
    "paywall", "login", "breaking", "mostread", "subnav", "topnav", "offcanvas", "off-canvas", "ad", "ads",
    "rail", "upsell",
}
# Weak signs: page builders use these words for content wrappers too.
WEAK_TOKENS = {
    "widget", "teaser", "teasers", "byline", "bio", "banner", "skip", "print", "prev", "next", "most", "jump",
    "toc", "author", "header", "tools", "utility", "rating", "reviews", "tags", "search", "toolbar", "meta",
    # (A popup's layer, or a flip box's face and a background's shade: "elementor-flip-box__layer__overlay".)
    "overlay",
}
TEASER_END = re.compile(r"(?:mehr lesen|weiterlesen|read more|continue reading|read the full story|zum artikel|"
                        r"lire la suite|leer más|seguir leyendo)\s*[»›>→…]*\s*$", re.I)
NOT_CONTAINERS = {"tbody", "thead", "tfoot", "tr", "td", "th", "table", "ul", "ol", "li", "dl", "dd", "dt", "p",
                  "span", "a", "strong", "b", "em", "i", "font"}


TOKEN_SEPARATORS = str.maketrans("_-\t\n", "    ")


def class_tokens(node: LexborNode) -> frozenset[str]:
    """The words of an element's class and id. An id that is an anchor made
    from the text (a heading's "h-4-select-times-for-social-media", any id
    of five words or more) names no role: its "social" is no share bar."""
    attrs = node.attributes
    return _class_tokens(attrs.get("class") or "", attrs.get("id") or "", node.tag in HEADING_TAGS)


@lru_cache(maxsize=16384)
def _class_tokens(classes: str, ident: str, heading: bool) -> frozenset[str]:
    # Cached: a page repeats a few dozen class strings over thousands of
    # elements, and every element is asked about several times.
    tokens = _affirmed(classes.lower().translate(TOKEN_SEPARATORS).split())
    words = _affirmed(ident.lower().translate(TOKEN_SEPARATORS).split())
    return frozenset(tokens + words if not heading and len(words) < 5 else tokens)


NEGATIONS = frozenset({"not", "no", "non"})


def _affirmed(words: list[str]) -> list[str]:
    """The words without those a negation turns round: Weebly's content
    block is "wsite-not-footer", which is no footer."""
    return [word for k, word in enumerate(words) if word in NEGATIONS or k == 0 or words[k - 1] not in NEGATIONS]


def long_paragraphs(node: LexborNode, minimum: int = 3) -> bool:
    """True when the node holds at least ``minimum`` paragraphs of real prose."""
    count = 0
    for p in node.css("p"):
        if len(p.text(deep=True)) >= 120:
            count += 1
            if count >= minimum:
                return True
    return False


def link_density(node: LexborNode) -> float:
    """Share of the node's text that sits inside links: high on menus and index pages."""
    total = len(node.text(deep=True) or "")
    if not total:
        return 0.0
    return sum(len(a.text(deep=True) or "") for a in node.css("a")) / total


CSS_RULE = re.compile(r"\.(-?[A-Za-z_][\w-]*)\s*\{([^{}]{0,600})\}")
CSS_WEIGHT = re.compile(r"font-weight\s*:\s*(bold(?:er)?|[6-9]00)\b", re.I)
# The class names CSS-in-JS libraries generate ("css-1x2y3z", "sc-bdVaJa", "Title_title__3kq9Z"):
# where the only sign of a heading is its style.
GENERATED_CLASS = re.compile(r"^(?:css|sc|jsx|emotion|styled|tw)-[\w-]+$|^[A-Za-z]+_[\w-]+__[\w-]{5,}$")
MAX_STYLE_CHARS = 200_000  # of a page's <style> text read for its heading classes
MAX_CSS_HEADINGS = 20      # classes marked


def mark_css_headings(tree: LexborHTMLParser) -> None:
    """Headings whose look is set by a class in the page's own stylesheet
    (CSS-in-JS: "<div class="css-1x2y3z">Take regular screen breaks</div>"
    with ".css-1x2y3z{font-weight:700;font-size:1.25rem}"): each such
    element is marked with its level (``data-css-heading``), by its size,
    as a heading tag's number gives one. Only one-class rules are read."""
    _mark_inline_headings(tree)
    css = "".join(node.text() or "" for node in tree.css("style"))[:MAX_STYLE_CHARS]
    if "font-weight" not in css:
        return
    levels: dict[str, int] = {}
    for name, body in CSS_RULE.findall(css):
        if not GENERATED_CLASS.match(name):
            continue  # (a theme's named classes come with markup that says what they are)
        level = _css_level(body)
        if level:
            levels[name] = level
        if len(levels) >= MAX_CSS_HEADINGS:
            break
    for name, level in levels.items():
        for node in tree.css(f"div.{name}, p.{name}, span.{name}"):
            # (A link's text is no heading: a teaser's headline, a phone number.)
            if node.css_first("a") is None and not any(a.tag == "a" for a in ancestors(node.parent, 6)):
                node.attrs["data-css-heading"] = str(level)


def _css_level(style: str) -> int | None:
    """The heading level a style gives (bold and LARGE_TEXT_PX or more), if any."""
    pixels = css_pixels(style)
    if not CSS_WEIGHT.search(style) or pixels is None or pixels < LARGE_TEXT_PX:
        return None
    return 2 if pixels >= 24 else 3 if pixels >= 20 else 4


def _mark_inline_headings(tree: LexborHTMLParser) -> None:
    """Short lines set large and bold by their own style (site makers write
    it inline: Framer's "<p style="--framer-font-size:24px;--framer-font-
    weight:700">Cat-cow</p>", Wix's and Squarespace's spans): headings, as
    a stylesheet's classes make them (see mark_css_headings)."""
    marked = 0
    styled = tree.css('p[style*="font-weight"], div[style*="font-weight"], span[style*="font-weight"]')
    for node in styled[:MAX_INLINE_STYLED]:
        level = _css_level(node.attributes.get("style") or "")
        if level is None:
            continue
        text = node.text(deep=True) or ""
        if not text.strip() or len(text.split()) > 15:
            continue
        # (A query matches the node itself: its blocks and links are looked for among its descendants,
        # which a line of 15 words keeps few.)
        if any(n.mem_id != node.mem_id for n in node.css("a, p, div, li")) or \
                any(a.tag == "a" for a in ancestors(node.parent, 6)):
            continue
        # (One level under what its size says: an inline style sets a card's
        # title as large as the section's own <h2> above the cards.)
        node.attrs["data-css-heading"] = str(level + 1)
        marked += 1
        if marked >= MAX_INLINE_HEADINGS:
            break


MAX_INLINE_HEADINGS = 200
MAX_INLINE_STYLED = 5000   # styled elements looked at (a site maker styles every span)


MAX_CHECKBOXES = 500  # checkboxes looked at (a shop's filter panel may hold hundreds)


def mark_checklists(tree: LexborHTMLParser) -> None:
    """A checklist built of checkboxes outside a list ("<div><input
    type=checkbox><label>Wash your feet in warm water</label></div>", three
    or more siblings) is a list in all but markup: its container and items
    are marked (``data-checklist``) before the inputs go, so the reader of
    structure takes it as a list. (Inside <li>s it is a list already.)"""
    containers: dict[int, tuple[LexborNode, list[LexborNode]]] = {}
    for box in tree.css("input[type=checkbox]")[:MAX_CHECKBOXES]:
        item = box.parent
        container = item.parent if item is not None else None
        if container is None or item.tag == "li" or container.tag in ("ul", "ol", "body"):
            continue
        if item.css_first("label") is None and item.tag != "label":
            continue  # (a lone toggle: a menu's or a filter's switch)
        entry = containers.setdefault(container.mem_id, (container, []))
        if all(seen.mem_id != item.mem_id for seen in entry[1]):
            entry[1].append(item)
    for container, items in containers.values():
        if len(items) >= CHECKLIST_ITEMS:
            container.attrs["data-checklist"] = "list"
            for item in items:
                item.attrs["data-checklist"] = "item"


def remove_junk(tree: LexborHTMLParser) -> None:
    """Drop what is never content: scripts, styles, forms (but checklists), embedded media.
    A line break becomes a newline: it separates words and often items."""
    mark_checklists(tree)
    for form in tree.css("form"):
        if form.attributes.get("data-checklist") == "list":
            continue  # the checklist itself: kept whole, read as a list
        # (A checklist is kept; so is a page that ASP.NET wraps whole in its
        # <form id="aspnetForm">, which holds the headings and prose of the article.)
        if len(form.css("li input[type=checkbox]")) >= CHECKLIST_ITEMS or \
                form.css_first("[data-checklist]") is not None or \
                form.css_first("h1, h2") is not None and long_paragraphs(form):
            form.unwrap()
        else:
            form.decompose()
    for node in tree.css(JUNK_TAGS):
        node.decompose()
    for node in tree.css('[class*="clone"], [class*="duplicate"]'):
        # A carousel's copies of its slides ("slick-cloned",
        # "swiper-slide-duplicate"): each tip once, as the reader reads it.
        if any(CAROUSEL_CLONE.match(token) for token in (node.attributes.get("class") or "").split()):
            node.decompose()
    for node in tree.css("button"):
        if _card_button(node):
            node.unwrap()  # its paragraphs are the card's, read as a card's blocks
        elif not _disclosure(node):
            node.decompose()
    for node in tree.css("br"):
        node.replace_with("\n")


def _disclosure(button: LexborNode) -> bool:
    """Does the button open a panel (see DISCLOSURE_CLASS)?"""
    attrs = button.attributes
    if "aria-controls" in attrs or "aria-expanded" in attrs or DISCLOSURE_CLASS.search(attrs.get("class") or ""):
        return True
    return button.parent is not None and button.parent.tag in HEADING_TAGS


def _card_button(button: LexborNode) -> bool:
    """Is the button a card drawn as a button, a flashcard whose front and
    back are paragraphs ("Raise the bed before you start" over why)? Its
    text is content, not a control's label."""
    # (Not a count in a paragraph, a clap button's "<p>23</p>".)
    return button.css_first("p, h2, h3, h4, ul, ol") is not None and holds_at_least(button, chars=20)


def _is_boilerplate(node: LexborNode) -> bool:
    tag = node.tag
    if tag in ("html", "body", "main", "article"):
        return False
    tokens = class_tokens(node)
    if tokens & COMMENT_TOKENS:
        return True
    role = (node.attributes.get("role") or "").lower()
    if tag == "header" and not role and not tokens & STRONG_TOKENS and _section_heading(node):
        return False  # a <section>'s own header holds its heading ("Chin tuck" over its steps)
    if tag == "aside" and not role and not tokens & STRONG_TOKENS and _callout(node):
        return False  # an article's own tip box ("Quick tips for knee pain" and its list)
    strong = tag in ALWAYS_BOILERPLATE_TAGS or role in BOILERPLATE_ROLES or bool(tokens & STRONG_TOKENS)
    if strong:
        return not long_paragraphs(node)
    if tokens & WEAK_TOKENS:
        # Page builders call every block a widget, headings included: only
        # link lists (teaser strips, author boxes, tag clouds) go.
        return link_density(node) > 0.5 and not long_paragraphs(node)
    return False


def _section_heading(node: LexborNode) -> bool:
    """Is this <header> a section's own, holding only its heading? HTML5
    gives each <section> a header: "<section><header><h3>Chin tuck</h3>
    </header>..." is content. A header deeper in a section (a related
    block's label), with the page's h1, a byline, links ("Recent posts · See
    all") or no heading stays page furniture."""
    # (TYPO3 and other CMSs wrap a content element's heading in a <header>
    # inside a <div class="frame">: "<div class=frame><header><h2>Nos 7
    # conseils</h2></header></div>".)
    if node.parent is None or node.parent.tag not in ("section", "div", "article"):
        return False
    heading = node.css_first("h2, h3, h4, h5, h6")
    if heading is None or node.css_first("h1, a") is not None:
        return False
    # (Beside it at most a kicker and a badge: "Stage 1", "3 × 15".)
    own, whole = len(heading.text(deep=True).strip()), len(node.text(deep=True).strip())
    return own >= 0.8 * whole or whole - own <= 24


def ancestors(node: LexborNode | None, limit: int):
    """``node`` and its ancestors, at most ``limit`` of them, up to <body>."""
    for _ in range(limit):
        if node is None or node.tag in ("body", "html"):
            return
        yield node
        node = node.parent


def _callout(node: LexborNode) -> bool:
    """Is this <aside> a box of the article's own text (a tip box, a key
    point), not the page's sidebar or a teaser: inside an <article>, with a
    list or paragraphs and next to no links?"""
    return any(a.tag == "article" for a in ancestors(node.parent, 4)) and \
        node.css_first("ul, ol, p") is not None and link_density(node) < 0.2


def remove_boilerplate(root: LexborNode) -> None:
    """Remove navigation, ads, share bars, comments, related blocks and the like.

    Every decision is made on the untouched tree; the removals then run from
    the last node to the first, so no removed node is touched again."""
    doomed: list[LexborNode] = []
    doomed_ids: set[int] = set()
    for node in root.css("nav, footer, aside, header, [role], [class], [id]"):
        # Inside a node already doomed: goes with it, and its subtree is not
        # scanned again (nested wrappers would make this quadratic).
        parent = node.parent
        if parent is not None and parent.mem_id in doomed_ids:
            doomed_ids.add(node.mem_id)
            continue
        if _is_boilerplate(node):
            doomed.append(node)
            doomed_ids.add(node.mem_id)
    # A box that labels itself an ad ("Advertisement", "Paid content · From
    # our partner", "Anzeige") whatever its class says: found from the label
    # (an element of nothing but text), the small box around it goes.
    # (Only the words the page holds are looked for, and lexbor finds them
    # in C: a look at every element from Python cost 0.3 ms a page.)
    page_text = (root.text() or "").lower()
    present = [word for word in AD_WORDS if word in page_text]
    labels = root.css(", ".join(f'*:lexbor-contains("{word}" i)' for word in present)) if present else []
    for label in labels:
        if label.tag not in AD_LABEL_TAGS:
            continue
        child = label.child
        if child is None or child.tag != "-text" or child.next is not None:
            continue  # (a label is one run of text)
        raw = child.text_content or ""
        if len(raw) > 200:
            continue
        text = " ".join(raw.split())
        if not text or len(text) > 50 or not AD_LABEL.match(text):
            continue
        box = label.parent
        while box is not None and box.tag in ("span", "strong", "em", "small", "p"):
            box = box.parent
        if box is None or box.tag in ("body", "html", "main", "article") or \
                holds_at_least(box, chars=1200, past_max=True) or long_paragraphs(box, 2):
            continue
        doomed.append(box)
    # Inline teasers ("... mehr lesen", "Read more") inside the article: found
    # from their link, so the cost follows the number of links, not the depth.
    for anchor in root.css("a"):
        if not TEASER_END.search((anchor.text(deep=True) or "").strip()):
            continue
        node = anchor
        for _ in range(4):
            parent = node.parent
            if parent is None or parent.tag in ("body", "html", "article", "main") or \
                    holds_at_least(parent, chars=400, past_max=True):
                break
            node = parent
        if node.tag in ("div", "p", "section", "li", "aside", "a"):
            doomed.append(node)
    seen: set[int] = set()
    for node in reversed(doomed):
        if node.mem_id not in seen:
            seen.add(node.mem_id)
            node.decompose()


AD_LABEL = re.compile(r"^(?:advertisement|advertising|sponsored(?:\s+content)?|paid\s+(?:content|post|partnership)|"
                      r"promoted(?:\s+content)?|partner\s+content|from\s+our\s+(?:partners?|sponsors?)|anzeige|werbung|"
                      r"publicité|publicidad)\b[\s·|:\-–—]*(?:(?:from\s+our\s+partners?|by\s+\S+)\s*)?$", re.I)


# What an ad label's words start with (AD_LABEL says what the whole label may be).
AD_WORDS = ("advertis", "sponsored", "paid content", "paid post", "paid partnership", "promoted", "partner content",
            "from our partner", "from our sponsor", "anzeige", "werbung", "publicit")
AD_LABEL_TAGS = frozenset({"p", "span", "small", "div", "strong", "em", "h6", "header"})


def has_element_child(node: LexborNode) -> bool:
    """Does the node hold an element (not only text and comments)?"""
    child = node.child
    while child is not None:
        if child.tag not in ("-text", "-comment"):
            return True
        child = child.next
    return False


CONTAINER_SELECTORS = ('[itemprop="articleBody"]', ".entry-content", ".post-content", ".article-body",
                       ".article-content", ".story-body", ".post-body")


def _children_tagged(node: LexborNode, tag: str) -> list[LexborNode]:
    result = []
    child = node.child
    while child is not None:
        if child.tag == tag:
            result.append(child)
        child = child.next
    return result


def _own_text(node: LexborNode) -> str:
    parts = []
    child = node.child
    while child is not None:
        if child.tag == "-text":
            parts.append(child.text_content or "")
        elif child.tag in INLINE_TAGS:
            parts.append(child.text(deep=True) or "")
        child = child.next
    return "".join(parts)


MAX_PARTS = 20  # blocks of an article's body looked at, for the element that holds them


def _holding_all(nodes: list[LexborNode]) -> LexborNode | None:
    """The nearest element around all the nodes, when there are several, it
    is their parent or grandparent, and it is not the page itself (nor one
    of the nodes inside another)."""
    if len(nodes) < 2:
        return None
    chain: list[LexborNode] = []
    node = nodes[0].parent
    while node is not None and node.tag not in ("body", "html"):
        chain.append(node)
        node = node.parent
    depth = {n.mem_id: k for k, n in enumerate(chain)}
    deepest = 0
    for other in nodes[1:]:
        node = other
        while node is not None and node.mem_id not in depth:
            if node.mem_id == nodes[0].mem_id:
                return None  # one inside the other
            node = node.parent
        if node is None:
            return None
        deepest = max(deepest, depth[node.mem_id])
    # (Parts of one article sit side by side, or a level apart; blocks
    # further apart are other things: a related post's excerpt, a comment.)
    return chain[deepest] if chain and deepest <= 1 else None


def main_container(root: LexborNode) -> LexborNode:
    """The element that holds the article (see the module's docstring)."""
    for selector in CONTAINER_SELECTORS:
        node = root.css_first(selector)
        if node is not None and len(node.text(deep=True)) > 300:
            # An article split into several such blocks with modules between
            # them (a page builder's rich text, a list of exercise cards, rich
            # text again): the element that holds them all.
            return _holding_all(root.css(selector)[:MAX_PARTS]) or node
    scores: dict[int, float] = {}
    scores: dict[int, float] = {}
    totals: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    # (Weebly sets each paragraph as a <div class="paragraph">, lines split by
    # <br>; Notion as a <div data-content-editable-leaf>.)
    for p in root.css("p, pre, td, li, h2, h3, h4, div.paragraph, div[data-content-editable-leaf]"):
        # A cell or list item counts its own text, not that of lists and
        # tables nested in it (which count for themselves): linear, however deep.
        text = p.text(deep=True) if p.tag not in ("td", "li") else _own_text(p)
        length = len(text)
        if length < 25:
            continue
        if p.tag in ("td", "li"):
            links = sum(len(c.text(deep=True) or "") for c in _children_tagged(p, "a"))
        else:
            links = sum(len(a.text(deep=True)) for a in p.css("a"))
        if links > length * 0.5:
            continue
        score = 1 + min(length / 100, 3) + text.count(",") * 0.1
        if p.tag in ("h2", "h3", "h4"):
            score = 0.5
        parent = p.parent
        weight = 1.0
        for depth in range(12):
            if parent is None or parent.tag == "html":
                break
            key = parent.mem_id
            nodes[key] = parent
            totals[key] = totals.get(key, 0) + score
            if depth < 3:
                scores[key] = scores.get(key, 0) + score * weight
                weight /= 2
            parent = parent.parent
    if not scores:
        return root
    best = nodes[max(scores, key=scores.get)]
    while best.tag in NOT_CONTAINERS and best.parent is not None and best.parent.tag not in ("html",):
        best = best.parent
    # Widen while an ancestor a few levels up holds much more of the prose: an
    # article split into modules, or a page builder that wraps every paragraph.
    while True:
        ancestor = best.parent
        wider = None
        for _ in range(6):
            if ancestor is None or ancestor.tag in ("html", "body"):
                break
            if totals.get(ancestor.mem_id, 0.0) >= 1.3 * totals.get(best.mem_id, 0.0):
                wider = ancestor
                break
            ancestor = ancestor.parent
        if wider is None:
            return best
        best = wider


def body_text(flow: list[Block]) -> str:
    """The article's text from the blocks of the main container: one block a
    paragraph, list items and table rows each on their own."""
    parts: list[str] = []
    for block in flow:
        if not block.in_main:
            continue
        if block.kind in ("heading", "para"):
            parts.append(block.text)
        elif block.kind == "list":
            for li in list_items(block.node):
                text = clean_text(li.text(deep=True) or "")
                if text:
                    parts.append(text)
        elif block.kind == "table":
            for cells in table_rows(block.node):
                text = " | ".join(t for t in (clean_text(c.text(deep=True) or "") for c in cells) if t)
                if text:
                    parts.append(text)
        elif block.kind == "dl":
            text = clean_text(block.node.text(deep=True) or "")
            if text:
                parts.append(text)
    return "\n\n".join(parts)
