"""``b2bkit map draft DIR``: a commented column map for any export folder, to edit.

:func:`draft_map` looks at every data file of a folder and writes a TOML map
(CONTRACT section 4): the tool it recognises from the headers (Salesforce
Data Export or report, HubSpot, Pipedrive, Zoho, amoCRM, Bitrix24, Google
Ads, Meta Ads, LinkedIn Ads; "not recognised" otherwise), each file mapped to
a table and each column to a canonical one with its evidence (the header and
three sample values), every distinct status or stage value with a proposed
open/won/lost (won/closed flags first, else keywords in English, Spanish,
Portuguese, French, German and Russian; unknown ones marked ``# ?``), the
date formats found (ambiguous columns flagged), the currencies found and
whether fx_rates are needed, title lines and summary rows seen, and what it
could not map. The draft is valid TOML that ``validate --map`` accepts
unedited; a table is drafted only when every required column has a source
(or a constant marked ``# ?``).

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     _ = (Path(tmp) / "deals.csv").write_text(
...         "Deal ID,Created,Stage,Value\\nD1,2025-01-02,Closed Won,10\\n"
...         "D2,2025-01-03,Perdido,5\\n")
...     draft = draft_map(Path(tmp))
>>> draft.tool, draft.tables
('not recognised', {'deals.csv': 'opportunities'})
>>> '"Closed Won" = "won"' in draft.text and '"Perdido" = "lost"' in draft.text
True
"""

from __future__ import annotations

import csv
import json
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from b2bkit.core.errors import DatasetError
from b2bkit.core.schema import TABLES
from b2bkit.load.parsing import looks_accounting, parse_column
from b2bkit.load.sources import read_raw
from b2bkit.load.summary import TOTAL

__all__ = ["TOOLS", "Draft", "draft_map", "recognise"]

#: Per tool, header names (any case) that only its exports write; the tool with the most
#: found (at least two) is recognised.
TOOLS = {
    "Salesforce Data Export": {"Id", "IsDeleted", "SystemModstamp", "CreatedById", "IsWon",
                               "IsClosed", "StageName", "OwnerId", "CurrencyIsoCode",
                               "LastModifiedDate"},
    "Salesforce report": {"Opportunity ID", "Opportunity Name", "Opportunity Owner",
                          "Account Name", "Close Date", "Fiscal Period", "Stage",
                          "Lead Source", "Age"},
    "HubSpot": {"Record ID", "Deal Stage", "Deal owner", "Deal Name", "Create Date",
                "Associated Company ID", "Associated Company IDs",
                "Associated Company IDs (Primary)", "Lifecycle Stage", "Contact owner",
                "Company name", "Pipeline"},
    "Pipedrive": {"Deal - Title", "Deal - Value", "Deal - Stage", "Deal - Status",
                  "Deal - Won time", "Deal - Lost time", "Deal - Owner",
                  "Deal - Organization", "Won time", "Lost time", "Deal created"},
    "Zoho CRM": {"Record Id", "Deal Name", "Closing Date", "Deal Owner", "Created Time",
                 "Expected Revenue", "Account Name"},
    "amoCRM": {"Бюджет", "Статус", "Название сделки", "Дата закрытия", "Основной контакт",
               "Воронка"},
    "Bitrix24": {"Стадия сделки", "Предполагаемая дата закрытия", "STAGE_ID",
                 "ASSIGNED_BY_ID", "CURRENCY_ID", "OPPORTUNITY", "stage_id", "new_stage_id",
                 "is_success", "manager_id"},
    "Google Ads": {"Campaign", "Impr.", "Avg. CPC", "Conversions", "Cost", "Interactions",
                   "Campaign type"},
    "Meta Ads": {"Campaign name", "Amount spent (USD)", "Reporting starts", "Reporting ends",
                 "Results", "Reach", "Cost per result"},
    "LinkedIn Ads": {"Campaign Name", "Campaign Group Name", "Total Spent", "Clicks",
                     "Impressions", "Campaign ID", "Leads"},
}

