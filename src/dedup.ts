/**
 * Deduplication, in input order; the first article of a group is the one kept.
 * - Exact: equal `text_norm` of the body (formatting, diacritics, tatweel, orthographic variants
 *   and whitespace folded), by SHA-256.
 * - Near: MinHash signatures of word n-gram shingles of `text_norm`, LSH banding for candidates,
 *   confirmed when the estimated Jaccard similarity to a kept article reaches the threshold. A near
 *   copy joins the kept article it is most similar to (kept articles never merge, so each group is a
 *   star around its kept article). Signatures and buckets live in typed arrays.
 * - Repeated sentences: a sentence found in many documents of one source is boilerplate.
 */
import { createHash } from "node:crypto"
import { grown, type Growable } from "./grown.js"
import { release } from "./release.js"

export const sha256 = (text: string | Uint8Array): string => createHash("sha256").update(text).digest("hex")

export interface NearParameters {
  /** Words per shingle. */
  readonly shingle: number
  readonly bands: number
  readonly rows: number
  /** Estimated Jaccard similarity at or above which an article is a near copy. */
  readonly threshold: number
}

export interface DuplicateOf {
  readonly keptDocId: string
  readonly kind: "exact" | "near"
  readonly similarity: number
}

/** 32-bit FNV-1a. */
const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

/** Murmur3's finalizer: spreads the bits of a 32-bit value. */
const mix = (x: number): number => {
  x ^= x >>> 16
  x = Math.imul(x, 0x85ebca6b)
  x ^= x >>> 13
  x = Math.imul(x, 0xc2b2ae35)
  x ^= x >>> 16
  return x >>> 0
}

/** 1 for the space between the words of a normalized text, by code unit. */
const IS_SPACE = new Uint8Array(0x10000)
IS_SPACE[0x20] = 1

/** The word hashes of the text `shingleHashes` is on, reused. */
let wordHashes = new Uint32Array(1 << 10)

/**
 * Hashes of the word n-grams of a normalized text (the whole text when it is shorter than n words):
 * each word hashed once (FNV-1a of its code units), a shingle hashed from its words' hashes.
 */
export const shingleHashes = (textNorm: string, n: number): Uint32Array => {
  wordHashes = grown(wordHashes, (textNorm.length >> 1) + 2)
  const words = wordHashes
  let count = 0
  let h = FNV_OFFSET
  let inWord = 0
  for (let i = 0; i < textNorm.length; i++) {
    // Arithmetic, no branch per unit: words end every few units, and the branch was mispredicted.
    const c = textNorm.charCodeAt(i)
    const space = IS_SPACE[c]
    words[count] = h // kept only when a word ends here
    count += space & inWord
    const keep = space - 1 // all ones inside a word
    h = (Math.imul(h ^ c, FNV_PRIME) & keep) | (FNV_OFFSET & ~keep)
    inWord = 1 - space
  }
  if (inWord === 1) words[count++] = h
  const shingles = Math.max(1, count - n + 1)
  const hashes = new Uint32Array(shingles)
  for (let i = 0; i < shingles; i++) {
    let shingle = FNV_OFFSET
    const end = Math.min(i + n, count)
    for (let k = i; k < end; k++) shingle = Math.imul(shingle ^ words[k], FNV_PRIME)
    hashes[i] = shingle
  }
  return hashes
}

/**
 * MinHash signature of `size` values by one-permutation hashing: each shingle is hashed once, its
 * hash picks one of `size` bins, and each bin keeps the least value that falls in it. Empty bins
 * (texts with few shingles) take the value of another bin chosen by a fixed probe sequence per bin,
 * the same for every text ("optimal densification", Shrivastava 2017), so that two texts agree in a
 * bin with probability equal to their Jaccard similarity.
 */
export const signature = (shingles: Uint32Array, size: number): Uint32Array => {
  const sig = new Uint32Array(size)
  const filled = new Uint8Array(size)
  let empty = size
  for (let s = 0; s < shingles.length; s++) {
    const h = mix(shingles[s])
    const bin = Math.floor((h * size) / 4294967296)
    const value = mix(h ^ 0x9e3779b9)
    if (filled[bin] === 0) {
      filled[bin] = 1
      sig[bin] = value
      empty--
    } else if (value < sig[bin]) sig[bin] = value
  }
  if (empty === 0) return sig
  const densified = sig.slice()
  for (let bin = 0; bin < size; bin++) {
    if (filled[bin] === 1) continue
    let probe = 0
    let from: number
    do from = Math.floor((mix(Math.imul(bin + 1, 0x9e3779b1) ^ probe++) * size) / 4294967296)
    while (filled[from] === 0)
    densified[bin] = sig[from]
  }
  return densified
}

