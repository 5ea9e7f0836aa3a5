"""Wilson intervals, the two-proportion test and change sentences, checked by hand."""

import numpy as np
import pytest

from b2bkit.analysis.stats import change_sentence, two_proportion_test, wilson_interval


def test_wilson_matches_published_value():
    # Newcombe (1998), Statistics in Medicine 17, Table I: 81/263 -> 0.2553 to 0.3662
    low, high = wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    low, high = wilson_interval(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)


def test_wilson_is_vectorised_and_handles_edges():
    # 0 of 10: low 0, high z^2/(n+z^2) = 3.8415/13.8415 = 0.2775; 10 of 10 mirrors it
    low, high = wilson_interval(np.array([0, 10, 3]), np.array([10, 10, 0]))
    assert np.round(low[:2], 4).tolist() == [0.0, 0.7225]
    assert np.round(high[:2], 4).tolist() == [0.2775, 1.0]
    assert np.isnan(low[2]) and np.isnan(high[2])


def test_wilson_confidence_is_checked():
    with pytest.raises(ValueError, match="confidence must be between 0 and 1; not 95"):
        wilson_interval(1, 2, confidence=95)


def test_pooled_z_test_by_hand():
    # pooled p = 0.5, se = sqrt(0.25 * 0.02) = 0.07071, z = 0.2 / 0.07071 = 2.8284
    result = two_proportion_test(60, 100, 40, 100)
    assert result.test == "two-proportion z-test"
    assert round(result.p_value, 4) == 0.0047
    assert round(result.difference, 4) == 0.2


def test_small_counts_use_fisher():
    # 2x2 [[3, 1], [1, 3]]: two-sided Fisher p = (1 + 16 + 16 + 1) / 70 = 0.4857
    result = two_proportion_test(3, 4, 1, 4)
    assert result.test == "Fisher's exact test"
    assert round(result.p_value, 4) == 0.4857


def test_zero_trials_give_nan():
    assert np.isnan(two_proportion_test(0, 0, 1, 4).p_value)


def test_change_sentences():
    assert change_sentence("win rate", 40, 100, 60, 100, now="Q2", before="Q1") == (
        "win rate 40.0% in Q2, down 20.0 pp from 60.0% in Q1 (two-proportion z-test, "
        "p = 0.005).")
    # pooled 0.475, se = 0.07062, z = 0.7080, p = 2 * 0.2395 = 0.479
    assert change_sentence("win rate", 45, 100, 50, 100, now="Q2", before="Q1") == (
        "win rate 45.0% in Q2 against 50.0% in Q1: within noise (two-proportion z-test, "
        "p = 0.479).")
    assert change_sentence("win rate", 1, 2, 0, 0, now="Q2", before="Q1") == (
        "win rate: no comparison of Q2 with Q1 (no trials in one of them).")


def test_change_sentence_in_russian() -> None:
    from b2bkit.core.i18n import use

    with use("ru"):
        assert change_sentence("качество лидов", 60, 100, 40, 100, now="2-й квартал",
                               before="1-й квартал") == (
            "качество лидов: 60,0\u00a0% за 2-й квартал, рост на 20,0 п. п. с 40,0\u00a0% за "
            "1-й квартал (z-тест для двух долей, p = 0,005).")
        assert change_sentence("качество лидов", 3, 4, 1, 4, now="2-й квартал",
                               before="1-й квартал").endswith(
            "в пределах случайных колебаний (точный тест Фишера, p = 0,486).")
