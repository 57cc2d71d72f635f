"""A page's content as a flow of blocks, in document order.

Everything later in extraction reads this flow, not the DOM: headings,
pseudo-headings (a line that is only bold text, or an element whose class
says it is a title), paragraphs (with their bold lead-in), lists, definition
lists and data tables. A ``div`` that holds only inline content is a
paragraph, as a browser would show it; the loose text between the blocks of
a container becomes paragraphs too.

The walk visits every element once and asks selectolax for the text of a
block once, so its cost is linear in the size of the page whatever the
nesting: a page of thousands of nested lists or layout tables costs what its
bytes cost (a deeper walk would have been quadratic, and one such page took
minutes before).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
PARA_TAGS = frozenset({"p", "blockquote", "pre", "figcaption", "address", "summary", "caption", "legend"})
LIST_TAGS = frozenset({"ul", "ol"})
INLINE_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp",
    "small", "span", "strong", "sub", "sup", "time", "u", "var", "img", "wbr", "font", "label", "del", "ins",
    "nobr", "big", "tt", "strike", "picture", "source", "-text", "abbr", "acronym", "output", "meter", "progress",
})
# Inline elements that real pages use to wrap whole cards (an <a> around a
# heading and a teaser): looked into when a direct child is a block.
WRAPPING_INLINE = frozenset({"a", "span", "font", "label"})
SKIP_TAGS = frozenset({"-comment", "head", "title", "meta", "link", "hr", "img", "picture", "source", "br", "wbr"})
BOLD_TAGS = frozenset({"b", "strong"})
# Text pasted from Google Docs or Word, and some page builders, is bold by
# its style alone: <span style="font-weight:700">.
STYLE_BOLD = re.compile(r"font-weight\s*:\s*(?:bold(?:er)?|[6-9]00)\b", re.I)
# ... and Google Docs wraps a whole paste in <b style="font-weight:normal">.
STYLE_NOT_BOLD = re.compile(r"font-weight\s*:\s*(?:normal|lighter|[1-4]00)\b", re.I)
HEADING_CLASS = re.compile(r"(?:^|[\s_-])(?:sub)?(?:title|heading|headline|subhead\w*|hed)(?:$|[\s_-]|\d)", re.I)
SENTENCE_END = re.compile(r"[.!?…][\"”’)]*$")
TITLE_SLOTS = frozenset({"title", "heading", "header", "headline", "name", "label", "summary"})
# An item's name by its class: "exercise__name", "step-name", "tip_name" (not
# an author's or a product's: those name no advice and sit in boxes of their own).
ITEM_NAME_CLASS = re.compile(r"(?:__|\b(?:exercise|step|tip|move|movement|stretch|pose|drill|remedy)[-_])name\b", re.I)


@dataclass(slots=True)
class Block:
    """One block of the flow."""

    kind: str                  # heading, para, list, table, dl
    node: LexborNode
    text: str                  # headings and paragraphs; "" for lists and tables
    level: int = 0             # headings: 1-6; pseudo-headings: 7
    pseudo: bool = False       # a bold-only line or a titled element, read as a heading
    bold: str | None = None    # a paragraph's bold lead-in ("<strong>Rest.</strong> Lie down ...")
    link_chars: int = 0        # characters of the text that sit inside links
    in_main: bool = False      # inside the main content container
    index: int = 0             # position in the flow
    nodes: list = field(default_factory=list)  # paragraphs made of loose inline runs: their nodes
    depth: int = 0             # nesting depth in the DOM (pseudo-headings are ranked by it)
    prev_heading: int | None = None  # flow index of the nearest heading before it (-1: none; None: not known)


SPACE_BEFORE_MARK = re.compile(r"\s+([:;,.!?)\]’”])")  # "<b>Recline</b>: It is" has no space before its colon


def spaced_text(node: LexborNode) -> str:
    """An element's text on one line, its parts' words kept apart: "Doctors
    Say" in one span and "TrimLife" in the next are two words, a list's items
    ("Sets", "2") are not run together; no space is put before a mark."""
    return SPACE_BEFORE_MARK.sub(r"\1", " ".join((node.text(deep=True, separator=" ") or "").split()))


def clean_text(text: str) -> str:
    """Collapse white space within lines; keep the line breaks that <br> made."""
    if "\n" not in text:
        return " ".join(text.split())
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _bold_text(node: LexborNode) -> tuple[str, int]:
    """(leading bold text, characters of the node's text that are bold), read
    from its direct children and one wrapper level (``<span><strong>``,
    ``<a><b>``), which is where real pages put their lead-ins."""
    return _bold_lead(_children(node))


KEYCAP_MARK = re.compile(r"[0-9#*]\ufe0f?\u20e3")


def _only_marks(text: str) -> bool:
    """Is the text only marks before a lead-in ("1️⃣ ", "👉 ", "• "), no words
    or numbers of its own? (A mark is a character or three: longer text is
    words, and is not read through.)"""
    text = text.strip()
    if len(text) > 8:
        return False
    return not any(ch.isalnum() for ch in KEYCAP_MARK.sub("", text))


def _bold_lead(nodes) -> tuple[str, int]:
    """The same over a sequence of sibling nodes (a loose run of inline content)."""
    lead_parts: list[str] = []
    lead_open = True
    bold_chars = 0
    for child in nodes:
        tag = child.tag
        if tag == "-text":
            loose = child.text_content or ""
            if lead_open and lead_parts and loose[:1].isalnum() and lead_parts[-1][-1:].isalnum():
                # The bold ends inside a word: an acronym's letter ("<b>P</b>rotect:
                # ..."), no lead-in; the item is named by its words.
                return "", bold_chars
            if not _only_marks(loose) or lead_parts:
                lead_open = False
            continue
        if tag in ("-comment", "br", "img", "wbr"):
            continue
        text = child.text(deep=True) or ""
        is_bold = _reads_bold(child)
        if not is_bold and tag in ("span", "a", "em", "i", "u", "font", "mark") and text.strip():
            # (The first element inside that reads bold: site builders nest
            # styled spans, "<span style=font-size><span class=color><span
            # style=font-weight:bold>", and a query finds the outer span itself.)
            inner = next((node for node in child.css("strong, b, span[style]")
                          if node.mem_id != child.mem_id and _reads_bold(node)), None)
            is_bold = inner is not None and len((inner.text(deep=True) or "").strip()) >= len(text.strip()) * 0.9
        if is_bold:
            bold_chars += len(text.strip())
            if lead_open:
                lead_parts.append(text)
        elif text.strip():
            lead_open = False
    return clean_text("".join(lead_parts)).replace("\n", " ").strip(), bold_chars


def _reads_bold(node: LexborNode) -> bool:
    """Is this inline element shown bold: a <b> or <strong> unless its style
    sets a normal weight, a <span> when its style sets a bold one."""
    tag = node.tag
    if tag not in BOLD_TAGS and tag != "span":
        return False
    style = node.attributes.get("style")
    if tag == "span":
        return bool(style) and STYLE_BOLD.search(style) is not None
    return not style or STYLE_NOT_BOLD.search(style) is None


def _only_element(run: list[LexborNode]) -> LexborNode | None:
    """The one element of a run (white space aside), if it is one element."""
    elements = [node for node in run if node.tag != "-text" or (node.text_content or "").strip()]
    return elements[0] if len(elements) == 1 and elements[0].tag != "-text" else None


def _link_chars(node: LexborNode) -> int:
    return sum(len(a.text(deep=True) or "") for a in node.css("a"))


# Utility-class CSS (Tailwind and its kin) sets a heading as a <div> whose
# classes make it bold and large: "text-2xl font-bold" is a section's
# heading, "text-lg font-semibold" one under it. Its size is its level, as
# a heading tag's number is.
UTILITY_WEIGHT = re.compile(r"(?:^|\s)(?:[\w-]+:)?font-(?:semibold|bold|extrabold|black)(?=\s|$)")
UTILITY_SIZE = re.compile(r"(?:^|\s)text-(lg|xl|[2-9]xl)(?=\s|$)")  # (the size before any breakpoint: "sm:text-3xl")
UTILITY_LEVELS = {"lg": 4, "xl": 3}


def utility_heading_level(node: LexborNode | None, text: str) -> int | None:
    """The heading level of a short line set bold and large by utility classes, else None."""
    if node is None or not text or len(text) > 120 or "\n" in text or SENTENCE_END.search(text) and \
            not text.endswith(("?", "!")):
        return None
    attrs = node.attributes
    marked = attrs.get("data-css-heading")  # (set from the page's stylesheet: content.mark_css_headings)
    if marked and marked.isdigit():
        return int(marked) if text.count(" ") < 16 else None
    cls = attrs.get("class") or ""
    if "font-" not in cls or not UTILITY_WEIGHT.search(cls):
        return None
    size = UTILITY_SIZE.search(cls)
    return UTILITY_LEVELS.get(size.group(1), 2) if size and text.count(" ") < 16 else None


def _is_pseudo_heading(text: str, bold_chars: int, node: LexborNode | None) -> bool:
    """A short line that is all bold, or a short element whose class says title."""
    if node is None or not text or len(text) > 150 or "\n" in text:
        return False
    words = text.count(" ") + 1
    if words > 16 or (text.endswith(":") and words > 6):
        return False  # a bold sentence or lead-in ("Here are some tips:"), not a heading
    if bold_chars >= len(text.replace(" ", "")) * 0.85 and bold_chars > 0:
        # "Use medications." is a heading; a bold sentence of 20 words is emphasis.
        return not SENTENCE_END.search(text) or words <= 8 or text.endswith(("!", "?"))
    attrs = node.attributes
    cls = attrs.get("class") or ""
    # (A web component's title slot, <span slot="title">, as a class that says title.)
    return bool(cls and (HEADING_CLASS.search(cls) or ITEM_NAME_CLASS.search(cls)) or
                (attrs.get("slot") or "").lower() in TITLE_SLOTS) and words <= 16 and not text.endswith(".")


def _layout_table(table: LexborNode) -> bool:
    """A table used for layout holds blocks in its cells, or a whole article
    set in <font>, <b> and <br><br> (old sites: one cell of prose, or a cell
    of many lines and a hundred words and more); a data table holds text.

    Only the table's own rows and cells are looked at (not nested tables),
    and a cell's words are counted only as far as the verdict needs, so
    nested layout tables cost what their cells cost."""
    if _picture_table(table):
        return False
    cells = []
    for part in _children(table):
        rows = _children(part) if part.tag in ("tbody", "thead", "tfoot") else [part]
        for row in rows:
            if row.tag != "tr":
                if row.tag not in ("-text", "caption", "colgroup", "col"):
                    return True
                continue
            for cell in _children(row):
                if _has_block_child(cell):
                    return True
                if cell.tag in ("td", "th"):
                    cells.append(cell)
    if len(cells) == 1:
        return holds_at_least(cells[0], words=30)
    return any(holds_at_least(cell, words=120, breaks=4) for cell in cells[:50])


def _picture_table(table: LexborNode) -> bool:
    """An easy-read page's table: each row a picture and a sentence or two
    beside it ("Move things you could trip on, like rugs and wires."). Its
    rows are a list, read as a table's rows, though its cells hold <p>s."""
    rows = table_rows(table)
    # (A cell with its own heading, "Sit to stand" over its steps, is read by
    # its heading, as a layout table's cells are.)
    return 3 <= len(rows) <= 40 and all(
        len(cells) == 2 and _only_picture(cells[0]) and not _only_picture(cells[1])
        and cells[1].css_first("h1, h2, h3, h4, h5, h6, ul, ol, table") is None for cells in rows)


def _only_picture(cell: LexborNode) -> bool:
    return cell.css_first("img, svg, picture") is not None and not (cell.text(deep=True) or "").strip()


def holds_at_least(node: LexborNode, chars: int = 0, words: int = 0, breaks: int = 0, max_nodes: int = 2000,
                   past_max: bool = False) -> bool:
    """Does the node hold ``chars`` characters, ``words`` words and
    ``breaks`` <br>s of text? Read only until it does, and no further than
    ``max_nodes`` nodes (past which the answer is ``past_max``): asked of
    every parent of thousands of links, or of every cell of nested layout
    tables, a whole text each time cost their number squared."""
    seen = found_chars = found_words = found_breaks = 0
    stack = [node.child] if node.child is not None else []
    while stack:
        current = stack.pop()
        while current is not None:
            seen += 1
            if seen > max_nodes:
                return past_max
            if current.tag == "-text":
                text = current.text_content or ""
                found_chars += len(text)
                if words:
                    found_words += len(text.split())
            elif current.tag == "br":
                found_breaks += 1
            elif current.child is not None:
                stack.append(current.next)
                current = current.child
                continue
            if found_chars >= chars and found_words >= words and found_breaks >= breaks:
                return True
            current = current.next
    return False


NUMBER_BADGE = re.compile(r"\s*#?\d{1,3}[.):]?\s*")


def _heading_text(node: LexborNode) -> str:
    """A heading's text; a number set in an element of its own
    (<h3><span class="num">1</span><span>Stay active</span></h3>, a badge)
    is kept apart from the words after it ("1 Stay active", not "1Stay"),
    and so is a kicker ("<span>Tip 1</span>Drink water" is "Tip 1: Drink
    water", whose numbering goes with the name's); a footnote marker at
    the end ("Magnesium<sup>1</sup>") is no part of it."""
    text = node.text(deep=True) or ""
    last = node.last_child
    while last is not None and last.tag == "-text" and not (last.text_content or "").strip():
        last = last.prev
    if last is not None and last.tag == "sup":
        mark = (last.text(deep=True) or "").strip()
        if mark and FOOTNOTE_MARK.match(mark) and text.rstrip().endswith(mark):
            text = text.rstrip()[:-len(mark)]
    elif last is not None and last.tag == "a":
        # A permalink at the end ("Level 1: Dead hang<a class=anchor>#</a>") is no part of the name.
        mark = (last.text(deep=True) or "").strip()
        if mark in ANCHOR_MARKS and text.rstrip().endswith(mark):
            text = text.rstrip()[:-len(mark)]
    first = node.child
    while first is not None and first.tag == "-text" and not (first.text_content or "").strip():
        first = first.next
    if first is None or first.tag == "-text" or first.child is None:
        return text
    badge = first.text(deep=True) or ""
    if badge and KICKER_BADGE.match(badge) and text.startswith(badge) and len(text) > len(badge):
        return f"{badge.strip()}: {text[len(badge):].strip()}"
    if not badge or not NUMBER_BADGE.fullmatch(badge):
        return text
    end = text.find(badge) + len(badge)
    return f"{text[:end]} {text[end:]}"


ANCHOR_MARKS = frozenset({"#", "¶", "§", "🔗", "link", "∞"})
FOOTNOTE_MARK = re.compile(r"^\[?\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\]?$|^[*†‡]+$")
KICKER_BADGE = re.compile(r"^\s*(?:step|tip|tipp|schritt|rule|method|option|idea|way|day|week|étape|astuce|conseil|paso|"
                          r"consejo|exercise|move|stretch)\s*(?:#|n[°º]|no\.?|nr\.?)?\s*(?:\d{1,2}|one|two|three|four|"
                          r"five|six|seven|eight|nine|ten)\s*$", re.I)


def _children(node: LexborNode) -> list[LexborNode]:
    result = []
    child = node.child
    while child is not None:
        if child.tag != "-comment":
            result.append(child)
        child = child.next
    return result


def _holds_list(node: LexborNode) -> bool:
    """Does a list sit among the element's children, or theirs (a callout
    box's <div>)? Two levels, not the whole subtree: asked of every element
    of a thousand nested quotes, a subtree search cost their depth squared."""
    for child in _children(node):
        if child.tag in LIST_TAGS or (child.tag not in INLINE_TAGS and
                                      any(grandchild.tag in LIST_TAGS for grandchild in _children(child))):
            return True
    return False


def _items_hold_headings(node: LexborNode) -> bool:
    """Do most of a list's items hold a heading of their own (a timeline's
    stages, each an <h3> with its text and its own list)? Then the list is
    the page's layout, read as sections, not a list of one-line items."""
    items = [child for child in _children(node) if child.tag == "li"]
    headed = sum(1 for li in items if any(child.tag in HEADING_TAGS for child in _children(li)))
    return len(items) >= 2 and headed * 2 > len(items)


def _has_block_child(node: LexborNode) -> bool:
    child = node.child
    while child is not None:
        tag = child.tag
        if tag not in INLINE_TAGS and tag not in SKIP_TAGS and tag != "br":
            return True
        child = child.next
    return False


class _FlowBuilder:
    def __init__(self, main_id: int | None, role_headings: dict[int, int] | None = None):
        self.flow: list[Block] = []
        self.main_id = main_id
        self.role_headings = role_headings or {}  # mem_id -> level of elements with role="heading"
        self.run: list[LexborNode] = []
        self.run_in_main = False
        self.run_depth = 0
        self.last_heading = -1

    def add(self, block: Block) -> None:
        block.index = len(self.flow)
        # Each block knows the heading before it, and each heading the one
        # before it: "the heading above" is then found without scanning the
        # flow back, which 8,000 sibling lists made quadratic (4 s).
        block.prev_heading = self.last_heading
        if block.kind == "heading":
            self.last_heading = block.index
        self.flow.append(block)

    def flush_run(self) -> None:
        """Loose inline content between blocks: one paragraph (or pseudo-heading)."""
        run = self.run
        if not run:
            return
        self.run = []
        parts = []
        link_chars = 0
        for node in run:
            if node.tag == "-text":
                parts.append(node.text_content or "")
                continue
            text = node.text(deep=True) or ""
            parts.append(text)
            if node.tag == "a":
                link_chars += len(text)
            elif node.child is not None:
                link_chars += _link_chars(node)
        lead, bold_chars = _bold_lead(run)
        text = clean_text("".join(parts))
        if not text:
            return
        if not lead:
            # (An icon list's item: an empty icon <span> beside the <span>
            # that holds "<strong>Dosifique su actividad.</strong> Reparta
            # ...": the lead-in is that one element's.)
            texted = [node for node in run if ((node.text_content if node.tag == "-text" else
                                                node.text(deep=True)) or "").strip()]
            if len(texted) == 1 and texted[0].tag in ("span", "a", "label"):
                lead = _bold_text(texted[0])[0]
        first = run[0]
        parent = first.parent if first.parent is not None else first
        lead = lead or None
        # (A run that is one element, a <span class="heading-title"> alone in
        # a widget's <div>, says by its own class what it is, as the <div> may.)
        whole = parent if len(run) == len(_children(parent)) else _only_element(run)
        level = utility_heading_level(whole, text)
        if not level and len(run) <= 4:
            # A utility heading beside its kicker ("<span class="text-xs">Stage 1</span>
            # <span class="text-xl font-bold">Isometric heel raise hold</span>"): the heading.
            titled = [(node, utility_heading_level(node, clean_text(node.text(deep=True) or "")))
                      for node in run if node.tag != "-text"]
            titled = [(node, k) for node, k in titled if k]
            if len(titled) == 1:
                own = clean_text(titled[0][0].text(deep=True) or "")
                if len(text) - len(own) <= 30:
                    text, level = own, titled[0][1]
        if level:
            self.add(Block("heading", parent, text, level, link_chars=link_chars, in_main=self.run_in_main,
                           nodes=run, depth=self.run_depth))
        elif _is_pseudo_heading(text, bold_chars, parent if len(run) == len(_children(parent)) else first) or (
                len(text) <= 150 and _is_pseudo_heading(text, bold_chars, _only_element(run))):
            self.add(Block("heading", parent, text, 7, pseudo=True, link_chars=link_chars, in_main=self.run_in_main,
                           nodes=run, depth=self.run_depth))
        else:
            self.add(Block("para", parent, text, bold=lead, link_chars=link_chars, in_main=self.run_in_main,
                           nodes=run, depth=self.run_depth))

    def build(self, root: LexborNode) -> list[Block]:
        # An explicit stack of (node, in_main); children are pushed in reverse.
        stack: list[tuple[LexborNode | None, bool, int]] = [(root, root.mem_id == self.main_id, 0)]
        while stack:
            node, in_main, depth = stack.pop()
            if node is None:  # end of a container: its loose text ends with it
                self.flush_run()
                continue
            tag = node.tag
            if tag in SKIP_TAGS:
                continue
            if tag == "-text" or (tag in INLINE_TAGS and not (
                    (tag in WRAPPING_INLINE or tag in BOLD_TAGS and not _reads_bold(node)) and _has_block_child(node))):
                # (Google Docs wraps a whole paste, headings and paragraphs, in
                # <b style="font-weight:normal">: a container, and no bold.)
                if self.run and self.run_in_main != in_main:
                    self.flush_run()
                self.run.append(node)
                self.run_in_main = in_main
                self.run_depth = depth
                continue
            self.flush_run()
            if tag in HEADING_TAGS or node.mem_id in self.role_headings:
                text = clean_text(_heading_text(node)).replace("\n", " ")
                if text:
                    level = int(tag[1]) if tag in HEADING_TAGS else self.role_headings[node.mem_id]
                    self.add(Block("heading", node, text, level, link_chars=_link_chars(node), in_main=in_main))
                continue
            if tag == "button":
                # (Only an accordion's or a tab's is left by content.remove_junk: its panel's title.)
                text = clean_text(node.text(deep=True) or "").replace("\n", " ")
                if text and len(text) <= 150:
                    self.add(Block("heading", node, text, 7, pseudo=True, in_main=in_main, depth=depth))
                continue
            if (tag in PARA_TAGS and not (tag == "blockquote" and _holds_list(node))
                    and not (tag == "figcaption" and _has_block_child(node))) or tag in ("dd", "dt"):
                # (A quote is one paragraph; a <blockquote> holding a list is
                # a callout box, or a whole article an old site indents, whose
                # list is read as any other. A caption of headings and
                # paragraphs is a slide's text, read as any other.) A quote's
                # paragraphs keep their own lines: "days.</p><p>Then" is not "days.Then".
                text = clean_text((item_text(node) if tag == "blockquote" else node.text(deep=True)) or "")
                # (A <p> that the page's style sets large and bold, marked by
                # content.mark_css_headings: a heading of that level.)
                level = utility_heading_level(node, text) if text and tag == "p" and \
                    "data-css-heading" in node.attributes else None
                if level:
                    self.add(Block("heading", node, text, level, link_chars=_link_chars(node), in_main=in_main,
                                   depth=depth))
                elif text:
                    lead, bold_chars = _bold_text(node)
                    # An accordion's <summary> is its section's title, bold or not;
                    # a caption only when all of it is bold (an exercise named
                    # under its photo), not a photo's credit or description.
                    if tag == "summary" and len(text) <= 150 and "\n" not in text or \
                            tag not in ("blockquote", "pre", "caption") and \
                            (tag != "figcaption" or bold_chars >= len(text.replace(" ", "")) * 0.85) and \
                            _is_pseudo_heading(text, bold_chars, node):
                        self.add(Block("heading", node, text, 7, pseudo=True, link_chars=_link_chars(node),
                                       in_main=in_main, depth=depth))
                    else:
                        self.add(Block("para", node, text, bold=lead or None, link_chars=_link_chars(node),
                                       in_main=in_main, depth=depth))
                continue
            if tag in LIST_TAGS and not _items_hold_headings(node) or \
                    node.attributes.get("data-checklist") == "list":  # (see content.mark_checklists)
                self.add(Block("list", node, "", link_chars=0, in_main=in_main))
                continue
            if tag == "dl":
                self.add(Block("dl", node, "", in_main=in_main))
                continue
            if tag == "table" and not _layout_table(node):
                self.add(Block("table", node, "", in_main=in_main))
                continue
            # A container: its children in order, then its end marker.
            stack.append((None, in_main, depth))
            children = _children(node)
            for child in reversed(children):
                stack.append((child, in_main or child.mem_id == self.main_id, depth + 1))
        self.flush_run()
        _rank_pseudo_headings(self.flow)
        return self.flow


def _rank_pseudo_headings(flow: list[Block]) -> None:
    """Pseudo-headings nested deeper are lower in the outline: a card's bold
    title sits under the bold title of the section holding the cards. Levels
    7, 8, 9 by depth rank, the shallowest 7."""
    pseudo = [block for block in flow if block.pseudo]
    # (A bold line its style sets large, "<strong><span style="font-size:22px">
    # Four quick habits</span></strong>", heads the plain bold ones after it:
    # "Thread the needle", "Seated rotation".)
    large = {block.index for block in pseudo if _set_large(block.node)} if len(pseudo) > 2 else set()
    if len(large) == len(pseudo):
        large = set()
    depths = sorted({block.depth for block in pseudo if block.index not in large})
    if len(depths) < 2 and not large:
        return
    rank = {depth: min(k, 2) for k, depth in enumerate(depths)}
    shift = 1 if large else 0
    for block in pseudo:
        block.level = 7 if block.index in large else 7 + min(rank[block.depth] + shift, 2)


CSS_SIZE = re.compile(r"font-size\s*:\s*(\d+(?:\.\d+)?)(rem|em|px)\b", re.I)
LARGE_TEXT_PX = 18  # a line set this large and bold is a heading


def css_pixels(style: str) -> float | None:
    """The font size a style sets, in pixels (a rem or em taken as 16 px)."""
    size = CSS_SIZE.search(style)
    return float(size.group(1)) * (1 if size.group(2).lower() == "px" else 16) if size else None


def _set_large(node: LexborNode) -> bool:
    """Does the element's own style, or that of one of its first few
    elements, set its text at LARGE_TEXT_PX or more? (A walk of a dozen
    elements: a pseudo-heading's node may be a whole container.)"""
    for k, element in enumerate(node.traverse()):
        if k >= 12:
            break
        pixels = css_pixels(element.attributes.get("style") or "")
        if pixels is not None and pixels >= LARGE_TEXT_PX:
            return True
    return False


def build_flow(root: LexborNode, main: LexborNode | None = None) -> list[Block]:
    """The blocks under ``root`` in document order; those inside ``main`` are marked."""
    # (ARIA headings are found in one pass, not by asking every <div> for its attributes.)
    role_headings = {}
    for node in root.css('[role="heading"]'):
        level = node.attributes.get("aria-level") or ""
        role_headings[node.mem_id] = int(level) if level.isdigit() and 1 <= int(level) <= 6 else 2
    return _FlowBuilder(main.mem_id if main is not None else None, role_headings).build(root)


LIST_WRAPPERS = frozenset({"div", "span", "b", "strong", "i", "em", "u", "font", "small", "big", "center"})


ITEM_BLOCK_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "ul", "ol", "dl", "table", "figure",
                             "blockquote", "section", "article", "header"})


