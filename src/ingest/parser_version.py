"""The parser's version, recorded with every parsed document.

Bump `PARSER_VERSION` when a change to parsing could read a document differently. A document that
failed is parsed again by the nightly only when its bytes change or this version does, so a document
that breaks the parser (or a parse limit) costs one attempt per parser version, not one every night.
"""

PARSER_VERSION = "1"