export const estimatedJaccard = (a: ArrayLike<number>, aOffset: number, b: ArrayLike<number>, bOffset: number, size: number): number => {
  let same = 0
  for (let i = 0; i < size; i++) if (a[aOffset + i] === b[bOffset + i]) same++
  return same / size
}

/** What deduplication needs of an article: the hash of its text and its MinHash signature. */
export interface DedupKey {
  readonly exact: string
  readonly signature: Uint32Array
}

export const dedupKey = (textNorm: string, near: NearParameters): DedupKey => ({
  // The text's UTF-16 code units as they are, not its UTF-8: half the time for Arabic, and the key never leaves the build.
  exact: createHash("sha256").update(textNorm, "utf16le").digest("hex"),
  signature: signature(shingleHashes(textNorm, near.shingle), near.bands * near.rows)
})

/** Fill of the open-addressing tables before they double: linear probing stays short, memory stays small. */
const MAX_LOAD = 0.75

/** `grown`, the old array freed at once, not at the next full collection (the tables live on the main thread). */
const grownFreeing = <T extends Growable>(array: T, length: number): T => {
  const bigger = grown(array, length)
  if (bigger !== array) release(array)
  return bigger
}

/**
 * LSH buckets in typed arrays: an open-addressing table from bucket key to the newest entry, and
 * entries (article index, previous entry in the same bucket) in insertion order.
 */
class BucketTable {
  private keys = new Uint32Array(1 << 12)
  private heads = new Int32Array(1 << 12).fill(-1)
  private used = 0
  private entryArticle = new Int32Array(1 << 12)
  private entryNext = new Int32Array(1 << 12)
  private entries = 0

  private slot(key: number): number {
    const mask = this.keys.length - 1
    let slot = mix(key) & mask
    while (this.heads[slot] !== -1 && this.keys[slot] !== key) slot = (slot + 1) & mask
    return slot
  }

  add(key: number, article: number) {
    if (this.used + 1 > this.keys.length * MAX_LOAD) this.rehash()
    const slot = this.slot(key)
    if (this.heads[slot] === -1) {
      this.keys[slot] = key
      this.used++
    }
    this.entryArticle = grownFreeing(this.entryArticle, this.entries + 1)
    this.entryNext = grownFreeing(this.entryNext, this.entries + 1)
    this.entryArticle[this.entries] = article
    this.entryNext[this.entries] = this.heads[slot]
    this.heads[slot] = this.entries++
  }

  /** The bucket's newest entry, -1 for none; the older ones follow by `next`. */
  head(key: number): number {
    return this.heads[this.slot(key)]
  }
  next(entry: number): number {
    return this.entryNext[entry]
  }
  article(entry: number): number {
    return this.entryArticle[entry]
  }

  private rehash() {
    const { keys, heads } = this
    this.keys = new Uint32Array(keys.length * 2)
    this.heads = new Int32Array(keys.length * 2).fill(-1)
    for (let old = 0; old < keys.length; old++) {
      if (heads[old] === -1) continue
      const slot = this.slot(keys[old])
      this.keys[slot] = keys[old]
      this.heads[slot] = heads[old]
    }
    release(keys, heads)
  }

  /** Frees the table's memory now; it is empty afterwards. */
  dispose() {
    release(this.keys, this.heads, this.entryArticle, this.entryNext)
  }
}

/** The kept articles seen so far: exact keys, and signatures with their LSH buckets. */
export class DedupIndex {
  private readonly exact = new Map<string, string>()
  private readonly size: number
  private signatures: Uint32Array
  private readonly keptIds: Array<string> = []
  private readonly buckets = new BucketTable()
  /** The check that last looked at each kept article, so one found in several buckets is compared once. */
  private comparedBy = new Int32Array(1024)
  private checks = 0

  constructor(private readonly near: NearParameters) {
    this.size = near.bands * near.rows
    this.signatures = new Uint32Array(this.size * 1024)
  }

  private bucketKeys(sig: Uint32Array): Array<number> {
    const keys: Array<number> = []
    for (let band = 0; band < this.near.bands; band++) {
      let h = mix(band + 1)
      for (let r = 0; r < this.near.rows; r++) h = mix(h ^ sig[band * this.near.rows + r])
      keys.push(h)
    }
    return keys
  }

  /** The kept article this one copies, or null after recording it as kept. */
  check(docId: string, textNorm: string): DuplicateOf | null {
    return this.checkKey(docId, dedupKey(textNorm, this.near))
  }

