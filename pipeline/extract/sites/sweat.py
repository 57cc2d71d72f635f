"""sweat.com: each machine's section names its exercise only in the caption of
a demo video ("Exercise: Lat pulldown - Kayla"), which the generic rules
drop with the video."""

from __future__ import annotations

import re

from pipeline.extract import sites

CAPTION = re.compile(r"^\s*Exercise:\s*(?P<name>.+?)(?:\s+-\s+[A-Z][\w.]+)?\s*$")


class Sweat(sites.Site):
    hosts = ("sweat.com",)

    def items(self, tree, url: str) -> dict[str, list[tuple[str, str]]]:
        names: list[str] = []
        for caption in tree.css("video p"):
            match = CAPTION.match(caption.text(deep=True) or "")
            if match and match.group("name") not in names:
                names.append(match.group("name"))
        return {"exercises": [(name, "") for name in names]} if len(names) >= 2 else {}
