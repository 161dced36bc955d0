"""Content checks of the bundled corpus (rules_corpus/).

These pin what the corpus holds (counts per jurisdiction x topic, innovations, hard rules), that it
reads with zero problems, that every item names its source, that every parameter cites an article of
its own rule, and that nothing the fact files mark ``unverified`` (or low-confidence and unconfirmed)
was loaded. The fact files are read from ../shared/facts when that folder exists.
"""

from __future__ import annotations

import collections
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from app.corpus.loader import read_corpus

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "rules_corpus"
FACTS = REPO.parent / "shared" / "facts"
LAWTEXTS = REPO.parent / "shared" / "lawtexts"
PROVINCES = ("CN-SH", "CN-JS", "CN-ZJ", "CN-AH")
TOPICS = ("energy", "environment", "data", "finance")
AS_OF = dt.date(2025, 6, 30)
#: the fact files name jurisdictions in English
JURISDICTION_NAMES = {"Shanghai": "CN-SH", "Jiangsu": "CN-JS", "Zhejiang": "CN-ZJ", "Anhui": "CN-AH", "national": "CN"}

#: distinct rules (not versions) per (jurisdiction, topic) as produced for issue 3: minimums, later passes add rules
EXPECTED_RULES = {
    ("CN", "energy"): 2,
    ("CN", "environment"): 1,
    ("CN", "data"): 2,
    ("CN", "finance"): 1,
    ("CN-SH", "energy"): 2,
    ("CN-SH", "environment"): 6,
    ("CN-SH", "data"): 6,
    ("CN-SH", "finance"): 1,
    ("CN-JS", "energy"): 1,
    ("CN-JS", "environment"): 4,
    ("CN-JS", "data"): 4,
    ("CN-JS", "finance"): 1,
    ("CN-ZJ", "energy"): 3,
    ("CN-ZJ", "environment"): 4,
    ("CN-ZJ", "data"): 6,
    ("CN-ZJ", "finance"): 1,
    ("CN-AH", "energy"): 2,
    ("CN-AH", "environment"): 1,
    ("CN-AH", "data"): 3,
    ("CN-AH", "finance"): 1,
    ("YRD", "environment"): 2,
    ("YRD", "finance"): 1,
    ("YRD-DZ", "environment"): 4,
}


@pytest.fixture(scope="module")
def corpus():
    return read_corpus(CORPUS)


def _versions_in_force(corpus, day):
    by_rule = collections.defaultdict(list)
    for r in corpus.rules:
        by_rule[r.rule_id].append(r)
    out = []
    for versions in by_rule.values():
        live = [v for v in sorted(versions, key=lambda v: v.start) if v.start <= day]
        if live and (live[-1].repealed is None or live[-1].repealed > day):
            out.append(live[-1])
    return out


def _facts():
    """The researched fact files; the tests that compare against them skip where ../shared is absent."""
    if not FACTS.is_dir():
        pytest.skip("../shared/facts is absent")
    return {
        name: yaml.safe_load((FACTS / name).read_text(encoding="utf-8"))
        for name in ("facts.yaml", "provisions-extra.yaml", "innovations-extra.yaml", "limits.yaml")
    }


def _confirmed_standards(limits) -> set[str]:
    """Standard numbers whose limits limits.yaml read from the standard (confidence high or medium)."""
    out = set()
    for rec in (limits or {}).get("limits") or []:
        if rec.get("confidence") in ("high", "medium"):
            out.update(re.findall(r"DB\d\d/(?:T )?\d+-\d{4}", rec["standard"].replace(" ", "")))
    return out


# ---------------------------------------------------------------- reading and format


def test_bundled_corpus_reads_with_zero_problems(corpus):
    # floors, not exact counts: sourced additions must not break this test, losing records must
    assert len({r.rule_id for r in corpus.rules}) >= 59
    assert len(corpus.rules) > len({r.rule_id for r in corpus.rules})  # some rules have several versions
    assert len(corpus.parameters) >= 160
    assert len(corpus.innovations) >= 75
    assert len(corpus.hard_rules) >= 5
    assert {j.code for j in corpus.jurisdictions} == {"CN", *PROVINCES, "YRD", "YRD-DZ"}
    assert {t.code for t in corpus.topics} == set(TOPICS)


