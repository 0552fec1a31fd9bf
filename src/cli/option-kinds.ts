import { HelpDoc, Options, ValidationError } from "@effect/cli"
import { Effect } from "effect"

/**
 * Options whose bad values are refused in a sentence naming the flag: @effect/cli's own
 * integer and choice options say only "'abc' is not a integer" or "Expected one of the
 * following cases", without the flag they came from.
 */
const refuse = (message: string) => ValidationError.invalidValue(HelpDoc.p(message))

/** An integer option: `--name N`; "abc", "1.5" or "1e99" are refused naming `--name`. */
export const integer = (name: string): Options.Options<number> =>
  Options.text(name).pipe(
    Options.withPseudoName("integer"),
    Options.mapEffect((text) => {
      const n = Number(text)
      return /^\s*[+-]?\d+\s*$/.test(text) && Number.isSafeInteger(n) ? Effect.succeed(n) : Effect.fail(refuse(`--${name} expects an integer, got '${text}'`))
    })
  )

/** One of fixed words: `--name a|b`; anything else is refused naming `--name` and the choices. */
export const choice = <const C extends ReadonlyArray<string>>(name: string, choices: C): Options.Options<C[number]> => {
  const isChoice = (text: string): text is C[number] => choices.some((c) => c === text)
  return Options.text(name).pipe(
    Options.withPseudoName(choices.join("|")),
    Options.mapEffect((text) => (isChoice(text) ? Effect.succeed(text) : Effect.fail(refuse(`--${name} expects one of ${choices.join(", ")}, got '${text}'`))))
  )
}

/** The default given once, used and shown in help: "(default: 8)". */
export const defaulting =
  <A extends string | number>(value: A, description: string) =>
  <B>(self: Options.Options<B>): Options.Options<A | B> =>
    self.pipe(Options.withDefault(value), Options.withDescription(`${description} (default: ${value})`))
