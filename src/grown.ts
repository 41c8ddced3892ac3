/** Typed arrays that grow as they fill: the index, the encoders' columns, the tagger's buffers and the datasheet's histograms. */
export type Growable = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array

/**
 * `array`, or a copy of it with room for `length` items, at least twice as long. It sees every kind of
 * typed array, so its length check is slow: on a hot path, test the length at the call and call it
 * only when short.
 */
export const grown = <T extends Growable>(array: T, length: number): T => {
  if (length <= array.length) return array
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(length, array.length * 2))
  bigger.set(array)
  return bigger
}
