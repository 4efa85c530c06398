"""A typed view over a Faust table that stores pydantic models as JSON bytes.

The table (and its changelog) hold bytes; decoded models are cached per key and reused while
the stored bytes are the very same object, so a steady stream does not re-parse state.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Generic, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


class ModelTable(MutableMapping[str, M], Generic[M]):
    def __init__(self, table: MutableMapping[str, bytes], model: type[M]) -> None:
        self._table = table
        self._model = model
        self._decoded: dict[str, tuple[bytes, M]] = {}

    def __getitem__(self, key: str) -> M:
        raw = self._table[key]
        cached = self._decoded.get(key)
        if cached is not None and cached[0] is raw:
            return cached[1]
        value = self._model.model_validate_json(raw)
        self._decoded[key] = (raw, value)
        return value

    def __setitem__(self, key: str, value: M) -> None:
        raw = value.model_dump_json().encode()
        self._table[key] = raw
        self._decoded[key] = (raw, value)

    def __delitem__(self, key: str) -> None:
        self._decoded.pop(key, None)
        del self._table[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def __contains__(self, key: object) -> bool:
        return key in self._table
