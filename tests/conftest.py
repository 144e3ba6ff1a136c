"""Shared fixtures: one loaded Pipeline for the whole session, the ../shared folder, and the
spec's lists (PLOVER types, ACLED sub-types, actor types, record fields) read from EVENTS.md itself.

Real articles are never copied here: tests read them from ../shared (beside the repository).
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
from pathlib import Path

import pytest

from eventwire import Document, Pipeline

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EVENTS_MD = SHARED / "spec" / "EVENTS.md"
EXAMPLE = SHARED / "examples" / "jpost-2024-05-15-hamas-hezbollah.txt"
EXAMPLE_GOLD = SHARED / "examples" / "jpost-2024-05-15-hamas-hezbollah.gold.jsonl"
DEV = SHARED / "gold" / "dev.jsonl"
SCORER = SHARED / "tools" / "score.py"

needs_shared = pytest.mark.skipif(not EVENTS_MD.exists(), reason="../shared is not beside the repository")


# --- the spec, read from EVENTS.md -----------------------------------------------------------------

def _spec_text() -> str:
    return EVENTS_MD.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def spec_fields() -> list[str]:
    """The record fields named in the first column of EVENTS.md's field table."""
    text = _spec_text()
    table = text.split("## Fields", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", table, flags=re.M)


@pytest.fixture(scope="session")
def spec_plover_types() -> set[str]:
    row = next(line for line in _spec_text().splitlines() if line.startswith("| `plover_type`"))
    return set(re.findall(r"\b[A-Z]{3,}\b", row.split("|")[3]))


@pytest.fixture(scope="session")
def spec_acled() -> dict[str, list[str]]:
    """ACLED event type -> its sub-event types, from EVENTS.md's list of 25."""
    section = _spec_text().split("## ACLED event types and sub-event types", 1)[1].split("\n## ", 1)[0]
    out = {}
    for line in section.splitlines():
        m = re.match(r"^- ([^:]+): (.+)$", line.strip())
        if m:
            out[m.group(1).strip()] = [s.strip() for s in m.group(2).split(";")]
    return out


@pytest.fixture(scope="session")
def spec_assault_modes() -> set[str]:
    """The ASSAULT modes listed in the `plover_mode` row of EVENTS.md."""
    row = next(line for line in _spec_text().splitlines() if line.startswith("| `plover_mode`"))
    listed = re.sub(r"\([^)]*\)", "", row.split("ASSAULT:", 1)[1]).strip(" |")
    return {m.strip() for m in listed.split(",")}


@pytest.fixture(scope="session")
def spec_actor_types() -> set[str]:
    para = next(line for line in _spec_text().splitlines() if line.startswith("Actor types follow"))
    return set(re.findall(r"`(\w+)`", para))


# --- the pipeline -----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """The one Pipeline of the session (spaCy + gazetteer + KB load once, ~8 s)."""
    return Pipeline().load()


@pytest.fixture
def background_pipeline(pipeline):
    """The shared pipeline keeping background events, restored afterwards."""
    old = pipeline.background
    pipeline.background = True
    yield pipeline
    pipeline.background = old


@pytest.fixture(scope="session")
def nlp(pipeline):
    """Parse a text the way the pipeline does (spaCy Doc)."""
    return pipeline.annotator.nlp


@pytest.fixture(scope="session")
def extract(pipeline):
    """extract(text, date="2024-05-15", doc_id="t") -> events of one inline document."""

    def run(text: str, date: str = "2024-05-15", doc_id: str = "t", **fields):
        doc = Document(doc_id=doc_id, text=text, date=dt.date.fromisoformat(date), **fields)
        return pipeline(doc)

    return run


@pytest.fixture
def cli_pipeline(pipeline, monkeypatch):
    """Make the CLI use the shared pipeline. The CLI calls `Pipeline(background=..., min_confidence=...)`:
    those options are set on the shared pipeline for the call, and restored after the test."""
    import eventwire.cli

    saved = dict(vars(pipeline))

    def factory(**options):
        for name, value in options.items():
            assert name in saved, f"the CLI passes an option the Pipeline does not have: {name}"
            setattr(pipeline, name, value)
        return pipeline

    monkeypatch.setattr(eventwire.cli, "Pipeline", factory)
    yield pipeline
    for name in ("background", "min_confidence", "doc_timeout", "max_chars"):
        if name in saved:
            setattr(pipeline, name, saved[name])


# --- the scorer and the gold files ---------------------------------------------------------------

@pytest.fixture(scope="session")
def scorer():
    spec = importlib.util.spec_from_file_location("eventwire_shared_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# --- small inline articles in news style, written for these tests -----------------------------------

NEWS = {
    "rockets": ("2024-05-15", "Hezbollah fired rockets at Kiryat Shmona in northern Israel on Tuesday, the IDF said."),
    "tyre": ("2024-05-15", "An Israeli strike near Tyre in southern Lebanon killed two Hezbollah fighters on Wednesday."),
    "peshawar": ("2023-01-31", "A suicide bomber blew himself up inside a mosque in Peshawar, Pakistan, on Monday, "
                               "killing at least 61 people, police said."),
    "cairo": ("2024-05-15", "The foreign ministers of Egypt and Qatar met in Cairo on Tuesday to discuss a ceasefire."),
    "tehran": ("2022-09-30", "Police arrested 20 protesters in Tehran on Friday, according to IRNA."),
}


def news_documents() -> list[Document]:
    return [Document(doc_id=k, date=dt.date.fromisoformat(d), text=t) for k, (d, t) in NEWS.items()]


@pytest.fixture(scope="session")
def news_results(pipeline):
    """[(document, events)] of the inline news documents, extracted once."""
    return [(doc, pipeline(doc)) for doc in news_documents()]


@pytest.fixture(scope="session")
def news_events(news_results):
    return [e for _, evs in news_results for e in evs]


def write_plain(path: Path, date: str, body: str) -> Path:
    """A plain-text article in the ` date YYYY-MM-DD ` form."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f" date {date} {body}", encoding="utf-8")
    return path
