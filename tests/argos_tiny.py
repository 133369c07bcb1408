"""Build real Argos Translate packages with random weights, for tests and benchmarks.

The package is a genuine ``.argosmodel``: a zip holding one folder with ``metadata.json``,
a CTranslate2 Transformer under ``model/`` and a trained ``sentencepiece.model``. Its
translations are meaningless, but loading, tokenizing, batching and decoding are real.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_SUBJECTS = [
    "The president",
    "Russia's foreign minister",
    "The central bank",
    "Dr. Alice Moreau",
    "Mr. Peskov",
    "The Kremlin spokesman",
    "U.S. officials",
    "The European Commission",
    "Donald J. Trump",
    "Police in St. Petersburg",
    "The company",
    "Shareholders",
    "Rescue workers",
    "The prime minister",
    "Analysts at the bank",
    "Ms. Ortega",
]
_VERBS = [
    "said on Monday that",
    "told reporters that",
    "announced on Nov. 26 that",
    "warned that",
    "confirmed that",
    "denied reports that",
    "stressed that",
    "noted in a statement that",
]
_CLAUSES = [
    "the treaty would remain in force",
    "prices rose 3.5 percent in October",
    "talks would resume next week",
    "the deal was worth $1.2 billion",
    "shares of Apple (NASDAQ: AAPL) fell sharply",
    "the storm left 12,000 homes without power",
    "the ceasefire was holding in most regions",
    "inflation slowed for a third month",
    "the summit in Washington, D.C. was postponed",
    "more details are at https://example.org/news_2024",
    "the vote was scheduled for Dec. 8",
    "nobody was injured in the blast",
    "exports to China climbed 7 percent",
    "the ministry had received the letter",
]
_TAILS = ["", " according to officials", " in a televised address", " on Tuesday", " again"]


def news_sentences(n: int, seed: int = 7) -> list[str]:
    """``n`` varied wire-style English sentences, deterministic for a seed."""
    rng = random.Random(seed)
    out: list[str] = []
    for _ in range(n):
        out.append(
            f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_CLAUSES)}{rng.choice(_TAILS)}."
        )
    return out


def _pseudo_words(rng: random.Random, n: int) -> Iterator[str]:
    syll = ["ka", "lo", "mi", "tre", "vos", "an", "del", "ru", "pe", "sko", "ni", "ta", "bor"]
    for _ in range(n):
        yield "".join(rng.choice(syll) for _ in range(rng.randint(1, 4)))


@dataclass(frozen=True)
class ModelShape:
    """The size of the random Transformer."""

    encoder_layers: int = 2
    decoder_layers: int = 2
    d_model: int = 64
    ffn: int = 128
    heads: int = 4
    #: SentencePiece vocabulary trained on the generated text
    sp_vocab: int = 400
    #: model vocabulary: the SentencePiece pieces padded with unused entries up to this size
    model_vocab: int = 0
    quantization: str | None = None
    #: extra logit on </s> so random decoding stops after a news-like number of tokens
    eos_bias: float = 0.0


TINY = ModelShape()
#: the size of a typical published Argos model (about 90 MB at int8)
REALISTIC = ModelShape(6, 6, 512, 2048, 8, 8000, 32000, "int8", 0.0)


def _train_sentencepiece(workdir: Path, vocab_size: int, lines: int) -> Path:
    import sentencepiece as spm

    rng = random.Random(11)
    text = news_sentences(lines, seed=3)
    # pseudo-words widen the piece inventory so larger vocabularies can be trained
    words = list(_pseudo_words(rng, lines * 6))
    text += [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]
    text += ["@user_name john.doe@example.com $AAPL /TASS/ (Reuters) ... 1,000.5"]
    prefix = workdir / "sp"
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(text),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return prefix.with_suffix(".model")


def _build_model(out: Path, vocab: list[str], shape: ModelShape, seed: int) -> None:
    from ctranslate2 import specs

    spec = specs.TransformerSpec.from_config((shape.encoder_layers, shape.decoder_layers), shape.heads)
    rng = np.random.default_rng(seed)
    d, f, v = shape.d_model, shape.ffn, len(vocab)

    def rand(*dims: int) -> np.ndarray:
        return (rng.standard_normal(dims) * (1.0 / np.sqrt(dims[-1]))).astype(np.float32)

    def norm(ln: object) -> None:
        ln.gamma = np.ones(d, np.float32)  # type: ignore[attr-defined]
        ln.beta = np.zeros(d, np.float32)  # type: ignore[attr-defined]

    enc, dec = spec.encoder, spec.decoder
    enc.embeddings[0].weight = rand(v, d)
    dec.embeddings.weight = rand(v, d)
    dec.projection.weight = rand(v, d)
    bias = np.zeros(v, np.float32)
    bias[vocab.index("</s>")] = shape.eos_bias
    dec.projection.bias = bias
    norm(enc.layer_norm)
    norm(dec.layer_norm)
    for layer in enc.layer:
        norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = rand(3 * d, d)
        layer.self_attention.linear[1].weight = rand(d, d)
        norm(layer.ffn.layer_norm)
        layer.ffn.linear_0.weight = rand(f, d)
        layer.ffn.linear_1.weight = rand(d, f)
    for layer in dec.layer:
        norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = rand(3 * d, d)
        layer.self_attention.linear[1].weight = rand(d, d)
        norm(layer.attention.layer_norm)
        layer.attention.linear[0].weight = rand(d, d)
        layer.attention.linear[1].weight = rand(2 * d, d)
        layer.attention.linear[2].weight = rand(d, d)
        norm(layer.ffn.layer_norm)
        layer.ffn.linear_0.weight = rand(f, d)
        layer.ffn.linear_1.weight = rand(d, f)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.config.unk_token = "<unk>"
    spec.config.bos_token = "<s>"
    spec.config.eos_token = "</s>"
    spec.validate()
    if shape.quantization:
        spec.optimize(quantization=shape.quantization)
    out.mkdir(parents=True, exist_ok=True)
    spec.save(str(out))


def build_package(
    dest: Path,
    from_code: str = "en",
    to_code: str = "es",
    shape: ModelShape = TINY,
    package_version: str = "1.0",
    target_prefix: str = "",
    seed: int = 5,
) -> Path:
    """Build ``translate-<from>_<to>-<version>.argosmodel`` in ``dest`` and return its path."""
    import sentencepiece as spm

    dest.mkdir(parents=True, exist_ok=True)
    work = dest / f".build-{from_code}-{to_code}"
    work.mkdir(exist_ok=True)
    sp_model = _train_sentencepiece(work, shape.sp_vocab, lines=max(400, shape.sp_vocab // 4))
    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    vocab += [f"<pad_{i}>" for i in range(max(0, shape.model_vocab - len(vocab)))]
    if target_prefix and target_prefix not in vocab:
        vocab.append(target_prefix)
    _build_model(work / "model", vocab, shape, seed)
    folder = f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"
    metadata: dict[str, object] = {
        "package_version": package_version,
        "argos_version": "1.11.0",
        "from_code": from_code,
        "from_name": from_code,
        "to_code": to_code,
        "to_name": to_code,
        "type": "translate",
        "languages": [from_code, to_code],
    }
    if target_prefix:
        metadata["target_prefix"] = target_prefix
    out = dest / f"{folder}.argosmodel"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr(f"{folder}/metadata.json", json.dumps(metadata, indent=2))
        zf.write(sp_model, f"{folder}/sentencepiece.model")
        for f in sorted((work / "model").iterdir()):
            zf.write(f, f"{folder}/model/{f.name}")
    out.write_bytes(buf.getvalue())
    return out


def install_in_child(archive: Path, packages_dir: Path) -> None:
    """Install ``archive`` with ``syndicate models install`` in a child process.

    argostranslate's installer imports its translate module (torch, stanza, spaCy); a
    benchmark keeps those out of the process whose speed it measures.
    """
    subprocess.run(
        [sys.executable, "-m", "syndicate", "models", "install", str(archive),
         "--packages-dir", str(packages_dir)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
