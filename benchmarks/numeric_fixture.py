"""Accuracy of the numeric check on the project's news-style pairs, per category.

    .venv/bin/python benchmarks/numeric_fixture.py [tests/fixtures/numeric_pairs.tsv]

Each row: two sentences about the same fact and the expected status of comparing their
quantities (consistent, conflict, or none when nothing is comparable). Prints the share
correct per category and every miss.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crosscheck.config import NumericSettings  # noqa: E402
from crosscheck.quantities import compare_quantities, extract_quantities  # noqa: E402


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests/fixtures/numeric_pairs.tsv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    total, right = Counter(), Counter()
    for row in rows:
        check = compare_quantities(extract_quantities(row["first"]),
                                   extract_quantities(row["second"]), NumericSettings())
        total[row["category"]] += 1
        if check.status == row["expected"]:
            right[row["category"]] += 1
        else:
            print(f"MISS [{row['category']}] expected {row['expected']}, got {check.status}: "
                  f"{row['first']} | {row['second']} ({check.reason})")
    for category in total:
        print(f"{category:<12}{right[category]:>4}/{total[category]:<4}")
    print(f"{'all':<12}{sum(right.values()):>4}/{sum(total.values()):<4}"
          f"{sum(right.values()) / sum(total.values()):.1%}")


if __name__ == "__main__":
    main()
