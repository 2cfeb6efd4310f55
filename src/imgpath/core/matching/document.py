"""The interchange format of a Match instance (JSON or YAML), as a pydantic schema.

This checks *shape* only (types, required keys, no unknown keys); the rules that need the whole
document (unknown codes, duplicates, couples, reversions, NRMP limits) are checked in
:mod:`imgpath.core.matching.instance`.  The JSON Schema in ``docs/reference/instance.schema.json``
is generated from these types.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired

from pydantic import (
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    with_config,
)
from typing_extensions import TypedDict

from imgpath.core.validation import problems_from
from imgpath.errors import InvalidInstanceError, Problem

_KEYED = frozenset({"programs", "applicants", "supplemental_lists"})

__all__ = [
    "ApplicantDoc",
    "CoupleDoc",
    "InstanceDoc",
    "ProgramDoc",
    "ReversionDoc",
    "SupplementalRef",
    "instance_json_schema",
    "validate_shape",
]

_STRICT = ConfigDict(extra="forbid", strict=True)


@with_config(_STRICT)
class SupplementalRef(TypedDict):
    """An advanced program on a primary list, with the supplemental list to try once it is held."""

    program: Annotated[StrictStr, Field(description="Code of an advanced (PGY-2) program.")]
    supplemental: Annotated[
        StrictStr, Field(description="Name of one of this applicant's supplemental lists.")
    ]


@with_config(_STRICT)
class ReversionDoc(TypedDict):
    """Positions this program gives to another if it cannot fill them itself."""

    to: Annotated[StrictStr, Field(description="Code of the receiving program.")]
    positions: Annotated[StrictInt, Field(description="How many positions may revert (1 or more).")]


@with_config(_STRICT)
class ProgramDoc(TypedDict):
    """A program track: its quota and its rank order list of applicant ids, best first."""

    quota: Annotated[StrictInt, Field(description="Positions offered (0 or more).")]
    rol: NotRequired[list[StrictStr]]
    type: NotRequired[
        Annotated[
            Literal["C", "P", "A", "R", "M"],
            Field(
                description="NRMP track type: C categorical, P preliminary (PGY-1 only), "
                "A advanced (PGY-2), R physician/reserved (PGY-2), M primary-care categorical."
            ),
        ]
    ]
    reversions: NotRequired[list[ReversionDoc]]
    joint_with: NotRequired[
        Annotated[
            StrictStr,
            Field(
                description="For a preliminary program in a Joint Advanced/Preliminary "
                "arrangement: the advanced program whose matched applicants alone may match here."
            ),
        ]
    ]


@with_config(_STRICT)
class ApplicantDoc(TypedDict):
    """An applicant: a primary rank order list of program codes, best first."""

    rol: NotRequired[list[StrictStr | SupplementalRef]]
    supplemental_lists: NotRequired[dict[StrictStr, list[StrictStr]]]


CoupleSide = StrictStr | SupplementalRef | None


@with_config(_STRICT)
class CoupleDoc(TypedDict):
    """Two applicants ranking pairs of programs together; null is "No Match" for that partner."""

    members: Annotated[list[StrictStr], Field(min_length=2, max_length=2)]
    rol: NotRequired[list[Annotated[list[CoupleSide], Field(min_length=2, max_length=2)]]]


@with_config(_STRICT)
class InstanceDoc(TypedDict):
    """A whole Match: programs, applicants and couples."""

    programs: dict[StrictStr, ProgramDoc]
    applicants: NotRequired[dict[StrictStr, ApplicantDoc]]
    couples: NotRequired[list[CoupleDoc]]


_ADAPTER: TypeAdapter[InstanceDoc] = TypeAdapter(InstanceDoc)


def validate_shape(data: Any, *, source: str = "", max_problems: int = 50) -> InstanceDoc:
    """Check that ``data`` has the shape of an instance document, or raise with every problem."""
    if not isinstance(data, dict):
        raise InvalidInstanceError(
            [
                Problem(
                    "",
                    f"the document must be an object with a 'programs' key, not {type(data).__name__}",
                    "see docs/reference/instance-format.md for an example",
                )
            ],
            source=source,
        )
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        problems = problems_from(exc, keyed=_KEYED)
        raise InvalidInstanceError(
            problems[:max_problems], source=source, total=len(problems)
        ) from None


def instance_json_schema() -> dict[str, Any]:
    """The JSON Schema of the instance format (draft 2020-12)."""
    schema = _ADAPTER.json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "imgpath Match instance"
    return schema
