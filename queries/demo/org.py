"""The organisation tree: MSB → six driftsområder → afdelinger → teams.

The driftsområder are fixed (their ids are part of the demo contract); how many
afdelinger and teams each has, and what they are called, is drawn from the seed.
Names are illustrative, not the real units'.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

ROOT_ID = "MSB"
ROOT_NAME = "MSB – Sociale Forhold og Beskæftigelse"

# id: (name, team name prefix, candidate afdeling names)
OMRAADER: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "JSY": (
        "Job og Sygedagpenge",
        "Team",
        (
            "Sygedagpenge Nord",
            "Sygedagpenge Syd",
            "Jobafklaring",
            "Dagpenge og Jobservice",
        ),
    ),
    "JUS": (
        "Job, Udsatte og Sundhed",
        "Indsatsteam",
        (
            "Kontanthjælp Øst",
            "Kontanthjælp Vest",
            "Integration",
            "Ressourceforløb og Sundhed",
        ),
    ),
    "BFF": (
        "Børn og Familier",
        "Familieteam",
        (
            "Familierådgivning Nord",
            "Familierådgivning Syd",
            "Familierådgivning Vest",
            "Børn med Handicap",
        ),
    ),
    "JVS": (
        "Voksne, Sagsbehandling og Handicap",
        "Myndighedsteam",
        (
            "Voksenrådgivning",
            "Handicap og Psykiatri",
            "Fleksjob og Ressourceforløb",
            "Socialpsykiatri",
        ),
    ),
    "UJU": (
        "Unge, Job og Uddannelse",
        "Ungeteam",
        (
            "Ungeindsats Nord",
            "Ungeindsats Syd",
            "Uddannelseshjælp",
            "Unge med Særlige Behov",
        ),
    ),
    "VJH": (
        "Bo- og Dagtilbud",
        "Botilbud",
        (
            "Botilbud Nord",
            "Botilbud Syd",
            "Dagtilbud og Beskæftigelse",
            "Akut- og Aflastning",
        ),
    ),
}

# Aarhus neighbourhoods; each område draws its team names from these without repeats.
# fmt: off
STEDER = (
    "Nord", "Syd", "Øst", "Vest", "Centrum", "Viby", "Tilst", "Lystrup", "Skejby", "Hasle",
    "Gellerup", "Tranbjerg", "Risskov", "Egå", "Beder", "Brabrand", "Højbjerg", "Åbyhøj", "Malling",
    "Harlev",
)
# fmt: on

# 2–4 children per unit, weighted towards more so the tree has about 100 units.
CHILD_COUNTS = np.array([2, 3, 4])
CHILD_WEIGHTS = np.array([0.10, 0.30, 0.60])


def build_org(rng: np.random.Generator) -> pd.DataFrame:
    """dim_org: one row per unit, parents before children, 90–110 units in all."""
    while True:  # redraw the rare tree that is much smaller or larger than intended
        rows = _draw_tree(rng)
        if 90 <= len(rows) <= 110:
            break
    frame = pd.DataFrame(rows, columns=["org_id", "parent_id", "org_navn", "niveau"])
    for text in ("org_id", "parent_id", "org_navn"):
        frame[text] = frame[text].astype("str")
    frame["niveau"] = frame["niveau"].astype(np.int32)
    return frame


def _draw_tree(rng: np.random.Generator) -> list[tuple[str, str | None, str, int]]:
    rows: list[tuple[str, str | None, str, int]] = [(ROOT_ID, None, ROOT_NAME, 0)]
    for omr_id, (omr_name, prefix, afd_names) in OMRAADER.items():
        rows.append((omr_id, ROOT_ID, omr_name, 1))
        n_afd = rng.choice(CHILD_COUNTS, p=CHILD_WEIGHTS)
        chosen = sorted(rng.choice(len(afd_names), size=n_afd, replace=False))
        team_counts = rng.choice(CHILD_COUNTS, size=n_afd, p=CHILD_WEIGHTS)
        places = iter(rng.permutation(STEDER))
        for a, (name_index, n_team) in enumerate(zip(chosen, team_counts, strict=True), 1):
            afd_id = f"{omr_id}-{a:02d}"
            rows.append((afd_id, omr_id, afd_names[name_index], 2))
            for t in range(1, n_team + 1):
                rows.append((f"{afd_id}-{t:02d}", afd_id, f"{prefix} {next(places)}", 3))
    return rows


@dataclass(frozen=True)
class Teams:
    """The leaves of the tree, in a fixed order; generators refer to them by position."""

    ids: np.ndarray
    afdeling: np.ndarray
    omraade: np.ndarray

    @classmethod
    def of(cls, org: pd.DataFrame) -> Teams:
        ids = np.sort(org.loc[org["niveau"] == 3, "org_id"].to_numpy(dtype=object))
        return cls(
            ids=ids,
            afdeling=np.array([i[:6] for i in ids], dtype=object),
            omraade=np.array([i[:3] for i in ids], dtype=object),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def of_omraade(self, *omraader: str) -> np.ndarray:
        """Positions of the teams in the given driftsområder."""
        return np.flatnonzero(np.isin(self.omraade, omraader))

    def effect(
        self, rng: np.random.Generator, sd_omraade: float, sd_afdeling: float, sd_team: float
    ) -> np.ndarray:
        """A persistent effect per team: the sum of its område's, afdeling's and own draws.

        Drawn once per use from the seed, so units differ at every level of the tree in
        the same direction year after year — which is what makes a benchmark readable.
        """
        effect = np.zeros(len(self))
        for labels, sd in (
            (self.omraade, sd_omraade),
            (self.afdeling, sd_afdeling),
            (self.ids, sd_team),
        ):
            unique, position = np.unique(labels, return_inverse=True)
            effect += rng.normal(0.0, sd, unique.size)[position]
        return effect


def pick_team(
    rng: np.random.Generator, candidates: np.ndarray, weights: np.ndarray, size: int
) -> np.ndarray:
    """Team positions drawn from `candidates` with probability proportional to `weights`."""
    cumulative = np.cumsum(weights[candidates])
    drawn = np.searchsorted(cumulative, rng.random(size) * cumulative[-1], side="right")
    return candidates[np.minimum(drawn, candidates.size - 1)]
