"""The KPI catalogue as frozen pydantic models: what `kpi_definitions.yaml` may say.

Every model forbids unknown fields, so a misspelt key is an error that names the
line, not a silently ignored setting.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

if TYPE_CHECKING:  # the tree's models build on these; only the type is needed here
    from queries.start_tree.models import StartTree

IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]*$"
QUALIFIED_NAME = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$"
KPI_ID = r"^[a-z][a-z0-9_]*$"
PAGE_PATH = r"^/[a-z0-9_/-]*$"

Identifier = Annotated[str, Field(pattern=IDENTIFIER)]


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Grain(StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.value]


class Format(StrEnum):
    number = "number"
    percent = "percent"
    kr = "kr"
    days = "days"


class Direction(StrEnum):
    higher_is_better = "higher_is_better"
    lower_is_better = "lower_is_better"


class MeasureType(StrEnum):
    count = "count"
    count_distinct = "count_distinct"
    sum = "sum"
    avg = "avg"
    ratio = "ratio"


class Operator(StrEnum):
    eq = "="
    ne = "!="
    lt = "<"
    le = "<="
    gt = ">"
    ge = ">="
    in_ = "in"
    not_in = "not_in"
    is_null = "is_null"
    not_null = "not_null"


Scalar = str | int | float | bool


class Filter(Frozen):
    """A structured condition (portable, readable back as Danish), or raw SQL as an escape hatch."""

    column: Identifier | None = None
    op: Operator = Operator.eq
    value: Scalar | list[Scalar] | None = None
    sql: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _check_shape(self) -> Filter:
        if self.sql is not None:
            if self.column is not None or self.value is not None:
                raise ValueError(
                    "a filter is either 'sql' alone or 'column'/'op'/'value', not both"
                )
            return self
        if self.column is None:
            raise ValueError("a filter needs 'column' (or 'sql' for a raw SQL condition)")
        if self.op in (Operator.is_null, Operator.not_null):
            if self.value is not None:
                raise ValueError(f"operator '{self.op.value}' takes no 'value'")
        elif self.op in (Operator.in_, Operator.not_in):
            if not isinstance(self.value, list) or not self.value:
                raise ValueError(f"operator '{self.op.value}' needs 'value' as a non-empty list")
        elif self.value is None or isinstance(self.value, list):
            raise ValueError(f"operator '{self.op.value}' needs a single 'value'")
        return self


class Aggregate(Frozen):
    """One aggregation over the source rows; a ratio has two of these."""

    type: Literal["count", "count_distinct", "sum"]
    column: Identifier | None = None
    filters: tuple[Filter, ...] = ()

    @model_validator(mode="after")
    def _column_needed(self) -> Aggregate:
        if self.type != "count" and self.column is None:
            raise ValueError(f"measure type '{self.type}' needs 'column'")
        return self


class Measure(Frozen):
    type: MeasureType
    column: Identifier | None = None
    filters: tuple[Filter, ...] = ()
    numerator: Aggregate | None = None
    denominator: Aggregate | None = None
    # Monthly status facts (one row per citizen per month) must not be summed across
    # the months of a quarter or year: the figure is the average month.
    monthly_average: bool = False

    @model_validator(mode="after")
    def _shape(self) -> Measure:
        if self.type is MeasureType.ratio:
            if self.numerator is None or self.denominator is None:
                raise ValueError("measure type 'ratio' needs 'numerator' and 'denominator'")
            if self.column is not None or self.filters:
                raise ValueError(
                    "a ratio takes 'column' and 'filters' inside 'numerator'/'denominator'"
                )
            if self.monthly_average:
                raise ValueError("'monthly_average' does not apply to a ratio")
            return self
        if self.numerator is not None or self.denominator is not None:
            raise ValueError("'numerator'/'denominator' belong to measure type 'ratio' only")
        if self.type is not MeasureType.count and self.column is None:
            raise ValueError(f"measure type '{self.type.value}' needs 'column'")
        if self.monthly_average and self.type is not MeasureType.sum:
            raise ValueError("'monthly_average' applies to measure type 'sum' only")
        return self


class Target(Frozen):
    default: float | None = None
    tolerance: float = Field(default=0.0, ge=0)
    units: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _something(self) -> Target:
        if self.default is None and not self.units:
            raise ValueError("a target needs 'default' or 'units'")
        return self


class TimeSpec(Frozen):
    column: Identifier
    grain: Grain = Grain.month


class ListColumn(Frozen):
    column: Identifier
    label: str | None = None
    # Which relation the column comes from: the KPI's source ("fact"), the citizen
    # dimension ("citizen") or the organisation dimension ("org", e.g. the unit's name).
    table: Literal["fact", "citizen", "org"] = "fact"


class ListSpec(Frozen):
    columns: tuple[ListColumn, ...] = Field(min_length=1)
    noun: tuple[str, str] = ("række", "rækker")  # singular, plural
    # The switch that narrows a ratio's list to its numerator, when the label read back
    # from the numerator's filters is not plain enough (e.g. "Kun forløb over 22 uger").
    numerator_label: str | None = Field(default=None, min_length=3, max_length=60)

    @field_validator("columns", mode="before")
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        """Allow `- cpr` as shorthand for `- {column: cpr}`."""
        if isinstance(value, list):
            return [{"column": item} if isinstance(item, str) else item for item in value]
        return value


class SourceSql(Frozen):
    sql: str = Field(pattern=r"^[A-Za-z0-9_\-]+\.sql$")


class Kpi(Frozen):
    id: str = Field(pattern=KPI_ID, max_length=60)
    title: str = Field(min_length=3, max_length=120)
    description: str = Field(min_length=10)
    owner: str = Field(min_length=2)
    section: Identifier
    source: str | SourceSql
    time: TimeSpec
    org: Identifier
    citizen: Identifier | None = None
    filters: tuple[Filter, ...] = ()
    measure: Measure
    format: Format
    decimals: int | None = Field(default=None, ge=0, le=4)
    direction: Direction
    target: Target | None = None
    min_n: int = Field(default=5, ge=0)
    list: ListSpec | None = None
    legal_ref: str | None = None
    source_note: str | None = None
    sentence: str | None = None

    @field_validator("source", mode="before")
    @classmethod
    def _source_shape(cls, value: Any) -> Any:
        # One clear message instead of one per member of the union.
        if isinstance(value, str) and re.match(QUALIFIED_NAME, value):
            return value
        if isinstance(value, dict) and set(value) == {"sql"} and isinstance(value["sql"], str):
            if re.match(r"^[A-Za-z0-9_\-]+\.sql$", value["sql"]):
                return SourceSql(sql=value["sql"])
            raise ValueError(f"'{value['sql']}' is not a file name like 'my_source.sql'")
        raise ValueError(
            "must be a table or view name such as 'fact_sag' or 'dbo.fact_sag', "
            "or {sql: file.sql} naming a SELECT in queries/sql/"
        )

    @property
    def additive(self) -> bool:
        """Counts and sums grow with the unit; averages and ratios do not."""
        return self.measure.type in (MeasureType.count, MeasureType.count_distinct, MeasureType.sum)

    def target_for(self, ancestors_nearest_first: tuple[str, ...]) -> float | None:
        """The target of a unit (given with its ancestors, nearest first).

        An average or a ratio takes the nearest override up the tree (BFF's 60 days
        holds for every team in BFF); a count or a sum takes only its own, since a
        driftsområde's count target says nothing about each of its teams."""
        if self.target is None:
            return None
        chain = ancestors_nearest_first if not self.additive else ancestors_nearest_first[:1]
        for unit in chain:
            if unit in self.target.units:
                return self.target.units[unit]
        return self.target.default


