"""A small corpus of rules (several versions, jurisdictions and topics) and innovations, as search docs.

The search tables (test_quality, test_searcher, test_backend) run on the backend named by
``TEST_SEARCH_BACKEND``: ``whoosh`` (default, an index in a temporary folder) or ``postgres``
(tables of migration 0005 in a fresh schema of ``TEST_DATABASE_URL``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import uuid

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text as sql

from app.registry.db import upgrade
from app.search import ArticleDoc, InnovationDoc, Searcher, SearchIndex
from app.search.postgres_backend import PostgresBackend
from app.search.whoosh_backend import WhooshBackend

BACKEND = os.environ.get("TEST_SEARCH_BACKEND") or "whoosh"
if BACKEND not in ("whoosh", "postgres"):
    raise RuntimeError(f"TEST_SEARCH_BACKEND={BACKEND!r}: use whoosh or postgres")

whoosh_only = pytest.mark.skipif(
    BACKEND != "whoosh", reason="Whoosh index internals (run under TEST_SEARCH_BACKEND=whoosh)"
)

D = dt.date
AS_OF = D(2024, 6, 1)


def rule_version(
    rule_id,
    version,
    *,
    title,
    jurisdiction,
    topic,
    kind,
    valid_from,
    valid_to=None,
    title_en="",
    doc_number="",
    articles=(),
):
    """The docs of one rule version: its title doc, then one doc per (number, text) article."""
    common = dict(
        title=title,
        title_en=title_en,
        doc_number=doc_number,
        jurisdiction=jurisdiction,
        topic=topic,
        kind=kind,
        year=valid_from.year,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    docs = [ArticleDoc(rule_id, version, None, "", "", **common)]
    for number, text in articles:
        docs.append(ArticleDoc(rule_id, version, f"{rule_id}#art-{number}", f"第{number}条", text, **common))
    return docs


SH_AIR = "cn-sh/env/air"
ZJ_AIR = "cn-zj/env/air"
JS_DATA = "cn-js/data/regs"
AH_GOV = "cn-ah/data/gov"
SH_DATA = "cn-sh/data/regs"
ZJ_FIN = "cn-zj/finance/local"
YWTB = "ywtb"
WATER = "cross-border-water"


def corpus_rules() -> dict[str, list[ArticleDoc]]:
    sh_air = dict(
        title="上海市大气污染防治条例",
        title_en="Shanghai Air Pollution Prevention Regulations",
        jurisdiction="CN-SH",
        topic="environment",
        kind="regulation",
        doc_number="沪人大常〔2014〕12号",
    )
    return {
        SH_AIR: [
            *rule_version(
                SH_AIR,
                "2014-10-01",
                valid_from=D(2014, 10, 1),
                valid_to=D(2022, 1, 1),
                **sh_air,
                articles=[
                    ("1", "本条例所称大气污染物排放限值，是指单位排放的最高浓度。"),
                    ("2", "排放污染物的单位，应当遵守本市规定。"),
                    ("3", "化学需氧量排放浓度不得超过５０毫克／升。"),
                    ("4", "违反本条例规定的，处一万元以上十万元以下罚款。"),
                ],
            ),
            *rule_version(
                SH_AIR,
                "2022-01-01",
                valid_from=D(2022, 1, 1),
                **sh_air,
                articles=[
                    ("1", "本条例所称大气污染物排放限值，是指单位排放的最高浓度。"),
                    ("2", "排放污染物的单位，应当遵守本市规定。"),
                    ("3", "化学需氧量排放浓度不得超过30毫克/升。"),
                    ("4", "违反本条例规定的，处二万元以上二十万元以下罚款。"),
                    ("5", "本市推进长三角区域大气污染联防联控。"),
                ],
            ),
        ],
        ZJ_AIR: rule_version(
            ZJ_AIR,
            "2016-07-01",
            title="浙江省大气污染防治条例",
            jurisdiction="CN-ZJ",
            topic="environment",
            kind="regulation",
            valid_from=D(2016, 7, 1),
            doc_number="浙人大常〔2016〕40号",
            articles=[
                ("1", "排放大气污染物的企业事业单位，应当按照国家规定设置排污口。"),
                ("2", "化学需氧量排放浓度不得超过５０毫克／升。"),
                ("3", "省人民政府生态环境主管部门负责监督管理。"),
                ("4", "Enterprises shall report PM2.5 data monthly."),
            ],
        ),
        JS_DATA: rule_version(
            JS_DATA,
            "2023-03-01",
            title="江苏省数据条例",
            jurisdiction="CN-JS",
            topic="data",
            kind="regulation",
            valid_from=D(2023, 3, 1),
            doc_number="苏人大常〔2023〕5号",
            articles=[
                ("1", "数据处理者应当建立数据安全管理制度。"),
                ("2", "个人信息处理者向境外提供个人信息的，应当通过数据出境安全评估。"),
                ("3", "能耗数据应当按月报送。"),
            ],
        ),
        AH_GOV: rule_version(
            AH_GOV,
            "2020-01-01",
            title="安徽省政务数据管理办法",
            jurisdiction="CN-AH",
            topic="data",
            kind="rule",
            valid_from=D(2020, 1, 1),
            valid_to=D(2025, 1, 1),
            doc_number="皖政令第290号",
            articles=[
                ("1", "政务数据共享应当遵循统一标准。"),
                ("2", "违反本办法规定的，由上级机关责令改正。"),
            ],
        ),
        SH_DATA: rule_version(
            SH_DATA,
            "2022-01-01",
            title="上海市数据条例",
            title_en="Shanghai Municipal Data Regulations",
            jurisdiction="CN-SH",
            topic="data",
            kind="regulation",
            valid_from=D(2022, 1, 1),
            articles=[
                ("1", "本市依法保护自然人个人信息。"),
                ("2", "公共数据开放应当以需求为导向。"),
                ("3", "數據交易應當遵循公平原則。"),
                ("4", "发展改革部门（以下简称发改部门）负责综合协调。"),
                ("5", "<script>alert(1)</script>数据安全 & 管理"),
            ],
        ),
        ZJ_FIN: rule_version(
            ZJ_FIN,
            "2020-07-01",
            title="浙江省地方金融条例",
            jurisdiction="CN-ZJ",
            topic="finance",
            kind="regulation",
            valid_from=D(2020, 7, 1),
            articles=[
                ("1", "地方金融组织应当遵守审慎经营规则。"),
                ("2", "小额贷款公司不得吸收公众存款。"),
            ],
        ),
    }


def corpus_innovations() -> list[InnovationDoc]:
    return [
        InnovationDoc(
            YWTB,
            "政务服务“一网通办”改革",
            "One-stop government services",
            "government",
            2019,
            True,
            "企业和群众办事只进一扇门，推动政务数据共享。",
        ),
        InnovationDoc(
            WATER,
            "跨界水体联保机制",
            "Cross-border water protection",
            "ecology",
            2021,
            False,
            "建立跨界水体联合河湖长制，统一排放标准。",
        ),
    ]


@pytest.fixture
def index_path(tmp_path):
    return tmp_path / "search_index"


@pytest.fixture
def index(index_path):
    return SearchIndex(index_path, lock_timeout=2).open()


@pytest.fixture
def built(index):
    """An index holding the whole fixture corpus."""
    rules = corpus_rules()
    index.rebuild([d for docs in rules.values() for d in docs], corpus_innovations())
    return index


@pytest.fixture
def searcher(built):
    s = Searcher(built.path)
    yield s
    s.close()


@pytest.fixture(scope="session")
def shared_searcher(tmp_path_factory):
    """One read-only index of the corpus for the whole session (tests that never write), on the backend under test."""
    if BACKEND == "postgres":
        with empty_backend(tmp_path_factory.mktemp("pg")) as b:
            b.rebuild([d for docs in corpus_rules().values() for d in docs], corpus_innovations())
            yield b
        return
    index = SearchIndex(tmp_path_factory.mktemp("shared") / "search_index").open()
    index.rebuild([d for docs in corpus_rules().values() for d in docs], corpus_innovations())
    s = Searcher(index.path)
    yield s
    s.close()


@contextlib.contextmanager
def postgres_engine():
    """An engine on a new schema of TEST_DATABASE_URL, migrated to the newest revision; dropped afterwards."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        raise RuntimeError("TEST_SEARCH_BACKEND=postgres needs TEST_DATABASE_URL (a PostgreSQL server)")
    schema = f"search_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(sql(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    engine = create_engine(f"{base}{sep}options=-csearch_path%3D{schema}")
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sql(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextlib.contextmanager
def empty_backend(folder, **options):
    """An empty backend of the kind TEST_SEARCH_BACKEND names (``time_limit``, ``lock_timeout`` passed on)."""
    if BACKEND == "postgres":
        with postgres_engine() as engine:
            yield PostgresBackend(engine, **options)
    else:
        backend = WhooshBackend(folder / "search_index", **options)
        try:
            yield backend
        finally:
            backend.close()


@pytest.fixture
def backend(tmp_path):
    """An empty backend of the kind under test."""
    with empty_backend(tmp_path, lock_timeout=2) as b:
        yield b


@pytest.fixture
def built_backend(backend):
    """The backend under test holding the whole fixture corpus."""
    backend.rebuild([d for docs in corpus_rules().values() for d in docs], corpus_innovations())
    return backend
