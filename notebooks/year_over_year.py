# %% [markdown]
# # Year over year and across offices
#
# An analyst's starting point: opens the warehouse **read-only** (so it can stay open while nobody
# ingests; DuckDB allows one writer or many readers, never both) and asks the questions oversight
# bodies ask. Cells run top to bottom in VS Code / Jupyter (percent format), or as a script:
#
#     uv run python notebooks/year_over_year.py [warehouse/xxgk.duckdb]

# %%
import sys

import duckdb
import pandas as pd

pd.set_option("display.width", 160)
pd.set_option("display.max_columns", 20)

WAREHOUSE = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "warehouse/xxgk.duckdb"
con = duckdb.connect(WAREHOUSE, read_only=True)

# %% [markdown]
# ## Applications received, per office and year, with the change on the year before
# `yoy_applications` crosses from the 2019 to the 2021 format: all of table 三 means the same in both
# (with `other` derived from the three 2021 sub-rows).

# %%
received = con.sql("""
    SELECT office_name, year, value AS received, prev_value AS received_prev, change, change_ratio
    FROM yoy_applications
    WHERE row_code = 'new_received' AND column_code = 'total'
    ORDER BY office_name, year
""").df()
print(received.to_string(index=False))

# %% [markdown]
# ## Offices side by side in the latest year: outcomes of applications and appeals

# %%
latest = con.sql("SELECT max(year) FROM report").fetchall()[0][0]
summary = con.sql(f"""
    SELECT office_name, applications_received, granted_share, denied_share,
           reconsiderations, reconsiderations_corrected_share, lawsuits, lawsuits_corrected_share
    FROM office_year_summary
    WHERE year = {int(latest)}
    ORDER BY applications_received DESC NULLS LAST, office_name
""").df()
print(f"year {latest}")
print(summary.to_string(index=False))

# %% [markdown]
# ## Numbers to treat with care
# A year-over-year row whose cells are involved in a failed check carries `flagged`; the issues
# themselves are in `quality_issue`, one join away.

# %%
flagged = con.sql("""
    SELECT office_id, year, check_code, severity, message
    FROM quality_issue
    WHERE severity = 'error'
    ORDER BY office_id, year, check_code, message
""").df()
print(flagged.to_string(index=False) if len(flagged) else "no errors recorded")

# %%
con.close()
