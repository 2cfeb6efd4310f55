"""A small condition language for rules, evaluated with three-valued logic.

Rules live in YAML, so their conditions are plain data rather than code::

    {all: [{fact: school.country, not_in: [US, CA]}, {fact: step1.passed, is: true}]}

A leaf names a *fact* and one comparison: ``is``, ``eq``, ``ne``, ``in``, ``not_in``, ``all_in``,
``gt``, ``gte``, ``lt``, ``lte`` or ``known``.  For a list-valued fact (nationalities), ``in`` means
"any of them is in the list" and ``all_in`` "every one of them is".  A value may be ``{param: name}`` (a parameter of the rule)
or ``{fact: name}`` (another fact).  ``all``, ``any`` and ``not`` combine conditions.

Facts may be unknown (a profile leaves most things out).  Evaluation therefore returns
TRUE, FALSE or UNKNOWN (Kleene's logic: ``all`` is FALSE as soon as one part is FALSE, whatever
else is unknown), together with the facts whose absence made it UNKNOWN: those become the
questions imgpath asks instead of guessing.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

__all__ = ["OPERATORS", "Condition", "Truth", "Verdict", "parse_condition"]

OPERATORS = ("is", "eq", "ne", "in", "not_in", "all_in", "gt", "gte", "lt", "lte", "known")


class Truth(Enum):
    """Three-valued truth."""

    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"

    @staticmethod
    def of(value: bool) -> Truth:
        return Truth.TRUE if value else Truth.FALSE


@dataclass(frozen=True)
class Verdict:
    """The outcome of evaluating a condition: its truth and the facts it was missing."""

    truth: Truth
    missing: frozenset[str] = frozenset()

    @property
    def true(self) -> bool:
        return self.truth is Truth.TRUE

    @property
    def false(self) -> bool:
        return self.truth is Truth.FALSE

    @property
    def unknown(self) -> bool:
        return self.truth is Truth.UNKNOWN


_TRUE = Verdict(Truth.TRUE)
_FALSE = Verdict(Truth.FALSE)


@dataclass(frozen=True)
class Condition:
    """A parsed condition: a leaf (fact, operator, value) or a combination of conditions."""

    kind: str  # "leaf", "all", "any", "not"
    fact: str = ""
    op: str = ""
    value: Any = None
    parts: tuple[Condition, ...] = ()

    @property
    def ref(self) -> tuple[str, str] | None:
        """``("param", name)`` or ``("fact", name)`` when the value refers to one, else None."""
        if isinstance(self.value, Mapping):
            ((kind, name),) = self.value.items()
            return str(kind), str(name)
        return None

    def facts(self) -> frozenset[str]:
        """Every fact the condition reads (to check them against the fact registry)."""
        if self.kind == "leaf":
            ref = self.ref
            extra = {ref[1]} if ref and ref[0] == "fact" else set()
            return frozenset({self.fact, *extra})
        return frozenset().union(*(p.facts() for p in self.parts))

    def params(self) -> frozenset[str]:
        """Every rule parameter the condition reads."""
        if self.kind == "leaf":
            ref = self.ref
            return frozenset({ref[1]}) if ref and ref[0] == "param" else frozenset()
        return frozenset().union(*(p.params() for p in self.parts))

    def evaluate(self, facts: Mapping[str, Any], params: Mapping[str, Any]) -> Verdict:
        """Evaluate against ``facts`` (None = unknown) and the rule's ``params``."""
        kind = self.kind
        if kind == "leaf":
            return self._leaf(facts, params)
        if kind == "not":
            v = self.parts[0].evaluate(facts, params)
            if v.truth is Truth.UNKNOWN:
                return v
            return _FALSE if v.truth is Truth.TRUE else _TRUE
        decisive = Truth.FALSE if kind == "all" else Truth.TRUE
        unknown: list[Verdict] = []
        for part in self.parts:  # stop at the first decisive part: Kleene logic allows it
            v = part.evaluate(facts, params)
            if v.truth is decisive:
                return v
            if v.truth is Truth.UNKNOWN:
                unknown.append(v)
        if unknown:
            missing = (
                unknown[0].missing
                if len(unknown) == 1
                else frozenset().union(*(v.missing for v in unknown))
            )
            return Verdict(Truth.UNKNOWN, missing)
        return _TRUE if kind == "all" else _FALSE

    def _leaf(self, facts: Mapping[str, Any], params: Mapping[str, Any]) -> Verdict:
        actual = facts.get(self.fact)
        op = self.op
        if op == "known":
            return _TRUE if (actual is not None) == bool(self.value) else _FALSE
        if actual is None:
            return Verdict(Truth.UNKNOWN, frozenset((self.fact,)))
        expected = self.value
        if type(expected) is dict or isinstance(expected, Mapping):
            ((source, name),) = expected.items()
            if source == "param":
                expected = params[name]
            else:
                expected = facts.get(name)
                if expected is None:
                    return Verdict(Truth.UNKNOWN, frozenset((name,)))
        if type(expected) is str and isinstance(actual, date):
            expected = date.fromisoformat(expected)
        return _TRUE if _COMPARE[op](actual, expected) else _FALSE


