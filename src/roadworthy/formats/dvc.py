"""DVC's files as discovery needs them: what a ``*.dvc`` file tracks, what the stages of a
``dvc.yaml`` produce, and which of its ``artifacts`` are models.

Shapes (DVC 2 and 3, the dvcyaml-schema project's JSON Schema): a ``.dvc`` file has a top-level
``outs`` list of mappings with a ``path``; a ``dvc.yaml`` has ``stages`` (a stage's ``outs`` are
paths or one-key mappings ``{path: options}``; a ``foreach``/``matrix`` stage keeps them under
``do``) and ``artifacts`` (name → ``{path, type, ...}``). Paths are relative to the file's folder.
Anything else in the file is ignored: this reader names outputs, it does not validate.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from roadworthy import lazyre
from roadworthy.formats.yamlio import load
from roadworthy.records import NamedTuple

_MD5 = lazyre.compile(r"[0-9a-f]{32}")


class DvcOutputs(NamedTuple):
    outs: tuple[str, ...]  # tracked files and stage outputs
    models: tuple[str, ...]  # artifacts declared `type: model`


def read(text: str) -> DvcOutputs:
    """The outputs ``text`` declares. Raises `yamlio.YamlError` when it is not YAML."""
    data = load(text).data
    if not isinstance(data, dict):
        return DvcOutputs((), ())
    outs = list(_outs(data.get("outs")))
    for written in stage_outs(data).values():
        outs += written
    return DvcOutputs(tuple(outs), tuple(_models(data.get("artifacts"))))


def _stage_bodies(data: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each stage of a ``dvc.yaml``'s data with the mapping that declares its ``wdir`` and
    ``outs`` (a ``foreach``/``matrix`` stage's ``do``)."""
    stages = data.get("stages") if isinstance(data, dict) else None
    for name, stage in stages.items() if isinstance(stages, dict) else ():
        body = stage.get("do") if isinstance(stage, dict) else None
        yield (
            str(name),
            body if isinstance(body, dict) else stage if isinstance(stage, dict) else {},
        )


def stage_wdirs(data: Any) -> dict[str, str | None]:
    """``stage → wdir`` of a ``dvc.yaml``'s data: the folder its outputs (and its
    ``dvc.lock`` entries) are relative to, from the file's folder. A stage's ``wdir`` reads as
    a ``*.dvc`` file's does (`file_wdir`): ``.`` without one, None when templated."""
    return {name: file_wdir(body) for name, body in _stage_bodies(data)}


def stage_outs(data: Any) -> dict[str, tuple[str, ...]]:
    """``stage → outputs`` a ``dvc.yaml``'s data declares, as written (relative to the
    stage's ``wdir``)."""
    return {name: tuple(_outs(body.get("outs"))) for name, body in _stage_bodies(data)}


def _outs(entries: Any) -> Iterator[str]:
    for entry in entries if isinstance(entries, list) else ():
        if isinstance(entry, str):
            yield entry
        elif isinstance(entry, dict) and isinstance(entry.get("path"), str):
            yield entry["path"]  # a .dvc file's entry
        elif isinstance(entry, dict) and len(entry) == 1:
            yield str(next(iter(entry)))  # a stage's {path: options}


def artifact_models(data: Any) -> tuple[str, ...]:
    """The paths of a ``dvc.yaml``'s data's ``artifacts`` of ``type: model`` (relative to the
    file's folder: an artifact has no ``wdir``)."""
    return tuple(_models(data.get("artifacts") if isinstance(data, dict) else None))


def _models(artifacts: Any) -> Iterator[str]:
    for artifact in artifacts.values() if isinstance(artifacts, dict) else ():
        if isinstance(artifact, dict) and artifact.get("type") == "model":
            path = artifact.get("path")
            if isinstance(path, str):
                yield path


def tracked_outs(data: Any) -> dict[str, dict[str, Any]]:
    """``path → entry`` of each output a ``*.dvc`` file's data (``outs: [{path, md5, ...}]``)
    records."""
    entries = data.get("outs") if isinstance(data, dict) else None
    return _by_path(entries)


def file_wdir(data: Any) -> str | None:
    """The working folder a ``*.dvc`` file's data gives its outputs, relative to the file's own
    folder: its top-level ``wdir`` (DVC's single-stage loader joins the file's folder with it),
    ``.`` without one. None when it is no path (not a string, or templated): only DVC knows."""
    wdir = data.get("wdir", ".") if isinstance(data, dict) else "."
    if not isinstance(wdir, str) or "${" in wdir:
        return None
    return wdir


def in_wdir(wdir: str, written: str) -> str:
    """An output path as written under ``wdir``, still relative to the DVC file's folder (as
    ``os.path.join`` does: an absolute path stays itself). Not normalised: ``..`` after a
    linked folder is the link's, so whoever resolves it walks it."""
    if wdir in (".", "") or written.startswith("/"):
        return written
    return f"{wdir.rstrip('/')}/{written}"


def locked_outs(data: Any) -> dict[str, dict[str, Any]]:
    """``path → entry`` of each stage output a ``dvc.lock``'s data records (paths relative to
    its folder)."""
    stages = data.get("stages") if isinstance(data, dict) else None
    found: dict[str, dict[str, Any]] = {}
    for stage in stages.values() if isinstance(stages, dict) else ():
        found.update(_by_path(stage.get("outs") if isinstance(stage, dict) else None))
    return found


def locked_stage_outs(data: Any) -> dict[str, dict[str, dict[str, Any]]]:
    """``stage → path → entry`` of a ``dvc.lock``'s data: a stage's paths are relative to its
    ``wdir``, which only ``dvc.yaml`` records."""
    stages = data.get("stages") if isinstance(data, dict) else None
    return {
        str(name): _by_path(stage.get("outs") if isinstance(stage, dict) else None)
        for name, stage in (stages.items() if isinstance(stages, dict) else ())
    }


def _by_path(entries: Any) -> dict[str, dict[str, Any]]:
    return {
        entry["path"]: entry
        for entry in (entries if isinstance(entries, list) else ())
        if isinstance(entry, dict) and isinstance(entry.get("path"), str)
    }


def tracked_md5(text: str) -> dict[str, str]:
    """``path → md5:<hex>`` of each output a ``*.dvc`` file tracks with its md5 (DVC's own
    content hash, so an evaluation report can name weights git never holds). Raises
    `yamlio.YamlError` when it is not YAML."""
    return _md5s(tracked_outs(load(text).data))


def locked_md5(text: str) -> dict[str, str]:
    """``path → md5:<hex>`` of each stage output a ``dvc.lock`` records. Raises
    `yamlio.YamlError` when it is not YAML."""
    return _md5s(locked_outs(load(text).data))


def _md5s(outs: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {
        path: f"md5:{entry['md5']}"
        for path, entry in outs.items()
        if isinstance(entry.get("md5"), str) and _MD5.fullmatch(entry["md5"])
    }
