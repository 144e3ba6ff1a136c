"""Extraction cost of eventwire on one long article, at several lengths.

    python benchmarks/long_documents.py [--sizes 20000,200000,1000000] [--timeout 1800] [--src PATH] [--json out.json]

Each long article is built in memory only (never written to disk) from the gold dev articles: their
paragraphs (the ` date YYYY-MM-DD ` header left out; the date is the Document's field, the first
article's), joined by blank lines, cycling through the articles until the target length is reached,
and cut at the first paragraph boundary at or past it. Every size runs in its own fresh subprocess,
so its peak resident memory is its own; the model load is timed apart and not counted. A size that
runs longer than --timeout is killed and reported as "timeout". --src PATH puts PATH first on the
child's sys.path, to measure another checkout of the code. Figures only: no test ever asserts a speed.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev.jsonl"
SIZES = "20000,200000,1000000"
PARAGRAPH = re.compile(r"\n\s*\n")
HEADER = re.compile(r"\A\s*date\s+\d{4}-\d{2}-\d{2}\s")  # the same header documents.DATE_PREFIX matches


def rss_mb(who: int) -> float:
    """Peak resident set (ru_maxrss) in MB: kilobytes on Linux, bytes on macOS."""
    peak = resource.getrusage(who).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def long_text(articles: list, size: int) -> str:
    """Paragraphs of `articles` (cycled), joined by blank lines, cut at a paragraph boundary >= size."""
    paragraphs = [p.strip() for d in articles for p in PARAGRAPH.split(HEADER.sub("", d.text, count=1))]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        sys.exit("the input articles have no text")
    parts, length, i = [], 0, 0
    while length < size:
        p = paragraphs[i % len(paragraphs)]
        length += len(p) + (2 if parts else 0)
        parts.append(p)
        i += 1
    return "\n\n".join(parts)


def child(size: int, path: Path) -> dict:
    """Run in the fresh subprocess: build the article, load, extract once; the figures as a dict."""
    import eventwire
    from eventwire import documents
    from eventwire.pipeline import Pipeline
    from eventwire.records import Document

    articles = [d for d in documents.read([path]) if isinstance(d, Document)]
    if not articles:
        sys.exit(f"no readable documents in {path}")
    text = long_text(articles, size)
    doc = Document(doc_id=f"long-{size}", text=text, date=articles[0].date)
    out = {"size": size, "chars": len(text), "paragraphs": text.count("\n\n") + 1,
           "code": str(Path(eventwire.__file__).resolve().parent)}
    start = time.perf_counter()
    pipeline = Pipeline().load()
    out["load_seconds"] = round(time.perf_counter() - start, 2)
    out["rss_after_load_mb"] = rss_mb(resource.RUSAGE_SELF)
    start = time.perf_counter()
    try:
        events = pipeline(doc)
    except Exception as exc:  # e.g. spaCy's E088 above nlp.max_length: a result to report, not to hide
        out.update(status="error", error=f"{type(exc).__name__}: {exc}".strip(),
                   seconds=round(time.perf_counter() - start, 3))
    else:
        seconds = time.perf_counter() - start
        out.update(status="ok", seconds=round(seconds, 3), us_per_char=round(seconds * 1e6 / len(text), 2),
                   events=len(events))
    out["peak_rss_mb"] = rss_mb(resource.RUSAGE_SELF)
    return out


def measure(size: int, args) -> dict:
    """One size in a fresh subprocess (this script with --child SIZE); its JSON line, or why none came."""
    env = dict(os.environ)
    if args.src:
        src = str(args.src.resolve())
        env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(size), "--input", str(args.input)]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return {"size": size, "status": "timeout", "timeout_seconds": args.timeout}
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode == 0 and lines:
        return json.loads(lines[-1])
    tail = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
    return {"size": size, "status": "crashed", "returncode": proc.returncode, "error": tail,
            "wall_seconds": round(time.perf_counter() - start, 1)}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(
        description="Measure eventwire's extraction time (seconds, microseconds per character) and peak "
                    "resident memory on one long article per size, each size in its own fresh subprocess. "
                    "The articles are built in memory from the gold dev articles' paragraphs, cycled. "
                    "Model loading is timed apart and not counted. Figures depend on the machine.")
    parser.add_argument("--sizes", default=SIZES,
                        help="comma-separated target lengths in characters (default: %(default)s)")
    parser.add_argument("--input", type=Path, default=DEV, help="articles to build from (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds allowed per size before it is killed (default: %(default)s)")
    parser.add_argument("--src", type=Path, metavar="PATH",
                        help="put PATH first on the child's sys.path, to measure another checkout's code")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures to FILE as JSON")
    parser.add_argument("--child", type=int, metavar="SIZE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child is not None:
        print(json.dumps(child(args.child, args.input)), flush=True)
        return {}
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes must be comma-separated integers, not {args.sizes!r}")
    if not sizes or min(sizes) < 1 or args.timeout <= 0:
        parser.error("--sizes must be positive integers and --timeout positive")

    results = [measure(size, args) for size in sizes]
    out = {"input": str(args.input), "src": str(args.src) if args.src else None,
           "timeout_seconds": args.timeout, "results": results}
    code = next((r["code"] for r in results if "code" in r), "?")
    loads = [r["load_seconds"] for r in results if "load_seconds" in r]
    print(f"long articles from {args.input.name}; code {code}; "
          f"model load {', '.join(f'{s:.2f}' for s in loads) or '-'} s (not counted); timeout {args.timeout:g} s")
    print(f"{'size':>9}{'chars':>10}{'seconds':>10}{'us/char':>9}{'events':>8}{'peak RSS MB':>13}"
          f"{'RSS after load MB':>19}")
    notes = []
    for r in results:
        if r["status"] == "ok":
            secs, per, events = f"{r['seconds']:.2f}", f"{r['us_per_char']:.1f}", str(r["events"])
        else:
            secs, per, events = r["status"], "-", "-"
            if r.get("error"):
                notes.append(f"{r['size']}: {r['status']}: {r['error']}")
        print(f"{r['size']:>9}{r.get('chars', '-'):>10}{secs:>10}{per:>9}{events:>8}"
              f"{r.get('peak_rss_mb', '-'):>13}{r.get('rss_after_load_mb', '-'):>19}")
    for note in notes:
        print(note if len(note) <= 300 else note[:297] + "...")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
