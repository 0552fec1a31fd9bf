/**
 * Upper bounds of every count in an audit (README, "Limits"). Each is far above what an
 * audit needs and far below what exhausts memory: a count beyond one is a typo (`1e12`), and
 * is refused when the file is read, before anything is written.
 */
export const LIMITS = {
  /** `replicates` (and `--replicates`), `search.replicates`. */
  replicates: 1_000,
  /** `protocol.epochs`. */
  epochs: 100,
  /** `protocol.demonstrations` and the archetype parameters counted in demonstrations. */
  demonstrations: 1_000,
  /** `manipulationCheck.samples`: probes per defect layer and condition. */
  manipulationSamples: 1_000_000,
  /** `graderBattery.numRuns`: runs per property and grader. */
  batteryRuns: 100_000,
  /** `series[].checkpoints` (and so `cadence` and `growth.at`). */
  checkpoints: 1_000,
  /** `sweeps[].values`: organisms per sweep. */
  sweepValues: 1_000,
  /** `heldOut.families[].count`: organisms per family. */
  familySize: 1_000,
  /** `dataset.limit`: samples in a seeded subset. */
  subset: 10_000_000,
  /** `search.numRuns` and `search.estimateSamples`: organisms drawn. */
  searchRuns: 100_000,
  /** A policy's `atLeast`. */
  conditions: 1_000
} as const

/** Numbers in messages and the README, with thousands separators. */
export const formatLimit = (n: number): string => n.toLocaleString("en-US")
