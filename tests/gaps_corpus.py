"""A small addition to the fixture corpus for SPEC §8.3/§8.4 tests (used by tests/api/test_gaps.py
and tests/web/test_gaps_pages.py): Zhejiang's official text on the environment (full_text from
2022-01-01; COD limits for B级, verified, and C级, not found in its article; no A级 limit), an Anhui
summary (articles_total 91, two articles, a COD limit whose article the source does not state) and
a government parameter. All texts are invented for the tests."""

from __future__ import annotations

COD = "env.water.cod.max_concentration"
GOV = "env.water.good_share_target"
HR = "dz-cod-common-limit"  # A级, target 40, CN-SH / CN-JS / CN-ZJ
ZJ_RULE = "cn-zj/environment/zj-water"
AH_RULE = "cn-ah/environment/ah-env"

ZJ_FULL_TEXT = """---
title: 示例省水污染防治条例
jurisdiction: CN-ZJ
topic: environment
kind: local_regulation
effective: 2022-01-01
source_url: https://example.org/zj-water
provenance: full_text
articles_total: 3
parameters:
  - key: env.water.cod.max_concentration
    value: 50
    article: 3
    scope: B级
  - key: env.water.cod.max_concentration
    value: 60
    article: 1
    scope: C级
---
# 示例省水污染防治条例

## 第一条

为了防治水污染，制定本条例。

## 第二条

本条例适用于本省行政区域内的水污染防治。

## 第三条

城镇污水处理厂B级标准化学需氧量排放浓度不得超过五十毫克/升。
"""

AH_SUMMARY = """---
title: 示例省环境保护条例
jurisdiction: CN-AH
topic: environment
kind: local_regulation
effective: 2020-01-01
source_url: https://example.org/ah-env
provenance: summary
articles_total: 91
parameters:
  - key: env.water.cod.max_concentration
    value: 60
---
# 示例省环境保护条例

据公开报道，本省城镇污水处理厂化学需氧量排放限值为60毫克/升（来源未注明条款）。

## 第五条

各级人民政府对本行政区域的环境质量负责。

## 第九条

排放污染物的企业事业单位应当采取措施防治污染。
"""

GOV_PARAMETER = """- key: env.water.good_share_target
  label_zh: 地表水优良水体比例目标
  label_en: Share of surface water of good quality (target)
  topic: environment
  unit: "%"
  stricter: higher
  addressee: government
"""


def write_gaps(corpus_dir) -> None:
    """Add the files above to a writable copy of the fixture corpus (then run ``registry load``)."""
    (corpus_dir / "rules" / "cn-zj" / "environment").mkdir(parents=True)
    (corpus_dir / "rules" / "cn-zj" / "environment" / "zj-water.md").write_text(ZJ_FULL_TEXT, encoding="utf-8")
    (corpus_dir / "rules" / "cn-ah" / "environment").mkdir(parents=True)
    (corpus_dir / "rules" / "cn-ah" / "environment" / "ah-env.md").write_text(AH_SUMMARY, encoding="utf-8")
    with (corpus_dir / "parameters.yaml").open("a", encoding="utf-8") as fh:
        fh.write(GOV_PARAMETER)
