"""dim_borger: synthetic citizens with Danish names and CPR numbers that cannot be real.

A CPR number's day is the real birth day plus 60 (days 61–91), the convention for
substitute numbers, so no generated number can ever belong to a living person.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from queries.demo.calendar import DAYS_PER_YEAR, Window

# fmt: off
FORNAVNE_K = (
    "Anne", "Mette", "Kirsten", "Hanne", "Camilla", "Louise", "Maria", "Sofie", "Emma", "Ida",
    "Freja", "Laura", "Julie", "Signe", "Line", "Nanna", "Amalie", "Clara", "Karen", "Susanne",
    "Fatima", "Amina", "Olga", "Maja", "Ella", "Alma", "Sara", "Helle", "Pernille", "Tina",
)
FORNAVNE_M = (
    "Peter", "Jens", "Lars", "Michael", "Henrik", "Thomas", "Søren", "Martin", "Jesper", "Niels",
    "Mads", "Rasmus", "Anders", "Christian", "Frederik", "Emil", "Lucas", "William", "Noah",
    "Oscar", "Mikkel", "Kasper", "Jonas", "Ahmed", "Ali", "Mohammad", "Oleksandr", "Bo", "Ole",
    "Carl",
)
EFTERNAVNE = (
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen",
    "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen",
    "Mikkelsen", "Lauridsen", "Kjær", "Bach", "Holm", "Dahl", "Lund", "Vestergaard", "Østergaard",
    "Ibsen", "Yilmaz", "Hussein", "Kowalski", "Ahmadi", "Friis", "Skov",
)
# fmt: on

# Age at the end of the window, as the driftsområder are organised: BFF serves children
# (0–14), UJU young people (15–29), the rest adults. Adults run to 71 so that the
# working-age population (under 67) is as large at the start of the window as at its end.
GROUPS = {  # name: (share of citizens, youngest age, age just too old)
    "barn": (0.20, 0, 15),
    "ung": (0.25, 15, 30),
    "voksen": (0.55, 30, 72),
}


@dataclass(frozen=True)
class Citizens:
    """The citizen frame plus what the fact generators need to pick plausible citizens."""

    frame: pd.DataFrame
    born: np.ndarray  # birth day number (window day numbers), indexed by borger_id - 1
    groups: dict[str, np.ndarray]  # group name -> its borger_ids
    by_birth: np.ndarray  # borger_id - 1, oldest first

    def born_of(self, borger_id: np.ndarray) -> np.ndarray:
        return self.born[np.asarray(borger_id) - 1]

    def pick(
        self,
        day: np.ndarray,
        rng: np.random.Generator,
        min_age: float = 0.0,
        max_age: float = 200.0,
    ) -> np.ndarray:
        """A random citizen aged at least min_age and under max_age on each day (0 if none).

        Ages are taken on the day of the event, so a child in a 2022 notification may be
        a young person by the end of the window, as it would in a real warehouse.
        """
        born = self.born[self.by_birth]
        day = np.asarray(day, dtype=np.int64)
        lo = np.searchsorted(born, day - int(max_age * DAYS_PER_YEAR), side="right")
        hi = np.searchsorted(born, day - int(min_age * DAYS_PER_YEAR), side="right")
        drawn = np.minimum(lo + (rng.random(day.size) * (hi - lo)).astype(np.int64), born.size - 1)
        return np.where(hi > lo, self.by_birth[drawn] + 1, 0)


def build_citizens(n: int, window: Window, rng: np.random.Generator) -> Citizens:
    group_of = rng.choice(len(GROUPS), size=n, p=[share for share, _, _ in GROUPS.values()])
    age_days = np.empty(n, dtype=np.int64)
    for g, (_, youngest, too_old) in enumerate(GROUPS.values()):
        members = group_of == g
        span = (too_old - youngest) * DAYS_PER_YEAR
        age_days[members] = youngest * DAYS_PER_YEAR + rng.random(members.sum()) * span
    born = window.cutoff - age_days
    female = rng.random(n) < 0.5
    borger_id = np.arange(1, n + 1, dtype=np.int32)
    frame = pd.DataFrame(
        {
            "borger_id": borger_id,
            "cpr": _cpr(window.dates(born), female, rng),
            "navn": _names(female, rng),
            "foedselsdato": window.dates(born),
            "koen": pd.array(np.where(female, "K", "M"), dtype="str"),
        }
    )
    groups = {name: borger_id[group_of == g] for g, name in enumerate(GROUPS)}
    return Citizens(frame=frame, born=born, groups=groups, by_birth=np.argsort(born, kind="stable"))


def _names(female: np.ndarray, rng: np.random.Generator) -> pd.Series:
    n = female.size
    first = np.where(
        female,
        np.array(FORNAVNE_K, dtype=object)[rng.integers(0, len(FORNAVNE_K), n)],
        np.array(FORNAVNE_M, dtype=object)[rng.integers(0, len(FORNAVNE_M), n)],
    )
    surnames = np.array(EFTERNAVNE, dtype=object)
    middle = surnames[rng.integers(0, surnames.size, n)]
    last = surnames[rng.integers(0, surnames.size, n)]
    # About one in five carries a middle name, as many Danes do.
    with_middle = (rng.random(n) < 0.2) & (middle != last)
    names = first + " " + np.where(with_middle, middle + " ", "") + last
    return pd.Series(names, dtype="str")


def _cpr(born: np.ndarray, female: np.ndarray, rng: np.random.Generator) -> pd.Series:
    """DDMMYY-XXXX with DD = birth day + 60 and the last digit even for women, odd for men."""
    stamp = pd.DatetimeIndex(born)
    front = (stamp.day + 60) * 10_000 + stamp.month * 100 + stamp.year % 100
    # Serial numbers unique within (birth date, sex): a random start, then counting up.
    keys = pd.DataFrame({"front": front, "female": female})
    rank = keys.groupby(["front", "female"]).cumcount().to_numpy()
    offset = (
        keys.assign(r=rng.integers(0, 5_000, female.size))
        .groupby(["front", "female"])["r"]
        .transform("first")
        .to_numpy()
    )
    serial = (offset + rank) % 5_000 * 2 + np.where(female, 0, 1)
    text = pd.Series(front).map("{:06d}".format) + "-" + pd.Series(serial).map("{:04d}".format)
    return text.astype("str")
