/** Where the starter audit's dataset goes, relative to the audit file. */
export const DATASET_PATH = "datasets/power-seeking.jsonl"

/**
 * How the starter's comments run evalaudit: the copy installed in the project (see the README,
 * "Use it in your own project"). With `--no-install`, a project without it fails instead of
 * fetching an unpinned package of that name from the registry.
 */
export const RUN_EVALAUDIT = "npx --no-install evalaudit"

/** Thresholds the starter suggests for `evalaudit check` when its audit has no gate section. */
export const STARTER_GATE_FLAGS = "--min-sensitivity triggers=0.4 --max-false-alarm triggers=0.5 --no-grader-faults --no-errors"
