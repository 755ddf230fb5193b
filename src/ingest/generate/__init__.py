"""Synthetic 政府信息公开工作年度报告 with known values: the model, consistent histories, renderers, samples.

`model` holds the types, `history.generate_history` consistent histories; `layout` turns a report into the grids every renderer
draws; `render_html` / `render_text` write bytes; `samples.write_samples` writes the bundled samples.
"""

from ingest.generate.history import generate_history
from ingest.generate.model import (
    BREAKAGES,
    CellValue,
    ExtraRow,
    Office,
    Quirks,
    SyntheticReport,
)

__all__ = ["BREAKAGES", "CellValue", "ExtraRow", "Office", "Quirks", "SyntheticReport", "generate_history"]
