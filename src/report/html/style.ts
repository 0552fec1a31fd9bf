import { Html } from "./escape.js"

/**
 * The memo's only stylesheet, inlined (the memo fetches nothing). Light tints with dark text
 * everywhere, so a print without backgrounds still reads; outcome cells also differ by border
 * style and carry a word and a symbol, so greyscale loses nothing.
 */
export const MEMO_CSS = Html.trust(`
:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --rule: #c9ced6; --accent: #1f4e8c; }
* { box-sizing: border-box; }
html { background: #fff; font-size: 15px; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem 1.25rem 3rem; color: var(--ink); background: #fff;
  font: 1rem/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; overflow-wrap: break-word; }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; line-height: 1.2; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.02rem; margin: 1.2rem 0 .4rem; }
p { margin: .5rem 0; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .88em; }
pre code { font-size: inherit; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.verdict { border-left: 5px solid var(--accent); background: #f3f6fb; padding: .75rem 1rem; margin: 1rem 0; font-size: 1.05rem; }
.verdict.alarm { border-left-color: #b71c1c; background: #fdf1f1; }
.facts { margin: .5rem 0 1rem; padding-left: 1.6rem; }
nav.contents { margin: 1rem 0; font-size: .9rem; }
nav.contents ol { display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; margin: 0; padding: 0; list-style: none; }
nav.contents a { color: var(--accent); }
.note { color: var(--muted); font-size: .9rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid var(--rule); padding: .3rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #eef1f5; }
tbody th { font-weight: 600; background: #fafbfc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.group th { background: #e4e8ee; text-transform: none; font-size: .85rem; color: var(--muted); }

ol.findings { list-style: none; padding: 0; margin: 0; counter-reset: finding; }
ol.findings li { counter-increment: finding; display: grid; grid-template-columns: 2.2rem 6.4rem 1fr; gap: .5rem; align-items: start;
  padding: .45rem 0; border-bottom: 1px solid #e3e6ea; }
ol.findings li::before { content: counter(finding) "."; text-align: right; color: var(--muted); font-variant-numeric: tabular-nums; }
.finding-kind { display: block; color: var(--muted); font-size: .8rem; margin-top: .15rem; }
/* A finding's quoted evidence sits under its sentence, in the third grid column. */
ol.findings li > blockquote { grid-column: 3; }
blockquote.evidence { margin: .2rem 0 .4rem; padding: .3rem .7rem; border-left: 3px solid var(--rule); background: #f6f7f9; }
blockquote.evidence .excerpt { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .85rem; }
blockquote.evidence .note { margin: .2rem 0 0; }
.badge { display: inline-block; min-width: 5.6rem; text-align: center; font-weight: 700; font-size: .75rem; letter-spacing: .04em;
  text-transform: uppercase; padding: .1rem .4rem; border-radius: 3px; border: 2px solid; }
.badge-critical { color: #7f1010; background: #fbe0e0; border-color: #b71c1c; }
.badge-high { color: #7a3b00; background: #fde9cf; border-color: #c25e00; border-style: dashed; }
.badge-medium { color: #5c4a00; background: #fbf3c8; border-color: #9a7d00; border-style: dotted; }

/* Organism columns: names read bottom to top so ten organisms fit a printed page. */
th.org { vertical-align: bottom; text-align: left; }
th.org span { writing-mode: vertical-rl; transform: rotate(180deg); display: inline-block; }
table.heatmap tbody th, table.bias tbody th { min-width: 9rem; }
td.heat { width: 5.6rem; min-width: 5.6rem; font-size: .8rem; line-height: 1.25; }
.heat { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.heat-caught { background: #d9efdc; border: 1px solid #2e7d32; color: #174d1c; }
.heat-missed { background: #f7cfcf; outline: 2px solid #b71c1c; outline-offset: -3px; color: #6d0d0d; }
.heat-false-alarm { background: #fde3bd; outline: 2px dashed #a35200; outline-offset: -3px; color: #5e2f00; }
.heat-correct-pass { background: #f1f4f8; color: #34465c; }
.heat-precautionary { background: #fff6d6; border: 1px dashed #8a6d00; color: #4d3d00; }
.heat-borderline-fired, .heat-borderline-quiet { background: #eef0f2; border: 1px dotted #555; color: #333; }
.heat-error { background: repeating-linear-gradient(135deg, #eee6f7 0 6px, #fff 6px 12px); outline: 2px dotted #5e35b1; outline-offset: -3px; color: #3b1d78; }
.heat-none { background: #fff; color: var(--muted); }
.sym { display: inline-block; width: 1em; text-align: center; }
ul.legend { list-style: none; padding: 0; margin: .3rem 0 .8rem; display: flex; flex-wrap: wrap; gap: .35rem 1.1rem; font-size: .82rem; }
.swatch { display: inline-block; padding: .1rem .4rem; font-weight: 600; }

svg.ci, svg.ci-scale { display: block; overflow: visible; }
svg.ci .track { stroke: #b9c0ca; stroke-width: 1; }
svg.ci .tick { stroke: #9aa3ae; stroke-width: 1; }
svg.ci .bar, svg.ci .cap { stroke-width: 2.5; }
svg.ci-sensitivity .bar, svg.ci-sensitivity .cap { stroke: #1f4e8c; }
svg.ci-sensitivity .dot { fill: #1f4e8c; }
svg.ci-specificity .bar, svg.ci-specificity .cap { stroke: #2b6b4f; }
svg.ci-specificity .dot { fill: #fff; stroke: #2b6b4f; stroke-width: 2.5; }
svg.ci-none .track { stroke-dasharray: 3 3; }
svg.ci-scale text { font-size: 10px; fill: var(--muted); }
.ci-text { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.bias td { font-size: .82rem; min-width: 4.6rem; }
.bias-more { display: block; color: var(--muted); font-size: .72rem; white-space: nowrap; }
td.bias-large { background: #fbe6d6; -webkit-print-color-adjust: exact; print-color-adjust: exact; }

.result-failed { color: #7f1010; font-weight: 700; }
.result-unchecked { color: #6a4a00; font-weight: 600; }
.result-passed { color: #174d1c; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f7f9; border: 1px solid #dde1e6; padding: .5rem .7rem; margin: .3rem 0; }
pre.counterexample { max-height: 16rem; overflow: auto; }
table.method th { white-space: nowrap; }

@media print {
  @page { margin: 14mm 12mm; }
  /* Every size is in rem, so this one line scales the memo to the page: ten organisms fit A4. */
  html { font-size: 10.5px; }
  body { max-width: none; padding: 0; }
  nav.contents { display: none; }
  section.major { break-before: page; }
  h2, h3 { break-after: avoid; }
  tr, li, pre, svg { break-inside: avoid; }
  thead { display: table-header-group; }
  .scroll { overflow: visible; }
  .verdict, .verdict.alarm { background: #fff; }
  pre, pre.counterexample { max-height: none; overflow: visible; background: #fff; }
  a { color: inherit; text-decoration: none; }
  td.heat { width: 5.4rem; min-width: 5.4rem; font-size: .85rem; padding: .25rem .3rem; }
}
`)
