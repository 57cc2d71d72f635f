"""A deterministic sample health site, rendered on demand.

``DemoSite(n_articles, seed)`` answers any path with the same bytes every
time, so tests, ``make demo`` and the benchmarks all see one site. It has
what real sites have and the pipeline must cope with: four layouts of
treatment and exercise lists (ordered list after a lead-in, numbered
headings, a schema.org HowTo, a table), boilerplate (navigation, share bar,
ads, newsletter box, comments), a "What Others Are Reading Right Now" block,
paginated index pages, a gzipped sitemap behind a sitemap index, a
robots.txt with a Disallow, tracking-parameter links, redirects, broken
links, a PDF, exact copies (print pages) and near-copies (a partner site
section) whose pairs :meth:`DemoSite.planted_duplicates` lists.

Pages are rendered on request rather than held in memory, so a 20,000-page
site costs no more memory than a 20-page one.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.utils import format_datetime
from datetime import datetime, timezone

from pipeline.demo import content as C

SITE_NAME = "Health Guide"
PER_INDEX_PAGE = 20
SITEMAP_CHUNK = 5000
AUDIENCES = ["", " at Home", " at Work", " After 50", " for Runners", " for Beginners", " in Winter",
             " During Pregnancy", " for Office Workers", " in 10 Minutes a Day"]
TITLE_FORMS = ["How To Treat {C}{a}", "Relief for {C}{a}: What Works", "How To Ease {C}{a}",
               "Dealing With {C}{a}"]


@dataclass
class DemoResponse:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def title_case(text: str) -> str:
    return " ".join(w if w[:1].isupper() else w.capitalize() for w in text.split())


@dataclass
class Article:
    index: int
    category: str
    condition: str
    description: str
    title: str
    slug: str
    layout: int
    published: date
    treatments: list  # (name, category, text)
    exercises: list  # (name, position, description, hold, reps, sets)
    related: list  # article indexes

    @property
    def path(self) -> str:
        return f"/{self.category}/{self.slug}"


class DemoSite:
    """The whole site for ``n_articles`` articles, from ``seed``."""

    def __init__(self, n_articles: int = 120, seed: int = 7, version: int = 0, related: str = "topical"):
        # related="random": the "What Others Are Reading" block lists random
        # articles, as on sites whose block is an ad widget, and every sixth
        # page has none (its "Popular" sidebar is then all there is): the
        # recommend stage must learn not to trust such a block.
        if related not in ("topical", "random"):
            raise ValueError(f"related must be 'topical' or 'random', not {related!r}")
        self.related = related
        # Each later version of the site, as a scheduled crawl sees it: five
        # articles more, some edited, from version 3 some removed (404), from
        # version 5 some turned into redirects.
        self.n = n_articles + 5 * version
        self.seed = seed
        self.version = version
        self.removed = {i for i in range(n_articles) if version >= 3 and i % 17 == 3}
        self.redirected = {i: i + 1 for i in range(n_articles - 1)
                           if version >= 5 and i % 19 == 5 and i + 1 not in self.removed}
        self._meta = [self._article_meta(i) for i in range(self.n)]
        self.by_path = {a.path: a.index for a in self._meta}
        self.by_category: dict[str, list[int]] = {}
        for a in self._meta:
            self.by_category.setdefault(a.category, []).append(a.index)

    # -- the model ---------------------------------------------------------

    def _article_meta(self, i: int) -> Article:
        rng = random.Random(self.seed * 1_000_003 + i)
        condition, category, description = C.CONDITIONS[i % len(C.CONDITIONS)]
        k = i // len(C.CONDITIONS)
        audience = AUDIENCES[k % len(AUDIENCES)]
        form = TITLE_FORMS[(k // len(AUDIENCES)) % len(TITLE_FORMS)]
        title = form.format(C=title_case(condition), a=audience)
        slug = slugify(title) + (f"-{i}" if i >= len(C.CONDITIONS) else "")
        treatments = []
        for t in rng.sample(C.TREATMENTS, rng.randint(3, 5)):
            names, cat, text = t
            treatments.append((rng.choice(names), cat, text))
        exercises = []
        if category != "headaches" or rng.random() < 0.5:
            for e in rng.sample(C.EXERCISES, rng.randint(2, 4)):
                names, position, desc, hold, reps, sets = e
                exercises.append((rng.choice(names), position, desc, hold, reps, sets, C.EXERCISES.index(e)))
        return Article(
            index=i, category=category, condition=condition, description=description, title=title, slug=slug,
            layout=i % 4, published=date(2014, 1, 1) + timedelta(days=(i * 3) % 3000),
            treatments=treatments, exercises=exercises, related=[],
        )

    def article(self, i: int) -> Article:
        return self._meta[i]

    def related_for(self, i: int) -> list[int]:
        """Four or five other articles, as an editor picks them: on the same
        condition and sharing the most advice, then from the same section,
        then one from elsewhere. With related="random", any four or five, or
        none on every sixth page."""
        rng = random.Random(self.seed * 7919 + i)
        if self.related == "random":
            if i % 6 == 5:
                return []
            return rng.sample([j for j in range(self.n) if j != i], min(4 + (i % 2), self.n - 1))
        me = self._meta[i]
        mine = {t[1] for t in me.treatments} | {e[6] for e in me.exercises}

        def closeness(j: int) -> tuple:
            other = self._meta[j]
            shared = len(mine & ({t[1] for t in other.treatments} | {e[6] for e in other.exercises}))
            return (-shared, rng.random())

        same_condition = sorted((j for j in self.by_category[me.category]
                                 if j != i and self._meta[j].condition == me.condition), key=closeness)
        same_section = sorted((j for j in self.by_category[me.category]
                               if j != i and self._meta[j].condition != me.condition), key=closeness)
        others = [j for j in range(self.n) if self._meta[j].category != me.category]
        picks = same_condition[:2] + same_section[:2] + (rng.sample(others, 1) if others else [])
        for j in same_condition[2:] + same_section[2:]:
            if len(picks) >= 4 + (i % 2):
                break
            picks.append(j)
        return picks[: 4 + (i % 2)]

    def truth(self, i: int) -> dict:
        """What extraction should yield from article i: the generator knows."""
        a = self._meta[i]
        return {
            "title": a.title,
            "condition": a.condition,
            "treatments": [name for name, _, _ in a.treatments],
            "exercises": [{"name": e[0], **dict(zip(("hold_seconds", "reps", "sets"), C.EXERCISE_FACTS[e[6]]))}
                          for e in a.exercises],
            "related": [self._meta[j].title for j in self.related_for(i)],
        }

    def article_paths(self) -> list[str]:
        """Paths of the articles this version serves (not removed, not redirected)."""
        return [a.path for a in self._meta if a.index not in self.removed and a.index not in self.redirected]

    def edited(self, i: int) -> bool:
        return self.version > 0 and (i + self.version) % 9 == 0

    def planted_duplicates(self) -> list[tuple[str, str, str]]:
        """(original path, copy path, 'exact' or 'near') for every planted copy."""
        pairs = []
        for a in self._meta:
            if a.index % 10 == 0:
                pairs.append((a.path, "/print" + a.path, "exact"))
            if a.index % 15 == 7:
                pairs.append((a.path, f"/partners/{a.slug}", "near"))
        return pairs

    def redirect_paths(self) -> dict[str, str]:
        return {f"/old/{a.index}": a.path for a in self._meta if a.index % 12 == 5}

    # -- rendering ---------------------------------------------------------

    def render(self, path: str, base: str) -> DemoResponse:
        """The response for ``path`` (query and fragment already removed)."""
        if path == "/robots.txt":
            return DemoResponse(200, f"User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap.xml\n".encode(),
                                "text/plain; charset=utf-8")
        if path == "/sitemap.xml":
            return self._sitemap_index(base)
        m = re.fullmatch(r"/sitemap-(\d+)\.xml(\.gz)?", path)
        if m:
            return self._sitemap_chunk(int(m.group(1)), bool(m.group(2)), base)
        if path in ("/", "/index.html"):
            return self._page(self._home(), base, "Home")
        m = re.fullmatch(r"/category/([a-z-]+)/(?:page/(\d+)/)?", path)
        if m and m.group(1) in self.by_category:
            return self._category(m.group(1), int(m.group(2) or 1), base)
        if path in self.by_path:
            i = self.by_path[path]
            if i in self.removed:
                return DemoResponse(404, self._shell("<h1>Page not found</h1><p>This article was removed.</p>",
                                                     "Not found", base).encode())
            if i in self.redirected:
                return DemoResponse(301, b"", headers={"Location": base + self._meta[self.redirected[i]].path})
            return self._article_response(i, base)
        if path.startswith("/print/") and path[6:] in self.by_path:
            i = self.by_path[path[6:]]
            if i % 10 == 0:
                return self._article_response(i, base, print_copy=True)
        m = re.fullmatch(r"/partners/([a-z0-9-]+)", path)
        if m:
            for i in range(7, self.n, 15):
                if self._meta[i].slug == m.group(1):
                    return self._article_response(i, base, partner_copy=True)
        if path == "/partners/":
            links = "".join(f'<li><a href="/partners/{self._meta[i].slug}">{html.escape(self._meta[i].title)}</a></li>'
                            for i in range(7, self.n, 15))
            return self._page(f"<h1>From our partners</h1><ul>{links}</ul>", base, "Partners")
        redirects = self.redirect_paths()
        if path in redirects:
            return DemoResponse(301, b"", headers={"Location": base + redirects[path]})
        m = re.fullmatch(r"/media/[a-z-]+\.pdf", path)
        if m:
            return DemoResponse(200, b"%PDF-1.4\n% demo exercise sheet\n%%EOF\n", "application/pdf")
        if path.startswith("/private/"):
            return self._page("<h1>Staff notes</h1><p>Internal.</p>", base, "Staff")
        return DemoResponse(404, self._shell("<h1>Page not found</h1><p>Sorry, this page does not exist.</p>",
                                             "Not found", base).encode(), headers={})

    def _page(self, body: str, base: str, title: str) -> DemoResponse:
        return self._with_validators(DemoResponse(200, self._shell(body, title, base).encode("utf-8")),
                                     date(2014, 1, 1))

    def _with_validators(self, response: DemoResponse, modified: date) -> DemoResponse:
        response.headers["ETag"] = '"' + hashlib.sha1(response.body).hexdigest()[:20] + '"'
        when = datetime(modified.year, modified.month, modified.day, 8, 0, tzinfo=timezone.utc)
        response.headers["Last-Modified"] = format_datetime(when, usegmt=True)
        return response

    def _sitemap_index(self, base: str) -> DemoResponse:
        chunks = (self.n + SITEMAP_CHUNK - 1) // SITEMAP_CHUNK
        entries = "".join(
            f"<sitemap><loc>{base}/sitemap-{k + 1}.xml{'.gz' if k == 0 else ''}</loc></sitemap>" for k in range(chunks)
        )
        xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
        return DemoResponse(200, xml.encode(), "application/xml")

    def _sitemap_chunk(self, k: int, gz: bool, base: str) -> DemoResponse:
        start = (k - 1) * SITEMAP_CHUNK
        if start >= self.n or start < 0 or gz != (k == 1):
            return DemoResponse(404, b"not found", "text/plain")
        entries = "".join(
            f"<url><loc>{base}{a.path}</loc><lastmod>{a.published.isoformat()}</lastmod></url>"
            for a in self._meta[start:start + SITEMAP_CHUNK]
            if a.index not in self.removed and a.index not in self.redirected
        )
        xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'.encode()
        if gz:
            return DemoResponse(200, gzip.compress(xml, mtime=0), "application/gzip")
        return DemoResponse(200, xml, "application/xml")

    def _home(self) -> str:
        cats = "".join(f'<li><a href="/category/{slug}/">{html.escape(name)}</a></li>' for slug, name in C.CATEGORIES)
        latest = "".join(
            f'<li><a href="{a.path}">{html.escape(a.title)}</a></li>' for a in self._meta[:10]
        )
        archive = "".join(f'<li><a href="{old}">Archive: article {old[5:]}</a></li>' for old in list(self.redirect_paths())[:5])
        return (f"<h1>{SITE_NAME}</h1><p>Practical advice on aches, pains and staying active.</p>"
                f"<h2>Topics</h2><ul>{cats}</ul><h2>Latest</h2><ul>{latest}</ul>"
                f'<h2>From the archive</h2><ul>{archive}</ul><p><a href="/partners/">From our partners</a></p>')

    def _category(self, slug: str, page: int, base: str) -> DemoResponse:
        members = [i for i in self.by_category[slug] if i not in self.removed and i not in self.redirected]
        pages = max(1, (len(members) + PER_INDEX_PAGE - 1) // PER_INDEX_PAGE)
        if page > pages:
            return DemoResponse(404, b"<h1>Not found</h1>")
        chunk = members[(page - 1) * PER_INDEX_PAGE: page * PER_INDEX_PAGE]
        items = []
        for n, i in enumerate(chunk):
            a = self._meta[i]
            # Every fifth link carries campaign parameters, as newsletters and widgets do.
            href = a.path + ("?utm_source=category&utm_medium=list&utm_campaign=spring" if n % 5 == 0 else "")
            items.append(f'<li><a href="{href}">{html.escape(a.title)}</a></li>')
        nav = ""
        if page < pages:
            nav += f'<a rel="next" href="/category/{slug}/page/{page + 1}/">Next page</a>'
        if page > 1:
            prev = f"/category/{slug}/" if page == 2 else f"/category/{slug}/page/{page - 1}/"
            nav += f' <a rel="prev" href="{prev}">Previous page</a>'
        name = dict(C.CATEGORIES)[slug]
        body = f"<h1>{html.escape(name)}</h1><ul class=\"article-list\">{''.join(items)}</ul><div class=\"pager\">{nav}</div>"
        return self._page(body, base, name)

    def _article_response(self, i: int, base: str, print_copy: bool = False, partner_copy: bool = False) -> DemoResponse:
        a = self._meta[i]
        page = self.article_html(i, base, print_copy=print_copy, partner_copy=partner_copy)
        return self._with_validators(DemoResponse(200, page.encode("utf-8")), a.published)

    # -- the article page ----------------------------------------------------

    def article_html(self, i: int, base: str, print_copy: bool = False, partner_copy: bool = False) -> str:
        a = self._meta[i]
        rng = random.Random(self.seed * 31 + i)
        cond = a.condition
        intro = rng.choice(C.INTROS).format(condition=cond, Condition=cond[0].upper() + cond[1:],
                                            description=a.description)
        second = rng.choice(C.SECOND_PARAS)
        if partner_copy:
            # A near-copy: the partner rewrites the opening and keeps the rest.
            intro = f"Our friends at {SITE_NAME} shared this guide. " + intro.replace("worth", "useful")
        canonical = f"{base}{a.path}"
        parts = [f'<p>{html.escape(intro)} {html.escape(second)}</p>',
                 '<div class="ad-slot ad-inline">Advertisement<br><img src="/ads/banner-300x250.gif" alt=""></div>']
        if i % 3 == 1:
            causes = "".join(f"<li>{c}</li>" for c in rng.sample(C.CAUSES, 3))
            parts.append(f"<h2>Common causes</h2><p>These often set it off:</p><ul class=\"causes\">{causes}</ul>")
        parts.append(self._list_html(a, rng, "treatments"))
        if a.exercises:
            parts.append(self._list_html(a, rng, "exercises"))
        parts.append(f"<p>{html.escape(rng.choice(C.CLOSINGS))}</p>")
        if self.edited(i):
            parts.append(f"<p>Revised for edition {self.version}: our editors checked this advice again this month "
                         f"and added the latest guidance from physiotherapists.</p>")
        if i % 9 == 4:
            parts.append(f'<p>See also our <a href="/{a.category}/this-page-was-removed-{i}">older guide</a>.</p>')
        if i % 11 == 5:
            parts.append(f'<p><a href="/media/{a.category}-exercise-sheet.pdf">Download the exercise sheet (PDF)</a></p>')
        if i % 10 == 0 and not print_copy:
            parts.append(f'<p class="print"><a href="/print{a.path}">Print this article</a></p>')
        body = "\n".join(parts)
        comments = "".join(
            f'<li class="comment"><span class="comment-author">{rng.choice(C.COMMENTERS)}</span><p>{rng.choice(C.COMMENTS)}</p></li>'
            for _ in range(rng.randint(1, 3))
        )
        related = "".join(
            f'<li><a href="{self._related_href(j, n, base)}">{html.escape(self._meta[j].title)}</a></li>'
            for n, j in enumerate(self.related_for(i))
        )
        json_ld = {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "MedicalWebPage", "name": a.title, "url": canonical, "inLanguage": "en",
                 "about": {"@type": "MedicalCondition", "name": cond}},
                {"@type": "Article", "headline": a.title, "author": {"@type": "Organization", "name": "Health Guide Staff"},
                 "datePublished": a.published.isoformat(), "image": f"{base}/images/{a.category}.jpg"},
            ],
        }
        if a.layout == 2 and a.exercises:
            json_ld["@graph"].append({
                "@type": "HowTo", "name": f"Exercises for {cond}",
                "step": [{"@type": "HowToStep", "position": n + 1, "name": e[0],
                          "text": " ".join(x for x in (e[1], e[2], e[3], e[4], e[5]) if x)}
                         for n, e in enumerate(a.exercises)],
            })
        site = "Partner Health News" if partner_copy else SITE_NAME
        head_extra = (f'<link rel="canonical" href="{canonical}">' if not (print_copy or partner_copy) else "")
        head = (f'<meta name="description" content="Learn how to deal with {html.escape(cond)} at home.">'
                f'<meta name="author" content="Health Guide Staff">'
                f'<meta property="og:title" content="{html.escape(a.title)}">'
                f'<meta property="og:type" content="article"><meta property="og:site_name" content="{site}">'
                f'<meta property="og:url" content="{canonical}">'
                f'<meta property="article:published_time" content="{a.published.isoformat()}T08:00:00Z">'
                f'{head_extra}<script type="application/ld+json">{json.dumps(json_ld)}</script>')
        article = (
            f'<article class="post"><h1 class="entry-title">{html.escape(a.title)}</h1>'
            f'<div class="byline">By <span class="author">Health Guide Staff</span> &middot; '
            f'<time datetime="{a.published.isoformat()}">{a.published.strftime("%B %d, %Y")}</time></div>'
            f'<div class="share-bar"><a href="https://www.facebook.com/sharer.php?u={canonical}">Share</a> '
            f'<a href="https://twitter.com/intent/tweet?url={canonical}">Tweet</a> <a href="mailto:?subject=x">Email</a></div>'
            f'<div class="entry-content">{body}</div>'
            f'<div class="tags">Tags: <a href="/category/{a.category}/">{a.category.replace("-", " ")}</a></div>'
            f'<div id="comments" class="comments"><a href="#" class="toggle-comments">show comments</a>'
            f'<ol class="comment-list">{comments}</ol></div></article>'
            + (f'<section class="related-reading"><h3>What Others Are Reading Right Now.</h3><ul>{related}</ul></section>'
               if related else "")
        )
        return self._shell(article, f"{a.title} | {site}", base, head=head, site=site)

    def _related_href(self, j: int, n: int, base: str) -> str:
        path = self._meta[j].path
        if n == 0:
            return path + "?utm_source=related&utm_medium=widget"
        if n == 1:
            return base + path
        if n == 3:
            return path + "#intro"
        return path

    def _list_html(self, a: Article, rng: random.Random, kind: str) -> str:
        items = []
        if kind == "treatments":
            lead = rng.choice(C.TREATMENT_LEADINS)
            for name, _cat, text in a.treatments:
                items.append((name, text))
        else:
            lead = rng.choice(C.EXERCISE_LEADINS)
            for name, position, desc, hold, reps, sets, _ in a.exercises:
                items.append((name, " ".join(x for x in (position, desc, hold, reps, sets) if x)))
        heading = "Treatments" if kind == "treatments" else "Exercises"
        if a.layout == 0 or (a.layout == 2 and kind == "treatments"):
            lis = "".join(f"<li><strong>{html.escape(n)}.</strong> {html.escape(t)}</li>" for n, t in items)
            return f"<p>{html.escape(lead)}</p>\n<ol>{lis}</ol>"
        if a.layout == 1:
            blocks = "".join(f"<h3>{k + 1}. {html.escape(n)}</h3><p>{html.escape(t)}</p>" for k, (n, t) in enumerate(items))
            return f"<h2>{heading}</h2><p>{html.escape(lead)}</p>{blocks}"
        if a.layout == 2:
            blocks = "".join(f'<div class="howto-step"><h4>Step {k + 1}: {html.escape(n)}</h4><p>{html.escape(t)}</p></div>'
                             for k, (n, t) in enumerate(items))
            return f"<h2>{heading}</h2>{blocks}"
        rows = "".join(f"<tr><td>{k + 1}</td><td><b>{html.escape(n)}</b></td><td>{html.escape(t)}</td></tr>"
                       for k, (n, t) in enumerate(items))
        return f'<h2>{heading}</h2><p>{html.escape(lead)}</p><table class="steps"><tbody>{rows}</tbody></table>'

    def _shell(self, main: str, title: str, base: str, head: str = "", site: str = SITE_NAME) -> str:
        nav = "".join(f'<li><a href="/category/{slug}/">{html.escape(name)}</a></li>' for slug, name in C.CATEGORIES)
        popular = "".join(f'<li><a href="{self._meta[j].path}">{html.escape(self._meta[j].title)}</a></li>'
                          for j in range(min(3, self.n)))
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">{head}
<style>{STYLE}</style>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
</head><body class="article-page">
<header id="top"><a class="logo" href="/">{site}</a>
<nav class="main-nav"><ul><li><a href="/">Home</a></li>{nav}<li><a href="/about/">About Us</a></li></ul></nav>
<form class="search" action="/search"><input name="q" placeholder="Search"><button>Go</button></form></header>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<div id="wrapper"><div id="content">{main}</div>
<aside id="sidebar"><div class="widget newsletter"><h4>Get our newsletter</h4><form><input type="email" placeholder="Email"><button>Subscribe</button></form></div>
<div class="widget popular"><h4>Popular</h4><ul>{popular}</ul></div><div class="ad-slot ad-sidebar">Advertisement</div></aside></div>
<footer id="footer"><p>&copy; 2014 {site}. The information on this site is not a substitute for professional medical advice.</p>
<ul><li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms</a></li><li><a href="/contact">Contact</a></li>
<li><a href="/private/staff-notes">Staff area</a></li><li><a href="/partners/">Partners</a></li></ul></footer>
<script src="/static/comments.js"></script></body></html>"""


# A realistic share of a page's bytes is styling; real health pages carry far more.
STYLE = " ".join(
    f".c{k}{{margin:{k % 7}px {k % 5}px;padding:{k % 3}px;color:#{(k * 2654435761) % 0xFFFFFF:06x};font-size:{12 + k % 6}px}}"
    for k in range(90)
)
