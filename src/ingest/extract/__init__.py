"""Extractors: one module per file format, each `extract(data: bytes, source: str) -> Document`.

They know file formats and nothing about the report format; `ingest.recognise` does the rest.
"""

from __future__ import annotations

from importlib import import_module

from ingest.errors import XxgkError
from ingest.grid import Document

# format (as `ingest.sniff` names it) -> module holding its `extract`
EXTRACTORS = {
    "html": "ingest.extract.html",
    "text": "ingest.extract.text",
    "pdf": "ingest.extract.pdf",
    "docx": "ingest.extract.docx",
    "doc": "ingest.extract.office",
    "wps": "ingest.extract.office",
    "xlsx": "ingest.extract.xlsx",
    "xls": "ingest.extract.xlsx",
    "image": "ingest.extract.ocr",
}


class UnsupportedFormat(XxgkError):
    pass


def extract(data: bytes, source: str, fmt: str) -> Document:
    try:
        module = EXTRACTORS[fmt]
    except KeyError:
        raise UnsupportedFormat(f"no extractor for format {fmt!r}") from None
    return import_module(module).extract(data, source)
