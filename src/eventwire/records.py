"""The record types, defined once: every stage, the store, the CLI and the exports use these.

`Event` is the output contract of ../shared/spec/EVENTS.md (schema_version "1").
`Document` is what readers produce; `Failure` is what they (or the pipeline) produce instead
when an input cannot be used; `Mention` is one event mention found in one sentence before merging.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
# PLOVER's quad families (../shared/spec/SCORING.md): used to decide what may merge.
PLOVER_FAMILY = {
    "AGREE": "vcoop", "CONSULT": "vcoop", "SUPPORT": "vcoop", "REQUEST": "vcoop",
    "COOPERATE": "mcoop", "AID": "mcoop", "CONCEDE": "mcoop", "RETREAT": "mcoop",
    "ACCUSE": "vconf", "REJECT": "vconf", "THREATEN": "vconf",
    "ASSAULT": "mconf", "COERCE": "mconf", "MOBILIZE": "mconf", "SANCTION": "mconf",
    "PROTEST": "protest",
}
ACTOR_TYPES = (
    "state_forces", "rebel_group", "political_militia", "identity_militia", "rioters", "protesters",
    "civilians", "external_force", "government", "political_party", "media", "igo", "ngo", "person",
    "other",
)
DatePrecision = Literal["day", "week", "month", "year"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Document(Record):
    """One input article. `text` is kept exactly as read: evidence offsets point into it."""

    doc_id: str
    text: str
    date: dt.date
    title: Optional[str] = None
    url: Optional[str] = None
    source: Optional[str] = None
    language: Optional[str] = None
    input: Optional[str] = None  # where it was read from (file path, "file.jsonl:12", "-")

    @property
    def content_hash(self) -> str:
        """sha1 of what extraction depends on: same hash, same events."""
        return hashlib.sha1(f"{self.doc_id}\x00{self.date}\x00{self.text}".encode("utf-8", "surrogatepass")).hexdigest()


class Failure(Record):
    """An input that could not be used, with the reason in words a user can act on. `kind` is
    "failed" (unreadable, unparsable, over the time budget...) or "skipped" (read, but left out on
    purpose: a language eventwire does not read, the same document given twice)."""

    input: str
    reason: str
    doc_id: Optional[str] = None
    kind: Literal["failed", "skipped"] = "failed"
    time: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    def __str__(self) -> str:
        return f"{self.input}: {self.reason}"


class Span(Record):
    doc_id: str
    start: int
    end: int
    text: str


class Actor(Record):
    name: str
    mention: str
    country: Optional[str] = None
    type: Optional[str] = None
    id: Optional[str] = None
    affiliation: Optional[str] = None


class Place(Record):
    name: str
    mention: str
    country: Optional[str] = None
    admin1: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    geo_precision: int = 3
    geonameid: Optional[int] = None


class Mention(Record):
    """One event mention in one sentence, with the arguments found for it."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    plover_type: str
    plover_mode: Optional[str] = None
    acled_event_type: Optional[str] = None
    acled_sub_event_type: Optional[str] = None
    trigger: Span
    sentence: Span
    sentence_index: int
    actor1: Optional[Actor] = None
    actor2: Optional[Actor] = None
    location: Optional[Place] = None
    other_locations: list[Place] = Field(default_factory=list)
    event_date: Optional[dt.date] = None
    date_precision: DatePrecision = "day"
    date_explicit: bool = False
    fatalities: Optional[int] = None
    injuries: Optional[int] = None
    quantity: Optional[dict[str, int]] = None
    sources: list[str] = Field(default_factory=list)
    weight: float = 1.0


class Event(Record):
    """One event record: ../shared/spec/EVENTS.md."""

    schema_version: str = SCHEMA_VERSION
    event_id: str
    doc_id: str
    event_date: Optional[dt.date] = None
    date_precision: DatePrecision = "day"
    plover_type: str
    plover_mode: Optional[str] = None
    acled_event_type: Optional[str] = None
    acled_sub_event_type: Optional[str] = None
    actor1: Optional[Actor] = None
    actor2: Optional[Actor] = None
    # ACLED's associated actors: who acted with actor1 / actor2 without being the main side
    # (the union that organised a protest; the women targeted in sexual violence).
    assoc_actor1: list[Actor] = Field(default_factory=list)
    assoc_actor2: list[Actor] = Field(default_factory=list)
    location: Optional[Place] = None
    other_locations: list[Place] = Field(default_factory=list)
    fatalities: Optional[int] = None
    injuries: Optional[int] = None
    quantity: Optional[dict[str, int]] = None
    sources: list[str] = Field(default_factory=list)
    evidence: list[Span] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)
    background: bool = False

    def to_json(self) -> str:
        return self.model_dump_json(exclude_none=False)
