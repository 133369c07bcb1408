"""Translation benchmark: syndicate's Argos engine against raw CTranslate2 and argostranslate.

A realistic-size Argos package (6+6 layers, d512, FFN 2048, int8, 32k model vocabulary) with
random weights is built into a temp folder, so all three run the very same model:

  syndicate      ArgosEngine.translate_batch over every sentence of the corpus at once (what
                 translate_items sends in its first round), with the configured worker settings
  direct         ctranslate2 translate_batch over the same tokenized sentences, same settings:
                 the limit syndicate can reach (sharing a call's sentences out in batches
                 every decoding thread gets, as the engine does)
  argostranslate argostranslate.translate.translate() per article with its defaults (imports
                 torch; its sentence splitter needs a download, so it gets syndicate's splitter)

A random model has no natural sentence end (it stops at once or runs to the length limit), so
its end-of-sentence logit is suppressed and all three decode the same number of tokens per
sentence (--decode-tokens, about 1.2x the mean source length); argostranslate's translator is
wrapped only to pass that same limit.

Run: .venv/bin/python bench/translate.py [--sentences 320] [--argos-sentences 24] [--beam 4]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import argos_tiny  # noqa: E402
from syndicate.item import Block, NewsItem  # noqa: E402
from syndicate.translate import translate_items  # noqa: E402
from syndicate.translate.argos import ArgosEngine, batch_size, load_model  # noqa: E402
from syndicate.translate.config import ArgosSettings, CacheSettings, TranslationSettings  # noqa: E402
from syndicate.translate.news import engine_sentences  # noqa: E402
from syndicate.translate.segment import split_sentences  # noqa: E402


def make_articles(n_sentences: int, seed: int = 17) -> list[NewsItem]:
    """Wire-like articles of 4-8 sentences, two or three sentences per paragraph."""
    rng = random.Random(seed)
    pool = argos_tiny.news_sentences(n_sentences, seed=seed)
    items: list[NewsItem] = []
    i = 0
    while i < len(pool):
        k = rng.randint(4, 8)
        sents = pool[i : i + k]
        i += k
        paras = []
        j = 0
        while j < len(sents):
            step = rng.randint(2, 3)
            paras.append(Block.para(" ".join(sents[j : j + step])))
            j += step
        items.append(
            NewsItem(
                guid=f"urn:bench:{len(items)}",
                headline=f"Bench story {len(items)}",
                language="en",
                body=tuple(paras),
            )
        )
    return items


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sentences", type=int, default=320, help="corpus size for syndicate/direct")
    ap.add_argument(
        "--argos-sentences", type=int, default=24, help="corpus share for the slow argostranslate"
    )
    ap.add_argument("--beam", type=int, default=4)
    ap.add_argument(
        "--decode-tokens",
        type=int,
        default=48,
        help="output tokens per sentence, the same for all three (a random model has no "
        "natural sentence end: it stops at once or runs to the limit)",
    )
    ap.add_argument("--chunk", type=int, default=80, help="sentences per engine call (one batch each)")
    ap.add_argument("--full-path", action="store_true", help="also time translate_items end to end")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="syndicate-bench-mt-"))
    t0 = time.perf_counter()
    shape = argos_tiny.REALISTIC.__class__(**{**argos_tiny.REALISTIC.__dict__, "eos_bias": -50.0})
    archive = argos_tiny.build_package(tmp / "build", "en", "es", shape=shape)
    packages = tmp / "packages"
    # before anything imports argostranslate: it reads its folders once, on import
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(tmp / "argos-home" / var.lower())
    os.environ["ARGOS_PACKAGES_DIR"] = str(packages)
    argos_tiny.install_in_child(archive, packages)
    print(
        f"model: 6+6 layers, d512, FFN 2048, int8, {archive.stat().st_size / 1e6:.0f} MB; "
        f"SentencePiece vocab {shape.sp_vocab} trained on generated text, model vocab padded "
        f"to {shape.model_vocab} (a 32k SentencePiece vocab cannot be trained on the generated "
        f"text); built in {time.perf_counter() - t0:.0f} s"
    )

    settings = TranslationSettings(
        argos=ArgosSettings(
            packages_dir=packages, beam_size=args.beam, max_decoding_length=args.decode_tokens
        ),
        cache=CacheSettings(enabled=False),
    )
    cfg = settings.argos
    engine = ArgosEngine(cfg)
    engine.preload("en", "es")
    model = load_model(engine.package("en", "es"), cfg)

    items = make_articles(args.sentences)
    masked = engine_sentences(items, "es", engine="argos", settings=settings)
    print(
        f"corpus: {len(items)} articles, {len(masked)} distinct sentences "
        f"(headlines included); beam {cfg.beam_size}, inter_threads {cfg.inter_threads}, "
        f"intra_threads {cfg.intra_threads}, max_batch_size {cfg.max_batch_size} "
        f"{cfg.batch_type}, {cfg.compute_type}; cores shared with other work, figures are noisy"
    )
    engine.translate_batch(masked[:8], "en", "es")  # warm-up
    tokens_all = model.sp.encode(masked, out_type=str)
    longest = max(len(t) for t in tokens_all)
    assert min(2 * longest + 16, cfg.max_decoding_length) == args.decode_tokens

    def syndicate(chunk: list[str]) -> None:
        engine.translate_batch(chunk, "en", "es")

    def direct(chunk: list[str]) -> None:
        # the same work without syndicate around it: tokenize, one call, nothing else
        tokens = model.sp.encode(chunk, out_type=str)
        results = model.translator.translate_batch(
            tokens,
            beam_size=cfg.beam_size,
            max_batch_size=batch_size(len(tokens), cfg),
            batch_type=cfg.batch_type,
            length_penalty=cfg.length_penalty,
            max_decoding_length=args.decode_tokens,
            replace_unknowns=True,
        )
        out_lengths.extend(len(r.hypotheses[0]) for r in results)

    # Other work shares the cores, so the two are interleaved over large chunks (ABBA order)
    # rather than run one after the other: a burst of load then hits both alike.
    out_lengths: list[int] = []
    spent = {"syndicate": 0.0, "direct": 0.0}
    chunks = [masked[k : k + args.chunk] for k in range(0, len(masked), args.chunk)]
    for n, chunk in enumerate(chunks):
        order = (syndicate, direct) if n % 2 == 0 else (direct, syndicate)
        for fn in order:
            t0 = time.perf_counter()
            fn(chunk)
            spent[fn.__name__] += time.perf_counter() - t0
    a = len(masked) / spent["syndicate"]
    b = len(masked) / spent["direct"]
    src_len = sum(len(t) for t in tokens_all) / len(tokens_all)
    print(f"syndicate engine: {len(masked)} sentences in {spent['syndicate']:.1f} s = {a:.2f} sent/s")
    print(
        f"ctranslate2 direct: {len(masked)} sentences in {spent['direct']:.1f} s = {b:.2f} sent/s "
        f"(mean {src_len:.0f} tokens in, {sum(out_lengths) / len(out_lengths):.0f} out; "
        f"both in chunks of {args.chunk} sentences, interleaved)"
    )

    if args.full_path:
        t0 = time.perf_counter()
        translate_items(items, "es", engine="argos", settings=settings)
        t_full = time.perf_counter() - t0
        print(
            f"syndicate translate_items end to end: {len(masked) / t_full:.2f} sent/s (a random "
            "model drops placeholders, so sentences with numbers or URLs take a second round "
            "as text runs; real models mostly keep them)"
        )

    # argostranslate last: it imports torch, stanza and spaCy into this process
    argos_items = make_articles(args.argos_sentences, seed=23)
    t0 = time.perf_counter()
    import argostranslate.translate as at

    t_import = time.perf_counter() - t0

    class Splitter:
        """Offline sentence splitting for argostranslate (its own downloads a model)."""

        def __init__(self, pkg: object) -> None:
            pass

        def split_sentences(self, text: str) -> list[str]:
            return split_sentences(text) or [text]

    at.MiniSBDSentencizer = Splitter  # type: ignore[attr-defined,misc,assignment]
    at.StanzaSentencizer = Splitter  # type: ignore[attr-defined,misc,assignment]
    at.translate("Warm up the model.", "en", "es")

    class FixedLength:
        """argostranslate's translator, decoding as many tokens as the other two do."""

        def __init__(self, inner: object) -> None:
            self.inner = inner

        def translate_batch(self, *a: object, **kw: object) -> object:
            kw["max_decoding_length"] = args.decode_tokens
            return self.inner.translate_batch(*a, **kw)  # type: ignore[attr-defined]

    underlying = at.get_translation_from_codes("en", "es").underlying  # type: ignore[attr-defined]
    underlying.translator = FixedLength(underlying.translator)
    texts = ["\n\n".join([it.headline] + [b.text for b in it.body]) for it in argos_items]
    n_argos = sum(len(split_sentences(p)) for t in texts for p in t.split("\n\n"))
    t0 = time.perf_counter()
    for text in texts:
        at.translate(text, "en", "es")
    t_argos = time.perf_counter() - t0
    c = n_argos / t_argos
    print(
        f"argostranslate: {len(texts)} articles, {n_argos} sentences in {t_argos:.1f} s = "
        f"{c:.2f} sent/s (per article, its defaults; a smaller corpus because it is slow, "
        f"rate per sentence; its import took {t_import:.1f} s and loads torch)"
    )
    print(
        f"translate: syndicate {a:.2f} sent/s; ctranslate2 direct {b:.2f} sent/s; "
        f"argostranslate {c:.2f} sent/s; vs_direct: {a / b:.2f}; vs_argos: {a / c:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
