"""Datasette plugin of health-pipeline (loaded with --plugins-dir).

- JSON lists and objects in cells (medicines, warnings, aliases, signals,
  facts, failures by reason) read as text, not as raw JSON.
- An article's title links to the article's page, so rows read by title.
- Long text columns stay out of table views: a table page opened without a
  column choice is sent to the same page with Datasette's own ``_nocol``
  for the columns metadata lists under ``plugins.health.hide_columns``
  (the column menu's "Show all columns" brings them back; the JSON and CSV
  APIs are untouched).
- A recommendation's evidence reads as its pieces in words, each once.
- Template filters for the article page: ``tilde`` (Datasette's row-URL
  encoding), ``seconds`` (20 -> "20 s", 90 -> "1 min 30 s"),
  ``json_list`` (["a", "b"] -> "a, b") and ``evidence`` (a recommendation's
  evidence JSON -> its texts, each once).
"""

import json
from urllib.parse import parse_qsl, urlencode

import markupsafe
from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode


def format_seconds(value) -> str:
    if value is None:
        return ""
    value = int(value)
    minutes, seconds = divmod(value, 60)
    if not minutes:
        return f"{seconds} s"
    return f"{minutes} min" + (f" {seconds} s" if seconds else "")


def json_list(value) -> str:
    """A JSON list column as "a, b, c" (empty for NULL or [])."""
    try:
        items = json.loads(value or "[]")
    except ValueError:
        return str(value)
    return ", ".join(_scalar(i) for i in items) if isinstance(items, list) else str(value)


def evidence_texts(value) -> list[str]:
    """A recommendation's evidence (JSON list of {kind, text}) as its texts,
    strongest first, each once: the link from the page and the link back
    read alike and say nothing more the second time."""
    try:
        items = json.loads(value or "[]")
    except (TypeError, ValueError):
        return []
    texts = [item.get("text") for item in items if isinstance(item, dict)] if isinstance(items, list) else []
    return list(dict.fromkeys(t for t in texts if t))


def _scalar(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


def render_json(value):
    """A JSON list or object as readable HTML, or None if it is not one."""
    if not isinstance(value, str) or value[:1] not in ("[", "{"):
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if isinstance(data, dict):
        if any(isinstance(v, (dict, list)) for v in data.values()):
            return None  # nested: the JSON view shows it
        return ", ".join(f"{k}: {_scalar(v)}" for k, v in data.items()) or markupsafe.Markup("&nbsp;")
    if not isinstance(data, list):
        return None
    if not data:
        return markupsafe.Markup("&nbsp;")
    if all(not isinstance(item, (dict, list)) for item in data):
        return ", ".join(_scalar(item) for item in data)
    if all(isinstance(item, dict) and all(not isinstance(v, (dict, list)) for v in item.values()) for item in data):
        lines = [", ".join(f"{k}: {_scalar(v)}" for k, v in item.items() if v is not None) for item in data]
        return markupsafe.Markup("<br>".join(str(markupsafe.escape(line)) for line in lines))
    return None


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["tilde"] = tilde_encode
    env.filters["seconds"] = format_seconds
    env.filters["json_list"] = json_list
    env.filters["evidence"] = evidence_texts


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if table == "articles" and column == "title" and value and row is not None:
        try:
            url = row["url"]
        except (IndexError, KeyError):
            return None
        if isinstance(url, dict):  # expanded as a foreign key (articles.url -> pages.url)
            url = url.get("value")
        if not isinstance(url, str):
            return None
        link = datasette.urls.row(database, table, tilde_encode(url))
        return markupsafe.Markup(f'<a href="{markupsafe.escape(link)}">{markupsafe.escape(value)}</a>')
    if table == "recommendations" and column == "evidence" and isinstance(value, str):
        return "; ".join(evidence_texts(value)) or markupsafe.Markup("&nbsp;")
    return render_json(value)


def hidden_columns(datasette, database: str, table: str) -> list[str]:
    config = datasette.plugin_config("health", database=database, table=table) or {}
    return list(config.get("hide_columns") or [])


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def hide_long_columns(scope, receive, send):
            if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
                parts = scope["path"].strip("/").split("/")
                query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
                keys = {k for k, _ in query}
                if len(parts) == 2 and "." not in parts[1] and not keys & {"_col", "_nocol", "_format"}:
                    database = tilde_decode(parts[0])
                    table = tilde_decode(parts[1])
                    hide = hidden_columns(datasette, database, table) if database in datasette.databases else []
                    if hide:
                        location = scope["path"] + "?" + urlencode(query + [("_nocol", c) for c in hide])
                        await send({"type": "http.response.start", "status": 302,
                                    "headers": [(b"location", location.encode("latin-1")),
                                                (b"content-type", b"text/plain")]})
                        await send({"type": "http.response.body", "body": b""})
                        return
            await app(scope, receive, send)

        return hide_long_columns

    return wrap

