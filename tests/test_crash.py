"""Crash safety: an ingest killed with SIGKILL in the middle of a run leaves a store holding whole
batches only, each stored document with all its events; running the same ingest again completes it,
and the result is exactly what an uninterrupted run gives."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from eventwire import Store

BATCH = 4
TIMEOUT = 300.0  # seconds, for every child process: the test can never hang
TOWNS = [("Mopti", "Mopti", "Mali"), ("Kano", "Kano", "Nigeria"), ("Maiduguri", "Borno", "Nigeria"),
         ("Goma", "North Kivu", "Congo"), ("Bunia", "Ituri", "Congo"), ("Djibo", "Sahel", "Burkina Faso"),
         ("Timbuktu", "Timbuktu", "Mali"), ("Diffa", "Diffa", "Niger")]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
ACTORS = ["Gunmen", "Militants", "Armed men", "Jihadists", "Bandits"]

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")


def write_corpus(folder: Path, n: int) -> int:
    """`n` small, distinct English articles (two sentences each, so that none is mistaken for
    another language and every batch holds `BATCH` documents)."""
    folder.mkdir(parents=True)
    for i in range(n):
        town, region, country = TOWNS[i % len(TOWNS)]
        text = (f" date 2024-05-15 {ACTORS[i % len(ACTORS)]} killed {i + 3} villagers in {town} in the {region} "
                f"region of {country} on {DAYS[i % len(DAYS)]}, police said. The attackers arrived on motorcycles "
                "and burned the market before fleeing into the bush, according to witnesses.\n")
        (folder / f"article-{i:03d}.txt").write_text(text, encoding="utf-8")
    return n


def ingest_cmd(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "eventwire.cli", "ingest", str(folder), "--db", str(db), "--batch", str(BATCH)]


def child_env() -> dict:
    return {**os.environ, "COLUMNS": "250", "PYTHONUNBUFFERED": "1"}


def committed_documents(db: Path) -> int:
    """Documents committed so far, or -1 while the file is missing or locked by the writer."""
    if not db.exists():
        return -1
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return -1
    try:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    except duckdb.Error:  # not migrated yet
        return -1
    finally:
        con.close()


def snapshot(db: Path):
    """(documents, events) of a store, read directly, read-only: [(doc_id, content_hash, n_events)]
    and the event records as JSON, sorted by event_id."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = con.execute("SELECT doc_id, content_hash, n_events FROM documents ORDER BY doc_id").fetchall()
        events = [(eid, json.loads(rec)) for eid, rec in
                  con.execute("SELECT event_id, record FROM events ORDER BY event_id").fetchall()]
        per_doc = dict(con.execute("SELECT doc_id, count(*) FROM events GROUP BY doc_id").fetchall())
    finally:
        con.close()
    return docs, events, per_doc


def kill_mid_run(folder: Path, db: Path, total: int) -> tuple[bool, int]:
    """Start an ingest, SIGKILL it as soon as a batch is committed. (killed mid-run, documents seen)."""
    proc = subprocess.Popen(ingest_cmd(folder, db), env=child_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    give_up = time.monotonic() + TIMEOUT
    try:
        while proc.poll() is None and time.monotonic() < give_up:
            seen = committed_documents(db)
            if seen >= BATCH:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
                return proc.returncode == -signal.SIGKILL and seen < total, seen
            time.sleep(0.005)
        assert proc.poll() is not None, f"the ingest did not commit a batch in {TIMEOUT:g} s"
        return False, committed_documents(db)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        proc.stderr.close()


def test_ingest_killed_mid_run_keeps_whole_batches_and_resumes(tmp_path):
    killed = False
    for n in (40, 160, 640):  # bigger corpora only if a run finishes before it could be killed
        folder = tmp_path / f"articles-{n}"
        total = write_corpus(folder, n)
        db, clean_db = tmp_path / f"killed-{n}.duckdb", tmp_path / f"clean-{n}.duckdb"
        # The uninterrupted reference run, in parallel with the run to be killed.
        clean = subprocess.Popen(ingest_cmd(folder, clean_db), env=child_env(), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)
        try:
            killed, seen = kill_mid_run(folder, db, total)
        finally:
            if not killed:
                clean.kill()
                clean.communicate(timeout=30)
        if killed:
            break
    assert killed, "every ingest finished before it could be killed mid-run"

    # The store opens, holds whole batches only, and every stored document has all its events.
    store = Store(db)
    stored = store.count("documents")
    assert stored >= seen >= BATCH
    assert stored % BATCH == 0 or stored == total, f"{stored} documents: a partial batch was committed"
    docs, events, per_doc = snapshot(db)
    assert len(docs) == stored
    n_events = {doc_id: n for doc_id, _, n in docs}
    assert {d: per_doc.get(d, 0) for d in n_events} == n_events, "a stored document is missing events"
    assert set(per_doc) <= set(n_events), "events of a document that is not stored"
    assert len(events) == sum(n_events.values())

    # The same ingest again completes the store, skipping what was stored.
    rerun = subprocess.run(ingest_cmd(folder, db), env=child_env(), capture_output=True, text=True, timeout=TIMEOUT)
    assert rerun.returncode == 0, rerun.stderr
    summary = " ".join(rerun.stderr.split())
    m = re.search(r"stored (\d+) document\(s\) .*?; (\d+) unchanged", summary)
    assert m and (int(m.group(1)), int(m.group(2))) == (total - stored, stored), summary

    # ... and gives exactly the store of an uninterrupted run.
    _, clean_err = clean.communicate(timeout=TIMEOUT)
    assert clean.returncode == 0, clean_err
    final_docs, final_events, _ = snapshot(db)
    clean_docs, clean_events, _ = snapshot(clean_db)
    assert len(final_docs) == total
    assert final_docs == clean_docs
    assert final_events and final_events == clean_events
    assert Store(db).count("failures") == 0
