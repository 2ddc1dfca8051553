"""The organisation tree, read once from the warehouse's organisation dimension."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import sqlalchemy as sa

from queries.catalogue.models import Catalogue
from queries.compiler.relations import org_table


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    parent: str | None


@dataclass(frozen=True)
class OrgTree:
    units: dict[str, Unit]
    _children: dict[str | None, tuple[str, ...]] = field(repr=False)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str | None, str]]) -> OrgTree:
        units = {str(i): Unit(str(i), str(n), None if p is None else str(p)) for i, p, n in rows}
        children: dict[str | None, list[str]] = {}
        for unit in units.values():
            parent = unit.parent if unit.parent in units else None
            children.setdefault(parent, []).append(unit.id)
        return cls(units, {k: tuple(sorted(v)) for k, v in children.items()})

    @classmethod
    def read(cls, connection: sa.Connection, catalogue: Catalogue) -> OrgTree:
        org = catalogue.warehouse.org
        table = org_table(catalogue)
        query = sa.select(table.c[org.id], table.c[org.parent], table.c[org.name])
        return cls.from_rows(connection.execute(query).all())

    @property
    def roots(self) -> tuple[str, ...]:
        return self._children.get(None, ())

    @property
    def root(self) -> str:
        return self.roots[0]

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.units

    def name(self, unit_id: str) -> str:
        return self.units[unit_id].name

    @cached_property
    def _repeated_names(self) -> frozenset[str]:
        counts = Counter(unit.name for unit in self.units.values())
        return frozenset(name for name, count in counts.items() if count > 1)

    @cached_property
    def coded_closure(self) -> list[tuple[int, str]]:
        """(ancestor's position, descendant): `ancestor_positions` as pairs, for a statement
        that names each unit's ancestors by code (queries/compiler/citizen_sets.py)."""
        units, above, first, count = self.ancestor_positions
        return [
            (ancestor, unit)
            for i, unit in enumerate(units)
            for ancestor in above[first[i] : first[i] + count[i]].tolist()
        ]

    @cached_property
    def unit_positions(self) -> dict[str, int]:
        """{unit: its position in `ancestor_positions`' units}."""
        return {unit: i for i, unit in enumerate(self.ancestor_positions[0])}

    @cached_property
    def ancestor_positions(self) -> tuple:
        """The closure as arrays for adding figures up this tree in memory
        (`ancestors_by_unit` in queries/rollup.py), made once per tree: a target grid
        asks for it on every cold view."""
        from queries.rollup import ancestors_by_unit  # numpy only when figures are rolled up

        return ancestors_by_unit(self)

    def label(self, unit_id: str) -> str:
        """The unit's name, and when another unit of the tree has the same name, where it
        sits: the way down to it below the top ("Botilbud Nord (Bo- og Dagtilbud)" for the
        afdeling, "Botilbud Nord (Bo- og Dagtilbud › Botilbud Nord)" for its team)."""
        name = self.name(unit_id)
        if name not in self._repeated_names:
            return name
        above = self.path(unit_id)[:-1]
        way = above[1:] or above  # below the root; a unit just under it names the root
        return f"{name} ({' › '.join(self.name(u) for u in way)})" if way else name

    def parent(self, unit_id: str) -> str | None:
        parent = self.units[unit_id].parent
        return parent if parent in self.units else None

    def children(self, unit_id: str) -> tuple[str, ...]:
        return self._children.get(unit_id, ())

    def siblings(self, unit_id: str) -> tuple[str, ...]:
        parent = self.parent(unit_id)
        return self.children(parent) if parent else (unit_id,)

    def ancestors(self, unit_id: str) -> tuple[str, ...]:
        """The unit itself, then its parent, up to the root (nearest first)."""
        chain = [unit_id]
        while (parent := self.parent(chain[-1])) is not None and parent not in chain:
            chain.append(parent)
        return tuple(chain)

    def path(self, unit_id: str) -> tuple[str, ...]:
        """From the root down to the unit, for a breadcrumb."""
        return tuple(reversed(self.ancestors(unit_id)))

    def depth(self, unit_id: str) -> int:
        return len(self.ancestors(unit_id)) - 1

    def descendants(self, unit_id: str) -> tuple[str, ...]:
        """The unit and everything below it, depth first."""
        found, stack = [], [unit_id]
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(reversed(self.children(current)))
        return tuple(found)

    def walk(self) -> list[tuple[str, int]]:
        """Every unit with its depth, in tree order (for a picker)."""
        return [(u, self.depth(u)) for root in self.roots for u in self.descendants(root)]
