"""The command line: each command parses its options, calls the library, and turns EventwireError
into a one-line message and an exit code. Nothing here extracts, stores or formats by itself."""
from __future__ import annotations

import datetime as dt
import sys
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator, List, Optional

import typer
from rich.console import Console

from . import documents, export
from .errors import EventwireError
from .pipeline import Pipeline, default_workers
from .records import Event, Failure
from .store import DEFAULT_DB, Store

app = typer.Typer(
    help="eventwire: turn dated news articles into a geocoded, source-attributed database of political "
         "events (PLOVER types, ACLED sub-types, actors, place, date, fatalities, sources, evidence).\n\n"
         "Inputs: plain-text articles beginning ' date YYYY-MM-DD ', folders of them, JSON Lines or CSV "
         "files of documents (doc_id, date, text), HTML pages, or - for standard input.",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None)
err = Console(stderr=True)

INPUTS = typer.Argument(..., help="Files, folders (read recursively) or - for standard input.")
WORKERS = typer.Option(1, "--workers", "-w", min=1, help="Processes to extract with (0 or less: all cores).")
BACKGROUND = typer.Option(False, "--background/--no-background",
                          help="Also keep events the article only recalls (older than a week before publication).")
MIN_CONF = typer.Option(0.3, "--min-confidence", min=0.0, max=1.0,
                        help="Leave out events below this confidence (0 keeps every candidate).")
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
    err.print(f"[red]error:[/red] {failure.input}: {failure.reason}", highlight=False, soft_wrap=True)


def _results(inputs: List[str], workers: int, background: bool, min_confidence: float, skip=None):
    pipeline = Pipeline(background=background, min_confidence=min_confidence)
    items = documents.read(inputs)
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
):
    """Extract event records from documents, without a database.

    Example:

        eventwire extract examples/ --format table

        eventwire extract articles.jsonl -o events.jsonl
    """
    if fmt not in ("jsonl", "csv", "table"):
        err.print(f"[red]error:[/red] unknown format {fmt!r}; use jsonl, csv or table")
        raise typer.Exit(2)
    failures = 0
    events: list[Event] = []
    with _errors():
        for item, evs in _results(inputs, workers, background, min_confidence):
            if isinstance(item, Failure):
                failures += 1
                _report(item)
            events.extend(evs)
        if fmt == "table":
            _table(events)
        else:
            export.write(events, fmt, output)
    if failures:
        err.print(f"{failures} input(s) failed; the others were extracted")
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
):
    """Extract documents and store documents, events and failures in the DuckDB store.

    A document stored before with the same content is skipped, so re-ingesting adds nothing.
    Each batch is one transaction: an interrupted run keeps every finished batch.

    Example:

        eventwire ingest examples/ --db events.duckdb
    """
    totals = {"documents": 0, "events": 0, "failures": 0, "unchanged": 0}
    with _errors(), Store(db) as store:
        seen = []

        def skip(doc):
            if store.known(doc):
                seen.append(doc.doc_id)
                return True
            return False

        results = iter(_results(inputs, workers, background, min_confidence, skip=skip))
        while chunk := list(islice(results, batch)):
            for item, _ in chunk:
                if isinstance(item, Failure):
                    _report(item)
            for k, v in store.add(chunk).items():
                totals[k] += v
        totals["unchanged"] += len(seen)
    err.print(f"stored {totals['documents']} document(s) and {totals['events']} event(s) in {db}; "
              f"{totals['unchanged']} unchanged, {totals['failures']} failed", highlight=False)
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
    limit: Optional[int] = typer.Option(None, help="At most this many."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, jsonl or csv."),
):
    """Query the stored events.

    Example:

        eventwire events --country LBN --type ASSAULT --since 2024-05-01
    """
    with _errors():
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
        if not db.exists():
            raise EventwireError(f"no store at {db}; create it with 'eventwire ingest INPUT --db {db}'")
        with Store(db) as store:
            found = store.events(background=background)
        export.write(found, fmt, output)
    if output:
        err.print(f"wrote {len(found)} event(s) to {output}", highlight=False)


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