def item_text(node: LexborNode) -> str:
    """A list item's text, its block children on lines of their own: a card
    item's title and text (<li><h3>Stay active</h3><p>Bed rest ...</p>) are
    not one run of words ("Stay activeBed rest ..."), nor is an item's
    sub-list its first sentence."""
    child = node.child
    while child is not None and child.tag not in ITEM_BLOCK_TAGS:
        child = child.next
    if child is None:
        return node.text(deep=True) or ""
    parts = []
    child = node.child
    while child is not None:
        if child.tag in LIST_TAGS:
            # A sub-list's items each on a line: "brace your core.\nMove
            # slowly", not "core.Move slowly". (Its own items' text is read
            # whole, not item by item again: a thousand nested lists would
            # cost their depth squared, and as deep a recursion.)
            text = "\n".join(li.text(deep=True) or "" for li in list_items(child))
        elif child.tag in ITEM_BLOCK_TAGS:
            text = _lines_of_blocks(child)
        else:
            text = child.text_content if child.tag == "-text" else child.text(deep=True)
        if text:
            parts.append(f"\n{text}\n" if child.tag in ITEM_BLOCK_TAGS else text)
        child = child.next
    return "".join(parts)


LINE_BLOCK_TAGS = ITEM_BLOCK_TAGS | {"li", "dt", "dd", "tr", "td", "th"}
MAX_LINE_WALK = 300  # nodes of one item part walked for its lines (a card is small); past that, one run of words


