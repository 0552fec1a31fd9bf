import { Args, Command } from "@effect/cli"
import { FileSystem, Path } from "@effect/platform"
import { Console, Effect } from "effect"
import { AuditFileSchema } from "../domain/audit.js"
import { packageReferences } from "../init/package-references.js"
import { scaffold } from "../init/scaffold.js"
import { RUN_EVALAUDIT } from "../init/starter-parts.js"
import { choice, defaulting } from "./option-kinds.js"
import { packageRoot } from "./package-root.js"
import { UsageError } from "./usage-error.js"

const dir = Args.directory({ name: "dir", exists: "either" }).pipe(
  Args.withDefault("."),
  Args.withDescription("folder to write the starter audit into (created if missing; default: the current folder)")
)
const format = choice("format", ["yaml", "ts"]).pipe(
  defaulting("yaml", "yaml: a declarative audit with an editor schema; ts: a module exporting defineAudit({...}), with the package.json it needs")
)

const PACKAGE_ROOT = packageRoot()

export const initCommand = Command.make(
  "init",
  { dir, format },
  Effect.fn("init")(function* (args) {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const target = path.resolve(args.dir)
    const files = scaffold({
      format: args.format,
      references: packageReferences(target, PACKAGE_ROOT),
      // Written only where the audit schema accepts it: an unknown field would make the starter fail to load.
      gate: "gate" in AuditFileSchema.fields
    })
    const existing = yield* Effect.filter(files, (f) => fs.exists(path.join(target, f.path)))
    if (existing.length > 0) {
      return yield* new UsageError({ message: `init never overwrites: ${existing.map((f) => path.join(args.dir, f.path)).join(", ")} already exist${existing.length === 1 ? "s" : ""}` })
    }
    for (const f of files) {
      const file = path.join(target, f.path)
      yield* fs.makeDirectory(path.dirname(file), { recursive: true })
      yield* fs.writeFileString(file, f.content, { flag: "wx" })
      yield* Console.log(`wrote ${path.join(args.dir, f.path)}`)
    }
    const audit = path.join(args.dir, files[0]?.path ?? "")
    yield* Console.log(`\nnext: ${RUN_EVALAUDIT} run ${audit}\n      then open the memo.html it writes; \`evalaudit check ${audit}\` gates a run in CI`)
  })
).pipe(Command.withDescription("scaffold a runnable starter audit (audit file, a small dataset, a policy, catalog organisms); never overwrites (exit 2)"))
