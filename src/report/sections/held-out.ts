import type { Summary } from "../../domain/summary.js"
import { bullets, code, paragraph, strong, type Inlines } from "../document.js"
import { overfittingSentence } from "../../scoring/overfitting.js"
import type { MemoSection } from "./section.js"

/** Held-out organisms (by hash while sealed) and whether any subject does better on the organisms its authors could see. */
export const heldOutSection: MemoSection = {
  id: "held-out",
  title: "Held-out organisms and overfitting",
  major: false,
  render: (s: Summary) => {
    const heldOut = s.heldOut
    if (heldOut === null) return []
    return [
      paragraph(
        `${heldOut.organisms.length} held-out organisms${heldOut.sealedAt === null ? "" : ` sealed ${heldOut.sealedAt}`}, `,
        ...(heldOut.sealed
          ? ["shown here by salted hash only (their parameters stay sealed until ", code("evalaudit report <run> --unseal"), ")"]
          : ["unsealed in this report"]),
        `: ${heldOut.organisms.map((o) => `${o.id} (${o.hash.slice(0, 23)}…)`).join(", ")}.`
      ),
      ...(s.overfitting.length === 0 ? [] : [bullets(s.overfitting.map((o): Inlines => [...(o.overfitting ? [strong("overfitting"), " "] : []), overfittingSentence(o)]))])
    ]
  }
}
