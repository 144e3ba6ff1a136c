"""The store: documents, events and failures in an embedded DuckDB file (or ":memory:").

- Each event is kept whole as its JSON record (so the store never spells out fields a second
  time) beside the columns that queries filter on.
- `add(batch)` writes one batch in one transaction: an interrupted run keeps every committed batch.
- A document already stored with the same content hash is skipped; a changed one replaces its
  events. Event ids are stable, so re-ingesting the same input adds nothing.
- Schema changes are named migrations, applied once and recorded in `_migrations`.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable, Optional, Union

from .errors import StoreError
from .records import Document, Event, Failure

DEFAULT_DB = "eventwire.duckdb"

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
]


class Store:
    """`Store(path)`: open (creating and migrating if needed) a DuckDB event store."""

    def __init__(self, path: Union[str, Path] = DEFAULT_DB):
        import duckdb

        self.path = str(path)
        try:
            self.con = duckdb.connect(self.path)
        except Exception as exc:  # duckdb raises IOException, InvalidInputException...
            raise StoreError(f"cannot open the store {self.path!r} ({exc}); check the path, or whether "
                             "another eventwire process holds it open") from exc
        self.migrate()

    def close(self):
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def migrate(self) -> list[str]:
        self.con.execute("CREATE TABLE IF NOT EXISTS _migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ)")
        done = {r[0] for r in self.con.execute("SELECT name FROM _migrations").fetchall()}
        applied = []
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            self.con.execute("BEGIN")
            self.con.execute(sql)
            self.con.execute("INSERT INTO _migrations VALUES (?, ?)", [name, _now()])
            self.con.execute("COMMIT")
            applied.append(name)
        return applied

    def known(self, document: Document) -> bool:
        """True if this exact document (same id and content) is already stored."""
        row = self.con.execute("SELECT content_hash FROM documents WHERE doc_id = ?", [document.doc_id]).fetchone()
        return bool(row) and row[0] == document.content_hash

    def add(self, results: Iterable[tuple[Union[Document, Failure], list[Event]]]) -> dict[str, int]:
        """Store a batch of (document, events) and (failure, []) in one transaction."""
        counts = {"documents": 0, "events": 0, "failures": 0, "unchanged": 0}
        self.con.execute("BEGIN")
        try:
            for item, events in results:
                if isinstance(item, Failure):
                    self.con.execute("INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?)",
                                     [item.input, item.reason, item.doc_id, item.time])
                    counts["failures"] += 1
                    continue
                if self.known(item):
                    counts["unchanged"] += 1
                    continue
                self.con.execute("DELETE FROM events WHERE doc_id = ?", [item.doc_id])
                self.con.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 [item.doc_id, item.content_hash, item.date, item.title, item.url, item.source,
                                  item.input, len(events), _now()])
                if events:
                    self.con.executemany("INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                         [_row(e) for e in events])
                counts["documents"] += 1
                counts["events"] += len(events)
            self.con.execute("COMMIT")
        except BaseException:  # Ctrl-C included: never leave a half batch visible
            self.con.execute("ROLLBACK")
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
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [Event.model_validate_json(r[0]) for r in self.con.execute(sql, args).fetchall()]

    def failures(self) -> list[Failure]:
        rows = self.con.execute("SELECT input, reason, doc_id, time FROM failures ORDER BY time").fetchall()
        return [Failure(input=i, reason=r, doc_id=d, time=t) for i, r, d, t in rows]

    def count(self, table: str) -> int:
        if table not in ("documents", "events", "failures"):
            raise ValueError(table)
        return self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _row(e: Event) -> list:
    names = [a for a in (e.actor1, e.actor2) if a]
    mentions = " | ".join(f"{a.name} | {a.mention}" for a in names)
    return [e.event_id, e.doc_id, e.event_date, e.plover_type, e.acled_event_type,
            e.location.country if e.location else None, e.actor1.name if e.actor1 else None,
            e.actor2.name if e.actor2 else None, mentions, e.fatalities, e.confidence, e.background, e.to_json()]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
