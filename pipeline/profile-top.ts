/**
 * The top of V8 CPU profiles (`node --cpu-prof`) by self time: `profile-top.ts <file.cpuprofile>...`.
 * The main thread's profile (thread 0 in the file name) and the workers' (summed) are shown apart.
 */
import { readFileSync } from "node:fs"

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
}
interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

const TOP = Number(process.env.TOP ?? 25)

const top = (title: string, files: ReadonlyArray<string>) => {
  const selfMs = new Map<string, number>()
  let totalMs = 0
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, "utf8")) as Profile
    const frameOf = new Map(profile.nodes.map((n) => [n.id, n.callFrame]))
    profile.samples.forEach((id, i) => {
      const frame = frameOf.get(id)!
      const where = frame.url === "" ? "" : ` ${frame.url.replace(/^.*\/(node_modules\/|src\/|pipeline\/)/u, "$1")}:${frame.lineNumber + 1}`
      const key = `${frame.functionName || "(anonymous)"}${where}`
      const ms = profile.timeDeltas[i] / 1000
      selfMs.set(key, (selfMs.get(key) ?? 0) + ms)
      totalMs += ms
    })
  }
  console.log(`${title}: ${files.length} profile(s), ${(totalMs / 1000).toFixed(1)} s sampled`)
  console.log("  self s      %  function")
  for (const [key, ms] of [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`${(ms / 1000).toFixed(2).padStart(7)} ${((100 * ms) / totalMs).toFixed(1).padStart(6)}  ${key}`)
  }
}

const files = process.argv.slice(2)
const isMain = (file: string) => /CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/u.test(file)
const main = files.filter(isMain)
const workers = files.filter((f) => !isMain(f))
if (main.length > 0) top("main thread", main)
if (workers.length > 0) top(main.length > 0 ? "\nworker threads" : "profiles", workers)
