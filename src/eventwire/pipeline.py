"""The pipeline, a straight line:

    read documents -> identify the language -> annotate (spaCy) -> find event mentions -> fill their
    arguments (actors, place, date, numbers, sources) -> resolve (actor KB, gazetteer) -> merge -> Events

`Pipeline()(document) -> list[Event]` does one document; `Pipeline().process(item)` does one item of
a batch and never raises: a document that cannot be extracted (over the length limit, in another
language, over its time budget, or failing) comes back as a Failure. `Pipeline().pipe(items)`
streams Documents and Failures (from documents.read) as `(item, events)` pairs, in input order.
Models and tables load once, on first use; `workers > 1` forks worker processes after loading,
and each worker keeps the same time budget per document.
"""
from __future__ import annotations

from dataclasses import replace

import os
import re
import signal
import threading
from bisect import bisect_right
from collections import Counter
from contextlib import contextmanager
from functools import cached_property
from itertools import islice
from typing import Iterable, Iterator, Optional, Union

from . import language
from .annotate import Annotator, Index
from .classify import SubtypeModel, acled_types
from .coding import ARMED, ActorCoder, CrowdCoder, TypeCoder, is_brief
from .arguments import dates as dates_
from .arguments import numbers
from .arguments.actors import np_span, roles
from .arguments.places import Geoparser, brief_place, event_places, fallback_place, refine_places
from .arguments.sources import SPEECH, SourceTracker
from .mentions import Match, Trigger, TriggerFinder
from .merge import merge, one_per_place, span
from .records import Document, Event, Failure, Mention
from .resolve.gazetteer import Gazetteer
from .resolve.kb import ActorKB

Item = Union[Document, Failure]
PARAGRAPH = re.compile(r"\n\s*\n")
VICTIMS = ("civilians", "protesters")
MOB_MODES = ("primitive", "beat")  # stoning, lynching, beating, hacking, burning alive
# Below this, an event is a lone weak trigger with neither actor nor place of its own ("the violence").
MIN_CONFIDENCE = 0.3
ARMED_NON_STATE = {"rebel_group"}  # a militia that polices a city (Tripoli's Radaa) does arrest
UNNAMED_WEIGHT = 0.5
UNNAMED_MIN_PROBABILITY = 0.5  # and only when the model is this sure of the type  # a brief's act that no trigger names: the model's type, the parse's arguments
DOC_TIMEOUT = 60.0  # seconds per document, annotation and extraction together
RETRY = 0.2  # seconds between alarms once a budget has run out
MAX_CHARS = 5_000_000  # longer texts are refused: split them (a 1 MB article takes seconds, not minutes)


class DocumentTimeout(BaseException):
    """A document ran over its time budget. A BaseException, like KeyboardInterrupt, so that no
    `except Exception` on the way (dateparser's guard in dates.py, say) can swallow it."""


