# %% [markdown]
# # The bulletin's charts
#
# The same charts `xxgk bulletin` puts on its page, drawn from the same queries (`sql/bulletin/*.sql`)
# by the same functions (`ingest.bulletin_charts`): coverage, timeliness, rankings among peers,
# year-over-year change and quality flags. In Jupyter / VS Code each cell shows its chart; run as a
# script it writes them as SVG files:
#
#     uv run python notebooks/bulletin_charts.py [warehouse/xxgk.duckdb] [--year 2021] [--province 32] [--out charts/]

# %%
import argparse
import sys
from pathlib import Path

import duckdb

from ingest import bulletin_charts as charts
from ingest.bulletin import SECTIONS, collect

ap = argparse.ArgumentParser()
ap.add_argument("warehouse", nargs="?", default="warehouse/xxgk.duckdb")
ap.add_argument("--year", type=int)
ap.add_argument("--province")
ap.add_argument("--out", type=Path, default=Path("exports/charts"))
args, _ = ap.parse_known_args(sys.argv[1:] if __name__ == "__main__" and "ipykernel" not in sys.modules else [])

con = duckdb.connect(args.warehouse, read_only=True)
year = args.year or con.sql("SELECT max(year) FROM report").fetchall()[0][0]
print(f"year {year}" + (f", province {args.province}" if args.province else ""))

# %% [markdown]
# ## The data: one frame per bulletin section
# A section whose view this warehouse lacks yet is reported and left out; a nightly run brings the views.

# %%
frames = {}
for section in SECTIONS:
    try:
        frames.update(collect(con, year, args.province, sections=(section,)))
    except Exception as e:  # one missing view leaves the other charts drawable
        print(f"{section}: not drawn ({e})")


# %%
def show(name: str, chart) -> None:
    """Display in a notebook; as a script, write `<out>/<name>.svg`."""
    if chart is None:
        print(f"{name}: no data")
        return
    if "ipykernel" in sys.modules:
        from IPython.display import display

        display(chart)
        return
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{name}.svg"
    path.write_text(charts.to_svg(chart), encoding="utf-8")
    print(f"{name}: {path}")


# %% [markdown]
# ## Coverage: who published, who did not

# %%
if "coverage" in frames:
    show("coverage", charts.coverage(frames["coverage"]))

# %% [markdown]
# ## Timeliness: days from the legal deadline to publication

# %%
if "timeliness" in frames:
    show("timeliness", charts.timeliness(frames["timeliness"]))

# %% [markdown]
# ## Rankings: each office's place among offices of its level

# %%
if "ranking" in frames:
    for kpi in ("granted_rate", "applications_received"):
        show(f"ranking_{kpi}", charts.ranking(frames["ranking"], kpi))

# %% [markdown]
# ## Year over year: applications received

# %%
if "year_over_year" in frames:
    show("year_over_year", charts.year_over_year(frames["year_over_year"]))

# %% [markdown]
# ## Quality flags by check

# %%
if "quality_flags" in frames:
    show("quality_flags", charts.quality_flags(frames["quality_flags"]))

# %%
con.close()
