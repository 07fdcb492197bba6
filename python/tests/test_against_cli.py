"""The Python package against the command line: the same tables to the last digit, from a
path and from a DataFrame, on the bundled example and on a shared screen."""

import io
import threading
import time

import numpy as np
import pandas as pd
import pytest

import synergist
from synergist import _synergist

from conftest import EXAMPLE


def cli_frame(text: bytes) -> pd.DataFrame:
    return synergist._frame(text.decode())


def test_score_is_the_cli_table_to_the_last_digit(cli):
    expected = cli("score", EXAMPLE)
    table = synergist.score(EXAMPLE)
    pd.testing.assert_frame_equal(table, cli_frame(expected), check_exact=True)
    # The text behind the DataFrame is the command line's, byte for byte.
    arguments = synergist._read_arguments(str(EXAMPLE), {})
    text, _, _ = _synergist.score(arguments, synergist.DEFAULT_MODELS, "nan", None, False, None,
                                  False)
    assert text.encode() == expected
    assert list(table.columns[:5]) == ["block_id", "drug1", "drug2", "conc_unit1", "conc_unit2"]
    assert len(table) == 10


def test_score_from_a_dataframe_is_the_same(cli):
    expected = cli_frame(cli("score", EXAMPLE))
    # As text, every cell as in the file.
    as_text = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(synergist.score(as_text), expected, check_exact=True)
    # As pandas types it (floats parsed exactly, integers as integers).
    typed = pd.read_csv(EXAMPLE, **synergist.EXACT_FLOATS)
    pd.testing.assert_frame_equal(synergist.score(typed), expected, check_exact=True)


def test_cells_models_and_options_are_the_cli_ones(cli):
    blocks, cells = synergist.score(EXAMPLE, models=["bliss", "loewe"], cells=True,
                                    loewe_undefined="hsa", jobs=1)
    expected_blocks = cli("score", EXAMPLE, "--models", "bliss,loewe", "--loewe-undefined",
                          "hsa", "-j", "1", "--cells", "-", "-o", "/dev/null")
    pd.testing.assert_frame_equal(cells, cli_frame(expected_blocks), check_exact=True)
    assert "bliss_synergy" in blocks.columns and "zip_synergy" not in blocks.columns
    pd.testing.assert_frame_equal(synergist.score(EXAMPLE, sensitivity=True),
                                  cli_frame(cli("score", EXAMPLE, "--sensitivity")),
                                  check_exact=True)


