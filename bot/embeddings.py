"""Sentence embeddings for /pickif, when a model is installed: meaning, not only words.

A model is a folder in the layout of static embedding models (model2vec's): ``tokenizer.json``,
a Hugging Face tokenizers file, and ``model.safetensors``, one matrix with a vector per token.
A text's vector is the mean of its tokens' vectors, normalised: numpy does it in microseconds on
a CPU, with no server and no GPU. The matrix is memory-mapped, so only the rows of tokens in
use are read from disk. ``movienight model fetch`` downloads the default multilingual model;
MOVIENIGHT_MODEL points at another folder. numpy and tokenizers come with
``pip install "movienight[model]"``; without them, or without a model, search is lexical.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import struct
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.review import Review

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

TOKENIZER = "tokenizer.json"
WEIGHTS = "model.safetensors"
MODEL_FILES = (TOKENIZER, WEIGHTS)
DEFAULT_SOURCE = "https://huggingface.co/minishlab/potion-multilingual-128M/resolve/main/"
"""model2vec's multilingual static model (101 languages, 256 dimensions, about 500 MB)."""
_DTYPES = {"F32": "<f4", "F16": "<f2"}


class ModelError(Exception):
    """The folder holds no usable model; the message says what is missing."""


class Model:
    """A static embedding model: a tokenizer and a vector per token."""

    def __init__(self, folder: Path) -> None:
        try:
            import numpy as np
            from tokenizers import Tokenizer
        except ImportError as error:
            raise ModelError(
                f"{error.name} is not installed: pip install 'movienight[model]'"
            ) from None
        self._np = np
        tokenizer, weights = folder / TOKENIZER, folder / WEIGHTS
        for path in (tokenizer, weights):
            if not path.is_file():
                raise ModelError(f"{path} is missing")
        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        self._vectors = _matrix(weights)
        digest = hashlib.blake2b(digest_size=6)
        digest.update(f"{weights.stat().st_size}:{self._vectors.shape}".encode())
        digest.update(weights.read_bytes()[:65536])
        self.name = f"{folder.name}-{digest.hexdigest()}"
        """Tells models apart in the store: vectors of another model are made again."""

    @property
    def dimensions(self) -> int:
        return int(self._vectors.shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One normalised float32 vector a text (zeros for a text without known tokens)."""
        np = self._np
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, encoding in enumerate(
            self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        ):
            ids = [i for i in encoding.ids if i < len(self._vectors)]
            if ids:
                out[row] = self._vectors[ids].astype(np.float32).mean(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    def pooled(self, vectors: Sequence[np.ndarray]) -> np.ndarray:
        """One normalised vector for a review from its sections' vectors: their mean, so a long
        synopsis counts as one section, not as most of the words."""
        np = self._np
        vector = np.mean(vectors, axis=0)
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector


def _matrix(path: Path) -> Any:
    """The one 2-D tensor of a safetensors file, memory-mapped (the format: an 8-byte little-
    endian header length, a JSON header naming each tensor's dtype, shape and byte range, the
    data)."""
    import numpy as np

    with path.open("rb") as file:
        (length,) = struct.unpack("<Q", file.read(8))
        header = json.loads(file.read(length))
    tensors = [value for key, value in header.items() if key != "__metadata__"]
    matrices = [t for t in tensors if len(t["shape"]) == 2 and t["dtype"] in _DTYPES]
    if len(matrices) != 1:
        raise ModelError(f"{path} should hold one F32 or F16 matrix, not {len(tensors)} tensors")
    tensor = matrices[0]
    start, end = tensor["data_offsets"]
    rows, columns = tensor["shape"]
    dtype = np.dtype(_DTYPES[tensor["dtype"]])
    if end - start != rows * columns * dtype.itemsize:
        raise ModelError(f"{path} is truncated or not a safetensors file")
    return np.memmap(path, dtype=dtype, mode="r", offset=8 + length + start, shape=(rows, columns))


def open_model(folder: Path | None) -> Model | None:
    """The model in ``folder``, or None (said once in the log): search is then lexical."""
    if folder is None or not folder.exists():
        log.info(
            "No sentence-embedding model%s: /pickif matches words only "
            "(movienight model fetch installs one)",
            f" at {folder}" if folder else "",
        )
        return None
    try:
        model = Model(folder)
    except ModelError as error:
        log.warning(
            "The model at %s cannot be used (%s): /pickif matches words only", folder, error
        )
        return None
    log.info("/pickif matches meaning with the model %s", model.name)
    return model


def review_sections(review: Review) -> list[str]:
    """What a review's vector is made of: each reason, the theme, the synopsis and tagline."""
    reasons = [f"{reason.headline}: {reason.detail or ''}" for reason in review.pick_if]
    return [
        *reasons,
        *(part for part in (review.really_about, review.synopsis, review.tagline) if part),
    ]


def review_vectors(model: Model) -> Callable[[Sequence[Review]], list[bytes]]:
    """What the store calls to embed reviews as it saves them: float16 bytes a review."""

    def embed(reviews: Sequence[Review]) -> list[bytes]:
        sections = [review_sections(review) for review in reviews]
        vectors = iter(model.embed([text for parts in sections for text in parts]))
        return [
            model.pooled([next(vectors) for _ in parts]).astype("<f2").tobytes()
            for parts in sections
        ]

    return embed


def fetch_model(source: str, folder: Path) -> None:
    """Download the model's files from ``source`` (a URL ending in ``/``) into ``folder``.

    Each file is written beside its final name and renamed when complete, so an interrupted
    fetch never leaves a half model that looks whole. Only this command downloads: the bot
    never does while it serves.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name in MODEL_FILES:
        partial = folder / f"{name}.part"
        with urllib.request.urlopen(source + name) as answer, partial.open("wb") as file:  # noqa: S310
            shutil.copyfileobj(answer, file, length=1 << 20)
        partial.replace(folder / name)
    Model(folder)  # a broken download says so now, not when the bot starts
