"""The forecasting engine on synthetic series whose right answer is known, and the reorder
arithmetic checked by hand. Pure numpy: no database."""

from datetime import date

import numpy as np
import pytest

from reports.forecasting import DAY, WEEK, reorder_advice, round_order, run_out_date, select
from reports.forecasting.reorder import demand_over

Z95 = 1.6448536269514722


def flat_series(seed: int = 1, periods: int = 104, level: float = 20.0, noise: float = 3.0):
    return level + np.random.default_rng(seed).normal(0, noise, periods)


def test_flat_demand_is_forecast_at_its_level_by_a_level_method():
    result = select(flat_series(), horizon=8, lead=4)

    assert result.method in {"ses", "moving_average"}
    assert result.forecast == pytest.approx(np.full(8, 20.0), abs=1.5)
    assert result.fallback is None
    assert result.demand_class == "smooth"
    assert not result.seasonal  # two years of noise hold no yearly pattern


def test_linear_trend_is_continued_by_holt():
    rng = np.random.default_rng(2)
    t = np.arange(104)
    history = 10 + 0.5 * t + rng.normal(0, 2, t.size)

    result = select(history, horizon=4, lead=4)

    assert result.method in {"holt", "holt_winters"}
    truth = 10 + 0.5 * np.arange(104, 108)
    assert result.forecast == pytest.approx(truth, abs=3.0)
    assert np.all(np.diff(result.forecast) > 0)  # still rising


def test_daily_series_with_weekly_pattern_follows_the_pattern():
    rng = np.random.default_rng(3)
    pattern = np.array([40, 45, 50, 55, 80, 95, 30], dtype=float)
    history = np.tile(pattern, 18) + rng.normal(0, 3, 126)

    result = select(history, horizon=14, period=DAY, lead=7)

    assert result.method in {"seasonal_naive", "holt_winters"}
    assert result.season_length == 7
    assert result.forecast == pytest.approx(np.tile(pattern, 2), abs=6.0)


def test_weekly_series_with_yearly_season_is_forecast_seasonally():
    rng = np.random.default_rng(4)
    weeks = np.arange(156)
    season = 100 + 40 * np.sin(2 * np.pi * weeks / 52)
    history = season + rng.normal(0, 4, weeks.size)

    result = select(history, horizon=8, period=WEEK)

    assert result.seasonal
    assert result.method in {"seasonal_naive", "holt_winters"}
    truth = 100 + 40 * np.sin(2 * np.pi * np.arange(156, 164) / 52)
    assert result.forecast == pytest.approx(truth, abs=12.0)


def test_intermittent_demand_picks_croston_family_at_the_mean_rate():
    rng = np.random.default_rng(5)
    history = np.zeros(156)
    week = int(rng.integers(0, 4))
    while week < history.size:  # a demand of 3-7 units every 3-6 weeks: rate 5 / 4.5
        history[week] = rng.integers(3, 8)
        week += int(rng.integers(3, 7))

    result = select(history, horizon=4)

    assert result.demand_class in {"intermittent", "lumpy"}
    assert result.method in {"croston", "sba"}
    assert result.forecast == pytest.approx(np.full(4, 5 / 4.5), rel=0.35)


def test_ongoing_stock_out_flagged_as_censored_keeps_the_forecast_at_the_demand_before_it():
    history = flat_series(seed=7, noise=2.0)
    history[-10:] = 0  # out of stock for the last ten weeks
    censored = np.zeros(history.size, dtype=bool)
    censored[-10:] = True

    masked = select(history, horizon=4, censored=censored)
    unmasked = select(history, horizon=4)

    assert masked.forecast == pytest.approx(np.full(4, 20.0), abs=1.5)
    assert masked.n_censored == 10
    assert unmasked.forecast[0] < masked.forecast[0] - 5


def test_past_stock_out_flagged_as_censored_neither_lowers_the_forecast_nor_inflates_its_error():
    history = flat_series(seed=6, noise=2.0)
    history[90:100] = 0  # ten weeks out of stock, then back in stock for four
    censored = np.zeros(history.size, dtype=bool)
    censored[90:100] = True

    masked = select(history, horizon=4, censored=censored)
    unmasked = select(history, horizon=4)

    assert masked.forecast == pytest.approx(np.full(4, 20.0), abs=1.5)
    assert masked.sigma < 3
    # Read as demand, the gap would make the error (and so the safety stock) look three times
    # larger than it is.
    assert unmasked.sigma > 3 * masked.sigma


def test_short_history_falls_back_to_the_mean_and_says_so():
    result = select([3, 5, 4], horizon=4)

    assert result.method == "mean"
    assert result.fallback == "short_history"
    assert result.fallback_reason
    assert result.forecast == pytest.approx([4, 4, 4, 4])
    assert result.mase is None
    assert result.accuracy == "unknown"
    assert result.sigma == pytest.approx(1.0)  # the history's own spread


