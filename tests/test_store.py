"""The DuckDB store: batches in transactions, idempotent re-ingest, failures kept, query filters."""
from __future__ import annotations

import datetime as dt

import pytest

from eventwire import Document, Failure, Store
from eventwire.errors import StoreError
from eventwire.store import MIGRATIONS

MALI = "Militants killed 12 villagers in the Mopti region of Mali on Tuesday, the army said."
MALI_CHANGED = ("Militants killed 14 villagers in the Mopti region of Mali on Tuesday, the army said. "
                "Soldiers arrested 3 suspects in Mopti on Wednesday.")


def mali(text=MALI, doc_id="mali"):
    return Document(doc_id=doc_id, date=dt.date(2024, 5, 15), text=text, input=f"{doc_id}.txt")


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "events.duckdb") as s:
        yield s


def ids(events):
    return sorted(e.event_id for e in events)


def test_add_and_read_back(store, news_results):
    counts = store.add(news_results)
    n_events = sum(len(evs) for _, evs in news_results)
    assert counts == {"documents": len(news_results), "events": n_events, "failures": 0, "skipped": 0, "unchanged": 0}
    assert store.count("documents") == len(news_results)
    assert store.count("events") == n_events
    stored = store.events()
    assert ids(stored) == ids(e for _, evs in news_results for e in evs)
    originals = {e.event_id: e for _, evs in news_results for e in evs}
    assert all(e == originals[e.event_id] for e in stored)  # whole records come back unchanged


def test_events_are_ordered_by_date(store, news_results):
    store.add(news_results)
    dates = [e.event_date for e in store.events() if e.event_date]
    assert dates == sorted(dates)


def test_reingest_is_idempotent(store, pipeline):
    doc = mali()
    first = store.add([(doc, pipeline(doc))])
    before = ids(store.events())
    second = store.add([(doc, pipeline(doc))])
    assert first["documents"] == 1 and first["events"] >= 1
    assert second == {"documents": 0, "events": 0, "failures": 0, "skipped": 0, "unchanged": 1}
    assert ids(store.events()) == before
    assert store.count("documents") == 1
    assert store.count("events") == len(before)
    assert store.known(doc)


def test_a_changed_document_replaces_its_events(store, pipeline):
    old, new = mali(), mali(MALI_CHANGED)
    store.add([(old, pipeline(old))])
    old_events = store.events()
    store.add([(new, pipeline(new))])
    new_events = pipeline(new)
    assert ids(store.events()) == ids(new_events)
    assert store.count("documents") == 1
    assert not store.known(old) and store.known(new)
    assert [e.fatalities for e in store.events(plover_type="ASSAULT")] == [14]
    assert [e.fatalities for e in old_events if e.plover_type == "ASSAULT"] == [12]


def test_other_documents_are_left_alone(store, pipeline, news_results):
    store.add(news_results)
    before = store.count("events")
    doc = mali()
    store.add([(doc, pipeline(doc))])
    store.add([(mali(MALI_CHANGED), pipeline(mali(MALI_CHANGED)))])
    assert store.count("events") == before + len(pipeline(mali(MALI_CHANGED)))


def test_failures_are_recorded(store, news_results):
    failure = Failure(input="broken.jsonl:2", reason="invalid JSON (Expecting value, column 1)")
    counts = store.add([news_results[0], (failure, []),
                        (Failure(input="undated.txt", reason="no publication date", doc_id="undated"), [])])
    assert counts["failures"] == 2 and counts["documents"] == 1
    stored = {f.input: f for f in store.failures()}
    assert stored["broken.jsonl:2"].reason == failure.reason
    assert stored["undated.txt"].doc_id == "undated"
    store.add([(failure, [])])               # the same failure again is not a second row
    assert store.count("failures") == 2


def _interrupted(results, error):
    """A batch whose extraction breaks after two documents."""
    yield results[2]
    yield results[3]
    raise error


