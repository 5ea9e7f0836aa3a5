"""Write the real-shaped CRM export fixtures of tests/data/exports.

Each folder imitates one export as a user would download it, with the
awkward cases real exports carry (see docs/presets.md):

- ``salesforce_data_export/``: Setup > Data Export of a Latin-American B2B
  company: API field names, cp1252 (latin-1) text in Spanish, four
  currencies with dated conversion rates, back-dated won deals, stages
  entered twice in OpportunityHistory, open deals closing in the future.
- ``hubspot_export/`` and ``hubspot_export_labels/``: the same HubSpot deals,
  contacts and companies, once with internal stage ids (``closedwon``) and
  once with stage labels (``Closed Won``), plus a custom stage.
- ``amocrm_export/``: amoCRM deals in cp1251, ``;``, decimal comma, dd.mm.yyyy.
- ``bitrix24_export/``: Bitrix24 deals in UTF-8 with a BOM, ``;``, decimal
  comma, dd.mm.yyyy.
- ``order_lines/``: a SaaS seller's order-line export (several lines per
  order) with two maps: one aggregating lines into orders, one not.

The files are generated, not hand-edited: run
``python tests/data/exports/make_exports.py`` from the repository root and
commit the result. The output is deterministic (a fixed seed and no clock).
"""

from __future__ import annotations

import csv
import random
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent
SEED = 11


