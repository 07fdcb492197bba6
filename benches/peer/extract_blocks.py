#!/usr/bin/env python3
"""Copy the first M blocks of a long-format screen CSV, and optionally a replicated copy.

Standard library only. Blocks are taken in file order (the rows of a block must be
contiguous, as `synergist simulate` writes them). With --replicate-to T the M blocks are
also written ceil(T/M) times under new block ids `rNNNN_<id>`, so that one timing covers
at least T blocks: synergist's per-block time on the peer's blocks without a per-process
overhead worth subtracting.

Usage: extract_blocks.py INPUT.csv --blocks M -o FIRST.csv [--replicate-to T --replicated REP.csv]
Prints: M and the number of replicated blocks (0 without --replicate-to).
"""

import argparse
import csv
import math
import sys


def first_blocks(path, count):
    """Header and rows of the first `count` blocks; stops reading after the last one."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        id_column = header.index("block_id")
        rows, seen = [], []
        for row in reader:
            block_id = row[id_column]
            if not seen or seen[-1] != block_id:
                if block_id in seen:
                    sys.exit(f"extract_blocks: block {block_id} is not contiguous in {path}")
                if len(seen) == count:
                    break
                seen.append(block_id)
            rows.append(row)
    if len(seen) < count:
        sys.exit(f"extract_blocks: {path} has only {len(seen)} blocks, {count} asked for")
    return header, id_column, rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("--blocks", type=int, required=True, help="M, the blocks to copy")
    parser.add_argument("-o", "--output", required=True, help="CSV of the first M blocks")
    parser.add_argument("--replicate-to", type=int, default=0,
                        help="also write copies of the M blocks, at least this many blocks")
    parser.add_argument("--replicated", help="CSV of the replicated blocks")
    args = parser.parse_args(argv)
    if args.blocks < 1:
        parser.error("--blocks must be >= 1")
    if args.replicate_to and not args.replicated:
        parser.error("--replicate-to needs --replicated FILE")

    header, id_column, rows = first_blocks(args.input, args.blocks)
    with open(args.output, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    replicated = 0
    if args.replicate_to:
        copies = math.ceil(args.replicate_to / args.blocks)
        with open(args.replicated, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for copy in range(copies):
                prefix = f"r{copy:04d}_"
                for row in rows:
                    row = list(row)
                    row[id_column] = prefix + row[id_column]
                    writer.writerow(row)
        replicated = copies * args.blocks
    print(args.blocks, replicated)


if __name__ == "__main__":
    main()