def test_no_trustworthy_history_forecasts_zero_and_says_so():
    result = select([0, 0, 0], horizon=3, censored=[True, True, True])

    assert result.fallback == "no_history"
    assert result.forecast == pytest.approx([0, 0, 0])


def test_negative_net_demand_is_clipped_and_forecasts_never_go_below_zero():
    rng = np.random.default_rng(8)
    falling = 60 - 1.0 * np.arange(60) + rng.normal(0, 1, 60)  # ends below zero

    result = select(falling, horizon=12)

    assert np.all(result.forecast >= 0)
    assert np.all(result.lower >= 0)
    assert np.all(result.lower <= result.forecast)
    assert np.all(result.upper >= result.forecast)


def test_exact_seasonal_pattern_scores_mase_zero_and_reads_good():
    history = np.tile([10.0, 20, 30, 40, 50, 60, 70], 10)

    result = select(history, horizon=7, period=DAY)

    assert result.mase == pytest.approx(0.0, abs=1e-6)
    assert result.accuracy == "good"
    assert str(result.accuracy_label) == "good"
    assert result.accuracy_text == "Typically within ±0.0 units a day."


def test_backtest_measures_are_reported_for_the_reorder_logic():
    result = select(flat_series(seed=9), horizon=4, lead=2)

    assert result.rmse == result.sigma
    assert 2.0 < result.rmse < 4.5  # noise sd 3 plus estimation error
    assert result.mae <= result.rmse
    assert result.lead == 2
    assert len(result.origins) == 36
    assert min(result.origins) >= 52  # each origin learns from at least half the history
    assert result.scores[0].rmse == min(s.rmse for s in result.scores)


def test_reorder_by_hand_with_on_order_stock_and_order_multiple():
    advice = reorder_advice(
        forecast=[10.0] * 30,
        sigma=5.0,
        period_days=1,
        lead_days=7,
        review_days=7,
        service_level=0.95,
        available=40,
        on_order=50,
        moq=25,
        order_multiple=25,
        today=date(2026, 3, 2),
    )

    assert advice.demand_over_protection == pytest.approx(140.0)
    assert advice.z == pytest.approx(Z95)
    assert advice.safety_stock == pytest.approx(Z95 * 5 * np.sqrt(14))  # 30.77...
    assert advice.safety_stock == pytest.approx(30.7724, abs=1e-4)
    assert advice.target == pytest.approx(170.7724, abs=1e-4)
    assert advice.position == 90
    assert advice.shortfall == pytest.approx(80.7724, abs=1e-4)
    assert advice.suggested == 100  # four packs of 25
    assert advice.run_out == date(2026, 3, 6)  # 40 units cover 2-5 March
    assert advice.days_of_cover == pytest.approx(4.0)


def test_moq_alone_rounds_to_whole_units_and_lifts_small_orders():
    assert round_order(80.77, moq=25) == 81
    assert round_order(10.2, moq=25) == 25
    assert round_order(0, moq=25) == 0
    assert round_order(26, moq=25, order_multiple=12) == 36
    assert round_order(5, moq=25, order_multiple=12) == 36  # MOQ is lifted to a whole pack


def test_no_order_when_stock_and_open_orders_cover_the_target():
    advice = reorder_advice(
        forecast=[10.0] * 30,
        sigma=5.0,
        period_days=1,
        lead_days=7,
        review_days=7,
        service_level=0.95,
        available=150,
        on_order=50,
        moq=25,
    )

    assert advice.shortfall == 0
    assert advice.suggested == 0
    assert not advice.should_order
    assert advice.run_out is None  # no date asked for


def test_weekly_forecast_is_prorated_over_a_fractional_protection_interval():
    advice = reorder_advice(
        forecast=[70.0, 140.0, 140.0],
        sigma=14.0,
        period_days=7,
        lead_days=7,
        review_days=3,
        service_level=0.9,
        available=0,
    )

    assert advice.demand_over_protection == pytest.approx(70 + 3 / 7 * 140)  # 130
    assert advice.sigma_over_protection == pytest.approx(14 * np.sqrt(10 / 7))
    assert not advice.beyond_horizon


def test_protection_beyond_the_forecast_reuses_the_last_rate_and_flags_it():
    total, beyond = demand_over([7.0, 14.0], period_days=7, days=21)

    assert total == pytest.approx(7 + 14 + 14)
    assert beyond


def test_run_out_date_walks_the_daily_forecast():
    today = date(2026, 1, 1)

    assert run_out_date([70.0, 70.0], 7, 25, today) == (date(2026, 1, 3), pytest.approx(2.5))
    assert run_out_date([70.0, 70.0], 7, 500, today) == (None, None)  # lasts past the horizon
    assert run_out_date([70.0], 7, 0, today) == (today, 0.0)


def test_service_level_must_be_a_probability():
    with pytest.raises(ValueError, match="service_level"):
        reorder_advice(
            forecast=[1.0],
            sigma=1,
            period_days=1,
            lead_days=1,
            review_days=0,
            service_level=95,
            available=0,
        )
