"""Bytes to text: the character encoding of an HTML page.

Shared by every stage that reads pages (the fetcher, extraction, importers),
so none of them needs the others' internals. The order of evidence is the
browsers' (HTML standard, WHATWG Encoding Standard); a label that names no
text encoding (``charset=zlib``, ``charset=base64``) is the server's mistake
and is passed over like an unknown one.
"""

from __future__ import annotations

import codecs
import hashlib
import re

from charset_normalizer import from_bytes

# The labels browsers actually use for the legacy encodings (WHATWG Encoding
# Standard): a page that says ISO-8859-1 is decoded as windows-1252, and so on.
WHATWG_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252",
    "x-cp1252": "cp1252", "iso-8859-9": "cp1254", "shift_jis": "cp932", "shift-jis": "cp932",
    "sjis": "cp932", "x-sjis": "cp932", "windows-31j": "cp932", "ms_kanji": "cp932",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949", "iso-8859-11": "cp874", "tis-620": "cp874", "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8", "x-mac-roman": "mac_roman",
}
CHARSET_IN_HEADER = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I
)
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


# Codecs Python has but no web page is written in: decoding HTML with them
# raises or turns backslashes into characters.
NOT_WEB_ENCODINGS = frozenset({"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined", "utf-7",
                               "utf-8-sig", "utf-16", "utf-32", "utf-32-le", "utf-32-be"})


def normalise_encoding(label: str | None) -> str | None:
    """A Python codec name for an encoding label, or None if it names no
    text encoding a web page can be in."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = WHATWG_ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in NOT_WEB_ENCODINGS:
        return None
    return info.name


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = CHARSET_IN_HEADER.search(content_type)
    return normalise_encoding(match.group(1)) if match else None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML body; return ``(text, encoding)``.

    Order, as browsers do it: a byte-order mark (the HTML standard lets it
    override the header), the HTTP header, ``<meta charset>`` in the first
    4 KB, strict UTF-8, then charset-normalizer's guess. A declared encoding
    the bytes do not fit is passed over rather than trusted, and valid UTF-8
    wins over a declared single-byte code page (a stale declaration).
    """
    for bom, name in BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(name, errors="replace"), name
    candidates: list[str] = []
    for declared in (charset_from_content_type(content_type), _meta_charset(body[:4096])):
        if declared and declared not in candidates:
            # A page that says UTF-16 in a meta tag without a BOM is lying (HTML standard).
            candidates.append("utf-8" if declared.startswith("utf-16") else declared)
    if candidates and _is_single_byte(candidates[0]):
        # Bytes that are valid UTF-8 beyond ASCII are almost never legacy
        # single-byte text: the declaration is stale (a common CMS mistake).
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    for name in [*candidates, "utf-8"]:
        try:
            return body.decode(name), name
        except (UnicodeError, LookupError):
            continue
    guess = _guess_encoding(body)
    if guess:
        return body.decode(guess, errors="replace"), guess
    fallback = candidates[0] if candidates else "cp1252"
    return body.decode(fallback, errors="replace"), fallback


def _is_single_byte(name: str) -> bool:
    return name.startswith(("cp125", "iso8859", "latin", "mac", "ascii", "cp874"))


def _meta_charset(head: bytes) -> str | None:
    match = META_CHARSET.search(head)
    return normalise_encoding(match.group(1).decode("ascii", "ignore")) if match else None


def _guess_encoding(body: bytes) -> str | None:
    best = from_bytes(body[:200_000]).best()
    if best is None:
        return None
    name = normalise_encoding(best.encoding)
    # With only a handful of non-ASCII bytes the detector picks among
    # single-byte Latin code pages almost at random; windows-1252 is the
    # web's de facto default for those (and what browsers fall back to).
    if name and _is_single_byte(name) and name not in ("cp1251", "iso8859-5"):
        return "cp1252"
    return name


# Text encoded twice: UTF-8 read as windows-1252 or Latin-1 and stored as
# UTF-8 again, by a site's CMS or a copy and paste ("donâ€™t", "itâ\x80\x99s",
# "cafÃ©", "JOHNSONâ\x80\x99SÂ®"); browsers show the same garbage. Every
# such sequence starts with Ã, Â or â followed by a Latin-1 sign or a
# windows-1252 letter, or holds a C1 control, which never stands in text.
# A scan for single characters is fast (str.find on one character); the
# pattern runs only on pages that have one.
MOJIBAKE_SIGNS = ("\x80", "Ã", "Â", "€")
MOJIBAKE = re.compile("[\x80-\x9f]|[âÃÂ][\xa0-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")


def repair_mojibake(text: str) -> str:
    """The text with doubly encoded UTF-8 read back, by ftfy (the library
    that knows the many shapes of it and leaves text that only looks odd
    alone); the same string when it shows no sign of any."""
    if not any(sign in text for sign in MOJIBAKE_SIGNS) or MOJIBAKE.search(text) is None:
        return text
    import ftfy  # 40 ms to import, and only pages that need it pay

    return ftfy.fix_encoding(text)


def content_hash(text: str) -> str:
    """The hash a page's content is compared by from run to run."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