def test_a_failing_batch_rolls_back_and_keeps_committed_ones(store, news_results):
    store.add(news_results[:2])
    committed = ids(store.events())
    with pytest.raises(RuntimeError):
        store.add(_interrupted(news_results, RuntimeError("extraction crashed")))
    assert ids(store.events()) == committed
    assert store.count("documents") == 2
    # the store still works, and the interrupted documents can be added again
    store.add(news_results[2:])
    assert store.count("documents") == len(news_results)


def test_an_interrupted_run_keeps_committed_batches_on_disk(tmp_path, news_results):
    """Ctrl-C during the second batch: after the process ends, the first batch is in the file, the second not."""
    path = tmp_path / "events.duckdb"
    with pytest.raises(KeyboardInterrupt):
        with Store(path) as s:
            s.add(news_results[:2])
            committed = ids(s.events())
            s.add(_interrupted(news_results, KeyboardInterrupt()))
    with Store(path) as s:
        assert ids(s.events()) == committed
        assert s.count("documents") == 2


def test_an_interrupted_batch_is_rolled_back_in_process(store, news_results):
    store.add(news_results[:2])
    committed = ids(store.events())
    with pytest.raises(KeyboardInterrupt):
        store.add(_interrupted(news_results, KeyboardInterrupt()))
    assert ids(store.events()) == committed
    store.add(news_results[2:])
    assert store.count("documents") == len(news_results)


def test_store_file_persists_and_migrates_once(tmp_path, news_results):
    path = tmp_path / "events.duckdb"
    with Store(path) as s:
        s.add(news_results)
        expected = ids(s.events())
    with Store(path) as s:
        assert s.migrate() == []
        assert ids(s.events()) == expected
        assert s.migrations() == [name for name, _ in MIGRATIONS]


def test_unopenable_store_is_a_store_error(tmp_path):
    (tmp_path / "a-directory.duckdb").mkdir()
    with pytest.raises(StoreError, match="a-directory.duckdb"):
        Store(tmp_path / "a-directory.duckdb")


def test_count_only_knows_its_tables(store):
    with pytest.raises(ValueError):
        store.count("documents; DROP TABLE events")


# --- query filters: each agrees with the same filter written over the whole records ------------------------

@pytest.fixture
def full(store, news_results):
    store.add(news_results)
    return store, store.events()


def test_filter_type(full):
    store, events = full
    got = store.events(plover_type="assault")
    assert got and ids(got) == ids(e for e in events if e.plover_type == "ASSAULT")
    assert len(got) < len(events)


def test_filter_country(full):
    store, events = full
    got = store.events(country="lbn")
    assert got and ids(got) == ids(e for e in events if e.location and e.location.country == "LBN")
    assert len(got) < len(events)


def test_filter_dates(full):
    store, events = full
    since, until = dt.date(2024, 5, 14), dt.date(2024, 5, 14)
    got = store.events(since=since, until=until)
    assert got and ids(got) == ids(e for e in events if e.event_date and since <= e.event_date <= until)
    later = store.events(since=dt.date(2024, 1, 1))
    assert ids(later) == ids(e for e in events if e.event_date and e.event_date >= dt.date(2024, 1, 1))
    assert len(later) < len(events)


def test_filter_actor_by_name_or_mention(full):
    store, events = full

    def names(e):
        return " ".join(f"{a.name} {a.mention}" for a in (e.actor1, e.actor2) if a).lower()

    for needle in ("hezbollah", "Israel", "protesters"):
        got = store.events(actor=needle)
        assert got, needle
        assert ids(got) == ids(e for e in events if needle.lower() in names(e))


def test_filters_combine_and_limit(full):
    store, events = full
    got = store.events(plover_type="ASSAULT", country="LBN", actor="Hezbollah")
    assert got and all(e.plover_type == "ASSAULT" and e.location.country == "LBN" for e in got)
    assert len(store.events(limit=2)) == 2


def test_background_filter(store, background_pipeline):
    doc = Document(doc_id="recall", date=dt.date(2024, 5, 15),
                   text="Hezbollah began its attacks on Israel on October 8, joining the Hamas war.")
    events = background_pipeline(doc)
    assert [e.background for e in events] == [True]
    store.add([(doc, events)])
    assert len(store.events()) == 1
    assert store.events(background=False) == []
