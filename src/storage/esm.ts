/**
 * Loads an ES module from CommonJS code. TypeScript would turn a literal `import()` into
 * `require()` under some settings; going through Function keeps it a real dynamic import.
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- see above
const dynamicImport = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<unknown>;

export function importEsm<T>(specifier: string): Promise<T> {
  return dynamicImport(specifier) as Promise<T>;
}
