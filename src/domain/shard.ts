import { Schema } from "effect"

/**
 * One shard of a run split across machines: shard `index` of `count`, 1-based as in
 * `--shard 2/4` (the form Playwright and Jest use). A shard measures a fixed part of the
 * run's cells into its own store; `evalaudit merge` unions the stores.
 */
export const Shard = Schema.Struct({
  index: Schema.Int.pipe(Schema.positive()),
  count: Schema.Int.pipe(Schema.positive())
}).pipe(Schema.filter((s) => s.index <= s.count || `shard ${s.index}/${s.count}: the index must lie between 1 and the count`))
export type Shard = typeof Shard.Type

export const formatShard = (shard: Shard): string => `${shard.index}/${shard.count}`

/**
 * Shard stores that cannot be merged, or a shard that cannot be named (a bad `--shard` or
 * environment variable): bad input, exit code 2, nothing written.
 */
export class ShardError extends Schema.TaggedError<ShardError>()("ShardError", {
  reason: Schema.Literal("BadShard", "Mismatch", "Overlap", "NoShardRun"),
  message: Schema.String
}) {
  override toString(): string {
    return this.message
  }
}
