"""Merge policy layers and turn the result into a frozen `Policy`, collecting every error.

Merging: rules by code (keys of a later layer win, ``options`` merged key by key); artifacts and
people by name; ``components.markers`` replaced, ``exclude`` and ``include`` appended,
``declare`` merged by path; waivers appended; ``limits`` and ``change_control`` merged deeply;
other keys replaced.
A rule marked ``locked`` accepts nothing from later repository layers but a higher severity.
"""

from __future__ import annotations

import copy
import datetime as dt
import posixpath
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from roadworthy.errors import LocatedError, Location
from roadworthy.findings import Severity
from roadworthy.formats import refs
from roadworthy.formats.globs import problem
from roadworthy.formats.validation import format_path
from roadworthy.formats.yamlio import JsonPath
from roadworthy.policy.builtin import BUILTIN_LAYER, ENGINE_RULES
from roadworthy.policy.layer import Layer, policy_digest
from roadworthy.policy.model import (
    DEFAULT_MARKERS,
    DEFAULT_RISKS,
    PRUNED,
    STAGES,
    Candidate,
    ChangeControl,
    Declared,
    Discovery,
    Material,
    Policy,
    Readiness,
    Rule,
    Scope,
    Waiver,
)
from roadworthy.policy.stages import stages
from roadworthy.workspace.worktree import DEFAULT_MAX_FILE_SIZE

_LOCK_SAFE_KEYS = frozenset({"severity", "locked", "refs"})  # refs only document a rule
_GROUPED = 3  # the longest prefix _Merge._note is called with


