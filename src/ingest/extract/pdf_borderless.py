"""Tables drawn without ruling lines, rebuilt from where their text sits.

Rows are anchored on the lines that carry numbers: every such line is one data row. The numbers' own
x-extents give the value columns; everything left of them is the label zone, split into sub-columns
where label text starts (a group label such as （三）不予公开 starts left of its items). Label fragments
above or below a data row (a label wrapped over two or three lines) join the nearest data row. Lines
with several segments just above the first data row are header rows. A line reaching into the value
columns without numbers (a block caption) ends the table.
"""

from __future__ import annotations

from ingest.extract.pdf_grid import BoxCell, TablePart, cluster
from ingest.extract.pdf_words import NUMBER, Line, Segment
from ingest.extract.wrapped import join_lines

MAX_HEADER_LINES = 6
FRAGMENT_ALIGN = 10.0  # points: a wrapped label's next line starts where a label of the table starts
WIDE_ROW_NUMBERS = 4  # a single data row is a table when it carries this many numbers (table 四)


def _is_number(s: Segment) -> bool:
    return bool(NUMBER.match(s.text.replace(" ", "")))


def _numeric(ln: Line) -> bool:
    return len(ln.segments) >= 2 and any(_is_number(s) for s in ln.segments)


def borderless_tables(
    lines: list[Line], page: int, method: str = "pdf-words", min_rows: int = 2
) -> tuple[list[TablePart], list[Line]]:
    """(tables, lines left over) of a page whose tables have no ruling lines."""
    lines = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    used: set[int] = set()
    tables: list[TablePart] = []
    i = 0
    while i < len(lines):
        if not _numeric(lines[i]) or i in used:
            i += 1
            continue
        region, end = _region(lines, i)
        data = [k for k in region if _numeric(lines[k])]
        if len(data) < min_rows and not (data and sum(map(_is_number, lines[data[0]].segments)) >= WIDE_ROW_NUMBERS):
            i = end + 1
            continue
        header = _header(lines, i, used, _zone_start(lines, data))
        tables.append(_build([lines[k] for k in header], [lines[k] for k in region], page, method))
        used.update(header, region)
        i = end + 1
    rest = [ln for k, ln in enumerate(lines) if k not in used]
    return tables, rest


def _zone_start(lines: list[Line], data: list[int]) -> float:
    """Where the value columns begin: the leftmost number of the data rows."""
    return min(s.x0 for k in data for s in lines[k].segments if _is_number(s))


def _region(lines: list[Line], first: int) -> tuple[list[int], int]:
    """Indexes of the data rows and label fragments from `first` on, and the last index taken."""
    zone = min(s.x0 for s in lines[first].segments if _is_number(s))
    label_starts = {s.x0 for s in lines[first].segments if not _is_number(s)}
    region = [first]
    last_data = first
    k = first + 1
    while k < len(lines):
        ln = lines[k]
        height = max(ln.height, 6.0)
        if ln.top - lines[region[-1]].bottom > 2.5 * height:
            break  # a gap: the table ended
        if _numeric(ln):
            zone = min(zone, min(s.x0 for s in ln.segments if _is_number(s)))
            label_starts.update(s.x0 for s in ln.segments if not _is_number(s))
            region.append(k)
            last_data = k
        elif ln.x1 <= zone + 1 and any(abs(ln.x0 - x) <= FRAGMENT_ALIGN for x in label_starts):
            region.append(k)  # a label fragment: wrapped label text, aligned with a label above
        else:
            break  # text across the value columns without numbers: a caption or the next table's header
        k += 1
    # fragments after the last data row belong to it only when close below it
    while region[-1] != last_data and lines[region[-1]].top - lines[last_data].bottom > 1.5 * max(
        lines[last_data].height, 6.0
    ):
        region.pop()
    return region, region[-1]


