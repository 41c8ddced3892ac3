/**
 * DATASHEET.md after Datasheets for Datasets (Gebru et al.). Every number comes from the build's
 * statistics; nothing here is written by hand per release.
 */
import { grown } from "./grown.js"

export interface BuildStats {
  readonly dataset: string
  readonly version: string
  readonly pipelineVersion: string
  readonly inputFiles: number
  readonly recordsRead: number
  readonly rejects: number
  readonly rejectsByReason: Readonly<Record<string, number>>
  readonly duplicates: Readonly<Record<string, number>>
  readonly documents: number
  readonly sentences: number
  readonly words: number
  readonly mentionsByLabel: Readonly<Record<string, number>>
  readonly mentionsByType: Readonly<Record<string, number>>
  readonly sources: Readonly<Record<string, number>>
  readonly encodings: Readonly<Record<string, number>>
  readonly boilerplateLines: Readonly<Record<string, number>>
  readonly repeatedSentencesRemoved: number
  readonly mojibakeRepaired: number
  readonly dedup: Readonly<Record<string, string>>
  readonly lexicons: Readonly<Record<string, { readonly entries: number; readonly sha256: string }>>
  readonly publishedRange: readonly [string, string] | null
  readonly wordsPerDocument: Distribution
  readonly wordsPerSentence: Distribution
  readonly topEntities: ReadonlyArray<{ readonly entity: string; readonly label: string; readonly mentions: number }>
  readonly quality: Readonly<Record<string, unknown>>
}

export interface Distribution {
  readonly mean: number
  readonly median: number
  readonly min: number
  readonly max: number
}

/**
 * Counts of non-negative integers (words per sentence, per document) by value, so that a corpus's
 * distribution is exact without keeping one number per row.
 */
export class Histogram {
  private counts = new Float64Array(64)
  count = 0
  sum = 0

  add(value: number) {
    this.counts = grown(this.counts, value + 1)
    this.counts[value]++
    this.count++
    this.sum += value
  }

  distribution(): Distribution {
    if (this.count === 0) return { mean: 0, median: 0, min: 0, max: 0 }
    const { counts } = this
    let min = 0
    while (counts[min] === 0) min++
    let max = counts.length - 1
    while (counts[max] === 0) max--
    // The value at sorted index ⌊count / 2⌋.
    let median = min
    for (let seen = counts[min]; seen <= Math.floor(this.count / 2); seen += counts[median]) median++
    return { mean: Math.round((this.sum / this.count) * 10) / 10, median, min, max }
  }
}

const describeDistribution = (d: Distribution) => `mean ${d.mean}, median ${d.median}, min ${d.min}, max ${d.max}`

const qualitySection = (quality: Readonly<Record<string, unknown>>) => {
  const entries = Object.entries(quality) as Array<[string, Record<string, unknown>]>
  if (entries.length === 0) return "No evaluation has been recorded yet (run `make eval-segment eval-tag eval-dedup`).\n"
  return (
    entries
      .map(([stage, { measured, pipeline_version, gold, benchmark, ...numbers }]) => {
        const on = gold ?? benchmark
        const values = Object.entries(numbers).map(([k, v]) => `${k.replace(/_/gu, " ")} ${v}`).join(", ")
        return `- **${stage}** (${on}; measured ${measured}, pipeline ${pipeline_version}): ${values}`
      })
      .join("\n") + "\n"
  )
}

const sum = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((a, b) => a + b, 0)

const table = (header: readonly [string, string], counts: Readonly<Record<string, number>>, byName = true) => {
  const keys = byName ? Object.keys(counts).sort() : Object.keys(counts)
  if (keys.length === 0) return "_none_\n"
  return [`| ${header[0]} | ${header[1]} |`, "|---|---:|", ...keys.map((k) => `| ${k} | ${counts[k]} |`)].join("\n") + "\n"
}

