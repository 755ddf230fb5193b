"""The one base of the project's own exceptions.

Why a base: the command line and the flows can catch the project's own errors — a refused registry, a
damaged warehouse, a document too large to read — apart from bugs, which should still stop with a
traceback. Each class keeps the built-in base callers already catch (`ValueError`, `LookupError`, …)
beside this one.
"""


class XxgkError(Exception):
    """An error the project raises on purpose, with a message naming what was wrong; not a bug."""