def _all_in(actual: Any, expected: Any) -> bool:
    items = actual if isinstance(actual, (list, tuple, set, frozenset)) else (actual,)
    return all(x in expected for x in items)


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "is": operator.eq,
    "eq": operator.eq,
    "ne": operator.ne,
    "in": lambda actual, expected: _contains(expected, actual),
    "not_in": lambda actual, expected: not _contains(expected, actual),
    "all_in": _all_in,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _contains(container: Any, item: Any) -> bool:
    if isinstance(item, (list, tuple, set, frozenset)):  # a list-valued fact: any overlap
        return any(x in container for x in item)
    return item in container


def parse_condition(data: Any, *, where: str) -> Condition:
    """Parse a condition from YAML data; raise ValueError naming ``where`` on a malformed one."""
    if not isinstance(data, Mapping) or not data:
        msg = f"{where}: a condition must be a mapping such as {{fact: x, is: true}}"
        raise ValueError(msg)
    for combinator in ("all", "any"):
        if combinator in data:
            parts = data[combinator]
            if len(data) != 1 or not isinstance(parts, list) or not parts:
                msg = f"{where}: '{combinator}' takes a non-empty list and nothing else"
                raise ValueError(msg)
            return Condition(
                combinator,
                parts=tuple(
                    parse_condition(p, where=f"{where}.{combinator}[{i}]")
                    for i, p in enumerate(parts)
                ),
            )
    if "not" in data:
        if len(data) != 1:
            msg = f"{where}: 'not' takes one condition and nothing else"
            raise ValueError(msg)
        return Condition("not", parts=(parse_condition(data["not"], where=f"{where}.not"),))
    if "fact" not in data:
        msg = f"{where}: a leaf condition needs 'fact' (or use all/any/not)"
        raise ValueError(msg)
    ops = [k for k in data if k != "fact"]
    if len(ops) != 1 or ops[0] not in OPERATORS:
        msg = f"{where}: a leaf needs exactly one of {', '.join(OPERATORS)}; got {ops}"
        raise ValueError(msg)
    op = ops[0]
    value = data[op]
    if op in ("in", "not_in", "all_in") and not isinstance(value, (list, Mapping)):
        msg = f"{where}: '{op}' takes a list"
        raise ValueError(msg)
    if isinstance(value, list) and any(isinstance(x, bool) for x in value):
        msg = (
            f"{where}: '{op}' lists a yes/no value; YAML reads unquoted NO (Norway), ON, Y as "
            'yes/no: quote it ("NO")'
        )
        raise ValueError(msg)
    if isinstance(value, Mapping) and not ({"param"} == set(value) or {"fact"} == set(value)):
        msg = f"{where}: a value mapping must be {{param: name}} or {{fact: name}}"
        raise ValueError(msg)
    return Condition("leaf", fact=str(data["fact"]), op=op, value=value)
