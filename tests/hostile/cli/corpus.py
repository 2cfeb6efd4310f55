"""A corpus of hostile inputs for every command that reads a user's file, generated, not stored.

Security review 2026-11-29, section 3 (../shared/cases/security/findings.md): 190 runs of
``match``, ``plan``, ``plan --batch``, ``rol import`` and ``programs claims import`` gave 32
tracebacks and silently accepted 6 bad inputs.  This corpus covers each kind named there and
the rest of each kind: every document kind against every command that reads a document, every
CSV kind against every command that reads a CSV, and the file-system kinds (missing, folder,
``/dev/zero``, a sparse 600 MB file, an unwritable ``--output``, a bad ``--db``).  A handful of
valid inputs make sure strictness did not turn away good files.

Each :class:`Case` says the exit code it must end with and, for a refusal, what its message
must name: the file (``error: FILE...``), the place (``line N``, ``row N`` or the field) and
the problem.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.unit.test_instance_validation import GOOD

__all__ = ["SPARSE", "Case", "cases"]

ROOT = Path(__file__).resolve().parents[3]
SPARSE = b"<sparse 600 MB>"
"""Content marker: the runner's folder gets a 600 MB sparse file (no disk used) instead."""

ON = "2026-11-22"


@dataclass(frozen=True)
class Case:
    """One run: the command line, the files it reads, and what must come of it."""

    name: str
    argv: tuple[str, ...]
    files: dict[str, bytes] = field(default_factory=dict)
    code: int = 2
    source: str = ""
    """What the error must start with (``error: SOURCE``); "" for the first file argument."""
    where: str = ""
    """A regular expression for the place named (``line 3``, ``row 2``, a field path)."""
    words: str = ""
    """A regular expression for the problem's wording."""
    stdin: str = ""
    unchanged: tuple[str, ...] = ()
    """Files whose bytes must be the same after the run (nothing replaced on failure)."""
    absent: tuple[str, ...] = ()
    """Files that must not exist after the run (nothing executed from a YAML tag)."""
    kind: str = ""

    def to_json(self, folder: Path) -> dict[str, Any]:
        return {
            "name": self.name,
            "argv": list(self.argv),
            "folder": str(folder),
            "stdin": str(folder / self.stdin) if self.stdin else "",
        }


def _instance_yaml() -> bytes:
    return yaml.safe_dump(GOOD, sort_keys=False).encode()


def _profile() -> bytes:
    return (ROOT / "examples" / "profile-nigeria.yaml").read_bytes()


def _cohort() -> bytes:
    return b"\n".join((ROOT / "examples" / "cohort.csv").read_bytes().splitlines()[:3]) + b"\n"


GOOD_JSON = json.dumps(GOOD).encode()
RANKS = b"rank,applicant\n1,ana\n2,ben\n"
CLAIM_HEADER = b"program_code,field,value,kind,source,as_of,entered_by,note\n"
CLAIM_ROW = b"1414140C0,j1_sponsor,yes,reported,https://example.org/albany,2026-05-01,ed,\n"


# ---------------------------------------------------------------- document kinds


def _bomb(levels: int) -> bytes:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, levels)]
    return ("\n".join(lines) + "\n").encode()


def _bomb_maps(levels: int) -> bytes:
    lines = ["a0: &a0 {x: 1, y: 2, z: 3, w: 4}"]
    lines += [
        f"a{i}: &a{i} {{{', '.join(f'k{j}: *a{i - 1}' for j in range(10))}}}"
        for i in range(1, levels)
    ]
    return ("\n".join(lines) + "\n").encode()


_DEEP = "nested more than 64 levels"
_NUL = "NUL character"