class _Merge:
    def __init__(self, errors: list[LocatedError]) -> None:
        self.data: dict[str, Any] = {}
        self.origins: dict[JsonPath, Location] = {}
        self.locked_by: dict[str, str] = {}
        self.errors = errors
        self.waiver_layers: list[str] = []
        self.pruned_rules: set[str] = set()
        # A list item appended after a preset's items, at its merged path -> as its file wrote it
        self.written: dict[JsonPath, JsonPath] = {}
        # id(layer.doc) -> leading part of a path -> the positions under it (see _below)
        self._groups: dict[int, dict[JsonPath, list[tuple[JsonPath, tuple[int, int]]]]] = {}

    def origin(self, path: JsonPath) -> Location:
        while path not in self.origins and path:
            path = path[:-1]
        return self.origins.get(path, Location("policy"))

    def as_written(self, path: JsonPath) -> JsonPath:
        """``path`` as the file that set it numbers it: a repository's first exclude is
        ``exclude[0]`` to its author, however many the preset had."""
        for n in range(len(path), 0, -1):
            if path[:n] in self.written:
                return self.written[path[:n]] + path[n:]
        return path

    def add(self, layer: Layer) -> None:
        self.pruned_rules |= {str(p[1]) for p in layer.pruned if p[0] == "rules" and len(p) > 1}
        for key, value in layer.data.items():
            if key in ("version", "requires", "extends"):
                continue
            merge = _MERGES.get(key)
            if merge is not None:
                merge(self, layer, value)
            else:
                self.data[key] = copy.deepcopy(value)
                self._note(layer, (key,), (key,))

    def _note(self, layer: Layer, prefix: JsonPath, target: JsonPath) -> None:
        """Remember where the values under ``prefix`` of ``layer`` came from, at ``target``."""
        n = len(prefix)
        for path, (line, col) in self._below(layer, prefix):
            self.origins[target + path[n:]] = Location(layer.label, line, col)
        if prefix not in layer.doc.positions:
            self.origins.setdefault(target, Location(layer.label))

    def _below(self, layer: Layer, prefix: JsonPath) -> list[tuple[JsonPath, tuple[int, int]]]:
        """The positions at and below ``prefix`` in ``layer``.

        Grouped once per layer by every leading part up to the longest prefix `_note` uses:
        scanning all positions per call made merging quadratic in the size of a preset.
        """
        if len(prefix) > _GROUPED:
            return [(p, at) for p, at in layer.doc.positions.items() if p[: len(prefix)] == prefix]
        groups = self._groups.get(id(layer.doc))
        if groups is None:
            groups = {}
            for path, at in layer.doc.positions.items():
                for k in range(1, min(len(path), _GROUPED) + 1):
                    groups.setdefault(path[:k], []).append((path, at))
            self._groups[id(layer.doc)] = groups
        return groups.get(prefix, [])

    def _merge_rules(self, layer: Layer, rules: Mapping[str, Any]) -> None:
        merged = self.data.setdefault("rules", {})
        for code, fields in rules.items():
            current = merged.get(code)
            if code in self.locked_by and self.locked_by[code] != layer.label:
                fields = self._locked_override(layer, code, current, fields)
            rule = copy.deepcopy(current) if current else {}
            for key, value in fields.items():
                if key == "options" and isinstance(value, dict):
                    rule["options"] = {**rule.get("options", {}), **copy.deepcopy(value)}
                elif key == "refs" and isinstance(value, list):
                    # Framework presets stack (EU AI Act over ISO/IEC 42001): refs append.
                    known = rule.get("refs", [])
                    rule["refs"] = known + [r for r in value if r not in known]
                else:
                    rule[key] = copy.deepcopy(value)
                self._note(layer, ("rules", code, key), ("rules", code, key))
            self.origins.setdefault(("rules", code), layer.at(("rules", code)))
            if fields.get("locked") and code not in self.locked_by:
                self.locked_by[code] = layer.label
            merged[code] = rule

    def _locked_override(
        self, layer: Layer, code: str, current: Mapping[str, Any], fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        if layer.preset:  # a shipped preset never overrides an organisation's locked rule
            return {"refs": fields["refs"]} if "refs" in fields else {}  # but may cite it
        kept: dict[str, Any] = {}
        owner = self.locked_by[code]
        for key, value in fields.items():
            where = layer.at(("rules", code, key))
            if key not in _LOCK_SAFE_KEYS:
                self.errors.append(
                    LocatedError(
                        where,
                        f"rules.{code}.{key}: {code} is locked by {owner}; "
                        "only its severity can be raised",
                    )
                )
            elif key == "locked" and value is not True:
                self.errors.append(
                    LocatedError(
                        where,
                        f"rules.{code}.locked: {code} is locked by {owner}; "
                        "a later policy cannot unlock it",
                    )
                )
            elif key == "severity" and _rank(value) < _rank(current.get("severity", "error")):
                self.errors.append(
                    LocatedError(
                        where,
                        f"rules.{code}.severity: {code} is locked by {owner}; "
                        f"its severity cannot be lowered to {value}",
                    )
                )
            else:
                kept[key] = value
        return kept

    def _merge_artifacts(self, layer: Layer, value: Mapping[str, Any]) -> None:
        self._merge_named(layer, "artifacts", value)

    def _merge_people(self, layer: Layer, value: Mapping[str, Any]) -> None:
        self._merge_named(layer, "people", value)

    def _merge_named(self, layer: Layer, key: str, value: Mapping[str, Any]) -> None:
        target = self.data.setdefault(key, {})
        for name, item in value.items():
            target[name] = copy.deepcopy(item)
            self._note(layer, (key, name), (key, name))

    def _merge_limits(self, layer: Layer, value: Mapping[str, Any]) -> None:
        self._merge_deep(layer, "limits", value)

    def _merge_stages(self, layer: Layer, value: Mapping[str, Any]) -> None:
        self._merge_deep(layer, "stages", value)

    def _merge_readiness(self, layer: Layer, value: Mapping[str, Any]) -> None:
        self._merge_deep(layer, "readiness", value)

    def _merge_change_control(self, layer: Layer, value: Mapping[str, Any]) -> None:
        current = self.data.get("change_control", {})
        material = {m["name"]: m for m in current.get("material", [])}
        for i, entry in enumerate(value.get("material", [])):
            if entry is PRUNED:
                continue
            material[entry["name"]] = {**material.get(entry["name"], {}), **copy.deepcopy(entry)}
            index = list(material).index(entry["name"])
            self._note(
                layer, ("change_control", "material", i), ("change_control", "material", index)
            )
        rest = {k: v for k, v in value.items() if k != "material"}
        self.data["change_control"] = _deep_merge(current, rest)
        if material:
            self.data["change_control"]["material"] = list(material.values())
        self._note(layer, ("change_control",), ("change_control",))

    def _merge_deep(self, layer: Layer, key: str, value: Mapping[str, Any]) -> None:
        self.data[key] = _deep_merge(self.data.get(key, {}), value)
        self._note(layer, (key,), (key,))

    def _merge_waivers(self, layer: Layer, value: list[Any]) -> None:
        target = self.data.setdefault("waivers", [])
        for i, waiver in enumerate(value):
            if waiver is PRUNED:
                continue
            self._note(layer, ("waivers", i), ("waivers", len(target)))
            target.append(copy.deepcopy(waiver))
            self.waiver_layers.append(layer.label)

    def _merge_components(self, layer: Layer, value: Mapping[str, Any]) -> None:
        target = self.data.setdefault("components", {})
        if "markers" in value:
            target["markers"] = list(value["markers"])
            self._note(layer, ("components", "markers"), ("components", "markers"))
        for key in ("exclude", "include"):
            for i, pattern in enumerate(value.get(key, [])):
                patterns = target.setdefault(key, [])
                merged = ("components", key, len(patterns))
                self._note(layer, ("components", key, i), merged)
                self.written[merged] = ("components", key, i)
                patterns.append(pattern)
        declared = target.setdefault("declare", [])
        for i, entry in enumerate(value.get("declare", [])):
            if entry is PRUNED:
                continue
            path = _clean_path(entry.get("path", ""))
            index = next(
                (j for j, d in enumerate(declared) if _clean_path(d["path"]) == path), None
            )
            if index is None:
                index = len(declared)
                declared.append({})
            declared[index] = {**declared[index], **copy.deepcopy(entry)}
            self._note(layer, ("components", "declare", i), ("components", "declare", index))


# How each top-level key merges over the layers below it; any other key is replaced.
_MERGES: dict[str, Callable[[_Merge, Layer, Any], None]] = {
    "rules": _Merge._merge_rules,
    "artifacts": _Merge._merge_artifacts,
    "people": _Merge._merge_people,
    "limits": _Merge._merge_limits,
    "change_control": _Merge._merge_change_control,
    "waivers": _Merge._merge_waivers,
    "components": _Merge._merge_components,
    "stages": _Merge._merge_stages,
    "readiness": _Merge._merge_readiness,
}


def _deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(base))
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _rank(severity: Any) -> int:
    return {"warning": 1, "error": 2}.get(str(severity), 0)