def _lines_of_blocks(node: LexborNode) -> str:
    """A card's text with its inner blocks on lines of their own: "Quad
    sets", "Hold 5 s", "10 reps", "2 sets" (a title and its dose chips) are
    not "Quad setsHold 5 s10 reps2 sets". Inline elements stay in their
    line ("<b>P</b>rotect" is one word)."""
    parts: list[str] = []
    last = None
    for k, text_node in enumerate(node.traverse(include_text=True)):
        if k >= MAX_LINE_WALK:
            return node.text(deep=True) or ""
        if text_node.tag != "-text":
            continue
        holder = text_node.parent
        while holder is not None and holder.mem_id != node.mem_id and holder.tag not in LINE_BLOCK_TAGS:
            holder = holder.parent
        key = holder.mem_id if holder is not None else None
        if parts and key != last:
            parts.append("\n")
        parts.append(text_node.text_content or "")
        last = key
    return "".join(parts)


def list_items(block_node: LexborNode) -> list[LexborNode]:
    """The direct ``<li>`` items of a list (nested lists stay inside their
    item), or a checklist's items (see content.mark_checklists)."""
    if block_node.tag not in LIST_TAGS:
        return [child for child in _children(block_node) if child.attributes.get("data-checklist") == "item"]
    items = []
    child = block_node.child
    while child is not None:
        if child.tag == "li":
            items.append(child)
        elif child.tag in LIST_WRAPPERS:
            # Invalid markup that browsers still show as items: a <div> around
            # the items, or a <b>/<font> left open before the list, which the
            # parser re-opens inside it.
            items.extend(c for c in _children(child) if c.tag == "li")
        child = child.next
    return items


