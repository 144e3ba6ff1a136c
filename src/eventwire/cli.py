"""The command line: each command parses its options, calls the library, and turns EventwireError
into a one-line message and an exit code. Nothing here extracts, stores or formats by itself."""
from __future__ import annotations

import datetime as dt
import json
import sys
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator, List, Optional

import typer
from rich.console import Console

from . import documents, export
from .errors import EventwireError, InputError
from .pipeline import DOC_TIMEOUT as DOC_TIMEOUT_S
from .pipeline import Pipeline, default_workers
from .records import Event, Failure
from .store import COUNTS, DEFAULT_DB, Store

app = typer.Typer(
    help="eventwire: turn dated news articles into a geocoded, source-attributed database of political "
         "events (PLOVER types, ACLED sub-types, actors, place, date, fatalities, sources, evidence).\n\n"
         "Inputs: plain-text articles beginning ' date YYYY-MM-DD ' (or any text with --date), folders of "
         "them, JSON Lines, JSON or CSV files of documents (doc_id, date, text), HTML pages, RSS/Atom "
         "feeds, or - for standard input. English only: other languages are skipped and said.\n\n"
         "Bad inputs never stop a batch: each is reported on one line and, by ingest, kept in the "
         "store ('eventwire failures'); exit status 1 when any input failed, 2 for a usage error.",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None)
err = Console(stderr=True, soft_wrap=True)  # one message, one line: logs and grep stay whole

INPUTS = typer.Argument(..., help="Files, folders (read recursively) or - for standard input.")
WORKERS = typer.Option(1, "--workers", "-w", min=0, help="Processes to extract with (0: all cores).")
BACKGROUND = typer.Option(False, "--background/--no-background",
                          help="Also keep events the article only recalls (older than a week before publication).")
MIN_CONF = typer.Option(0.3, "--min-confidence", min=0.0, max=1.0,
                        help="Leave out events below this confidence (0 keeps every candidate).")
DATE = typer.Option(None, "--date", formats=["%Y-%m-%d"],
                    help="Publication date (YYYY-MM-DD) of inputs that carry none: plain text without a "
                         "' date ' line, rows without a date, undated pages. Never guessed.")
DOC_TIMEOUT = typer.Option(DOC_TIMEOUT_S, "--doc-timeout", min=0.0, metavar="SECONDS",
                           help="Time budget per document; one over it is reported as failed and the batch "
                                "goes on (0: no budget).")
DB = typer.Option(Path(DEFAULT_DB), "--db", help="The DuckDB store file (created if missing).")


@contextmanager
def _errors():
    try:
        yield
    except EventwireError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(exc.exit_code)


def _progress(items: Iterable, label: str) -> Iterator:
    """Show a progress line on a terminal; stay silent when stderr is piped or redirected."""
    if not sys.stderr.isatty():
        yield from items
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), "[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task(label, total=None)
        for item in items:
            yield item
            bar.advance(task)


def _report(failure: Failure):
    label = "[yellow]skipped:[/yellow]" if failure.kind == "skipped" else "[red]error:[/red]"
    err.print(f"{label} {failure.input}: {failure.reason}", highlight=False, soft_wrap=True)


def _pipeline(background: bool, min_confidence: float, doc_timeout: float) -> Pipeline:
    return Pipeline(background=background, min_confidence=min_confidence, doc_timeout=doc_timeout)


def _results(pipeline: Pipeline, inputs: List[str], workers: int, date: Optional[dt.datetime], skip=None):
    items = documents.read(inputs, date=date.date() if date else None)
    if skip is not None:
        items = (i for i in items if isinstance(i, Failure) or not skip(i))
    n = workers if workers > 0 else default_workers()
    return _progress(pipeline.pipe(items, workers=n), "extracting")


@app.command()
def extract(
    inputs: List[str] = INPUTS,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl (EVENTS.md records), csv, or table."),
    workers: int = WORKERS,
    background: bool = BACKGROUND,
    min_confidence: float = MIN_CONF,
    date: Optional[dt.datetime] = DATE,
    doc_timeout: float = DOC_TIMEOUT,
):
    """Extract event records from documents, without a database.

    Example:

        eventwire extract examples/ --format table

        eventwire extract articles.jsonl -o events.jsonl

        eventwire extract notes.txt --date 2024-05-15
    """
    failed = 0
    events: list[Event] = []
    with _errors():
        export.check(fmt, output, formats=("jsonl", "csv", "table"))
        pipeline = _pipeline(background, min_confidence, doc_timeout)
        for item, evs in _results(pipeline, inputs, workers, date):
            if isinstance(item, Failure):
                failed += item.kind == "failed"
                _report(item)
            events.extend(evs)
        if fmt == "table":
            _table(events)
        else:
            export.write(events, fmt, output)
    if failed:
        err.print(f"{failed} input(s) failed; the others were extracted")
        raise typer.Exit(1)