#: File-name words that point to a table (checked in this order).
_FILE_WORDS = [
    ("stage_history", ("history", "stage_history", "dealstage", "istori")),
    ("fx_rates", ("conversionrate", "fx", "exchange", "rates")),
    ("opportunities", ("opportunit", "deal", "сделк", "pipeline")),
    ("leads", ("lead", "contact", "лид", "контакт")),
    ("accounts", ("account", "compan", "customer", "organi", "компани")),
    ("reps", ("user", "owner", "reps.", "sales_reps", "staff", "employee", "manager")),
    ("quotas", ("quota",)),
    ("spend", ("spend", "cost", "campaign report", "ads", "adwords", "marketing")),
    ("campaigns", ("campaign",)),
    ("orders", ("order", "invoice", "sales", "purchase", "transaction", "payment")),
]

_ID = ("id", "recordid", "ид")
#: Per table and canonical column, normalised header names (lower case, letters and digits
#: only) that feed it, best first.
_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "opportunities": {
        "opportunity_id": ("opportunityid", "dealid", "recordid", "id", "dealdid"),
        "created_at": ("createddate", "createdate", "createdtime", "createdat", "datecreate",
                       "dealcreated", "created", "engagedate", "датасоздания"),
        "closed_at": ("closedate", "closingdate", "closedat", "wontime", "dealwontime",
                      "датазакрытия", "предполагаемаядатазакрытия", "closedon"),
        "amount": ("amount", "dealvalue", "value", "opportunity", "expectedamount",
                   "closevalue", "сумма", "бюджет", "dealamount"),
        "stage": ("stagename", "dealstage", "stage", "stageid", "стадиясделки", "статус",
                  "dealstatus", "status"),
        "account_id": ("accountid", "associatedcompanyidsprimary", "associatedcompanyid",
                       "associatedcompanyids", "companyid", "accountname", "account",
                       "organization", "dealorganization", "компания"),
        "rep_id": ("ownerid", "dealowner", "opportunityowner", "owner", "managerid",
                   "assignedbyid", "salesagent", "ответственный"),
        "currency": ("currencyisocode", "currency", "currencyid", "валюта"),
        "lost_reason": ("lostreason", "lossreason"),
    },
    "stage_history": {
        "opportunity_id": ("opportunityid", "dealid", "ownerid"),
        "stage": ("stagename", "newstageid", "stage", "stageid", "tostage"),
        "entered_at": ("createddate", "changedat", "createdtime", "enteredat", "date"),
    },
    "leads": {
        "lead_id": ("leadid", "contactid", "recordid", "id"),
        "created_at": ("createddate", "createdate", "createdtime", "createdat",
                       "firstcontactdate", "датасоздания"),
        "channel": ("leadsource", "originalsource", "originaltrafficsource", "source",
                    "channel", "origin", "источник"),
        "account_id": ("convertedaccountid", "associatedcompanyidsprimary",
                       "associatedcompanyid", "accountid", "companyid"),
        "opportunity_id": ("convertedopportunityid", "opportunityid", "dealid"),
        "owner_rep_id": ("ownerid", "contactowner", "leadowner", "owner"),
    },
    "accounts": {
        "account_id": ("accountid", "companyid", "customerid", "recordid", "id"),
        "name": ("name", "companyname", "accountname", "customer", "название", "названиекомпании"),
        "industry": ("industry", "сфера деятельности", "сферадеятельности"),
        "segment": ("segment",),
    },
    "reps": {
        "rep_id": ("userid", "ownerid", "repid", "id"),
        "name": ("name", "fullname", "username"),
    },
    "orders": {
        "order_id": ("orderid", "invoiceid", "paymentid", "invoiceno", "orderno", "id"),
        "account_id": ("customerid", "accountid", "companyid", "clientid"),
        "date": ("orderdate", "invoicedate", "date", "paymentdate", "purchasedate"),
        "amount": ("sales", "amount", "total", "revenue", "value"),
        "currency": ("currency", "currencycode"),
    },
    "spend": {
        "date": ("day", "date", "costdate", "reportingstarts", "startdate"),
        "channel": ("channel", "source", "campaigntype", "network"),
        "amount": ("cost", "costamount", "amountspentusd", "amountspent", "totalspent",
                   "spend", "amount"),
        "campaign_id": ("campaignid",),
        "currency": ("currency", "currencycode"),
    },
    "campaigns": {
        "campaign_id": ("campaignid", "id"),
        "name": ("name", "campaignname", "campaign"),
        "channel": ("channel", "type", "campaigntype"),
        "start_date": ("startdate",),
        "end_date": ("enddate",),
    },
    "fx_rates": {
        "currency": ("isocode", "currency"),
        "date": ("startdate", "date"),
        "rate": ("conversionrate", "rate"),
    },
}

