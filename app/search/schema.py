"""The on-disk Whoosh schema, the stored payload layout, and search tuning as data.

One Whoosh document per *text unit*: an article of a rule version, a rule
version's title doc, an innovation's title, or an innovation's text. Fields:

- ``key``   unique key of the unit (see :func:`app.search.documents.doc_key`);
- ``owner`` ``rule:<rule_id>`` or ``innovation:<slug>``, to drop all units of one owner;
- ``uni``   the unit's distinct characters (the one-character path), no frequencies, no positions;
- ``bi``    the unit's distinct character bigrams (the candidate generator), no frequencies, no positions;
- ``doc``   the stored payload, a tuple laid out by the ``P_*`` indexes below.

No positions or frequencies are stored anywhere: matches are verified against
the normalised text each worker holds, and only the final page is scored.
"""

from __future__ import annotations

from whoosh.fields import ID, IDLIST, STORED, Schema

from app.search.documents import INDEX_FORMAT

FORMAT_FILE = "YRD_SEARCH_FORMAT"
FORMAT_TAG = f"yrd-search/{INDEX_FORMAT}"
INDEX_NAME = "MAIN"


def _gram_field() -> IDLIST:
    # Not scorable: no lengths column. Builds go through ``whoosh_internals.GramSegmentWriter``, which
    # writes these postings without lengths; were the field scorable, documents added later one by one
    # would carry lengths, and merging their segments with a built one would mix blocks with and
    # without length statistics, which Whoosh 2.7 cannot (a TypeError at commit).
    return IDLIST()


def build_schema() -> Schema:
    return Schema(
        key=ID(unique=True),
        owner=ID,
        uni=_gram_field(),
        bi=_gram_field(),
        doc=STORED,
    )


# Unit types (P_UNIT).
UNIT_TITLE = 0  # a rule version's title, title_en and doc_number
UNIT_ARTICLE = 1
UNIT_INNOVATION_TITLE = 2  # an innovation's title and title_en
UNIT_INNOVATION_TEXT = 3

# Stored payload layout: doc = (unit, key, hash, owner_id, version, article_id, article_label, seq,
# valid_from, valid_to, jurisdiction, topic, kind, year, doc_number, title, title_en, text, extra)
P_UNIT = 0
P_KEY = 1
P_HASH = 2
P_OWNER_ID = 3  # rule id, or the innovation's slug
P_VERSION = 4
P_ARTICLE_ID = 5
P_ARTICLE_LABEL = 6
P_SEQ = 7  # position of the unit inside its rule version (document order)
P_VALID_FROM = 8  # date.toordinal()
P_VALID_TO = 9  # date.toordinal(), None when open-ended
P_JURISDICTION = 10
P_TOPIC = 11
P_KIND = 12
P_YEAR = 13
P_DOC_NUMBER = 14
P_TITLE = 15
P_TITLE_EN = 16
P_TEXT = 17  # the unit's searchable text as written (normalised when loaded)
P_EXTRA = 18  # binds (rules) or (category, promoted) (innovations)

# Fields a query may name (SPEC §5); values are taken whole, case-insensitively.
PUBLIC_FIELDS = frozenset({"jurisdiction", "topic", "kind", "doc_number", "year"})
# Names that look like fields but are not public: a query naming one is refused
# rather than silently searched as text, so nobody mistakes it for a filter.
PRIVATE_FIELDS = frozenset(
    {
        "key",
        "owner",
        "uni",
        "bi",
        "doc",
        "text",
        "title",
        "title_en",
        "rule_id",
        "id",
        "version",
        "article",
        "article_id",
        "article_label",
        "valid_from",
        "valid_to",
        "binds",
        "slug",
        "category",
        "promoted",
        "hash",
        "status",
        "effective",
        "repealed",
        "notes",
        "source_url",
    }
)

# Jurisdiction code reported for innovation hits (SPEC §5).
INNOVATION_JURISDICTION = "YRD-DZ"

# Ranking (computed for every matching hit, cheaply, from the grouped matches):
#   score = TITLE_WEIGHT * (title unit matched) + ln(1 + matching articles) + matching / all articles
TITLE_WEIGHT = 3.0

# Snippets: characters of context kept on each side of the first match, and the
# length of the lead used when a query has no words (filters only).
SNIPPET_CONTEXT = 40
SNIPPET_LEAD = 80
