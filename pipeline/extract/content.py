"""The article's own content: boilerplate removed, main container chosen,
body text assembled block by block.

Boilerplate is recognised by tag (nav, footer, aside), ARIA role and the
words in class and id attributes. Because page-wide wrappers carry such
words too ("with-sidebar", "has-ads"), a container holding several long
paragraphs is never dropped for its class alone; comment sections are the
exception, since they hold many long paragraphs by nature.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

JUNK_TAGS = "script, style, noscript, template, svg, iframe, form, button, select, input, textarea, object, embed, canvas, video, audio, map"
ALWAYS_BOILERPLATE_TAGS = {"nav", "footer", "aside"}
BOILERPLATE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert"}
COMMENT_TOKENS = {"comment", "comments", "commentlist", "comment-list", "disqus", "respond", "replies", "kommentare"}
BOILERPLATE_TOKENS = {
    "nav", "navbar", "navigation", "menu", "submenu", "breadcrumb", "breadcrumbs", "share", "sharing", "social",
    "sharebar", "ad", "ads", "advert", "adverts", "advertisement", "adslot", "adsense", "dfp", "sponsor", "sponsored",
    "promo", "promotion", "cookie", "cookies", "consent", "gdpr", "newsletter", "subscribe", "subscription", "signup",
    "related", "recommended", "recommendations", "recirculation", "popular", "trending", "sidebar", "widget",
    "footer", "masthead", "tags", "taglist", "pagination", "pager", "toolbar", "modal", "popup", "overlay",
    "teaser", "teasers", "outbrain", "taboola", "byline", "bio", "banner", "skip", "print", "prev", "next",
    "breaking", "most", "mostread", "subnav", "topnav", "jump", "toc", "author", "newsletter-signup", "paywall",
    "login", "search", "header", "share-bar", "social-share", "tools", "utility", "rating", "reviews",
}
BLOCK_SELECTOR = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, td, th, dt, dd, figcaption, div, section, article"
LEAF_CHECK_SELECTOR = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, td, th, dt, dd, div, section, article, table, ul, ol"
TEASER_END = re.compile(r"(?:mehr lesen|weiterlesen|read more|continue reading|read the full story|zum artikel)\s*[»›>→]*\s*$", re.I)
TOKEN_SPLIT = re.compile(r"[\s_\-]+")


def has_descendant(node: LexborNode, selector: str) -> bool:
    """Does anything *inside* node match? (selectolax's css() also matches the node itself.)"""
    child = node.child
    while child is not None:
        if child.tag not in ("-text", "-comment") and child.css_first(selector) is not None:
            return True
        child = child.next
    return False


def class_tokens(node: LexborNode) -> set[str]:
    attrs = node.attributes
    value = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    if not value.strip():
        return set()
    return set(TOKEN_SPLIT.split(value.strip()))


def long_paragraphs(node: LexborNode, minimum: int = 3) -> bool:
    """True when the node holds at least ``minimum`` paragraphs of real prose."""
    count = 0
    for p in node.css("p"):
        if len(p.text(deep=True)) >= 120:
            count += 1
            if count >= minimum:
                return True
    return False


def remove_junk(tree: LexborHTMLParser) -> None:
    """Drop what is never content: scripts, styles, forms, embedded media."""
    for node in tree.css(JUNK_TAGS):
        node.decompose()
    # A line break is a boundary between words and often between items.
    for node in tree.css("br"):
        node.replace_with("\n")


def remove_boilerplate(root: LexborNode) -> None:
    """Remove navigation, ads, share bars, comments, related blocks and the like."""
    for node in root.css("nav, footer, aside, header, [role], [class], [id]"):
        if node.parent is None:
            continue
        tag = node.tag
        if tag in ("html", "body", "main", "article"):
            continue
        role = (node.attributes.get("role") or "").lower()
        tokens = class_tokens(node)
        if tokens & COMMENT_TOKENS:
            node.decompose()
            continue
        boiler = (tag in ALWAYS_BOILERPLATE_TAGS or role in BOILERPLATE_ROLES or tag == "header"
                  or bool(tokens & BOILERPLATE_TOKENS))
        if not boiler:
            continue
        # A wrapper that merely mentions "sidebar" or "ads" but holds the article stays.
        if long_paragraphs(node):
            continue
        node.decompose()
    # Inline teasers ("... mehr lesen", "Read more") inside the article: found
    # from their link, so the cost follows the number of links, not the depth.
    for anchor in root.css("a"):
        if anchor.parent is None or not TEASER_END.search((anchor.text(deep=True) or "").strip()):
            continue
        node = anchor
        for _ in range(4):
            parent = node.parent
            if parent is None or parent.tag in ("body", "html", "article", "main") or len(parent.text(deep=True)) >= 400:
                break
            node = parent
        if node.tag in ("div", "p", "section", "li", "aside", "a"):
            node.decompose()


def main_container(root: LexborNode) -> LexborNode:
    """The element that holds the article, by paragraph-text scoring
    (readability's idea): each paragraph scores for its parent and, at half
    weight, its grandparent; the best-scoring container wins."""
    for selector in ('[itemprop="articleBody"]', ".entry-content", ".post-content", ".article-body",
                     ".article-content", ".story-body", ".post-body"):
        node = root.css_first(selector)
        if node is not None and len(node.text(deep=True)) > 300:
            return node
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for p in root.css("p, pre, td, li"):
        text = p.text(deep=True)
        length = len(text)
        if length < 25:
            continue
        links = sum(len(a.text(deep=True)) for a in p.css("a"))
        if links > length * 0.5:
            continue
        score = 1 + min(length / 100, 3) + text.count(",") * 0.1
        parent = p.parent
        for weight in (1.0, 0.5, 0.25):
            if parent is None or parent.tag in ("html",):
                break
            key = parent.mem_id
            nodes[key] = parent
            scores[key] = scores.get(key, 0) + score * weight
            parent = parent.parent
    if not scores:
        return root
    best = nodes[max(scores, key=scores.get)]
    return best


def clean_text(text: str) -> str:
    """Collapse white space within lines; keep line breaks that <br> made."""
    lines = (" ".join(line.split()) for line in (text or "").split("\n"))
    return "\n".join(line for line in lines if line)


def body_text(container: LexborNode) -> str:
    """The container's text, one block a paragraph, inline markup kept inline."""
    blocks: list[str] = []
    for node in container.css(BLOCK_SELECTOR):
        if has_descendant(node, LEAF_CHECK_SELECTOR):
            # Not a leaf: its text that sits directly inside it (a div with a
            # bare sentence) is still wanted, the nested blocks come on their own.
            own = " ".join(t for t in (node.text(deep=False) or "").split())
            if len(own) > 40:
                blocks.append(own)
            continue
        text = clean_text(node.text(deep=True))
        if text:
            blocks.append(text)
    if not blocks:
        text = " ".join(container.text(deep=True, separator=" ").split())
        return text
    return "\n\n".join(blocks)