@app.command()
def places(
    inputs: List[str] = INPUTS,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
    date: Optional[dt.datetime] = DATE,
):
    """Find and resolve the place names of documents (the geoparser alone), one JSON line each.

    Each line is {"doc_id", "places": [{"start", "end", "text", "name", "lat", "lon", "country",
    "admin1", "geonameid", "feature", "geo_precision"}]}: every literal place name with its
    character offsets into the text and its GeoNames resolution. Names used as actors
    ("Hezbollah", "Moscow said") are left out.

    Example:

        eventwire places examples/ -o places.jsonl
    """
    failed = 0
    with _errors():
        pipeline = Pipeline()  # the classifier loads only when events are coded, so never here
        fh = open(output, "w", encoding="utf-8") if output else sys.stdout
        try:
            for item in _progress(documents.read(inputs, date=date.date() if date else None), "geoparsing"):
                if isinstance(item, Failure):
                    failed += item.kind == "failed"
                    _report(item)
                    continue
                fh.write(json.dumps(pipeline.places(item), ensure_ascii=False) + "\n")
        finally:
            if output:
                fh.close()
    if failed:
        err.print(f"{failed} input(s) failed; the others were geoparsed")
        raise typer.Exit(1)


@app.command()
def ingest(
    inputs: List[str] = INPUTS,
    db: Path = DB,
    workers: int = WORKERS,
    background: bool = typer.Option(True, "--background/--no-background",
                                    help="Keep recalled (background) events too; queries can leave them out."),
    batch: int = typer.Option(32, "--batch", min=1, help="Documents per transaction."),
    min_confidence: float = MIN_CONF,
    date: Optional[dt.datetime] = DATE,
    doc_timeout: float = DOC_TIMEOUT,
    reprocess: bool = typer.Option(False, "--reprocess", help="Extract again even documents stored unchanged."),
):
    """Extract documents and store documents, events and failures in the DuckDB store.

    A document stored before with the same doc_id and content, by the same eventwire version and data
    files and with the same --background and --min-confidence, is skipped (--reprocess extracts it
    again); a changed one replaces its events. Each batch is one transaction, and the store is opened
    only to commit it: an interrupted run keeps every finished batch, and 'eventwire events' can read
    the store meanwhile.

    Example:

        eventwire ingest examples/ --db events.duckdb
    """
    totals = dict.fromkeys(COUNTS, 0)
    with _errors():
        store = Store(db)
        pipeline = _pipeline(background, min_confidence, doc_timeout)
        key = pipeline.extraction
        stored = {} if reprocess else store.stored()

        def skip(doc):
            if stored.get(doc.doc_id) == (doc.content_hash, key):
                totals["unchanged"] += 1
                return True
            return False

        results = iter(_results(pipeline, inputs, workers, date, skip=skip))
        while chunk := list(islice(results, batch)):
            for item, _ in chunk:
                if isinstance(item, Failure):
                    _report(item)
            for k, v in store.add(chunk, extraction=key, replace=reprocess).items():
                totals[k] += v
    err.print(f"stored {totals['documents']} document(s) and {totals['events']} event(s) in {db}; "
              f"{totals['unchanged']} unchanged, {totals['skipped']} skipped, {totals['failures']} failed",
              highlight=False)
    if totals["failures"]:
        raise typer.Exit(1)