#: Status keywords (lower case, substrings) in English, Spanish, Portuguese, French, German,
#: Russian; lost is checked first ("closed lost" holds "closed").
_LOST = ("lost", "perdid", "perdu", "verloren", "провал", "проигр", "отказ", "apology",
         "cancel", "rechaz", "abgelehnt")
#: Short words that count only as whole words ("lose" is inside "closed").
_LOST_WORDS = re.compile(r"(?:^|[\W_])lose(?:$|[\W_])")
_WON = ("won", "win", "ganad", "ganho", "gagn", "gewonnen", "успеш", "выигр", "oплач",
        "closedwon", "signed", "firmad")
_OPEN = ("open", "new", "qualif", "proposal", "propuesta", "negoti", "negoci", "contract",
         "contrato", "appointment", "presentation", "decision", "prospect", "engag",
         "interes", "calcul", "новая", "в работе", "подготов", "счёт", "счет", "работ",
         "offen", "neu", "ouvert", "nouveau", "aberto", "novo", "abierto", "nuevo",
         "discovery", "demo", "trial", "firmas", "diseño")

_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y", "%Y/%m/%d", "%d-%m-%Y",
                 "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M",
                 "%m/%d/%Y %I:%M %p")
_SAMPLES = 3
_MAX_VALUES = 200
_DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".csv.gz", ".xlsx")


def _norm(header: str) -> str:
    return re.sub(r"[\W_]+", "", str(header).lower())


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(str(text), ensure_ascii=False)


def _shown(values: pd.Series) -> str:
    picked = values.dropna().astype(str).str.slice(0, 40).unique()[:_SAMPLES]
    return ", ".join(re.sub(r"[\r\n#]+", " ", v) for v in picked) or "all blank"


def recognise(headers: list[str]) -> str:
    """The tool whose headers a folder's files carry, or ``"not recognised"``.

    >>> recognise(["Id", "IsWon", "IsClosed", "StageName"])
    'Salesforce Data Export'
    >>> recognise(["order", "total"])
    'not recognised'
    """
    found = set(headers)
    scores = {tool: len(found & names) for tool, names in TOOLS.items()}
    best = max(scores, key=lambda t: scores[t])
    return best if scores[best] >= 2 else "not recognised"


@dataclass
class Draft:
    """A drafted map: its TOML ``text``, the ``tool`` recognised, file -> table, notes."""

    text: str
    tool: str
    tables: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _header_row(path: Path) -> int | None:
    """The 1-based header line below title lines: the first line with at least half as many
    filled fields as the widest of the first 30 lines (None: line 1)."""
    if not path.name.lower().endswith((".csv", ".tsv", ".txt")):
        return None
    raw = path.read_bytes()[:65536]
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    lines = text.splitlines()[:30]
    sample = "\n".join(lines)
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = max(",;\t|", key=lambda m: sum(line.count(m) for line in lines))
    filled = [sum(1 for c in row if c.strip()) for row in csv.reader(lines,
                                                                       delimiter=delimiter)]
    if not filled:
        return None
    widest = max(filled)
    first = next(i for i, n in enumerate(filled) if n * 2 >= widest)
    return first + 1 if first else None


