"""Start her's decision tree as frozen pydantic models: what `start_her.yaml` may say.

A step asks one question; each choice either leads to another step (`next`) or ends at
a place in the app: a KPI page (`kpi`, optionally with its benchmark mode) or one of
the app's pages (`page`). Unknown fields are errors that name the line.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from queries.catalogue.models import KPI_ID, Frozen, Identifier

# The pages a choice may end at: id -> (address, Danish name). The leadership method's
# pages (Spilleplade, Målkompas, Status-rapport, Start dialog) are addressed here
# whether or not this build serves them yet.
PAGES: dict[str, tuple[str, str]] = {
    "overblik": ("/", "Ledelsesoverblik"),
    "spilleplade": ("/spilleplade", "Spillepladen"),
    "maalkompas": ("/maalkompas", "Målkompasset"),
    "statusrapport": ("/statusrapport", "Status-rapporten"),
    "dialog": ("/dialog", "Start dialog med analytikerne"),
    "definitioner": ("/definitioner", "Definitioner"),
    "hjaelp": ("/hjaelp", "Hjælp"),
    "datalandskab": ("/datalandskab", "Data-landskabet"),
}
PageId = Literal[
    "overblik",
    "spilleplade",
    "maalkompas",
    "statusrapport",
    "dialog",
    "definitioner",
    "hjaelp",
    "datalandskab",
]
# The benchmark mode a KPI answer opens with (the `sammenlign` of the KPI page's address).
Compare = Literal["underenheder", "soeskende", "teams"]
MAX_QUESTIONS = 3  # a leader reaches an answer within three questions


class Choice(Frozen):
    label: str = Field(min_length=3, max_length=120)
    hint: str | None = Field(default=None, max_length=300)
    next: Identifier | None = None
    page: PageId | None = None
    kpi: str | None = Field(default=None, pattern=KPI_ID)
    sammenlign: Compare | None = None

    @model_validator(mode="after")
    def _one_destination(self) -> Choice:
        given = [name for name in ("next", "page", "kpi") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                "a choice leads to exactly one of 'next' (a step), 'page' or 'kpi'; "
                + (f"it has {' and '.join(given)}" if given else "it has none")
            )
        if self.sammenlign is not None and self.kpi is None:
            raise ValueError("'sammenlign' belongs to a choice that opens a 'kpi'")
        return self


class Step(Frozen):
    id: Identifier
    question: str = Field(min_length=3, max_length=160)
    help: str | None = Field(default=None, max_length=400)
    choices: tuple[Choice, ...] = Field(min_length=1, max_length=8)


class StartTree(Frozen):
    version: Literal[1] = 1
    intro: str | None = Field(default=None, max_length=400)
    start: Identifier
    steps: tuple[Step, ...] = Field(min_length=1)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def way_to(self, step_id: str) -> tuple[Step, ...]:
        """The steps from the start to `step_id` (the first way found), for a trail."""

        def search(step: Step, trail: tuple[Step, ...]) -> tuple[Step, ...] | None:
            trail = (*trail, step)
            if step.id == step_id:
                return trail
            for choice in step.choices:
                if choice.next and choice.next not in {s.id for s in trail}:
                    found = search(self.step(choice.next), trail)
                    if found:
                        return found
            return None

        return search(self.step(self.start), ()) or ()
