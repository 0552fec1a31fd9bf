/**
 * A request as both protocols carry it: the system text and the turns, as plain text (image
 * and tool blocks have no text a dataset item could be recognised in).
 */
export interface Turn {
  readonly role: "user" | "assistant"
  readonly content: string
}

export interface Conversation {
  readonly system: string
  readonly turns: ReadonlyArray<Turn>
}

/** All of a conversation as one text, system first: what a simulated organism scans for cues (as `run` gives it). */
export const conversationText = ({ system, turns }: Conversation): string =>
  [...(system === "" ? [] : [system]), ...turns.map((t) => t.content)].join("\n\n")

/** The index of the last user turn, or -1. */
export const lastUserTurn = (turns: ReadonlyArray<Turn>): number => {
  for (let i = turns.length - 1; i >= 0; i--) if (turns[i]?.role === "user") return i
  return -1
}
