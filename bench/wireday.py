"""Wire day benchmark: a fixed, seeded day of agency copy through the pipeline with two translate
workers, against raw CTranslate2 translating every delivered sentence without a cache.

The stream: --stories stories from several agencies, a third of them followed by one to three
write-thrus (each keeps 80% of the previous version's sentences and replaces the rest); one
paragraph in ten is drawn from a pool of 20 agency boilerplate paragraphs; each version is
translated into three languages (en->es, en->de, en->fr: real Argos packages of the size
bench/translate.py builds, random weights, end of sentence suppressed so every sentence decodes
the same number of tokens). Real Redis and real `syndicate worker` processes: one ingest, one
export and two translate workers of one process each, sharing the Redis sentence cache. The
stream is sent as fast as the pipeline takes it, except that a write-thru is held until its
previous version is delivered, as on the wire.

Counted: engine sentences, from the translate workers' metrics exporters (sentences by origin
"engine"); distinct new sentences, worked out here from the stream itself: the distinct
(protected source sentence, target) pairs, plus, for a sentence whose translation lost its
placeholders (a random model drops them; a real one mostly keeps them), the distinct text runs
the pipeline sends instead. Effective rate: the sentences of every delivered translation over
the wall time of the day. Baseline, same run, in this process: raw CTranslate2 on the same
model and settings translating a seeded sample of the delivered sentences (all of them would
take longer than the day), with as many inter threads as there are translate workers, in
chunks of 64 sentences.
Needs Redis (default redis://127.0.0.1:6379/7; keys under a fresh prefix, removed afterwards).
Run: .venv/bin/python bench/wireday.py [--stories 300] [--raw-sentences 600] [--redis URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import socket
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cluster

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

TARGETS = ("es", "de", "fr")
AGENCIES = ("ap.example", "reuters.example", "afp.example", "dpa.example", "efe.example")
CONFIG = """
translation:
  engine: argos
partners:
{partners}
"""
PARTNER = """  - id: desk-{lang}
    languages: [{lang}]
    formats: [newsmlg2]
    destinations: [{{type: directory, path: {out}/{lang}}}]
