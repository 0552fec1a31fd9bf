/**
 * `--shard i/n` and `--shard auto`: which shard of a run this process measures. `auto` reads
 * the batch system's environment: an explicit pair, a Kubernetes Indexed Job, or a Slurm job
 * array. A bad value is bad input naming the flag or the variable.
 */
import { Options } from "@effect/cli"
import { Config, Effect, Either, Option } from "effect"
import { formatShard, type Shard, ShardError } from "../domain/shard.js"

export const shard = Options.text("shard").pipe(
  Options.optional,
  Options.withDescription(
    "measure only shard i of n (1-based, e.g. 2/4) into this --db, for `evalaudit merge`; `auto` reads EVALAUDIT_SHARD_INDEX/EVALAUDIT_SHARD_COUNT, a Kubernetes Indexed Job (JOB_COMPLETION_INDEX + EVALAUDIT_SHARD_COUNT) or a Slurm array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT)"
  )
)

/** The environment variables `--shard auto` reads, in the order it looks at them. */
export const SHARD_VARIABLES = [
  "EVALAUDIT_SHARD_INDEX",
  "EVALAUDIT_SHARD_COUNT",
  "JOB_COMPLETION_INDEX",
  "SLURM_ARRAY_TASK_ID",
  "SLURM_ARRAY_TASK_COUNT",
  "SLURM_ARRAY_TASK_MIN",
  "SLURM_ARRAY_TASK_STEP"
] as const
type Variable = (typeof SHARD_VARIABLES)[number]
export type ShardEnvironment = Partial<Record<Variable, string>>

const bad = (message: string) => Either.left(new ShardError({ reason: "BadShard", message }))

/** A whole number written plainly ("3", not "+3", "3.0" or " 3"), or undefined. */
const whole = (text: string): number | undefined => (/^\d{1,9}$/.test(text) ? Number(text) : undefined)

const quoted = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text)

/** The value of `name` as a whole number at least `min`, or an error naming the variable. */
const number = (env: ShardEnvironment, name: Variable, min: number, why = ""): Either.Either<number, ShardError> => {
  const text = env[name]
  if (text === undefined) return bad(`--shard auto: ${name} is not set${why}`)
  const n = whole(text)
  return n === undefined || n < min ? bad(`--shard auto: ${name} must be a whole number of at least ${min}, got ${quoted(text)}`) : Either.right(n)
}

const optionalNumber = (env: ShardEnvironment, name: Variable, min: number, otherwise: number) =>
  env[name] === undefined ? Either.right(otherwise) : number(env, name, min)

/** `i/n` with 1 <= i <= n. */
export const parseShard = (text: string): Either.Either<Shard, ShardError> => {
  const match = /^(\d{1,9})\/(\d{1,9})$/.exec(text)
  const index = match?.[1] === undefined ? undefined : Number(match[1])
  const count = match?.[2] === undefined ? undefined : Number(match[2])
  if (index === undefined || count === undefined || index < 1 || index > count) {
    return bad(`--shard: expected i/n with 1 <= i <= n (such as 2/4) or auto, got ${quoted(text)}`)
  }
  return Either.right({ index, count })
}

const within = (shard: Shard, variables: string): Either.Either<Shard, ShardError> =>
  shard.index <= shard.count ? Either.right(shard) : bad(`--shard auto: ${variables} names shard ${formatShard(shard)}, beyond the count`)

/**
 * The shard the environment names, looked for in this order:
 * - `EVALAUDIT_SHARD_INDEX` (1-based, as in `--shard`) and `EVALAUDIT_SHARD_COUNT`, for a CI
 *   matrix or any scheduler;
 * - `JOB_COMPLETION_INDEX` (0-based) of a Kubernetes Indexed Job, with `EVALAUDIT_SHARD_COUNT`
 *   set to the Job's `completions` (Kubernetes does not export it);
 * - `SLURM_ARRAY_TASK_ID` of a Slurm job array, with `SLURM_ARRAY_TASK_COUNT`,
 *   `SLURM_ARRAY_TASK_MIN` and `SLURM_ARRAY_TASK_STEP` (`--array=1-8`, `0-15:4` and the like).
 */
export const shardFromEnvironment = (env: ShardEnvironment): Either.Either<Shard, ShardError> => {
  if (env.EVALAUDIT_SHARD_INDEX !== undefined) {
    return Either.flatMap(number(env, "EVALAUDIT_SHARD_INDEX", 1), (index) =>
      Either.flatMap(number(env, "EVALAUDIT_SHARD_COUNT", 1, " (it goes with EVALAUDIT_SHARD_INDEX)"), (count) =>
        within({ index, count }, "EVALAUDIT_SHARD_INDEX")
      )
    )
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const why = " (Kubernetes does not export an Indexed Job's completions: set it to the Job's .spec.completions)"
    return Either.flatMap(number(env, "JOB_COMPLETION_INDEX", 0), (index) =>
      Either.flatMap(number(env, "EVALAUDIT_SHARD_COUNT", 1, why), (count) => within({ index: index + 1, count }, "JOB_COMPLETION_INDEX"))
    )
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    return Either.gen(function* () {
      const id = yield* number(env, "SLURM_ARRAY_TASK_ID", 0)
      const count = yield* number(env, "SLURM_ARRAY_TASK_COUNT", 1, " (it goes with SLURM_ARRAY_TASK_ID)")
      const min = yield* optionalNumber(env, "SLURM_ARRAY_TASK_MIN", 0, 0)
      const step = yield* optionalNumber(env, "SLURM_ARRAY_TASK_STEP", 1, 1)
      const offset = id - min
      if (offset < 0 || offset % step !== 0 || offset / step >= count) {
        return yield* bad(
          `--shard auto: SLURM_ARRAY_TASK_ID=${id} is not one of the ${count} tasks from SLURM_ARRAY_TASK_MIN=${min} in steps of ${step} (give --array a plain range such as 1-${count})`
        )
      }
      return { index: offset / step + 1, count }
    })
  }
  return bad("--shard auto: none of EVALAUDIT_SHARD_INDEX, JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID is set")
}

/** The environment's shard variables, read through Config (tests provide their own). */
const shardEnvironment = Effect.gen(function* () {
  const env: ShardEnvironment = {}
  for (const name of SHARD_VARIABLES) {
    const value = yield* Config.option(Config.string(name)).pipe(Effect.orElseSucceed(() => Option.none<string>()))
    if (Option.isSome(value)) env[name] = value.value
  }
  return env
})

/** The shard `--shard` names, if given: `i/n`, or `auto` read from the environment. */
export const resolveShard = (option: Option.Option<string>): Effect.Effect<Option.Option<Shard>, ShardError> =>
  Option.match(option, {
    onNone: () => Effect.succeedNone,
    onSome: (text) =>
      text === "auto"
        ? Effect.asSome(Effect.flatMap(shardEnvironment, shardFromEnvironment))
        : Effect.asSome(parseShard(text))
  })
