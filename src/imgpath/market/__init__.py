"""National Match simulation and personal odds, from a sourced model calibrated to NRMP 2025.

>>> from imgpath.market import load_model, simulate
>>> model = load_model()
>>> report = simulate(model, runs=2, seed=1, scale=0.05, use_cache=False)
>>> sorted(report["match_rate_by_type"])[:2], 0 < report["fill_rate"]["mean"] <= 1
(['non_us_img', 'prior_graduate'], True)
"""

from __future__ import annotations

from imgpath.core.market.generate import SimMarket, generate_market
from imgpath.core.market.model import (
    APPLICANT_TYPES,
    TYPE_LABELS,
    TYPE_NAMES,
    InvalidModelError,
    MarketModel,
)
from imgpath.core.market.person import Person
from imgpath.parallel.executors import make_executor
from imgpath.services.backtest import backtest, backtest_markdown
from imgpath.services.calibration import calibration_markdown, run_calibration, write_calibration
from imgpath.services.market import generate_example, national_instance, run_demo
from imgpath.services.market_model import (
    DEFAULT_YEAR,
    YEARS,
    calibration_path,
    check_year,
    load_model,
)
from imgpath.services.model_reference import model_markdown
from imgpath.services.odds import odds_for_profile, person_from_report
from imgpath.services.odds_funnel import (
    DEFAULT_APPLICATIONS,
    OddsAnswer,
    odds_answer,
    odds_answer_for_profile,
)
from imgpath.services.plots import calibration_plot, funnel_plot, odds_plot
from imgpath.services.simulation import DEFAULT_RANKS, odds, run_seeds, simulate

CALIBRATION_PATH = calibration_path()

__all__ = [
    "APPLICANT_TYPES",
    "CALIBRATION_PATH",
    "DEFAULT_APPLICATIONS",
    "DEFAULT_RANKS",
    "DEFAULT_YEAR",
    "TYPE_LABELS",
    "TYPE_NAMES",
    "YEARS",
    "InvalidModelError",
    "MarketModel",
    "OddsAnswer",
    "Person",
    "SimMarket",
    "backtest",
    "backtest_markdown",
    "calibration_markdown",
    "calibration_path",
    "calibration_plot",
    "check_year",
    "funnel_plot",
    "generate_example",
    "generate_market",
    "load_model",
    "make_executor",
    "model_markdown",
    "national_instance",
    "odds",
    "odds_answer",
    "odds_answer_for_profile",
    "odds_for_profile",
    "odds_plot",
    "person_from_report",
    "run_calibration",
    "run_demo",
    "run_seeds",
    "simulate",
    "write_calibration",
]