def _clean_path(path: str) -> str:
    cleaned = posixpath.normpath(path.strip().replace("\\", "/")) if path.strip() else ""
    return "" if cleaned == "." else cleaned.rstrip("/")


def build_policy(layers: list[Layer], errors: list[LocatedError]) -> Policy:
    merge = _Merge(errors)
    for layer in layers:
        merge.add(layer)
    data = merge.data
    risks = tuple(data.get("risks", DEFAULT_RISKS))
    rules = tuple(_rules(merge, risks))
    for path, message in _glob_problems(data):
        written = format_path(merge.as_written(path))
        merge.errors.append(LocatedError(merge.origin(path), f"{written}: {message}"))
    entry = layers[-1]
    return Policy(
        sources=tuple(layer.label for layer in layers if layer.label != BUILTIN_LAYER),
        digest=policy_digest(data),
        risks=risks,
        artifacts=_artifacts(data.get("artifacts", {})),
        discovery=_discovery(merge, risks),
        rules=rules,
        waivers=tuple(_waivers(merge, rules)),
        max_file_size=int(data.get("limits", {}).get("max_file_size", DEFAULT_MAX_FILE_SIZE)),
        fail_on=data.get("fail_on"),
        change_control=_change_control(data.get("change_control", {})),
        people={h: tuple(emails) for h, emails in data.get("people", {}).items()},
        location=Location(entry.label),
        key_locations={key: merge.origin((key,)) for key in data},
        stages=stages(data.get("stages", {}), risks, rules, merge.origin, merge.errors),
        readiness=_readiness(data.get("readiness", {})),
        baseline=_baseline(merge),
    )


def _readiness(raw: Mapping[str, Any]) -> Readiness:
    approvers = raw.get("signoff", {}).get("approvers", ())
    return Readiness(raw.get("max_yellow"), tuple(approvers))


def _baseline(merge: _Merge) -> str | None:
    raw = merge.data.get("baseline")
    if not isinstance(raw, str):
        return None
    path = _clean_path(raw)
    if path.startswith("../") or path == ".." or raw.startswith("/") or not path:
        where = merge.origin(("baseline",))
        merge.errors.append(
            LocatedError(where, f"baseline: {raw!r} is not a file of the repository")
        )
        return None
    return path


