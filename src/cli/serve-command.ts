import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { loadAudit } from "../audit/load-audit.js"
import { AnswerFormat } from "../domain/serve.js"
import { checkProviderKeys } from "../measure/providers.js"
import { storeWithProviders } from "./execute-audit.js"
import { isLoopback, startServer } from "../serve/server.js"
import * as Shared from "./shared-options.js"
import { forTerminal } from "./terminal.js"
import { UsageError } from "./usage-error.js"

const audit = Args.file({ name: "audit", exists: "either" }).pipe(Args.withDescription("audit file (.ts, .js, .yaml, .yml, .json)"))
const host = Options.text("host").pipe(
  Options.optional,
  Options.withDescription("address to listen on (default 127.0.0.1; any other address must be given here, and serves every machine that can reach it)")
)
const port = Options.integer("port").pipe(Options.withDefault(8787), Options.withDescription("port to listen on; 0 picks a free one"))
const seed = Options.integer("seed").pipe(
  Options.optional,
  Options.withDescription("the seed answers are drawn under (default: the audit's), as `run --seed N` draws them")
)
const answerFormat = Options.choice("answer-format", AnswerFormat.literals).pipe(
  Options.optional,
  Options.withDescription("how answers are worded for every evaluation the audit's serve.answerFormats does not name (default: the audit's serve.answerFormat, else evalaudit)")
)

/**
 * Serves the audit's organisms as models over the OpenAI and Anthropic APIs until stopped
 * (SIGINT or SIGTERM). Prints the base URL alone on stdout, for scripts; everything else on stderr.
 */
export const serveCommand = Command.make(
  "serve",
  { audit, host, port, seed, answerFormat, db: Shared.db },
  Effect.fn("serve")(function* (args) {
    if (args.port < 0 || args.port > 65535) return yield* new UsageError({ message: `--port must be between 0 and 65535, got ${args.port}` })
    const spec = yield* loadAudit(args.audit, { seed: Option.getOrUndefined(args.seed) })
    // Prompted and external organisms are proxied through the audit's providers (behind the store's response cache): their keys must be set.
    yield* checkProviderKeys(spec.providers, "use")
    const listenOn = Option.getOrElse(args.host, () => "127.0.0.1")
    if (!isLoopback(listenOn)) yield* Console.error(`evalaudit serve: listening on ${forTerminal(listenOn)}, not loopback: any machine that reaches it can query the organisms`)
    yield* Effect.scoped(
      Effect.gen(function* () {
        const server = yield* startServer(spec, { host: listenOn, port: args.port, seed: Option.getOrUndefined(args.seed), answerFormat: Option.getOrUndefined(args.answerFormat) })
        const { index, organisms, proxied } = server.served
        const items = index.evaluations.reduce((n, e) => n + e.dataset.samples.length, 0)
        yield* Effect.addFinalizer(() => {
          const { served, unrecognised } = server.recorder.counts()
          return Console.error(`evalaudit serve: stopped; ${served} requests answered (${unrecognised} unrecognised), recorded in ${forTerminal(args.db)} as session ${server.sessionId}`)
        })
        yield* Console.error(
          `evalaudit serve: ${forTerminal(spec.name)}: ${organisms.size} organisms${proxied.size > 0 ? ` and ${proxied.size} proxied to their providers` : ""}, ${items} items in ${index.evaluations.length} evaluations` +
            `${index.tooShort > 0 ? ` (${index.tooShort} too short to recognise)` : ""}; listening on ${server.url} (session ${server.sessionId})`
        )
        yield* Console.log(server.url)
        // Runs until interrupted (SIGINT, SIGTERM), or until the store refuses a batch of records.
        return yield* server.recorder.failure
      })
    ).pipe(Effect.provide(storeWithProviders(spec, args.db, "use")))
  })
).pipe(Command.withDescription("serve the audit's organisms as models over the OpenAI and Anthropic APIs, recording every answer in the store"))
