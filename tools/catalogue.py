"""The message catalogue of the reports (``make catalogue``): extract, update, compile, check.

    python tools/catalogue.py            extract the messages, update every .po, compile the .mo
    python tools/catalogue.py --check    exit 1 when a .po or .mo is out of date with the code,
                                         or a message has no translation (the test suite runs it)
    python tools/catalogue.py --merge F  take the translations of F (another .po) where ours
                                         have none (merging the work of two branches)
    python tools/catalogue.py --translations F.json
                                         set translations from a JSON object: message ->
                                         translation, "context|message" for a pgettext one,
                                         a list of the three Russian forms for an ngettext one
                                         keyed by its singular

The messages come from three places, with Babel's Python extractor and its
default keywords (``_``, ``ngettext``, ``pgettext``, ``N_``) and ``NC_``:

- ``b2bkit/**/*.py``: the sentences, labels and notes of the package;
- ``notebooks/*.py``: the code cells of the report notebooks;
- ``notebooks/*.ipynb``: each Markdown cell whole, as the text the render translates
  (:func:`b2bkit.reports.render.translated_notebook`).

The catalogues live in ``b2bkit/locale/<code>/LC_MESSAGES/b2bkit.po`` beside
their compiled ``.mo`` (shipped in the wheel). Entries are sorted, with no
line numbers, so that a change of code that does not change a message
leaves the files as they are.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE_DIR = ROOT / "b2bkit" / "locale"
LANGUAGES = ("ru",)
#: A context of ``--translations`` (``"verdict|keep"``): a short lower-case word or two.
CONTEXT = re.compile(r"[a-z][a-z ]{0,30}")
#: Babel's keywords, and ``NC_(context, message)``: a message marked with its context.
KEYWORDS = {**DEFAULT_KEYWORDS, "NC_": ((1, "c"), 2)}
# A translator's note: a comment starting with this, just above the message, goes in the .po.
COMMENT_TAGS = ("Translators:",)


def _sources() -> list[tuple[Path, str]]:
    package = sorted(p for p in (ROOT / "b2bkit").rglob("*.py"))
    code = sorted((ROOT / "notebooks").glob("*.py"))
    markdown = sorted((ROOT / "notebooks").glob("*.ipynb"))
    return ([(p, "python") for p in package + code]
            + [(p, "markdown") for p in markdown])


def markdown_cells(path: Path) -> list[str]:
    """The Markdown cells of a notebook, each as one message (as the render translates it)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if text.strip():
            cells.append(text)
    return cells


def template() -> Catalog:
    """The catalogue of every message in the code and the notebooks (the ``.pot``)."""
    pot = Catalog(project="b2bkit", domain="b2bkit", charset="utf-8", fuzzy=False)
    for path, kind in _sources():
        where = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
        if kind == "markdown":
            for text in markdown_cells(path):
                pot.add(text, locations=[(where, None)])
            continue
        with path.open("rb") as handle:
            for _line, message, comments, context in extract(
                    "python", handle, keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
                    strip_comment_tags=True):
                if (isinstance(message, tuple) and not message[0]) or not message:
                    continue
                pot.add(message, locations=[(where, None)], auto_comments=comments,
                        context=context)
    if str(ROOT) not in sys.path:  # this checkout's package, whichever one is installed
        sys.path.insert(0, str(ROOT))
    from b2bkit.metrics.glossary import summaries  # the glossary's definitions (metrics.ru.md)

    for text in summaries():
        pot.add(text, locations=[("b2bkit/metrics/glossary.py", None)], context="glossary")
    return pot


def _po_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / "b2bkit.po"