def _table_of(path: Path, headers: list[str], taken: set[str]) -> str | None:
    name = path.name.lower()
    normal = {_norm(h) for h in headers}
    for table, words in _FILE_WORDS:
        if table not in taken and any(w in name for w in words):
            return table
    # by the columns: a stage and an amount, a date and an amount, ...
    guesses = [("opportunities", ({"stage", "stagename", "dealstage", "status"}, {"amount",
                                                                                   "value"})),
               ("orders", ({"orderid", "invoiceid"}, {"sales", "amount", "total"})),
               ("spend", ({"cost", "amountspent", "spend"}, {"day", "date"}))]
    for table, (a, b) in guesses:
        if table not in taken and normal & a and normal & b:
            return table
    return None


def _pick(table: str, headers: list[str], key_file: bool) -> dict[str, str]:
    """Canonical column -> source header by the synonyms, each header used once (but the
    status/stage pair)."""
    by_norm: dict[str, str] = {}
    for h in headers:
        by_norm.setdefault(_norm(h), h)
    chosen: dict[str, str] = {}
    used: set[str] = set()
    for canonical, names in _SYNONYMS.get(table, {}).items():
        for name in names:
            header = by_norm.get(_norm(name))
            if header is not None and header not in used:
                if name in _ID and not key_file:
                    continue
                chosen[canonical] = header
                used.add(header)
                break
    return chosen


def _status_value(value: str) -> tuple[str, bool]:
    """The proposed canonical status of a stage value, and whether a keyword decided it."""
    low = value.lower()
    if any(w in low for w in _LOST) or _LOST_WORDS.search(low):
        return "lost", True
    if any(w in low for w in _WON):
        return "won", True
    if any(w in low for w in _OPEN):
        return "open", True
    return "open", False


def _formats_reading(cells: pd.Series) -> list[str]:
    """The formats (``ISO`` first) each reading every filled cell of a text column."""
    out = []
    if not parse_column(cells, "datetime")[1].any():
        out.append("ISO")
    for fmt in _DATE_FORMATS[1:]:
        try:
            if not parse_column(cells, "datetime", date_format=fmt)[1].any():
                out.append(fmt)
        except ValueError:
            continue
    return out


def _cover(cells: pd.Series) -> list[str]:
    """Formats that together read the most cells, greedily, when none reads them all."""
    left, chosen = cells.dropna(), []
    for fmt in ("ISO", *_DATE_FORMATS[1:]):
        if not len(left):
            break
        bad = parse_column(left, "datetime", date_format=None if fmt == "ISO" else fmt)[1]
        if (~bad).any():
            chosen.append(fmt)
            left = left[bad.to_numpy()]
    return chosen


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)


