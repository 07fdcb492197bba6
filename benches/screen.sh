#!/usr/bin/env bash
# End-to-end screen benchmark: simulate screens with `synergist simulate`, time
# `synergist score INPUT.csv -o OUT.csv` (all four models) on them, and time the Python
# `synergy` package against synergist on the same few blocks. See benches/README.md.
#
# Environment (defaults in brackets):
#   SIZES       blocks x doses per drug, space-separated ["10000x8 100000x8 10000x4 10000x16"]
#   QUICK=1     SIZES="1000x8", PEER_REPLICATE_TO=2000, REPEATS=1 unless set
#   REPEATS     timed runs per measurement; the median is reported [3]
#   JOBS        `score -j` for the screen timings [2]
#   SEED        seed of the simulated screens [1]
#   CHUNK       blocks per simulate spec; chunks are concatenated [10000]
#   WORK_DIR    generated CSVs, venv, outputs and results [<repo>/target/screen-bench]
#   SYNERGIST   binary to time (default: `cargo build --release`, honouring CARGO_TARGET_DIR)
#   SKIP_PEER=1 skip the `synergy` comparison (no venv, no network)
#   PEER_BLOCKS first M blocks of the 8x8 screen given to `synergy` [20]
#   PEER_REPLICATE_TO  synergist is timed on the M blocks copied to at least this many [10000]
#   PEER_PIP    what pip installs into the venv ["synergy==1.0.0 numpy==1.26.4 scipy==1.13.1"]
#   PYTHON      python3 used for the helpers and to create the venv [python3]
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
peer_dir=$repo/benches/peer

QUICK=${QUICK:-0}
if [[ $QUICK == 1 ]]; then
    SIZES=${SIZES:-1000x8}
    PEER_REPLICATE_TO=${PEER_REPLICATE_TO:-2000}
    REPEATS=${REPEATS:-1}
fi
SIZES=${SIZES:-10000x8 100000x8 10000x4 10000x16}
REPEATS=${REPEATS:-3}
JOBS=${JOBS:-2}
SEED=${SEED:-1}
CHUNK=${CHUNK:-10000}
WORK_DIR=${WORK_DIR:-$repo/target/screen-bench}
SKIP_PEER=${SKIP_PEER:-0}
PEER_BLOCKS=${PEER_BLOCKS:-20}
PEER_REPLICATE_TO=${PEER_REPLICATE_TO:-10000}
PEER_PIP=${PEER_PIP:-synergy==1.0.0 numpy==1.26.4 scipy==1.13.1}
PYTHON=${PYTHON:-python3}

die() {
    echo "screen.sh: $*" >&2
    exit 2
}

for number in REPEATS JOBS SEED CHUNK PEER_BLOCKS PEER_REPLICATE_TO; do
    [[ ${!number} =~ ^[0-9]+$ && ${!number} -ge 1 ]] || die "$number must be a positive integer"
done
[[ -x /usr/bin/time ]] || die "needs GNU time at /usr/bin/time (Debian package 'time')"
command -v "$PYTHON" >/dev/null || die "needs $PYTHON"