def test_files_are_plain_utf8_lf_small_and_without_yaml_aliases():
    files = [p for p in CORPUS.rglob("*") if p.is_file()]
    assert files
    for p in files:
        raw = p.read_bytes()
        assert raw, p
        assert len(raw) < 1_000_000, p
        assert not raw.startswith(b"\xef\xbb\xbf"), p
        assert b"\r" not in raw, p
        text = raw.decode("utf-8")
        head = text.split("\n---\n", 1)[0] if p.suffix == ".md" else text
        assert not re.search(r"(^|[\s\[,:])[&*][A-Za-z0-9_-]+", head, re.M), f"YAML anchor/alias in {p}"


def test_provenance_is_summary_unless_the_official_text_is_bundled(corpus):
    assert {r.provenance for r in corpus.rules} <= {"summary", "full_text"}
    for r in corpus.rules:
        if r.provenance == "full_text":  # an official text added later: it must come from the official source
            assert r.source_url.startswith("https://"), r.path
            assert not any(a.heading.endswith("（摘要）") for a in r.body.articles), r.path


# ---------------------------------------------------------------- sources and articles


def test_every_rule_innovation_and_hard_rule_has_a_source_url(corpus):
    items = [*corpus.rules, *corpus.innovations, *corpus.hard_rules]
    for it in items:
        assert it.source_url and it.source_url.startswith(("http://", "https://")), it
    for c in corpus.reported_counts:
        assert c.source_url.startswith(("http://", "https://")), c


def test_every_parameter_cites_an_article_of_its_rule(corpus):
    # a summary may leave `article` out when the source does not give it (SPEC §8.3); a full text may not
    n = cited = 0
    for r in corpus.rules:
        for p in r.parameters:
            n += 1
            if p.article is None:
                assert r.provenance == "summary", (r.path, p.key)
                continue
            assert r.body.article(str(p.article)) is not None, (r.path, p.key, p.article)
            cited += 1
    assert n > 300
    assert cited > 200


def _manifest():
    path = CORPUS / "official_texts.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []


def test_manifest_entries_name_bundled_versions_with_their_article_counts(corpus):
    entries = _manifest()
    if not entries:
        pytest.skip("no official_texts.yaml")
    by_version = {(r.rule_id, r.start.isoformat()): r for r in corpus.rules}
    for e in entries:
        r = by_version.get((e["rule"], str(e["version"])))
        assert r is not None, e["rule"]
        assert r.source_url == e["source_url"], e["rule"]
        assert r.source_url.startswith("https://flk.npc.gov.cn/detail"), e["rule"]
        assert r.articles_total and len(r.body.articles) <= r.articles_total, e["rule"]
        assert not any(a.heading.endswith("（摘要）") for a in r.body.articles), e["rule"]
        assert all(p.article is not None for p in r.parameters), e["rule"]
        assert str(e["date"]) in e["path"], e["rule"]
    rules = [e["rule"] for e in entries]
    assert rules == sorted(rules)


def test_no_rule_cites_a_home_page(corpus):
    # energy, data, finance, the zone's regulations and decisions, innovations and hard rules
    # (the environment rules' sources are checked by their own test)
    mine = [r for r in corpus.rules if r.topic != "environment" or "/dz-" in r.rule_id]
    for it in [*mine, *corpus.innovations, *corpus.hard_rules]:
        url = it.source_url.rstrip("/")
        assert url.count("/") > 2, it


def test_every_parameter_key_is_used_and_yes_no_values_are_booleans(corpus):
    defs = {p.key: p for p in corpus.parameters}
    used = {p.key for r in corpus.rules for p in r.parameters}
    assert used == set(defs)
    for r in corpus.rules:
        for p in r.parameters:
            if defs[p.key].stricter == "true":
                assert isinstance(p.value, bool), (r.path, p.key)
            else:
                assert not isinstance(p.value, bool), (r.path, p.key)