def _draft_table(w: _Writer, notes: list[str], path: Path, table: str, frame: pd.DataFrame,
                 header_row: int | None) -> bool:
    """Write one ``[tables.<table>]`` section; False when a required column has no source."""
    spec = TABLES[table]
    headers = [str(c) for c in frame.columns]
    columns = _pick(table, headers, key_file=True)
    constants: dict[str, str] = {}
    if table == "opportunities" and {"IsClosed", "IsWon"} <= set(headers):
        columns["status"] = "IsClosed|IsWon"
    elif table == "opportunities" and "stage" in columns:
        columns["status"] = columns["stage"]
    for canonical in ("channel",):
        if canonical in spec.required and canonical not in columns:
            constants[canonical] = ""
    lacking = [c for c in spec.required if c not in columns and c not in constants]
    if lacking:
        notes.append(f"{path.name}: not drafted as {table}: no column for "
                     f"{', '.join(lacking)}")
        w.add(f"# {path.name}: looks like {table}, but no column was found for "
              f"{', '.join(lacking)}; map it by hand")
        return False
    w.add("", f"[tables.{table}]", f"file = {_q(path.name)}")
    if header_row:
        w.add(f"header_row = {header_row}            # title lines above the header: "
              f"{header_row - 1}")
        notes.append(f"{path.name}: {header_row - 1} title line(s) above the header")
    nulls = [v for v in ("000000000000000AAA", "--") if (frame == v).any().any()]
    if nulls:
        w.add(f"null_values = [{', '.join(_q(v) for v in nulls)}]   # cells that mean empty")
    # dates
    formats: list[str] = []
    for canonical, header in columns.items():
        if canonical == "status" or spec.field(canonical).kind != "datetime":
            continue
        cells = frame[header]
        reading = _formats_reading(cells)
        if {"%d/%m/%Y", "%m/%d/%Y"} <= set(reading):
            w.add(f"# ? {header}: every date reads as D/M/Y and as M/D/Y: ambiguous; "
                  "keep the one the export writes")
            notes.append(f"{path.name}, {header}: ambiguous dates (D/M/Y or M/D/Y)")
            reading = [f for f in reading if f != "%m/%d/%Y"]
        picked = reading[:1] if reading else _cover(cells)
        for f in picked:
            if f not in formats:
                formats.append(f)
    if formats and formats != ["ISO"]:
        w.add(f"date_format = [{', '.join(_q(f) for f in formats)}]   # found in the dates")
    # numbers
    money = [h for c, h in columns.items() if c != "status"
             and spec.field(c).kind == "number"]
    accounting = any(looks_accounting(frame[h]).any() for h in money)
    if accounting:
        w.add('number_format = "accounting"   # currency signs, K/M/B or (negatives) seen')
    elif any(frame[h].astype("string").str.fullmatch(r"-?\d+,\d{1,2}").any() for h in money):
        w.add('decimal = ","')
    key = spec.key[0] if spec.key else None
    if table == "orders" and key in columns and frame[columns[key]].duplicated().any():
        w.add(f'aggregate = {{ by = "{key}", amount = "sum" }}   # several lines per '
              f'{columns[key]}: one order, amounts summed, the rest from its first line')
        notes.append(f"{path.name}: several lines per {columns[key]}: aggregated")
    w.add(f"[tables.{table}.columns]")
    for canonical, header in columns.items():
        if canonical == "status" and "|" in header:
            w.add('status = { join = ["IsClosed", "IsWon"] }   # the closed/won flags')
            continue
        source = _q(header)
        w.add(f"{canonical} = {source}".ljust(40) + f"# {header!r}: "
              f"{_shown(frame[header])}")
    unmapped = [h for h in headers if h not in columns.values() and not h.startswith("\x00")]
    if unmapped:
        shown = ", ".join(unmapped[:25]) + (", ..." if len(unmapped) > 25 else "")
        w.add("# not mapped: " + re.sub(r"[\r\n]+", " ", shown))
    if constants:
        w.add(f"[tables.{table}.constants]")
        for canonical, value in constants.items():
            w.add(f"{canonical} = {_q(value)}   # ? no {canonical} column found: blank, "
                  "shown as (unknown)")
    if "status" in columns:
        _draft_status(w, table, frame, columns["status"])
    _summary_rows(notes, path, frame, columns, spec)
    return True


def _draft_status(w: _Writer, table: str, frame: pd.DataFrame, source: str) -> None:
    w.add(f"[tables.{table}.values.status]")
    if "|" in source:
        flags = (frame["IsClosed"].astype("string").str.strip() + "|"
                 + frame["IsWon"].astype("string").str.strip()).dropna()
        for value in sorted(flags.unique()):
            closed, won = (p.lower() in ("1", "true", "t", "yes") for p in value.split("|"))
            status = "won" if closed and won else "lost" if closed else "open"
            w.add(f"{_q(value)} = {_q(status)}   # IsClosed|IsWon ({(flags == value).sum():,} "
                  "rows)")
        return
    counts = frame[source].astype("string").str.strip().dropna().value_counts()
    for value, n in list(counts.items())[:_MAX_VALUES]:
        status, sure = _status_value(str(value))
        w.add(f"{_q(value)} = {_q(status)}".ljust(40)
              + f"# {n:,} rows{'' if sure else '  # ? not recognised: check'}")
    if len(counts) > _MAX_VALUES:
        w.add('"*" = "open"   # ? more values than listed: the rest are open')


