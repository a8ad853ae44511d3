"""Search tokens for Chinese quick search (ARCHITECTURE.md, Data → Search; docs/decisions.md).

Chinese text has no spaces and users type two-character fragments (华为), pinyin initials (hw) and
pieces of phone numbers (5678). A record keeps two service-maintained columns:

* ``search_text`` — the normalised haystack (texts, their pinyin initials, phone digits) that a
  plain ``LIKE '%term%'`` confirms candidates against;
* ``search_tokens`` — space-separated lexemes: CJK character bigrams (+ the last character of each
  run as a unigram), and every suffix (cut to ``SUFFIX_LEN``) of latin/digit runs, of the pinyin
  initials and of phone digits — so "any substring" becomes "prefix of some lexeme".

PostgreSQL indexes ``(search_tokens)::tsvector`` with GIN; SQLite mirrors the tokens into an FTS5
table. ``search_filter`` turns a query into an index lookup and then confirms it on ``search_text``.
The two columns live in a side table (one row per record) so that frequent writes to the record
itself never rewrite the search document or its index.
"""

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from django.db import connection, models
from django.db.models import Lookup, QuerySet
from django.db.models.expressions import RawSQL

SUFFIX_LEN = 8
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[a-z]+|[0-9]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_NOT_DIGIT = re.compile(r"\D+")


def normalize(text: str | None) -> str:
    """Full-width → half-width, case-folded, trimmed."""
    return unicodedata.normalize("NFKC", text or "").lower().strip()


def phone_digits(phone: str | None) -> str:
    return _NOT_DIGIT.sub("", normalize(phone))


@lru_cache(maxsize=65536)
def _initial(char: str) -> str:
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(char, style=Style.FIRST_LETTER, errors="ignore")
    return letters[0][:1].lower() if letters and letters[0] else ""


def pinyin_initials(text: str) -> str:
    """华为技术 → hwjs; latin letters and digits are kept, everything else dropped."""
    out = []
    for char in normalize(text):
        if "a" <= char <= "z" or "0" <= char <= "9":
            out.append(char)
        elif _CJK_RUN.match(char):
            out.append(_initial(char))
    return "".join(out)


def _suffixes(run: str, into: set[str]) -> None:
    for start in range(len(run)):
        into.add(run[start : start + SUFFIX_LEN])


def _text_tokens(text: str, into: set[str]) -> None:
    for run in _RUN.findall(text):
        if _CJK_RUN.fullmatch(run):
            for i in range(len(run) - 1):
                into.add(run[i : i + 2])
            into.add(run[-1])
        else:
            _suffixes(run, into)


def search_document(*, texts: Iterable[str | None], phones: Iterable[str | None] = ()) -> tuple[str, str]:
    """→ (search_text, search_tokens) for a record made of ``texts`` (names) and ``phones``."""
    haystack: list[str] = []
    tokens: set[str] = set()
    for raw in texts:
        text = normalize(raw)
        if not text:
            continue
        haystack.append(text)
        _text_tokens(text, tokens)
        initials = pinyin_initials(text)
        if initials and initials != text:
            haystack.append(initials)
            _suffixes(initials, tokens)
    for raw in phones:
        digits = phone_digits(raw)
        if digits:
            haystack.append(digits)
            _suffixes(digits, tokens)
    return " ".join(haystack), " ".join(sorted(tokens))


def name_text(name: str | None) -> str:
    """A name as the pool's quick search matches it: normalised, then its pinyin initials."""
    text = normalize(name)
    initials = pinyin_initials(text)
    return f"{text} {initials}" if initials and initials != text else text


def query_runs(q: str) -> list[str]:
    """The runs (CJK, latin, digits) of a query; a record matches when it contains every run."""
    return _query_runs(q)


def _query_runs(q: str) -> list[str]:
    return _RUN.findall(normalize(q))