def test_summary_articles_without_official_numbers_say_so(corpus):
    # a document that numbers its own summary articles marks every heading （摘要）
    for r in corpus.rules:
        heads = [a.heading for a in r.body.articles]
        marked = [h for h in heads if h.endswith("（摘要）")]
        assert not marked or len(marked) == len(heads), r.path
        # energy, data, finance and the zone's regulations no longer number points themselves
        if r.topic in ("energy", "data", "finance") or "/dz-" in r.rule_id:
            assert not marked, r.path


def test_environment_summaries_never_number_their_own_points(corpus):
    # SPEC §8.3: article headings are the official ones; unnumbered content lives in the preamble
    # (the demonstration-zone regulation/decision files, dz-*, are maintained separately)
    env = [r for r in corpus.rules if r.topic == "environment" and not Path(r.path).name.startswith("dz-")]
    assert len(env) >= 20
    for r in env:
        for a in r.body.articles:
            assert not a.heading.endswith("（摘要）"), (r.path, a.heading)


def test_dates_follow_spec(corpus):
    for r in corpus.rules:
        assert r.effective or r.published or r.adopted, r.path
        if "@" in r.path:
            assert r.path.endswith(f"@{r.start.isoformat()}.md"), r.path


# ---------------------------------------------------------------- coverage


def test_rule_counts_per_jurisdiction_and_topic(corpus):
    counts = collections.Counter()
    seen = set()
    for r in corpus.rules:
        if r.rule_id not in seen:
            seen.add(r.rule_id)
            counts[(r.jurisdiction, r.topic)] += 1
    for cell, n in EXPECTED_RULES.items():
        assert counts[cell] >= n, cell
    assert set(counts) <= {(j, t) for j in ("CN", *PROVINCES, "YRD", "YRD-DZ") for t in TOPICS}


def test_every_province_topic_cell_is_filled(corpus):
    filled = {(r.jurisdiction, r.topic) for r in corpus.rules if r.jurisdiction in PROVINCES}
    assert filled == {(j, t) for j in PROVINCES for t in TOPICS}


def test_parameters_line_up_across_provinces_as_of_mid_2025(corpus):
    own = collections.defaultdict(set)
    for v in _versions_in_force(corpus, AS_OF):
        if v.jurisdiction == "CN":
            continue
        for p in v.parameters:
            for j in v.binds:
                if j in PROVINCES:
                    own[(p.key, p.scope)].add(j)
    two = [k for k, js in own.items() if len(js) >= 2]
    three = [k for k, js in own.items() if len(js) >= 3]
    assert len(two) >= 10
    assert len(three) >= 12
    # the four air-pollution regulations line up offence by offence (same key and scope)
    env_three = [k for k in three if k[0].startswith("env.penalty.")]
    assert len(env_three) >= 10
    assert own[("env.penalty.open_burning_waste.fine_min", "单位")] == set(PROVINCES)
    assert own[("env.penalty.env_info_disclosure.fine_max", None)] == set(PROVINCES)
    assert own[("energy.intensity.reduction_target", None)] == {"CN-SH", "CN-JS", "CN-ZJ"}


def test_expired_plan_is_repealed_and_superseded(corpus):
    by_id = {r.rule_id: r for r in corpus.rules}
    old = by_id["cn-zj/energy/13th-fyp-energy-saving-plan-draft"]
    new = by_id["cn-zj/energy/14th-fyp-energy-saving-plan"]
    assert old.repealed == dt.date(2021, 1, 1)
    assert new.supersedes == old.rule_id
    live = {v.rule_id for v in _versions_in_force(corpus, dt.date(2019, 1, 1))}
    assert old.rule_id in live and new.rule_id not in live


def test_amended_regulation_has_two_versions(corpus):
    vs = [r for r in corpus.rules if r.rule_id == "cn-sh/environment/dz-high-quality-development-regulation"]
    assert [v.start for v in vs] == [dt.date(2024, 5, 1), dt.date(2024, 9, 27)]
    assert vs[1].effective is None


# ---------------------------------------------------------------- nothing unverified


