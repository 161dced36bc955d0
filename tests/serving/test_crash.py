"""One crash round in `make test` (50 in `make soak`, bench/crash.py): SIGKILL a node and an import
mid-write, then integrity, acknowledged writes, nothing half-written, audit chain, index = database."""

from __future__ import annotations

import random

from tests.conftest import FIXTURE_CORPUS
from tests.serving.crashing import crash_round
from tests.serving.nodes import Cluster


def test_sigkill_during_writes_and_an_import_loses_nothing_acknowledged(database_url, tmp_path):
    cluster = Cluster(database_url, tmp_path, FIXTURE_CORPUS, settings={"WEB_WORKERS": "2"}).prepare()
    node = cluster.add_node("crash").start()
    try:
        result = crash_round(cluster, node, "t1", random.Random(13), max_wait=2.0, min_acks=1)
    finally:
        cluster.stop()
    assert result.problems == []
    assert result.acked_writes > 0  # the kill came while writes were being acknowledged
    assert result.drift_after_restart == 0
