import { encodeSingleByte } from "../src/normalize.js"

/** Encodes text in Windows-1256, for fixtures of legacy files. */
export const encodeWindows1256 = (text: string): Uint8Array => {
  const bytes = encodeSingleByte("windows-1256", text)
  if (bytes === null) throw new Error(`not all in Windows-1256: ${text}`)
  return bytes
}
