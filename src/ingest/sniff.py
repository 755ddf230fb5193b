"""Tell a document's format from its bytes; the file name's extension only breaks ties."""

from __future__ import annotations

import io
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes, name: str = "") -> str:
    """One of html | text | pdf | docx | doc | wps | xlsx | xls | image | unknown."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
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
    if (
        b"<html" in low
        or b"<!doctype html" in low
        or b"<table" in low
        or b"<body" in low
        or ext in ("html", "htm", "shtml")
    ):
        return "html"
    if ext in ("txt", "text", "") or _looks_textual(head):
        return "text"
    return "unknown"


def _looks_textual(head: bytes) -> bool:
    return b"\x00" not in head
