"""One discovery per listing family, each against a local replica that serves the spec's requests."""

from __future__ import annotations

from datetime import date

import pytest
from families_helpers import discover, office_for, replicas

from ingest.discover import is_report_title
from ingest.families import detect

R = replicas()

CASES = [  # (replica, options, family detected)
    ("trs", {}, "trs"),
    ("trs", {"site": "b"}, "trs"),
    ("jcms", {}, "jcms"),
    ("jcms", {"get_only": True}, "jcms"),
    ("jcms", {"pagenum": True}, "jcms"),
    ("jcms", {"old_path": True}, "jcms"),
    ("jpaas", {}, "jpaas"),
    ("jpaas", {"stuck": True}, "jpaas"),
    ("gkmlpt", {}, "gkmlpt"),
    ("gkmlpt", {"single_page": True}, "gkmlpt"),
    ("gkmlpt", {"shell": True}, "gkmlpt"),
    ("ucap", {}, "ucap"),
    ("lonsun", {}, "lonsun"),
    ("pclist", {}, "pclist"),
]


@pytest.mark.parametrize("name,options,family", CASES, ids=[f"{c[0]}-{'-'.join(c[1]) or 'plain'}" for c in CASES])
def test_every_report_discovered_and_nothing_else(tmp_path, name, options, family):
    replica = R.REPLICAS[name](**options)
    with R.ReplicaServer(replica) as server:
        links = discover(office_for(tmp_path, replica.listing(server.base)))
        assert {link.url for link in links} == replica.expected(server.base)
        assert len(links) == len(replica.expected(server.base))
        assert {link.family for link in links} == {family}
        for link in links:  # no 解读, 图解 or notice, and each with the listing's own date
            assert is_report_title(link.title) and "解读" not in link.title and "图解" not in link.title
            assert isinstance(link.published_on, date)
            assert link.year is not None and str(link.year) in link.title


def test_jcms_posts_the_form_and_meets_the_look_ahead_record(tmp_path):
    replica = R.JCMS()
    with R.ReplicaServer(replica) as server:
        links = discover(office_for(tmp_path, replica.listing(server.base)))
        posts = [(p, form) for m, p, form in server.requests if m == "POST"]
    assert posts == [("/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=61&perpage=15", replica.FORM)]
    # the 45th record came twice (end of group 1, look-ahead of group 2) and is kept once
    assert len({link.url for link in links}) == len(links)


def test_jcms_fallbacks_request_shapes(tmp_path):
    replica = R.JCMS(pagenum=True)
    with R.ReplicaServer(replica) as server:
        discover(office_for(tmp_path, replica.listing(server.base)))
        gets = [p for p in server.paths("GET") if "pageNum" in p]
    assert gets == [f"/col/col103585/index.html?uid=764752&pageNum={n}" for n in range(2, 6)]


def test_gkmlpt_pages_from_one_and_takes_created_at_never_date(tmp_path):
    replica = R.Gkmlpt()
    with R.ReplicaServer(replica) as server:
        links = discover(office_for(tmp_path, replica.listing(server.base)))
        api = [p for p in server.paths() if p.startswith("/gkmlpt/api/")]
    assert api == [f"/gkmlpt/api/all/2629?page={n}&sid=175" for n in range(1, 5)]
    by_title = {i.title: i for i in replica.recs}
    for link in links:
        assert link.published_on == by_title[link.title].published != by_title[link.title].written


def test_ucap_takes_published_time_not_writedate(tmp_path):
    replica = R.UCAP()
    with R.ReplicaServer(replica) as server:
        links = discover(office_for(tmp_path, replica.listing(server.base)))
    by_title = {i.title: i for i in replica.recs}
    assert all(link.published_on == by_title[link.title].published for link in links)