# fmt: off
DOCUMENT_KINDS: list[tuple[str, str, bytes, str, str]] = [
    # name, extension, content, where (regex), words (regex)
    ("empty", "yaml", b"", "", ""),
    ("whitespace", "yaml", b"  \n\n\t \n", "", ""),
    ("png", "json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "", "text"),
    ("utf16-no-bom", "yaml", "programs: {}\n".encode("utf-16-le"), "", "UTF-16"),
    ("latin1", "yaml", b"name: Jos\xe9\nprograms: {}\n", "line 1, column 10", "not UTF-8"),
    ("nul-raw-yaml", "yaml", b"programs:\x00\n", "line 1, column 10", _NUL),
    ("nul-raw-json", "json", b'{"programs": {}, "x": "a\x00"}', "line 1, column 25", _NUL),
    ("nul-escape-json", "json", b'{"programs": {"P\\u0000": {"quota": 1}}}', "programs", _NUL),
    ("nul-escape-yaml", "yaml", b'programs:\n  "P\\0": {quota: 1}\n', "line 2", _NUL),
    ("surrogate-json", "json", b'{"programs": {"\\ud800": {"quota": 1}}}', "programs", "surrogate"),
    ("surrogate-yaml", "yaml", b'programs:\n  "\\udc00": {quota: 1}\n', "line 2", "Unicode"),
    ("escape-raw", "yaml", b"programs:\n  P\x1b[31m: {quota: 1}\n", "line 2, column 4", "U\\+001B"),
    ("c1-raw", "yaml", "programs: {}\nx: a\u0085b\n".encode(), "line 2, column 5", "U\\+0085"),
    ("bell-escape-json", "json", b'{"programs": {}, "x": "\\u0007"}', "x", "U\\+0007"),
    ("deep-json-arrays", "json", b"[" * 200_000 + b"]" * 200_000, "line 1, column 65", _DEEP),
    ("deep-json-objects", "json", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "line 1", _DEEP),
    ("deep-yaml-flow", "yaml", b"[" * 20_000 + b"]" * 20_000, "line 1, column 65", _DEEP),
    ("deep-yaml-maps", "yaml", "".join(" " * i + "a:\n" for i in range(3_000)).encode(), "line 65", _DEEP),
    ("deep-yaml-lists", "yaml", "".join("  " * i + "-\n" for i in range(3_000)).encode(), "line 65", _DEEP),
    ("alias-bomb", "yaml", _bomb(9), "line 4", "expand to more than"),
    ("alias-bomb-maps", "yaml", _bomb_maps(8), "line 4", "expand to more than"),
    ("alias-loop-list", "yaml", b"programs: &a [*a]\n", "line 1", "a loop"),
    ("alias-loop-map", "yaml", b"programs: &t {extra: *t}\n", "line 1", "a loop"),
    ("alias-unknown", "yaml", b"programs: *nothing\n", "line 1", "names no anchor"),
    ("tag-python-apply", "yaml", b"programs: !!python/object/apply:os.system ['touch pwned']\n", "line 1", "tag !!python"),
    ("tag-python-name", "yaml", b"programs: !!python/name:os.system\n", "line 1", "tag !!python"),
    ("tag-binary", "yaml", b"programs: !!binary aGVsbG8=\n", "line 1", "tag !!binary"),
    ("tag-set", "yaml", b"programs: !!set {a, b}\n", "line 1", "tag !!set"),
    ("tag-omap", "yaml", b"programs: !!omap [a: 1]\n", "line 1", "tag !!omap"),
    ("tag-timestamp", "yaml", b"programs: !!timestamp 2022-02-30\n", "line 1", "tag !!timestamp"),
    ("tag-custom", "yaml", b"programs: !Ref other\n", "line 1", "tag !Ref"),
    ("dup-key-yaml", "yaml", b"programs: {}\nprograms: {}\n", "line 2", "appears twice"),
    ("dup-key-json", "json", b'{"programs": {},\n "programs": {}}', "line 2", "appears twice"),
    ("dup-key-nested", "yaml", b"programs:\n  P: {quota: 1, quota: 2}\n", "line 2", "appears twice"),
    ("int-5000-yaml", "yaml", b"programs: {P: {quota: " + b"9" * 5000 + b"}}\n", "line 1", "5,000 digits"),
    ("int-5000-json", "json", b'{"programs": {"P": {"quota": ' + b"9" * 5000 + b"}}}", "line 1", "5,000 digits"),
    ("hex-huge-yaml", "yaml", b"programs: {P: {quota: 0x" + b"f" * 60 + b"}}\n", "line 1", "60 digits"),
    ("nan-json", "json", b'{"programs": {"P": {"quota": NaN}}}', "line 1", "NaN"),
    ("infinity-json", "json", b'{"programs": {"P": {"quota": -Infinity}}}', "line 1", "Infinity"),
    ("nan-yaml", "yaml", b"programs: {P: {quota: .NaN}}\n", "line 1", "not-a-number"),
    ("inf-yaml", "yaml", b"programs: {P: {quota: .inf}}\n", "line 1", "infinity"),
    ("float-overflow-json", "json", b'{"programs": {"P": {"quota": 1e999}}}', "line 1", "too large"),
    ("float-overflow-yaml", "yaml", b"programs: {P: {quota: 1e999}}\n", "line 1", "too large"),
    ("two-documents", "yaml", b"programs: {}\n---\nprograms: {}\n", "line 2", "second document"),
    ("json-trailing-comma", "json", b'{"programs": {"P": {"quota": 1,}}}', "line 1, column 32", "not valid JSON"),
    ("json-cut-short", "json", GOOD_JSON[: len(GOOD_JSON) // 2], "line 1", "not valid JSON"),
    ("yaml-cut-short", "yaml", b"programs: {P: {quota: 1, rol: [ana, ", "line 2", "not valid YAML"),
    ("yaml-tab-indent", "yaml", b"programs:\n\tP: {quota: 1}\n", "line 2", "not valid YAML"),
    ("yaml-open-quote", "yaml", b'programs: {P: {quota: 1}}\nname: "abc\n', "line 3", "not valid YAML"),
    ("double-bom", "json", b"\xef\xbb\xbf\xef\xbb\xbf{}", "line 1", "not valid JSON"),
    ("complex-key", "yaml", b"? [a, b]\n: 1\n", "line 1", "key must be text or a number"),
    ("sparse-600mb", "json", SPARSE, "", "is 600 MB, more than the 512 MB imgpath reads"),
]
# fmt: on


# ---------------------------------------------------------------- the cases


def _document_cases() -> Iterator[Case]:
    commands = {
        "match": lambda f: ("match", f),
        "plan": lambda f: ("plan", f, "--on", ON),
        "rol": lambda f: ("rol", "import", f, "IM1", "ranks.csv"),
    }
    for kind, ext, content, where, words in DOCUMENT_KINDS:
        for command, argv in commands.items():
            name = f"doc.{ext}"
            files = {name: content}
            if command == "rol":
                files["ranks.csv"] = RANKS
            yield Case(
                f"{command}/{kind}",
                argv(name),
                files,
                where=where,
                words=words,
                absent=("pwned",),
                kind="document",
            )
    # the same hostile document through standard input, and through --for of a search
    yield Case(
        "match/stdin-deep",
        ("match", "-"),
        {"in": b"[" * 100_000},
        source="<stdin>",
        where="line 1, column 65",
        words=_DEEP,
        stdin="in",
        kind="document",
    )
    yield Case(
        "match/stdin-nul",
        ("match", "-"),
        {"in": b"programs: {}\x00"},
        source="<stdin>",
        where="line 1",
        words=_NUL,
        stdin="in",
        kind="document",
    )
    yield Case(
        "search/for-alias-bomb",
        ("programs", "search", "--for", "doc.yaml"),
        {"doc.yaml": _bomb(9)},
        source="doc.yaml",
        where="line 4",
        words="expand to more than",
        kind="document",
    )
    yield Case(
        "odds/profile-bad-date",
        ("odds", "doc.yaml", "--on", ON),
        {"doc.yaml": b"school: {graduation_date: 2022-02-30}\n"},
        source="doc.yaml",
        where="school.graduation_date",
        words="date",
        kind="document",
    )
    yield Case(
        "market/scenario-tag",
        ("market", "simulate", "--scenario", "s.yaml", "--runs", "1"),
        {"s.yaml": b"x: !!python/object/apply:os.system ['touch pwned']\n"},
        source="s.yaml",
        where="line 1",
        words="tag !!python",
        absent=("pwned",),
        kind="document",
    )


def _instance_cases() -> Iterator[Case]:
    def doc(change: dict[str, Any]) -> bytes:
        data = json.loads(GOOD_JSON)
        for path, value in change.items():
            node = data
            *parents, leaf = path.split("/")
            for key in parents:
                node = node[key]
            node[leaf] = value
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    def renamed(old: str, new: str) -> bytes:
        return GOOD_JSON.replace(f'"{old}"'.encode(), json.dumps(new).encode())

    # fmt: off
    rows: list[tuple[str, bytes, str, str]] = [
        ("quota-26-digits", doc({"programs/IM1/quota": 99999999999999999999999999}), r"programs\['IM1'\]\.quota", "at most 100,000"),
        ("quota-2-billion", doc({"programs/IM1/quota": 2_000_000_000}), r"programs\['IM1'\]\.quota", "at most"),
        ("quota-negative", doc({"programs/IM1/quota": -1}), r"programs\['IM1'\]\.quota", "quota is -1"),
        ("quota-float", doc({"programs/IM1/quota": 1.5}), r"programs\['IM1'\]\.quota", "integer"),
        ("quota-text", doc({"programs/IM1/quota": "3"}), r"programs\['IM1'\]\.quota", "integer"),
        ("quota-bool", doc({"programs/IM1/quota": True}), r"programs\['IM1'\]\.quota", "integer"),
        ("positions-huge", doc({"programs/IM1/reversions": [{"to": "PRE", "positions": 10**25}]}), r"reversions", "reverts"),
        ("code-empty", renamed("PRE", ""), r"programs\[''\]", "is empty"),
        ("code-spaces", renamed("PRE", "   "), r"programs", "only spaces"),
        ("id-bidi-override", renamed("dee", "dee\u202egpj.exe"), r"applicants", "U\\+202E"),
        ("id-zero-width", renamed("dee", "de\u200de"), r"applicants", "U\\+200D"),
        ("id-leading-space", renamed("dee", " dee"), r"applicants", "starts or ends with a space"),
        ("id-too-long", renamed("dee", "d" * 5000), r"applicants", "5,000 characters"),
        ("list-name-bidi", renamed("prelims", "pre\u202elims"), r"supplemental_lists", "U\\+202E"),
        ("rol-301", doc({"applicants/ben/rol": ["IM1"] * 301}), r"applicants\['ben'\]\.rol", "301 ranks"),
        ("couple-same-member", doc({"couples": [{"members": ["cy", "cy"]}]}), r"couples\[0\]", "twice"),
        ("reversion-loop", doc({"programs/IM1/reversions": [{"to": "DERM", "positions": 1}], "programs/DERM/reversions": [{"to": "IM1", "positions": 1}]}), "reversion", "circular|type"),
        ("top-level-list", b"[1, 2, 3]", "", "must be an object"),
        ("top-level-text", b'"programs"', "", "must be an object"),
        ("unknown-key", doc({"programz": {}}), "programz", "Extra inputs|extra"),
    ]
    # fmt: on
    for kind, content, where, words in rows:
        yield Case(
            f"match/{kind}",
            ("match", "m.json"),
            {"m.json": content},
            where=where,
            words=words,
            kind="instance",
        )


def _profile_cases() -> Iterator[Case]:
    # fmt: off
    rows: list[tuple[str, bytes, str, str]] = [
        ("date-feb-30", b"school: {graduation_date: 2022-02-30}\n", "school.graduation_date", "date"),
        ("datetime-garbage", b"school: {graduation_date: 2022-13-45T99:99:99}\n", "school.graduation_date", "date"),
        ("date-as-number", b"school: {graduation_date: 20220230}\n", "school.graduation_date", "date"),
        ("score-huge", b"exams: {step2ck: [{date: 2024-01-01, result: pass, score: 99999999999}]}\n", "score", "300"),
        ("score-nan", b"exams: {step2ck: [{date: 2024-01-01, result: pass, score: .nan}]}\n", "line 1", "not-a-number"),
        ("country-unknown", b"school: {country: XX}\n", "school.country", "unknown country code"),
        ("name-null-escape", b'name: "Ana\\0"\n', "line 1", _NUL),
        ("future-result", b"exams: {step1: [{date: 2030-01-01, result: pass}]}\n", r"exams\.step1\[0\]\.date", "after the evaluation date"),
        ("targets-loop", b"targets: &t {extra: *t}\n", "targets.extra", "a loop"),
        ("usce-loop", b"usce: &a [*a]\n", "usce", "a loop"),
        ("wrong-type-list", b"citizenships: NG\n", "citizenships", "valid tuple"),
    ]
    # fmt: on
    for kind, content, where, words in rows:
        yield Case(
            f"plan/{kind}",
            ("plan", "p.yaml", "--on", ON),
            {"p.yaml": content},
            where=where,
            words=words,
            kind="profile",
        )


def _rank_csv_cases() -> Iterator[Case]:
    big = b"x" * 140_000
    # fmt: off
    rows: list[tuple[str, bytes, str, str]] = [
        ("empty", b"", "", "empty"),
        ("whitespace", b"\n  \n\n", "", "empty|no entries"),
        ("header-only", b"rank,applicant\n", "", "no entries"),
        ("extra-header-columns", b"rank,applicant,x,y,z\n1,ana,1,2,3\n", "line 1", "unknown column"),
        ("extra-cells", b"rank,applicant\n1,ana,extra\n", "line 2", "has 3 columns"),
        ("too-many-id-columns", b"1,ana,ben,cy,dee\n", "columns", "4 id column"),
        ("unterminated-quote", b'rank,applicant\n1,"ana\n', "line 2", "never closed"),
        ("text-after-quote", b'rank,applicant\n1,"an"a\n', "line 2", "follows a closing quote"),
        ("field-over-limit", b"rank,applicant\n1," + big + b"\n", "line 2", "131,072"),
        ("quote-swallows-rest", b'rank,applicant\n1,"ana\n2,ben\n' + b"3,cy\n" * 30_000, "line 2", "never closed|131,072"),
        ("nul", b"rank,applicant\n1,an\x00a\n", "line 2, column 5", _NUL),
        ("bidi-id", "rank,applicant\n1,ana\u202e\n".encode(), "line 2", "U\\+202E"),
        ("control-char", b"rank,applicant\n1,a\x07na\n", "line 2, column 4", "U\\+0007"),
        ("rank-5000-digits", b"rank,applicant\n" + b"1" * 5000 + b",ana\n", "line 2", "where 1 was expected"),
        ("rank-superscript", "rank,applicant\n²,ana\n".encode(), "line 2", "not a whole number"),
        ("rank-arabic-digit", "rank,applicant\n١,ana\n".encode(), "line 2", "not a whole number"),
        ("rank-decimal", b"rank,applicant\n1.0,ana\n", "line 2", "not a whole number"),
        ("rank-zero", b"rank,applicant\n0,ana\n", "line 2", "rank 0 where 1"),
        ("rank-gap", b"rank,applicant\n1,ana\n3,ben\n", "line 3", "rank 3 where 2"),
        ("rank-repeat", b"rank,applicant\n1,ana\n1,ben\n", "line 3", "rank 1 where 2"),
        ("formula-id", b'rank,applicant\n1,"=HYPERLINK(""http://x"",""y"")"\n', "rol", "unknown applicant"),
        ("unknown-id", b"rank,applicant\n1,zed\n", "rol", "unknown applicant 'zed'"),
        ("200k-rows", b"rank,applicant\n" + b"".join(b"%d,ana\n" % i for i in range(1, 200_001)), "rol", "more than once"),
        ("utf16", "rank,applicant\n1,ana\n".encode("utf-16-le"), "", "UTF-16"),
        ("latin1", b"rank,applicant\n1,Jos\xe9\n", "line 2", "not UTF-8"),
        ("binary", b"\x7fELF\x02\x01\x01\x00\x00\x00", "line 1", "not a text file|U\\+007F|DEL"),
    ]
    # fmt: on
    for kind, content, where, words in rows:
        yield Case(
            f"rol-csv/{kind}",
            ("rol", "import", "m.json", "IM1", "r.csv", "-o", "m.json"),
            {"m.json": GOOD_JSON, "r.csv": content},
            source="r.csv",
            where=where,
            words=words,
            unchanged=("m.json",),
            kind="rank-csv",
        )
    yield Case(
        "rol-csv/empty-for-applicant",
        ("rol", "import", "m.json", "ben", "r.csv", "-o", "m.json"),
        {"m.json": GOOD_JSON, "r.csv": b""},
        source="r.csv",
        words="empty",
        unchanged=("m.json",),
        kind="rank-csv",
    )
    yield Case(
        "rol-csv/empty-supplemental",
        ("rol", "import", "m.json", "ana", "r.csv", "--supplemental", "prelims", "-o", "m.json"),
        {"m.json": GOOD_JSON, "r.csv": b"rank,program\n"},
        source="r.csv",
        words="no entries",
        unchanged=("m.json",),
        kind="rank-csv",
    )
    yield Case(
        "rol-csv/couple-width",
        ("rol", "import", "m.json", "cy", "r.csv"),
        {"m.json": GOOD_JSON, "r.csv": b"rank,program\n1,IM1\n"},
        source="r.csv",
        where="columns",
        words="a couple's list takes 2 or 4",
        kind="rank-csv",
    )


def _claims_cases() -> Iterator[Case]:
    h, ok = CLAIM_HEADER, CLAIM_ROW
    big = b"y" * 140_000
    # fmt: off
    rows: list[tuple[str, bytes, str, str]] = [
        ("empty", b"", "", "empty"),
        ("header-only", h, "", "no claims"),
        ("missing-columns", b"program_code,field\n1414140C0,j1_sponsor\n", "line 1", "missing column"),
        ("unknown-column", h.replace(b",note", b",note,colour"), "line 1", "unknown column"),
        ("duplicate-column", h.replace(b",note", b",note,note"), "line 1", "appear twice"),
        ("extra-cells", h + ok.replace(b",\n", b",,extra\n"), "row 2", "has 9 cells"),
        ("nul-entered-by", h + ok.replace(b",ed,", b",e\x00d,"), "line 2", _NUL),
        ("nul-note", h + ok.replace(b",ed,", b",ed,a\x00b"), "line 2", _NUL),
        ("escape-in-note", h + ok.replace(b",ed,", b",ed,\x1b[2J"), "line 2", "U\\+001B"),
        ("unterminated-quote", h + b'1414140C0,j1_sponsor,"yes\n', "line 2", "never closed"),
        ("field-over-limit", h + ok.replace(b",ed,", b",ed," + big), "line 2", "131,072"),
        ("value-5000-digits", h + ok.replace(b"step2ck_min", b"x").replace(b"j1_sponsor,yes,reported", b"step2ck_min," + b"9" * 5000 + b",cutoff"), "row 2", "value"),
        ("as-of-future", h + ok.replace(b"2026-05-01", b"2999-01-01"), "row 2", "in the future"),
        ("as-of-feb-30", h + ok.replace(b"2026-05-01", b"2026-02-30"), "row 2", "not a date"),
        ("program-empty", h + ok.replace(b"1414140C0", b""), "row 2", "program_code"),
        ("formula-code", h + ok.replace(b"1414140C0", b"=1+1"), "row 2", "no program"),
        ("50k-bad-rows", h + ok.replace(b"1414140C0", b"NOPE") * 50_000, "row 2", "no program"),
        ("utf16", (h + ok).decode().encode("utf-16-le"), "", "UTF-16"),
    ]
    # fmt: on
    for kind, content, where, words in rows:
        yield Case(
            f"claims/{kind}",
            ("programs", "claims", "import", "c.csv", "--db", "{db}"),
            {"c.csv": content},
            source="c.csv",
            where=where,
            words=words,
            kind="claims-csv",
        )
    yield Case(
        "claims/by-escape",
        ("programs", "claims", "import", "c.csv", "--db", "{db}", "--by", "\x1b[31m"),
        {"c.csv": h + ok},
        source="--by",
        words="U\\+001B",
        kind="claims-csv",
    )


def _batch_cases() -> Iterator[Case]:
    head = (ROOT / "examples" / "cohort.csv").read_bytes().splitlines()[0] + b"\n"
    row = _cohort().splitlines()[1] + b"\n"
    # fmt: off
    rows: list[tuple[str, str, bytes, str, str]] = [
        ("empty", "csv", b"", "", "empty"),
        ("whitespace", "csv", b" \n\n", "", "empty"),
        ("header-only", "csv", head, "", "no people"),
        ("unknown-column", "csv", b"id,school_contry\n1,IN\n", "line 1", "unknown column"),
        ("extra-cells", "csv", head + row.replace(b"\n", b",extra\n"), "row 2", "cells"),
        ("short-row", "csv", head + row[:40] + b"\n", "row 2", "cut short"),
        ("unterminated-quote", "csv", head + b'c-9,"Ana\n', "line 2", "never closed"),
        ("field-over-limit", "csv", b"id,name\n1," + b"n" * 140_000 + b"\n", "line 2", "131,072"),
        ("nul", "csv", head + row.replace(b"Example", b"Ex\x00ample"), "line 2", _NUL),
        ("number-5000-digits", "csv", b"id,match_year\n1," + b"2" * 5000 + b"\n", "row 2", "not a whole number"),
        ("bad-date", "csv", b"id,graduation_date\n1,2022-02-30\n", "row 2", "date"),
        ("jsonl-deep", "jsonl", b"[" * 100_000 + b"\n", "line 1", _DEEP),
        ("jsonl-nul", "jsonl", b'{"id": "a\\u0000"}\n', "line 1", _NUL),
        ("jsonl-huge-int", "jsonl", b'{"id": "a", "targets": {"match_year": ' + b"2" * 5000 + b"}}\n", "line 1", "5,000 digits"),
        ("jsonl-not-object", "jsonl", b"null\n[1]\n", "row 1", ""),
        ("jsonl-dup-key", "jsonl", b'{"id": "a", "id": "b"}\n', "line 1", "appears twice"),
        ("jsonl-surrogate", "jsonl", b'{"name": "\\udfff"}\n', "line 1", "surrogate"),
        ("binary", "csv", b"\x00\x01\x02\x03" * 10, "", "UTF-16 or UTF-32|text"),
    ]
    # fmt: on
    for kind, ext, content, where, words in rows:
        yield Case(
            f"batch/{kind}",
            ("plan", "--batch", f"b.{ext}", "--on", ON),
            {f"b.{ext}": content},
            where=where,
            words=words,
            kind="batch",
        )


def _file_system_cases() -> Iterator[Case]:
    inputs = {
        "match": ("match", "{path}"),
        "plan": ("plan", "{path}", "--on", ON),
        "batch": ("plan", "--batch", "{path}", "--on", ON),
        "rol-instance": ("rol", "import", "{path}", "IM1", "ranks.csv"),
        "rol-csv": ("rol", "import", "m.json", "IM1", "{path}"),
        "claims": ("programs", "claims", "import", "{path}", "--db", "{db}"),
        "search-for": ("programs", "search", "--for", "{path}"),
    }
    for command, template in inputs.items():
        for what, path, words in (
            ("missing", "nope.json", "no such file"),
            ("folder", "folder", "is a folder"),
            ("dev-zero", "/dev/zero", "goes on past, more than the 512 MB imgpath reads"),
        ):
            argv = tuple(a.replace("{path}", path) for a in template)
            files = {"m.json": GOOD_JSON, "ranks.csv": RANKS, "folder/x": b""}
            yield Case(f"{command}/{what}", argv, files, source=path, words=words, kind="file")
    outputs = {
        "match": ("match", "m.json", "-o", "{out}"),
        "plan": ("plan", "p.yaml", "--on", ON, "-o", "{out}"),
        "rol-import": ("rol", "import", "m.json", "IM1", "ranks.csv", "-o", "{out}"),
        "rol-export": ("rol", "export", "m.json", "IM1", "-o", "{out}"),
        "batch": ("plan", "--batch", "b.csv", "--on", ON, "-o", "{out}"),
    }
    for command, template in outputs.items():
        for what, out, words in (
            ("output-folder", "folder", "is a folder"),
            ("output-missing-folder", "no/such/out.txt", "does not exist"),
            ("output-proc", "/proc/version", "cannot be written|permission denied|denied"),
        ):
            argv = tuple(a.replace("{out}", out) for a in template)
            files = {
                "m.json": GOOD_JSON,
                "ranks.csv": RANKS,
                "p.yaml": _profile(),
                "b.csv": _cohort(),
                "folder/x": b"",
            }
            yield Case(
                f"{command}/{what}",
                argv,
                files,
                source="--output",
                words=words,
                unchanged=("m.json",),
                kind="file",
            )
    yield Case(
        "claims-export/output-folder",
        ("programs", "claims", "export", "folder", "--db", "{db}"),
        {"folder/x": b""},
        source="FILE",
        words="is a folder",
        kind="file",
    )
    for what, url, words in (
        ("garbage", "not a url", "cannot open|cannot be used"),
        ("unknown-driver", "mysql://user:secret@localhost/x", "cannot open"),
        ("unknown-dialect", "http://example.org", "cannot be used|cannot open"),
        ("sqlite-in-missing-root", "sqlite:////proc/no/such/x.db", "cannot open"),
        ("sqlite-folder", "sqlite:///folder", "cannot open"),
        ("sqlite-not-a-database", "sqlite:///notdb.txt", "cannot open"),
        ("sqlite-name-too-long", "sqlite:///" + "d" * 300 + "/x.db", "cannot open"),
        (
            "postgres-closed-port",
            "postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2",
            "cannot open",
        ),
        ("postgres-bad-port", "postgresql+psycopg://postgres@127.0.0.1:99999/test", "cannot open"),
    ):
        yield Case(
            f"db/{what}",
            ("programs", "claims", "import", "c.csv", "--db", url),
            {
                "c.csv": CLAIM_HEADER + CLAIM_ROW,
                "folder/x": b"",
                "notdb.txt": b"this is not a database\n" * 100,
            },
            source="--db",
            words=words,
            kind="file",
        )


def _valid_cases() -> Iterator[Case]:
    yield Case("valid/match-json", ("match", "m.json"), {"m.json": GOOD_JSON}, code=0, kind="valid")
    yield Case(
        "valid/match-yaml-bom",
        ("match", "m.yaml"),
        {"m.yaml": b"\xef\xbb\xbf" + _instance_yaml()},
        code=0,
        kind="valid",
    )
    yield Case(
        "valid/match-utf16-bom",
        ("match", "m.json"),
        {"m.json": GOOD_JSON.decode().encode("utf-16")},
        code=0,
        kind="valid",
    )
    yield Case(
        "valid/match-markup-ids",
        ("match", "m.json"),
        {"m.json": GOOD_JSON.replace(b'"ben"', b'"[/b]"').replace(b'"IM1"', b'"[bold]IM1"')},
        code=0,
        kind="valid",
    )
    yield Case(
        "valid/match-cr-only",
        ("match", "m.yaml"),
        {"m.yaml": _instance_yaml().replace(b"\n", b"\r")},
        code=0,
        kind="valid",
    )
    yield Case(
        "valid/match-small-alias",
        ("match", "m.yaml"),
        {
            "m.yaml": b"programs:\n  A: {quota: 1, rol: &r [x, y]}\n  B: {quota: 1, rol: *r}\napplicants: {x: {rol: [A, B]}, y: {rol: [B]}}\n"
        },
        code=0,
        kind="valid",
    )
    yield Case(
        "valid/plan-norway-no",
        ("plan", "p.yaml", "--on", "2026-01-10"),
        {
            "p.yaml": (ROOT.parent / "shared/cases/pathway/norway-unquoted-no.yaml").read_bytes()
            if (ROOT.parent / "shared/cases/pathway/norway-unquoted-no.yaml").exists()
            else b"id: no-1\nschool: {country: NO, graduation_date: 2024-06-15}\ncitizenships: [NO]\ntargets: {destination: US, match_year: 2027}\n"
        },
        code=0,
        kind="valid",
    )
    yield Case(
        "valid/plan-example",
        ("plan", "p.yaml", "--on", ON),
        {"p.yaml": _profile()},
        code=0,
        kind="valid",
    )
    yield Case(
        "valid/rol-import-cr-only",
        ("rol", "import", "m.json", "IM1", "r.csv"),
        {"m.json": GOOD_JSON, "r.csv": b"rank,applicant\r1,ana\r2,ben\r"},
        code=0,
        kind="valid",
    )
    yield Case(
        "valid/rol-import-allow-empty",
        ("rol", "import", "m.json", "IM1", "r.csv", "--allow-empty"),
        {"m.json": GOOD_JSON, "r.csv": b""},
        code=0,
        kind="valid",
    )
    yield Case(
        "valid/rol-import-in-place",
        ("rol", "import", "m.json", "IM1", "r.csv", "-o", "m.json"),
        {"m.json": GOOD_JSON, "r.csv": b"\xef\xbb\xbfrank,applicant\r\n1,ben\r\n2,ana\r\n"},
        code=0,
        kind="valid",
    )
    yield Case(
        "valid/batch",
        ("plan", "--batch", "b.csv", "--on", ON),
        {"b.csv": _cohort()},
        code=0,
        kind="valid",
    )
    yield Case(
        "valid/claims",
        ("programs", "claims", "import", "c.csv", "--db", "{db}"),
        {"c.csv": CLAIM_HEADER + CLAIM_ROW},
        code=0,
        kind="valid",
    )
    yield Case(
        "valid/output-dev-null",
        ("match", "m.json", "-o", "/dev/null"),
        {"m.json": GOOD_JSON},
        code=0,
        kind="valid",
    )


def cases() -> list[Case]:
    """Every case, in a fixed order, with unique names."""
    out = [
        *_document_cases(),
        *_instance_cases(),
        *_profile_cases(),
        *_rank_csv_cases(),
        *_claims_cases(),
        *_batch_cases(),
        *_file_system_cases(),
        *_valid_cases(),
    ]
    names = [c.name for c in out]
    assert len(names) == len(set(names)), "case names must be unique"
    for case in out:
        re.compile(case.where)
        re.compile(case.words)
    return out