def _record_doc_numbers(records):
    out = set()
    for rec in records or []:
        num = rec.get("doc_number")
        if num:
            out.update(re.findall(r"DB\d\d/(?:T )?\d+-\d{4}|国发〔\d{4}〕\d+号", str(num)))
    return out


def test_no_unverified_value_is_loaded(corpus):
    facts = _facts()
    records = [*(facts["facts.yaml"].get("rules") or []), *(facts["provisions-extra.yaml"].get("rules") or [])]
    assert records, "fact files not found"
    by_doc = collections.defaultdict(list)
    for r in corpus.rules:
        for num in re.findall(r"DB\d\d/(?:T )?\d+-\d{4}|国发〔\d{4}〕\d+号", r.doc_number or ""):
            by_doc[num].append(r)
    # a title whose official text is listed in official_texts.yaml was checked against that text
    in_manifest = {e["title"] for e in _manifest()}
    titles = {(r.jurisdiction, r.title) for r in corpus.rules if r.title not in in_manifest}
    confirmed = _confirmed_standards(facts["limits.yaml"])
    assert "DB33/2169-2018" in confirmed
    for rec in records:
        if rec.get("confidence") == "unverified":
            base = re.split(r" \(| - ", rec["title"])[0]
            # same title in the record's own jurisdiction (standards of different issuers share titles)
            code = JURISDICTION_NAMES.get(rec.get("jurisdiction"))
            if code:
                assert (code, base) not in titles, rec["id"]
            else:
                assert base not in {title for _, title in titles}, rec["id"]
            for num in _record_doc_numbers([rec]):
                assert num not in by_doc, (rec["id"], num)
        for prov in rec.get("provisions") or []:
            if prov.get("confidence") != "unverified":
                continue
            # any rule carrying the record's standard number must not carry parameters, unless
            # limits.yaml has since read the values from the standard itself
            for num in _record_doc_numbers([rec]):
                if num in confirmed:
                    continue
                for r in by_doc.get(num, []):
                    assert not r.parameters, (rec["id"], r.path)
    # Anhui's provincial 14% target is unverified: only city-scoped Anhui values exist
    for r in corpus.rules:
        if r.jurisdiction == "CN-AH":
            for p in r.parameters:
                if p.key == "energy.intensity.reduction_target":
                    assert p.scope in {"合肥市", "合肥市（力争）", "黄山市", "黄山市（力争）"}
    # the effective dates of the national data laws, unverified in the fact files, come from the
    # national database's own record (flk) and the laws' 施行 articles
    dsl = next(r for r in corpus.rules if r.rule_id == "cn/data/data-security-law")
    assert dsl.effective == dt.date(2021, 9, 1)
    assert dsl.source_url.startswith("https://flk.npc.gov.cn/detail")
    # the unverified innovation (财税分享 fund) is not catalogued
    unverified_titles = {
        x["title"]
        for x in facts["innovations-extra.yaml"].get("new_items") or []
        if x.get("confidence") == "unverified"
    }
    assert unverified_titles
    assert not unverified_titles & {i.title for i in corpus.innovations}


def test_low_confidence_records_are_not_loaded(corpus):
    text = "\n".join(r.title + r.body_text for r in corpus.rules)
    assert "新安江" not in text
    assert "黄浦江上游水源保护区域污水排放限值" not in text
    for r in corpus.rules:
        for p in r.parameters:
            assert not p.key.startswith("fin.microloan"), r.path


def test_summaries_do_not_copy_official_sentences(corpus):
    if not LAWTEXTS.is_dir():
        return  # the official texts are not bundled with the project; nothing to compare against
    sentences = set()
    for folder in ("shanghai", "zhejiang", "flk"):
        for f in (LAWTEXTS / folder).rglob("*.md"):
            for s in re.split(r"[。；]", f.read_text(encoding="utf-8")):
                s = s.strip()
                if len(s) >= 25:
                    sentences.add(s)
    for r in corpus.rules:
        for a in r.body.articles:
            for s in re.split(r"[。；]", a.text):
                assert s.strip() not in sentences, (r.path, a.number)
        if r.topic == "environment":  # the preamble too (titles excepted)
            for s in re.split(r"[。；\n]", r.body_text):
                s = s.strip()
                assert s.startswith("#") or s not in sentences, (r.path, s)


