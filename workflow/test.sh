#!/usr/bin/env bash
# The workflow's check (run by .ci/run): the bundled example scored in 4 shards by
# Snakemake on 2 cores, merged, and compared byte for byte with one `synergist score`.
#
# Environment: SNAKEMAKE (default: snakemake on PATH), SYNERGIST (default: the debug build
# of this repository), WORK_DIR (default: target/workflow-test).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
snakemake=${SNAKEMAKE:-snakemake}
synergist=${SYNERGIST:-$repo/target/debug/synergist}
work=${WORK_DIR:-$repo/target/workflow-test}
screen=$repo/datasets/ave1642_hepatoma.csv
rm -rf "$work"
mkdir -p "$work"

"$snakemake" --snakefile workflow/Snakefile --cores 2 --quiet all \
    --directory "$work" \
    --config screen="$screen" shards=4 outdir="$work/out" synergist="$synergist" \
    reports=HepG2_AVE1642_gefitinib
"$synergist" score "$screen" -q -o "$work/single.csv" || test $? -eq 1
if ! cmp "$work/out/blocks.csv" "$work/single.csv"; then
    echo "workflow: the merged table differs from one synergist score"; exit 1
fi
shards=$(ls "$work"/out/shards/blocks-*-of-4.csv | wc -l)
if [ "$shards" -ne 4 ]; then echo "workflow: $shards shard tables, not 4"; exit 1; fi
for figure in overview.svg reports/HepG2_AVE1642_gefitinib.svg; do
    if [ ! -s "$work/out/$figure" ]; then echo "workflow: no $figure"; exit 1; fi
done
echo "workflow: 4 shards merged into $(($(wc -l < "$work/out/blocks.csv") - 1)) blocks, byte-identical to one synergist score"
