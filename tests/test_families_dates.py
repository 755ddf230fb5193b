"""Publication dates end to end: the listing's 发布日期 first, the article's PubDate as a cross-check (a
disagreement over a day is a warning naming both), the address last; never a 成文日期."""

from __future__ import annotations

from datetime import date

import duckdb
from families_helpers import QUICK, office_for, replicas

from ingest.fetch import Fetcher
from ingest.pubdate import PublicationDate as P
from ingest.pubdate import decide, url_date
from ingest.scrape import collect_office

R = replicas()


def test_jcms_reports_through_downfile_302_with_listing_dates(tmp_path):
    replica = R.JCMS()
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    with R.ReplicaServer(replica) as server, Fetcher(QUICK) as f:
        results = collect_office(
            office_for(tmp_path, replica.listing(server.base)), con=con, archive_dir=tmp_path / "raw", client=f
        )
    reports = [r for r in results if r.kind == "report"]
    wanted = [i for i in replica.recs if i.report]
    assert len(reports) == len(wanted)
    assert all(r.outcome == "new" and r.url.startswith(server.base + "/module/download/downfile.jsp") for r in reports)
    by_title = {i.title: i for i in wanted}
    for r in reports:
        assert (r.published_on, r.published_on_source) == (by_title[r.title].published, "listing")
    first = replica.recs[0]
    warned = [r for r in reports if r.warnings]
    assert [r.title for r in warned] == [first.title]
    assert (
        warned[0]
        .warnings[0]
        .endswith(
            f"the listing dates it {first.published.isoformat()} but the page's PubDate says "
            f"{first.page_date.isoformat()}; the listing's date is kept"
        )
    )
    # each listing item's own date is kept for timeliness audits
    rows = con.execute("SELECT title, published_on, family FROM listing_item ORDER BY title").fetchall()
    assert rows == sorted((i.title, i.published, "jcms") for i in wanted)


def test_gkmlpt_never_takes_the_written_date(tmp_path):
    replica = R.Gkmlpt()
    with R.ReplicaServer(replica) as server, Fetcher(QUICK) as f:
        results = collect_office(
            office_for(tmp_path, replica.listing(server.base)),
            con=duckdb.connect(),
            archive_dir=tmp_path / "raw",
            client=f,
        )
    reports = [r for r in results if r.kind == "report"]
    by_title = {i.title: i for i in replica.recs}
    assert len(reports) == sum(i.report for i in replica.recs)
    for r in reports:
        assert r.published_on == by_title[r.title].published and r.published_on != by_title[r.title].written
        assert r.url.endswith(".pdf") and "/attachment/0/88/88389/" in r.url


def test_decision_order():
    listed, meta = date(2024, 1, 30), date(2024, 1, 31)
    assert decide(listed, meta, "u") == P(listed, "listing", None)  # a day apart: no warning
    assert decide(None, meta, "http://x/202401/t20240125_1.html") == P(meta, "page_meta", None)
    assert decide(None, None, "http://x/zfxxgknb/202401/t20240125_1.html") == P(date(2024, 1, 25), "url", None)
    assert decide(None, None, "http://x/art/2024/3/1/art_6282_1.html").published_on == date(2024, 3, 1)
    assert decide(None, None, "http://x/nb/report.pdf") == P(None, None, None)
    assert url_date("http://x/zfxxgknb/202403/t20240231_1.html") is None  # not a date