def test_jpaas_pages_only_through_param_json(tmp_path):
    replica = R.JPaaS()
    with R.ReplicaServer(replica) as server:
        discover(office_for(tmp_path, replica.listing(server.base)))
        api = [p for p in server.paths() if "build/unit" in p]
    assert len(api) == 2 and all("paramJson" in p and "parseType=bulidstatic" in p for p in api)
    from urllib.parse import parse_qs, urlsplit

    assert [parse_qs(urlsplit(p).query)["paramJson"] for p in api] == [
        ['{"pageNo":1,"pageSize":15}'],
        ['{"pageNo":2,"pageSize":15}'],
    ]


def test_registry_may_name_the_family_and_its_parameters(tmp_path):
    replica = R.Gkmlpt()
    with R.ReplicaServer(replica) as server:
        # the annualreport shell without a fragment: the category comes from family_params
        office = office_for(
            tmp_path, server.base + "/gkmlpt/annualreport", family="gkmlpt", family_params={"category": 2629}
        )
        assert office.family == "gkmlpt" and dict(office.family_params) == {"category": 2629}
        assert {link.url for link in discover(office)} == replica.expected(server.base)


def test_detection_from_markers_only():
    assert detect('<script src="/m/unitbuild.js" querydata="{}"></script>', "http://x/col/col1/index.html") == "jpaas"
    assert detect("<script type='text/xml'><datastore></datastore></script>", "http://x/a") == "jcms"
    assert detect("window._CONFIG = {SID:'2'}", "http://x/gkmlpt/index") == "gkmlpt"
    assert detect("$.get('/common/search/abc?page=1')", "http://x/l.shtml") == "ucap"
    assert detect("var articleList = [];", "http://x/pc/list.html") == "pclist"
    assert detect('Ls.pagination("#p", f, {pageCount: 2})', "http://x/y") == "lonsun"
    assert detect("<ul><li><a href='t.html'>x</a></li></ul>", "http://x/index.html") == "trs"


def test_jpaas_brotli_article_pages_are_read(tmp_path):
    import duckdb
    from families_helpers import QUICK

    from ingest.fetch import Fetcher
    from ingest.scrape import collect_office

    replica = R.JPaaS()
    with R.ReplicaServer(replica) as server, Fetcher(QUICK) as f:
        results = collect_office(
            office_for(tmp_path, replica.listing(server.base)),
            con=duckdb.connect(),
            archive_dir=tmp_path / "raw",
            client=f,
        )
    reports = [r for r in results if r.kind == "report"]
    # each brotli page was decoded and its download link followed through the 302 to the PDF
    assert len(reports) == len(replica.expected(server.base))
    assert all(r.outcome == "new" and "/front/document/download?fileUrl=" in r.url for r in reports)
    assert all(r.published_on_source == "listing" for r in reports)


def test_trs_count_page_and_static_ucap_list():
    from ingest.discover import scan_listing
    from ingest.sources import OfficeEntry

    entry = OfficeEntry("x", "示例", "department", "990100")
    old = """<ul><li><a href="./202401/t20240126_1.html">示例局2023年政府信息公开工作年度报告</a> 2024.01.26</li></ul>
<script>var currentPage = 0;//所在页从0开始
var countPage = 3//共多少页</script>"""
    scan = scan_listing(old, "http://x.gov.cn/nb/index.html", entry)
    assert scan.pages == ("http://x.gov.cn/nb/index_1.html", "http://x.gov.cn/nb/index_2.html")
    assert scan.reports[0].published_on == date(2024, 1, 26)
    ucap = """<div class="list"><ul><li><a href="/xxgk/202403/6a1f0e2b3c4d5e6f708192a3b4c5d6e7.shtml"
      title="示例县2023年政府信息公开工作年度报告">示例县2023年…</a><span>2024-03-29</span></li></ul></div>"""
    scan = scan_listing(ucap, "http://x.gov.cn/xxgk/zfxxgknb/list.shtml", entry)
    assert [(r.url, r.year, r.published_on) for r in scan.reports] == [
        ("http://x.gov.cn/xxgk/202403/6a1f0e2b3c4d5e6f708192a3b4c5d6e7.shtml", 2023, date(2024, 3, 29))
    ]