class Section(Frozen):
    id: Identifier
    title: str = Field(min_length=2)
    # A section that is a page of the app rather than KPIs (Definitioner, Hjælp): the
    # menu links to this address on the app's own site.
    page: Annotated[str, Field(pattern=PAGE_PATH)] | None = None


class Area(Frozen):
    id: Identifier
    title: str = Field(min_length=2)
    sections: tuple[Section, ...] = Field(min_length=1)


class OrgDimension(Frozen):
    table: Annotated[str, Field(pattern=QUALIFIED_NAME)]
    id: Identifier
    parent: Identifier
    name: Identifier


class CitizenDimension(Frozen):
    table: Annotated[str, Field(pattern=QUALIFIED_NAME)]
    id: Identifier
    cpr: Identifier | None = None
    name: Identifier | None = None


class LoadLog(Frozen):
    table: Annotated[str, Field(pattern=QUALIFIED_NAME)]
    source: Identifier
    loaded_at: Identifier
    # Days between expected loads; a KPI page marks its data as possibly old after that.
    refresh_days: int = Field(default=7, ge=1, le=366)


SOURCE_NAME = r"^([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?|[A-Za-z0-9_\-]+\.sql)$"


class Source(Frozen):
    """One of the warehouse's sources as Data-landskabet shows it: who owns it and how
    often it is loaded. `source` is written as the KPIs write theirs (a table or view,
    or the SQL file's name)."""

    source: str = Field(pattern=SOURCE_NAME)
    title: str | None = Field(default=None, min_length=2)
    owner: str = Field(min_length=2)
    # Days between expected loads of this source; without it, load_log.refresh_days.
    refresh_days: int | None = Field(default=None, ge=1, le=366)
    description: str | None = None


class Warehouse(Frozen):
    org: OrgDimension
    citizen: CitizenDimension | None = None
    load_log: LoadLog | None = None
    sources: tuple[Source, ...] = ()

    def source(self, name: str) -> Source | None:
        return next((s for s in self.sources if s.source == name), None)

    def refresh_days(self, name: str) -> int:
        """Days between the expected loads of source `name` (its own, else the load log's)."""
        described = self.source(name)
        if described is not None and described.refresh_days is not None:
            return described.refresh_days
        return self.load_log.refresh_days if self.load_log else 7


class Catalogue(Frozen):
    version: Literal[1] = 1
    warehouse: Warehouse
    areas: tuple[Area, ...] = Field(min_length=1)
    kpis: tuple[Kpi, ...] = Field(min_length=1)
    # Start her's tree (queries/start_tree), read from start_her.yaml beside the file.
    _start_tree: Any = PrivateAttr(default=None)

    @property
    def start_tree(self) -> StartTree | None:
        """The validated Start her tree, or None when the catalogue has none beside it."""
        return self._start_tree

    def attach_start_tree(self, tree: StartTree | None) -> None:
        self._start_tree = tree

    def kpi(self, kpi_id: str) -> Kpi:
        for kpi in self.kpis:
            if kpi.id == kpi_id:
                return kpi
        raise KeyError(kpi_id)

    def section(self, section_id: str) -> tuple[Area, Section]:
        for area in self.areas:
            for section in area.sections:
                if section.id == section_id:
                    return area, section
        raise KeyError(section_id)

    def kpis_in(self, section_id: str) -> tuple[Kpi, ...]:
        return tuple(kpi for kpi in self.kpis if kpi.section == section_id)


def slug(text: str) -> str:
    """A URL-safe lower-case form of a title ("Unge og uddannelse" -> "unge-og-uddannelse")."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-")