def _header(lines: list[Line], first: int, used: set[int], zone: float) -> list[int]:
    """Lines just above the first data row that read as column headers."""
    out: list[int] = []
    k = first - 1
    below = lines[first]
    while k >= 0 and len(out) < MAX_HEADER_LINES and k not in used:
        ln = lines[k]
        if below.top - ln.bottom > 2.0 * max(ln.height, 6.0):
            break
        if len(ln.segments) < 2 and ln.x0 < zone:
            break  # a heading at the margin, not a header
        out.append(k)
        below = ln
        k -= 1
    return sorted(out)


def _build(header: list[Line], region: list[Line], page: int, method: str) -> TablePart:
    data = [ln for ln in region if _numeric(ln)]
    zone = min(s.x0 for ln in data for s in ln.segments if _is_number(s))
    value_cols = _intervals([(s.x0, s.x1) for ln in data for s in ln.segments if s.x0 >= zone - 1])
    label_segments = [s for ln in region for s in ln.segments if s.x1 <= zone + 1]
    label_starts = cluster([s.x0 for s in label_segments], tolerance=8.0) if label_segments else []
    left = min([s.x0 for ln in header + region for s in ln.segments] + [zone])
    right = max([s.x1 for ln in header + region for s in ln.segments])
    starts = [left] + label_starts[1:] if label_starts else []
    bounds = starts + [zone] + [(a[1] + b[0]) / 2 for a, b in zip(value_cols, value_cols[1:], strict=False)] + [right]
    bounds = sorted(set(round(b, 1) for b in bounds))

    def columns_of(s: Segment, label: bool) -> tuple[int, int]:
        if label:  # by where the text starts: the sub-column it begins in
            k = max([i for i, b in enumerate(bounds[:-1]) if b <= s.x0 + 1] or [0])
            return k, k + 1
        hit = [i for i in range(len(bounds) - 1) if s.x0 < bounds[i + 1] - 1 and s.x1 > bounds[i] + 1]
        return (hit[0], hit[-1] + 1) if hit else (0, 1)

    centres = [(ln.top + ln.bottom) / 2 for ln in data]
    row_edges = (
        [data[0].top] + [(a.bottom + b.top) / 2 for a, b in zip(data, data[1:], strict=False)] + [data[-1].bottom]
    )
    texts: dict[tuple[int, int, int], list[tuple[float, Segment]]] = {}
    for ln in region:
        mid = (ln.top + ln.bottom) / 2
        row = min(range(len(data)), key=lambda r: abs(centres[r] - mid))
        for s in ln.segments:
            c0, c1 = columns_of(s, s.x1 <= zone + 1)
            texts.setdefault((row, c0, c1), []).append((s.top, s))
    row_edges[0] = min(row_edges[0], min(ln.top for ln in region))
    row_edges[-1] = max(row_edges[-1], max(ln.bottom for ln in region))
    cells = []
    top = min([ln.top for ln in header] + [row_edges[0]])
    for i, ln in enumerate(header):
        line_top = top if i == 0 else (header[i - 1].bottom + ln.top) / 2
        bottom = (ln.bottom + header[i + 1].top) / 2 if i + 1 < len(header) else row_edges[0]
        merged: list[tuple[int, int, list[Segment]]] = []
        for s in ln.segments:
            c0, c1 = columns_of(s, False)
            if merged and c0 < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(c1, merged[-1][1]), merged[-1][2] + [s])
            else:
                merged.append((c0, c1, [s]))
        for c0, c1, segs in merged:
            cells.append(
                BoxCell(bounds[c0], line_top, bounds[c1], bottom, " ".join(s.text for s in segs), _lowest(segs))
            )
    for (row, c0, c1), found in sorted(texts.items()):
        segs = [s for _, s in sorted(found, key=lambda t: (round(t[0]), t[1].x0))]
        cells.append(
            BoxCell(
                bounds[c0],
                row_edges[row],
                bounds[c1],
                row_edges[row + 1],
                join_lines([s.text for s in segs]),
                _lowest(segs),
            )
        )
    return TablePart(page=page, cells=cells, method=method)


def _intervals(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _lowest(segs: list[Segment]) -> float | None:
    known = [s.confidence for s in segs if s.confidence is not None]
    return min(known) if known else None