"""

_PLACES = ["Lisbon", "Warsaw", "Nairobi", "Lima", "Osaka", "Quebec", "Tunis", "Bergen", "Porto",
           "Valencia", "Krakow", "Accra", "Hanoi", "Cordoba", "Leipzig", "Turin", "Durban",
           "Manila", "Bogota", "Seville", "Lyon", "Gdansk", "Mombasa", "Sapporo"]
_WHO = ["The mayor of", "Police in", "Farmers near", "The port authority of", "Doctors in",
        "Teachers in", "Residents of", "The regional governor of", "Fire crews in",
        "Engineers in", "Union leaders in", "Shop owners in", "Officials in", "Students in"]
_VERBS = ["said on Monday that", "warned that", "confirmed that", "told reporters that",
          "denied that", "expected that", "announced that", "feared that", "insisted that"]
_WHAT = ["the bridge would stay closed until spring", "the harvest was smaller than last year",
         "the new tram line would open soon", "talks with the government had stalled",
         "the river had burst its banks overnight", "the strike would go ahead as planned",
         "the hospital needed more nurses", "the old market hall would be rebuilt",
         "fuel prices were hurting small firms", "the storm had damaged the main road",
         "the festival drew a record crowd", "the airport would add night flights",
         "the school roof had partly collapsed", "water supplies were running low",
         "the factory would cut its weekly shifts", "the ferry service was suspended",
         "the ruling party had lost its majority", "exports rose 7 percent in October",
         "the fire destroyed 40 homes", "the vote was set for Dec. 8"]
_HOW = ["", " after a long meeting", " in a brief statement", " despite the protests",
        " according to local media", " for the second time this year"]
_BOILER = ["is an independent news agency", "distributes news to subscribers worldwide",
           "does not endorse the views quoted here", "corrects its errors as soon as it can",
           "can be reached through its news desk", "licenses its photos separately",
           "publishes in several languages", "has bureaus in many capitals",
           "checks facts before publication", "welcomes tips from readers"]


@dataclass
class Version:
    agency: str
    guid: str
    version: int
    headline: str
    #: paragraphs, each a list of sentences
    paras: list[list[str]] = field(default_factory=list)

    def sentences(self) -> list[str]:
        return [self.headline, *(s for p in self.paras for s in p)]


class Stream:
    """The seeded stream: originals in order, each write-thru some stories after its previous
    version."""

    def __init__(self, stories: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seen: set[str] = set()
        self.boilerplate = [[f"{agency.split('.')[0].upper()} {b}.",
                             f"{agency.split('.')[0].upper()} {self.rng.choice(_BOILER)} "
                             f"in {self.rng.choice(_PLACES)}."]
                            for agency in AGENCIES for b in self.rng.sample(_BOILER, 4)]
        assert len(self.boilerplate) == 20
        self.events: list[Version] = []
        pending: list[tuple[int, Version, int]] = []  # (due position, version, write-thrus left)
        for i in range(stories):
            agency = AGENCIES[i % len(AGENCIES)]
            v = Version(agency, f"urn:newsml:{agency}:wireday:{i}", 1, self.sentence(headline=True),
                        [self.paragraph() for _ in range(self.rng.randint(2, 4))])
            self.events.append(v)
            if self.rng.random() < 1 / 3:
                pending.append((i + self.rng.randint(5, 40), v, self.rng.randint(1, 3)))
            due = sorted((p for p in pending if p[0] <= i), key=lambda p: p[0])
            pending = [p for p in pending if p[0] > i]
            for _, prev, left in due:
                nxt = self.write_thru(prev)
                self.events.append(nxt)
                if left > 1:
                    pending.append((i + self.rng.randint(5, 40), nxt, left - 1))
        while pending:  # the day's last write-thrus
            pending.sort(key=lambda p: p[0])
            _, prev, left = pending.pop(0)
            nxt = self.write_thru(prev)
            self.events.append(nxt)
            if left > 1:
                pending.append((10**9, nxt, left - 1))

    def sentence(self, headline: bool = False) -> str:
        while True:
            s = (f"{self.rng.choice(_WHO)} {self.rng.choice(_PLACES)} {self.rng.choice(_VERBS)} "
                 f"{self.rng.choice(_WHAT)}{self.rng.choice(_HOW)}")
            s = s if headline else s + "."
            if s not in self.seen:  # a new sentence is new: no accidental repeats
                self.seen.add(s)
                return s

    def paragraph(self) -> list[str]:
        if self.rng.random() < 0.1:
            return list(self.rng.choice(self.boilerplate))
        return [self.sentence() for _ in range(self.rng.randint(1, 2))]

    def write_thru(self, prev: Version) -> Version:
        """80% of the previous version's sentences kept (headline included), the rest new."""
        slots = [(-1, 0)] + [(p, k) for p, para in enumerate(prev.paras) for k in range(len(para))]
        changed = set(self.rng.sample(slots, len(slots) - round(0.8 * len(slots))))
        headline = self.sentence(headline=True) if (-1, 0) in changed else prev.headline
        paras = [[self.sentence() if (p, k) in changed else s for k, s in enumerate(para)]
                 for p, para in enumerate(prev.paras)]
        return Version(prev.agency, prev.guid, prev.version + 1, headline, paras)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def engine_sentences_served(port: int) -> float:
    """The sentences a worker's engines translated, from its metrics exporter."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    pattern = re.compile(r'^syndicate_translation_sentences_total\{[^}]*origin="engine"[^}]*\} (\S+)$',
                         re.M)
    return sum(float(v) for v in pattern.findall(text))


def chunks(seq: list[str], n: int) -> Iterator[list[str]]:
    for k in range(0, len(seq), n):
        yield seq[k : k + n]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stories", type=int, default=300)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--beam", type=int, default=1)
    ap.add_argument("--decode-tokens", type=int, default=24,
                    help="output tokens per sentence (a random model has no natural end)")
    ap.add_argument("--raw-sentences", type=int, default=600,
                    help="delivered sentences raw CTranslate2 translates for its rate")
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    args = ap.parse_args()
    t_start = time.perf_counter()

    import yaml

    import argos_tiny

    tmp = Path(tempfile.mkdtemp(prefix="syndicate-wireday-"))
    tag = f"wireday{uuid.uuid4().hex[:8]}"
    packages = tmp / "argos-packages"
    shape = argos_tiny.REALISTIC.__class__(**{**argos_tiny.REALISTIC.__dict__, "eos_bias": -50.0})
    for n, lang in enumerate(TARGETS):
        argos_tiny.install_in_child(
            argos_tiny.build_package(tmp / "argos-build", "en", lang, shape=shape, seed=5 + n),
            packages)
    argos = {"packages_dir": str(packages), "inter_threads": 1, "intra_threads": 1,
             "beam_size": args.beam, "max_decoding_length": args.decode_tokens}
    config = yaml.safe_load(CONFIG.format(partners="".join(
        PARTNER.format(lang=lang, out=tmp / "out") for lang in TARGETS)))
    config["translation"].update(prefer=["argos"], argos=argos, cache={"prefix": f"{tag}:mt:"})
    (tmp / "syndicate.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    cluster.use_redis(args.redis, tmp, tag, tmp / "syndicate.yaml")
    from syndicate import formats, tasks
    from syndicate.item import Block, NewsItem
    from syndicate.pipeline import OUTCOMES, IngestJob
    from syndicate.translate.argos import batch_size, load_model
    from syndicate.translate.cache import RedisCache, cache_key
    from syndicate.translate.config import ArgosSettings, TranslationSettings
    from syndicate.translate.engine import get_engine, plan_route
    from syndicate.translate.news import item_segments

    rt = tasks.runtime()
    store = rt.store
    dispatcher = tasks.CeleryDispatcher(store)
    render = formats.renderer("newsmlg2").render
    now = dt.datetime.now(dt.UTC)
    stream = Stream(args.stories, args.seed)

    def news_item(v: Version) -> NewsItem:
        return NewsItem(guid=v.guid, version=v.version, language="en", headline=v.headline,
                        provider=v.agency, created=now,
                        body=tuple(Block.para(" ".join(p)) for p in v.paras))

    items = [news_item(v) for v in stream.events]
    blobs = [store.put_blob(render(it)) for it in items]

    ports: list[int] = []
    roles = [("ingest", 4), ("export", 4), ("translate", 1), ("translate", 1)]
    workers = cluster.Workers(tmp, tag)
    redis_client = store.b.r  # type: ignore[attr-defined]
    try:
        for n, (role, concurrency) in enumerate(roles):
            port = free_port() if role == "translate" else 0
            if port:
                ports.append(port)
            workers.start(role, concurrency, f"{n}-{role}",
                          {"SYNDICATE_METRICS_PORT": str(port),
                           "SYNDICATE_METRICS_DIR": str(tmp / "metrics" / str(n))})
        workers.wait_ready()
        # warm up with a story outside the stream (its own sentences, its own cache prefix
        # would not matter: none of them is in the stream), so both workers load their models
        warm = f"warm{tag}"
        for k in range(6):
            w = Version("warm.example", f"urn:newsml:warm.example:{tag}:{k}", 1,
                        f"Warm-up story {k} for the translate workers",
                        [[f"This warm-up sentence number {k} loads the models."]])
            dispatcher.ingest(IngestJob("wireday", "", store.put_blob(render(news_item(w))),
                                        "warm.xml", warm))
        while store.batch_status(warm, ()).pending:
            time.sleep(0.05)
        engine0 = sum(engine_sentences_served(p) for p in ports)

        def cached_translations() -> int:
            return sum(1 for k in redis_client.scan_iter(match=f"{tag}:mt:*", count=1000)
                       if ":claim:" not in str(k))

        cached0 = cached_translations()
        store.reset_timings()

        batches: dict[tuple[str, int], str] = {}

        def send(v: Version, blob: str) -> None:
            batch = batches[(v.guid, v.version)] = uuid.uuid4().hex
            dispatcher.ingest(IngestJob("wireday", "", blob, f"{v.guid}-{v.version}.xml", batch))

        finished: set[str] = set()

        def ready(v: Version) -> bool:
            if v.version == 1:
                return True
            prev = batches.get((v.guid, v.version - 1))
            if prev is None:
                return False
            if prev not in finished and not store.batch_status(prev, ()).pending:
                finished.add(prev)
            return prev in finished

        # a write-thru goes out once its previous version is delivered, as on the wire; the
        # stories after it do not wait for it
        held: list[tuple[Version, str]] = []
        t0 = time.perf_counter()
        looked = 0.0
        for v, blob in zip(stream.events, blobs, strict=True):
            still = []
            if time.perf_counter() - looked < 0.2:
                still, held = held, []
            else:
                looked = time.perf_counter()
            for h in held:
                if ready(h[0]) and not any(o[0].guid == h[0].guid for o in still):
                    send(*h)
                else:
                    still.append(h)
            held = still
            if ready(v) and not any(h[0].guid == v.guid for h in held):
                send(v, blob)
            else:
                held.append((v, blob))
        while held:
            # not too often: the poller shares the cores with the workers
            time.sleep(0.2)
            still = []
            for h in held:
                if ready(h[0]) and not any(o[0].guid == h[0].guid and o[0].version < h[0].version
                                           for o in still):
                    send(*h)
                else:
                    still.append(h)
            held = still
        for batch in batches.values():
            while store.batch_status(batch, ()).pending:
                time.sleep(0.02)
        wall = time.perf_counter() - t0
        delivered = 0
        for batch in batches.values():
            st = store.batch_status(batch, OUTCOMES)
            if st.count("failed"):
                raise SystemExit(f"a delivery failed ({st.outcomes}); see {tmp}")
            delivered += st.count("delivered")
        if delivered != len(items) * len(TARGETS):
            raise SystemExit(f"{delivered} deliveries for {len(items) * len(TARGETS)}; see {tmp}")
        engine_n = round(sum(engine_sentences_served(p) for p in ports) - engine0)
        stages = {st: store.timing(st) for st in ("ingest", "translate", "deliver")}

        # what the stream needed: every delivered sentence, and the distinct ones per target
        settings = TranslationSettings.model_validate(
            {"prefer": ["argos"], "argos": argos, "cache": {"enabled": False}})
        cache = RedisCache(args.redis, f"{tag}:mt:")
        delivered_sentences: list[tuple[str, str]] = []
        distinct = 0
        distinct_new = 0
        for lang in TARGETS:
            hop = plan_route("en", lang, settings, "argos").hops[0]
            firsts = {}
            for it in items:
                for seg in item_segments(it, lang, engine="argos", settings=settings):
                    delivered_sentences.append((lang, seg.masked))
                    if seg.masked.strip():
                        firsts.setdefault(seg.masked, seg)
            needed = set(firsts)
            keys = [cache_key(hop.engine, hop.model_version, "en", lang, t) for t in firsts]
            for seg, value in zip(firsts.values(), cache.get_many(keys), strict=True):
                if value is None:
                    raise SystemExit(f"no cached translation of {seg.masked!r}; see {tmp}")
                if seg.restore(value) is None:  # its placeholders were lost: its text runs
                    needed.update(f for f in seg.fragments() if f.strip())
            distinct += len(firsts)
            distinct_new += len(needed)
        cached = cached_translations() - cached0
    finally:
        workers.stop()
        cluster.remove_keys(redis_client, tag)

    # raw CTranslate2: the same models and settings, as many threads as translate workers,
    # over a seeded sample of the delivered sentences (repeats included, as they were delivered)
    sample = random.Random(args.seed).sample(delivered_sentences,
                                             min(args.raw_sentences, len(delivered_sentences)))
    workers = sum(1 for r, _ in roles if r == "translate")
    raw_cfg = ArgosSettings.model_validate({**argos, "inter_threads": workers})
    engine = get_engine("argos", settings)
    models = {lang: load_model(engine.package("en", lang), raw_cfg)  # type: ignore[attr-defined]
              for lang in TARGETS}
    for model in models.values():  # warm-up
        model.translator.translate_batch(model.sp.encode(["Warm up."], out_type=str),
                                         beam_size=raw_cfg.beam_size)
    by_lang = {lang: [s for t, s in sample if t == lang] for lang in TARGETS}
    def raw_batch(model: Any, texts: list[str], cfg: Any) -> None:
        """One CTranslate2 call with the engine's settings, and nothing of syndicate around it."""
        tokens = model.sp.encode(texts, out_type=str)
        longest = max(len(t) for t in tokens)
        model.translator.translate_batch(
            tokens, beam_size=cfg.beam_size, max_batch_size=batch_size(len(tokens), cfg),
            batch_type=cfg.batch_type, length_penalty=cfg.length_penalty,
            max_decoding_length=min(2 * longest + 16, cfg.max_decoding_length),
            replace_unknowns=True)

    t0 = time.perf_counter()
    for lang, sentences in by_lang.items():
        model = models[lang]
        for chunk in chunks(sentences, 64):
            raw_batch(model, chunk, raw_cfg)
    raw = len(sample) / (time.perf_counter() - t0)
    # for reference: raw CTranslate2 the way a worker calls it, one story version per call on
    # one thread (what a pipeline without the cache would run per translate task)
    per_story = random.Random(args.seed).sample(
        [(lang, it) for it in items for lang in TARGETS], 100)
    one = ArgosSettings.model_validate(argos)
    story_models = {lang: load_model(engine.package("en", lang), one)  # type: ignore[attr-defined]
                    for lang in TARGETS}
    n_story = 0
    t0 = time.perf_counter()
    for lang, it in per_story:
        model = story_models[lang]
        texts = [s.masked for s in item_segments(it, lang, engine="argos", settings=settings)]
        raw_batch(model, texts, one)
        n_story += len(texts)
    raw_story = n_story / (time.perf_counter() - t0)

    versions = len(items)
    writethrus = sum(1 for v in stream.events if v.version > 1)
    effective = len(delivered_sentences) / wall
    print(f"stream: {args.stories} stories from {len(AGENCIES)} agencies, {writethrus} "
          f"write-thrus, {versions} versions x {len(TARGETS)} languages = {delivered} deliveries; "
          f"{len(delivered_sentences)} delivered sentences; model 6+6 layers d512 int8, beam "
          f"{args.beam}, {args.decode_tokens} tokens per sentence; {os.cpu_count()} cores")
    print(f"distinct (protected source sentence, target) pairs: {distinct}; with the text runs "
          f"of sentences whose placeholders the random model dropped: {distinct_new}; "
          f"translations the day added to the Redis cache: {cached}")
    print(f"pipeline: {wall:.1f} s for the day with 2 translate workers; raw ctranslate2: "
          f"{len(sample)} delivered sentences, {workers} inter threads, chunks of 64")
    print("stage time in the workers: " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items())
          + f" (wall {wall:.1f} s, 2 cores)")
    print(f"raw ctranslate2 one story version per call, one thread (as a worker calls it): "
          f"{raw_story:.2f} sent/s over {n_story} sentences")
    # every distinct new sentence must go through the engine (and does, exactly): at best at
    # raw CTranslate2's own rate per sentence, so the stream's repeats bound vs_raw
    print(f"ceiling: {len(delivered_sentences)} delivered sentences / {distinct_new} distinct "
          f"new = {len(delivered_sentences) / distinct_new:.2f}, the vs_raw of a pipeline whose "
          f"engine work cost no more per sentence than raw ctranslate2's; reached: "
          f"{effective / raw / (len(delivered_sentences) / distinct_new):.0%}")
    print(f"total bench time {time.perf_counter() - t_start:.0f} s")
    print(f"wireday: {engine_n} engine sentences for {distinct_new} distinct new; effective "
          f"{effective:.2f} sent/s; raw ctranslate2 {raw:.2f} sent/s; vs_raw: {effective / raw:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
