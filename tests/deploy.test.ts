/**
 * The recipes under deploy/ for running an audit on many machines: the manifests parse and
 * agree with themselves (shard counts, `--shard auto`, artifact names), and the Slurm
 * scripts run for real here, with the variables Slurm would set and a stand-in `sbatch`.
 */
import { spawnSync } from "node:child_process"
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { parseAllDocuments } from "yaml"

const root = join(import.meta.dirname, "..")
const deploy = (...path: ReadonlyArray<string>) => join(root, "deploy", ...path)

const documents = (file: string): Array<unknown> => {
  const docs = parseAllDocuments(readFileSync(file, "utf8"))
  for (const doc of docs) expect(doc.errors, file).toEqual([])
  return docs.map((d) => d.toJS())
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)
/** The value at `path` in parsed YAML, or undefined. */
const at = (value: unknown, ...path: ReadonlyArray<string | number>): unknown =>
  path.reduce<unknown>((v, key) => (Array.isArray(v) && typeof key === "number" ? v[key] : isRecord(v) && typeof key === "string" ? v[key] : undefined), value)

const bash = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>, cwd: string) =>
  spawnSync("bash", args, { cwd, encoding: "utf8", env: { ...process.env, ...env } })

describe("deploy/kubernetes", () => {
  it("an Indexed Job whose EVALAUDIT_SHARD_COUNT equals its completions, each pod its own store on the shared claim; a merge Job over that claim", () => {
    const docs = documents(deploy("kubernetes", "evalaudit-shards.yaml"))
    const claim = docs.find((d) => at(d, "kind") === "PersistentVolumeClaim")
    const job = docs.find((d) => at(d, "kind") === "Job")
    expect(at(claim, "spec", "accessModes")).toEqual(["ReadWriteMany"])
    expect(at(job, "spec", "completionMode")).toBe("Indexed")
    const container = at(job, "spec", "template", "spec", "containers", 0)
    const env = at(container, "env")
    const count = Array.isArray(env) ? env.find((e) => at(e, "name") === "EVALAUDIT_SHARD_COUNT") : undefined
    expect(Number(at(count, "value"))).toBe(at(job, "spec", "completions"))
    const args = String(at(container, "args", 0))
    expect(args).toContain("--shard auto")
    expect(args).toContain('--db "/data/shards/shard-${JOB_COMPLETION_INDEX}.db"')
    const claimName = at(claim, "metadata", "name")
    expect(at(job, "spec", "template", "spec", "volumes", 0, "persistentVolumeClaim", "claimName")).toBe(claimName)

    const [merge] = documents(deploy("kubernetes", "evalaudit-merge.yaml"))
    expect(at(merge, "kind")).toBe("Job")
    expect(String(at(merge, "spec", "template", "spec", "containers", 0, "args", 0))).toContain("evalaudit merge /data/shards/shard-*.db")
    expect(at(merge, "spec", "template", "spec", "volumes", 0, "persistentVolumeClaim", "claimName")).toBe(claimName)
  })
})

describe("deploy/github-actions", () => {
  it("a matrix of as many shards as EVALAUDIT_SHARD_COUNT says, each uploading its store; the merge job downloads them all", () => {
    const [workflow] = documents(deploy("github-actions", "evalaudit-sharded.yml"))
    const shards = at(workflow, "jobs", "shard", "strategy", "matrix", "shard")
    expect(shards).toEqual([1, 2, 3, 4])
    expect(at(workflow, "env", "SHARDS")).toBe(4)
    const steps = at(workflow, "jobs", "shard", "steps")
    const run = Array.isArray(steps) ? steps.find((s) => String(at(s, "run")).includes("--shard auto")) : undefined
    expect(at(run, "env", "EVALAUDIT_SHARD_INDEX")).toBe("${{ matrix.shard }}")
    expect(at(run, "env", "EVALAUDIT_SHARD_COUNT")).toBe("${{ env.SHARDS }}")
    const upload = Array.isArray(steps) ? steps.find((s) => String(at(s, "uses")).startsWith("actions/upload-artifact")) : undefined
    expect(at(upload, "with", "name")).toBe("evalaudit-shard-${{ matrix.shard }}")
    expect(at(workflow, "jobs", "merge", "needs")).toBe("shard")
    const mergeSteps = at(workflow, "jobs", "merge", "steps")
    const download = Array.isArray(mergeSteps) ? mergeSteps.find((s) => String(at(s, "uses")).startsWith("actions/download-artifact")) : undefined
    expect(at(download, "with", "pattern")).toBe("evalaudit-shard-*")
    expect(Array.isArray(mergeSteps) && mergeSteps.some((s) => String(at(s, "run")).includes("evalaudit.js merge shards/shard-*.db"))).toBe(true)
  })
})

