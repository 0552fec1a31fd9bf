import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { decodeDocument, LineSplitter } from "../src/evaluations/datasets/utf8.js"

const chunks = (bytes: Uint8Array, size: number): Array<Uint8Array> =>
  Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size))

const split = (text: string | Uint8Array, size: number) => {
  const splitter = new LineSplitter()
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text
  const lines = chunks(bytes, size).flatMap((c) => splitter.push(c))
  const last = splitter.end()
  return { lines: [...lines, ...(last === undefined ? [] : [last])].map((l) => new TextDecoder().decode(l)), work: splitter.work, size: bytes.length }
}

describe("LineSplitter (issue 16: one long dataset line took quadratic time)", () => {
  it("splits on \\n wherever the chunks end, keeping \\r and multi-byte characters whole", () => {
    const text = "één\r\ntwo\n\nthree 🙂 four"
    for (const size of [1, 2, 3, 5, 64]) expect(split(text, size).lines).toEqual(["één\r", "two", "", "three 🙂 four"])
  })

  it("reads one 8 MB line in 64 KiB chunks with linear work: every byte searched once and copied once", () => {
    const line = new Uint8Array(8 << 20).fill(0x61)
    const { lines, work, size } = split(line, 1 << 16)
    expect(lines).toHaveLength(1)
    expect(work.scanned).toBe(size)
    expect(work.copied).toBe(size)
  })

  it("a document's first invalid UTF-8 is reported by line", () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("a\nb\nc"), 0xff, 0x0a])
    expect(decodeDocument(bytes)).toEqual(Either.left(3))
    expect(decodeDocument(new TextEncoder().encode("\uFEFFok"))).toEqual(Either.right("ok"))
  })
})
