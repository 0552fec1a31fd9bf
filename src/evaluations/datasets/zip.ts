import { Either } from "effect"
import { decompress as zstdDecompress } from "fzstd"
import { inflateRawSync } from "node:zlib"

/**
 * A minimal zip reader for Inspect's `.eval` logs: reads the central directory and every
 * file entry, stored, deflated or zstd-compressed (method 93, which newer Inspect versions
 * write), and checks each entry's CRC-32. Pure (no I/O): the
 * caller reads the file. Zip64, encryption and multi-disk archives are refused by name,
 * since Inspect's logs never need them and guessing would misread the archive.
 */

const END_OF_CENTRAL_DIRECTORY = 0x06054b50
const ZIP64_END_LOCATOR = 0x07064b50
const CENTRAL_FILE_HEADER = 0x02014b50
const LOCAL_FILE_HEADER = 0x04034b50
const END_RECORD_SIZE = 22
const CENTRAL_HEADER_SIZE = 46
const LOCAL_HEADER_SIZE = 30
const MAX_COMMENT = 0xffff

const STORED = 0
const DEFLATED = 8
/** Zstandard (APPNOTE 4.4.5), written by newer Inspect versions. */
const ZSTD = 93

const CRC_TABLE: ReadonlyArray<number> = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

/** CRC-32 (the zip/PNG polynomial), as an unsigned 32-bit number. */
export const crc32 = (bytes: Uint8Array): number => {
  let c = 0xffffffff
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

const hex = (n: number): string => n.toString(16).padStart(8, "0")

/** Little-endian reads that say so when they would run past the end. */
const reader = (bytes: Uint8Array) => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return {
    fits: (offset: number, length: number): boolean => offset >= 0 && offset + length <= bytes.length,
    u16: (offset: number): number => view.getUint16(offset, true),
    u32: (offset: number): number => view.getUint32(offset, true)
  }
}

/** The end-of-central-directory record sits in the last 22 bytes plus a comment of up to 64 KiB. */
const findEndRecord = (bytes: Uint8Array): number | undefined => {
  const r = reader(bytes)
  const lowest = Math.max(0, bytes.length - END_RECORD_SIZE - MAX_COMMENT)
  for (let at = bytes.length - END_RECORD_SIZE; at >= lowest; at--) {
    if (r.u32(at) === END_OF_CENTRAL_DIRECTORY && at + END_RECORD_SIZE + r.u16(at + 20) === bytes.length) return at
  }
  return undefined
}

const decodeName = (raw: Uint8Array): string => new TextDecoder("utf-8").decode(raw)

const inflate = (data: Uint8Array, size: number): Either.Either<Uint8Array, string> => {
  try {
    // the declared size bounds the output, so a forged small size cannot inflate a bomb
    return Either.right(new Uint8Array(inflateRawSync(data, { maxOutputLength: Math.max(size, 1) })))
  } catch (e) {
    return Either.left(`corrupt deflate data (${e instanceof Error ? e.message : String(e)})`)
  }
}

const unzstd = (data: Uint8Array, size: number): Either.Either<Uint8Array, string> => {
  try {
    // Decoded into a buffer of the declared size, so a forged small size cannot decompress a
    // bomb (more data throws); less data leaves zeros that the CRC check below refuses.
    return Either.right(zstdDecompress(data, new Uint8Array(size)))
  } catch (e) {
    return Either.left(`corrupt zstd data (${e instanceof Error ? e.message : String(e)})`)
  }
}