def _summary_rows(notes: list[str], path: Path, frame: pd.DataFrame, columns: dict[str, str],
                  spec) -> None:
    first = frame.iloc[:, 0].astype("string")
    totals = int(first.str.fullmatch(TOTAL).fillna(False).sum())
    if totals:
        notes.append(f"{path.name}: {totals} summary row(s) (Total ...): left out when loaded")


def draft_map(folder: Path) -> Draft:
    """A commented TOML map for the export files of ``folder``.

    Raises
    ------
    DatasetError
        ``folder`` is not a folder, or holds no data file.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError.single(table="", file=str(folder), column="",
                                  rule="no such folder")
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                   and p.name.lower().endswith(_DATA_SUFFIXES))
    if not files:
        raise DatasetError.single(table="", file=str(folder), column="",
                                  rule=f"no data file ({', '.join(_DATA_SUFFIXES)}) to draft "
                                       "a map from")
    read: dict[Path, tuple[pd.DataFrame, int | None]] = {}
    notes: list[str] = []
    for path in files:
        try:
            header_row = _header_row(path)
            raw = read_raw(path, "orders", header_row=header_row)
            read[path] = (raw.frame, header_row)
        except (DatasetError, UnicodeDecodeError, ValueError) as exc:
            notes.append(f"{path.name}: not read ({str(exc).splitlines()[-1].strip()})")
    headers = [str(h) for frame, _ in read.values() for h in frame.columns]
    tool = recognise(headers)
    w = _Writer()
    w.add(f"# Column map drafted by `b2bkit map draft {folder.name}`.",
          f"# Tool recognised from the headers: {tool}.",
          "# Every mapping below is a proposal with its evidence (header: three sample "
          "values);",
          "# lines marked `# ?` need a decision. Edit, then run",
          f"#     b2bkit validate {folder} --map <this file> --lenient")
    currencies: Counter[str] = Counter()
    taken: dict[str, str] = {}
    body = _Writer()
    for path, (frame, header_row) in read.items():
        table = _table_of(path, [str(c) for c in frame.columns], set(taken.values()))
        if table is None:
            notes.append(f"{path.name}: not mapped (no table recognised from its name or "
                         "columns)")
            continue
        if _draft_table(body, notes, path, table, frame, header_row):
            taken[path.name] = table
            cur = _pick(table, [str(c) for c in frame.columns], True).get("currency")
            if cur:
                currencies.update(frame[cur].astype("string").str.strip().dropna().tolist())
    codes = [c for c, _ in currencies.most_common() if re.fullmatch(r"[A-Z]{3}", c)]
    if codes:
        w.add(f'currency = {_q(codes[0])}   # the most frequent of the currencies found: '
              f"{', '.join(f'{c} ({currencies[c]:,})' for c in codes)}")
        if len(codes) > 1:
            w.add("# ? several currencies: put an fx_rates.csv (currency, date, rate) beside "
                  "the export, or rows in the others are set aside")
            notes.append(f"currencies {', '.join(codes)}: fx_rates needed for "
                         f"{', '.join(codes[1:])}")
    unmapped = [p.name for p in files if p.name not in taken]
    if unmapped:
        w.add(f"# files not mapped: {', '.join(unmapped)}")
    text = "\n".join(w.lines + body.lines) + "\n"
    tomllib.loads(text)  # a draft is valid TOML, always
    return Draft(text, tool, taken, notes)

