"""Policy files → `Policy`, reporting every problem at once as ``file:line:col: message``.

Three passes: parse (positions kept) and validate the shape of each file against the shipped
JSON Schema; resolve ``extends`` and merge the layers by rule code, enforcing ``locked`` rules;
validate the meaning of the merged policy (check kinds, their options, references) and build
frozen data.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from roadworthy import __version__
from roadworthy.errors import LocatedError, Location, PolicyError
from roadworthy.formats import packaged, yamlio
from roadworthy.formats.validation import Validator, format_path
from roadworthy.formats.yamlio import JsonPath
from roadworthy.policy import build, messages, presets
from roadworthy.policy.builtin import BUILTIN_LAYER, ENGINE_RULES
from roadworthy.policy.layer import Layer
from roadworthy.policy.model import PRUNED, Policy

POLICY_FILES = ("roadworthy.yaml", ".roadworthy.yaml")
ZERO_CONFIG: dict[str, Any] = {"version": 1, "extends": ["recommended"]}

# Reads a policy file by the name a user wrote (repository-relative, or absolute for --policy);
# None when it does not exist. The same loader serves the work tree and git revisions.
PolicySource = Callable[[str], "str | None"]


@lru_cache(maxsize=1)
def policy_schema() -> dict[str, Any]:
    text = packaged.read_text("schemas", "policy.schema.json")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def _schema_validator() -> Validator:
    return Validator(policy_schema())


def find_policy_file(read: PolicySource) -> str | None:
    present = [name for name in POLICY_FILES if read(name) is not None]
    if len(present) > 1:
        raise PolicyError(
            [
                LocatedError(
                    Location(present[1]), f"both {present[0]} and {present[1]} exist; keep one"
                )
            ]
        )
    return present[0] if present else None


def load_policy(read: PolicySource, entry: str | None, *, enforce: str | None = None) -> Policy:
    """Load the policy at ``entry`` (None: zero configuration, i.e. ``extends: [recommended]``).

    ``enforce`` names an organisation policy applied on top: its locked rules bind ``entry``.
    """
    errors: list[LocatedError] = []
    layers: list[Layer] = [_builtin_layer()]
    if enforce is not None:
        _collect(enforce, read, layers, errors, stack=())
    if entry is None:
        _expand(_zero_config_layer(), read, layers, errors, stack=())
    else:
        _collect(entry, read, layers, errors, stack=())
    if len(layers) == 1:  # nothing but the built-in rules could be read
        raise PolicyError(errors)
    policy = build.build_policy(layers, errors)
    if errors:
        raise PolicyError(errors)
    return policy


def _builtin_layer() -> Layer:
    data = {"rules": ENGINE_RULES}
    return Layer(BUILTIN_LAYER, data, yamlio.YamlDocument(data), preset=True)


def _zero_config_layer() -> Layer:
    return Layer("(no policy file)", ZERO_CONFIG, yamlio.YamlDocument(ZERO_CONFIG), preset=False)


def _collect(
    name: str,
    read: PolicySource,
    layers: list[Layer],
    errors: list[LocatedError],
    stack: tuple[str, ...],
) -> None:
    layer = _parse(name, read, errors)
    if layer is not None:
        _expand(layer, read, layers, errors, (*stack, name))


def _expand(
    layer: Layer,
    read: PolicySource,
    layers: list[Layer],
    errors: list[LocatedError],
    stack: tuple[str, ...],
) -> None:
    """Add the layers ``layer`` extends (depth first, in order), then ``layer`` itself."""
    extends = layer.data.get("extends", [])
    for i, target in enumerate([extends] if isinstance(extends, str) else extends):
        where = layer.at(("extends",) if isinstance(extends, str) else ("extends", i))
        if presets.read_preset(target) is not None and "/" not in target:
            resolved = f"preset:{target}"
        elif target.endswith((".yaml", ".yml")) or "/" in target:
            relative = _relative_to(layer.label, target)
            if relative is None:
                errors.append(LocatedError(where, f"extends {target!r} leaves the repository"))
                continue
            resolved = relative
        else:
            known = ", ".join(presets.preset_names())
            errors.append(LocatedError(where, f"unknown preset {target!r} (shipped: {known})"))
            continue
        if resolved in stack or resolved == layer.label:
            errors.append(LocatedError(where, f"extends {target!r} forms a cycle"))
            continue
        if any(existing.label == resolved for existing in layers):
            continue  # a diamond: the shared base is merged once, where it first appeared
        sub = _parse(resolved, read, errors, where)
        if sub is not None:
            _expand(sub, read, layers, errors, (*stack, layer.label))
    layers.append(layer)


def _relative_to(label: str, target: str) -> str | None:
    if target.startswith("/"):
        return None
    base = "" if label.startswith("preset:") else posixpath.dirname(label)
    joined = posixpath.normpath(posixpath.join(base, target))
    if joined.startswith("../") or joined == "..":
        return None
    return joined


def _parse(
    label: str,
    read: PolicySource,
    errors: list[LocatedError],
    referenced_at: Location | None = None,
) -> Layer | None:
    preset = label.startswith("preset:")
    text = presets.read_preset(label[7:]) if preset else read(label)
    if text is None:
        where = referenced_at or Location(label)
        errors.append(LocatedError(where, f"policy file {label} not found"))
        return None
    try:
        doc = yamlio.load(text, positions=True)
    except yamlio.YamlError as exc:
        errors.append(LocatedError(Location(label, exc.line, exc.col), exc.message))
        return None
    data = doc.data if doc.data is not None else {}
    layer = Layer(label, data if isinstance(data, dict) else {}, doc, preset)
    if not isinstance(data, dict):
        errors.append(LocatedError(layer.at(()), "a policy file must be a mapping of keys"))
        return None
    issues = _schema_validator().issues(layer.data)
    for issue in issues:
        label_path = format_path(issue.path) or "policy"
        said = messages.readable(issue.path, issue.message, _value_at(layer.data, issue.path))
        errors.append(LocatedError(layer.at(issue.path), f"{label_path}: {said}"))
    usable: Layer | None = layer
    if issues:
        # Drop what is malformed and go on, so that the meaning of the rest is checked too and
        # the user sees every problem of the file in one run.
        usable = _pruned(layer, [i.path for i in issues])
    if usable is not None:
        _check_requires(usable, errors)
    return usable


def _value_at(data: Any, path: JsonPath) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


_UNITS = {
    "rules": 2,
    "artifacts": 2,
    "people": 2,
    "waivers": 2,
    "components": 3,
    "change_control": 3,
}


def _pruned(layer: Layer, paths: list[JsonPath]) -> Layer | None:
    import copy  # only for a policy with errors

    data = copy.deepcopy(layer.data)
    pruned: set[JsonPath] = set()
    for path in paths:
        unit = path[: _UNITS.get(str(path[0]), 1)] if path else ()
        if not unit:
            return None
        pruned.add(unit)
        _drop(data, unit)
    if _schema_validator().issues(_without_placeholders(data)):
        return None  # the damage is not local: report the shape problems only
    return Layer(layer.label, data, layer.doc, layer.preset, frozenset(pruned))


def _without_placeholders(data: Any) -> Any:
    """``data`` as the schema sees it once pruned: a dropped list item (kept as a placeholder
    so that later items keep their indices) is not there. Without this, one bad waiver made the
    damage look global, and a typo'd preset waited for the next run to be reported."""
    if isinstance(data, dict):
        return {k: _without_placeholders(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_without_placeholders(v) for v in data if v is not PRUNED and v != PRUNED]
    return data


def _drop(data: Any, unit: JsonPath) -> None:
    parent = data
    for key in unit[:-1]:
        parent = parent.get(key) if isinstance(parent, dict) else None
        if parent is None:
            return
    last = unit[-1]
    if isinstance(parent, dict):
        parent.pop(last, None)
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        parent[last] = PRUNED  # keep the indices: positions are recorded by index


def _check_requires(layer: Layer, errors: list[LocatedError]) -> None:
    spec = layer.data.get("requires")
    if spec is None:
        return
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    where = layer.at(("requires",))
    try:
        allowed = SpecifierSet(spec)
    except InvalidSpecifier:
        errors.append(LocatedError(where, f"requires: {spec!r} is not a version specifier"))
        return
    if not allowed.contains(__version__, prereleases=True):
        errors.append(
            LocatedError(where, f"requires roadworthy {spec}, but this is roadworthy {__version__}")
        )