/** The entries of a zip archive by name (directories left out), or what is wrong with it. */
export const readZip = (bytes: Uint8Array): Either.Either<ReadonlyMap<string, Uint8Array>, string> => {
  const r = reader(bytes)
  if (bytes.length < END_RECORD_SIZE) return Either.left(`not a zip archive: ${bytes.length} bytes, too short (truncated?)`)
  const end = findEndRecord(bytes)
  if (end === undefined) return Either.left("not a zip archive: no end-of-central-directory record (truncated or corrupt)")
  if (end >= 20 && r.u32(end - 20) === ZIP64_END_LOCATOR) return Either.left("zip64 archives are not supported")
  const disk = r.u16(end + 4)
  const directoryDisk = r.u16(end + 6)
  const entriesHere = r.u16(end + 8)
  const entries = r.u16(end + 10)
  const directorySize = r.u32(end + 12)
  const directoryOffset = r.u32(end + 16)
  if (entries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    return Either.left("zip64 archives are not supported")
  }
  if (disk !== 0 || directoryDisk !== 0 || entriesHere !== entries) return Either.left("multi-disk zip archives are not supported")
  if (directoryOffset + directorySize > end) {
    return Either.left(`central directory (offset ${directoryOffset}, ${directorySize} bytes) runs past its end record (truncated or corrupt)`)
  }

  const files = new Map<string, Uint8Array>()
  let at = directoryOffset
  for (let index = 0; index < entries; index++) {
    if (!r.fits(at, CENTRAL_HEADER_SIZE) || r.u32(at) !== CENTRAL_FILE_HEADER) {
      return Either.left(`central directory entry ${index}: bad signature at offset ${at} (corrupt)`)
    }
    const flags = r.u16(at + 8)
    const method = r.u16(at + 10)
    const crc = r.u32(at + 16)
    const compressedSize = r.u32(at + 20)
    const size = r.u32(at + 24)
    const nameLength = r.u16(at + 28)
    const extraLength = r.u16(at + 30)
    const commentLength = r.u16(at + 32)
    const localOffset = r.u32(at + 42)
    if (!r.fits(at + CENTRAL_HEADER_SIZE, nameLength)) return Either.left(`central directory entry ${index}: name runs past the archive (corrupt)`)
    const name = decodeName(bytes.subarray(at + CENTRAL_HEADER_SIZE, at + CENTRAL_HEADER_SIZE + nameLength))
    at += CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) {
      return Either.left(`${name}: zip64 entries are not supported`)
    }
    if (flags & 1) return Either.left(`${name}: encrypted entries are not supported`)
    if (name.endsWith("/")) continue
    if (files.has(name)) return Either.left(`${name}: the archive holds this name twice`)

    if (!r.fits(localOffset, LOCAL_HEADER_SIZE) || r.u32(localOffset) !== LOCAL_FILE_HEADER) {
      return Either.left(`${name}: no local header at offset ${localOffset} (truncated or corrupt)`)
    }
    // sizes come from the central directory: the local copy may be zero when a data descriptor follows
    const dataStart = localOffset + LOCAL_HEADER_SIZE + r.u16(localOffset + 26) + r.u16(localOffset + 28)
    if (!r.fits(dataStart, compressedSize)) return Either.left(`${name}: data runs past the end of the archive (truncated)`)
    const data = bytes.subarray(dataStart, dataStart + compressedSize)

    let content: Uint8Array
    if (method === STORED) {
      if (compressedSize !== size) return Either.left(`${name}: stored entry of ${compressedSize} bytes declares ${size} (corrupt)`)
      content = data.slice()
    } else if (method === DEFLATED || method === ZSTD) {
      const decoded = method === DEFLATED ? inflate(data, size) : unzstd(data, size)
      if (Either.isLeft(decoded)) return Either.left(`${name}: ${decoded.left}`)
      content = decoded.right
    } else {
      return Either.left(`${name}: compression method ${method} is not supported (only stored, deflate and zstd)`)
    }
    if (content.length !== size) return Either.left(`${name}: ${content.length} bytes after decompression, ${size} declared (corrupt)`)
    const actual = crc32(content)
    if (actual !== crc) return Either.left(`${name}: CRC-32 mismatch (stored ${hex(crc)}, computed ${hex(actual)})`)
    files.set(name, content)
  }
  return Either.right(files)
}
