"""The benefits (ydelser) and which driftsområde handles them for which target group.

Numbers are rough 2022 levels for a large Danish municipality: monthly rates in kr. at
full time, typical spell lengths, yearly trends in inflow. They only need to be
plausible, and to differ enough that every KPI built on them has a story to tell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Program:
    ydelse: str
    omraade: str  # the driftsområde whose teams handle it
    group: str  # the citizens' target group: "ung" or "voksen"
    stock_share: float  # share of the group's benefit months on this program
    median_days: float  # median spell length
    sigma: float  # spread of log spell length
    rate_kr: float  # monthly cost at full time in the first year
    partial_share: float  # share of spells at part time (delvis raskmeldt, supplerende)
    inflow_trend: float  # yearly relative change in the number of new spells
    duration_trend: float  # yearly relative change in spell length (<= 0)
    season_amp: float  # strength of the yearly wave in inflow
    season_peak: float  # month of year (1–12) with the most new spells
    exit_positive: float = 0.0  # share of exits to job or education in the first year
    exit_education: float = 0.0  # share of those that are education
    rate_is_max: bool = False  # rate_kr is the legal maximum; most get less

    @property
    def mean_days(self) -> float:
        return self.median_days * float(np.exp(self.sigma**2 / 2))


# fmt: off
PROGRAMS: tuple[Program, ...] = (
    # Adults whose main problem is sickness or unemployment: JSY. Sickness peaks in winter.
    Program("sygedagpenge", "JSY", "voksen", 0.13, 75, 0.95, 19_000, 0.20, 0.04, -0.04,
            0.30, 12.0, 0.58, 0.03, rate_is_max=True),
    Program("dagpenge", "JSY", "voksen", 0.18, 120, 0.8, 19_350, 0.15, 0.06, 0.0,
            0.20, 1.0, 0.52, 0.06, rate_is_max=True),
    Program("jobafklaring", "JSY", "voksen", 0.05, 300, 0.6, 12_500, 0.05, -0.02, 0.0,
            0.05, 3.0, 0.22, 0.02),
    # Adults with problems besides unemployment: JUS.
    Program("kontanthjælp", "JUS", "voksen", 0.25, 240, 1.1, 12_000, 0.05, -0.05, 0.0,
            0.08, 1.0),
    Program("integrationsydelse", "JUS", "voksen", 0.08, 365, 0.8, 8_500, 0.05, -0.10, 0.0,
            0.10, 8.0),
    Program("ressourceforløb", "JUS", "voksen", 0.06, 540, 0.5, 13_000, 0.05, 0.03, 0.0,
            0.05, 9.0),
    # Case decisions for adults with reduced working capacity: JVS.
    Program("ressourceforløb", "JVS", "voksen", 0.06, 540, 0.5, 13_000, 0.05, 0.03, 0.0,
            0.05, 9.0),
    Program("fleksjob", "JVS", "voksen", 0.20, 900, 0.8, 9_500, 0.10, 0.05, 0.0,
            0.05, 3.0),
    # Young people 15–29: UJU. New spells peak after summer drop-outs.
    Program("uddannelseshjælp", "UJU", "ung", 0.78, 150, 1.0, 6_500, 0.05, -0.04, -0.03,
            0.25, 7.0, 0.48, 0.60),
    Program("kontanthjælp", "UJU", "ung", 0.12, 200, 1.0, 11_000, 0.05, -0.03, 0.0,
            0.08, 1.0, 0.32, 0.25),
    Program("integrationsydelse", "UJU", "ung", 0.05, 300, 0.8, 7_500, 0.05, -0.10, 0.0,
            0.10, 8.0, 0.36, 0.45),
    Program("ressourceforløb", "UJU", "ung", 0.05, 540, 0.5, 12_000, 0.05, 0.03, 0.0,
            0.05, 9.0, 0.15, 0.30),
)
# fmt: on

YDELSER: tuple[str, ...] = tuple(dict.fromkeys(p.ydelse for p in PROGRAMS))

# Share of a group's citizens on some benefit in an average month, tuned so the
# default warehouse holds about a million benefit months.
OCCUPANCY = {"voksen": 0.29, "ung": 0.25}

# Benefit rates follow the yearly satsregulering.
RATE_GROWTH = 0.03
