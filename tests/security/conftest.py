"""Security fixtures: the loaded app (fixture corpus, real database, real Whoosh index) with one
account per role that the authorisation tests need, each with an API token and a password."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.accounts import services as accounts
from app.registry.db import write_session

PASSWORD = "correct horse battery staple"

#: name → (role, jurisdictions)
ACCOUNTS = {
    "ed-sh": ("editor", ["CN-SH"]),
    "ed-js": ("editor", ["CN-JS"]),
    "ed-dz": ("editor", ["YRD-DZ"]),
    "boss": ("admin", []),
    "reader": ("viewer", []),
}


@dataclass
class Account:
    name: str
    role: str
    jurisdictions: list[str]
    token: str
    token_id: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def accounts_(loaded):
    """Every account of ACCOUNTS, made through the account services (as `registry user add` does)."""
    engine = loaded.extensions["registry_engine"]
    out: dict[str, Account] = {}
    for name, (role, juris) in ACCOUNTS.items():
        with write_session(engine) as s:
            accounts.add_user(s, name, role, juris, PASSWORD)
        with write_session(engine) as s:
            token_id, token = accounts.create_token(s, name)
        out[name] = Account(name, role, juris, token, token_id)
    return out


def document(jurisdiction: str = "CN-SH", effective: str = "2024-01-01", days: int = 15, extra: str = "") -> str:
    """A small valid rule document (our own sample wording, no real rule)."""
    return f"""---
title: 示例数据开放办法
jurisdiction: {jurisdiction}
topic: data
kind: government_rule
effective: {effective}
source_url: https://example.org/open-data
provenance: summary
{extra}parameters:
  - key: data.sharing.response_days
    value: {days}
    unit: 个工作日
    article: 2
---
# 示例数据开放办法

## 第一条 目的

为了促进公共数据开放，制定本办法。

## 第二条 答复期限

开放申请应当在{days}个工作日内答复，并说明理由。
"""