def test_a_shared_screen_scores_as_the_cli(cli, shared):
    screen = shared / "datasets" / "synergyfinder" / "NCATS_10023_2drug_12blocks.csv"
    expected = cli_frame(cli("score", screen, "--response", "viability"))
    table = synergist.score(screen, response="viability")
    pd.testing.assert_frame_equal(table, expected, check_exact=True)
    assert len(table) == 12
    frame = pd.read_csv(screen, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(synergist.score(frame, response="viability"), expected,
                                  check_exact=True)


def test_fit_is_the_cli_table(cli):
    pd.testing.assert_frame_equal(synergist.fit(EXAMPLE), cli_frame(cli("fit", EXAMPLE)),
                                  check_exact=True)


def test_plot_is_the_cli_figure(cli, tmp_path):
    block = "HepG2_AVE1642_gefitinib"
    figure = synergist.plot("synergy-map", EXAMPLE, block=block)
    assert bytes(figure) == cli("plot", "synergy-map", EXAMPLE, "--block", block, "-o", "-")
    assert figure._repr_svg_().startswith("<svg") or "<svg" in figure._repr_svg_()[:300]
    isobologram = synergist.plot("isobologram", EXAMPLE, block=block, effect=[20, 30],
                                 normalised=True)
    assert bytes(isobologram) == cli("plot", "isobologram", EXAMPLE, "--block", block,
                                     "--effect", "20,30", "--normalised", "-o", "-")
    png = synergist.plot("report", EXAMPLE, block=block, format="png")
    assert bytes(png[:8]) == b"\x89PNG\r\n\x1a\n" and png._repr_png_() is not None
    pdf = synergist.plot("overview", EXAMPLE, format="pdf")
    assert bytes(pdf[:5]) == b"%PDF-"
    with pytest.raises(synergist.SynergistError, match="no such block"):
        synergist.plot("curves", EXAMPLE, block="nope")


def test_score_block_takes_arrays_as_the_synergy_package(cli):
    frame = pd.read_csv(EXAMPLE, **synergist.EXACT_FLOATS)
    block_id = "HepG2_AVE1642_gefitinib"
    wells = frame[frame["block_id"] == block_id]
    row, cells = synergist.score_block(
        wells["conc1"].to_numpy(), wells["conc2"].to_numpy(), wells["viability"].to_numpy(),
        viability=True, block_id=block_id, drug1="AVE1642", drug2="gefitinib",
        unit1="ug/mL", unit2="uM")
    expected = cli_frame(cli("score", EXAMPLE))
    expected = expected[expected["block_id"] == block_id].reset_index(drop=True)
    common = [column for column in row.columns if column in expected.columns]
    assert len(common) == len(row.columns)
    # A q-value adjusts a p-value across the blocks of the table: the CLI's over the
    # screen's 10 blocks, score_block's over its one block, where it is the p-value itself.
    q_values = [column for column in common if column.endswith("_q_value")]
    assert q_values
    for column in q_values:
        p_value = column.replace("_q_value", "_p_value")
        assert row[column].tolist() == row[p_value].tolist()
    same = [column for column in common if column not in q_values]
    pd.testing.assert_frame_equal(row[same], expected[same], check_exact=True)
    _, expected_cells = synergist.score(EXAMPLE, cells=True)
    expected_cells = expected_cells[expected_cells["block_id"] == block_id]
    pd.testing.assert_frame_equal(cells, expected_cells.reset_index(drop=True),
                                  check_exact=True)


def test_input_errors_carry_line_and_column():
    path = EXAMPLE.parents[1] / "tests" / "malformed" / "dose_empty.csv"
    with pytest.raises(synergist.InputProblemError) as raised:
        synergist.score(path)
    error = raised.value
    assert error.line == 6 and error.column == "conc1"
    assert str(error) == f'{path}:6: column conc1: "" is empty (every row needs both doses)'
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    with pytest.raises(synergist.InputProblemError) as raised:
        synergist.score(frame)
    assert raised.value.line == 6 and raised.value.column == "conc1"
    assert str(raised.value).startswith("<DataFrame>:6: column conc1")
    with pytest.raises(synergist.OptionError, match="models"):
        synergist.score(EXAMPLE, models="zap")
    with pytest.raises(TypeError, match="unknown read option"):
        synergist.score(EXAMPLE, respons="viability")


def test_check_returns_problems_as_data():
    screen = synergist.read_screen(EXAMPLE)
    assert len(screen) == 10 and screen.problems.empty
    assert synergist.check(EXAMPLE).empty
    # A block without drug2 alone cannot be scored in full.
    frame = pd.read_csv(EXAMPLE, **synergist.EXACT_FLOATS)
    frame = frame[~((frame["conc1"] > 0) & (frame["conc2"] == 0))]
    problems = synergist.check(frame)
    assert set(problems["kind"]) == {"block"}
    # Per block: the 7 wells of AVE1642 alone are missing, and AVE1642 alone has only the
    # control left, too few doses for a fit.
    assert len(problems) == 20
    assert problems["message"].str.contains(": 7 missing well").sum() == 10
    assert problems["message"].str.contains(
        r"AVE1642 \(drug1\) alone has 1 dose\(s\) with data").sum() == 10


def test_shards_cover_every_block_once():
    whole = synergist.score(EXAMPLE)
    parts = [synergist.score(EXAMPLE, shard=f"{index}/3") for index in (1, 2, 3)]
    ids = sorted(id for part in parts for id in part["block_id"])
    assert ids == sorted(whole["block_id"])
    for index, part in enumerate(parts, start=1):
        assert all(synergist.shard_of(id, 3) == index for id in part["block_id"])


def test_the_gil_is_released_while_scoring(tmp_path):
    frame = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)
    # Enough blocks that scoring takes a while; read from a file, so that nearly all of the
    # call is in Rust.
    copies = [frame.assign(block_id=frame["block_id"] + f"_{copy}") for copy in range(30)]
    path = tmp_path / "big.csv"
    pd.concat(copies, ignore_index=True).to_csv(path, index=False)
    done = threading.Event()
    result = {}

    def work():
        result["table"] = synergist.score(path, jobs=1)
        done.set()

    thread = threading.Thread(target=work)
    ticks = 0
    thread.start()
    started = time.perf_counter()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    thread.join()
    elapsed = time.perf_counter() - started
    assert len(result["table"]) == 300
    # Were the GIL held while Rust scores, this loop would stand still until the call
    # returned; released, it ticks about once a millisecond (a tick per 5 ms is asked for,
    # leaving room for a loaded machine).
    assert ticks > elapsed / 0.005, (ticks, elapsed)