# ---------------------------------------------------------------- innovations and hard rules


def test_innovations_are_sourced_verified_and_not_padded(corpus):
    # unverified items are only the medium-confidence candidates of innovations-new.yaml
    new = yaml.safe_load((FACTS / "innovations-new.yaml").read_text(encoding="utf-8")) if FACTS.is_dir() else []
    medium = {x["title"] for x in new if x.get("confidence") == "medium"}
    low = {x["title"] for x in new if x.get("confidence") != "medium"}
    unverified = [i for i in corpus.innovations if not i.verified]
    assert {i.title for i in unverified} <= medium
    assert not low & {i.title for i in corpus.innovations}
    for i in unverified:
        assert i.promoted_nationally is None, i.slug
        assert "154" in i.summary or "计入统计" in i.summary, i.slug  # the caveat is stated
    assert all(i.number is None for i in corpus.innovations)
    promoted = [i for i in corpus.innovations if i.promoted_nationally is True]
    # at least those catalogued so far, never more than the latest report says were promoted
    assert 18 <= len(promoted) <= corpus.reported_counts[-1].promoted_nationally
    assert all(i.promotion_notice for i in promoted)
    assert not [i for i in corpus.innovations if i.promoted_nationally is False]
    rule_ids = {r.rule_id for r in corpus.rules}
    for i in corpus.innovations:
        assert set(i.related_rules) <= rule_ids, i.slug
    verified = len(corpus.innovations) - len(unverified)
    assert 75 <= verified <= corpus.reported_counts[-1].total
    facts = _facts()
    n_sourced = len(facts["facts.yaml"].get("innovations", {}).get("items") or []) + len(
        [x for x in facts["innovations-extra.yaml"].get("new_items") or [] if x.get("source_urls")]
    )
    assert verified == n_sourced  # every verified innovation is a sourced fact, none padded


def test_reported_counts(corpus):
    got = [(c.as_of.year, c.total, c.promoted_nationally) for c in corpus.reported_counts]
    # the published figures are all there (a later report may be added) ...
    assert {
        (2020, 32, None),
        (2021, 73, None),
        (2022, 88, 38),
        (2022, 112, 38),
        (2023, 136, 38),
        (2024, 154, 48),
        (2025, 154, 57),
    } <= set(got)
    # ... in date order, and a running total never falls
    dates = [c.as_of for c in corpus.reported_counts]
    assert dates == sorted(dates) and dates[-1] >= dt.date(2025, 9, 13)
    totals = [c.total for c in corpus.reported_counts]
    assert totals == sorted(totals)
    promoted = [c.promoted_nationally for c in corpus.reported_counts if c.promoted_nationally is not None]
    assert promoted == sorted(promoted)


def test_hard_rules_point_at_parameters_that_rules_state(corpus):
    defs = {p.key: p for p in corpus.parameters}
    stated = {p.key for r in corpus.rules for p in r.parameters}
    for h in corpus.hard_rules:
        assert h.parameter in defs and h.parameter in stated, h.id
        assert (h.target is True) == (defs[h.parameter].stricter == "true"), h.id
        assert set(h.jurisdictions) <= set(PROVINCES), h.id
    joint = [r for r in corpus.rules if r.kind == "joint_standard"]
    assert [r.jurisdiction for r in joint] == ["YRD-DZ"]
    assert joint[0].binds == ["CN-SH", "CN-JS", "CN-ZJ"]


# ---------------------------------------------------------------- official texts (SPEC §8.2) and addressees

MANIFEST = CORPUS / "official_texts.yaml"
MANIFEST_FIELDS = ["rule", "version", "title", "date", "path", "source_url"]


def _manifest():
    assert MANIFEST.is_file()
    entries = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(entries, list) and entries
    return entries