# Outputs never go into the repository outside target/ (checked before anything is made).
WORK_DIR=$(realpath -m "$WORK_DIR")
case $WORK_DIR/ in
    "$repo"/target/*) ;;
    "$repo"/*) die "WORK_DIR=$WORK_DIR is inside the repository but not under target/" ;;
esac
data_dir=$WORK_DIR/data
runs_dir=$WORK_DIR/runs
results_dir=$WORK_DIR/results
mkdir -p "$WORK_DIR" "$data_dir" "$runs_dir" "$results_dir"

if [[ -n ${SYNERGIST:-} ]]; then
    bin=$SYNERGIST
else
    echo "building: cargo build --release" >&2
    (cd "$repo" && cargo build --release --quiet)
    target_dir=${CARGO_TARGET_DIR:-target}
    [[ $target_dir == /* ]] || target_dir=$repo/$target_dir
    bin=$target_dir/release/synergist
fi
[[ -x $bin ]] || die "no synergist binary at $bin"

# ---------------------------------------------------------------------------------------
echo "== machine"
echo "date:      $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpu:       $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
echo "memory:    $(free -g | awk '/^Mem:/ { print $2 " GiB" }')"
echo "load:      $(cut -d ' ' -f 1-3 /proc/loadavg) (1, 5, 15 min)"
echo "rustc:     $(rustc --version 2>/dev/null || echo unknown)"
echo "synergist: $bin ($("$bin" --version)); repository at commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "settings:  SIZES='$SIZES' REPEATS=$REPEATS JOBS=$JOBS SEED=$SEED WORK_DIR=$WORK_DIR"

# gen_screen N K: prints the path of the simulated screen of N blocks of K x K doses,
# generating it (in chunks of CHUNK blocks) unless it exists.
gen_screen() {
    local blocks=$1 doses=$2
    local csv=$data_dir/screen_${blocks}_${doses}x${doses}_seed${SEED}.csv
    if [[ ! -s $csv ]]; then
        local spec=$data_dir/spec.json chunk=$data_dir/chunk.csv partial=$csv.partial
        local first=0 count start=$SECONDS
        : >"$partial"
        while ((first < blocks)); do
            count=$((blocks - first < CHUNK ? blocks - first : CHUNK))
            "$PYTHON" "$peer_dir/make_spec.py" --blocks "$count" --doses "$doses" \
                --first-block "$first" --seed "$SEED" -o "$spec"
            "$bin" simulate "$spec" -o "$chunk"
            if ((first == 0)); then
                cat "$chunk" >>"$partial"
            else
                tail -n +2 "$chunk" >>"$partial"
            fi
            first=$((first + count))
        done
        rm -f "$spec" "$chunk"
        mv "$partial" "$csv"
        echo "generated $csv ($blocks blocks of ${doses}x${doses}, $(wc -l <"$csv") lines," \
            "$((SECONDS - start)) s)" >&2
    fi
    echo "$csv"
}

# time_runs NAME COMMAND...: runs COMMAND REPEATS times under /usr/bin/time -v and prints
# the report files, comma-separated. Exit status 1 (scores written, some blocks failed) is
# accepted; anything else stops the benchmark.
time_runs() {
    local name=$1 run status files=""
    shift
    for ((run = 1; run <= REPEATS; run++)); do
        local report=$runs_dir/$name.$run.time
        status=0
        /usr/bin/time -v -o "$report" "$@" 2>"$runs_dir/$name.$run.stderr" || status=$?
        if ((status > 1)); then
            cat "$runs_dir/$name.$run.stderr" >&2
            die "$* exited with $status"
        fi
        files+=${files:+,}$report
    done
    echo "$files"
}

# ---------------------------------------------------------------------------------------
echo
echo "== synergist score, end to end: median of $REPEATS runs, -j $JOBS, input in page cache"
rm -f "$results_dir/score.tsv"
"$PYTHON" "$peer_dir/report.py" timing-header
peer_source=""
for size in $SIZES; do
    [[ $size =~ ^([0-9]+)x([0-9]+)$ ]] || die "SIZES: '$size' is not BLOCKSxDOSES, e.g. 10000x8"
    blocks=${BASH_REMATCH[1]}
    doses=${BASH_REMATCH[2]}
    csv=$(gen_screen "$blocks" "$doses")
    if [[ -z $peer_source && $doses == 8 ]]; then
        peer_source=$csv
    fi
    name=score_${blocks}_${doses}x${doses}
    out=$runs_dir/$name.out.csv
    files=$(time_runs "$name" "$bin" score "$csv" -o "$out" -j "$JOBS")
    IFS=, read -r -a reports <<<"$files"
    "$PYTHON" "$peer_dir/report.py" timing --label "$blocks x ${doses}x${doses}" \
        --blocks "$blocks" --input "$csv" --scores "$out" --tsv "$results_dir/score.tsv" \
        "${reports[@]}"
done
echo "(wall_s, cpu_s = user + system, peak_rss_MB: medians; blocks/s and MB/s from the median wall time; MB = 10^6 bytes; not_ok: blocks whose status is not ok)"

if [[ $SKIP_PEER == 1 ]]; then
    echo
    echo "SKIP_PEER=1: the synergy comparison is skipped."
    echo "load at end: $(cut -d ' ' -f 1-3 /proc/loadavg) (1, 5, 15 min)"
    exit 0
fi

# ---------------------------------------------------------------------------------------
echo
echo "== peer: Python synergy vs synergist on the first $PEER_BLOCKS blocks of an 8x8 screen"
venv=$WORK_DIR/venv
if ! "$venv/bin/python" - "$PEER_PIP" >/dev/null 2>&1 <<'EOF'; then
import sys
from importlib.metadata import version
for requirement in sys.argv[1].split():
    name, _, wanted = requirement.partition("==")
    assert version(name) == wanted, requirement
import synergy.combination
EOF
    echo "installing into $venv: $PEER_PIP" >&2
    "$PYTHON" -m venv "$venv"
    # shellcheck disable=SC2086 # PEER_PIP is a list of requirements
    "$venv/bin/python" -m pip install --quiet $PEER_PIP
fi
if [[ -z $peer_source ]]; then
    peer_source=$(gen_screen "$PEER_BLOCKS" 8)
fi
peer_first=$data_dir/peer_first.csv
peer_replicated=$data_dir/peer_replicated.csv
counts=$("$PYTHON" "$peer_dir/extract_blocks.py" "$peer_source" --blocks "$PEER_BLOCKS" \
    -o "$peer_first" --replicate-to "$PEER_REPLICATE_TO" --replicated "$peer_replicated")
read -r _ replicated <<<"$counts"
echo "blocks: first $PEER_BLOCKS of $peer_source; synergist timed on $replicated copies of them"

# One thread everywhere: synergist -j 1, and no BLAS threads behind numpy/scipy.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
"$venv/bin/python" "$peer_dir/time_synergy.py" "$peer_first" \
    -o "$results_dir/synergy_blocks.csv" --cells "$results_dir/synergy_cells.csv" \
    --summary "$results_dir/synergy_summary.tsv"

status=0
"$bin" score "$peer_first" -o "$results_dir/synergist_blocks.csv" \
    --cells "$results_dir/synergist_cells.csv" -j 1 -q || status=$?
((status <= 1)) || die "synergist score $peer_first exited with $status"
timing_args=()
for model in zip hsa bliss loewe all_four; do
    models=$model
    [[ $model == all_four ]] && models=zip,hsa,bliss,loewe
    files=$(time_runs "peer_$model" "$bin" score "$peer_replicated" \
        -o "$runs_dir/peer_$model.out.csv" --models "$models" -j 1)
    timing_args+=(--synergist-time "$model=$files")
done
echo
"$PYTHON" "$peer_dir/report.py" peer --synergy-blocks "$results_dir/synergy_blocks.csv" \
    --synergy-summary "$results_dir/synergy_summary.tsv" \
    --synergist-blocks "$results_dir/synergist_blocks.csv" \
    --synergy-cells "$results_dir/synergy_cells.csv" \
    --synergist-cells "$results_dir/synergist_cells.csv" \
    --replicated-blocks "$replicated" --tsv "$results_dir/peer.tsv" "${timing_args[@]}"
echo
echo "load at end: $(cut -d ' ' -f 1-3 /proc/loadavg) (1, 5, 15 min)"
echo "results: $results_dir (score.tsv, peer.tsv, synergy_*.csv, synergist_*.csv)"
