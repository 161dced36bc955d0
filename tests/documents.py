"""Corpus documents shared by the write tests at the API and at the service level (a fictitious
rule: the example.org source marks it as test data, never as a province's rule)."""

DOC = """---
title: 示例市数据开放办法
jurisdiction: CN-SH
topic: data
kind: government_rule
effective: 2024-01-01
source_url: https://example.org/open-data
provenance: summary
parameters:
  - key: data.sharing.response_days
    value: 15
    unit: 个工作日
    article: 2
---
# 示例市数据开放办法

## 第一条 目的

为了促进公共数据开放，制定本办法。

## 第二条 答复期限

开放申请应当在十五个工作日内答复，并说明理由。
"""
