#!/usr/bin/env python3
"""Summaries for benches/screen.sh. Standard library only.

  report.py timing-header
  report.py timing --label L --blocks N --input IN.csv [--scores OUT.csv] [--tsv FILE] TIME...
      One row from the `/usr/bin/time -v` reports TIME... of R runs of one command: medians
      of wall seconds, user+system CPU seconds and peak RSS, with blocks/s and input MB/s
      from the median wall time (MB = 10^6 bytes). --scores counts the blocks whose status
      is not `ok` in a score output. --tsv appends the row (tab-separated) to FILE.

  report.py peer --synergy-blocks SYN.csv --synergy-summary SYN.tsv
                 --synergist-blocks SG.csv --replicated-blocks N
                 --synergist-time MODEL=TIME,TIME,... (once per model and for `all_four`)
                 [--synergy-cells SYN_CELLS.csv --synergist-cells SG_CELLS.csv]
                 [--tsv FILE] [--show 5]
      The per-block times of `synergy` (medians over blocks) beside synergist's (median wall
      time of R runs on N replicated blocks, divided by N) with their ratio, then the
      agreement of the two on the same blocks: block means, and with the cell files,
      per-cell synergy on the combination cells where both have a value.
"""

import argparse
import csv
import math
import os
import statistics
import sys

MODELS = ["zip", "hsa", "bliss", "loewe"]


def parse_time_v(path):
    """(wall s, user+sys s, peak RSS kB) from a GNU time -v report."""
    wall = cpu = rss = None
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            key, _, value = line.strip().rpartition(": ")
            if key.startswith("Elapsed (wall clock) time"):
                seconds = 0.0
                for part in value.split(":"):
                    seconds = 60.0 * seconds + float(part)
                wall = seconds
            elif key in ("User time (seconds)", "System time (seconds)"):
                cpu = (cpu or 0.0) + float(value)
            elif key == "Maximum resident set size (kbytes)":
                rss = int(value)
            elif key == "Exit status" and int(value) not in (0, 1):
                sys.exit(f"report: {path}: the timed command exited with {value}")
    if wall is None or rss is None:
        sys.exit(f"report: {path} is not a /usr/bin/time -v report")
    return wall, cpu or 0.0, rss


def medians(paths):
    runs = [parse_time_v(path) for path in paths]
    return (
        len(runs),
        statistics.median(run[0] for run in runs),
        statistics.median(run[1] for run in runs),
        statistics.median(run[2] for run in runs),
    )


def count_not_ok(path):
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = not_ok = 0
        for row in reader:
            rows += 1
            not_ok += row["status"] != "ok"
    return rows, not_ok


TIMING_COLUMNS = ["label", "blocks", "input_MB", "runs", "wall_s", "cpu_s", "blocks_per_s",
                  "MB_per_s", "peak_rss_MB", "not_ok"]
TIMING_FORMAT = "{:<14} {:>8} {:>9} {:>4} {:>8} {:>8} {:>12} {:>8} {:>11} {:>7}"


def timing_header(_args):
    print(TIMING_FORMAT.format(*TIMING_COLUMNS))


def timing(args):
    runs, wall, cpu, rss = medians(args.times)
    size_mb = os.path.getsize(args.input) / 1e6
    not_ok = ""
    if args.scores:
        rows, bad = count_not_ok(args.scores)
        if rows != args.blocks:
            sys.exit(f"report: {args.scores} has {rows} blocks, {args.blocks} expected")
        not_ok = str(bad)
    row = [args.label, str(args.blocks), f"{size_mb:.1f}", str(runs), f"{wall:.2f}", f"{cpu:.2f}",
           f"{args.blocks / wall:.0f}", f"{size_mb / wall:.1f}", f"{rss / 1024:.0f}", not_ok]
    print(TIMING_FORMAT.format(*row))
    if args.tsv:
        write_header = not os.path.exists(args.tsv)
        with open(args.tsv, "a", encoding="utf-8") as handle:
            if write_header:
                handle.write("\t".join(TIMING_COLUMNS) + "\n")
            handle.write("\t".join(row) + "\n")


def read_synergy_blocks(path):
    """{model: {block_id: mean or nan}}, {model: {block_id: n_nan}}"""
    means = {model: {} for model in MODELS}
    nans = {model: {} for model in MODELS}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["model"] in means:
                means[row["model"]][row["block_id"]] = float(row["mean_synergy"] or "nan")
                nans[row["model"]][row["block_id"]] = row["n_nan"]
    return means, nans


def read_synergist_blocks(path):
    means = {model: {} for model in MODELS}
    excluded = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for model in MODELS:
                value = row.get(f"{model}_synergy", "")
                means[model][row["block_id"]] = float(value) if value else math.nan
            excluded[row["block_id"]] = row.get("loewe_excluded", "")
    return means, excluded


