"""SQLAlchemy 2.x typed models of the registry (singular classes, plural tables).

Field names follow SPEC §2 (``effective``, ``repealed``, ``doc_number``…).
A rule is an identity (``Rule``); each corpus file is one ``RuleVersion``
whose ``start`` (effective, else published, else adopted) names it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012


class Jurisdiction(Base):
    __tablename__ = "jurisdictions"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(200))
    level: Mapped[str | None] = mapped_column(String(40))
    parent: Mapped[str | None] = mapped_column(String(16))


class Topic(Base):
    __tablename__ = "topics"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(200))


class Parameter(Base):
    """An entry of the vocabulary of quantitative provisions (parameters.yaml)."""

    __tablename__ = "parameters"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    label_zh: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str | None] = mapped_column(String(300))
    topic: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(40), default="")
    stricter: Mapped[str] = mapped_column(String(10))
    addressee: Mapped[str] = mapped_column(String(12), default="enterprise", server_default="enterprise")


class Rule(Base):
    __tablename__ = "rules"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # <j>/<topic>/<slug>
    jurisdiction: Mapped[str] = mapped_column(String(16), index=True)
    topic: Mapped[str] = mapped_column(String(40), index=True)
    versions: Mapped[list[RuleVersion]] = relationship(
        back_populates="rule", order_by="RuleVersion.start", cascade="all, delete-orphan"
    )


class RuleVersion(Base):
    __tablename__ = "rule_versions"
    id: Mapped[str] = mapped_column(String(220), primary_key=True)  # <rule id>@<YYYY-MM-DD>
    rule_id: Mapped[str] = mapped_column(ForeignKey("rules.id", ondelete="CASCADE"), index=True)
    start: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)
    jurisdiction: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(40))
    doc_number: Mapped[str | None] = mapped_column(String(200))
    issuer: Mapped[str | None] = mapped_column(Text)
    adopted: Mapped[dt.date | None] = mapped_column(Date)
    published: Mapped[dt.date | None] = mapped_column(Date)
    effective: Mapped[dt.date | None] = mapped_column(Date)
    repealed: Mapped[dt.date | None] = mapped_column(Date)
    supersedes: Mapped[str | None] = mapped_column(String(200))
    applies_to: Mapped[list[Any] | None] = mapped_column(JSON)  # as written; None = not given
    source_url: Mapped[str] = mapped_column(Text)
    provenance: Mapped[str | None] = mapped_column(String(20))
    articles_total: Mapped[int | None] = mapped_column(Integer)  # article count of the official text
    body: Mapped[str] = mapped_column(Text)  # Markdown body exactly as read
    preamble: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the canonical rendering
    path: Mapped[str | None] = mapped_column(Text)  # corpus-relative path it was read from, if any
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    rule: Mapped[Rule] = relationship(back_populates="versions")
    chapters: Mapped[list[Chapter]] = relationship(order_by="Chapter.seq", cascade="all, delete-orphan")
    articles: Mapped[list[Article]] = relationship(order_by="Article.seq", cascade="all, delete-orphan")
    parameter_values: Mapped[list[ParameterValue]] = relationship(
        order_by="ParameterValue.seq", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("rule_id", "start"), Index("ix_rule_versions_start", "start"))

    @property
    def effective_known(self) -> bool:
        return self.effective is not None

    @property
    def binds(self) -> list[str]:
        return list(self.applies_to) if self.applies_to else [self.jurisdiction]


class Chapter(Base):
    __tablename__ = "chapters"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[str] = mapped_column(ForeignKey("rule_versions.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    chapter_id: Mapped[str] = mapped_column(String(20))
    heading: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(10))
    path: Mapped[list[Any]] = mapped_column(JSON)


class Article(Base):
    __tablename__ = "articles"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[str] = mapped_column(ForeignKey("rule_versions.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(60))
    heading: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    chapter_id: Mapped[str | None] = mapped_column(String(20))
    paragraphs: Mapped[list[Any]] = mapped_column(JSON)  # [{number, text, items:[{number, text}]}]


class ParameterValue(Base):
    """A quantitative provision of one rule version, canonical and as stated."""

    __tablename__ = "parameter_values"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[str] = mapped_column(ForeignKey("rule_versions.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(ForeignKey("parameters.key"), index=True)
    scope: Mapped[str | None] = mapped_column(String(200))
    num_value: Mapped[float | None] = mapped_column(Float)  # canonical unit
    bool_value: Mapped[bool | None] = mapped_column(Boolean)  # yes/no parameters
    stated_value: Mapped[str] = mapped_column(String(60))  # as written (YAML scalar text)
    stated_unit: Mapped[str | None] = mapped_column(String(40))
    article: Mapped[str | None] = mapped_column(String(20))  # article number, "4" or "10-1"; None = not stated
    # full_text versions: whether the value was found in its article's text (SPEC §8.2); None otherwise
    verified_in_text: Mapped[bool | None] = mapped_column(Boolean)

    @property
    def value(self) -> float | bool:
        return self.bool_value if self.bool_value is not None else float(self.num_value or 0.0)


class Innovation(Base):
    __tablename__ = "innovations"
    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(60), index=True)
    year: Mapped[int | None] = mapped_column(Integer)
    batch: Mapped[str | None] = mapped_column(String(60))
    number: Mapped[str | None] = mapped_column(String(40))
    promoted_nationally: Mapped[bool | None] = mapped_column(Boolean)
    promotion_notice: Mapped[str | None] = mapped_column(Text)
    promotion_date: Mapped[dt.date | None] = mapped_column(Date)
    related_rules: Mapped[list[Any]] = mapped_column(JSON, default=list)
    source_url: Mapped[str] = mapped_column(Text)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class ReportedCount(Base):
    __tablename__ = "reported_counts"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    total: Mapped[int] = mapped_column(Integer)
    promoted_nationally: Mapped[int | None] = mapped_column(Integer)
    source_url: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class HardRule(Base):
    __tablename__ = "hard_rules"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)
    parameter: Mapped[str] = mapped_column(ForeignKey("parameters.key"))
    scope: Mapped[str | None] = mapped_column(String(200))
    target_num: Mapped[float | None] = mapped_column(Float)
    target_bool: Mapped[bool | None] = mapped_column(Boolean)
    jurisdictions: Mapped[list[Any]] = mapped_column(JSON)
    lead: Mapped[str | None] = mapped_column(String(16))
    deliverable: Mapped[str | None] = mapped_column(Text)
    deliverable_en: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    source_url: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    content_hash: Mapped[str] = mapped_column(String(64))

    @property
    def target(self) -> float | bool:
        return self.target_bool if self.target_bool is not None else float(self.target_num or 0.0)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(10))  # admin | editor | viewer
    jurisdictions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # public token id
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the secret part
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    user: Mapped[User] = relationship()


class WebSession(Base):
    """A signed-in browser (SPEC §7): the cookie holds a random token, the database its sha256.

    Deleting the row ends the session at once (sign-out, disabled account, changed rights).
    """

    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie's token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC; the absolute timeout counts from here
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC; the idle timeout counts from here
    user: Mapped[User] = relationship()


class AuditEntry(Base):
    """One append-only audit row; ``row_hash`` chains each row to the one before."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))  # version_added | corrected | repealed | ...
    target: Mapped[str] = mapped_column(String(240), index=True)
    before_hash: Mapped[str | None] = mapped_column(String(64))
    after_hash: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))


class IndexOutbox(Base):
    """A pending search-index update, written in the same transaction as the change."""

    __tablename__ = "index_outbox"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids never reused: cursors compare them (0006)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(12))  # rule | innovation
    target: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class IndexCursor(Base):
    """How far one search index has applied the outbox (the highest ``IndexOutbox.id`` it holds).

    ``name`` identifies the index (``app.search.follower.cursor_name``); the row named
    ``(pruned)`` records the highest outbox id deleted, below which a cursor cannot catch up.
    """

    __tablename__ = "index_cursors"
    name: Mapped[str] = mapped_column(String(400), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
