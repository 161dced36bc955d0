"""Reading the quantities an official article states (SPEC §8.2): numerals, units, conversion."""

from __future__ import annotations

import pytest

from app.corpus.quantities import stated_in


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("处五十万元以上二百万元以下的罚款", 50, "万元"),
        ("处五十万元以上二百万元以下的罚款", 200, "万元"),
        ("处五十万元以上二百万元以下的罚款", 500000, "元"),
        ("处五千元以上五万元以下罚款", 0.5, "万元"),
        ("处一千元罚款", 0.1, "万元"),
        ("处一万至十万元罚款", 1, "万元"),
        ("处1万元以上10万元以下罚款", 10, "万元"),
        ("处１０万元罚款", 10, "万元"),
        ("能耗降低百分之十四", 14, "%"),
        ("能耗降低百分之十四点五", 14.5, "%"),
        ("能耗降低13.5%", 13.5, "%"),
        ("能耗降低13.5％", 13.5, "%"),
        ("年综合能源消费量五千吨标准煤以上", 5000, "tce"),
        ("年综合能源消费量五千吨标准煤以上", 0.5, "万tce"),
        ("化学需氧量排放浓度不得超过30mg/L", 30, "mg/L"),
        ("化学需氧量不超过三十毫克/升", 30, "mg/L"),
        ("应当在十五个工作日内作出处理", 15, "个工作日"),
        ("应当自收到申请之日起三十日内答复", 30, "天"),
        ("保存期限不少于三年", 3, "年"),
        ("处违法所得一倍以上三倍以下罚款", 3, "倍"),
        ("装机容量十万千瓦以上", 10, "万kW"),
        ("数据中心电能利用效率零点五", 0.5, ""),
    ],
)
def test_value_is_stated(text, value, unit):
    assert stated_in(text, value, unit)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("处五十万元以上二百万元以下的罚款", 20, "万元"),  # 二百 is not 二十
        ("处五千元以上五万元以下罚款", 5, "元"),
        ("处二万元罚款", 2, "元"),  # 2 万元 is 20000 元
        ("能耗降低百分之十四", 14, "万元"),  # a percent is not money
        ("应当在十五个工作日内作出处理", 15, "天"),  # working days are not calendar days
        ("第三十条规定的情形", 30, "天"),  # an article number is not a deadline
        ("处罚款", 1, "万元"),
        ("", 0, ""),
    ],
)
def test_value_is_not_stated(text, value, unit):
    assert not stated_in(text, value, unit)
