"""The store: documents, events and failures in an embedded DuckDB file (or ":memory:").

- Each event is kept whole as its JSON record (so the store never spells out fields a second
  time) beside the columns that queries filter on.
- `add(batch)` writes one batch in one transaction: an interrupted run keeps every committed batch.
- A document already stored with the same content hash and the same extraction (eventwire's
  version, its data files and the options that change records) is skipped; a changed one replaces
  its events. Event ids are stable, so re-ingesting the same input adds nothing.
- A failure is kept per input and reason ("failed" or "skipped"), and cleared once that input or
  doc_id is stored.
- DuckDB lets one process write a file, and no other process open it meanwhile. So the store holds
  no connection between calls: each call opens the file (read-only to read), works, and closes
  it, and a call that finds the file in use retries for up to `wait` seconds. `eventwire events`
  during an ingest therefore waits at most for the batch being committed.
- Schema changes are named migrations, applied once and recorded in `_migrations`.
"""
from __future__ import annotations

import datetime as dt
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from .errors import StoreError
from .records import Document, Event, Failure

DEFAULT_DB = "eventwire.duckdb"
WAIT_SECONDS = 30.0

MIGRATIONS: list[tuple[str, str]] = [
    ("0001_initial", """
        CREATE TABLE documents (
            doc_id VARCHAR PRIMARY KEY, content_hash VARCHAR NOT NULL, date DATE NOT NULL,
            title VARCHAR, url VARCHAR, source VARCHAR, input VARCHAR, n_events INTEGER,
            ingested_at TIMESTAMPTZ NOT NULL);
        CREATE TABLE events (
            event_id VARCHAR PRIMARY KEY, doc_id VARCHAR NOT NULL, event_date DATE,
            plover_type VARCHAR NOT NULL, acled_event_type VARCHAR, country VARCHAR,
            actor1_name VARCHAR, actor2_name VARCHAR, actor_mentions VARCHAR,
            fatalities INTEGER, confidence DOUBLE, background BOOLEAN, record JSON NOT NULL);
        CREATE INDEX events_doc ON events (doc_id);
        CREATE TABLE failures (
            input VARCHAR NOT NULL, reason VARCHAR NOT NULL, doc_id VARCHAR, time TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (input, reason));
    """),
    ("0002_language_extraction_kind", """
        ALTER TABLE documents ADD COLUMN language VARCHAR;
        ALTER TABLE documents ADD COLUMN extraction VARCHAR;
        ALTER TABLE failures ADD COLUMN kind VARCHAR DEFAULT 'failed';
    """),
]
COUNTS = ("documents", "events", "failures", "skipped", "unchanged")