@contextmanager
def deadline(seconds: float):
    """Raise DocumentTimeout in the block once `seconds` have passed (0: no budget), and again every
    RETRY seconds until the block is left: a raise that lands in a gc callback or a __del__ is
    swallowed by Python ("Exception ignored in ..."), so one alarm is not enough. Uses SIGALRM, so it
    acts only in a process's main thread on POSIX; elsewhere the block runs unbounded."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    state = {"armed": True}

    def expire(signum, frame):
        if state["armed"]:
            raise DocumentTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, RETRY)
    try:
        yield
    finally:
        try:
            state["armed"] = False  # from here on an alarm does nothing
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


class Pipeline:
    """The whole line for one document at a time.

    `doc_timeout` is each document's budget in seconds (annotation and extraction; 0: none): a
    document over it becomes a Failure and the batch goes on. Documents over `max_chars` are refused
    (a Failure), and documents in a language other than English are skipped (a Failure with
    kind "skipped"), their language stored.
    """

    def __init__(self, annotator: Optional[Annotator] = None, kb: Optional[ActorKB] = None,
                 gazetteer: Optional[Gazetteer] = None, background: bool = False,
                 min_confidence: float = MIN_CONFIDENCE, doc_timeout: float = DOC_TIMEOUT,
                 max_chars: int = MAX_CHARS, subtype_model: Union[SubtypeModel, None, str] = "default"):
        self.annotator = annotator or Annotator()
        self.kb = kb or ActorKB()
        self.gazetteer = gazetteer or Gazetteer()
        self.background = background
        self.min_confidence = min_confidence
        self.doc_timeout = doc_timeout
        self.max_chars = max_chars
        self.finder = TriggerFinder()
        self.subtype_model = SubtypeModel() if subtype_model == "default" else subtype_model

    @property
    def extraction(self) -> str:
        """What the records depend on besides the document: eventwire's version, its data files and
        the options that change records. The store re-extracts a document stored under another key."""
        from . import __version__, data

        model = "" if self.subtype_model is not None else "+rules"
        return f"{__version__}+{data.fingerprint()}+bg{int(self.background)}+mc{self.min_confidence:g}{model}"

    @cached_property
    def coder(self) -> CrowdCoder:
        return CrowdCoder(self.kb)

    @cached_property
    def actors(self) -> ActorCoder:
        return ActorCoder(self.kb, self.coder)

    @cached_property
    def typer(self) -> TypeCoder:
        return TypeCoder(self.subtype_model, self.coder)

    @cached_property
    def geoparser(self) -> Geoparser:
        return Geoparser(self.gazetteer)

    def load(self) -> "Pipeline":
        """Load every model and table now (before forking workers, or to time loading apart)."""
        self.annotator.nlp, self.kb._matcher, self.gazetteer._tables, self.finder.triggers, self.finder.cues
        self.coder.table.cues, self.actors.coups.cues
        if self.subtype_model is not None:  # the encoder and weights load before workers fork
            self.subtype_model.predict(["Gunmen attacked a village."], [None])
        language.identifier()
        return self

    def __call__(self, document: Document) -> list[Event]:
        return self.extract(document, self.annotator(document))

    def process(self, item: Item) -> tuple[Item, list[Event]]:
        """One item of a batch: (document, events), or (failure, []) and never an exception.
        The document comes back with its detected `language` set."""
        return self.process_batch([item])[0]

    def process_batch(self, items: list[Item]) -> list[tuple[Item, list[Event]]]:
        """`process` for each item, in order, with the short documents parsed by spaCy together
        (nlp.pipe is faster than one call per text). Each document keeps its own time budget for
        extraction; should the shared parse ever run over the sum of the budgets, every document
        is parsed again on its own, within its own budget."""
        out: list = [self._admit(item) for item in items]
        short = [i for i, (d, evs) in enumerate(out) if evs is None and len(d.text) <= self.annotator.chunk_chars]
        parsed: dict = {}
        if len(short) > 1:
            try:
                with deadline(self.doc_timeout * len(short)):
                    parsed = dict(zip(short, self.annotator.pipe([out[i][0] for i in short])))
            except (DocumentTimeout, Exception):  # each document is then parsed on its own
                parsed = {}
        for i, (document, events) in enumerate(out):
            if events is None:
                out[i] = self._extract(document, parsed.get(i))
        return out

    def _admit(self, item: Item) -> tuple[Item, Optional[list]]:
        """(document, None) for a document to extract; (failure, []) for one that is done: a Failure
        already, over the length limit, or in a language eventwire does not read."""
        if isinstance(item, Failure):
            return item, []
        where = dict(input=item.input or item.doc_id, doc_id=item.doc_id)
        if len(item.text) > self.max_chars:
            return Failure(**where, reason=f"the text has {len(item.text):,} characters, over the limit of "
                                           f"{self.max_chars:,}; split it into smaller documents"), []
        try:
            if item.language is None:
                item = item.model_copy(update={"language": language.detect(item.text)})
        except Exception as exc:
            return Failure(**where, reason=f"language identification failed ({type(exc).__name__}: {exc})"), []
        if not language.supported(item.language):
            return Failure(**where, kind="skipped",
                           reason=f"language {item.language!r} is not supported (eventwire reads English only); "
                                  "translate it, or set 'language': 'en' if this is wrong"), []
        return item, None

    def _extract(self, document: Document, sdoc=None) -> tuple[Item, list[Event]]:
        """Annotate (unless `sdoc` is given) and extract one document within its time budget."""
        where = dict(input=document.input or document.doc_id, doc_id=document.doc_id)
        try:
            with deadline(self.doc_timeout):
                return document, self.extract(document, sdoc if sdoc is not None else self.annotator(document))
        except DocumentTimeout:
            return Failure(**where, reason=f"extraction took longer than the {self.doc_timeout:g} s budget "
                                           "per document; raise it with --doc-timeout, or split the document"), []
        except Exception as exc:  # one bad document must not stop the batch
            return Failure(**where, reason=f"extraction failed ({type(exc).__name__}: {exc})"), []

    def pipe(self, items: Iterable[Item], workers: int = 1) -> Iterator[tuple[Item, list[Event]]]:
        """(item, events) for every item, in input order; Failures pass through with no events."""
        if workers > 1:
            yield from _parallel(self, items, workers)
            return
        for batch in batches(items, self.annotator.batch_size):
            yield from self.process_batch(batch)

    def places(self, document: Document) -> dict:
        """Every literal place name of a document with its resolution, as `eventwire places` writes it:
        {"doc_id", "places": [{"start", "end", "text", "name", "lat", "lon", "country", "admin1",
        "geonameid", "feature", "geo_precision"}]}, offsets into the document's text. Names standing
        for actors ("Hezbollah", "Moscow said") are left out."""
        sdoc = self.annotator(document)
        out = []
        for t in self.geoparser(sdoc, self.kb.find(sdoc)):
            start, last = sdoc[t.start], sdoc[t.end - 1]
            t = replace(t, entry=t.named, named=None) if t.named else t  # "Lebanon", not "southern Lebanon"
            p = t.place()
            out.append({"start": start.idx, "end": last.idx + len(last), "text": document.text[start.idx: last.idx + len(last)],
                        "name": p.name, "lat": p.lat, "lon": p.lon, "country": p.country, "admin1": p.admin1,
                        "geonameid": p.geonameid, "feature": t.entry.kind, "geo_precision": p.geo_precision})
        return {"doc_id": document.doc_id, "places": out}

    def extract(self, document: Document, sdoc) -> list[Event]:
        hits = self.kb.find(sdoc)
        toponyms = self.geoparser(sdoc, hits)
        home = _home_country(hits, toponyms)
        hit_index, toponym_index = Index(hits), Index(toponyms)
        context = (hit_index, toponym_index, home)
        paragraph_starts = [0] + [m.end() for m in PARAGRAPH.finditer(document.text)]
        tracker = SourceTracker()
        mentions: list[Mention] = []
        paragraph = -1
        context_date = None
        for index, sent in enumerate(sdoc.sents):
            p = bisect_right(paragraph_starts, sent.start_char)
            if p != paragraph:
                paragraph, context_date = p, None
                tracker.new_paragraph()
            sources = tracker(sent)
            matches = self.finder(sent)
            if not matches:
                continue
            expressions = dates_.expressions(sent, document.date)
            counts = numbers.counts(sent)
            for m in matches:
                value = _event_date(m.token, expressions)
                explicit = value is not None
                if value is None:
                    value = _today(m.token, document.date) or context_date
                elif value.precision == "day":
                    context_date = value
                mention = self._mention(document, sdoc, sent, index, m, (value, explicit), context, counts, sources)
                mentions.append(_responder(mention, m.token, mentions))
        if not mentions and self.subtype_model is not None and is_brief(document):
            mentions = self._unnamed(document, sdoc, context, document.date)
        fallback = fallback_place(sdoc, toponyms, home, self.gazetteer)
        events = [self.coder(e, _sentences(sdoc, e), home) for e in merge(mentions, document, fallback)]
        events = self.typer(document, events, sdoc)
        brief = sdoc if is_brief(document) else None
        if brief is not None:
            events = brief_place(events, sdoc, toponyms)
        events = refine_places(events, sdoc, toponyms)
        events = [self.actors(e, _sentences(sdoc, e), home, hit_index, brief) for e in events]
        if brief is None:
            events = _updated_toll(events, sdoc)
        events = one_per_place(events)
        return [e for e in events if (self.background or not e.background) and e.confidence >= self.min_confidence]

    def _mention(self, document, sdoc, sent, index, m, date, context, counts, sources) -> Mention:
        """One mention: the trigger match `m` with its arguments (actors, place, numbers) and its date
        (value, whether the trigger's own clause gives it)."""
        hit_index, toponym_index, home = context
        value, explicit = date
        ptype = m.trigger.plover_type
        places = event_places(m.token, toponym_index, sent)
        here = places[0].entry.country if places else home
        t1, t2 = roles(m.token, m.is_verb)
        actor1 = self.kb.actor(np_span(t1), hit_index, ptype, here) if t1 is not None else None
        actor2 = self.kb.actor(np_span(t2), hit_index, ptype, here) if t2 is not None else None
        mode, etype, sub = self.finder.refine(sent, m)
        if ptype == "ASSAULT" and actor1 is not None and actor1.type in VICTIMS and mode in MOB_MODES \
                and t1 is not None and t1.tag_ == "NNS" and here:
            # "fellow students stoned and burned her to death": people who beat, stone or burn are a mob
            actor1 = self.kb.crowd("rioters", here, actor1.mention)
            etype, sub = "Riots", "Mob violence"
        if ptype in ("ASSAULT", "COERCE") and actor1 is not None and actor1.type in VICTIMS:
            actor1, actor2 = None, actor2 or actor1  # victims are never the side that struck
        if ptype == "PROTEST" and actor1 is None:
            actor1 = self.kb.actor(sdoc[m.token.i: m.token.i + 1], hit_index, ptype, here)
        if ptype == "COERCE" and mode == "seize" and sub is None and actor2 is not None and \
                actor2.type in ("person", "civilians", "media", "ngo", "protesters"):
            # "soldiers seized the mayor": people are taken, not goods; by their own state an arrest,
            # by anyone else an abduction
            if actor1 is not None and actor1.type == "state_forces" and actor1.country == here:
                mode, etype, sub = "arrest", "Strategic developments", "Arrests"
            else:
                ptype, mode, etype, sub = "ASSAULT", "abduct", "Violence against civilians", "Abduction/forced disappearance"
        if sub == "Arrests" and actor1 is not None and actor1.type in ARMED_NON_STATE:
            # ACLED: only a state arrests; "Amba fighters arrested a colonel's sister" is an abduction
            ptype, mode, etype, sub = "ASSAULT", "abduct", "Violence against civilians", "Abduction/forced disappearance"
        fatalities, injuries, quantity = counts.for_trigger(m.token)
        return Mention(
            plover_type=ptype, plover_mode=mode, acled_event_type=etype, acled_sub_event_type=sub,
            trigger=span(document, sdoc[m.start].idx, sdoc[m.end - 1].idx + len(sdoc[m.end - 1])),
            sentence=span(document, sent.start_char, sent.end_char), sentence_index=index,
            actor1=actor1, actor2=actor2,
            location=places[0].place() if places else None,
            other_locations=[t.place() for t in places[1:] if t.entry.kind in ("city", "extra")],
            event_date=value.date if value else None,
            date_precision=value.precision if value else "day", date_explicit=explicit,
            fatalities=fatalities if ptype == "ASSAULT" else None,
            injuries=injuries if ptype == "ASSAULT" else None,
            quantity=quantity or None, sources=sources, weight=m.trigger.weight,
        )

    def _unnamed(self, document, sdoc, context, today) -> list[Mention]:
        """A brief (one report of one incident) whose acts no trigger names ("air defences destroyed two
        missiles"): one mention on the main verb of its first sentence, typed by the model alone."""
        decision = self.subtype_model.predict([document.text], [None])[0]
        if decision.sub_event_type is None or decision.probability < UNNAMED_MIN_PROBABILITY:
            return []
        row = acled_types()[decision.sub_event_type]
        tracker = SourceTracker()
        for index, sent in enumerate(sdoc.sents):
            root = sent.root
            if root.pos_ not in ("VERB", "AUX"):
                continue
            trigger = Trigger((root.lemma_.lower(),), "V", row["plover_type"] or "MOBILIZE", row["plover_mode"],
                              decision.event_type, decision.sub_event_type, UNNAMED_WEIGHT)
            m = Match(root, root.i, root.i + 1, trigger)
            if not self.finder.reports_act(m):
                return []  # "militants often attack", "will meet", "did not fire": no act is reported
            value = _event_date(root, dates_.expressions(sent, today))
            return [self._mention(document, sdoc, sent, index, m, (value, value is not None), context, numbers.counts(sent), tracker(sent))]
        return []


def _responder(mention: Mention, token, earlier: list[Mention]) -> Mention:
    """A side that fought back, returned fire or retaliated did not start the fight: the armed side of
    the act just before (this sentence or the one before) is actor1, the responders actor2
    ("Mexican troops captured Guzman. Cartel gunmen fought back for hours")."""
    back = any(c.dep_ in ("prt", "advmod") and c.lower_ == "back" for c in token.children) or \
        token.lemma_.lower() in ("retaliate", "respond") or \
        (token.lemma_.lower() == "return" and any(c.lower_ == "fire" for c in token.children))
    if not back or mention.plover_type != "ASSAULT" or mention.actor1 is None or mention.actor2 is not None:
        return mention
    first = next((p.actor1 for p in reversed(earlier) if p.actor1 is not None and p.actor1.type in ARMED and
                  p.actor1.name != mention.actor1.name and mention.sentence_index - p.sentence_index <= 1), None)
    if first is None:
        return mention
    return mention.model_copy(update={"actor1": first, "actor2": mention.actor1})


def _sentences(sdoc, event: Event) -> list:
    """The spaCy spans of an event's evidence."""
    spans = (sdoc.char_span(s.start, s.end, alignment_mode="expand") for s in event.evidence)
    return [s for s in spans if s is not None]


def _today(trigger, published) -> Optional[dates_.DateValue]:
    """An undated act in the present tense ("residents accuse the army of...") happens as the report
    is written: it takes the publication date rather than the date of the sentence before."""
    if trigger.tag_ in ("VBP", "VBZ") and published is not None:
        return dates_.DateValue(date=published, precision="day")
    return None


def _event_date(trigger, expressions) -> Optional[dates_.DateValue]:
    """The date expression of the trigger's clause. A date of speaking ("announced on Friday that...")
    is only an upper bound, used when nothing else dates the act; a month or year elsewhere in the
    sentence does not date it."""
    best, best_rank = None, None
    for ent, value in expressions:
        gov = ent.root
        while gov.pos_ not in ("VERB", "AUX") and gov.head.i != gov.i:
            gov = gov.head
        tied = gov.i in (trigger.i, trigger.head.i) or trigger.head.i == gov.head.i
        speech = gov.lemma_.lower() in SPEECH and gov.i != trigger.i
        if not tied and (speech or value.precision != "day"):
            if not speech or value.precision != "day":
                continue
        rank = (2 if speech else 0 if tied else 1, abs(ent.start - trigger.i))
        if best_rank is None or rank < best_rank:
            best, best_rank = value, rank
    return best


def _updated_toll(events: list[Event], sdoc) -> list[Event]:
    """An article's later "the death toll rose to 44" is the toll of its deadliest event."""
    toll = numbers.toll_update(sdoc.sents)
    lethal = [e for e in events if e.plover_type == "ASSAULT" and e.fatalities]
    if toll is None or not lethal:
        return events
    main = max(lethal, key=lambda e: (e.fatalities, e.confidence))
    if toll <= main.fatalities:
        return events
    return [e.model_copy(update={"fatalities": toll}) if e.event_id == main.event_id else e for e in events]


def _home_country(hits, toponyms) -> Optional[str]:
    votes = Counter(t.entry.country for t in toponyms if t.entry.country)
    votes.update(h.entry.country for h in hits if h.entry.kind == "country")
    return votes.most_common(1)[0][0] if votes else None


# --- parallel extraction: fork after loading, so workers share the loaded models ---------------
_WORKER: Optional[Pipeline] = None
PARALLEL_BATCH = 8  # documents a worker parses together


def _one_blas_thread():
    """Each worker is one core's worth of work: numpy's BLAS (the classifier's encoder) must not start
    threads of its own in every worker, which halved throughput with two workers."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _work(batch: list[Item]):
    return _WORKER.process_batch(batch)


def _parallel(pipeline: Pipeline, items: Iterable[Item], workers: int):
    import multiprocessing as mp

    global _WORKER
    _WORKER = pipeline.load()
    ctx = mp.get_context("fork")
    with ctx.Pool(workers, initializer=_one_blas_thread) as pool:
        for done in pool.imap(_work, batches(items, PARALLEL_BATCH)):
            yield from done


def batches(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def default_workers() -> int:
    return os.cpu_count() or 1
