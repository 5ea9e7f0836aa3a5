"""The data model of CONTRACT.md section 1, declared once.

Every table is a :class:`TableSpec`: its key, its columns with their kind and
rules, its foreign keys and its date-order rules. The loader coerces and
validates against these declarations; the demo generator, the glossary and the
tests read them too, so a change here is a change of the public interface.

Examples
--------
>>> TABLES["opportunities"].key
('opportunity_id',)
>>> TABLES["leads"].field("mql_at").kind
'datetime'
>>> [fk.column for fk in TABLES["orders"].foreign_keys]
['account_id', 'opportunity_id']
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["EVENT_DATE_COLUMNS", "KINDS", "TABLES", "Field", "ForeignKey", "TableSpec"]

#: Column kinds and the pandas dtype each becomes.
KINDS = {
    "id": "string",  # keys and references: kept as text, "00123" stays "00123"
    "text": "string",
    "category": "category",  # grouping values and enumerations
    "datetime": "datetime64[ns]",
    "number": "Float64",
    "integer": "Int64",
    "boolean": "boolean",
}

#: The dates of events, per table (CONTRACT section 2): the latest of them is
#: the default as_of (events, not plans: no expected close, no quota period).
#: The first column is the date of the row itself: the as_of cut drops the
#: rows dated after as_of by it (leads and opportunities: created after it).
EVENT_DATE_COLUMNS = {
    "leads": ("created_at", "mql_at", "sql_at"),
    "opportunities": ("created_at", "closed_at"),
    "stage_history": ("entered_at",),
    "orders": ("date",),
    "spend": ("date",),
    "sales_costs": ("date",),
    "activities": ("date",),
    "nps": ("date",),
    "engagement": ("date",),
}


@dataclass(frozen=True)
class Field:
    """One column of a table.

    ``required`` means the column must be present; ``nullable`` whether a
    present column may have blank cells. ``minimum``/``maximum`` bound
    numbers (inclusive), ``positive`` demands > 0; ``allowed`` lists the permitted values;
    ``required_when`` names another column and the values of it under which
    this one must be filled (a won opportunity needs an amount).
    """

    name: str
    kind: str
    required: bool = False
    nullable: bool = True
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str, ...] | None = None
    required_when: tuple[str, tuple[str, ...]] | None = None
    positive: bool = False  # strictly > 0 (an exchange rate)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r} for column {self.name!r}")


@dataclass(frozen=True)
class ForeignKey:
    """``column`` of this table must name an existing ``table.target``."""

    column: str
    table: str
    target: str


@dataclass(frozen=True)
class TableSpec:
    """A table of the data model."""

    name: str
    key: tuple[str, ...]
    fields: tuple[Field, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    # (later, earlier): later >= earlier on the calendar when both are set
    date_order: tuple[tuple[str, str], ...] = ()
    # the same, broken routinely by real CRMs: a warning, the row is kept
    date_order_warnings: tuple[tuple[str, str], ...] = ()
    # the money column of the table (summed in data-quality notes, converted by currency)
    amount: str | None = None
    # False: rows repeating the key are a warning, not an error (stage_history)
    unique_key: bool = True
    _by_name: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {f.name: f for f in self.fields})

    def field(self, name: str) -> Field:
        """The :class:`Field` called ``name``."""
        return self._by_name[name]

    @property
    def columns(self) -> list[str]:
        """Every column name, required ones first."""
        return [f.name for f in self.fields]

    @property
    def required(self) -> list[str]:
        """Names of the columns a file must have."""
        return [f.name for f in self.fields if f.required]


def _req(name: str, kind: str, **rules) -> Field:
    """A required column whose cells must be filled."""
    return Field(name, kind, required=True, nullable=rules.pop("nullable", False), **rules)


def _opt(name: str, kind: str, **rules) -> Field:
    """An optional column."""
    return Field(name, kind, **rules)


_BANT = tuple(_opt(f"bant_{x}", "boolean") for x in ("budget", "authority", "need", "timeline"))

_SPECS = [
    TableSpec(
        "leads",
        key=("lead_id",),
        fields=(
            _req("lead_id", "id"),
            _req("created_at", "datetime"),
            # a blank channel is its own group, "(unknown)", not an error
            _req("channel", "category", nullable=True),
            _opt("campaign_id", "id"),
            _opt("segment", "category"),
            _opt("account_id", "id"),
            _opt("mql_at", "datetime"),
            _opt("sql_at", "datetime"),
            _opt("opportunity_id", "id"),
            _opt("score", "number", minimum=0, maximum=100),
            *_BANT,
            _opt("owner_rep_id", "id"),
        ),
        foreign_keys=(
            ForeignKey("campaign_id", "campaigns", "campaign_id"),
            ForeignKey("account_id", "accounts", "account_id"),
            ForeignKey("owner_rep_id", "reps", "rep_id"),
            ForeignKey("opportunity_id", "opportunities", "opportunity_id"),
        ),
        date_order=(("mql_at", "created_at"), ("sql_at", "mql_at")),
    ),
    TableSpec(
        "opportunities",
        key=("opportunity_id",),
        fields=(
            _req("opportunity_id", "id"),
            _req("created_at", "datetime"),
            _req("status", "category", allowed=("open", "won", "lost")),
            _req("amount", "number", nullable=True, minimum=0),  # won without: a warning
            _opt("account_id", "id"),  # a won deal without one: a warning
            _opt("rep_id", "id"),
            _opt("lead_id", "id"),
            _opt("stage", "category"),
            _opt("closed_at", "datetime", required_when=("status", ("won", "lost"))),
            _opt("expected_close", "datetime"),
            _opt("probability", "number", minimum=0, maximum=1),
            _opt("lost_reason", "text"),
            _opt("deal_type", "category", allowed=("new", "renewal", "upsell")),
            _opt("currency", "text"),
        ),
        foreign_keys=(
            ForeignKey("account_id", "accounts", "account_id"),
            ForeignKey("rep_id", "reps", "rep_id"),
            ForeignKey("lead_id", "leads", "lead_id"),
        ),
        # deals entered after the fact: a warning (CONTRACT section 1, "Warnings")
        date_order_warnings=(("closed_at", "created_at"),),
        amount="amount",
    ),
    TableSpec(
        "stage_history",
        key=("opportunity_id", "stage"),
        fields=(
            _req("opportunity_id", "id"),
            _req("stage", "category"),
            _req("entered_at", "datetime"),
        ),
        foreign_keys=(ForeignKey("opportunity_id", "opportunities", "opportunity_id"),),
        unique_key=False,  # a repeated stage: the earliest entered_at counts (a warning)
    ),
    TableSpec(
        "campaigns",
        key=("campaign_id",),
        fields=(
            _req("campaign_id", "id"),
            _req("name", "text", nullable=True),
            _req("channel", "category", nullable=True),
            _opt("practice", "category"),
            _opt("start_date", "datetime"),
            _opt("end_date", "datetime"),
            _opt("budget", "number"),
        ),
    ),
    TableSpec(
        "spend",
        key=(),
        fields=(
            _req("date", "datetime"),
            _req("channel", "category", nullable=True),
            _req("amount", "number", minimum=0),
            _opt("campaign_id", "id"),
            _opt("currency", "text"),
        ),
        foreign_keys=(ForeignKey("campaign_id", "campaigns", "campaign_id"),),
        amount="amount",
    ),
    TableSpec(
        "sales_costs",
        key=(),
        fields=(
            _req("date", "datetime"),
            _req("amount", "number", minimum=0),
            _opt("category", "category"),
            _opt("currency", "text"),
        ),
        amount="amount",
    ),
    TableSpec(
        "accounts",
        key=("account_id",),
        fields=(
            _req("account_id", "id"),
            _opt("name", "text"),
            _opt("segment", "category"),
            _opt("industry", "category"),
            _opt("churned_at", "datetime"),
        ),
    ),
    TableSpec(
        "orders",
        key=("order_id",),
        fields=(
            _req("order_id", "id"),
            _req("account_id", "id"),
            _req("date", "datetime"),
            _req("amount", "number"),
            _opt("opportunity_id", "id"),
            _opt("currency", "text"),
        ),
        foreign_keys=(
            ForeignKey("account_id", "accounts", "account_id"),
            ForeignKey("opportunity_id", "opportunities", "opportunity_id"),
        ),
        amount="amount",
    ),
    TableSpec(
        "reps",
        key=("rep_id",),
        fields=(
            _req("rep_id", "id"),
            _req("name", "text", nullable=True),
            _opt("team", "category"),
            _opt("manager", "text"),
            _opt("hired_at", "datetime"),
            _opt("left_at", "datetime"),
        ),
    ),
    TableSpec(
        "quotas",
        key=("rep_id", "period_start", "period_end"),
        fields=(
            _req("rep_id", "id"),
            _req("period_start", "datetime"),
            _req("period_end", "datetime"),
            _req("quota", "number", minimum=0),
            _opt("currency", "text"),
        ),
        foreign_keys=(ForeignKey("rep_id", "reps", "rep_id"),),
        date_order=(("period_end", "period_start"),),
        amount="quota",
    ),
    TableSpec(
        "activities",
        key=(),
        fields=(
            _req("rep_id", "id"),
            _req("date", "datetime"),
            _req("minutes", "number", minimum=0),
            _req("is_selling", "boolean"),
            _opt("type", "category"),
        ),
        foreign_keys=(ForeignKey("rep_id", "reps", "rep_id"),),
    ),
    TableSpec(
        "forecasts",
        key=("rep_id", "period_start", "period_end"),
        fields=(
            _req("period_start", "datetime"),
            _req("period_end", "datetime"),
            _req("forecast_amount", "number"),
            _opt("rep_id", "id"),  # empty = the whole team
            _opt("currency", "text"),
        ),
        foreign_keys=(ForeignKey("rep_id", "reps", "rep_id"),),
        date_order=(("period_end", "period_start"),),
        amount="forecast_amount",
    ),
    TableSpec(
        "nps",
        key=(),
        fields=(
            _req("account_id", "id"),
            _req("date", "datetime"),
            _req("score", "integer", minimum=0, maximum=10),
        ),
        foreign_keys=(ForeignKey("account_id", "accounts", "account_id"),),
    ),
    TableSpec(
        "engagement",
        key=(),
        fields=(
            _req("date", "datetime"),
            _req("event_type", "category"),
            _opt("visitor_id", "id"),
            _opt("lead_id", "id"),
            _opt("account_id", "id"),
            _opt("campaign_id", "id"),
            _opt("duration_s", "number"),
        ),
        foreign_keys=(
            ForeignKey("lead_id", "leads", "lead_id"),
            ForeignKey("account_id", "accounts", "account_id"),
            ForeignKey("campaign_id", "campaigns", "campaign_id"),
        ),
    ),
    TableSpec(
        "fx_rates",
        key=("currency", "date"),
        fields=(
            _req("currency", "text"),
            _req("date", "datetime"),
            # units of the dataset currency for one unit of `currency`
            _req("rate", "number", positive=True),
        ),
    ),
]

#: Every table of the data model by name, in the order of CONTRACT.md.
TABLES: dict[str, TableSpec] = {spec.name: spec for spec in _SPECS}
