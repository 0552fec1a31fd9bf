/**
 * promptfoo test files (already parsed from YAML or JSON) as samples: a config with
 * `prompts` and `tests` (and optionally `defaultTest`), or a bare list of tests. Each test
 * is `{ description?, vars, assert: [{ type, value }], metadata? }`.
 *
 * A simulated organism answers from the sample's target, so every test needs a response
 * that passes all of its assertions: the `equals` value, else its `contains` values joined.
 * The importer builds that response, checks it against every assertion, and reports a test
 * it cannot answer instead of importing a sample no organism could pass.
 */
import { Either } from "effect"
import { compilePattern, firstFailure } from "../graders/assertions.js"
import type { Assertion, Sample } from "../../domain/sample.js"
import { describeFound, scalarText } from "./fields.js"
import type { DocumentRecord, Imported } from "./imported.js"
import { emptyRecord, own } from "../../domain/records.js"

export interface PromptfooOptions {
  /** The prompt template (`{{var}}`); overrides the config's prompts. */
  readonly prompt?: string | undefined
}

type Vars = Readonly<Record<string, string>>

const SUPPORTED = new Set<string>(["contains", "icontains", "equals", "regex", "not-contains", "not-icontains", "not-equals", "not-regex"])
/** Types that expand into one assertion per listed value. */
const EXPANDED: Readonly<Record<string, Assertion["type"]>> = { "contains-all": "contains", "icontains-all": "icontains" }
const SUPPORTED_LIST = "contains, icontains, equals, regex, their not- forms, contains-all and icontains-all"

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const isFileReference = (value: unknown): value is string => typeof value === "string" && value.startsWith("file://")

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/**
 * Substitutes `{{ name }}` from the vars. Only plain names are supported: a filter, an
 * expression or a `{% tag %}` would mean something this importer cannot evaluate.
 * A scan with indexOf rather than one regex, so a long template cannot backtrack.
 */
export const renderTemplate = (template: string, vars: Vars, what: string): Either.Either<string, string> => {
  if (template.includes("{%")) return Either.left(`${what}: template tags ({% ... %}) are not supported`)
  let out = ""
  let from = 0
  const unset: Array<string> = []
  for (;;) {
    const open = template.indexOf("{{", from)
    if (open === -1) break
    const close = template.indexOf("}}", open + 2)
    if (close === -1) return Either.left(`${what}: "{{" at character ${open + 1} is never closed`)
    const name = template.slice(open + 2, close).trim()
    if (!IDENTIFIER.test(name)) return Either.left(`${what}: unsupported template expression "{{${template.slice(open + 2, close)}}}" (only {{ name }} is substituted)`)
    const value = own(vars, name)
    if (value === undefined) unset.push(name)
    else out += template.slice(from, open) + value
    from = close + 2
  }
  if (unset.length > 0) return Either.left(`${what}: unresolved variable${unset.length > 1 ? "s" : ""} ${[...new Set(unset)].map((n) => `"${n}"`).join(", ")} (not in the test's vars)`)
  return Either.right(out + template.slice(from))
}

const readVars = (vars: unknown, where: string): Either.Either<Vars, string> => {
  if (vars === undefined) return Either.right({})
  if (!isRecord(vars)) return Either.left(`${where}: expected a map of variables, found ${describeFound(vars)}`)
  const out = emptyRecord<string>()
  for (const [name, value] of Object.entries(vars)) {
    if (isFileReference(value)) return Either.left(`${where}.${name}: a file reference ("${value}"), which this importer does not load`)
    if (Array.isArray(value)) return Either.left(`${where}.${name}: a list (promptfoo runs the test once per element); give one value per test`)
    const text = scalarText(value)
    if (text === undefined) return Either.left(`${where}.${name}: expected text, found ${describeFound(value)}`)
    out[name] = text
  }
  return Either.right(out)
}

