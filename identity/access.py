"""The access file (MSB_ACCESS_FILE): who may see which citizens, and why they may look.

Users and groups map to a role, units (each with its descendants; `*` for every unit)
and rights. Whoever the file does not name is signed in but sees no citizen data.
Loaded like the catalogue: every problem at once, each with file and line.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from identity.viewer import Viewer
from queries.catalogue.yaml_lines import Problem, load_with_lines, locate

Role = Literal["leder", "analytiker", "admin", "databeskyttelse"]
Right = Literal["list", "export", "unmask"]
ALL_UNITS = "*"


class Grant(BaseModel):
    """What one user or group may see."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    name: str | None = None
    role: Role
    units: tuple[str, ...] = ()
    rights: tuple[Right, ...] = ()
    persona: bool = False  # offered on the demo sign-in page
    description: str | None = None  # what the demo persona shows


class AccessFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    contact: str = Field(min_length=1)  # whom a viewer asks for access
    purposes: tuple[str, ...] = Field(min_length=1)
    users: tuple[Grant, ...] = ()
    groups: tuple[Grant, ...] = ()

    @property
    def personas(self) -> tuple[Grant, ...]:
        return tuple(user for user in self.users if user.persona)

    def user(self, user_id: str) -> Grant | None:
        return next((user for user in self.users if user.id == user_id), None)

    def viewer(self, user_id: str, name: str, groups: Iterable[str], demo: bool) -> Viewer:
        """The user's own entry if there is one, else every matching group together;
        nobody named gets no units and no rights (deny by default)."""
        groups = tuple(groups)
        own = self.user(user_id)
        grants = (own,) if own else tuple(g for g in self.groups if g.id in groups)
        units = {unit for grant in grants for unit in grant.units}
        return Viewer(
            user_id=user_id,
            name=(own.name if own and own.name else name) or user_id,
            role=grants[0].role if grants else "",
            units=frozenset(units - {ALL_UNITS}),
            all_units=ALL_UNITS in units,
            rights=frozenset(right for grant in grants for right in grant.rights),
            groups=groups,
            demo=demo,
        )


AccessProblem = Problem  # file:line: path: message, as the catalogue's problems read


class AccessFileError(Exception):
    """The access file cannot be used; the message lists every problem in Danish."""

    def __init__(self, problems: list[AccessProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line, p.path))
        lines = "\n".join(str(problem) for problem in self.problems)
        super().__init__(f"{len(self.problems)} fejl i adgangsfilen:\n{lines}")


MESSAGES = {
    "missing": "feltet mangler",
    "extra_forbidden": "ukendt felt; tilladte felter står i README (Sign-in and access)",
    "literal_error": "ugyldig værdi",
    "string_type": "skal være tekst",
    "bool_type": "skal være true eller false",
    "bool_parsing": "skal være true eller false",
    "tuple_type": "skal være en liste",
    "too_short": "må ikke være tom",
    "string_too_short": "må ikke være tom",
    "model_type": "skal være en mapping (navn: værdi)",
}


def _message(item: dict) -> str:
    text = MESSAGES.get(item["type"], item["msg"])
    if item["type"] == "literal_error":
        expected = str(item["ctx"]["expected"]).replace(" or ", " eller ")
        text += f" {item.get('input')!r}; vælg {expected}"
    return text


def load_access(path: Path, known_units: Iterable[str] | None) -> AccessFile:
    """Read and check the access file; raise AccessFileError listing every problem."""
    file = path.name
    try:
        document, duplicates = load_with_lines(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AccessFileError([AccessProblem(file, 0, "", f"kan ikke læses: {error}")]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problem = AccessProblem(file, line, "", f"YAML-syntaksfejl: {error}")
        raise AccessFileError([problem]) from None
    problems = [
        AccessProblem(file, d.line, d.path, f"står to gange (første gang linje {d.first_line})")
        for d in duplicates
    ]
    if not isinstance(document, dict):
        problems.append(AccessProblem(file, 1, "", "skal være en mapping med purposes og users"))
        raise AccessFileError(problems)
    if known_units is not None:  # None: the warehouse is away at start; checked by `check`
        problems += _unknown_units(document, file, set(known_units))
    try:
        access = AccessFile.model_validate(document)
    except ValidationError as error:
        for item in error.errors():
            line, where = locate(document, item["loc"])
            problems.append(AccessProblem(file, line, where, _message(item)))
        raise AccessFileError(problems) from None
    problems += _repeated_ids(access, document, file)
    if problems:
        raise AccessFileError(problems)
    return access


def _unknown_units(document: dict, file: str, known: set[str]) -> list:
    """Read from the document itself, so they are reported with the field errors."""
    found = []
    for section in ("users", "groups"):
        grants = document.get(section)
        for index, grant in enumerate(grants if isinstance(grants, list) else []):
            units = grant.get("units") if isinstance(grant, dict) else None
            for position, unit in enumerate(units if isinstance(units, list) else []):
                if isinstance(unit, str) and unit != ALL_UNITS and unit not in known:
                    line, where = locate(document, (section, index, "units", position))
                    message = f"enheden {unit!r} findes ikke i organisationen"
                    found.append(AccessProblem(file, line, where, message))
    return found


def _repeated_ids(access: AccessFile, document, file: str) -> list:
    found = []
    for section in ("users", "groups"):
        seen: set[str] = set()
        for index, grant in enumerate(getattr(access, section)):
            if grant.id in seen:
                line, where = locate(document, (section, index, "id"))
                found.append(AccessProblem(file, line, where, f"{grant.id!r} står to gange"))
            seen.add(grant.id)
    return found
