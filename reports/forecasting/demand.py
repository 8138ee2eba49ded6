"""A demand history made ready for fitting: the numbers, which of them were seen, and the
demand class (smooth, erratic, intermittent, lumpy) that decides which methods are tried."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Syntetos-Boylan cut-offs: average inter-demand interval and squared coefficient of variation
# of the non-zero demand sizes.
ADI_CUTOFF = 1.32
CV2_CUTOFF = 0.49

SHORT_LAGS = (1, 2, 3)  # the lags whose autocorrelation widens the seasonality test's limit

SMOOTH, ERRATIC, INTERMITTENT, LUMPY, NO_DEMAND = (
    "smooth", "erratic", "intermittent", "lumpy", "no_demand",
)  # fmt: skip


@dataclass(frozen=True)
class Demand:
    """One product's demand per period, oldest first, with the periods that can be trusted.

    `y` is clipped at zero (net demand can dip below zero when returns exceed sales, but a
    negative demand rate means nothing to a forecast). `observed[t]` is False for a censored
    period (the product was out of stock, so the sales understate the demand) and the value
    there is never used as demand.
    """

    y: np.ndarray
    observed: np.ndarray

    @classmethod
    def from_history(cls, history, censored=None) -> Demand:
        """Build from the caller's net demand and optional censored mask (same length)."""
        y = np.asarray(history, dtype=float).ravel()
        if censored is None:
            observed = np.ones(y.size, dtype=bool)
        else:
            observed = ~np.asarray(censored, dtype=bool).ravel()
            if observed.size != y.size:
                raise ValueError("censored must have one flag per period of history")
        # A missing number (NaN) is treated like a censored period: unknown demand.
        observed = observed & np.isfinite(y)
        y = np.where(observed, np.clip(np.nan_to_num(y), 0.0, None), 0.0)
        return cls(y=y, observed=observed)

    @property
    def n(self) -> int:
        return int(self.y.size)

    @property
    def n_observed(self) -> int:
        return int(self.observed.sum())

    @property
    def values(self) -> np.ndarray:
        """The observed values only, in time order."""
        return self.y[self.observed]

    def adi(self) -> float:
        """Average number of observed periods per period with demand (inf when none sold)."""
        nonzero = int(np.count_nonzero(self.values))
        return self.n_observed / nonzero if nonzero else float("inf")

    def cv2(self) -> float:
        """Squared coefficient of variation of the non-zero demand sizes."""
        sizes = self.values[self.values > 0]
        if sizes.size < 2 or sizes.mean() == 0:
            return 0.0
        return float((sizes.std() / sizes.mean()) ** 2)

    def is_seasonal(self, season_length: int) -> bool:
        """Whether each period correlates with the same period a season earlier (90% test).

        It keeps the seasonal methods away from series that only have noise where a season
        would be: with a single year of weekly history such a method copies last year's noise
        into next year's forecast. The history is detrended first (a trend correlates with
        itself at every lag), and the correlation is taken over the pairs of periods one season
        apart that were both observed. Its limit is Bartlett's, widened by the first few lags'
        autocorrelation (demand that drifts slowly correlates with itself a little by chance).
        """
        m = season_length
        if m < 2 or self.n < 2 * m or self.n_observed < 3:
            return False
        t = np.flatnonzero(self.observed)
        slope, intercept = np.polyfit(t.astype(float), self.values, 1)
        residual = np.where(self.observed, self.y - (intercept + slope * np.arange(self.n)), 0.0)
        variance = float(residual @ residual)
        if variance <= 1e-12 * max(1.0, float(self.values @ self.values)):
            return False
        short = np.array([residual[k:] @ residual[:-k] for k in SHORT_LAGS]) / variance
        pairs = self.observed[m:] & self.observed[:-m]
        if pairs.sum() < 3:
            return False
        now, before = residual[m:][pairs], residual[:-m][pairs]
        spread = float(np.sqrt((now @ now) * (before @ before)))
        correlation = float(now @ before) / spread if spread > 0 else 0.0
        limit = 1.645 * np.sqrt((1 + 2 * np.sum(short**2)) / pairs.sum())
        return correlation > limit

    def demand_class(self) -> str:
        """Syntetos-Boylan class: intermittent and lumpy series get Croston's methods."""
        adi = self.adi()
        if adi == float("inf"):
            return NO_DEMAND
        sparse, variable = adi > ADI_CUTOFF, self.cv2() > CV2_CUTOFF
        if sparse:
            return LUMPY if variable else INTERMITTENT
        return ERRATIC if variable else SMOOTH
