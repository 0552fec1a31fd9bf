import { Either, ParseResult, Schema } from "effect"
import { GateSettings, type GateJudgement, type Limits, type SubjectLimits } from "../domain/gate.js"
import { Id, Probability } from "../domain/ids.js"

/** The gate as given on the command line, before validation. */
export interface GateFlags {
  /** `--min-sensitivity`, repeatable: see `parseLimit`. */
  readonly minSensitivity: ReadonlyArray<string>
  /** `--max-false-alarm`, repeatable. */
  readonly maxFalseAlarm: ReadonlyArray<string>
  readonly noEscapes: boolean
  readonly noEscapesFor: ReadonlyArray<string>
  /** `--max-escape-probability VALUE`: escapes judged by probability instead of "none in any replicate". */
  readonly maxEscapeProbability: string | undefined
  /** `--pooled-sensitivity`: minimums judge the all-organism pooled sensitivity, not the relevant headline. */
  readonly pooledSensitivity: boolean
  readonly noGraderFaults: boolean
  readonly noErrors: boolean
  readonly on: GateJudgement | undefined
}

const Limit = Schema.compose(Schema.NumberFromString, Probability)

type Scope = { readonly _tag: "all" } | { readonly _tag: "kind"; readonly kind: keyof Limits } | { readonly _tag: "one"; readonly kind: keyof Limits; readonly id: string }

const KIND: Record<string, keyof Limits> = { trigger: "triggers", triggers: "triggers", evaluation: "evaluations", evaluations: "evaluations" }

/**
 * One limit flag: `0.8` (every trigger and evaluation), `triggers=0.8` or
 * `evaluations=0.8` (every subject of one kind), `trigger:ID=0.8` or `evaluation:ID=0.8`
 * (one subject).
 */
export const parseLimit = (flag: string, text: string): Either.Either<{ readonly scope: Scope; readonly value: number }, string> => {
  const match = /^(?:(triggers|evaluations)=|(trigger|evaluation):([^=]*)=)?(.*)$/.exec(text.trim())
  const expected = `${flag} expects VALUE, triggers=VALUE, evaluations=VALUE, trigger:ID=VALUE or evaluation:ID=VALUE with VALUE between 0 and 1; got "${text}"`
  if (match === null) return Either.left(expected)
  const [, kindAll, kindOne, id, number] = match
  const value = Schema.decodeUnknownEither(Limit)(number ?? "")
  if (Either.isLeft(value)) return Either.left(expected)
  const kind = KIND[kindAll ?? kindOne ?? ""]
  if (kindOne !== undefined && kind !== undefined) {
    if (id === undefined || !Schema.is(Id)(id)) return Either.left(`${flag} ${text}: "${id ?? ""}" is not an id (letters, digits, '.', '_', '-')`)
    return Either.right({ scope: { _tag: "one", kind, id }, value: value.right })
  }
  return Either.right({ scope: kind === undefined ? { _tag: "all" } : { _tag: "kind", kind }, value: value.right })
}

const withLimit = (limits: SubjectLimits | undefined, scope: Scope, value: number): SubjectLimits =>
  scope._tag === "one" ? { ...limits, overrides: { ...limits?.overrides, [scope.id]: value } } : { ...limits, default: value }

/** Folds a repeated limit flag into limits; a later flag for the same scope wins. */
const limitsOf = (flag: string, texts: ReadonlyArray<string>): Either.Either<Limits | undefined, string> =>
  Either.gen(function* () {
    let limits: { triggers?: SubjectLimits; evaluations?: SubjectLimits } | undefined
    for (const text of texts) {
      const { scope, value } = yield* parseLimit(flag, text)
      const kinds: ReadonlyArray<keyof Limits> = scope._tag === "all" ? ["triggers", "evaluations"] : [scope.kind]
      for (const kind of kinds) limits = { ...limits, [kind]: withLimit(limits?.[kind], scope, value) }
    }
    return limits
  })

const decodeSettings = Schema.decodeUnknownEither(GateSettings, { errors: "all", onExcessProperty: "error" })

