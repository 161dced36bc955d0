"""Load and export at the service level: a loaded registry exports to a corpus that loads back unchanged."""

from __future__ import annotations

from pathlib import Path

from app.corpus.loader import read_corpus
from app.registry.loading import corpus_from_db, export_corpus, load_corpus

FIXTURE_CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


def test_loading_the_same_corpus_again_changes_nothing(session, count):
    before = (count("rule_versions"), count("audit_log"), count("index_outbox"))
    report = load_corpus(session, read_corpus(FIXTURE_CORPUS))
    assert (report.added, report.corrected, report.missing, report.pruned) == ([], [], [], [])
    assert report.unchanged == before[0]
    assert report.innovations["added"] == report.innovations["corrected"] == 0
    assert (count("rule_versions"), count("audit_log"), count("index_outbox")) == before


def test_export_loads_back_to_the_same_content(session, tmp_path):
    files = export_corpus(session, tmp_path / "out")
    assert files
    exported = read_corpus(tmp_path / "out")
    report = load_corpus(session, exported)
    assert (report.added, report.corrected, report.missing) == ([], [], [])
    again = corpus_from_db(session)
    assert [d.version_id for d in again.rules] == sorted(d.version_id for d in exported.rules)


def test_prune_removes_versions_whose_files_are_gone(session, count):
    corpus = read_corpus(FIXTURE_CORPUS)
    gone = corpus.rules.pop()
    report = load_corpus(session, corpus)
    assert report.missing == [gone.version_id] and report.pruned == []
    report = load_corpus(session, corpus, prune=True)
    assert report.pruned == [gone.version_id]
    assert count("rule_versions") == len(corpus.rules)