def table_rows(table: LexborNode) -> list[list[LexborNode]]:
    """The cells of a data table's own rows, header rows included."""
    rows = []
    for part in _children(table):
        for row in (_children(part) if part.tag in ("tbody", "thead", "tfoot") else [part]):
            if row.tag == "tr":
                cells = [c for c in _children(row) if c.tag in ("td", "th")]
                if cells:
                    rows.append(cells)
    return rows


MAX_SPAN = 50  # rows or columns one cell may span (a page's "rowspan=9999" spans its table, no more)


def _span(cell: LexborNode, name: str) -> int:
    value = (cell.attributes.get(name) or "").strip()
    return min(int(value), MAX_SPAN) if value.isdigit() and int(value) > 0 else 1


def table_grid(table: LexborNode) -> tuple[list[list[LexborNode]], int]:
    """A data table's rows as a grid: a cell that spans rows or columns
    stands in each row and column it covers ("Weeks 1-2" beside each of its
    three exercises, "Dose" over Sets, Reps and Hold), so every row's cells
    line up with the header's columns. Also the number of header rows: the
    rows of its <thead>, else the leading rows of <th> cells alone."""
    rows = table_rows(table)
    grid: list[list[LexborNode]] = []
    carried: dict[int, tuple[LexborNode, int]] = {}  # column -> (cell, rows it still covers)
    for cells in rows:
        row: list[LexborNode] = []
        queue = list(cells)
        column = 0
        while queue or any(k >= column for k in carried):
            if column in carried:
                cell, left = carried[column]
                row.append(cell)
                if left > 1:
                    carried[column] = (cell, left - 1)
                else:
                    del carried[column]
                column += 1
                continue
            if not queue:
                column += 1
                continue
            cell = queue.pop(0)
            down = _span(cell, "rowspan")
            for _ in range(_span(cell, "colspan")):
                row.append(cell)
                if down > 1:
                    carried[column] = (cell, down - 1)
                column += 1
        grid.append(row)
    thead = sum(len([r for r in _children(part) if r.tag == "tr"]) for part in _children(table) if part.tag == "thead")
    header_rows = thead or next((k for k, cells in enumerate(rows) if any(c.tag != "th" for c in cells)), 0)
    return grid, min(header_rows, len(grid))


def leading_bold(node: LexborNode) -> str | None:
    """The bold lead-in a list item or paragraph starts with, if any."""
    lead, _ = _bold_text(node)
    if lead:
        return lead
    # <li><p><strong>Name.</strong> text</p></li>: one level down; past an
    # icon with no text of its own (an icon list's <span><svg>, an <i>).
    first = node.child
    while first is not None and not ((first.text(deep=True) if first.tag != "-text" else
                                      first.text_content) or "").strip():
        first = first.next
    if first is not None and first.tag in ("p", "div", "span", "label"):
        lead, _ = _bold_text(first)
        return lead or None
    return None
