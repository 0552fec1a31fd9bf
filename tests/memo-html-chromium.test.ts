import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { existsSync, mkdirSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { chromium, type Browser, type Page } from "playwright-core"
import { MEMO_CSP, memoHtml, memoSections } from "../src/report/memo-html.js"
import { auditSummary, hostileSummary, PAYLOADS } from "./support/hostile-summary.js"

/**
 * The memo in a real browser: the hostile summary's payloads must stay text (no script runs,
 * no dialog, nothing fetched), and the page must render on screen and in print. The canary
 * check runs with the memo's CSP removed too, so it tests the escaping, not only the CSP.
 */

const CHROMIUM = "/usr/bin/chromium"
const exists = existsSync(CHROMIUM)
/** CI installs Chromium (.ci/run), so there a missing browser is a failure, not a skip. */
const inCi = (process.env["CI"] ?? "") !== "" && process.env["CI"] !== "false"
const WHY = `skipped: no Chromium at ${CHROMIUM} (install Debian's chromium package to run it; with CI set this fails instead)`
const OUT = resolve("tests/output")

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

interface Observed {
  readonly dialogs: Array<string>
  readonly console: Array<string>
  readonly errors: Array<string>
  /** Every request but the document itself: the memo must fetch nothing. */
  readonly requests: Array<string>
}

let browser: Browser | undefined

/** A fresh page with every listener installed before the document loads, then the file loaded. */
const open = async (file: string): Promise<{ page: Page; seen: Observed }> => {
  if (browser === undefined) throw new Error("Chromium was not launched")
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
  const url = pathToFileURL(file).href
  const seen: Observed = { dialogs: [], console: [], errors: [], requests: [] }
  page.on("dialog", (d) => {
    seen.dialogs.push(`${d.type()}: ${d.message()}`)
    void d.dismiss()
  })
  page.on("console", (m) => seen.console.push(`${m.type()}: ${m.text()}`))
  page.on("pageerror", (e) => seen.errors.push(e.message))
  page.on("request", (r) => {
    if (r.url() !== url) seen.requests.push(r.url())
  })
  await page.goto(url, { waitUntil: "load" })
  return { page, seen }
}

/**
 * Runs `expression` in the page and decodes its result. The project compiles without the DOM
 * library, so browser-side code is plain JavaScript text and its result is checked by a schema.
 */
const inPage = async <A, I>(page: Page, schema: Schema.Schema<A, I>, expression: string): Promise<A> =>
  Schema.decodeUnknownSync(schema)(await page.evaluate(expression))

const Strings = Schema.Array(Schema.String)

/** What the DOM holds that the memo never emits: active elements and event-handler attributes. */
const activeContent = (page: Page) =>
  inPage(
    page,
    Schema.Struct({ elements: Strings, handlers: Strings, xss: Schema.String }),
    `({
      elements: [...document.querySelectorAll("script, img, iframe, link, object, embed, form, input, a[href]:not([href^='#'])")].map((e) => e.tagName),
      handlers: [...document.querySelectorAll("*")].flatMap((e) => e.getAttributeNames().filter((n) => n.startsWith("on"))),
      xss: window.__xss === undefined ? "undefined" : String(window.__xss)
    })`
  )

let withCsp = ""
let withoutCsp = ""
let plain = ""
/** Major sections the plain memo shows (optional ones with nothing to show are left out). */
let majorSections = 0

describe("the HTML memo in headless Chromium", () => {
  it.runIf(!exists && inCi)(`has Chromium at ${CHROMIUM}: CI must run the browser tests, not skip them`, () => {
    expect.fail(`CI is set but ${CHROMIUM} is missing: the HTML memo's browser tests cannot run (see .ci/run, which installs it)`)
  })

  beforeAll(async () => {
    if (!exists) return
    mkdirSync(OUT, { recursive: true })
    const summary = await Effect.runPromise(auditSummary())
    const hostile = memoHtml(hostileSummary(summary))
    const meta = `<meta http-equiv="Content-Security-Policy" content="${MEMO_CSP.replace(/'/g, "&#39;")}">\n`
    if (!hostile.includes(meta)) throw new Error("the memo no longer declares its CSP as this test expects")
    withCsp = join(OUT, "memo-xss.html")
    withoutCsp = join(OUT, "memo-xss-no-csp.html")
    plain = join(OUT, "memo.html")
    writeFileSync(withCsp, hostile)
    writeFileSync(withoutCsp, hostile.replace(meta, ""))
    writeFileSync(plain, memoHtml(summary))
    majorSections = memoSections.filter((s) => s.major && s.render(summary).length > 0).length
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  })

  afterAll(async () => {
    await browser?.close()
  })

  it.skipIf(!exists)(exists ? "the canary fires on an unescaped payload (the harness can see an injection)" : `${WHY}: canary`, async () => {
    const control = join(OUT, "canary-control.html")
    writeFileSync(control, `<!DOCTYPE html><html><body><p>control</p>${PAYLOADS[3]}</body></html>`)
    const { page } = await open(control)
    expect((await activeContent(page)).xss).toBe("2")
    await page.close()
  })

  for (const variant of ["with its CSP", "with its CSP removed"] as const) {
    it.skipIf(!exists)(
      exists ? `hostile strings stay visible text, run nothing and fetch nothing (${variant})` : `${WHY}: ${variant}`,
      async () => {
        const { page, seen } = await open(variant === "with its CSP" ? withCsp : withoutCsp)
        expect(await activeContent(page)).toEqual({ elements: [], handlers: [], xss: "undefined" })
        expect(seen).toEqual({ dialogs: [], console: [], errors: [], requests: [] })
        const text = await page.locator("body").innerText()
        const invisible = PAYLOADS.filter((p) => !text.includes(p))
        expect(invisible).toEqual([])
        // The charts are real inline SVG, not text.
        expect(await page.locator("svg.ci").count()).toBeGreaterThan(10)
        if (variant === "with its CSP") {
          const shot = await page.screenshot({ path: join(OUT, "memo-xss.png"), fullPage: true })
          expect(shot.length).toBeGreaterThan(10_000)
        }
        await page.close()
      }
    )
  }

  it.skipIf(!exists)(exists ? "renders for print: page breaks before major sections, no dark backgrounds, a PDF" : `${WHY}: print`, async () => {
    const { page, seen } = await open(plain)
    await page.emulateMedia({ media: "print" })
    const style = await inPage(
      page,
      Schema.Struct({ major: Strings, majorCount: Schema.Number, rows: Schema.String, nav: Schema.String, background: Schema.String, color: Schema.String }),
      `(() => {
        const major = [...document.querySelectorAll("section.major")].map((s) => getComputedStyle(s).breakBefore)
        const nav = document.querySelector("nav.contents")
        const body = getComputedStyle(document.body)
        return {
          major: [...new Set(major)],
          majorCount: major.length,
          rows: getComputedStyle(document.querySelector("tbody tr") ?? document.body).breakInside,
          nav: nav === null ? "missing" : getComputedStyle(nav).display,
          background: body.backgroundColor,
          color: body.color
        }
      })()`
    )
    expect(style).toEqual({
      major: ["page"],
      majorCount: majorSections,
      rows: "avoid",
      nav: "none",
      background: "rgb(255, 255, 255)",
      color: "rgb(26, 26, 26)"
    })
    await page.setViewportSize({ width: 794, height: 1123 }) // A4 at 96 dpi
    await page.screenshot({ path: join(OUT, "memo-print.png"), fullPage: true })
    const pdf = await page.pdf({ path: join(OUT, "memo.pdf"), format: "A4", printBackground: true })
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-")
    // Title page, findings, then a page per major section at least.
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length
    expect(pages).toBeGreaterThanOrEqual(6)
    expect(seen).toEqual({ dialogs: [], console: [], errors: [], requests: [] })
    await page.close()
  })
})
