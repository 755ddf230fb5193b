"""Every public exception the project defines shares one base, so the command line and the flows can tell
the project's own errors from bugs."""

import importlib
import inspect
import pkgutil

import ingest
from ingest.errors import XxgkError


def _project_exceptions():
    found = {}
    for mod in pkgutil.walk_packages(ingest.__path__, "ingest."):
        module = importlib.import_module(mod.name)
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseException)
                and obj.__module__ == module.__name__
                and not name.startswith("_")
            ):
                found[f"{module.__name__}.{name}"] = obj
    return found


def test_every_public_exception_is_an_xxgk_error():
    found = _project_exceptions()
    assert "ingest.sources.RegistryError" in found and "ingest.warehouse.WarehouseError" in found
    assert [name for name, cls in found.items() if not issubclass(cls, XxgkError)] == []


def test_the_built_in_bases_callers_catch_are_kept():
    from ingest.dictionary import UnknownObject
    from ingest.divisions import DivisionTableMissing
    from ingest.sources import RegistryError
    from ingest.viewgraph import ViewLineageError

    assert issubclass(RegistryError, ValueError) and issubclass(ViewLineageError, ValueError)
    assert issubclass(UnknownObject, LookupError) and issubclass(DivisionTableMissing, RuntimeError)
