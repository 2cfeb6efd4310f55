"""The odds funnel's arithmetic against an obviously-correct reference, and its shape."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from imgpath.core.market.funnel import (
    Yield,
    active_mean_yield,
    betabinomial_pmf,
    binomial_pmf,
    funnel_point,
    interviews_quantile,
)


def reference(n: int, p: float, by_k: list[float]) -> float:
    """sum_k C(n, k) p^k (1-p)^(n-k) P(match | k), P held at its last value past its end."""
    total = 0.0
    for k in range(n + 1):
        chance = by_k[min(k, len(by_k) - 1)]
        total += math.comb(n, k) * p**k * (1 - p) ** (n - k) * chance
    return total


curves = st.lists(st.floats(0, 1), min_size=1, max_size=30).map(lambda xs: [0.0, *sorted(xs)])


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 150), p=st.floats(0.001, 0.999), by_k=curves)
def test_the_chance_is_the_binomial_mixture(n: int, p: float, by_k: list[float]) -> None:
    point = funnel_point(n, None, Yield(p, p, p), by_k, by_k, by_k)
    assert math.isclose(point.p_match, reference(n, p, by_k), rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(point.interviews, n * p)


@settings(max_examples=100, deadline=None)
@given(n=st.integers(0, 400), p=st.floats(0, 1))
def test_binomial_pmf_is_a_distribution(n: int, p: float) -> None:
    pmf = binomial_pmf(n, p)
    assert pmf.shape == (n + 1,)
    assert math.isclose(float(pmf.sum()), 1.0, rel_tol=1e-9)
    assert math.isclose(float(np.dot(np.arange(n + 1), pmf)), n * p, rel_tol=1e-7, abs_tol=1e-7)


def test_quantile_of_interviews() -> None:
    assert interviews_quantile(0, 0.5, 0.999) == 0
    assert interviews_quantile(100, 0.03, 0.5) == 3
    assert interviews_quantile(100, 0.03, 0.999) > interviews_quantile(100, 0.03, 0.9)


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(1, 300),
    more=st.integers(1, 100),
    central=st.floats(0.01, 0.3),
    by_k=curves,
)
def test_more_applications_never_lower_the_chance_and_the_range_holds_it(
    n: int, more: int, central: float, by_k: list[float]
) -> None:
    low_curve = [x * 0.8 for x in by_k]
    high_curve = [min(1.0, x * 1.2) for x in by_k]
    rate = Yield(central, central / 1.5, min(central * 1.5, 1.0))
    a = funnel_point(n, None, rate, by_k, low_curve, high_curve)
    b = funnel_point(n + more, None, rate, by_k, low_curve, high_curve)
    assert b.p_match >= a.p_match - 1e-12
    assert a.p_match_range[0] <= a.p_match <= a.p_match_range[1]
    assert a.interviews_range[0] <= a.interviews <= a.interviews_range[1]


def test_a_visa_caps_the_usable_applications() -> None:
    by_k = [0.0, 0.3, 0.5, 0.6, 0.7]
    rate = Yield(0.05, 0.04, 0.06)
    capped = funnel_point(200, 50, rate, by_k, by_k, by_k)
    assert capped.usable == 50
    assert capped.p_match == funnel_point(50, None, rate, by_k, by_k, by_k).p_match
    assert funnel_point(200, 0, rate, by_k, by_k, by_k).p_match == 0.0


def beta_binomial_reference(n: int, p: float, shape: float, k: int) -> float:
    """C(n, k) B(k + a, n - k + b) / B(a, b), with a = shape and b = shape (1 - p) / p."""
    a, b = shape, shape * (1 - p) / p

    def beta(x: float, y: float) -> float:
        return math.exp(math.lgamma(x) + math.lgamma(y) - math.lgamma(x + y))

    return math.comb(n, k) * beta(k + a, n - k + b) / beta(a, b)


@settings(max_examples=150, deadline=None)
@given(n=st.integers(0, 120), p=st.floats(0.005, 0.6), shape=st.floats(0.2, 20))
def test_interviews_spread_between_people_as_a_beta_binomial(
    n: int, p: float, shape: float
) -> None:
    pmf = betabinomial_pmf(n, p, shape)
    expected = [beta_binomial_reference(n, p, shape, k) for k in range(n + 1)]
    assert np.allclose(pmf, expected, rtol=1e-6, atol=1e-12)
    assert math.isclose(float(np.dot(np.arange(n + 1), pmf)), n * p, rel_tol=1e-6, abs_tol=1e-9)
    if n >= 20:  # more spread than the binomial of the same mean
        k = np.arange(n + 1)
        var = float(np.dot((k - n * p) ** 2, pmf))
        assert var >= n * p * (1 - p) * (1 - 1e-9)


@settings(max_examples=40, deadline=None)
@given(apps=st.integers(20, 250), mean=st.floats(1.5, 15), shape=st.floats(0.3, 5))
def test_the_yield_gives_the_published_mean_among_those_with_an_interview(
    apps: int, mean: float, shape: float
) -> None:
    p = active_mean_yield(apps, mean, shape)
    pmf = betabinomial_pmf(apps, p, shape)
    active = float(np.dot(np.arange(apps + 1), pmf)) / (1 - float(pmf[0]))
    assert math.isclose(active, mean, rel_tol=1e-6) or (p <= 1e-5 and active >= mean)
    assert apps * p < mean  # below the naive ratio: some get no interview at all
