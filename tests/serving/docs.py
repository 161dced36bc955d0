"""Rule documents written by the serving tests and the load/crash benches (invented sample text, not law)."""

from __future__ import annotations

PROVINCE_TOPIC = {"CN-SH": "data", "CN-JS": "data", "CN-ZJ": "data", "CN-AH": "data"}


def rule_document(jurisdiction: str, n: int, marker: str = "") -> str:
    """A small valid rule document for ``jurisdiction``; ``n`` makes its title and text distinct."""
    return f"""---
title: 示例数据开放测试办法第{n}号
jurisdiction: {jurisdiction}
topic: data
kind: government_rule
effective: 2024-01-01
source_url: https://example.org/sample-{n}
provenance: summary
---
# 示例数据开放测试办法第{n}号

## 第一条 目的

为了测试登记簿的多节点检索，制定本办法{marker}。

## 第二条 答复期限

开放申请应当在十五个工作日内答复。
"""
