"""Process-local caches of pure results: the same inputs give the same answer.

For engine results that a page computes again on every request (SMAA with 2,000 weight samples
on the ranking page: issue 11). The key must hold every input of the computation, exactly (the
matrix's bytes, the weights or bounds, the method, the seed, ...), so an entry never needs
invalidating: changed data is a different key. Values must be immutable (the engines' frozen
result types with read-only arrays), since every request that hits shares the same object.
Each worker process has its own small LRU; nothing is shared between processes.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    """A thread-safe LRU of at most ``entries`` results; counts its hits and misses."""

    def __init__(self, name: str, *, entries: int = 64) -> None:
        self.name = name
        self.entries = entries
        self.hits = 0
        self.misses = 0
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The cached value of ``key``, else ``compute()`` (outside the lock), then kept."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                self.hits += 1
                return self._values[key]
            self.misses += 1
        value = compute()
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.entries:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._values)


def array_key(values: Any) -> tuple[tuple[int, ...], str, str]:
    """An exact, hashable key of a NumPy array: shape, dtype and a hash of its bytes."""
    import numpy as np

    array = np.ascontiguousarray(values)
    return array.shape, array.dtype.str, hashlib.sha256(array.tobytes()).hexdigest()
