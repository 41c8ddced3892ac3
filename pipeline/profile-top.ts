/**
 * The top of a V8 CPU profile (`node --cpu-prof`) by self time: `profile-top.ts <file.cpuprofile>...`.
 * Several files (main thread and workers) are summed.
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
const selfMs = new Map<string, number>()
let totalMs = 0
for (const file of process.argv.slice(2)) {
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
console.log(`total ${(totalMs / 1000).toFixed(1)} s sampled`)
console.log("  self s      %  function")
for (const [key, ms] of [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
  console.log(`${(ms / 1000).toFixed(2).padStart(7)} ${((100 * ms) / totalMs).toFixed(1).padStart(6)}  ${key}`)
}