def _run_lexemes(run: str) -> list[tuple[str, bool]]:
    """(lexeme, is_prefix) pairs that every record containing ``run`` must have."""
    if _CJK_RUN.fullmatch(run):
        if len(run) == 1:
            return [(run, True)]
        return [(run[i : i + 2], False) for i in range(len(run) - 1)]
    if len(run) <= SUFFIX_LEN:
        return [(run, True)]
    return [(run[i : i + SUFFIX_LEN], False) for i in range(len(run) - SUFFIX_LEN + 1)]


def _pg_tsquery(runs: list[str]) -> str:
    parts = []
    for run in runs:
        for lexeme, prefix in dict.fromkeys(_run_lexemes(run)):
            parts.append(f"'{lexeme}'" + (":*" if prefix else ""))
    return " & ".join(parts)


def _fts5_query(runs: list[str]) -> str:
    parts = []
    for run in runs:
        for lexeme, prefix in dict.fromkeys(_run_lexemes(run)):
            parts.append(f'"{lexeme}"' + ("*" if prefix else ""))
    return " AND ".join(parts)


class SearchTokensField(models.TextField):
    """A TextField whose ``__tsmatch`` lookup is answered by the GIN index on PostgreSQL."""


@SearchTokensField.register_lookup
class TsMatch(Lookup):
    lookup_name = "tsmatch"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # Must read exactly like the index expression: ((search_tokens)::tsvector).
        return f"({lhs})::tsvector @@ ({rhs})::tsquery", [*lhs_params, *rhs_params]


def search_filter(queryset: QuerySet, q: str | None, *, index: type[models.Model], fts_table: str) -> QuerySet:
    """Records of ``queryset`` matching every run of ``q``. ``index`` is the model holding the
    ``search_text``/``search_tokens`` of each record, keyed by the record (a one-to-one primary key):
    the index lookup finds candidates, a LIKE on ``search_text`` confirms them."""
    runs = _query_runs(q or "")
    if not runs:
        return queryset
    documents = index._default_manager.all()
    if connection.vendor == "postgresql":
        documents = documents.filter(search_tokens__tsmatch=_pg_tsquery(runs))
    elif connection.vendor == "sqlite":
        documents = documents.filter(
            # The table name is a constant of the calling app; the query itself is a parameter.
            pk__in=RawSQL(f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s", [_fts5_query(runs)])  # noqa: S608, S611
        )
    for run in runs:
        documents = documents.filter(search_text__contains=run)
    return queryset.filter(pk__in=documents.values("pk"))


def search_estimate(q: str | None, *, index: type[models.Model]) -> int | None:
    """The planner's guess of how many documents match ``q`` (PostgreSQL; None elsewhere). Lists use
    it to choose between fetching every match at once and a capped count plus one page."""
    runs = _query_runs(q or "")
    if not runs or connection.vendor != "postgresql":
        return None
    sql, params = index._default_manager.filter(search_tokens__tsmatch=_pg_tsquery(runs)).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


# ---------------------------------------------------------------- index maintenance


def fts_create_sql(table: str) -> str:
    return f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5(tokens, tokenize='unicode61 remove_diacritics 0')"


def gin_create_sql(table: str, index: str) -> str:
    # fastupdate off: the pending list would make one unlucky writer merge it (a latency spike) and
    # every search scan it; documents change rarely (names, phones, contacts), searches often.
    return (
        f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ((search_tokens::tsvector)) WITH (fastupdate = off)"
    )


def search_index_write(fts_table: str, rows: Iterable[tuple[int, str]]) -> None:
    """Mirror (id, tokens) rows into the SQLite FTS5 table; PostgreSQL's GIN index needs nothing."""
    if connection.vendor != "sqlite":
        return
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {fts_table} WHERE rowid = %s", [(pk,) for pk, _t in rows])  # noqa: S608
        cursor.executemany(f"INSERT INTO {fts_table}(rowid, tokens) VALUES (%s, %s)", rows)  # noqa: S608
