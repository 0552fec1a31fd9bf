/**
 * A cell worker (a worker thread of `cell-pool.ts`): decodes the audit once, then measures
 * the simulated cells it is sent, each a pure function of the audit, the seed and the
 * cell's key, and posts them back. It never touches the store: the main thread writes.
 */
import { Schema } from "effect"
import { parentPort, workerData } from "node:worker_threads"
import { ResolvedAudit } from "../domain/audit.js"
import { measureInProcess, prepareEvaluation } from "../measure/measure-cell.js"
import { simulatedRespondent } from "../measure/respondent.js"
import { simulate } from "../organisms/organism.js"
import { CellRequest, toReply, WorkerInit } from "./cell-messages.js"
import { simulatedOrganismSpecs } from "./simulated-organisms.js"

const port = parentPort
if (port === null) throw new Error("cell-worker.ts runs as a worker thread of cell-pool.ts")

const init = Schema.decodeUnknownSync(WorkerInit)(workerData)
const audit = Schema.decodeUnknownSync(Schema.parseJson(ResolvedAudit))(init.auditJson)
const evaluations = audit.evaluations.map(prepareEvaluation)
const specs = simulatedOrganismSpecs(audit)
const organisms = new Map([...specs.checked, ...specs.unchecked].map((spec) => [spec.id, simulatedRespondent(simulate(spec))]))
const decodeRequest = Schema.decodeUnknownSync(CellRequest)

port.on("message", (message: unknown) => {
  const request = decodeRequest(message)
  const measured = request.cells.map((cell) => {
    const evaluation = evaluations[cell.evaluation]
    const organism = organisms.get(cell.organism)
    if (evaluation === undefined || organism === undefined) throw new Error(`cell worker: no evaluation ${cell.evaluation} or organism ${cell.organism}`)
    return measureInProcess(evaluation, organism, init.seed, cell.replicate)
  })
  port.postMessage(toReply(request.id, measured))
})