def _glob_problems(data: Mapping[str, Any]) -> Iterator[tuple[JsonPath, str]]:
    """Every glob of the policy that cannot be matched (a reversed range), where it is written:
    a policy error at load, never a crash when the glob is first used."""
    for path, pattern in _globs_of(data):
        message = problem(pattern) if isinstance(pattern, str) else None
        if message is None and path[0] == "artifacts" and isinstance(pattern, str):
            message = _outside_component(pattern)
        if message is not None:
            yield path, message


def _outside_component(pattern: str) -> str | None:
    """An artifact path that climbs out of the component (``../README.md``) never matches: the
    candidates are matched among the component's own files."""
    if ".." not in pattern.replace("\\", "/").split("/"):
        return None
    return (
        f"{pattern!r} can never match: artifact paths are relative to the component folder"
        " and cannot leave it (a card in the folder above a model/ or weights/ folder is"
        " found without it)"
    )


def _globs_of(data: Mapping[str, Any]) -> Iterator[tuple[JsonPath, Any]]:
    components = data.get("components", {})
    for key in ("markers", "exclude", "include"):
        yield from _listed(("components", key), components.get(key))
    for name, candidates in data.get("artifacts", {}).items():
        for i, c in enumerate(candidates if isinstance(candidates, list) else []):
            yield ("artifacts", name, i), c["path"] if isinstance(c, dict) else c
    for code, rule in data.get("rules", {}).items():
        if not isinstance(rule, dict):
            continue
        yield from _listed(
            ("rules", code, "applies_to", "paths"), _get(rule, "applies_to", "paths")
        )
        for key in ("paths", "ignore_patterns"):
            yield from _listed(("rules", code, "options", key), _get(rule, "options", key))
    for i, waiver in enumerate(data.get("waivers", [])):
        yield from _listed(("waivers", i, "paths"), _get(waiver, "paths"))
    for i, material in enumerate(_get(data, "change_control", "material") or []):
        yield from _listed(("change_control", "material", i, "paths"), _get(material, "paths"))


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _listed(prefix: JsonPath, values: Any) -> Iterator[tuple[JsonPath, Any]]:
    for i, value in enumerate(values if isinstance(values, list) else []):
        yield (*prefix, i), value


def _change_control(raw: Mapping[str, Any]) -> ChangeControl:
    """The validated ``change_control`` section as typed data, with its documented defaults."""
    approval = raw.get("approval", {})
    defaults = ChangeControl()
    return ChangeControl(
        material=tuple(
            Material(m["name"], tuple(m["paths"]), tuple(m.get("keys", ())))
            for m in raw.get("material", [])
            if m.get("enabled", True)
        ),
        ledger=approval.get("ledger", defaults.ledger),
        governance_ledger=approval.get("governance_ledger", defaults.governance_ledger),
        min_approvers={**defaults.min_approvers, **approval.get("min_approvers", {})},
        approvers=approval.get("approvers", defaults.approvers),
        forbid_self_approval=approval.get("forbid_self_approval", defaults.forbid_self_approval),
        verify=approval.get("verify", defaults.verify),
        allowed_signers=approval.get("allowed_signers"),
        require_version_bump=raw.get("require_version_bump", defaults.require_version_bump),
    )


def _artifacts(raw: Mapping[str, Any]) -> dict[str, tuple[Candidate, ...]]:
    return {name: tuple(_candidate(c) for c in candidates) for name, candidates in raw.items()}


def _candidate(raw: str | Mapping[str, Any]) -> Candidate:
    if isinstance(raw, str):
        return Candidate(raw)
    front = raw.get("front_matter", False)
    if isinstance(front, list):  # the keys that make the front matter a card's
        return Candidate(raw["path"], True, tuple(front))
    return Candidate(raw["path"], bool(front))


def _rules(merge: _Merge, risks: tuple[str, ...]) -> Iterator[Rule]:
    names: dict[str, str] = {}
    artifacts = merge.data.get("artifacts", {})
    for code, raw in sorted(merge.data.get("rules", {}).items()):
        where = merge.origin(("rules", code))
        problems = _rule_problems(code, raw, merge, artifacts)
        name = raw.get("name", "")
        if name in names:
            problems.append((("name",), f"name {name!r} is already used by {names[name]}"))
        names[name] = code
        for path, message in problems:
            merge.errors.append(
                LocatedError(merge.origin(("rules", code, *path)), f"rules.{code}: {message}")
            )
        if problems:
            continue
        yield Rule(
            code=code,
            name=name,
            check=raw["check"],
            options=raw.get("options", {}),
            severity=Severity.parse(raw.get("severity", "error")),
            dimension=raw["dimension"],
            scope=_scope(raw.get("applies_to", {}), risks, merge, code),
            enabled=raw.get("enabled", True),
            locked=code in merge.locked_by,  # locks are sticky: no later layer can lift one
            summary=raw.get("summary", ""),
            rationale=raw.get("rationale", ""),
            remediation=raw.get("remediation", ""),
            help_url=raw.get("help_url"),
            location=where,
            key_locations={key: merge.origin(("rules", code, key)) for key in raw},
            refs=tuple(raw.get("refs", ())),
        )


