"""Writes the simulated 384-well plate-reader example: plate384.txt (an EnVision-style
export: the grid twice, plate information between, a platemap of "-" labels after) and
plate384_map.csv (the well map, with empty wells), and plate384_long.csv (the same wells
in long format). Deterministic: run it again and the files are byte for byte the same.

    python3 datasets/plate384.py
"""

import math
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROWS = "ABCDEFGHIJKLMNOP"
NEGATIVE_SIGNAL = 52000.0
POSITIVE_SIGNAL = 2400.0

# Three drugs: emax (% inhibition), ec50 (uM), hill; and their doses, 0 first.
DRUGS = {
    "AZD6244": (90.0, 0.3, 1.2, [0, 0.03, 0.1, 0.3, 1, 3]),
    "BEZ235": (70.0, 1.0, 1.0, [0, 0.1, 0.3, 1, 3, 10]),
    "MK-2206": (95.0, 0.1, 1.5, [0, 0.01, 0.03, 0.1, 0.3, 1]),
}
# Blocks: drug1, drug2, first column, and the extra inhibition at the centre of the
# combination grid (0 = Bliss additive).
BLOCKS = [
    ("AZD6244", "BEZ235", 3, 20.0),
    ("AZD6244", "MK-2206", 9, 0.0),
    ("BEZ235", "MK-2206", 15, -10.0),
]


def inhibition(drug, dose):
    emax, ec50, hill, _ = DRUGS[drug]
    return 0.0 if dose == 0 else emax / (1 + (ec50 / dose) ** hill)


def main():
    rng = random.Random(20261207)
    signal = {}  # well id -> raw signal
    mapping = {}  # well id -> (block_id, drug1, conc1, drug2, conc2, control)
    # Controls: column 2 vehicle (DMSO), column 23 staurosporine, every row.
    for row in ROWS:
        mapping[f"{row}02"] = ("", "DMSO", "", "", "", "neg")
        signal[f"{row}02"] = NEGATIVE_SIGNAL * rng.gauss(1, 0.03)
        mapping[f"{row}23"] = ("", "staurosporine", "", "", "", "pos")
        signal[f"{row}23"] = POSITIVE_SIGNAL * rng.gauss(1, 0.06)
    # Each block: 6 x 6 doses in rows B-G (replicate 1) and J-O (replicate 2).
    for drug1, drug2, first_column, bump in BLOCKS:
        block_id = f"{drug1}_{drug2}"
        doses1, doses2 = DRUGS[drug1][3], DRUGS[drug2][3]
        for replicate, first_row in ((1, 1), (2, 9)):
            for i, dose1 in enumerate(doses1):
                for j, dose2 in enumerate(doses2):
                    a, b = inhibition(drug1, dose1), inhibition(drug2, dose2)
                    expected = a + b - a * b / 100
                    if dose1 > 0 and dose2 > 0:
                        expected += bump * math.sin(math.pi * i / 6) * math.sin(math.pi * j / 6)
                    viability = 100 - expected + rng.gauss(0, 3)
                    well = f"{ROWS[first_row + i]}{first_column + j:02}"
                    mapping[well] = (block_id, drug1, dose1, drug2, dose2, "")
                    signal[well] = POSITIVE_SIGNAL + (NEGATIVE_SIGNAL - POSITIVE_SIGNAL) * viability / 100
    # One well the pipetting robot missed: mapped, but read as empty.
    signal.pop("E10")

    def grid():
        lines = [";" + ";".join(f"{column:02}" for column in range(1, 25)) + ";"]
        for row in ROWS:
            cells = []
            for column in range(1, 25):
                well = f"{row}{column:02}"
                # Unused wells hold medium: the reader still reports a small background.
                value = signal.get(well)
                cells.append("" if well == "E10" else str(round(value if value is not None else 180 + rng.random() * 40)))
            lines.append(row + ";" + ";".join(cells) + ";")
        return "\n".join(lines)

    first, second = grid(), None
    # The same readings again (EnVision writes its calculated results and the raw ones).
    second = first
    platemap = "\n".join(
        [";" + ";".join(f"{column:02}" for column in range(1, 25)) + ";"]
        + [row + ";" + ";".join(["- "] * 24) for row in ROWS]
    )
    export = "\n".join(
        [
            "Calculated results: Calc 1: Crosstalk = Crosstalk correction where Label : LUM 384(1) channel 1",
            first,
            "",
            "Plate information ",
            "Plate;Repeat;Barcode;Measured height;Measurement date;",
            "1;1;;14.18;12/07/2026 9:41:02 AM;",
            "",
            "Results for LUM 384(1) - channel 0 (CPS)",
            second,
            "",
            "Platemap:",
            "Plate;;;;1",
            "",
            platemap,
            "",
            " - - Undefined",
            "",
            "Exported with EnVision Workstation version 1.13.3009.1409",
            "",
        ]
    )
    (HERE / "plate384.txt").write_text(export)

    header = "well,block_id,drug1,conc1,conc_unit1,drug2,conc2,conc_unit2,cell_line,control"
    map_lines = [header]
    long_lines = ["block_id,drug1,drug2,conc1,conc2,conc_unit1,conc_unit2,cell_line,control,plate,well,response"]
    for row in ROWS:
        for column in range(1, 25):
            well = f"{row}{column:02}"
            entry = mapping.get(well)
            if entry is None:
                # An empty well: its id alone (columns 1 and 24, rows A, H, I, P).
                if column in (1, 24) or row in "AHIP":
                    map_lines.append(f"{well},,,,,,,,,")
                continue
            block_id, drug1, conc1, drug2, conc2, control = entry
            unit1 = "uM" if drug2 != "" else ""
            unit2 = "uM" if drug2 != "" else ""
            cell_line = "HT-29"
            map_lines.append(f"{well},{block_id},{drug1},{conc1},{unit1},{drug2},{conc2},{unit2},{cell_line},{control}")
            value = signal.get(well)
            response = "" if value is None else str(round(value))
            long_lines.append(
                f"{block_id},{drug1},{drug2},{conc1},{conc2},{unit1},{unit2},{cell_line},{control},plate384,{well},{response}"
            )
    (HERE / "plate384_map.csv").write_text("\n".join(map_lines) + "\n")
    (HERE / "plate384_long.csv").write_text("\n".join(long_lines) + "\n")


if __name__ == "__main__":
    main()
