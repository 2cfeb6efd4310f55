"""The NRMP Match engine: Roth–Peranson with couples, supplemental lists and reversions.

>>> from imgpath.match import Instance, solve
>>> inst = Instance.from_dict({
...     "programs": {"P1": {"quota": 1, "rol": ["ana", "ben"]}},
...     "applicants": {"ana": {"rol": ["P1"]}, "ben": {"rol": ["P1"]}},
... })
>>> result = solve(inst)
>>> result.matches, result.stable
({'ana': 'P1', 'ben': None}, True)
"""

from __future__ import annotations

from imgpath.core.matching.audit import AuditReport, audit
from imgpath.core.matching.document import instance_json_schema
from imgpath.core.matching.explain import Explanation, explain
from imgpath.core.matching.instance import NRMP_MAX_RANKS, Instance, Limits
from imgpath.core.matching.market import Market
from imgpath.core.matching.solve import BlockingPair, MarketOutcome, Result, solve, solve_market
from imgpath.services.engine_warmup import is_compiled, mark_compiled
from imgpath.services.matching import (
    dump_instance,
    export_rank_list,
    import_rank_list,
    load,
    loads,
    match_file,
    save,
)

__all__ = [
    "NRMP_MAX_RANKS",
    "AuditReport",
    "BlockingPair",
    "Explanation",
    "Instance",
    "Limits",
    "Market",
    "MarketOutcome",
    "Result",
    "audit",
    "dump_instance",
    "explain",
    "export_rank_list",
    "import_rank_list",
    "instance_json_schema",
    "is_compiled",
    "load",
    "loads",
    "mark_compiled",
    "match_file",
    "save",
    "solve",
    "solve_market",
]