def _rule_problems(
    code: str, raw: Mapping[str, Any], merge: _Merge, artifacts: Mapping[str, Any]
) -> list[tuple[JsonPath, str]]:
    from roadworthy.checks import CHECKS, options_validator

    problems: list[tuple[JsonPath, str]] = []
    for key in ("name", "check", "dimension"):
        if key not in raw:
            problems.append(((), f"a new rule needs {key!r}"))
    kind = raw.get("check")
    builtin = code in ENGINE_RULES
    if kind == "builtin" and not builtin:
        problems.append(
            (("check",), "'builtin' is reserved for the rules roadworthy reports itself")
        )
    elif builtin and kind != "builtin":
        problems.append(
            (("check",), f"{code} is reported by roadworthy itself; its check cannot change")
        )
    elif kind is not None and kind != "builtin" and kind not in CHECKS:
        known = ", ".join(sorted(CHECKS))
        problems.append((("check",), f"unknown check {kind!r} (known: {known})"))
    elif isinstance(kind, str) and kind in CHECKS:
        issues = options_validator(kind).issues(raw.get("options", {}))
        for issue in issues:
            problems.append((("options", *issue.path), _options_message(kind, issue)))
        problems.extend(_artifact_references(raw.get("options", {}), artifacts))
        meaning = getattr(CHECKS[kind], "option_problems", None)  # what a schema cannot say
        if meaning is not None and not issues:
            problems += [(("options", *p), m) for p, m in meaning(raw.get("options", {}))]
    if code.startswith("RW") and not _defined_by_preset(code, merge):
        problems.append(((), "the RW prefix is reserved for roadworthy's own rules; use your own"))
    for i, ref in enumerate(raw.get("refs", ())):
        wrong = refs.problem(ref) if isinstance(ref, str) else "a reference is a string"
        if wrong is not None:
            problems.append((("refs", i), wrong))
    return problems


def _options_message(kind: str, issue: Any) -> str:
    where = format_path(("options", *issue.path))
    return f"{where}: {issue.message} (check {kind!r})"


def _artifact_references(
    options: Mapping[str, Any], artifacts: Mapping[str, Any]
) -> list[tuple[JsonPath, str]]:
    out: list[tuple[JsonPath, str]] = []
    refs: list[tuple[JsonPath, Any]] = []
    if isinstance(options.get("artifact"), str):
        refs.append((("artifact",), options["artifact"]))
    refs += [(("artifacts", i), name) for i, name in enumerate(options.get("artifacts", []))]
    for ref, name in refs:
        if name not in artifacts:
            known = ", ".join(sorted(artifacts)) or "none defined"
            out.append((("options", *ref), f"unknown artifact {name!r} (defined: {known})"))
    return out


def _defined_by_preset(code: str, merge: _Merge) -> bool:
    origin = merge.origin(("rules", code, "check"))
    return code in ENGINE_RULES or origin.path.startswith("preset:") or origin.path == BUILTIN_LAYER


def _scope(raw: Mapping[str, Any], risks: tuple[str, ...], merge: _Merge, code: str) -> Scope:
    def known_risk(risk: str, path: JsonPath) -> bool:
        if risk in risks:
            return True
        where = merge.origin(("rules", code, "applies_to", *path))
        merge.errors.append(
            LocatedError(
                where, f"rules.{code}.applies_to: unknown risk {risk!r} (risks: {', '.join(risks)})"
            )
        )
        return False

    risk_set: set[str] | None = None
    if "risk" in raw:
        risk_set = {r for i, r in enumerate(raw["risk"]) if known_risk(r, ("risk", i))}
    if "min_risk" in raw and known_risk(raw["min_risk"], ("min_risk",)):
        above = set(risks[risks.index(raw["min_risk"]) :])
        risk_set = above if risk_set is None else risk_set & above
    stage_set: set[str] | None = set(raw["stage"]) if "stage" in raw else None
    if "min_stage" in raw:
        later = set(STAGES[STAGES.index(raw["min_stage"]) :])
        stage_set = later if stage_set is None else stage_set & later
    return Scope(
        risks=frozenset(risk_set) if risk_set is not None else None,
        stages=frozenset(stage_set) if stage_set is not None else None,
        paths=tuple(raw.get("paths", ())),
        components=frozenset(raw["components"]) if "components" in raw else None,
    )