export const datasheet = (s: BuildStats): string => `# Datasheet: ${s.dataset} ${s.version}

Built by pipeline version ${s.pipelineVersion}. Counts below are those of this build.

## Motivation
An open dataset of Arabic news on the battle of Mosul (2016–17) and its aftermath, for NLP research:
sentence segmentation, named-entity recognition of places and actors, and event and discourse analysis of
conflict reporting. Built by the mosul-news-ar project with an open, deterministic pipeline.

## Composition
- Documents (kept articles): **${s.documents}**, with **${s.sentences}** sentences and **${s.words}** words of body text.
- Words per document: ${describeDistribution(s.wordsPerDocument)}. Words per sentence: ${describeDistribution(s.wordsPerSentence)}.
- Dates (\`published\`): ${s.publishedRange === null ? "none given" : `${s.publishedRange[0]} to ${s.publishedRange[1]}`}.
- Mentions: **${sum(s.mentionsByLabel)}** in all.

${table(["label", "mentions"], s.mentionsByLabel)}
${table(["type", "mentions"], s.mentionsByType)}
Most mentioned entities:

${table(["entity", "mentions"], Object.fromEntries(s.topEntities.map((e) => [`${e.entity} (${e.label})`, e.mentions])), false)}
Documents by source (\`(none)\` where the input gave no source):

${table(["source", "documents"], s.sources)}
Tables: \`documents\`, \`sentences\`, \`mentions\`, \`duplicates\`, each as CSV, JSONL, Arrow (IPC file format) and
Parquet with the same rows in the same order. Offsets are Unicode code points, \`[start, end)\`; \`raw_start\`/\`raw_end\` index the
raw record's text as read, so every row traces back to its source characters.

## Collection process
- Input files read: ${s.inputFiles}; records read: **${s.recordsRead}**.
- Encodings detected:

${table(["encoding", "records"], s.encodings)}
Records whose text was mojibake (UTF-8 read as Windows-1256 or Latin-1 upstream), repaired: ${s.mojibakeRepaired}.

Rejected records: **${s.rejects}** (listed with reasons in \`rejects.jsonl\`):

${table(["reason", "records"], s.rejectsByReason)}
Accounting: records read (${s.recordsRead}) = documents kept (${s.documents}) + duplicates (${sum(s.duplicates)}) + rejects (${s.rejects}).

## Preprocessing, cleaning, labeling
- Normalization: \`text\` keeps the article as written, cleaned: Arabic presentation forms folded, tatweel removed,
  zero-width and bidi controls removed, other control characters made a space, whitespace unified with paragraph breaks kept, hashtag marks removed, scraper
  joins (\`., \`) turned back into paragraph breaks, HTML pages saved as text reduced to their text (scripts, styles and
  tags dropped, entities decoded), lone surrogates replaced by U+FFFD. \`text_norm\` (for matching) also removes diacritics, folds alef
  forms, alef maqsura and ta marbuta (CAMeL Tools conventions), turns digits to ASCII and drops punctuation.
- Boilerplate lines removed (comment prompts, outlet signatures, bylines, share widgets, footers):

${table(["kind", "lines"], s.boilerplateLines)}
- Deduplication: ${Object.entries(s.dedup).map(([k, v]) => `${k}: ${v}`).join("; ")}. Duplicates removed:

${table(["kind", "documents"], s.duplicates)}
- Repeated sentences left out (page furniture repeated across one source's articles): ${s.repeatedSentencesRemoved}.
- Sentences: split by the rules of ANNOTATION.md (final marks, closing quotes, line breaks; not inside numbers,
  abbreviations, initials or URLs).
- Mentions: lexicon matching on normalized tokens with proclitics stripped, longest match first, linked to an entity;
  then names no lexicon holds, after titles, place cue words and group heads (\`method: pattern\`, not linked). Lexicons:

${table(["lexicon", "entries"], Object.fromEntries(Object.entries(s.lexicons).map(([k, v]) => [k, v.entries])))}
Measured quality (evaluation runners, against the dev gold of ANNOTATION.md and a generated dedup benchmark; each
with the date and pipeline version it was measured at):

${qualitySection(s.quality)}
## Uses
For research on Arabic NLP and on how the war was reported. Not for profiling or surveilling individuals: person
mentions are names as printed in the press, not verified identities. Tags are automatic and carry errors.

## Distribution
Each article's text belongs to its outlet; the dataset is distributed for non-commercial research. Place data from
GeoNames (CC BY 4.0). The CSV files follow RFC 4180 (UTF-8, CRLF between records; a cell holding a quote, comma or
line break is quoted). CSV cells are written as they are: a cell may begin with \`=\`, \`+\`, \`-\` or \`@\` (Arabic
text and negative numbers do), so open the CSV in a spreadsheet as text, or use the JSONL or Arrow files.

## Maintenance
Maintained by the mosul-news-ar project. A version, once written, is never changed; corrections come as a new
version. \`manifest.json\` records the input and lexicon fingerprints, counts and every file's SHA-256.
`