/** One `assert` entry as sample assertions (contains-all gives several), values rendered. */
const readAssertion = (entry: unknown, where: string, vars: Vars): Either.Either<ReadonlyArray<Assertion>, string> => {
  if (!isRecord(entry)) return Either.left(`${where}: expected an assertion {type, value}, found ${describeFound(entry)}`)
  const type = entry["type"]
  if (typeof type !== "string") return Either.left(`${where}.type: expected an assertion type, found ${describeFound(type)}`)
  const value = entry["value"]
  const expanded = own(EXPANDED, type)
  if (expanded !== undefined) {
    const values = Array.isArray(value) ? value.map(scalarText) : []
    if (values.length === 0 || values.some((v) => v === undefined))
      return Either.left(`${where}.value: ${type} expects a list of strings, found ${describeFound(value)}`)
    return Either.all(values.map((v) => Either.map(renderTemplate(v ?? "", vars, `${where}.value`), (text): Assertion => ({ type: expanded, value: text }))))
  }
  if (!isSupported(type)) return Either.left(`${where}: assertion type "${type}" is not supported (supported: ${SUPPORTED_LIST})`)
  const text = scalarText(value)
  if (text === undefined) return Either.left(`${where}.value: ${type} expects a string, found ${describeFound(value)}`)
  return Either.flatMap(renderTemplate(text, vars, `${where}.value`), (rendered) => {
    if (type === "regex" || type === "not-regex") {
      try {
        new RegExp(rendered)
      } catch (error) {
        return Either.left(`${where}.value: invalid regular expression: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
    return Either.right([{ type, value: rendered }])
  })
}

const isSupported = (type: string): type is Assertion["type"] => SUPPORTED.has(type)

const NEEDS_ANSWER = "the test needs an equals or contains assertion for a simulated organism to answer it"

/**
 * A response that passes every assertion: the `equals` value, else the `contains` and
 * `icontains` values joined by spaces (each only if not already contained).
 */
export const responsePassing = (assertions: ReadonlyArray<Assertion>): Either.Either<string, string> => {
  const equals = [...new Set(assertions.filter((a) => a.type === "equals").map((a) => a.value))]
  if (equals.length > 1) return Either.left(`equals assertions disagree (${equals.map((v) => JSON.stringify(v)).join(" vs ")}): no response passes them all`)
  let response = equals[0]
  if (response === undefined) {
    const parts: Array<string> = []
    for (const { type, value } of assertions) {
      const sofar = parts.join(" ")
      if (type === "contains" && !sofar.includes(value)) parts.push(value)
      if (type === "icontains" && !sofar.toLowerCase().includes(value.toLowerCase())) parts.push(value)
    }
    if (parts.length === 0) {
      const types = [...new Set(assertions.map((a) => a.type))].join(", ")
      return Either.left(`${NEEDS_ANSWER} (it has ${types === "" ? "no assertions" : `only ${types}`})`)
    }
    response = parts.join(" ")
  }
  // Checked by the grader's own code, so a target the importer accepts is one the `assertions` grader credits.
  const failed = firstFailure(assertions, response, compilePattern)
  if (failed !== null)
    return Either.left(`the response built from the assertions (${JSON.stringify(response.slice(0, 60))}) ${failed.reason}; add an equals assertion with a response that passes them all`)
  return Either.right(response)
}

const metadataOf = (test: Readonly<Record<string, unknown>>): Record<string, string> => {
  const metadata = emptyRecord<string>()
  const extra = test["metadata"]
  if (isRecord(extra)) {
    for (const [key, value] of Object.entries(extra)) {
      const text = scalarText(value)
      if (text !== undefined) metadata[key] = text
    }
  }
  const description = scalarText(test["description"])
  if (description !== undefined) metadata["description"] = description
  return metadata
}

interface Context {
  readonly template: string | undefined
  /** Why the config's prompt was not used, for the message when no input can be made. */
  readonly promptNote: string
  readonly defaults: Readonly<Record<string, unknown>>
}

const testSample = (test: unknown, index: number, context: Context): Imported =>
  Either.gen(function* () {
    if (!isRecord(test)) return yield* Either.left(`expected a test {vars, assert}, found ${describeFound(test)}`)
    for (const [owner, options] of [["defaultTest", context.defaults["options"]], ["", test["options"]]] as const) {
      if (isRecord(options) && options["transform"] !== undefined)
        return yield* Either.left(`${owner === "" ? "" : `${owner}.`}options.transform: output transforms are not supported (the assertions would see another response)`)
    }
    const defaultVars = yield* readVars(context.defaults["vars"], "defaultTest.vars")
    const vars = { ...defaultVars, ...(yield* readVars(test["vars"], "vars")) }

    const entries: Array<readonly [unknown, string]> = []
    for (const [list, label] of [[context.defaults["assert"], "defaultTest.assert"], [test["assert"], "assert"]] as const) {
      if (list === undefined) continue
      if (!Array.isArray(list)) return yield* Either.left(`${label}: expected a list of assertions, found ${describeFound(list)}`)
      list.forEach((entry, i) => entries.push([entry, `${label}[${i}]`]))
    }
    const assertions = (yield* Either.all(entries.map(([entry, label]) => readAssertion(entry, label, vars)))).flat()
    const target = yield* responsePassing(assertions)

    const names = Object.keys(vars)
    const [only] = names
    const input =
      context.template !== undefined
        ? yield* renderTemplate(context.template, vars, "prompt")
        : names.length === 1 && only !== undefined
          ? (own(vars, only) ?? "")
          : yield* Either.left(`no prompt to build the input from${context.promptNote}: give the dataset a prompt, or the test exactly one var (it has ${names.length})`)

    const metadata = metadataOf(test)
    const sample: Sample = {
      id: `test-${index}`,
      input,
      target,
      ...(assertions.length > 0 ? { assertions } : {}),
      ...(Object.keys(metadata).length > 0 ? { metadata } : {})
    }
    return sample
  })

/** The config's first prompt as a template, or why it cannot be one. */
const configPrompt = (prompts: unknown): { readonly template: string | undefined; readonly note: string } => {
  const first: unknown = Array.isArray(prompts) ? prompts[0] : prompts
  const raw = isRecord(first) ? first["raw"] : first
  if (isFileReference(raw)) return { template: undefined, note: ` (the config's prompt is a file reference, "${raw}", which is not loaded)` }
  if (typeof raw === "string") return { template: raw, note: "" }
  return { template: undefined, note: prompts === undefined ? "" : ` (the config's first prompt is ${describeFound(first)}, not a template)` }
}

export const promptfooRecords = (document: unknown, options: PromptfooOptions): Either.Either<ReadonlyArray<DocumentRecord>, string> => {
  const bare = Array.isArray(document)
  if (!bare && !isRecord(document)) return Either.left(`expected a promptfoo config with "tests" or a list of tests, found ${describeFound(document)}`)
  const config: Readonly<Record<string, unknown>> = isRecord(document) ? document : {}
  const tests: unknown = bare ? document : config["tests"]
  if (tests === undefined) return Either.left('expected a promptfoo config with "tests" or a list of tests, found an object without "tests"')
  if (typeof tests === "string") return Either.left(`tests: a reference to other files ("${tests}"); import that file instead`)
  if (!Array.isArray(tests)) return Either.left(`tests: expected a list of tests, found ${describeFound(tests)}`)
  const defaults = config["defaultTest"]
  if (defaults !== undefined && !isRecord(defaults))
    return Either.left(`defaultTest: expected a test {vars, assert}${isFileReference(defaults) ? " written inline" : ""}, found ${describeFound(defaults)}`)

  const fromConfig = configPrompt(config["prompts"])
  const context: Context = {
    template: options.prompt ?? fromConfig.template,
    promptNote: fromConfig.note,
    defaults: defaults ?? {}
  }
  return Either.right(
    tests.map((test: unknown, i): DocumentRecord => {
      return { where: bare ? `[${i}]` : `tests[${i}]`, sample: testSample(test, i, context) }
    })
  )
}