def peer(args):
    synergy_median = {}
    with open(args.synergy_summary, encoding="utf-8") as handle:
        for line in handle:
            name, value = line.split("\t")
            synergy_median[name] = float(value)
    synergist_time = {}
    for item in args.synergist_time:
        name, _, paths = item.partition("=")
        runs, wall, cpu, _rss = medians(paths.split(","))
        synergist_time[name] = (runs, wall / args.replicated_blocks, cpu / args.replicated_blocks)

    print(f"Per block, same blocks: synergy median over blocks; synergist -j 1 median of "
          f"runs on {args.replicated_blocks} replicated blocks, whole run / blocks")
    header = "{:<9} {:>14} {:>16} {:>16} {:>10}"
    print(header.format("model", "synergy_ms", "synergist_ms", "synergist_cpu_ms", "ratio"))
    rows = []
    for name in MODELS + ["all_four"]:
        if name not in synergy_median or name not in synergist_time:
            continue
        ours = synergist_time[name][1]
        ratio = synergy_median[name] / ours
        row = [name, f"{1e3 * synergy_median[name]:.3f}", f"{1e3 * ours:.4f}",
               f"{1e3 * synergist_time[name][2]:.4f}", f"{ratio:.0f}"]
        rows.append(row)
        print(header.format(*row))
    if args.tsv:
        with open(args.tsv, "w", encoding="utf-8") as handle:
            handle.write("model\tsynergy_ms\tsynergist_ms\tsynergist_cpu_ms\tratio\n")
            for row in rows:
                handle.write("\t".join(row) + "\n")

    theirs, their_nans = read_synergy_blocks(args.synergy_blocks)
    ours, our_excluded = read_synergist_blocks(args.synergist_blocks)
    print("\nAgreement of block means, % points of inhibition (synergy's value x 100):")
    header = "{:<7} {:>9} {:>14} {:>14} {:>12}"
    print(header.format("model", "compared", "mean|diff|", "max|diff|", "correlation"))
    for model in MODELS:
        pairs = [(ours[model][block], value) for block, value in theirs[model].items()
                 if block in ours[model] and math.isfinite(value)
                 and math.isfinite(ours[model][block])]
        if not pairs:
            print(header.format(model, 0, "", "", ""))
            continue
        diffs = [abs(a - b) for a, b in pairs]
        try:
            correlation = f"{statistics.correlation(*zip(*pairs)):.4f}"
        except (statistics.StatisticsError, ValueError):
            correlation = ""
        print(header.format(model, f"{len(pairs)}/{len(theirs[model])}",
                            f"{statistics.fmean(diffs):.3g}", f"{max(diffs):.3g}", correlation))
    blocks = list(theirs["bliss"])[: args.show]
    print(f"\nFirst {len(blocks)} blocks (synergist / synergy):")
    for block in blocks:
        cells = []
        for model in MODELS:
            cells.append(f"{model} {ours[model].get(block, math.nan):7.3f} / "
                         f"{theirs[model].get(block, math.nan):7.3f}")
        print(f"  {block}: " + "  ".join(cells))
    if args.synergy_cells and args.synergist_cells:
        compare_cells(args.synergy_cells, args.synergist_cells)
    undefined = sum(int(n) for n in their_nans["loewe"].values() if n)
    excluded = sum(int(our_excluded[b]) for b in their_nans["loewe"] if our_excluded.get(b))
    failed = sum(1 for model in MODELS for v in theirs[model].values() if math.isnan(v))
    print(f"Loewe cells without a reference: synergy {undefined}, synergist {excluded} "
          f"(loewe_excluded); synergy model fits that failed (no block mean): {failed}")


def read_cells(path, columns):
    """{(block_id, conc1, conc2): {model: value or nan}}"""
    cells = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["block_id"], float(row["conc1"]), float(row["conc2"]))
            cells[key] = {model: float(row[column] or "nan") for model, column in columns.items()}
    return cells


def compare_cells(synergy_path, synergist_path):
    theirs = read_cells(synergy_path, {model: model for model in MODELS})
    ours = read_cells(synergist_path, {model: f"{model}_synergy" for model in MODELS})
    print("\nAgreement per combination cell, % points (cells where both have a value):")
    header = "{:<7} {:>9} {:>14} {:>14} {:>16} {:>19}"
    print(header.format("model", "compared", "mean|diff|", "max|diff|", "only synergist",
                        "only synergy"))
    for model in MODELS:
        diffs, only_ours, only_theirs = [], 0, 0
        for key, values in theirs.items():
            a = ours.get(key, {}).get(model, math.nan)
            b = values[model]
            if math.isfinite(a) and math.isfinite(b):
                diffs.append(abs(a - b))
            elif math.isfinite(a):
                only_ours += 1
            elif math.isfinite(b):
                only_theirs += 1
        if diffs:
            print(header.format(model, len(diffs), f"{statistics.fmean(diffs):.3g}",
                                f"{max(diffs):.3g}", only_ours, only_theirs))
        else:
            print(header.format(model, 0, "", "", only_ours, only_theirs))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("timing-header").set_defaults(run=timing_header)
    command = commands.add_parser("timing")
    command.add_argument("--label", required=True)
    command.add_argument("--blocks", type=int, required=True)
    command.add_argument("--input", required=True)
    command.add_argument("--scores")
    command.add_argument("--tsv")
    command.add_argument("times", nargs="+")
    command.set_defaults(run=timing)
    command = commands.add_parser("peer")
    command.add_argument("--synergy-blocks", required=True)
    command.add_argument("--synergy-summary", required=True)
    command.add_argument("--synergist-blocks", required=True)
    command.add_argument("--replicated-blocks", type=int, required=True)
    command.add_argument("--synergist-time", action="append", default=[])
    command.add_argument("--synergy-cells")
    command.add_argument("--synergist-cells")
    command.add_argument("--tsv")
    command.add_argument("--show", type=int, default=5)
    command.set_defaults(run=peer)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