/** The command line's gate, validated by the same schema as an audit's `gate` section. */
export const gateFromFlags = (flags: GateFlags): Either.Either<GateSettings, string> =>
  Either.gen(function* () {
    const minSensitivity = yield* limitsOf("--min-sensitivity", flags.minSensitivity)
    const maxFalseAlarmRate = yield* limitsOf("--max-false-alarm", flags.maxFalseAlarm)
    for (const id of flags.noEscapesFor) {
      if (!Schema.is(Id)(id)) return yield* Either.left(`--no-escapes-for: "${id}" is not an organism id`)
    }
    const noEscapes = flags.noEscapes ? true : flags.noEscapesFor.length > 0 ? flags.noEscapesFor : undefined
    const maxEscapeProbability =
      flags.maxEscapeProbability === undefined
        ? undefined
        : yield* Either.mapLeft(
          Schema.decodeUnknownEither(Limit)(flags.maxEscapeProbability),
          () => `--max-escape-probability expects a VALUE between 0 and 1; got "${flags.maxEscapeProbability ?? ""}"`
        )
    const settings = {
      ...(flags.on === undefined ? {} : { on: flags.on }),
      ...(minSensitivity === undefined ? {} : { minSensitivity }),
      ...(flags.pooledSensitivity ? { sensitivityOf: "pooled" } : {}),
      ...(maxFalseAlarmRate === undefined ? {} : { maxFalseAlarmRate }),
      ...(noEscapes === undefined ? {} : { noEscapes }),
      ...(maxEscapeProbability === undefined ? {} : { maxEscapeProbability }),
      ...(flags.noGraderFaults ? { noGraderFaults: true } : {}),
      ...(flags.noErrors ? { noErrors: true } : {})
    }
    return yield* Either.mapLeft(decodeSettings(settings), (e) => `gate flags: ${ParseResult.TreeFormatter.formatErrorSync(e)}`)
  })

const mergeSubject = (file: SubjectLimits | undefined, cli: SubjectLimits | undefined): SubjectLimits | undefined => {
  if (file === undefined || cli === undefined) return cli ?? file
  const fallback = cli.default ?? file.default
  return { ...(fallback === undefined ? {} : { default: fallback }), overrides: { ...file.overrides, ...cli.overrides } }
}

const mergeLimits = (file: Limits | undefined, cli: Limits | undefined): Limits | undefined => {
  if (file === undefined || cli === undefined) return cli ?? file
  const triggers = mergeSubject(file.triggers, cli.triggers)
  const evaluations = mergeSubject(file.evaluations, cli.evaluations)
  return { ...(triggers === undefined ? {} : { triggers }), ...(evaluations === undefined ? {} : { evaluations }) }
}

/**
 * The gate a check applies: the audit's `gate` section with the command line's values laid
 * over it. The command line wins at the same level (a default over a default, an id over
 * the same id); a per-id limit in the file still beats a default from the command line,
 * since the more specific limit was set on purpose. Flags can add rules, not remove them.
 */
export const mergeGate = (file: GateSettings | undefined, cli: GateSettings): GateSettings => {
  if (file === undefined) return cli
  const on = cli.on ?? file.on
  const minSensitivity = mergeLimits(file.minSensitivity, cli.minSensitivity)
  const maxFalseAlarmRate = mergeLimits(file.maxFalseAlarmRate, cli.maxFalseAlarmRate)
  const sensitivityOf = cli.sensitivityOf ?? file.sensitivityOf
  const noEscapes = cli.noEscapes ?? file.noEscapes
  const maxEscapeProbability = cli.maxEscapeProbability ?? file.maxEscapeProbability
  const noGraderFaults = cli.noGraderFaults ?? file.noGraderFaults
  const noErrors = cli.noErrors ?? file.noErrors
  return {
    ...(on === undefined ? {} : { on }),
    ...(minSensitivity === undefined ? {} : { minSensitivity }),
    ...(sensitivityOf === undefined ? {} : { sensitivityOf }),
    ...(maxFalseAlarmRate === undefined ? {} : { maxFalseAlarmRate }),
    ...(noEscapes === undefined ? {} : { noEscapes }),
    ...(maxEscapeProbability === undefined ? {} : { maxEscapeProbability }),
    ...(noGraderFaults === undefined ? {} : { noGraderFaults }),
    ...(noErrors === undefined ? {} : { noErrors })
  }
}

const StoredGate = Schema.parseJson(Schema.Struct({ gate: Schema.optional(GateSettings) }))

/**
 * The `gate` section of a stored (resolved, encoded) audit spec, if it has one. Reading the
 * stored JSON rather than a field of `ResolvedAudit` works for runs made before audits had
 * a gate section, and from any version that stores it.
 */
export const gateOfSpecJson = (specJson: string): Either.Either<GateSettings | undefined, string> =>
  Either.mapBoth(Schema.decodeUnknownEither(StoredGate)(specJson), {
    onLeft: (e) => `the stored spec's gate section: ${ParseResult.TreeFormatter.formatErrorSync(e)}`,
    onRight: (spec) => spec.gate
  })