@app.command()
def events(
    db: Path = DB,
    since: Optional[dt.datetime] = typer.Option(None, formats=["%Y-%m-%d"], help="Events on or after this day."),
    until: Optional[dt.datetime] = typer.Option(None, formats=["%Y-%m-%d"], help="Events on or before this day."),
    country: Optional[str] = typer.Option(None, help="ISO3 code of the event's country, e.g. LBN."),
    plover_type: Optional[str] = typer.Option(None, "--type", help="PLOVER type, e.g. ASSAULT."),
    actor: Optional[str] = typer.Option(None, help="Part of an actor's name or mention, e.g. Hezbollah."),
    background: bool = typer.Option(False, "--background/--no-background", help="Include recalled events."),
    limit: Optional[int] = typer.Option(None, min=0, help="At most this many (default: all)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, jsonl or csv."),
):
    """Query the stored events.

    Example:

        eventwire events --country LBN --type ASSAULT --since 2024-05-01

    While an ingest runs, this waits (up to 30 s) for the batch being committed, then reads.
    """
    with _errors():
        export.check(fmt, None, formats=("table", "jsonl", "csv"))
        if not db.exists():
            raise EventwireError(f"no store at {db}; create it with 'eventwire ingest INPUT --db {db}'")
        with Store(db) as store:
            found = store.events(since=since and since.date(), until=until and until.date(), country=country,
                                 plover_type=plover_type, actor=actor, background=background, limit=limit)
        if fmt == "table":
            _table(found)
        else:
            export.write(found, fmt, None)


@app.command("export")
def export_(
    fmt: str = typer.Option(..., "--format", "-f", help="jsonl, csv, acled-csv, geojson or parquet."),
    db: Path = DB,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Output file (required for parquet)."),
    background: bool = typer.Option(False, "--background/--no-background", help="Include recalled events."),
):
    """Export every stored event.

    acled-csv uses ACLED's column names (event_id_cnty, event_date, time_precision, event_type,
    sub_event_type, actor1, actor2, country, admin1, location, latitude, longitude, geo_precision,
    source, notes, fatalities) and leaves out types ACLED does not code (meetings, statements).

    Example:

        eventwire export --format acled-csv -o events.csv
    """
    with _errors():
        export.check(fmt, output)
        if not db.exists():
            raise EventwireError(f"no store at {db}; create it with 'eventwire ingest INPUT --db {db}'")
        with Store(db) as store:
            found = store.events(background=background)
        export.write(found, fmt, output)
    if output:
        err.print(f"wrote {len(found)} event(s) to {output}", highlight=False)


@app.command()
def failures(
    db: Path = DB,
    kind: Optional[str] = typer.Option(None, "--kind", help="Only 'failed' or only 'skipped' inputs."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or jsonl."),
):
    """List the inputs that failed (unreadable, unparsable, over the time budget) or were skipped
    (a language eventwire does not read, the same document twice), with the reason. A row goes away
    once the same input is ingested successfully.

    Example:

        eventwire failures --db events.duckdb --kind failed
    """
    with _errors():
        if kind not in (None, "failed", "skipped"):
            raise InputError(f"unknown --kind {kind!r}; use failed or skipped")
        if fmt not in ("table", "jsonl"):
            raise InputError(f"unknown format {fmt!r}; use table or jsonl")
        if not db.exists():
            raise EventwireError(f"no store at {db}; create it with 'eventwire ingest INPUT --db {db}'")
        found = Store(db).failures(kind)
    if fmt == "jsonl":
        for f in found:
            print(f.model_dump_json())
        return
    from rich.table import Table

    table = Table()
    for col in ("input", "kind", "reason", "time"):
        table.add_column(col, overflow="fold")
    for f in found:
        table.add_row(f.input, f.kind, f.reason, f.time.strftime("%Y-%m-%d %H:%M:%S"))
    (Console() if sys.stdout.isatty() else Console(width=200)).print(table)
    err.print(f"{len(found)} failure(s)")


def _table(found: list[Event]):
    from rich.table import Table

    table = Table(show_lines=False)
    for col in ("date", "type", "ACLED sub-event", "actor1", "actor2", "place", "dead", "sources", "conf"):
        table.add_column(col, overflow="fold")
    for e in found:
        table.add_row(str(e.event_date or ""), e.plover_type + (f"/{e.plover_mode}" if e.plover_mode else ""),
                      e.acled_sub_event_type or "", e.actor1.name if e.actor1 else "",
                      e.actor2.name if e.actor2 else "",
                      f"{e.location.name} ({e.location.country})" if e.location else "",
                      "" if e.fatalities is None else str(e.fatalities), ", ".join(e.sources),
                      f"{e.confidence:.2f}")
    out = Console() if sys.stdout.isatty() else Console(width=200)
    out.print(table)
    err.print(f"{len(found)} event(s)")


if __name__ == "__main__":
    app()
