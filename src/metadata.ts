/**
 * What a release says about itself, beside the tables: the Hugging Face dataset card (README.md),
 * the MLCommons Croissant 1.0 description (croissant.json) and the CHANGELOG against the previous
 * version. Pure functions of the build's numbers and files.
 */
import { TABLE_NAMES, TABLES, type ColumnKind, type TableName } from "./write.js"

export interface ReleaseInfo {
  readonly dataset: string
  readonly version: string
  readonly title: string
  readonly licence: string
  readonly rows: Readonly<Record<TableName, number>>
  readonly files: ReadonlyArray<{ readonly name: string; readonly sha256: string; readonly bytes: number }>
}

const FIELD_DOCS: Readonly<Record<string, string>> = {
  doc_id: "stable id from the article's cleaned title and text (SHA-256, 16 hex digits)",
  source_file: "path of the input file, relative to the input folder",
  record: "index of the record in its file",
  source: "outlet, as the input gave it",
  url: "address of the article, as the input gave it",
  title: "cleaned title",
  author: "author, from the input or from a byline removed from the text, on one line (runs of whitespace as one space)",
  published: "publication (or extraction) date, as the input gave it",
  text: "cleaned text",
  n_sentences: "sentences kept",
  n_words: "words",
  n_mentions: "mentions tagged",
  sentence_id: "document id and sentence index",
  index: "position of the sentence in its document",
  field: "`title` or `text`: the document field the offsets point into",
  start: "start offset (code points) in the document field, or in the sentence for mentions",
  end: "end offset (exclusive)",
  raw_start: "start offset in the raw record's text as read",
  raw_end: "end offset in the raw record's text as read (exclusive)",
  text_norm: "normalized text for matching (no diacritics, folded alef/ya/ta marbuta, ASCII digits, no punctuation)",
  mention_id: "document id and mention index",
  name: "the name without proclitics or punctuation",
  label: "`PLACE` or `ACTOR`",
  type: "COUNTRY, CITY, ADMIN, REGION, OTHER; PERSON, STATE, ARMED_GROUP, ORGANIZATION, MEDIA, COMMUNITY",
  entity_id: "linked entity (`geonames:`, `iso:`, `mna:` places; `actor:` actors); empty for pattern mentions",
  entity_ar: "canonical Arabic name of the entity",
  entity_en: "English name of the entity",
  lat: "latitude of a linked place",
  lon: "longitude of a linked place",
  method: "`lexicon` or `pattern`",
  kept_doc_id: "the kept article this one duplicates",
  kind: "`exact` or `near`",
  similarity: "estimated Jaccard similarity to the kept article (1 for exact copies)"
}

const sizeCategory = (n: number) =>
  n < 1_000 ? "n<1K" : n < 10_000 ? "1K<n<10K" : n < 100_000 ? "10K<n<100K" : n < 1_000_000 ? "100K<n<1M" : "1M<n<10M"

export const datasetCard = (info: ReleaseInfo, datasheet: string): string => {
  const front = [
    "---",
    `pretty_name: "${info.title}"`,
    "license: cc-by-nc-sa-4.0",
    "language:",
    "- ar",
    "task_categories:",
    "- token-classification",
    "- text-classification",
    "task_ids:",
    "- named-entity-recognition",
    "size_categories:",
    `- ${sizeCategory(info.rows.documents)}`,
    "configs:",
    ...TABLE_NAMES.flatMap((t) => [`- config_name: ${t}`, `  data_files: "${t}.parquet"`, ...(t === "documents" ? ["  default: true"] : [])]),
    "---"
  ]
  const fieldTables = TABLE_NAMES.map(
    (t) => `### ${t} (${info.rows[t]} rows)\n\n| column | type | meaning |\n|---|---|---|\n${TABLES[t].map(([name, kind]) => `| \`${name}\` | ${kind} | ${FIELD_DOCS[name] ?? ""} |`).join("\n")}\n`
  )
  return `${front.join("\n")}

# ${info.title}

Version ${info.version}. Arabic news on the battle of Mosul (2016–17) and its aftermath: cleaned articles, sentences
with offsets back to the raw text, and place and actor mentions linked to entities (places with coordinates).
Every table comes as Parquet, Arrow (IPC file format), CSV and JSONL with the same rows in the same order.

## Fields

Offsets are Unicode code points, \`[start, end)\`: in Python \`text[start:end]\` is the span.

${fieldTables.join("\n")}
## How it was built

By the mosul-news-ar pipeline: ingest (UTF-8, UTF-16 and Windows-1256 detected; unusable records listed in
\`rejects.jsonl\`), normalization, exact and near deduplication (MinHash), sentence segmentation and lexicon and
pattern tagging. DATASHEET.md gives every stage's parameters, counts and measured quality; manifest.json and
SHA256SUMS give every file's checksum.

## How to load it

\`\`\`python
from datasets import load_dataset
ds = load_dataset("parquet", data_files={"train": "sentences.parquet"})         # or: load_dataset("arrow", data_files="sentences.arrow")
import pyarrow as pa; t = pa.ipc.open_file("mentions.arrow").read_all()           # Arrow IPC file format
import pandas as pd;  df = pd.read_feather("documents.arrow")                      # or pd.read_parquet("documents.parquet")
import polars as pl;  df = pl.read_ipc("mentions.arrow")                            # or pl.read_parquet("mentions.parquet")
\`\`\`

\`datasets.Dataset.from_file\` reads only the Arrow stream format: use \`load_dataset("arrow", ...)\` for the \`.arrow\` files.

## Limitations

Tags are automatic: see DATASHEET.md for their measured precision and recall. Places found by patterns are not linked.
Region and river coordinates are nominal points. Near-duplicate removal keeps the first copy in input order.

## Licence and citation

${info.licence}. Each article's text belongs to its outlet: research use only. Place data from GeoNames (CC BY 4.0).

\`\`\`bibtex
@misc{${info.dataset.replace(/-/gu, "_")}_${info.version.replace(/\./gu, "_")},
  title  = {${info.title}},
  note   = {Version ${info.version}},
  year   = {2026}
}
\`\`\`

---

${datasheet.replace(/^# /mu, "## ")}`
}

