"""Whose rows a viewer may see: a set of organisational units, each with its descendants."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    units: frozenset[str] = frozenset()
    all_units: bool = False

    @classmethod
    def everything(cls) -> Scope:
        return cls(all_units=True)

    @classmethod
    def of(cls, *units: str) -> Scope:
        return cls(units=frozenset(units))

    @property
    def key(self) -> str:
        """A stable string for cache keys."""
        return "*" if self.all_units else ",".join(sorted(self.units))
