"""``python -m pipeline.demo serve --articles N --port P``: serve the demo site
in this process until killed (benchmarks run it beside the crawler)."""

import click

from pipeline.demo.server import serve_forever, serve_prerendered
from pipeline.demo.site import DemoSite


@click.group()
def main() -> None:
    """The bundled demo site."""


@main.command()
@click.option("--articles", type=click.IntRange(min=1), default=120, show_default=True)
@click.option("--port", type=click.IntRange(min=1, max=65535), default=8765, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--prerendered", is_flag=True, help="Render every page up front and serve from memory (benchmarks).")
def serve(articles: int, port: int, seed: int, prerendered: bool) -> None:
    """Serve the demo site on 127.0.0.1:PORT."""
    click.echo(f"serving {articles} articles on http://127.0.0.1:{port}", err=True)
    (serve_prerendered if prerendered else serve_forever)(DemoSite(articles, seed), port)


main()
