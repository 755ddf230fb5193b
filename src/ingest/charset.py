"""Bytes → text for pages and text files: one decoder, each caller saying what it trusts.

Chinese sites often declare the wrong charset (a GBK page saying UTF-8 is common), so a declaration is
used only when the bytes decode under it; a name older than the charset really meant (`gb2312`, `big5`)
is read as its superset. After the declarations come the caller's fallbacks (UTF-8, GB18030), then
detection, then a last resort that replaces what cannot be decoded and says so.

Callers: listing and report pages while scraping (`ingest.discover.decode_html`, which also trusts the
server's Content-Type), archived HTML (`ingest.extract.html.decode`, bytes alone) and plain text
(`ingest.extract.text.decode`, UTF-8 or GB18030 only).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

# Older or narrower names → the charset pages under them are really written in. GB2312 and GBK pages
# are read as GB18030 (their superset), Big5 as Big5-HKSCS.
SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "utf8": "utf-8",
    "big5": "big5hkscs",
}
_GB_FAMILY = ("gb2312", "gbk", "gb18030", "cp936")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.-]+)", re.I)


@dataclass(frozen=True)
class Decoded:
    text: str
    charset: str  # the charset the text was read with
    note: str | None = None  # how the bytes were read when no charset fitted them


def superset(name: str) -> str:
    """The charset a declared name really means (lower-cased; unknown names unchanged)."""
    name = name.lower()
    return SUPERSETS.get(name, name)


def codec_name(name: str | None) -> str | None:
    """Python's name of a declared charset, read as its superset; None for a name no codec has."""
    if not name:
        return None
    try:
        return codecs.lookup(superset(name)).name
    except LookupError:
        return None


def meta_charset(data: bytes, within: int) -> str | None:
    """The charset a `<meta>` in the first `within` bytes declares, as written."""
    m = _META_CHARSET.search(data[:within])
    return m.group(1).decode("ascii", "replace") if m else None


def header_charset(content_type: str | None) -> str | None:
    """The charset of a Content-Type header, as written."""
    m = _HEADER_CHARSET.search(content_type) if content_type else None
    return m.group(1) if m else None


def superset_of_detected(detected: str) -> str:
    """A detected charset name as the one to decode with: the GB family as GB18030, older names as
    their superset."""
    if detected.lower() in _GB_FAMILY:
        return "gb18030"
    return SUPERSETS.get(detected.lower().replace("_", ""), detected)


def decode(
    data: bytes,
    *,
    declared: Iterable[str | None] = (),
    fallbacks: Sequence[str] = ("utf-8", "gb18030"),
    detect: Callable[[str], str] | None = None,
    last_resort: str = "gb18030",
    last_resort_note: str | None = None,
    trust_bom: bool = True,
) -> Decoded:
    """Decode `data` with the first charset that reads it whole.

    A byte-order mark decides first: with `trust_bom` the whole is read under it (what cannot be decoded
    replaced); without, a UTF-8 mark is dropped and the rest tried as usual, and a UTF-16 mark must
    decode. Then the `declared` charsets (None entries skipped), the `fallbacks`, then, when `detect` is
    given, the detected charset (named by `detect`), each only if it decodes the bytes without error.
    Last, `last_resort` with undecodable bytes replaced and `last_resort_note` saying so.
    """
    if data.startswith(codecs.BOM_UTF8):
        if trust_bom:
            return Decoded(data[3:].decode("utf-8", errors="replace"), "utf-8")
        data = data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf-16", errors="replace" if trust_bom else "strict"), "utf-16")
    for charset in [*declared, *fallbacks]:
        if charset:
            try:
                return Decoded(data.decode(charset), charset)
            except (LookupError, UnicodeDecodeError):
                continue
    if detect is not None:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding:
            charset = detect(best.encoding)
            try:
                return Decoded(data.decode(charset), charset)
            except (LookupError, UnicodeDecodeError):
                pass
    return Decoded(data.decode(last_resort, errors="replace"), last_resort, last_resort_note)