def _discovery(merge: _Merge, risks: tuple[str, ...]) -> Discovery:
    raw = merge.data.get("components", {})
    declared: list[Declared] = []
    names: dict[str, int] = {}
    for i, entry in enumerate(raw.get("declare", [])):
        where = merge.origin(("components", "declare", i))
        path = _clean_path(entry["path"])
        # Judged as cleaned: " //x" and "\\x" are "/x" once stripped and turned around.
        if path.startswith(("/", "..")):
            merge.errors.append(
                LocatedError(
                    where,
                    f"components.declare[{i}].path: "
                    f"{entry['path']!r} must be inside the repository",
                )
            )
            continue
        if entry.get("risk") is not None and entry["risk"] not in risks:
            merge.errors.append(
                LocatedError(
                    where,
                    f"components.declare[{i}].risk: unknown risk "
                    f"{entry['risk']!r} (risks: {', '.join(risks)})",
                )
            )
        name = entry.get("name")
        if name is not None and name in names:
            merge.errors.append(
                LocatedError(
                    where,
                    f"components.declare[{i}].name: {name!r} is "
                    f"already declared at components.declare[{names[name]}]",
                )
            )
        if name is not None:
            names[name] = i
        fields = {k: v for k, v in entry.items() if k not in ("name", "path")}
        declared.append(Declared(path=path, name=name, fields=fields, location=where))
    markers = tuple(raw["markers"]) if "markers" in raw else DEFAULT_MARKERS
    return Discovery(
        markers=markers,
        exclude=tuple(raw.get("exclude", ())),
        declare=tuple(declared),
        include=tuple(raw.get("include", ())),
    )


def _waivers(merge: _Merge, rules: tuple[Rule, ...]) -> Iterator[Waiver]:
    by_key = {r.code: r for r in rules} | {r.name: r for r in rules}
    ids: set[str] = set()
    for i, raw in enumerate(merge.data.get("waivers", [])):
        where = merge.origin(("waivers", i))
        waiver_id = raw.get("id", f"waivers[{i}]")
        problems: list[tuple[JsonPath, str]] = []  # (where in the waiver, what is wrong)
        codes = []
        for j, key in enumerate(raw["rules"]):
            rule = by_key.get(key)
            if rule is None and key in merge.pruned_rules:
                continue  # that rule's own problem is reported already
            if rule is None:
                problems.append((("rules", j), f"unknown rule {key!r}"))
            elif (
                rule.code in merge.locked_by
                and merge.locked_by[rule.code] != merge.waiver_layers[i]
            ):
                problems.append(
                    (
                        ("rules", j),
                        f"{rule.code} is locked by {merge.locked_by.get(rule.code)} "
                        "and cannot be waived",
                    )
                )
            else:
                codes.append(rule.code)
        if "component" not in raw and "paths" not in raw:
            problems.append(((), "a waiver needs 'component' or 'paths' (what it excuses)"))
        try:
            expires = dt.date.fromisoformat(raw["expires"])
        except ValueError:
            problems.append((("expires",), f"{raw['expires']!r} is not a date"))
            expires = dt.date.min
        if waiver_id in ids:
            problems.append((("id",), f"{waiver_id!r} is used by another waiver"))
        ids.add(waiver_id)
        for path, message in problems:
            # Located at the waiver's key (the whole `rules` list for one of its items).
            at = merge.origin(("waivers", i, path[0])) if path and path[0] in raw else where
            merge.errors.append(
                LocatedError(at, f"{format_path(('waivers', i, *path))}: {message}")
            )
        if not problems:
            yield Waiver(
                id=waiver_id,
                rules=tuple(codes),
                component=raw.get("component"),
                paths=tuple(raw.get("paths", ())),
                owner=raw["owner"],
                reason=raw["reason"],
                expires=expires,
                location=where,
            )
