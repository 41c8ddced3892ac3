/** Every file under `folder` (relative paths, `/` between folders), sorted. */
export declare const rawFiles: (folder: string) => Array<string>
/** `.json`, `.jsonl`, `.csv`, `.txt` or another extension, lower-cased. */
export declare const formatOf: (file: string) => string
/** The file's records as objects; none for a file or line that does not parse, or another format. */
export declare const readRecords: (file: string, text: string) => Promise<Array<Record<string, unknown>>>
