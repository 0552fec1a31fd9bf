/** Provider settings: defaults, validation, keys kept out of files, and the JSON Schema. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, JSONSchema, ParseResult } from "effect"
import { decodeProviderSettings, ProviderSettings } from "../src/providers/settings.js"

const minimal = { kind: "anthropic", baseUrl: "https://api.anthropic.com", model: "claude-test" }

const problem = (input: unknown) =>
  decodeProviderSettings(input).pipe(
    Effect.either,
    Effect.map((result) => (Either.isLeft(result) ? ParseResult.TreeFormatter.formatErrorSync(result.left) : "decoded"))
  )

describe("provider settings", () => {
  it.effect("fill in the documented defaults", () =>
    Effect.gen(function* () {
      expect(yield* decodeProviderSettings(minimal)).toEqual({
        ...minimal,
        concurrency: 8,
        timeoutMs: 60_000,
        maxRetries: 6,
        initialBackoffMs: 500,
        maxBackoffMs: 30_000
      })
    })
  )

  it.effect("refuse an API key written into the file, without echoing it", () =>
    Effect.gen(function* () {
      const message = yield* problem({ ...minimal, apiKey: "sk-ant-should-never-be-here" })
      expect(message).toContain('["apiKey"]')
      expect(message).not.toContain("sk-ant-should-never-be-here")
    })
  )

  it.effect("reject what no provider could use", () =>
    Effect.gen(function* () {
      expect(yield* problem({ ...minimal, baseUrl: "api.anthropic.com" })).toContain("Expected an http:// or https:// URL")
      expect(yield* problem({ ...minimal, kind: "gemini" })).toContain('Expected "openai-compatible", actual "gemini"')
      expect(yield* problem({ ...minimal, concurrency: 0 })).toContain("Expected a positive integer")
      expect(yield* problem({ ...minimal, maxRetries: 1.5 })).toContain("Expected a non-negative integer")
    })
  )

  it("describe every field in the JSON Schema editors read", () => {
    const schema = JSONSchema.make(ProviderSettings)
    const properties = "properties" in schema && typeof schema.properties === "object" ? schema.properties : {}
    const undocumented = Object.entries(properties ?? {})
      .filter(([, field]) => !JSON.stringify(field).includes('"description"'))
      .map(([name]) => name)
    expect(undocumented).toEqual([])
    expect(Object.keys(properties ?? {})).toContain("apiKeyEnv")
  })
})