describe("deploy/slurm", () => {
  const scripts = ["shard.sbatch", "merge.sbatch", "submit.sh"]

  it.each(scripts)("%s passes bash -n", (script) => {
    const r = bash(["-n", deploy("slurm", script)], {}, root)
    expect(r.status, r.stderr).toBe(0)
  })

  it("the array's tasks and then the merge, run as Slurm would run them, give a complete merged run", () => {
    const dir = mkdtempSync(join(tmpdir(), "evalaudit-slurm-"))
    const audit = join(dir, "audit.json")
    writeFileSync(
      audit,
      JSON.stringify({
        name: "slurm-recipe",
        seed: 3,
        replicates: 2,
        evaluations: [
          {
            id: "bio",
            measures: { kind: "capability", domain: "bio" },
            dataset: { samples: Array.from({ length: 30 }, (_, i) => ({ id: `q${i}`, input: `Question ${i}?`, choices: ["a", "b"], target: i % 2 === 0 ? "A" : "B" })) },
            grader: { type: "choice" },
            decision: { rule: "point", threshold: 0.6 }
          }
        ],
        organisms: [{ archetype: "capable-aligned" }, { archetype: "sandbagger" }, { archetype: "incapable-aligned" }]
      })
    )
    const env = { AUDIT: audit, STORES: join(dir, "shards"), MERGED: join(dir, "merged.db"), OUT: join(dir, "out"), EVALAUDIT: `${process.execPath} ${join(root, "bin", "evalaudit.js")}` }
    // --array=1-3: Slurm numbers the tasks 1..3 and says so in these variables.
    for (const task of [1, 2, 3]) {
      const r = bash([deploy("slurm", "shard.sbatch")], { ...env, SLURM_ARRAY_TASK_ID: String(task), SLURM_ARRAY_TASK_COUNT: "3", SLURM_ARRAY_TASK_MIN: "1" }, root)
      expect(r.status, r.stderr).toBe(0)
      expect(r.stdout).toContain(`shard ${task}/3 of run`)
    }
    const merged = bash([deploy("slurm", "merge.sbatch")], env, root)
    expect(merged.status, merged.stderr).toBe(0)
    expect(merged.stdout).toContain("merged 1/3, 2/3, 3/3 into run")
    expect(JSON.parse(readFileSync(join(dir, "out", "summary.json"), "utf8")).complete).toBe(true)
  })

  it("submit.sh submits the array, then the merge depending on all of its tasks", () => {
    const dir = mkdtempSync(join(tmpdir(), "evalaudit-sbatch-"))
    // A stand-in sbatch: records its arguments, answers with a job id as --parsable does.
    const log = join(dir, "sbatch.log")
    writeFileSync(join(dir, "sbatch"), `#!/usr/bin/env bash\necho "$*" >> "${log}"\necho "$((4000 + $(wc -l < "${log}")));cluster"\n`)
    chmodSync(join(dir, "sbatch"), 0o755)
    const r = bash([deploy("slurm", "submit.sh")], { PATH: `${dir}:${process.env.PATH ?? ""}`, SHARDS: "16" }, root)
    expect(r.status, r.stderr).toBe(0)
    const calls = readFileSync(log, "utf8").trim().split("\n")
    expect(calls[0]).toMatch(/--array=1-16 .*shard\.sbatch$/)
    expect(calls[1]).toMatch(/--dependency=afterok:4001 .*merge\.sbatch$/)
    expect(r.stdout).toContain("shards: job 4001 (tasks 1-16); merge: job 4002")
  })
})
