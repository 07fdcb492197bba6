#!/usr/bin/env python3
"""Write a `synergist simulate` spec for a synthetic screen of N blocks of K x K doses.

Standard library only. Every block lists its doses and BRAID parameters explicitly (the spec
format has no generator), drawn from a seeded `random.Random`, so the same arguments always
give the same file:

- doses: K per drug including the zero dose; the K-1 positive doses are a dilution series
  (factor 2-4) below a top dose drawn log-uniformly in 0.1-100 (drug's unit);
- emax (% inhibition) uniform in 30-100 per drug; the combination's emax is the larger
  of the two plus up to 10 points (capped at 100);
- ec50 log-uniform between the lowest and highest positive dose (inside the tested range);
- hill uniform in 0.7-2.5; kappa uniform in -0.5-3 (BRAID: 0 additive, > 0 synergy);
- e0 = 0, noise sd 3 points, 1 replicate (one well per dose pair), viability written;
- metadata: cell_line, one of 24 made-up lines;
- block ids b0000000, b0000001, ... numbered from --first-block.

A large screen can be written as several specs (chunks) whose CSVs are concatenated, which
keeps each spec and `synergist simulate`'s memory small (one spec of 100,000 8x8 blocks is
39 MB and simulates in ~7 s with 160 MB peak). A chunk's parameters and noise are seeded by
(--seed, --first-block), so the chunks differ from one another and are reproducible.

Usage: make_spec.py --blocks N --doses K [--first-block I] [--seed S] [--replicates R]
                    [--noise-sd SD] -o SPEC.json
"""

import argparse
import json
import math
import random
import sys

DRUGS = [f"drug{index:03d}" for index in range(200)]
CELL_LINES = [f"CL{index:02d}" for index in range(24)]
UNITS = ["uM", "nM", "ug/mL"]


def log_uniform(rng, low, high):
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def drug(rng, name, n_doses):
    top = log_uniform(rng, 0.1, 100.0)
    factor = rng.choice([2.0, 3.0, 4.0])
    positive = [top / factor ** step for step in range(n_doses - 2, -1, -1)]
    doses = [0.0] + [float(f"{dose:.4g}") for dose in positive]
    return {
        "name": name,
        "unit": rng.choice(UNITS),
        "doses": doses,
        "emax": round(rng.uniform(30.0, 100.0), 2),
        "ec50": float(f"{log_uniform(rng, doses[1], doses[-1]):.4g}"),
        "hill": round(rng.uniform(0.7, 2.5), 3),
    }


def block(rng, index, n_doses):
    name1, name2 = rng.sample(DRUGS, 2)
    cell_line = rng.choice(CELL_LINES)
    drug1 = drug(rng, name1, n_doses)
    drug2 = drug(rng, name2, n_doses)
    combined = min(100.0, max(drug1["emax"], drug2["emax"]) + rng.uniform(0.0, 10.0))
    return {
        "block_id": f"b{index:07d}",
        "metadata": {"cell_line": cell_line},
        "drug1": drug1,
        "drug2": drug2,
        "e0": 0,
        "combined_emax": round(combined, 2),
        "kappa": round(rng.uniform(-0.5, 3.0), 3),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, required=True, help="number of blocks N")
    parser.add_argument("--doses", type=int, required=True,
                        help="doses per drug K, zero included (block is K x K)")
    parser.add_argument("--first-block", type=int, default=0,
                        help="number of the first block id (for chunks of one screen)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the parameters and the noise")
    parser.add_argument("--replicates", type=int, default=1, help="wells per dose pair")
    parser.add_argument("--noise-sd", type=float, default=3.0, help="noise sd, % points")
    parser.add_argument("-o", "--output", required=True, help="spec file to write ('-': stdout)")
    args = parser.parse_args(argv)
    if args.blocks < 1 or args.doses < 3 or args.first_block < 0:
        parser.error("need --blocks >= 1, --doses >= 3 (zero plus two doses), --first-block >= 0")

    # One seed per (seed, first block): the chunks of a screen get different draws.
    chunk_seed = (args.seed * 1_000_003 + args.first_block) % 2**63
    rng = random.Random(chunk_seed)
    spec = {
        "description": (
            f"SIMULATED benchmark screen: {args.blocks} blocks of {args.doses}x{args.doses} doses, "
            f"random BRAID surfaces (benches/peer/make_spec.py --seed {args.seed} "
            f"--first-block {args.first_block})."
        ),
        "seed": chunk_seed,
        "replicates": args.replicates,
        "noise_sd": args.noise_sd,
        "response": "viability",
        "decimals": 3,
        "blocks": [
            block(rng, args.first_block + index, args.doses) for index in range(args.blocks)
        ],
    }
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    try:
        json.dump(spec, out, separators=(",", ":"))
        out.write("\n")
    finally:
        if out is not sys.stdout:
            out.close()


if __name__ == "__main__":
    main()
