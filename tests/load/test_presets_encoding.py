"""The Salesforce preset decodes a latin-1 Data Export without being told.

The preset declares no encoding (the Data Export lets the user choose one),
so the names below depend on the loader's evidence-based detection
(issue 11 item 5): a short cp1252 file of Spanish names must not decode as
cp1250 ("Diseńo") or mac_cyrillic.
"""

from __future__ import annotations

import pytest

from b2bkit.load.dataset import load_dataset
from tests.load.test_presets import SF


@pytest.fixture(scope="module")
def salesforce():
    return load_dataset(SF, column_map="salesforce")


def test_salesforce_latin1_names_are_decoded(salesforce) -> None:
    names = set(salesforce["accounts"]["name"].astype(str))
    assert {"Diseño Gráfico Monterrey S.A. de C.V.", "Compañía Minera del Pacífico",
            "Señal Telecomunicaciones", "Logística México Norte"} <= names
    assert set(salesforce["reps"]["name"].astype(str)) == {
        "María Fernández", "José Gutiérrez", "Ana Peña", "João Conceição", "Luis Muñoz"}
    assert "Prospección" in set(salesforce["stage_history"]["stage"].astype(str))