class Store:
    """`Store(path)`: open (creating and migrating if needed) a DuckDB event store."""

    def __init__(self, path: Union[str, Path] = DEFAULT_DB, wait: float = WAIT_SECONDS):
        self.path = str(path)
        self.wait = wait
        self._memory = None
        if self.path == ":memory:":
            import duckdb

            self._memory = duckdb.connect(":memory:")
        if self._pending():
            with self._connect(write=True) as con:
                self.migrate(con)

    def close(self):
        if self._memory is not None:
            self._memory.close()
            self._memory = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @contextmanager
    def _connect(self, write: bool = False) -> Iterator:
        """A connection for one call; a file held by another process is retried for `wait` seconds."""
        if self._memory is not None:
            yield self._memory
            return
        import duckdb

        give_up, pause = time.monotonic() + self.wait, 0.05
        while True:
            try:
                con = duckdb.connect(self.path, read_only=not write)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise StoreError(f"cannot open the store {self.path!r} ({exc}); check the path") from exc
                if time.monotonic() >= give_up:
                    raise StoreError(
                        f"the store {self.path!r} is in use by another process (an ingest writes it batch by "
                        f"batch); waited {self.wait:g} s: try again when it is done, or use another --db") from exc
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
            except Exception as exc:  # duckdb raises InvalidInputException, CatalogException...
                raise StoreError(f"cannot open the store {self.path!r} ({exc}); is it a DuckDB file "
                                 "written by eventwire?") from exc
        try:
            yield con
        finally:
            con.close()

    def _pending(self) -> bool:
        if self._memory is None and not Path(self.path).exists():
            return True
        with self._connect() as con:
            try:
                done = {r[0] for r in con.execute("SELECT name FROM _migrations").fetchall()}
            except Exception:  # no _migrations table yet (a new or foreign file)
                return True
        return any(name not in done for name, _ in MIGRATIONS)

    def migrate(self, con=None) -> list[str]:
        """Apply the migrations not yet applied; returns their names."""
        if con is None:
            with self._connect(write=True) as con:
                return self.migrate(con)
        con.execute("CREATE TABLE IF NOT EXISTS _migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ)")
        done = {r[0] for r in con.execute("SELECT name FROM _migrations").fetchall()}
        applied = []
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            con.execute("BEGIN")
            con.execute(sql)
            con.execute("INSERT INTO _migrations VALUES (?, ?)", [name, _now()])
            con.execute("COMMIT")
            applied.append(name)
        return applied

    def migrations(self) -> list[str]:
        with self._connect() as con:
            return [r[0] for r in con.execute("SELECT name FROM _migrations ORDER BY name").fetchall()]

    def stored(self) -> dict[str, tuple[str, Optional[str]]]:
        """doc_id -> (content hash, extraction key) of every stored document: one read for a whole run."""
        with self._connect() as con:
            return {d: (h, x) for d, h, x in con.execute("SELECT doc_id, content_hash, extraction FROM documents").fetchall()}

    def known(self, document: Document, extraction: Optional[str] = None) -> bool:
        """True if this exact document (same id and content; same extraction, when given) is stored."""
        with self._connect() as con:
            return _known(con, document, extraction)

    def add(self, results: Iterable[tuple[Union[Document, Failure], list[Event]]],
            extraction: Optional[str] = None, replace: bool = False) -> dict[str, int]:
        """Store a batch of (document, events) and (failure, []) in one transaction. `extraction`
        is the key of what produced the events (Pipeline.extraction); a document stored with the same
        content and key is left as it is, unless `replace`."""
        counts = dict.fromkeys(COUNTS, 0)
        results = list(results)
        with self._connect(write=True) as con:
            con.execute("BEGIN")
            try:
                for item, events in results:
                    if isinstance(item, Failure):
                        con.execute("INSERT OR REPLACE INTO failures (input, reason, doc_id, time, kind) "
                                    "VALUES (?, ?, ?, ?, ?)", [item.input, item.reason, item.doc_id, item.time, item.kind])
                        counts["skipped" if item.kind == "skipped" else "failures"] += 1
                        continue
                    if not replace and _known(con, item, extraction):
                        counts["unchanged"] += 1
                        continue
                    con.execute("DELETE FROM events WHERE doc_id = ?", [item.doc_id])
                    con.execute("DELETE FROM failures WHERE input = ? OR doc_id = ?", [item.input or item.doc_id, item.doc_id])
                    con.execute("INSERT OR REPLACE INTO documents (doc_id, content_hash, date, title, url, source, "
                                "input, n_events, ingested_at, language, extraction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                [item.doc_id, item.content_hash, item.date, item.title, item.url, item.source,
                                 item.input, len(events), _now(), item.language, extraction])
                    if events:
                        con.executemany("INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                        [_row(e) for e in events])
                    counts["documents"] += 1
                    counts["events"] += len(events)
                con.execute("COMMIT")
            except BaseException:  # Ctrl-C included: never leave a half batch visible
                con.execute("ROLLBACK")
                raise
        return counts

    def events(self, since: Optional[dt.date] = None, until: Optional[dt.date] = None,
               country: Optional[str] = None, plover_type: Optional[str] = None, actor: Optional[str] = None,
               background: bool = True, limit: Optional[int] = None) -> list[Event]:
        """Stored events, oldest first, filtered like `eventwire events`."""
        where, args = [], []
        if since:
            where.append("event_date >= ?")
            args.append(since)
        if until:
            where.append("event_date <= ?")
            args.append(until)
        if country:
            where.append("country = ?")
            args.append(country.upper())
        if plover_type:
            where.append("plover_type = ?")
            args.append(plover_type.upper())
        if actor:
            where.append("actor_mentions ILIKE ?")
            args.append(f"%{actor}%")
        if not background:
            where.append("NOT background")
        sql = "SELECT record FROM events" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY event_date NULLS LAST, doc_id, event_id"
        if limit is not None:
            sql += f" LIMIT {max(0, int(limit))}"
        with self._connect() as con:
            rows = con.execute(sql, args).fetchall()
        return [Event.model_validate_json(r[0]) for r in rows]

    def failures(self, kind: Optional[str] = None) -> list[Failure]:
        """Current failures (and skips), oldest first; `kind` "failed" or "skipped" keeps one kind."""
        sql = "SELECT input, reason, doc_id, time, coalesce(kind, 'failed') FROM failures"
        args = []
        if kind:
            sql += " WHERE coalesce(kind, 'failed') = ?"
            args.append(kind)
        with self._connect() as con:
            rows = con.execute(sql + " ORDER BY time, input", args).fetchall()
        return [Failure(input=i, reason=r, doc_id=d, time=t, kind=k) for i, r, d, t, k in rows]

    def count(self, table: str) -> int:
        if table not in ("documents", "events", "failures"):
            raise ValueError(table)
        with self._connect() as con:
            return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _known(con, document: Document, extraction: Optional[str]) -> bool:
    row = con.execute("SELECT content_hash, extraction FROM documents WHERE doc_id = ?", [document.doc_id]).fetchone()
    return bool(row) and row[0] == document.content_hash and (extraction is None or row[1] == extraction)


def _row(e: Event) -> list:
    names = [a for a in (e.actor1, e.actor2) if a]
    mentions = " | ".join(f"{a.name} | {a.mention}" for a in names)
    return [e.event_id, e.doc_id, e.event_date, e.plover_type, e.acled_event_type,
            e.location.country if e.location else None, e.actor1.name if e.actor1 else None,
            e.actor2.name if e.actor2 else None, mentions, e.fatalities, e.confidence, e.background, e.to_json()]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
