/**
 * The words of a spill file, where segmented articles wait between the passes: numbers, integer
 * arrays (a length, then the values) and strings (a length, then their UTF-16 code units, padded to
 * a word), each a length of -1 when absent. Not v8.serialize: a serializer keeps every object it wrote
 * alive until the serializer itself is collected, so each article outlived a scavenge and was copied.
 */
import { grown } from "./grown.js"

const ABSENT = -1

/** Words of 4 bytes; the code units of a string are copied straight in. */
export class SpillWriter {
  private words = new Int32Array(1 << 16)
  private bytes = Buffer.from(this.words.buffer)
  private length = 0

  private room(n: number) {
    if (this.length + n <= this.words.length) return
    this.words = grown(this.words, this.length + n)
    this.bytes = Buffer.from(this.words.buffer)
  }

  int(n: number) {
    this.room(1)
    this.words[this.length++] = n
  }

  ints(values: Int32Array | undefined) {
    if (values === undefined) return this.int(ABSENT)
    this.room(1 + values.length)
    this.words[this.length++] = values.length
    this.words.set(values, this.length)
    this.length += values.length
  }

  string(text: string | null) {
    if (text === null) return this.int(ABSENT)
    this.room(1 + ((text.length + 1) >> 1))
    this.words[this.length++] = text.length
    this.bytes.write(text, this.length * 4, "utf16le")
    this.length += (text.length + 1) >> 1
  }

  /** The words written since the last `clear`, valid until the next write. */
  written(): Uint8Array {
    return new Uint8Array(this.words.buffer, 0, this.length * 4)
  }

  clear() {
    this.length = 0
  }
}

/** Reads back what a SpillWriter wrote, in the same order. */
export class SpillReader {
  private readonly words: Int32Array
  private readonly bytes: Buffer
  private at = 0

  constructor(data: Uint8Array) {
    const aligned = data.byteOffset % 4 === 0 ? data : data.slice()
    this.words = new Int32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >> 2)
    this.bytes = Buffer.from(aligned.buffer, aligned.byteOffset, aligned.byteLength)
  }

  get done(): boolean {
    return this.at >= this.words.length
  }

  int(): number {
    return this.words[this.at++]
  }

  ints(): Int32Array | undefined {
    const length = this.int()
    if (length === ABSENT) return undefined
    this.at += length
    return this.words.slice(this.at - length, this.at)
  }

  string(): string | null {
    const length = this.int()
    if (length === ABSENT) return null
    const text = this.bytes.toString("utf16le", this.at * 4, this.at * 4 + length * 2)
    this.at += (length + 1) >> 1
    return text
  }
}