def _write(path: Path, header: list[str], rows: list[list[object]], *, encoding: str,
           delimiter: str = ",", quote_all: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n",
                            quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(rows)


def _sf_id(prefix: str, n: int) -> str:
    """An 18-character Salesforce record id: key prefix, pod, counter, suffix."""
    return f"{prefix}5g0000{n:06d}AAA"


def _sf_stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _comma(amount: float) -> str:
    """A Russian-locale amount: space thousands marks, decimal comma."""
    whole, cents = f"{amount:,.2f}".split(".")
    return f"{whole.replace(',', ' ')},{cents}"


# ---------------------------------------------------------------- Salesforce

SF_USERS = ["María Fernández", "José Gutiérrez", "Ana Peña", "João Conceição", "Luis Muñoz"]
SF_ACCOUNTS = [
    ("Diseño Gráfico Monterrey S.A. de C.V.", "Diseño", "México", "MXN"),
    ("Compañía Minera del Pacífico", "Minería", "Perú", "USD"),
    ("Señal Telecomunicaciones", "Telecomunicaciones", "Colombia", "COP"),
    ("Logística México Norte", "Logística", "México", "MXN"),
    ("Informática São Paulo Ltda.", "Tecnología", "Brasil", "BRL"),
    ("Café de Colombia Exportaciones", "Agroindustria", "Colombia", "COP"),
    ("Energía Andina", "Energía", "Chile", "USD"),
    ("Construcciones Bogotá", "Construcción", "Colombia", "COP"),
    ("Farmacéutica Guadalajara", "Salud", "México", "MXN"),
    ("Ingeniería Medellín", "Ingeniería", "Colombia", "COP"),
    ("Automatización Puebla", "Manufactura", "México", "MXN"),
    ("Educação Digital Curitiba", "Educación", "Brasil", "BRL"),
]
SF_STAGES = ["Prospección", "Calificación", "Propuesta", "Negociación"]
SF_WON, SF_LOST = "Cerrada ganada", "Cerrada perdida"
SF_TYPES = ["New Customer", "Existing Customer - Upgrade", "Existing Customer - Replacement",
            "Existing Customer - Downgrade"]
SF_SOURCES = ["Web", "Referencia de socio", "Feria comercial", "Llamada en frío", "Publicidad"]
SF_PRODUCTS = ["Licencias anuales", "Implementación", "Soporte técnico", "Migración de datos",
               "Capacitación"]
#: ConversionRate of DatedConversionRate: units of the currency per 1 USD.
SF_RATES = {
    "USD": [("2024-01-01", "1.0")],
    "MXN": [("2024-01-01", "17.1"), ("2025-04-01", "19.6"), ("2025-07-01", "18.75"),
            ("2025-10-01", "18.4")],
    "BRL": [("2024-01-01", "4.95"), ("2025-07-01", "5.5")],
    "COP": [("2024-01-01", "3950.0"), ("2025-07-01", "4025.0")],
}
SF_SCALE = {"USD": 60_000, "MXN": 900_000, "BRL": 250_000, "COP": 180_000_000}
SF_AS_OF = date(2025, 12, 31)
#: Opportunities 0-7 are won deals entered after the fact (CloseDate before
#: CreatedDate); 0-19 won, 20-29 lost, 30-39 open (31 overdue, the rest closing in 2026).
SF_N, SF_BACKDATED, SF_WON_N, SF_LOST_N = 40, 8, 20, 10


def salesforce(folder: Path, rng: random.Random) -> None:
    enc = "cp1252"
    users = [[_sf_id("005", i + 1), name, name.split()[0], name.split()[1],
              f"{name.split()[0].lower()}@ejemplo.com".replace("í", "i").replace("é", "e")
              .replace("ã", "a"), "true"]
             for i, name in enumerate(SF_USERS)]
    _write(folder / "User.csv", ["Id", "Name", "FirstName", "LastName", "Email", "IsActive"],
           users, encoding=enc, quote_all=True)
    accounts = []
    for i, (name, industry, country, _) in enumerate(SF_ACCOUNTS):
        kind = "Customer - Direct" if i % 3 else "Customer - Channel"
        accounts.append([_sf_id("001", i + 1), "false", name, kind, industry, country,
                         users[i % len(users)][0], _sf_stamp(datetime(2024, 6, 1 + i, 9, 30))])
    _write(folder / "Account.csv", ["Id", "IsDeleted", "Name", "Type", "Industry",
                                    "BillingCountry", "OwnerId", "CreatedDate"],
           accounts, encoding=enc, quote_all=True)

    opps, history, leads = [], [], []
    hist_n = lead_n = 0
    for i in range(SF_N):
        acc = i % len(SF_ACCOUNTS)
        currency = SF_ACCOUNTS[acc][3] if i % 4 else "USD"
        created = datetime(2025, 1, 6) + timedelta(days=rng.randrange(0, 270),
                                                    hours=rng.randrange(8, 19),
                                                    minutes=rng.randrange(60),
                                                    seconds=rng.randrange(60))
        if i < SF_BACKDATED:
            close = created.date() - timedelta(days=rng.randrange(2, 25))
        elif i < SF_WON_N + SF_LOST_N:
            close = created.date() + timedelta(days=rng.randrange(10, 80))
        elif i == 31:
            close = date(2025, 11, 14)  # an overdue open deal
        else:
            close = date(2026, 1, 15) + timedelta(days=rng.randrange(0, 100))
        won, lost = i < SF_WON_N, SF_WON_N <= i < SF_WON_N + SF_LOST_N
        closed = won or lost
        amount = round(SF_SCALE[currency] * rng.uniform(0.2, 1.5), 2)
        amount_text = "" if i == 38 else f"{amount:.2f}"
        reached = len(SF_STAGES) if closed else 1 + i % len(SF_STAGES)
        stage = SF_WON if won else SF_LOST if lost else SF_STAGES[reached - 1]
        probability = 100 if won else 0 if lost else [10, 25, 50, 75][reached - 1]
        opp_id, account_id = _sf_id("006", i + 1), _sf_id("001", acc + 1)
        owner = users[i % len(users)][0]
        name = f"{SF_ACCOUNTS[acc][0].split(' S.A.')[0]} - {SF_PRODUCTS[i % len(SF_PRODUCTS)]}"
        opps.append([opp_id, "false", account_id, name, stage, amount_text, str(probability),
                     close.isoformat(), SF_TYPES[i % len(SF_TYPES)],
                     SF_SOURCES[i % len(SF_SOURCES)], "true" if closed else "false",
                     "true" if won else "false", currency, owner, _sf_stamp(created)])
        # OpportunityHistory: one row per change, so a stage repeats when the amount
        # or the close date changes within it; every fourth deal also goes back a stage
        path = [*SF_STAGES[:reached], *([stage] if closed else [])]
        if i % 4 == 1 and reached >= 3:
            path = [*path[:3], path[1], *path[3:]]  # back to Calificación, then on
        if i % 3 == 0:
            path = [*path[:1], path[0], *path[1:]]  # amount changed in Prospección
        moment = created
        rows = []
        for step in path:
            hist_n += 1
            rows.append([_sf_id("008", hist_n), opp_id, _sf_stamp(moment), step, amount_text,
                         close.isoformat(), "false"])
            moment += timedelta(days=rng.randrange(1, 6), minutes=rng.randrange(1, 600))
        if i % 5 == 2:
            rows.reverse()  # the export is not in time order
        history.extend(rows)
        if i % 2 == 0:  # a converted lead
            lead_n += 1
            leads.append([_sf_id("00Q", lead_n), "false", f"Contacto {lead_n}",
                          SF_ACCOUNTS[acc][0], "Convertido",
                          SF_SOURCES[(i + 1) % len(SF_SOURCES)], owner, "true",
                          account_id, opp_id,
                          _sf_stamp(created - timedelta(days=rng.randrange(3, 40)))])
    for k in range(12):  # leads not (yet) converted
        lead_n += 1
        created = datetime(2025, 2, 3) + timedelta(days=rng.randrange(0, 320),
                                                   hours=rng.randrange(8, 19))
        leads.append([_sf_id("00Q", lead_n), "false", f"Contacto {lead_n}",
                      ["Panadería La Señora", "Clínica Peñalolén", "Óptica Güemes"][k % 3],
                      ["Abierto", "Contactado", "No calificado"][k % 3],
                      SF_SOURCES[k % len(SF_SOURCES)], users[k % len(users)][0], "false",
                      "", "", _sf_stamp(created)])
    _write(folder / "Opportunity.csv",
           ["Id", "IsDeleted", "AccountId", "Name", "StageName", "Amount", "Probability",
            "CloseDate", "Type", "LeadSource", "IsClosed", "IsWon", "CurrencyIsoCode",
            "OwnerId", "CreatedDate"], opps, encoding=enc, quote_all=True)
    _write(folder / "OpportunityHistory.csv",
           ["Id", "OpportunityId", "CreatedDate", "StageName", "Amount", "CloseDate",
            "IsDeleted"], history, encoding=enc, quote_all=True)
    _write(folder / "Lead.csv",
           ["Id", "IsDeleted", "LastName", "Company", "Status", "LeadSource", "OwnerId",
            "IsConverted", "ConvertedAccountId", "ConvertedOpportunityId", "CreatedDate"],
           leads, encoding=enc, quote_all=True)
    rates, n = [], 0
    for iso, starts in SF_RATES.items():
        for k, (start, rate) in enumerate(starts):
            n += 1
            following = starts[k + 1][0] if k + 1 < len(starts) else ""
            rates.append([_sf_id("04w", n), iso, start, following, rate])
    _write(folder / "DatedConversionRate.csv",
           ["Id", "IsoCode", "StartDate", "NextStartDate", "ConversionRate"], rates,
           encoding=enc, quote_all=True)
    # an object the preset does not map: listed as ignored, never read
    contacts = [[_sf_id("003", k + 1), _sf_id("001", k % len(SF_ACCOUNTS) + 1),
                 ["Sofía", "Andrés", "Begoña"][k % 3], ["Ibáñez", "Núñez", "Ordóñez"][k % 3],
                 users[k % len(users)][0], _sf_stamp(datetime(2025, 3, 1 + k, 11))]
                for k in range(6)]
    _write(folder / "Contact.csv", ["Id", "AccountId", "FirstName", "LastName", "OwnerId",
                                    "CreatedDate"], contacts, encoding=enc, quote_all=True)
    (folder / "dataset.toml").write_text(
        'name = "Señal Andina (Salesforce Data Export)"\ncurrency = "USD"\n'
        f'as_of = "{SF_AS_OF.isoformat()}"\n', encoding="utf-8")


# ---------------------------------------------------------------- HubSpot

HS_STAGES = [  # internal id, label
    ("appointmentscheduled", "Appointment Scheduled"),
    ("qualifiedtobuy", "Qualified To Buy"),
    ("presentationscheduled", "Presentation Scheduled"),
    ("decisionmakerboughtin", "Decision Maker Bought-In"),
    ("contractsent", "Contract Sent"),
    ("closedwon", "Closed Won"),
    ("closedlost", "Closed Lost"),
    ("27346102", "Trial Started"),  # a custom stage: HubSpot gives it a numeric id
]
HS_OWNERS = ["Laura Smith", "Daniel Kim", "Priya Patel", "Tomás Rivera"]
HS_COMPANIES = ["Northwind Traders", "Contoso Ltd", "Fabrikam Inc", "Adventure Works",
                "Tailspin Toys", "Wide World Importers", "Litware Inc", "Proseware",
                "Coho Winery", "Fourth Coffee"]
HS_SOURCES = [("ORGANIC_SEARCH", "Organic Search"), ("PAID_SEARCH", "Paid Search"),
              ("EMAIL_MARKETING", "Email Marketing"), ("REFERRALS", "Referrals"),
              ("DIRECT_TRAFFIC", "Direct Traffic"), ("PAID_SOCIAL", "Paid Social")]
HS_LIFECYCLE = {"lead": "Lead", "marketingqualifiedlead": "Marketing Qualified Lead",
                "salesqualifiedlead": "Sales Qualified Lead"}


def hubspot(ids: Path, labels: Path, rng: random.Random) -> None:
    def stamp(moment: datetime) -> str:
        return moment.strftime("%Y-%m-%d %H:%M")

    company_ids = [str(9_310_000_000 + 7 * k) for k in range(len(HS_COMPANIES))]
    companies = [[cid, name, f"{name.split()[0].lower()}.example", "COMPUTER_SOFTWARE"
                  if k % 2 else "MANAGEMENT_CONSULTING", stamp(datetime(2024, 3, 1 + k, 10))]
                 for k, (cid, name) in enumerate(zip(company_ids, HS_COMPANIES, strict=True))]
    company_header = ["Record ID", "Company name", "Company Domain Name", "Industry",
                      "Create Date"]
    deal_header = ["Record ID", "Deal Name", "Pipeline", "Deal Stage", "Amount", "Close Date",
                   "Create Date", "Deal owner", "Deal Type", "Associated Company IDs (Primary)",
                   "Associated Company (Primary)"]
    contact_header = ["Record ID", "First Name", "Last Name", "Email", "Contact owner",
                      "Create Date", "Lifecycle Stage", "Original Source",
                      "Became a Marketing Qualified Lead Date",
                      "Became a Sales Qualified Lead Date", "Associated Company IDs (Primary)"]
    # stage of each deal: 12 won, 6 lost, 2 in the custom stage, the rest open
    plan = [5] * 12 + [6] * 6 + [7] * 2 + [0, 1, 2, 3, 4] * 3
    deals = {"ids": [], "labels": []}
    for i, stage in enumerate(plan):
        created = datetime(2025, 1, 8) + timedelta(days=rng.randrange(0, 300),
                                                   hours=rng.randrange(8, 18),
                                                   minutes=rng.randrange(60))
        if stage in (5, 6):
            close = created + timedelta(days=rng.randrange(7, 75), hours=1)
        else:
            close = datetime(2026, 1, 20) + timedelta(days=rng.randrange(0, 90))
        comp = i % len(HS_COMPANIES)
        no_company = stage not in (5, 6) and i % 7 == 3
        owner = "" if i == len(plan) - 1 else HS_OWNERS[i % len(HS_OWNERS)]
        amount = f"{rng.randrange(40, 900) * 50}"
        dtype = ("newbusiness", "New Business") if i % 3 else ("existingbusiness",
                                                                "Existing Business")
        for variant, pick in (("ids", 0), ("labels", 1)):
            deals[variant].append([
                str(17_450_000_000 + 13 * i), f"{HS_COMPANIES[comp]} - deal {i + 1}",
                "default" if pick == 0 else "Sales Pipeline", HS_STAGES[stage][pick], amount,
                stamp(close), stamp(created), owner, dtype[pick],
                "" if no_company else company_ids[comp],
                "" if no_company else HS_COMPANIES[comp]])
    contacts = {"ids": [], "labels": []}
    for k in range(30):
        created = datetime(2025, 1, 2) + timedelta(days=rng.randrange(0, 320),
                                                   hours=rng.randrange(7, 20))
        mql = created + timedelta(days=rng.randrange(1, 20)) if k % 3 != 2 else None
        sql = mql + timedelta(days=rng.randrange(1, 30)) if mql and k % 2 == 0 else None
        src = HS_SOURCES[k % len(HS_SOURCES)]
        stage = "salesqualifiedlead" if sql else "marketingqualifiedlead" if mql else "lead"
        for variant, pick in (("ids", 0), ("labels", 1)):
            contacts[variant].append([
                str(51_000 + k), ["Olivia", "Noah", "Emma", "Liam", "Zoë"][k % 5],
                ["Brown", "Müller", "García", "O'Neil", "Nguyen", "Dubois"][k % 6],
                f"contact{k}@example.com", HS_OWNERS[k % len(HS_OWNERS)], stamp(created),
                stage if pick == 0 else HS_LIFECYCLE[stage],
                src[pick], stamp(mql) if mql else "", stamp(sql) if sql else "",
                company_ids[k % len(company_ids)] if k % 4 else ""])
    for folder, variant in ((ids, "ids"), (labels, "labels")):
        _write(folder / "deals.csv", deal_header, deals[variant], encoding="utf-8")
        _write(folder / "contacts.csv", contact_header, contacts[variant], encoding="utf-8")
        _write(folder / "companies.csv", company_header, companies, encoding="utf-8")
        (folder / "dataset.toml").write_text(
            f'name = "Northwind SaaS (HubSpot, stage {variant})"\ncurrency = "USD"\n'
            'as_of = "2025-12-31"\n', encoding="utf-8")


# ---------------------------------------------------------------- amoCRM

RU_OWNERS = ["Иван Петров", "Ольга Смирнова", "Сергей Кузнецов", "Анна Васильева"]
RU_COMPANIES = ["ООО «Ромашка»", "АО «Северсталь-Сервис»", "ИП Жуков", "ООО «Ёлка»",
                "ЗАО «Щит»", "ООО «Техноплюс»", "ООО «Вектор»", "АО «Южный порт»"]
AMO_OPEN = ["Первичный контакт", "Переговоры", "Принимают решение", "Согласование договора"]
AMO_WON, AMO_LOST = "Успешно реализовано", "Закрыто и не реализовано"


def amocrm(folder: Path, rng: random.Random) -> None:
    rows = []
    for i in range(30):
        created = date(2025, 1, 9) + timedelta(days=rng.randrange(0, 300))
        status = AMO_WON if i < 12 else AMO_LOST if i < 18 else AMO_OPEN[i % 4]
        closed = status in (AMO_WON, AMO_LOST)
        close = created + timedelta(days=rng.randrange(5, 60)) if closed else None
        budget = rng.randrange(30, 2500) * 1000 + (0.5 if i % 5 == 0 else 0)
        company = RU_COMPANIES[i % len(RU_COMPANIES)] if closed or i % 3 else ""
        rows.append([str(24_018_000 + i), f"Сделка #{24_018_000 + i}", _comma(budget), status,
                     "Основная воронка", RU_OWNERS[i % len(RU_OWNERS)],
                     created.strftime("%d.%m.%Y"), close.strftime("%d.%m.%Y") if close else "",
                     company, "Контакт" if i % 2 else "", "сайт" if i % 4 == 0 else ""])
    _write(folder / "deals.csv",
           ["ID", "Название сделки", "Бюджет", "Статус", "Воронка", "Ответственный",
            "Дата создания", "Дата закрытия", "Компания", "Контакт", "Теги"],
           rows, encoding="cp1251", delimiter=";")
    (folder / "dataset.toml").write_text(
        'name = "Ромашка (amoCRM)"\ncurrency = "RUB"\nas_of = "2025-12-31"\n', encoding="utf-8")


# ---------------------------------------------------------------- Bitrix24

BX_OPEN = ["Новая", "Подготовка документов", "Счёт на предоплату", "В работе",
           "Финальный счёт"]
BX_WON, BX_LOST, BX_LOST2 = "Сделка успешна", "Сделка провалена", "Анализ причины провала"
BX_SOURCES = ["Звонок", "Веб-сайт", "Электронная почта", "Рекомендация"]


def bitrix24(folder: Path, rng: random.Random) -> None:
    rows = []
    for i in range(30):
        created = date(2025, 2, 3) + timedelta(days=rng.randrange(0, 280))
        stage = (BX_WON if i < 11 else BX_LOST if i < 16 else BX_LOST2 if i < 18
                 else BX_OPEN[i % len(BX_OPEN)])
        closed = stage in (BX_WON, BX_LOST, BX_LOST2)
        close = (created + timedelta(days=rng.randrange(3, 70)) if closed
                 else date(2026, 1, 12) + timedelta(days=rng.randrange(0, 80)))
        amount = rng.randrange(100, 9000) * 100 + (0.75 if i % 4 == 0 else 0)
        rows.append([str(1_200 + i), f"Поставка оборудования №{i + 1}", stage, _comma(amount),
                     "Российский рубль", created.strftime("%d.%m.%Y"),
                     close.strftime("%d.%m.%Y"), RU_OWNERS[(i + 1) % len(RU_OWNERS)],
                     RU_COMPANIES[(i + 3) % len(RU_COMPANIES)],
                     BX_SOURCES[i % len(BX_SOURCES)], "Продажа"])
    _write(folder / "deals.csv",
           ["ID", "Название", "Стадия сделки", "Сумма", "Валюта", "Дата создания",
            "Предполагаемая дата закрытия", "Ответственный", "Компания", "Источник", "Тип"],
           rows, encoding="utf-8-sig", delimiter=";")
    (folder / "dataset.toml").write_text(
        'name = "Вектор (Bitrix24)"\ncurrency = "RUB"\nas_of = "2025-12-31"\n',
        encoding="utf-8")


# ---------------------------------------------------------------- order lines

PRODUCTS = [("Starter plan", 29.0), ("Team plan", 99.0), ("Business plan", 249.0),
            ("Extra seats", 12.5), ("Onboarding", 450.0), ("Premium support", 180.0)]


def order_lines(folder: Path, rng: random.Random) -> None:
    rows = []
    for n in range(30):
        order_id = f"SO-{10_401 + n}"
        customer = f"C{rng.randrange(1, 11):03d}"
        day = date(2024, 11, 4) + timedelta(days=rng.randrange(0, 420))
        for line in range(1, 1 + rng.choice([1, 1, 2, 3, 4])):
            product, price = PRODUCTS[rng.randrange(len(PRODUCTS))]
            quantity = rng.randrange(1, 13)
            rows.append([order_id, str(line), customer, day.isoformat(), product,
                         str(quantity), f"{price:.2f}", f"{quantity * price:.2f}"])
    _write(folder / "order_lines.csv",
           ["Order ID", "Line", "Customer ID", "Order Date", "Product", "Quantity",
            "Unit Price", "Line Total"], rows, encoding="utf-8")
    (folder / "dataset.toml").write_text(
        'name = "Seatly (order lines)"\ncurrency = "USD"\nas_of = "2025-12-31"\n',
        encoding="utf-8")
    base = ('[tables.orders]\nfile = "order_lines.csv"\n{extra}'
            '[tables.orders.columns]\norder_id = "Order ID"\naccount_id = "Customer ID"\n'
            'date = "Order Date"\namount = "Line Total"\n')
    (folder / "aggregated.toml").write_text(
        "# one order per Order ID: line totals summed, the first line's date\n"
        + base.format(extra='aggregate = { by = "order_id", amount = "sum", date = "first" }\n'),
        encoding="utf-8")
    (folder / "lines.toml").write_text(
        "# no aggregation: every line after an order's first repeats its key\n"
        + base.format(extra=""), encoding="utf-8")


def main() -> None:
    """Write every fixture folder next to this script."""
    salesforce(HERE / "salesforce_data_export", random.Random(SEED))
    hubspot(HERE / "hubspot_export", HERE / "hubspot_export_labels", random.Random(SEED))
    amocrm(HERE / "amocrm_export", random.Random(SEED))
    bitrix24(HERE / "bitrix24_export", random.Random(SEED))
    order_lines(HERE / "order_lines", random.Random(SEED))


if __name__ == "__main__":
    main()