def _read(path: Path, code: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=code, project="b2bkit", domain="b2bkit", fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=code)


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, no_location=True, omit_header=False, sort_output=True,
             ignore_obsolete=True, include_previous=False)
    return out.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def updated(code: str, pot: Catalog | None = None) -> Catalog:
    """The catalogue of ``code`` with exactly the template's messages, translations kept.

    No fuzzy matching: a changed message is a new message and needs its translation.
    """
    pot = pot or template()
    catalog = _read(_po_path(code), code)
    catalog.creation_date = catalog.revision_date = pot.creation_date.replace(
        year=2026, month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    catalog.update(pot, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    catalog.creation_date = catalog.revision_date
    return catalog


def untranslated(catalog: Catalog) -> list[str]:
    """The messages of ``catalog`` without a translation (or only a fuzzy one)."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def problems() -> list[str]:
    """What is out of date: a .po or .mo that ``python tools/catalogue.py`` would change,
    and each message without a translation."""
    pot = template()
    found = []
    for code in LANGUAGES:
        catalog = updated(code, pot)
        po, mo = _po_path(code), _po_path(code).with_suffix(".mo")
        if not po.exists() or po.read_bytes() != _po_bytes(catalog):
            found.append(f"{po.relative_to(ROOT)} is out of date with the code: run make catalogue")
        if not mo.exists() or mo.read_bytes() != _mo_bytes(catalog):
            found.append(f"{mo.relative_to(ROOT)} is out of date with its .po: run make catalogue")
        found += [f"{code}: no translation of {text!r}" for text in untranslated(catalog)]
    return found


def merge(code: str, other: Path) -> int:
    """Fill our untranslated messages of ``code`` from the .po file ``other``; how many."""
    catalog = _read(_po_path(code), code)
    theirs = _read(other, code)
    taken = 0
    for message in theirs:
        if not message.id or not message.string:
            continue
        ours = catalog.get(message.id, context=message.context)
        if ours is None:
            catalog.add(message.id, message.string, context=message.context)
            taken += 1
        elif not (all(ours.string) if isinstance(ours.string, tuple) else ours.string):
            ours.string = message.string
            taken += 1
    _po_path(code).write_bytes(_po_bytes(catalog))
    return taken


def set_translations(code: str, path: Path) -> int:
    """Set the translations of ``path`` (JSON, see the module docstring) in the .po of ``code``.

    Every key must be a message of the code: a key that is not (a typo, a changed
    message) is an error naming it.
    """
    catalog = updated(code)
    given = json.loads(path.read_text(encoding="utf-8"))
    unknown = []
    for key, text in given.items():
        context, _sep, message_id = key.partition("|")
        if not _sep or not CONTEXT.fullmatch(context):  # a "|" of the message itself
            context, message_id = None, key
        message = catalog.get(message_id, context=context or None)
        if message is None:
            for candidate in catalog:  # a plural message is keyed by its singular
                if (isinstance(candidate.id, tuple) and candidate.id[0] == message_id
                        and candidate.context == (context or None)):
                    message = candidate
                    break
        if message is None:
            unknown.append(key)
            continue
        message.string = tuple(text) if isinstance(message.id, tuple) else text
        message.flags.discard("fuzzy")  # a translation set by hand is meant
    if unknown:
        raise SystemExit(f"{path}: not messages of the code: " + "; ".join(map(repr, unknown)))
    _po_path(code).write_bytes(_po_bytes(catalog))
    return len(given)


def write() -> None:
    """Update every .po from the code and compile its .mo."""
    pot = template()
    for code in LANGUAGES:
        catalog = updated(code, pot)
        po = _po_path(code)
        po.parent.mkdir(parents=True, exist_ok=True)
        po.write_bytes(_po_bytes(catalog))
        po.with_suffix(".mo").write_bytes(_mo_bytes(catalog))
        missing = untranslated(catalog)
        print(f"{po.relative_to(ROOT)}: {len(catalog)} messages, {len(missing)} untranslated")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--merge", type=Path, nargs="*", default=[])
    parser.add_argument("--translations", type=Path, nargs="*", default=[])
    args = parser.parse_args(argv)
    if args.check:
        found = problems()
        print("\n".join(found) if found else "the catalogues are up to date")
        return 1 if found else 0
    for other in args.merge:
        for code in LANGUAGES:
            print(f"{other}: {merge(code, other)} translations taken")
    for path in args.translations:
        print(f"{path}: {set_translations('ru', path)} translations set")
    write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