  /** As `check`, from a key computed elsewhere (in a worker). */
  checkKey(docId: string, { exact: key, signature: sig }: DedupKey): DuplicateOf | null {
    const exactOf = this.exact.get(key)
    if (exactOf !== undefined) return { keptDocId: exactOf, kind: "exact", similarity: 1 }

    const keys = this.bucketKeys(sig)
    let best = -1
    let bestSimilarity = 0
    const check = ++this.checks
    this.comparedBy = grownFreeing(this.comparedBy, this.keptIds.length)
    for (const bucketKey of keys) {
      for (let entry = this.buckets.head(bucketKey); entry !== -1; entry = this.buckets.next(entry)) {
        const candidate = this.buckets.article(entry)
        if (this.comparedBy[candidate] === check) continue
        this.comparedBy[candidate] = check
        const similarity = estimatedJaccard(sig, 0, this.signatures, candidate * this.size, this.size)
        // the same choice whatever order the candidates come in
        if (similarity > bestSimilarity || (similarity === bestSimilarity && candidate < best)) {
          best = candidate
          bestSimilarity = similarity
        }
      }
    }
    if (best >= 0 && bestSimilarity >= this.near.threshold) {
      this.exact.set(key, this.keptIds[best]) // an exact copy of this near copy joins the same group
      return { keptDocId: this.keptIds[best], kind: "near", similarity: Math.round(bestSimilarity * 1e4) / 1e4 }
    }

    const index = this.keptIds.length
    this.exact.set(key, docId)
    this.keptIds.push(docId)
    this.signatures = grownFreeing(this.signatures, (index + 1) * this.size)
    this.signatures.set(sig, index * this.size)
    for (const bucketKey of keys) this.buckets.add(bucketKey, index)
    return null
  }

  /** Frees the index's memory now, when the decisions are made; it cannot be used afterwards. */
  dispose() {
    this.buckets.dispose()
    release(this.signatures, this.comparedBy)
  }
}

/** A 53-bit hash (cyrb53) of a sentence's `text_norm` within its source: the key repeated sentences are counted by. */
export const sentenceKey = (source: string, textNorm: string): number => {
  // The hash of `${source}\t${textNorm}`, without making that string.
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (const text of [source, "\t", textNorm]) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      h1 = Math.imul(h1 ^ c, 2654435761)
      h2 = Math.imul(h2 ^ c, 1597334677)
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

/**
 * Sentences that occur in at least `minDocuments` documents of one source: page furniture repeated
 * across a site. Counts documents per sentence key, one number per distinct sentence.
 */
export class RepeatedSentences {
  /** Open addressing: sentence keys (NaN for an empty slot) and their document counts. */
  private keys = new Float64Array(1 << 12).fill(Number.NaN)
  private counts = new Uint32Array(1 << 12)
  /** The document that counted the slot last, so a sentence twice in a document is counted once (no set per document). */
  private counted = new Int32Array(1 << 12)
  private used = 0
  private documents = 0

  private slot(keys: Float64Array, key: number): number {
    const mask = keys.length - 1
    let slot = mix((key % 4294967296) ^ Math.floor(key / 4294967296)) & mask
    while (!Number.isNaN(keys[slot]) && keys[slot] !== key) slot = (slot + 1) & mask
    return slot
  }

  /** One document's sentence keys (each counted once). */
  add(keys: ArrayLike<number>): void {
    const document = ++this.documents
    for (let i = 0; i < keys.length; i++) {
      if (this.used + 1 > this.keys.length * MAX_LOAD) this.rehash()
      const slot = this.slot(this.keys, keys[i])
      if (Number.isNaN(this.keys[slot])) {
        this.keys[slot] = keys[i]
        this.used++
      }
      if (this.counted[slot] === document) continue
      this.counted[slot] = document
      this.counts[slot]++
    }
  }

  /**
   * Takes back a document `add` counted: documents are counted as their files come in, in any order,
   * and the duplicates among them taken back once they are known.
   */
  remove(keys: ArrayLike<number>): void {
    const document = ++this.documents
    for (let i = 0; i < keys.length; i++) {
      const slot = this.slot(this.keys, keys[i])
      if (Number.isNaN(this.keys[slot]) || this.counted[slot] === document) continue
      this.counted[slot] = document
      this.counts[slot]--
    }
  }

  repeated(minDocuments: number): Set<number> {
    const keys = new Set<number>()
    for (let slot = 0; slot < this.keys.length; slot++) if (this.counts[slot] >= minDocuments) keys.add(this.keys[slot])
    return keys
  }

  private rehash() {
    const { keys, counts, counted } = this
    this.keys = new Float64Array(keys.length * 2).fill(Number.NaN)
    this.counts = new Uint32Array(keys.length * 2)
    this.counted = new Int32Array(keys.length * 2)
    for (let old = 0; old < keys.length; old++) {
      if (Number.isNaN(keys[old])) continue
      const slot = this.slot(this.keys, keys[old])
      this.keys[slot] = keys[old]
      this.counts[slot] = counts[old]
      this.counted[slot] = counted[old]
    }
    release(keys, counts, counted)
  }

  /** Frees the table's memory now; it cannot be used afterwards. */
  dispose() {
    release(this.keys, this.counts, this.counted)
  }
}
