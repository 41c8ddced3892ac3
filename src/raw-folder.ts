/** The Effect edge of ingest: the files of RAW, listed through @effect/platform's FileSystem. */
import { FileSystem, Path } from "@effect/platform"
import { Data, Effect } from "effect"

export class RawFolderMissing extends Data.TaggedError("RawFolderMissing")<{ readonly path: string }> {
  get message() {
    return `input folder not found: ${this.path}`
  }
}

export interface ListedFile {
  /** Path relative to the root, with `/` between folders. */
  readonly file: string
  readonly bytes: number
}

/** The files under `root` (relative paths, with their sizes), sorted, so builds read in the same order everywhere. */
export const listFiles = (root: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const exists = yield* fs.exists(root)
    if (!exists || (yield* fs.stat(root)).type !== "Directory") return yield* new RawFolderMissing({ path: root })
    const entries = yield* fs.readDirectory(root, { recursive: true })
    const path = yield* Path.Path
    const files: Array<ListedFile> = []
    for (const entry of entries) {
      const info = yield* fs.stat(path.join(root, entry)).pipe(Effect.option)
      if (info._tag === "Some" && info.value.type !== "Directory") files.push({ file: entry.split(path.sep).join("/"), bytes: Number(info.value.size) })
    }
    return files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  })