const croissantType: Readonly<Record<ColumnKind, string>> = { int: "sc:Integer", float: "sc:Float", string: "sc:Text" }

/** MLCommons Croissant 1.0: the Parquet files as FileObjects, one RecordSet per table. */
export const croissant = (info: ReleaseInfo): string => {
  const sha = (name: string) => info.files.find((f) => f.name === name)?.sha256 ?? ""
  const doc = {
    "@context": {
      "@language": "en",
      "@vocab": "https://schema.org/",
      cr: "http://mlcommons.org/croissant/",
      rai: "http://mlcommons.org/croissant/RAI/",
      sc: "https://schema.org/",
      dct: "http://purl.org/dc/terms/",
      citeAs: "cr:citeAs",
      column: "cr:column",
      conformsTo: "dct:conformsTo",
      data: { "@id": "cr:data", "@type": "@json" },
      dataType: { "@id": "cr:dataType", "@type": "@vocab" },
      examples: { "@id": "cr:examples", "@type": "@json" },
      extract: "cr:extract",
      field: "cr:field",
      fileObject: "cr:fileObject",
      fileProperty: "cr:fileProperty",
      fileSet: "cr:fileSet",
      format: "cr:format",
      includes: "cr:includes",
      isLiveDataset: "cr:isLiveDataset",
      jsonPath: "cr:jsonPath",
      key: "cr:key",
      md5: "cr:md5",
      parentField: "cr:parentField",
      path: "cr:path",
      recordSet: "cr:recordSet",
      references: "cr:references",
      regex: "cr:regex",
      repeated: "cr:repeated",
      replace: "cr:replace",
      separator: "cr:separator",
      source: "cr:source",
      subField: "cr:subField",
      transform: "cr:transform"
    },
    "@type": "sc:Dataset",
    name: info.dataset,
    description: info.title,
    conformsTo: "http://mlcommons.org/croissant/1.0",
    version: info.version,
    license: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    url: `https://example.invalid/${info.dataset}/${info.version}`,
    inLanguage: "ar",
    distribution: TABLE_NAMES.map((t) => ({
      "@type": "cr:FileObject",
      "@id": `${t}.parquet`,
      name: `${t}.parquet`,
      contentUrl: `${t}.parquet`,
      encodingFormat: "application/x-parquet",
      sha256: sha(`${t}.parquet`)
    })),
    recordSet: TABLE_NAMES.map((t) => ({
      "@type": "cr:RecordSet",
      "@id": t,
      name: t,
      field: TABLES[t].map(([name, kind]) => ({
        "@type": "cr:Field",
        "@id": `${t}/${name}`,
        name,
        description: FIELD_DOCS[name] ?? name,
        dataType: croissantType[kind],
        source: { fileObject: { "@id": `${t}.parquet` }, extract: { column: name } }
      }))
    }))
  }
  return JSON.stringify(doc, null, 2) + "\n"
}

export interface VersionSummary {
  readonly version: string
  readonly pipeline_version: string
  readonly counts: Readonly<Record<string, unknown>>
  readonly lexicons: Readonly<Record<string, { readonly sha256: string }>>
  readonly docIds: ReadonlyArray<string>
}

/** CHANGELOG.md of this version against the previous one present in the output folder (if any). */
export const changelog = (current: VersionSummary, previous: VersionSummary | null): string => {
  if (previous === null) return `# Changelog\n\n## ${current.version}\n\nFirst version built in this output folder: ${current.docIds.length} documents.\n`
  const before = new Set(previous.docIds)
  const now = new Set(current.docIds)
  const added = current.docIds.filter((d) => !before.has(d))
  const removed = previous.docIds.filter((d) => !now.has(d))
  const flat = (counts: Readonly<Record<string, unknown>>, prefix = ""): Array<[string, number]> =>
    Object.entries(counts).flatMap(([k, v]) => (typeof v === "number" ? [[prefix + k, v] as [string, number]] : v !== null && typeof v === "object" ? flat(v as Record<string, unknown>, `${prefix}${k}.`) : []))
  const old = new Map(flat(previous.counts))
  const changes = flat(current.counts)
    .filter(([k, v]) => old.get(k) !== v)
    .map(([k, v]) => `| ${k} | ${old.get(k) ?? "—"} | ${v} |`)
  const lexiconChanges = Object.keys({ ...previous.lexicons, ...current.lexicons })
    .sort()
    .filter((name) => previous.lexicons[name]?.sha256 !== current.lexicons[name]?.sha256)
  return `# Changelog

## ${current.version} (against ${previous.version})

- Documents added: ${added.length}; removed: ${removed.length}.
- Pipeline: ${previous.pipeline_version === current.pipeline_version ? `unchanged (${current.pipeline_version})` : `${previous.pipeline_version} → ${current.pipeline_version}`}.
- Lexicons changed: ${lexiconChanges.length === 0 ? "none" : lexiconChanges.join(", ")}.

| count | ${previous.version} | ${current.version} |
|---|---:|---:|
${changes.length === 0 ? "| (no change) | | |" : changes.join("\n")}
${added.length > 0 ? `\nAdded documents (first 50): ${added.slice(0, 50).join(", ")}\n` : ""}${removed.length > 0 ? `\nRemoved documents (first 50): ${removed.slice(0, 50).join(", ")}\n` : ""}`
}
