/**
 * The one-way pipeline of src/ (README, "Layout"), checked by `npm test`.
 *
 * Folders are layered; a folder may import only from folders listed before it, so no
 * import cycle can form between folders, and none is allowed between files either.
 */
const LAYERS = [
  "domain", // schemas, types and errors: a leaf
  "stats", // pure statistics
  "policy", // decision rules and trigger combination
  "providers", // HTTP chat providers (I/O behind Effect services)
  "store", // the SQLite store (I/O behind an Effect service)
  "evaluations", // dataset formats, prompt rendering, graders, judges
  "organisms", // simulated and prompted organisms
  "measure", // planning cells and measuring one cell
  "search", // adversarial organism search (measures in-process)
  "scoring", // pure: stored rows -> Summary
  "report", // pure: Summary -> memos
  "gate", // consumers of a Summary
  "audit", // the phases of a run: load -> check -> measure -> derive -> summarize
  "serve", // organisms behind OpenAI and Anthropic endpoints, for harnesses
  "harness", // reading harness logs (Inspect, promptfoo) and scoring them as a run
  "diff",
  "init",
  "testing",
  "cli"
]

/** Folders whose code must stay pure: no store, provider, measurement, file system or database. */
const PURE = ["domain", "stats", "policy", "scoring", "report"]

const folder = (name) => `^src/${name}/`
const layerRules = LAYERS.slice(0, -1).map((name, i) => ({
  name: `layer-${name}`,
  comment: `${name}/ may import only from the folders before it: ${LAYERS.slice(0, i).join(", ") || "none"}`,
  severity: "error",
  from: { path: folder(name) },
  to: { path: `^src/(${LAYERS.slice(i + 1).join("|")})/` }
}))

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No import cycle between files.",
      severity: "error",
      from: {},
      to: { circular: true }
    },
    {
      name: "domain-is-a-leaf",
      comment: "domain/ imports no other folder of src/.",
      severity: "error",
      from: { path: "^src/domain/" },
      to: { path: "^src/", pathNot: "^src/domain/" }
    },
    {
      name: "pure-stays-pure",
      comment: `${PURE.join(", ")}: never reach the store, a provider, a measurement, the file system or SQLite, even indirectly.`,
      severity: "error",
      from: { path: `^src/(${PURE.join("|")})/` },
      to: {
        reachable: true,
        path: ["^src/(store|providers|measure|search|audit|cli)/", "^(node:)?(fs|child_process|http|https|net)$", "node_modules/(better-sqlite3|@effect/platform|@effect/platform-node|@effect/sql)/"]
      }
    },
    ...layerRules,
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true }
    }
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"], extensions: [".ts", ".js"] },
    reporterOptions: { text: { highlightFocused: true } }
  }
}
