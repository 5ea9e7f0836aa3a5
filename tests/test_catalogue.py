"""The message catalogue is in step with the code (issue 24): ``tools/catalogue.py --check``.

Every message the code and the notebooks show has a Russian translation, the
.po holds exactly the messages of the code, and the .mo is compiled from it.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def catalogue():
    spec = importlib.util.spec_from_file_location("catalogue", ROOT / "tools" / "catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_catalogue_is_up_to_date_with_the_code(catalogue):
    assert catalogue.problems() == []


def test_a_new_message_makes_the_check_fail(catalogue, monkeypatch, tmp_path):
    source = tmp_path / "new.py"
    source.write_text('from b2bkit.core.i18n import _\n\nTEXT = _("A message nobody translated")\n')
    real = catalogue._sources
    monkeypatch.setattr(catalogue, "_sources", lambda: [*real(), (source, "python")])
    found = catalogue.problems()
    assert any("out of date" in line for line in found)
    assert "ru: no translation of 'A message nobody translated'" in found


def test_markdown_cells_are_messages_whole(catalogue, tmp_path):
    notebook = tmp_path / "n.ipynb"
    notebook.write_text(json.dumps({"cells": [
        {"cell_type": "markdown", "source": ["# Title\n", "\n", "Text $x$."], "metadata": {}},
        {"cell_type": "code", "source": "x = 1", "metadata": {}},
        {"cell_type": "markdown", "source": "  ", "metadata": {}}]}))
    assert catalogue.markdown_cells(notebook) == ["# Title\n\nText $x$."]


def test_the_mo_file_has_the_plural_rule_of_russian():
    from b2bkit.core.i18n import language

    forms = [language("ru").translations.ngettext("{n} day", "{n} days", n)
             for n in (1, 2, 5, 11, 21, 111)]
    assert forms == ["{n} день", "{n} дня", "{n} дней", "{n} дней", "{n} день", "{n} дней"]
