#!/usr/bin/env python3
"""Time the PyPI package `synergy` (D. Wooten) per block on a long-format screen CSV.

Run with the benchmark's throwaway venv (synergy 1.0.0, numpy, scipy). For each block of
INPUT (all of them: pass the M blocks extracted by extract_blocks.py) it fits, each model
fresh on the block, timed with time.perf_counter:

  bliss  synergy.combination.Bliss()                  (monotherapy: LogLinear = observed)
  hsa    synergy.combination.HSA()                    (monotherapy: LogLinear = observed)
  loewe  synergy.combination.Loewe(mode="delta_nan")  (4-parameter Hill fits, reference
         solved per cell; nan where undefined, like synergist's --loewe-undefined nan)
  zip    synergy.combination.ZIP()                    (Hill fits, 3-parameter Hill per
         row and column slice of every cell)
(Loewe() in its default mode "CI" is not timed: in synergy 1.0.0 its fit() raises
"ValueError: E_reference() for this model requires individual drugs to be Hill models",
because fit() always computes the delta reference, which needs Hill monotherapy models.)

Scale: synergy works on E, a fraction that falls with dose (1 = untreated). The CSV's
`viability` column is % viability, so E = viability / 100 (an `inhibition` column would
be E = 1 - inhibition / 100). Its Bliss, HSA, Loewe (delta) and ZIP synergies are
reference E minus observed (ZIP: fitted) E, positive = synergy; in synergist's units
(percentage points of inhibition, observed minus reference) that is 100 x synergy's value.
The block mean written here is 100 x the mean over the combination cells (both doses > 0),
ignoring NaN cells (counted in n_nan), as synergist's <model>_synergy.

Writes one row per block and model to --output (block_id, model, seconds, mean_synergy,
n_cells, n_nan, error); with --cells, one row per combination well (block_id, conc1,
conc2, then each model's synergy x 100, empty for NaN: one row per cell when, as in the
benchmark's screens, each dose pair has one well). Prints the median seconds per block
for each model and for the four together (per block, the sum of the four; median over
blocks).

Usage: time_synergy.py INPUT.csv -o PER_BLOCK.csv [--cells PER_CELL.csv] [--summary SUMMARY.tsv]
"""

import argparse
import csv
import statistics
import sys
import time
import warnings
from importlib.metadata import version

import numpy as np
from synergy.combination import HSA, ZIP, Bliss, Loewe

MODELS = {
    "zip": ZIP,
    "hsa": HSA,
    "bliss": Bliss,
    "loewe": lambda: Loewe(mode="delta_nan"),
}


def read_blocks(path):
    """{block_id: (d1, d2, E)} in file order, E a viability fraction."""
    columns = {}
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        if "viability" in fields:
            to_e = lambda value: float(value) / 100.0  # noqa: E731
            response = "viability"
        elif "inhibition" in fields:
            to_e = lambda value: 1.0 - float(value) / 100.0  # noqa: E731
            response = "inhibition"
        else:
            sys.exit(f"time_synergy: {path} has neither a viability nor an inhibition column")
        for row in reader:
            d1, d2, e = columns.setdefault(row["block_id"], ([], [], []))
            d1.append(float(row["conc1"]))
            d2.append(float(row["conc2"]))
            e.append(to_e(row[response]))
    return {
        block_id: (np.array(d1), np.array(d2), np.array(e))
        for block_id, (d1, d2, e) in columns.items()
    }


def fit_one(factory, d1, d2, e):
    """(seconds, synergy per cell or None, error text)."""
    start = time.perf_counter()
    try:
        model = factory()
        values = model.fit(d1, d2, e)
        error = ""
    except Exception as exc:  # a failed fit still costs its time; record why
        values, error = None, f"{type(exc).__name__}: {exc}"
    return time.perf_counter() - start, values, error


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--cells", help="also write per-cell synergy (combination cells)")
    parser.add_argument("--summary", help="also write the medians as TSV (name, seconds)")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")  # curve_fit's OptimizeWarning, divide-by-zero in logs
    np.seterr(all="ignore")

    blocks = read_blocks(args.input)
    # Warm-up (imports, first-call set-up), not timed.
    first = next(iter(blocks.values()))
    for factory in list(MODELS.values()):
        fit_one(factory, *first)

    times = {name: [] for name in list(MODELS) + ["all_four"]}
    cell_rows = []
    with open(args.output, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["block_id", "model", "seconds", "mean_synergy", "n_cells", "n_nan", "error"])
        for block_id, (d1, d2, e) in blocks.items():
            combination = (d1 > 0) & (d2 > 0)
            total = 0.0
            per_cell = {}
            for name, factory in MODELS.items():
                seconds, values, error = fit_one(factory, d1, d2, e)
                times[name].append(seconds)
                total += seconds
                mean, n_nan = "", ""
                cells = np.full(int(combination.sum()), np.nan)
                if values is not None:
                    cells = 100.0 * np.asarray(values, dtype=float)[combination]
                    n_nan = int(np.isnan(cells).sum())
                    if n_nan < cells.size:
                        mean = repr(float(np.nanmean(cells)))
                per_cell[name] = cells
                writer.writerow([block_id, name, repr(seconds), mean, int(combination.sum()), n_nan, error])
            times["all_four"].append(total)
            for index, (conc1, conc2) in enumerate(zip(d1[combination], d2[combination])):
                values = [per_cell[name][index] for name in MODELS]
                cell_rows.append([block_id, repr(float(conc1)), repr(float(conc2))]
                                 + [repr(float(v)) if np.isfinite(v) else "" for v in values])
    if args.cells:
        with open(args.cells, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["block_id", "conc1", "conc2"] + list(MODELS))
            writer.writerows(cell_rows)

    print(f"synergy {version('synergy')} (numpy {version('numpy')}, scipy {version('scipy')}): "
          f"{len(blocks)} blocks, median seconds per block")
    rows = []
    for name in list(MODELS) + ["all_four"]:
        median = statistics.median(times[name])
        rows.append((name, median))
        label = "all four" if name == "all_four" else name
        print(f"  {label:10s} {1e3 * median:10.3f} ms")
    if args.summary:
        with open(args.summary, "w", encoding="utf-8") as handle:
            for name, median in rows:
                handle.write(f"{name}\t{median!r}\n")


if __name__ == "__main__":
    main()
