"""NumPy's global random generator, used safely by the libraries that need it.

Without numba, ``esda``'s conditional permutations seed and draw from NumPy's *global* generator, and
``mapclassify.NaturalBreaks`` draws from it with no ``random_state``. The app runs each browser session
in its own thread of one process: another session drawing at the same time changed the permutations,
so the same recipe gave 30 significant units on the page and 29 on the command line.

:func:`global_seed` holds one process-wide lock while the generator is seeded and used, then gives the
caller's state back: a seeded analysis gives the same numbers whatever runs beside it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import numpy as np

__all__ = ["global_seed"]

_LOCK = threading.RLock()


@contextlib.contextmanager
def global_seed(seed: int | None) -> Iterator[None]:
    """Run the block alone in the process with NumPy's global generator seeded with ``seed``.

    The caller's generator state is restored afterwards. Every use of the global generator in
    ``lillegeo`` goes through this block (esda's permutations, Fisher-Jenks sampling)."""
    with _LOCK:
        state = np.random.get_state()
        if seed is not None:
            np.random.seed(seed)
        try:
            yield
        finally:
            np.random.set_state(state)