def test_official_text_manifest_names_bundled_versions(corpus):
    versions = {f"{r.rule_id}@{r.start.isoformat()}": r for r in corpus.rules}
    entries = _manifest()
    env = [e for e in entries if "/environment/" in e["rule"]]
    assert len(env) >= 10
    assert [e["rule"] for e in env] == sorted(e["rule"] for e in env)
    for e in entries:
        assert [k for k in e if k != "sha256"] == MANIFEST_FIELDS, e
        r = versions.get(f"{e['rule']}@{e['version']}")
        assert r is not None, e  # the manifest names a bundled version by its version id
        # the entry names the text as the collection titles it (a rule may carry the full official title)
        assert e["path"].endswith(f"{e['title']}({e['date']}).md"), e
        assert r.source_url == e["source_url"], e
        assert r.articles_total, e
        for p in r.parameters:
            assert p.article is not None, (e["rule"], p.key)  # the attach step checks every value in its article


def test_official_texts_state_every_parameter_in_its_article(corpus):
    if not LAWTEXTS.is_dir():
        pytest.skip("../shared/lawtexts is absent")
    from app.corpus.officialtext import read_official_text
    from app.corpus.quantities import stated_in

    defs = {p.key: p for p in corpus.parameters}
    versions = {f"{r.rule_id}@{r.start.isoformat()}": r for r in corpus.rules}
    checked = 0
    for e in _manifest():
        r = versions[f"{e['rule']}@{e['version']}"]
        text = read_official_text(LAWTEXTS / e["path"])
        assert text.article_count == r.articles_total, e["rule"]
        for a in r.body.articles:  # a summary's headings are the official ones
            assert text.body.article(a.number) is not None, (e["rule"], a.label)
        for p in r.parameters:
            art = text.body.article(str(p.article))
            assert art is not None, (e["rule"], p.key, p.article)
            if isinstance(p.value, bool):
                continue
            unit = p.unit if p.unit is not None else defs[p.key].unit
            assert stated_in(art.text, p.value, unit), (e["rule"], p.key, p.value, unit, p.article)
            checked += 1
    assert checked >= 100


def test_no_rule_cites_a_bare_home_page(corpus):
    # environment rules (the dz-* files are maintained separately)
    for r in corpus.rules:
        if r.topic != "environment" or Path(r.path).name.startswith("dz-"):
            continue
        rest = r.source_url.split("://", 1)[1]
        _host, _, path = rest.partition("/")
        assert path.strip("/"), (r.path, r.source_url)


def test_government_targets_are_addressed_to_government(corpus):
    defs = {p.key: p for p in corpus.parameters}
    for key in (
        "env.air.pm25.annual_target",
        "env.air.good_day_ratio.target",
        "env.emission_total.nox.reduction_target",
        "env.dz.blue_green_space_share",
    ):
        assert defs[key].addressee == "government", key
    for key, d in defs.items():
        if key.startswith(("env.penalty.", "env.water.", "env.air.boiler.")):
            assert d.addressee == "enterprise", key


def test_discharge_standards_give_classed_limits(corpus):
    by_id = {r.rule_id: r for r in corpus.rules}
    for rid in (
        "cn/environment/gb18918-2002",
        "cn/environment/gb8978-1996-integrated-wastewater-standard",
        "cn-sh/environment/db31-199-2018-integrated-wastewater-standard",
        "cn-zj/environment/db33-2169-2018-urban-wwtp-standard",
        "cn-js/environment/db32-4440-2022-urban-wwtp-standard",
    ):
        r = by_id[rid]
        for key in ("env.water.cod.max_concentration", "env.water.nh3n.max_concentration"):
            vals = [p for p in r.parameters if p.key == key]
            assert vals, (rid, key)
            assert all(p.scope for p in vals), (rid, key)  # every limit names its class
            assert len({p.scope for p in vals}) == len(vals), (rid, key)
    boiler = by_id["cn/environment/gb13271-2014-boiler-emission-standard"]
    assert {p.key for p in boiler.parameters} == {
        "env.air.boiler.particulate.max_concentration",
        "env.air.boiler.so2.max_concentration",
        "env.air.boiler.nox.max_concentration",
    }
