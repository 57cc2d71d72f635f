"""Finding the treatment and exercise lists in an article.

Real pages mark their lists in many ways. The content is first flattened
into a flow of blocks (headings, paragraphs, lists, tables) in document
order; then each way of marking a list has a small finder over that flow:

- an ``<ol>``/``<ul>`` after a lead-in ("Here are some treatments to try:");
- numbered headings ("1. Prioritize", "Step 3", "Tip 2:") each followed by text;
- un-numbered headings under a lead-in that says what they are;
- bold lead-ins inside one paragraph, separated by ``<br>``;
- paragraphs after a lead-in that ends with a colon;
- a table with one row per item;
- workout lines ("For time: Run 10 miles / 150 Burpee pull-ups");
- schema.org HowTo steps in JSON-LD.

Each candidate group is then classified by its context (the nearest
heading, the lead-in, else the title): exercises, treatments, or a decoy
(causes, symptoms, ingredients), which yields nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from pipeline.extract.content import clean_text, has_descendant

HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
TRANSPARENT = {"div", "section", "article", "main", "span", "center", "font", "header", "tbody", "thead", "form",
               "figure", "details", "summary", "body", "html", "dl"}

NUMBER_PREFIX = re.compile(
    r"^\s*(?:(?:step|tip|rule|tipp|schritt|no\.?|nr\.?|number|day|week|exercise|übung|move)\s*#?\s*\d{1,2}\b\s*[:.)\-–—]?\s*"
    r"|#\s*\d{1,2}\s*[:.)\-–—]?\s*|\d{1,2}\s*[.):]\s*(?!\d)|\d{1,2}\s+(?=[A-ZÄÖÜ„“\"'](?!inute|econd|our)))",
    re.I,
)
STEP_ONLY = re.compile(r"^\s*(?:step|schritt|tip|tipp|rule)\s*#?\s*\d{1,2}\s*[:.]?\s*$", re.I)

DECOY = re.compile(
    r"\b(?:causes?|caused|symptoms?|signs?\s+(?:of|and|that|you)|warning\s+signs|risk\s+factors?|ingredients?|"
    r"you(?:'ll| will)?\s+need|what\s+you\s+need|supplies|materials|equipment|nutrition\s+facts|zutaten|"
    r"ursachen?|symptome|anzeichen|risikofaktoren|recipes?|rezepte?|related|read\s+more|sources|references|"
    r"warnings?|myths?|complications|diagnos\w*|side\s+effects|nebenwirkungen)\b",
    re.I,
)
EXERCISE_CONTEXT = re.compile(
    r"\b(?:exercises?|exercising|stretch(?:es|ing)?|workouts?|work\s+out|wod|poses?|yoga|pilates|routine|moves|"
    r"training|for\s+time|amrap|emom|übungen?|dehn\w*|trainings?|calisthenics|drills?)\b",
    re.I,
)
TREATMENT_CONTEXT = re.compile(
    r"\b(?:treat\w*|remed\w*|relie\w*|tips?|ways?(?!\s+to\s+(?:measure|test|tell|know|find\s+out|check|identify|spot|diagnose|calculate))|what\s+can\s+you\s+do|try|helps?|prevent\w*|cures?|manag\w*|avoid|"
    r"suggestions?|rules?|steps?|how\s+to|advice|strateg\w*|habits?|dos|tipps?|hilfe|behandl\w*|mittel|lose\s+weight|"
    r"abnehmen|solutions?|options?|care|self-care|things\s+to\s+do|do\s+this|recommendations)\b",
    re.I,
)
EXERCISE_ITEM = re.compile(
    r"\b(?:hold|reps?|repetitions?|sets?|repeat|lie\s+on|lay\s+on|kneel|stand\s+with|sit\s+(?:up|on|with)|stretch|"
    r"squats?|lunges?|push-?ups?|pull-?ups?|plank|burpees?|bridge|crunch|raise|curl|seconds|on\s+all\s+fours)\b",
    re.I,
)
INGREDIENT_ITEM = re.compile(
    r"^\s*(?:\d+[\d/½¼¾.\s-]*|½|¼|¾|a\s+(?:pinch|dash|handful))\s*(?:-?\s*(?:cups?|tbsp|tsp|tablespoons?|teaspoons?|"
    r"oz|ounces?|g|grams?|kg|ml|l|lbs?|pounds?|pinch|cloves?|slices?|cans?|large|small|medium)\b)",
    re.I,
)
WORKOUT_HEADER = re.compile(
    r"^\s*(?:for\s+time|amrap(?:\s+in)?\s*\d*|emom|\d+\s+rounds?(?:\s+for\s+time)?(?:\s+of)?|complete\s+\d+\s+rounds?|"
    r"tabata|as\s+many\s+rounds)[^\n]{0,40}:\s*",
    re.I,
)
LEADIN_SUGGESTION = re.compile(r"(?:suggestions?|tips?|ways?|ideas|steps?|rules?|following|here\s+(?:are|is)\b)[^.]{0,60}:\s*$", re.I)
SUCH_AS_EXERCISES = re.compile(
    r"\b(?:exercises?|activit(?:y|ies)|workouts?|sports?)\b[^.;]{0,25}?,?\s+(?:like|such\s+as|including)\s+"
    r"(?P<items>[a-z][a-z -]{2,25}(?:,\s*[a-z][a-z -]{2,25}){1,8},?\s+(?:and|or)\s+[a-z][a-z -]{2,25})",
    re.I,
)
ACTIVITY_WORD = re.compile(r"^(?:[a-z]+ing|yoga|pilates|tai chi|aerobics|dance|dancing|rowing)$", re.I)
INTRO_CUE = re.compile(
    r":\s*$|\b(?:here\s+(?:are|is)|following|these|below|try\s+(?:these|this|the)|hier\s+(?:sind|kommen)|diese|folgende)\b",
    re.I,
)
SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“„‘(]?[A-ZÄÖÜ0-9])")
ABBREVIATIONS = {"dr", "mr", "ms", "mrs", "st", "vs", "e.g", "i.e", "etc", "no", "ca", "bzw", "z.b", "u.a", "approx"}


@dataclass
class Block:
    kind: str  # heading, para, list, table
    node: LexborNode
    text: str
    level: int = 0


@dataclass
class Group:
    """A candidate list: its items as (name, text) and what introduces it."""

    items: list[tuple[str, str]]
    context: str
    how: str
    index: int  # position of its first block in the flow, for document order
    numbered: bool = False
    extra_context: str = ""
    kind: str | None = None
    span: frozenset = frozenset()  # flow indexes the group covers

    @property
    def priority(self) -> int:
        """Which of two overlapping readings of the same blocks wins."""
        # Numbered headings outrank a list inside one of their sections (the
        # list is that item's detail, or a promo box between items).
        return {"bold-lines": 5, "workout": 5, "list": 4, "table": 4, "headings": 6 if self.numbered else 3,
                "paragraphs": 1}.get(self.how, 0)


def block_flow(root: LexborNode) -> list[Block]:
    """Headings, paragraphs, lists and tables under ``root`` in document order."""
    flow: list[Block] = []
    stack: list[LexborNode] = []
    child = root.child
    while True:
        while child is None:
            if not stack:
                return flow
            child = stack.pop().next
        tag = child.tag
        if tag in HEADING_TAGS:
            text = clean_text(child.text(deep=True)).replace("\n", " ")
            if text:
                flow.append(Block("heading", child, text, int(tag[1])))
            child = child.next
        elif tag in ("p", "blockquote", "pre", "dd", "dt"):
            text = clean_text(child.text(deep=True))
            if text:
                flow.append(Block("para", child, text))
            child = child.next
        elif tag in ("ol", "ul"):
            flow.append(Block("list", child, "", 0))
            child = child.next
        elif tag == "table":
            if has_descendant(child, "table, p, h1, h2, h3, h4, h5, h6, ul, ol"):
                stack.append(child)  # a layout table: look inside
                child = child.child
            else:
                flow.append(Block("table", child, ""))
                child = child.next
        elif tag in ("tr", "td", "th") or tag in TRANSPARENT or (tag not in ("-text", "-comment") and child.child is not None):
            if tag in ("td", "div", "section") and not has_descendant(
                    child, "p, h1, h2, h3, h4, h5, h6, ul, ol, table, div, td, section"):
                text = clean_text(child.text(deep=True))
                if len(text) > 20:
                    flow.append(Block("para", child, text))
                child = child.next
                continue
            stack.append(child)
            child = child.child
        else:
            child = child.next


# -- naming -----------------------------------------------------------------


def first_sentence(text: str) -> str:
    text = text.strip().split("\n")[0]
    for match in SENTENCE_END.finditer(text):
        before = text[:match.start()].rsplit(" ", 1)[-1].lower()
        if before in ABBREVIATIONS or len(before) == 1:
            continue  # "Dr. Smith", "e.g. ice", "J. Doe"
        return text[:match.start() + 1].strip()
    return text.strip()


def last_sentence(text: str) -> str:
    """The sentence that introduces what follows: 'Most people give up. Here are a few tips:' -> 'Here are a few tips:'."""
    text = text.strip().split("\n")[-1]
    cut = 0
    for match in SENTENCE_END.finditer(text):
        before = text[:match.start()].rsplit(" ", 1)[-1].lower()
        if before not in ABBREVIATIONS and len(before) > 1:
            cut = match.end()
    return text[cut:].strip()


def tidy_name(name: str) -> str:
    """Strip numbering and trailing punctuation: 'Rule #1: Avoid X.' -> 'Avoid X'."""
    name = " ".join(name.split())
    name = NUMBER_PREFIX.sub("", name, count=1)
    name = name.strip(" \t:–—-")
    name = re.sub(r"[.:;,!]+$", "", name).strip()
    if name.endswith("?") and not name.endswith("??"):
        name = name.rstrip("?").strip()
    return name


def lead_bold(node: LexborNode) -> str | None:
    """The bold lead-in an item starts with ('<strong>Use medications.</strong> In most...')."""
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            if (child.text_content or "").strip():
                return None
            continue
        if child.tag in ("strong", "b", "em") or (child.tag in ("span", "a") and child.css_first("strong, b")):
            text = clean_text(child.text(deep=True)).replace("\n", " ")
            return text or None
        if child.tag in ("p", "div", "span", "label"):
            return lead_bold(child)
        return None
    return None


def item_name(node: LexborNode, text: str) -> str:
    bold = lead_bold(node)
    if bold and len(bold) <= 160 and len(bold) < len(text) + 1:
        return tidy_name(bold)
    return tidy_name(first_sentence(text))


# -- finders ----------------------------------------------------------------


def context_before(flow: list[Block], index: int, title: str) -> tuple[str, str]:
    """(lead-in, heading) before flow[index]: the paragraph just before it if
    it introduces the list, and the nearest heading above it."""
    leadin = ""
    heading = ""
    for j in range(index - 1, max(-1, index - 8), -1):
        block = flow[j]
        if block.kind == "heading":
            heading = block.text
            break
        if block.kind == "para" and not leadin and j == index - 1:
            leadin = last_sentence(block.text)
        elif block.kind in ("list", "table"):
            break
    return leadin, heading


def list_groups(flow: list[Block], title: str) -> list[Group]:
    groups = []
    for i, block in enumerate(flow):
        if block.kind != "list":
            continue
        items = []
        link_chars = 0
        total = 0
        for li in block.node.iter():
            if li.tag != "li":
                continue
            text = clean_text(li.text(deep=True))
            if not text:
                continue
            total += len(text)
            link_chars += sum(len(a.text(deep=True)) for a in li.css("a"))
            items.append((item_name(li, text), text.replace("\n", " ")))
        if len(items) < 2 or total == 0 or link_chars > total * 0.5:
            continue
        if sum(len(t) for _, t in items) / len(items) < 12:
            continue
        leadin, heading = context_before(flow, i, title)
        groups.append(Group(items, f"{leadin} {heading}".strip(), "list", i, numbered=block.node.tag == "ol",
                            extra_context=title, span=frozenset([i])))
    return groups


def heading_groups(flow: list[Block], title: str) -> list[Group]:
    """Runs of same-level headings, each followed by text."""
    groups = []
    headings = [i for i, b in enumerate(flow) if b.kind == "heading"]
    by_level: dict[int, list[int]] = {}
    for i in headings:
        by_level.setdefault(flow[i].level, []).append(i)
    for level, indexes in by_level.items():
        run: list[int] = []

        def close(run: list[int]) -> None:
            if len(run) < 2:
                return
            numbered = [i for i in run if NUMBER_PREFIX.match(flow[i].text)]
            chosen = numbered if len(numbered) >= 2 else run
            # A question heading is an FAQ entry, not an item ("How is lupus treated?").
            chosen = [i for i in chosen if not flow[i].text.rstrip().endswith("?")]
            items = []
            span = set()
            most_blocks = 0
            for position, i in enumerate(chosen):
                texts = []
                span.add(i)
                last = position == len(chosen) - 1
                for k, block in enumerate(flow[i + 1:], start=i + 1):
                    if block.kind == "heading" and block.level <= level:
                        break
                    if last and most_blocks and len(texts) >= most_blocks:
                        break  # the last item ends where its siblings did, not at the article's end
                    span.add(k)
                    if block.kind == "heading":
                        continue
                    if block.kind == "para":
                        texts.append(block.text.replace("\n", " "))
                    elif block.kind == "list":
                        texts.append(clean_text(block.node.text(deep=True)).replace("\n", " "))
                    if sum(len(t) for t in texts) > 3000:
                        break
                most_blocks = max(most_blocks, len(texts))
                text = " ".join(texts)
                if not text:
                    continue
                heading = flow[i].text
                if STEP_ONLY.match(heading):
                    name = tidy_name(first_sentence(text))
                else:
                    name = tidy_name(heading)
                if name:
                    items.append((name, text))
            if len(items) < 2:
                return
            first = chosen[0]
            leadin, parent_heading = context_before(flow, first, title)
            # The heading of a higher level above the run says what it lists.
            for j in range(first - 1, -1, -1):
                if flow[j].kind == "heading" and 1 < flow[j].level < level:
                    parent_heading = flow[j].text
                    break
            is_numbered = len(numbered) >= 2
            if not is_numbered and not (INTRO_CUE.search(leadin) or (
                    parent_heading and (TREATMENT_CONTEXT.search(parent_heading) or EXERCISE_CONTEXT.search(parent_heading)))):
                return  # sections of a story, not a list: nothing introduces them as one
            groups.append(Group(items, f"{leadin} {parent_heading}".strip(), "headings", first,
                                numbered=is_numbered, extra_context=title, span=frozenset(span)))

        previous = None
        for i in indexes:
            if previous is not None:
                between = flow[previous + 1:i]
                broken = any(b.kind == "heading" and b.level < level for b in between)
                has_text = any(b.kind in ("para", "list") for b in between)
                if broken or not has_text:
                    close(run)
                    run = []
            run.append(i)
            previous = i
        close(run)
    return groups


def bold_paragraph_groups(flow: list[Block], title: str) -> list[Group]:
    """Bold lead-ins inside one paragraph, one per line (<br>-separated)."""
    groups = []
    for i, block in enumerate(flow):
        if block.kind != "para" or "\n" not in block.text:
            continue
        bolds = [clean_text(b.text(deep=True)) for b in block.node.css("strong, b")]
        bolds = [b for b in bolds if b]
        if len(bolds) < 2:
            continue
        lines = [line for line in block.text.split("\n") if line.strip()]
        items = []
        for line in lines:
            lead = next((b for b in bolds if line.startswith(b)), None)
            if lead:
                items.append((tidy_name(lead), line))
            elif items:
                items[-1] = (items[-1][0], items[-1][1] + " " + line)
        if len(items) < 2:
            continue
        leadin, heading = context_before(flow, i, title)
        numbered = sum(1 for name, text in items if NUMBER_PREFIX.match(text)) >= 2
        if not numbered and not INTRO_CUE.search(leadin):
            continue  # bold names in running text (people, places), not a list
        groups.append(Group(items, f"{leadin} {heading}".strip(), "bold-lines", i, numbered=numbered,
                            extra_context=title, span=frozenset([i])))
    return groups


def paragraph_run_groups(flow: list[Block], title: str) -> list[Group]:
    """Paragraphs after a lead-in that ends with a colon ('... a few simple suggestions:')."""
    groups = []
    for i, block in enumerate(flow):
        if block.kind != "para" or not LEADIN_SUGGESTION.search(block.text):
            continue
        items = []
        span = set()
        for k, following in enumerate(flow[i + 1:i + 13], start=i + 1):
            if following.kind != "para":
                break
            text = following.text.replace("\n", " ")
            first = first_sentence(text)
            if first.endswith("?") or len(text) < 30:
                break
            items.append((tidy_name(first), text))
            span.add(k)
        if len(items) >= 2:
            groups.append(Group(items, last_sentence(block.text), "paragraphs", i, extra_context=title,
                                span=frozenset(span)))
    return groups


def table_groups(flow: list[Block], title: str) -> list[Group]:
    groups = []
    for i, block in enumerate(flow):
        if block.kind != "table":
            continue
        items = []
        for row in block.node.css("tr"):
            cells = [c for c in row.css("td, th")]
            texts = [clean_text(c.text(deep=True)).replace("\n", " ") for c in cells]
            texts = [t for t in texts if t and not re.fullmatch(r"\d{1,2}\.?", t)]
            if not texts:
                continue
            bold = next((clean_text(b.text(deep=True)) for c in cells for b in c.css("strong, b")), None)
            name = bold or (texts[0] if len(texts) > 1 else first_sentence(texts[0]))
            text = max(texts, key=len)
            items.append((tidy_name(name), text))
        if len(items) >= 2 and sum(len(t) for _, t in items) / len(items) >= 20:
            leadin, heading = context_before(flow, i, title)
            groups.append(Group(items, f"{leadin} {heading}".strip(), "table", i, extra_context=title,
                                span=frozenset([i])))
    return groups


def workout_groups(flow: list[Block], title: str) -> list[Group]:
    """'For time: Run 10 miles / 150 Burpee pull-ups' and the like."""
    groups = []
    for i, block in enumerate(flow[:400]):
        if block.kind != "para":
            continue
        match = WORKOUT_HEADER.match(block.text)
        if not match:
            continue
        rest = block.text[match.end():]
        lines = [line.strip(" -•*") for line in rest.split("\n") if line.strip(" -•*")]
        items = [(tidy_name(line), line) for line in lines if 2 < len(line) < 80]
        if items:
            groups.append(Group(items, "workout " + match.group(0), "workout", i, kind="exercises",
                                span=frozenset([i])))
            break  # the day's workout, not readers' comments retelling it
    return groups


def such_as_groups(flow: list[Block], title: str, used: set[int] = frozenset()) -> list[Group]:
    """'regular cardiovascular exercise, like swimming, bicycling, jogging, or hiking'.

    Only in prose outside the lists already found: inside a treatment's own
    text such a phrase is detail, not a list of exercises."""
    for i, block in enumerate(flow):
        if block.kind != "para" or i in used:
            continue
        match = SUCH_AS_EXERCISES.search(block.text)
        if not match:
            continue
        words = [w.strip() for w in re.split(r",\s*|\s+(?:and|or)\s+", match.group("items")) if w.strip()]
        words = [re.sub(r"^(?:and|or)\s+", "", w) for w in words]
        if len(words) >= 2 and all(ACTIVITY_WORD.match(w) for w in words):
            items = [(w[0].upper() + w[1:], block.text) for w in words]
            return [Group(items, "exercises", "such-as", i, kind="exercises")]
    return []


def howto_groups(json_ld: list[dict], title: str) -> list[Group]:
    groups = []
    for obj in json_ld:
        types = obj.get("@type")
        types = {str(t).lower() for t in (types if isinstance(types, list) else [types])}
        if "howto" not in types:
            continue
        steps = obj.get("step") or []
        if isinstance(steps, dict):
            steps = [steps]
        items = []
        for step in steps if isinstance(steps, list) else []:
            if isinstance(step, dict) and str(step.get("@type", "")).lower() == "howtosection":
                steps_inner = step.get("itemListElement") or []
                for inner in steps_inner if isinstance(steps_inner, list) else []:
                    if isinstance(inner, dict):
                        text = " ".join(str(inner.get("text") or "").split())
                        items.append((tidy_name(str(inner.get("name") or first_sentence(text))), text))
            elif isinstance(step, dict):
                text = " ".join(str(step.get("text") or "").split())
                name = str(step.get("name") or first_sentence(text))
                items.append((tidy_name(name), text))
            elif isinstance(step, str):
                items.append((tidy_name(first_sentence(step)), step))
        if len(items) >= 2:
            groups.append(Group(items, str(obj.get("name") or ""), "howto", 10**6, numbered=True, extra_context=title))
    return groups


# -- classification ----------------------------------------------------------


def classify(group: Group) -> str | None:
    """'exercises', 'treatments' or None (a decoy or not a list of either)."""
    if group.kind:
        return group.kind
    context = group.context
    if context and DECOY.search(context) and not re.search(
            r"\b(?:treat\w*|remed\w*|relie\w*|exercis\w*|stretch\w*|workouts?|tipps?|tips?)\b", context, re.I):
        return None  # "Common causes", "You will need", "Ingredients": lists of something else
    questions = sum(1 for _, text in group.items
                    if first_sentence(NUMBER_PREFIX.sub("", text, count=1)).rstrip().endswith("?"))
    if questions >= len(group.items) / 2:
        return None  # questions and answers: an FAQ, not a list of treatments
    if sum(1 for name, _ in group.items if name[:1].islower()) > len(group.items) / 2:
        return None  # sentence fragments ("want to learn how to ..."), not named items
    if sum(1 for name, _ in group.items if DECOY.search(name)) >= len(group.items) / 2:
        return None  # headings like "Items that cause inflammation" name the decoys themselves
    ingredients = sum(1 for name, _ in group.items if INGREDIENT_ITEM.match(name))
    if ingredients >= len(group.items) / 2:
        return None
    exercise_items = sum(1 for _, t in group.items if EXERCISE_ITEM.search(t))
    words = sum(len(t.split()) for _, t in group.items) / len(group.items)
    if group.how == "list" and words <= 4 and not group.context.rstrip().endswith(":"):
        return None  # "Trainingsplan / Kein Equipment nötig": a product's feature list, not advice
    if context and EXERCISE_CONTEXT.search(context):
        return "exercises"
    if context and TREATMENT_CONTEXT.search(context):
        if exercise_items >= max(2, len(group.items) * 0.75) and not re.search(r"\b(?:treat|remed|relie)", context, re.I):
            return "exercises"
        return "treatments"
    # No lead-in: the title may say what the page lists, for numbered lists only.
    if group.numbered or group.how == "howto":
        title = group.extra_context
        if EXERCISE_CONTEXT.search(title):
            return "exercises"
        if TREATMENT_CONTEXT.search(title):
            return "treatments" if exercise_items < len(group.items) * 0.75 else "exercises"
    return None


def find_sections(root: LexborNode, title: str, json_ld: list[dict]) -> dict[str, list[tuple[str, str, str]]]:
    """{'treatments': [(name, text, how)], 'exercises': [...]} in document order."""
    flow = block_flow(root)
    candidates: list[Group] = []
    for finder in (list_groups, heading_groups, bold_paragraph_groups, paragraph_run_groups, table_groups,
                   workout_groups):
        candidates.extend(finder(flow, title or ""))
    candidates.extend(howto_groups(json_ld, title or ""))
    classified = [(g, classify(g)) for g in candidates]
    classified = [(g, kind) for g, kind in classified if kind is not None]
    # Two readings of the same blocks (a list inside a numbered section, bold
    # lines that a colon lead-in also introduces): the more specific wins.
    kept: list[tuple[Group, str]] = []
    for group, kind in sorted(classified, key=lambda gk: -gk[0].priority):
        if group.span and any(group.span & other.span for other, _ in kept):
            continue
        kept.append((group, kind))
    found: dict[str, list[tuple[str, str, str]]] = {"treatments": [], "exercises": []}
    seen_names: set[str] = set()
    used: set[int] = set()
    for group, kind in sorted(kept, key=lambda gk: gk[0].index):
        fresh = [(n, t) for n, t in group.items if n and n.lower() not in seen_names]
        if group.how == "howto" and len(fresh) < len(group.items):
            continue  # the visible list already gave these steps
        used |= group.span
        for name, text in fresh:
            seen_names.add(name.lower())
            found[kind].append((name, text, group.how))
    if not found["exercises"]:
        for group in such_as_groups(flow, title or "", used):
            for name, text in group.items:
                found["exercises"].append((name, text, group.how))
    return found
