/**
 * Loads an ES module from CommonJS code. TypeScript would turn a literal `import()` into
 * `require()` under some settings; going through Function keeps it a real dynamic import.
 */
const dynamicImport = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<unknown>;

export function importEsm<T>(specifier: string): Promise<T> {
  return dynamicImport(specifier) as Promise<T>;
}
