"""Extraction throughput of eventwire on copies of the gold dev articles.

    python benchmarks/throughput.py [--copies 10] [--workers N] [--store] [--json out.json]

Prints documents/s and characters/s with 1 worker and with --workers, the model loading time
(apart), and peak resident memory. Figures only: no test ever asserts a speed.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

from eventwire import documents
from eventwire.pipeline import Pipeline, default_workers
from eventwire.records import Document, Failure

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev.jsonl"
BATCH = 32  # documents per store.add transaction, as `eventwire ingest` does by default


def rss_mb(who: int) -> float:
    """Peak resident set (ru_maxrss) in MB: kilobytes on Linux, bytes on macOS."""
    peak = resource.getrusage(who).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def corpus(path: Path, copies: int) -> list[Document]:
    """`copies` copies of every readable article of `path`, each copy with its own doc_id."""
    base = [d for d in documents.read([path]) if isinstance(d, Document)]
    if not base:
        sys.exit(f"no readable documents in {path}")
    return [d.model_copy(update={"doc_id": f"{d.doc_id}#copy{i}"}) for i in range(copies) for d in base]


def run(pipeline: Pipeline, docs: list[Document], workers: int, store=None) -> dict:
    """Extract (and, with a store, ingest) every document; time it and count what came out."""
    chars = sum(len(d.text) for d in docs)
    events = failures = 0
    start = time.perf_counter()
    results = pipeline.pipe(docs, workers=workers)
    while chunk := list(islice(results, BATCH)):
        events += sum(len(evs) for _, evs in chunk)
        failures += sum(isinstance(item, Failure) for item, _ in chunk)
        if store is not None:
            store.add(chunk)
    seconds = time.perf_counter() - start
    return {"workers": workers, "seconds": round(seconds, 3), "docs_per_s": round(len(docs) / seconds, 2),
            "chars_per_s": round(chars / seconds), "events": events, "failures": failures}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(
        description="Measure eventwire's extraction throughput (documents/s and characters/s) on N copies "
                    "of the gold dev articles, with 1 worker and with --workers processes; model loading "
                    "time is reported apart and not counted. Also reports peak resident memory (ru_maxrss) "
                    "of the main process and of the worker processes, and with --store the ingest rate into "
                    "a temporary DuckDB store. Figures depend on the machine: tests never assert a speed.")
    parser.add_argument("--input", type=Path, default=DEV, help="documents to copy (default: %(default)s)")
    parser.add_argument("--copies", type=int, default=10, help="copies of each document (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=default_workers(),
                        help="processes for the parallel run (default: all cores, %(default)s here)")
    parser.add_argument("--store", action="store_true",
                        help=f"also time ingest into a temporary DuckDB store (batches of {BATCH})")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures to FILE as JSON")
    args = parser.parse_args(argv)
    if args.copies < 1 or args.workers < 1:
        parser.error("--copies and --workers must be at least 1")

    docs = corpus(args.input, args.copies)
    start = time.perf_counter()
    pipeline = Pipeline().load()
    load = time.perf_counter() - start
    out = {"input": str(args.input), "documents": len(docs), "characters": sum(len(d.text) for d in docs),
           "cores": default_workers(), "load_seconds": round(load, 2), "runs": [],
           "peak_rss_mb": {"main_after_load": rss_mb(resource.RUSAGE_SELF)}}
    out["runs"].append(run(pipeline, docs, 1))
    out["peak_rss_mb"]["main"] = rss_mb(resource.RUSAGE_SELF)
    if args.workers > 1:
        out["runs"].append(run(pipeline, docs, args.workers))
        # largest peak of any reaped worker; includes the pages it shares with the parent after fork
        out["peak_rss_mb"]["largest_worker"] = rss_mb(resource.RUSAGE_CHILDREN)
        out["peak_rss_mb"]["main"] = rss_mb(resource.RUSAGE_SELF)
    if args.store:
        from eventwire.store import Store

        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.duckdb") as store:
            out["store"] = run(pipeline, docs, args.workers, store=store)
            out["store"]["stored_events"] = store.count("events")
        out["store"]["main_peak_rss_mb"] = rss_mb(resource.RUSAGE_SELF)

    print(f"{out['documents']} documents ({out['characters']:,} characters) from {args.input.name}; "
          f"{out['cores']} cores; model load {out['load_seconds']:.2f} s (not counted)")
    print(f"{'run':<16}{'seconds':>9}{'docs/s':>9}{'chars/s':>10}{'events':>8}{'failed':>8}")
    rows = [(f"extract x{r['workers']}", r) for r in out["runs"]]
    rows += [(f"ingest x{out['store']['workers']}", out["store"])] if "store" in out else []
    for name, r in rows:
        print(f"{name:<16}{r['seconds']:>9.2f}{r['docs_per_s']:>9.2f}{r['chars_per_s']:>10,}"
              f"{r['events']:>8}{r['failures']:>8}")
    print("peak RSS (MB): " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in out["peak_rss_mb"].items()))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
