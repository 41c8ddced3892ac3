/** Encodes text in Windows-1256 (the reverse of Node's decoder), for fixtures of legacy files. */
export const encodeWindows1256 = (text: string): Uint8Array => {
  const decoder = new TextDecoder("windows-1256")
  const table = new Map<string, number>()
  for (let b = 0; b < 256; b++) table.set(decoder.decode(new Uint8Array([b])), b)
  return new Uint8Array([...text].map((c) => {
    const b = table.get(c)
    if (b === undefined) throw new Error(`not in Windows-1256: ${c}`)
    return b
  }))
}
