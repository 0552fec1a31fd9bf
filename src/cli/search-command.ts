import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { loadAudit } from "../audit/load-audit.js"
import { SearchSettings } from "../domain/search-settings.js"
import { formatSearchResult } from "../search/search-escapes.js"
import { runSearch } from "../search/run-search.js"
import { num, interval } from "../report/format.js"
import { GateFailed } from "./gate-failed.js"
import { choice, integer } from "./option-kinds.js"
import { AUDIT_FILE_KINDS } from "./shared-options.js"
import { UsageError } from "./usage-error.js"
import { plural } from "../domain/plural.js"

const audit = Args.file({ name: "audit", exists: "either" }).pipe(Args.withDescription(`audit file: ${AUDIT_FILE_KINDS}`))
const runs = integer("runs").pipe(Options.optional, Options.withDescription("organisms to try (default: the audit's search.numRuns, else 100)"))
const seed = integer("seed").pipe(
  Options.optional,
  Options.withDescription("the seed a run would use (default: the audit's): it draws the subsets and seeds the search, so `run --seed N` searches alike")
)
const samples = integer("samples").pipe(Options.optional, Options.withDescription("organisms drawn for the escape-fraction estimate (default 200; 0 skips it)"))
const scope = choice("scope", ["all", "triggers", "evaluations"]).pipe(Options.optional, Options.withDescription("what must catch the organisms (default triggers)"))
const timeLimit = integer("time-limit").pipe(
  Options.optional,
  Options.withDescription("seconds after which no new organism is tried (the result then depends on the machine's speed)")
)
const replay = Options.text("replay").pipe(Options.optional, Options.withDescription("replay a reported escape: its path, with the same --seed"))

/**
 * Searches for the simplest organism that escapes the audit's policy: fast-check draws
 * organisms from the catalog's parameters, runs them in-process against every evaluation
 * and trigger, and shrinks a failure. Exit codes: 0 none found, 1 an organism escapes, 2 bad input.
 */
export const searchCommand = Command.make(
  "search",
  { audit, runs, seed, samples, scope, replay, timeLimit },
  Effect.fn("search")(function* (args) {
    // Loaded under --seed as `run` loads it, so the subsets, the draws and fast-check all agree with that run's search.
    const spec = yield* loadAudit(args.audit, { seed: Option.getOrUndefined(args.seed) })
    const budget = (name: string, v: Option.Option<number>, min: number) =>
      Option.isSome(v) && v.value < min ? Effect.fail(new UsageError({ message: `--${name} must be at least ${min}, got ${v.value}` })) : Effect.void
    yield* budget("runs", args.runs, 1)
    yield* budget("samples", args.samples, 0)
    yield* budget("time-limit", args.timeLimit, 1)
    const base = spec.search ?? SearchSettings.make({})
    const settings: SearchSettings = {
      ...base,
      ...Option.match(args.runs, { onNone: () => ({}), onSome: (numRuns) => ({ numRuns }) }),
      ...Option.match(args.samples, { onNone: () => ({}), onSome: (estimateSamples) => ({ estimateSamples }) }),
      ...Option.match(args.scope, { onNone: () => ({}), onSome: (s) => ({ scope: s }) })
    }
    const path = Option.getOrUndefined(args.replay)
    if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) {
      return yield* new UsageError({ message: `--replay expects a path such as 2:0:1 (as printed with an escape), got "${path}"` })
    }
    const report = yield* Effect.try({
      try: () => runSearch(spec, settings, { seed: spec.seed, path, timeLimitMs: Option.getOrUndefined(Option.map(args.timeLimit, (s) => s * 1000)) }),
      // fast-check refuses a path that does not fit the search space: that is bad input, not a crash.
      catch: (e) => new UsageError({ message: `--replay ${path ?? ""}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}` })
    })
    if (path !== undefined && report.result._tag === "NoEscapeFound") {
      return yield* new UsageError({ message: `--replay ${path} does not reproduce an escape with seed ${spec.seed}` })
    }
    yield* Console.log(formatSearchResult(report.result))
    const estimate = report.estimate
    if (estimate !== null) {
      const f = estimate.fraction
      yield* Console.log(
        `escape fraction: ${f.k} of ${plural(estimate.eligible, "organism")} that must be caught (of ${estimate.drawn} drawn) escape: ${num(f.estimate ?? 0)} ${interval(f.lower, f.upper)}`
      )
    }
    if (report.skipped.length > 0) yield* Console.log(`not searched (judge graders): ${report.skipped.join(", ")}`)
    if (report.result._tag === "Escaped") return yield* new GateFailed({ message: "an organism escapes the policy (see above)" })
  })
).pipe(Command.withDescription("search for the simplest organism that escapes the audit's evaluations and triggers (exit 1 when one does)"))
