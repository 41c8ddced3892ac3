/**
 * Deduplication. Exact: two articles are copies when their normalized text (`text_norm` of the
 * body: formatting, diacritics, tatweel, orthographic variants and whitespace folded) is equal.
 * The first in input order is kept.
 */
import { createHash } from "node:crypto"
import { normalizeForMatch } from "./normalize.js"

export const sha256 = (text: string | Uint8Array): string => createHash("sha256").update(text).digest("hex")

export const exactKey = (cleanedText: string): string => sha256(normalizeForMatch(cleanedText))

export interface DuplicateOf {
  readonly keptDocId: string
  readonly kind: "exact"
  readonly similarity: number
}

/** Remembers the kept article of every key seen; answers whether a new article is a copy. */
export class ExactIndex {
  private readonly kept = new Map<string, string>()

  /** The kept article this one duplicates, or null after recording it as kept. */
  check(key: string, docId: string): DuplicateOf | null {
    const keptDocId = this.kept.get(key)
    if (keptDocId !== undefined) return { keptDocId, kind: "exact", similarity: 1 }
    this.kept.set(key, docId)
    return null
  }
}
