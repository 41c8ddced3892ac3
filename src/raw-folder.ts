/** The Effect edge of ingest: the files of RAW, listed through @effect/platform's FileSystem. */
import { FileSystem, Path } from "@effect/platform"
import { Data, Effect } from "effect"

export class RawFolderMissing extends Data.TaggedError("RawFolderMissing")<{ readonly path: string }> {
  get message() {
    return `input folder not found: ${this.path}`
  }
}

/** Relative paths of the files under `root`, sorted, so builds read in the same order everywhere. */
export const listFiles = (root: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const exists = yield* fs.exists(root)
    if (!exists || (yield* fs.stat(root)).type !== "Directory") return yield* new RawFolderMissing({ path: root })
    const entries = yield* fs.readDirectory(root, { recursive: true })
    const path = yield* Path.Path
    const files: Array<string> = []
    for (const entry of entries) {
      const info = yield* fs.stat(path.join(root, entry)).pipe(Effect.option)
      if (info._tag === "Some" && info.value.type !== "Directory") files.push(entry.split(path.sep).join("/"))
    }
    return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  })
