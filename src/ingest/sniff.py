"""Tell a document's format from its bytes; the file name's extension only breaks ties."""

from __future__ import annotations

import codecs
import io
import re
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# How much of a document's start decides whether it is text: enough for a page of any encoding.
TEXT_SAMPLE_BYTES = 65536
# Control characters other than whitespace: text documents hold none (one stray byte is forgiven), while
# about one character in ten of random bytes is one, whatever the encoding they are read in.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
MAX_CONTROL_SHARE = 0.01
# Undecodable bytes (read as U+FFFD) in the best reading: a few stray bytes in text are kept and flagged
# by the text reader (`text_decoding`); most of a short document undecodable is no text.
MAX_UNDECODABLE_SHARE = 0.25
# The encodings a text report comes in (UTF-16 only with its byte-order mark, as `extract.text` reads it).
_TEXT_ENCODINGS = ("utf-8", "gb18030")


def sniff(data: bytes, name: str = "") -> str:
    """One of html | text | pdf | docx | doc | wps | xlsx | xls | image | unknown.

    `name` is a file name, a path or a URL; only its last segment's extension is used. Bytes with no
    known signature that no text encoding makes sense of (random bytes, an unknown binary format) are
    `unknown`, whatever the name says."""
    ext = _extension(name)
    head = data[:2048]
    if head.lstrip().startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return ext if ext in ("docx", "xlsx") else "unknown"
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        return ext if ext in ("docx", "xlsx") else "unknown"
    if head.startswith(OLE_MAGIC):
        if ext in ("doc", "wps", "xls"):
            return ext
        if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in data[:65536]:
            return "xls"
        return "doc"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")):
        return "image"
    low = head.lower()
    if b"<html" in low or b"<!doctype html" in low or b"<table" in low or b"<body" in low:
        return "html"
    if not looks_textual(data):
        return "unknown"
    return "html" if ext in ("html", "htm", "shtml") else "text"


def looks_textual(data: bytes) -> bool:
    """Whether the start of `data` reads as text in one of the encodings reports come in: (almost) no
    control characters, and mostly decodable in its best reading. Private-use code points are not held
    against it: Big5 text read as GB18030 is full of them."""
    sample = data[:TEXT_SAMPLE_BYTES]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        readings = [sample.decode("utf-16", errors="replace")]
    else:
        sample = sample.removeprefix(codecs.BOM_UTF8)
        readings = [sample.decode(enc, errors="replace") for enc in _TEXT_ENCODINGS]
    best = min(readings, key=lambda text: text.count("\ufffd"))
    # a multi-byte character cut at the sample's end is one replacement character, never enough to count
    controls, undecodable = len(_CONTROL.findall(best)), best.count("\ufffd")
    return controls <= max(1, MAX_CONTROL_SHARE * len(best)) and undecodable <= MAX_UNDECODABLE_SHARE * len(best)


def _extension(name: str) -> str:
    """The extension of the last segment of a file name, path or URL (query and fragment left out)."""
    last = name.split("?", 1)[0].split("#", 1)[0].replace("\\", "/").rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last else ""
