import { describe, expect, it } from "vitest"
import {
  ciLabel,
  excerpt,
  interval,
  intervalName,
  MISSING,
  num,
  percent,
  plural,
  probability,
  proportion,
  reproductionCommand,
  shellQuote,
  signed,
  signedWithInterval
} from "../src/report/format.js"

describe("num", () => {
  it("rounds to two decimals by default, or to the digits asked", () => {
    expect(num(0.456)).toBe("0.46")
    expect(num(0.4567, 3)).toBe("0.457")
    expect(num(1)).toBe("1.00")
  })
  it("prints a value that rounds to zero without a sign", () => {
    expect(num(-0.001)).toBe("0.00")
    expect(num(-0.0004, 3)).toBe("0.000")
    expect(num(-0)).toBe("0.00")
  })
  it("prints missing values as the dash", () => {
    expect(MISSING).toBe("–")
    for (const x of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) expect(num(x)).toBe("–")
  })
})

describe("signed", () => {
  it("signs non-zero values and leaves zero unsigned", () => {
    expect(signed(0.123)).toBe("+0.12")
    expect(signed(-0.444)).toBe("-0.44")
    expect(signed(-0.001)).toBe("0.00")
    expect(signed(0.004)).toBe("0.00")
    expect(signed(0)).toBe("0.00")
    expect(signed(-0.005)).toBe("-0.01")
  })
  it("prints missing values as the dash", () => {
    expect(signed(Number.NaN)).toBe("–")
    expect(signed(null)).toBe("–")
    expect(signed(undefined)).toBe("–")
  })
})

describe("intervals and proportions", () => {
  it("formats both ends, or says there is no interval", () => {
    expect(interval(0.312, 0.834)).toBe("[0.31, 0.83]")
    expect(interval(-0.482585, -0.425415, signed)).toBe("[-0.48, -0.43]")
    expect(interval(null, 0.5)).toBe("[no interval]")
    expect(interval(Number.NaN, 0.5)).toBe("[no interval]")
    expect(signedWithInterval(0.5, 0.09, 0.91)).toBe("+0.50 [+0.09, +0.91]")
    expect(signedWithInterval(-0.001, -0.002, 0.001)).toBe("0.00 [0.00, 0.00]")
  })
  it("gives a proportion with its counts and interval (the DESIGN.md figures)", () => {
    expect(proportion({ estimate: 0.9, k: 9, n: 10, lower: 0.596, upper: 0.982 })).toBe("0.90 (9/10) [0.60, 0.98]")
    expect(proportion({ k: 9, n: 10, lower: 0.596, upper: 0.982 })).toBe("0.90 (9/10) [0.60, 0.98]")
    expect(proportion({ estimate: null, k: 0, n: 0, lower: 0, upper: 1 })).toBe("– (0/0)")
  })
})

describe("percentages and confidence labels", () => {
  it("gives three significant figures without trailing zeros", () => {
    expect(percent(0.05)).toBe("5%")
    expect(percent(0.003)).toBe("0.3%")
    expect(percent(0.0582)).toBe("5.82%")
    expect(percent(Number.NaN)).toBe("–")
  })
  it("labels intervals at the summary's confidence", () => {
    expect(ciLabel(0.95)).toBe("95% CI")
    expect(ciLabel(0.9)).toBe("90% CI")
    expect(ciLabel(0.995)).toBe("99.5% CI")
    expect(intervalName({ interval: "wilson", confidence: 0.9 })).toBe("Wilson 90%")
    expect(intervalName({ interval: "clopper-pearson", confidence: 0.95 })).toBe("Clopper-Pearson 95%")
  })
  it("says when a probability is at an extreme", () => {
    expect(probability(0.999)).toBe("> 0.99")
    expect(probability(0.001)).toBe("< 0.01")
    expect(probability(0.923)).toBe("0.92")
  })
})

describe("plural", () => {
  it("agrees with the count", () => {
    expect(plural(1, "replicate")).toBe("1 replicate")
    expect(plural(0, "replicate")).toBe("0 replicates")
    expect(plural(3, "replicate")).toBe("3 replicates")
    expect(plural(2, "policy", "policies")).toBe("2 policies")
  })
})

describe("the reproduction command", () => {
  it("quotes a shell word only when needed", () => {
    expect(shellQuote("audits/x.audit.ts")).toBe("audits/x.audit.ts")
    expect(shellQuote("my audit's.ts")).toBe(`'my audit'\\''s.ts'`)
    expect(shellQuote("$(rm -rf ~)")).toBe(`'$(rm -rf ~)'`)
    expect(reproductionCommand({ source: "a b.ts", seed: 7, replicates: 3 })).toBe("evalaudit run 'a b.ts' --seed 7 --replicates 3")
  })
})

describe("excerpt", () => {
  it("makes control and invisible characters visible and cuts long text with an ellipsis", () => {
    expect(excerpt("a\nb\tc\u0000")).toBe("a␊b␉c␀")
    expect(excerpt("x\u202Ey")).toBe("x⟨U+202E⟩y")
    const long = excerpt("é".repeat(400))
    expect(Array.from(long)).toHaveLength(301)
    expect(long.endsWith("é…")).toBe(true)
    expect(excerpt("short")).toBe("short")
  })
})
