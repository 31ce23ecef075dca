#!/usr/bin/env bash
# A sweep sharded over a Slurm job array: task i of n evaluates shard i/n; a dependent job merges.
#
#   sbatch --array=0-15 examples/sweep/slurm-array.sh examples/sweep/resnet50-space.yaml results
#   sbatch --dependency=afterok:<array job id> --wrap \
#       "simdit sweep merge --spec examples/sweep/resnet50-space.yaml results/shard-*.jsonl --output results/all.jsonl"
#
# Each task is resumable: requeued (or re-submitted) after a preemption, it continues from its
# journal (results/shard-i.jsonl.journal) and repeats no point.
#SBATCH --job-name=simdit-sweep
#SBATCH --cpus-per-task=4
#SBATCH --time=00:30:00
#SBATCH --requeue
set -euo pipefail
spec="$1"
out="${2:-results}"
mkdir -p "$out"
n="${SLURM_ARRAY_TASK_COUNT:?run as a job array (sbatch --array=0-N)}"
i="${SLURM_ARRAY_TASK_ID:?run as a job array}"
exec simdit sweep "$spec" --shard "$i/$n" --jobs "${SLURM_CPUS_PER_TASK:-1}" \
    --output "$out/shard-$i.jsonl" --resume
