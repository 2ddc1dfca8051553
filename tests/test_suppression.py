"""The suppression decision on random trees and facts: no hidden figure can be derived by
subtracting shown figures along the tree or along time, and small figures are always hidden."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from queries.catalogue.models import Grain
from queries.cube_counts import cells_to_count, fill_counts, lower_bounds
from queries.orgtree import OrgTree
from queries.suppression import decide
from tests.attacker import derive, leaks, relations

MIN_N = 3
MONTHS = pd.date_range("2024-01-01", periods=18, freq="MS")


@st.composite
def trees_and_facts(draw) -> tuple[dict[str, str | None], pd.DataFrame]:
    parent_of: dict[str, str | None] = {"R": None}
    frontier = ["R"]
    for depth in range(draw(st.integers(1, 3))):
        below = []
        for unit in frontier:
            for i in range(draw(st.integers(0 if depth else 1, 4))):
                child = f"{unit}{i}"
                parent_of[child] = unit
                below.append(child)
        frontier = below or frontier
    units = sorted(parent_of)
    facts = draw(
        st.lists(
            st.tuples(
                st.sampled_from(units),
                st.integers(0, len(MONTHS) - 1),
                st.integers(0, 30),  # citizen
                st.integers(1, 9),  # an amount, for a sum measure
            ),
            min_size=1,
            max_size=220,
        )
    )
    rows = pd.DataFrame(facts, columns=["unit", "month", "citizen", "amount"])
    rows["month"] = MONTHS[rows["month"]]
    return parent_of, rows


def cubes_of(parent_of: dict[str, str | None], rows: pd.DataFrame) -> dict[Grain, pd.DataFrame]:
    """Count, sum and distinct citizens for every unit (with all below it) and period."""
    ancestors = {}
    for unit in parent_of:
        chain, current = [], unit
        while current is not None:
            chain.append(current)
            current = parent_of[current]
        ancestors[unit] = chain
    rolled = rows.assign(under=rows["unit"].map(ancestors)).explode("under")
    result = {}
    for grain, frequency in ((Grain.month, "M"), (Grain.quarter, "Q"), (Grain.year, "Y")):
        period = rolled["month"].dt.to_period(frequency).dt.start_time
        grouped = rolled.groupby(["under", period])
        cube = pd.DataFrame(
            {
                "numerator": grouped.size().astype(float),
                "amount": grouped["amount"].sum().astype(float),
                "n": grouped["citizen"].nunique().astype(float),
            }
        ).reset_index()
        result[grain] = cube.rename(columns={"under": "unit", "month": "period"})
    return result


def truth_of(cubes: dict[Grain, pd.DataFrame], column: str) -> dict:
    return {
        (grain.value, unit, pd.Timestamp(period)): value
        for grain, cube in cubes.items()
        for unit, period, value in zip(cube["unit"], cube["period"], cube[column], strict=True)
    }


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees_and_facts())
def test_no_hidden_cell_can_be_derived_along_tree_or_time(case):
    parent_of, rows = case
    tree = OrgTree.from_rows((u, p, u) for u, p in parent_of.items())
    cubes = cubes_of(parent_of, rows)
    decision = decide("k", cubes, tree, MIN_N)
    hidden = {(g.value, u, p) for g, u, p in decision.hidden}

    for column in ("numerator", "amount", "n"):  # count, sum and distinct citizens
        truth = truth_of(cubes, column)
        small = {cell for cell, n in truth_of(cubes, "n").items() if n < MIN_N}
        assert small <= hidden, "every figure with too few citizens is hidden"
        known = {cell: value for cell, value in truth.items() if cell not in hidden}
        found = derive(known, hidden, relations(truth, parent_of))
        assert not leaks(found, truth), f"{column}: {sorted(leaks(found, truth))[:5]}"


def test_one_hidden_child_takes_the_smallest_sibling_and_the_fixed_point_follows_time():
    """R has children A and B; A's March is small. Hiding it makes A's first quarter one
    month short, so another A month goes; R − B then reveals A in those months, so B's
    matching cells go too, and so on until every relation has none or two hidden."""
    parent_of = {"R": None, "A": "R", "B": "R"}
    facts = [("A", 0, c, 1) for c in range(6)] + [("A", 1, c, 1) for c in range(4, 13)]
    facts += [("A", 2, 1, 1), ("A", 2, 2, 1)]  # March: two citizens, below MIN_N
    facts += [("B", m, c, 1) for m in range(3) for c in range(20, 30)]
    rows = pd.DataFrame(facts, columns=["unit", "month", "citizen", "amount"])
    rows["month"] = MONTHS[rows["month"]]
    tree = OrgTree.from_rows((u, p, u) for u, p in parent_of.items())
    decision = decide("k", cubes_of(parent_of, rows), tree, MIN_N)
    march, january = pd.Timestamp("2024-03-01"), pd.Timestamp("2024-01-01")
    assert decision.primary == {(Grain.month, "A", march)}
    # January (6 citizens) is the smaller of A's other months; B's months follow along the tree
    assert decision.hides(Grain.month, "A", january)
    assert decision.hides(Grain.month, "B", march) and decision.hides(Grain.month, "B", january)
    assert not decision.hides(Grain.month, "A", "2024-02-01")
    assert not decision.hides(Grain.quarter, "A", january)  # the quarter itself stays shown
    # the same data again gives the same decision
    assert decide("k", cubes_of(parent_of, rows), tree, MIN_N) == decision

    # with primary suppression only, the quarter minus two shown months gives March away
    cubes = cubes_of(parent_of, rows)
    truth = truth_of(cubes, "numerator")
    for rule, leaked in ((False, {("month", "A", march): 2.0}), (True, {})):
        chosen = decide("k", cubes, tree, MIN_N, cross_view=rule)
        hidden = {(g.value, u, p) for g, u, p in chosen.hidden}
        known = {cell: value for cell, value in truth.items() if cell not in hidden}
        found = derive(known, hidden, relations(truth, parent_of))
        assert leaks(found, truth) == leaked


def test_no_citizens_or_min_n_zero_hides_nothing():
    parent_of = {"R": None, "A": "R"}
    rows = pd.DataFrame([("A", 0, 1, 1)], columns=["unit", "month", "citizen", "amount"])
    rows["month"] = MONTHS[rows["month"]]
    tree = OrgTree.from_rows((u, p, u) for u, p in parent_of.items())
    assert decide("k", cubes_of(parent_of, rows), tree, 0).hidden == frozenset()
    assert decide("k", cubes_of(parent_of, rows), tree, MIN_N).hidden  # one citizen: hidden


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees_and_facts())
def test_counting_only_where_needed_gives_the_same_decision(case):
    """queries/cube_counts.py: lower bounds from each unit's own rows, exact counts only
    below min_n, and the rest asked for by the rule itself: the same hidden cells as
    counting every cell, and never a count asked twice."""
    parent_of, rows = case
    tree = OrgTree.from_rows((u, p, u) for u, p in parent_of.items())
    cubes = cubes_of(parent_of, rows)
    full = decide("k", cubes, tree, MIN_N)
    truth = {(Grain(g), u, p): n for (g, u, p), n in truth_of(cubes, "n").items()}

    partial = {}
    for grain, cube in cubes.items():
        frequency = {Grain.month: "M", Grain.quarter: "Q", Grain.year: "Y"}[grain]
        own = (
            rows.assign(period=rows["month"].dt.to_period(frequency).dt.start_time)
            .groupby(["unit", "period"])["citizen"]
            .nunique()
            .reset_index(name="n")
        )
        bounds = lower_bounds(own, tree)
        for (unit, stamp), bound in bounds.items():  # a bound never exceeds the truth
            assert bound <= truth[(grain, unit, stamp)]
        wanted = cells_to_count(cube, grain, bounds, MIN_N)
        partial[grain] = fill_counts(cube, grain, {c: truth[c] for c in wanted})
    asked: list[set] = []

    def exact(cells):
        asked.append(set(cells))
        return {cell: truth[cell] for cell in cells}

    lazy = decide("k", partial, tree, MIN_N, exact=exact)
    assert lazy.hidden == full.hidden and lazy.primary == full.primary
    every = [cell for batch in asked for cell in batch]
    assert len(every) == len(set(every))
