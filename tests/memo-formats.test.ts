import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { escapeHtml } from "../src/report/html/escape.js"
import { reproductionCommand } from "../src/report/format.js"
import { memoHtml } from "../src/report/memo-html.js"
import { memoMarkdown } from "../src/report/memo-markdown.js"
import { escapeMarkdown } from "../src/report/render-markdown.js"
import { auditSummary, hostileSummary, PAYLOADS } from "./support/hostile-summary.js"
import { edgeSummary, HOSTILE_RESPONSE } from "./support/memo-summary.js"

/**
 * The two memos are rendered from one set of sections, so they must state the same figures and
 * labels. One summary with the edge cases that made the old twins diverge, rendered both ways.
 */

const summary = edgeSummary()
const md = memoMarkdown(summary)
const doc = memoHtml(summary)

/** The text a reader sees in the HTML memo: no style, no charts, no tags, entities decoded. */
const htmlText = (source: string): string =>
  source
    .replace(/<style>[\s\S]*?<\/style>/g, "")
    .replace(/<svg[\s\S]*?<\/svg>/g, "")
    .replace(/<nav[\s\S]*?<\/nav>/g, "")
    .replace(/<[^>]*>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")

/** The text a reader sees in the Markdown memo: escapes removed, image links (the chart files) dropped. */
const markdownText = (source: string): string => source.replace(/!\[[^\]]*\]\([^)]*\)/g, "").replace(/\\([\\`*_<>#|&~[\]+=.)-])/g, "$1")

/** Every two-decimal figure, signs included, in order of appearance. */
const figures = (text: string): Array<string> => text.match(/[+-]?\d+\.\d\d(?!\d)/g) ?? []

/**
 * Phrases whose 95% is not the summary's confidence: manipulation checks (fixed Wilson 95%),
 * power targets, and a rule-in decision rule's own confidence.
 */
const FIXED_95 = [/Wilson 95% intervals do not overlap/g, /Wilson 95% for manipulation checks/g, /with 95% probability/g, /with at least 95% probability/g, /95% lower bound/g]
const without95 = (text: string): string => FIXED_95.reduce((t, re) => t.replace(re, ""), text)

describe("one summary, two memos", () => {
  it("label every interval at the summary's confidence (90%), in both", () => {
    for (const memo of [md, doc]) {
      expect(memo).toContain("90% CI")
      expect(memo).toContain("Wilson 90%")
      expect(memo).not.toContain("95% CI")
      expect(without95(memo)).not.toContain("95%")
    }
  })

  it("print a bias that rounds to zero as 0.00, without a sign", () => {
    const mdRow = md.split("\n").find((l) => l.startsWith(`| ${summary.evaluations[0]?.id} | ${summary.evaluations[0]?.organisms[0]?.organism} | 0.50 |`))
    expect(mdRow).toContain("| 0.00 |")
    expect(doc).toContain(`<td class="num">0.00</td>`)
    for (const memo of [md, doc]) {
      expect(memo).not.toMatch(/[+-]0\.00(?!\d)/)
    }
  })

  it("print a missing measurement as the dash, never NaN", () => {
    for (const memo of [md, doc]) {
      expect(memo).not.toContain("NaN")
      expect(memo).toContain("– (–)")
    }
  })

  it("give the shell-quoted reproduction command in both", () => {
    const command = reproductionCommand(summary)
    expect(command).toBe(`evalaudit run 'audits/my audit'\\''s.ts' --seed ${summary.seed} --replicates ${summary.replicates}`)
    expect(md).toContain(`\`\`\`sh\n${command}\n\`\`\``)
    expect(doc).toContain(`<pre><code>${escapeHtml(command)}</code></pre>`)
  })

  it("state the same figures in the same order", () => {
    const fromHtml = figures(htmlText(doc))
    expect(fromHtml.length).toBeGreaterThan(100)
    expect(figures(markdownText(md))).toEqual(fromHtml)
  })

  it("state the same section headings", () => {
    const mdHeadings = md.split("\n").filter((l) => l.startsWith("## ")).map((l) => l.slice(3))
    const htmlHeadings = [...doc.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => htmlText(m[1] ?? ""))
    expect(mdHeadings).toEqual(htmlHeadings)
  })
})

describe("a finding's evidence", () => {
  const location = `(evaluation ${summary.evaluations[0]?.id}, organism ${summary.evaluations[0]?.organisms[0]?.organism}, replicate 2, sample s7, epoch 0, score 1.00)`

  it("is quoted under the finding in both memos, escaped, with where it was stored", () => {
    expect(doc).toContain(`<blockquote class="evidence"><p class="excerpt">${escapeHtml(HOSTILE_RESPONSE)}</p><p class="note">${escapeHtml(location)}</p></blockquote>`)
    expect(doc).not.toMatch(/<script/i)
    expect(md).toContain(`   > ${escapeMarkdown(HOSTILE_RESPONSE)}\n   >\n   > ${escapeMarkdown(location)}`)
    expect(escapeMarkdown(HOSTILE_RESPONSE)).toBe("\\<script\\>alert(1)\\</script\\>\\|\\# x")
    expect(md).not.toMatch(/(?<!\\)<script/)
  })

  it("is cut to 300 characters with its control characters made visible", () => {
    const long = `${"a\n".repeat(200)}end`
    const first = summary.findings[0]
    if (first?.evidence === undefined) throw new Error("fixture changed")
    const withLong = { ...summary, findings: [{ ...first, evidence: { ...first.evidence, response: long } }] }
    const quoted = `${"a␊".repeat(150)}…`
    expect(memoMarkdown(withLong)).toContain(`   > ${quoted}\n`)
    expect(memoHtml(withLong)).toContain(`<p class="excerpt">${quoted}</p>`)
  })
})

describe("the Markdown memo on a hostile summary", () => {
  it("lets no markup, link or table break through", async () => {
    const hostile = hostileSummary(await Effect.runPromise(auditSummary()))
    const memo = memoMarkdown(hostile)
    // Fenced blocks and code spans are literal in Markdown: markup inside them is shown, not run.
    // Image links to the chart files are ours (their targets percent-encoded), so they go too.
    const prose = memo
      .replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, "")
      .replace(/(`+)[\s\S]*?\1/g, "")
      .replace(/!\[(?:\\.|[^\]\\])*\]\([A-Za-z0-9._%-]*\)/g, "")
    expect(prose).not.toMatch(/(?<!\\)<(script|img|iframe|svg|a|link|style|b)\b/i)
    expect(prose).not.toMatch(/(?<!\\)\]\(/)
    for (const p of PAYLOADS) expect(memo).toContain(escapeMarkdown(p))
    // Every table row has as many unescaped pipes as its header: no cell broke out.
    const pipes = (line: string) => (line.match(/(?<!\\)\|/g) ?? []).length
    let header = -1
    for (const line of memo.split("\n")) {
      if (!line.startsWith("| ")) {
        header = -1
        continue
      }
      if (header < 0) header = pipes(line)
      else expect(pipes(line)).toBe(header)
    }
    // No line a hostile string begins turns into a heading.
    expect(memo.split("\n").filter((l) => /^#{1,6} /.test(l)).every((l) => /^(# Audit memo|## |### )/.test(l))).toBe(true)
  }, 60_000)
})
