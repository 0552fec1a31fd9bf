#!/usr/bin/env bash
# Submits a sharded evalaudit run to Slurm: an array of SHARDS tasks (default 8), then the
# merge, which starts when every task has succeeded. Settings pass through the environment:
#   AUDIT=audits/my.audit.yaml STORES=/scratch/$USER/shards SHARDS=16 deploy/slurm/submit.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shards="${SHARDS:-8}"

array=$(sbatch --parsable --export=ALL --array="1-${shards}" "$here/shard.sbatch")
array="${array%%;*}" # --parsable prints "jobid;cluster" on multi-cluster setups
merge=$(sbatch --parsable --export=ALL --dependency="afterok:${array}" "$here/merge.sbatch")
echo "shards: job ${array} (tasks 1-${shards}); merge: job ${merge}, after all shards succeed"
