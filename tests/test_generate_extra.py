"""reportlab serves only the generator (the `generate` extra): the nightly never imports it, and the
generator without it says what to install."""

import subprocess
import sys

import pytest


@pytest.mark.slow
def test_the_nightly_path_never_imports_reportlab():
    code = (
        "import sys\n"
        "import flows.nightly, flows.reparse, flows.rebuild, ingest.cli, ingest.run, ingest.parse\n"
        "import ingest.isolation_worker, ingest.export, ingest.bulletin, ingest.quality_report\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'reportlab'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"


def test_rendering_a_pdf_without_reportlab_names_the_extra(monkeypatch):
    from ingest.generate import render_pdf as module

    monkeypatch.setitem(sys.modules, "reportlab", None)  # import reportlab → ImportError
    module._register_font.cache_clear()
    with pytest.raises(module.ReportlabMissing, match=r"the `generate` extra: uv sync --extra generate"):
        module.render_pdf(None)  # type: ignore[arg-type]
    module._register_font.cache_clear()
