"""Stage two of Start her's validation: rules across steps and against the catalogue.

Every id a choice names must exist (steps, KPIs), every step must be reachable from
`start`, no choice may lead back into a loop, and no answer may lie more than
MAX_QUESTIONS questions from the start.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from queries.catalogue.models import Catalogue
from queries.catalogue.yaml_lines import Problem, locate
from queries.start_tree.models import MAX_QUESTIONS, StartTree


@dataclass(frozen=True)
class Parsed:
    file: str
    document: Any
    tree: StartTree

    def problem(self, loc: tuple[Any, ...], message: str) -> Problem:
        line, path = locate(self.document, loc)
        return Problem(self.file, line, path, message)


def _guess(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1)
    return f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known)}"


def unique_steps(parsed: Parsed, catalogue: Catalogue) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for index, step in enumerate(parsed.tree.steps):
        here = parsed.problem(("steps", index, "id"), "")
        if step.id in first:
            problems.append(
                parsed.problem(
                    ("steps", index, "id"),
                    f"'{step.id}' is already the id of a step on line {first[step.id]}",
                )
            )
        first.setdefault(step.id, here.line)
    return problems


def known_steps(parsed: Parsed, catalogue: Catalogue) -> list[Problem]:
    ids = [step.id for step in parsed.tree.steps]
    problems = []
    if parsed.tree.start not in ids:
        problems.append(
            parsed.problem(
                ("start",),
                f"unknown step '{parsed.tree.start}'; {_guess(parsed.tree.start, ids)}",
            )
        )
    for s, step in enumerate(parsed.tree.steps):
        for c, choice in enumerate(step.choices):
            if choice.next is not None and choice.next not in ids:
                problems.append(
                    parsed.problem(
                        ("steps", s, "choices", c, "next"),
                        f"unknown step '{choice.next}'; {_guess(choice.next, ids)}",
                    )
                )
    return problems


def known_kpis(parsed: Parsed, catalogue: Catalogue) -> list[Problem]:
    ids = [kpi.id for kpi in catalogue.kpis]
    return [
        parsed.problem(
            ("steps", s, "choices", c, "kpi"),
            f"unknown KPI '{choice.kpi}' (not in the catalogue); {_guess(choice.kpi, ids)}",
        )
        for s, step in enumerate(parsed.tree.steps)
        for c, choice in enumerate(step.choices)
        if choice.kpi is not None and choice.kpi not in ids
    ]


def way_through(parsed: Parsed, catalogue: Catalogue) -> list[Problem]:
    """Loops, steps too far from the start, and steps no way leads to."""
    tree = parsed.tree
    index = {step.id: i for i, step in enumerate(tree.steps)}
    if tree.start not in index:
        return []  # said by known_steps
    problems: list[Problem] = []
    deepest: dict[str, int] = {}  # step -> most questions on a way to it (itself included)

    def walk(step_id: str, trail: tuple[str, ...]) -> None:
        depth = len(trail) + 1
        if depth <= deepest.get(step_id, 0):
            return
        deepest[step_id] = depth
        s = index[step_id]
        for c, choice in enumerate(tree.steps[s].choices):
            if choice.next is None or choice.next not in index:
                continue
            if choice.next in (*trail, step_id):
                problems.append(
                    parsed.problem(
                        ("steps", s, "choices", c, "next"),
                        f"leads back to step '{choice.next}', a loop; every choice must lead "
                        "on to a new step or to an answer",
                    )
                )
                continue
            walk(choice.next, (*trail, step_id))

    walk(tree.start, ())
    for step_id, depth in deepest.items():
        if depth > MAX_QUESTIONS:
            problems.append(
                parsed.problem(
                    ("steps", index[step_id], "id"),
                    f"step '{step_id}' is question {depth} on the way from '{tree.start}'; "
                    f"a leader should reach an answer within {MAX_QUESTIONS} questions",
                )
            )
    for i, step in enumerate(tree.steps):
        if step.id not in deepest and index[step.id] == i:
            problems.append(
                parsed.problem(
                    ("steps", index[step.id], "id"),
                    f"step '{step.id}' cannot be reached: no choice leads to it from "
                    f"'{tree.start}'",
                )
            )
    return list(dict.fromkeys(problems))


RULES: tuple[Callable[[Parsed, Catalogue], list[Problem]], ...] = (
    unique_steps,
    known_steps,
    known_kpis,
    way_through,
)


def check_rules(parsed: Parsed, catalogue: Catalogue) -> list[Problem]:
    return [problem for rule in RULES for problem in rule(parsed, catalogue)]
