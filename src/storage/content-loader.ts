/**
 * The one reader of `content/`: city profiles, the FAQ knowledge base, report categories and the
 * language model's examples. Files are read and parsed here; what they must contain is checked by
 * the pure builders in src/domain and src/nlu, so a broken file stops start-up with its name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseCityProfile, type CityProfile } from '../domain/city-profile';
import { buildKnowledgeBase, type KnowledgeBase } from '../domain/faq/knowledge-base';
import { categoriesFromRows, type Category } from '../domain/reports/categories';
import { parseCityRouting, routingFiles, type CityRouting } from '../domain/reports/city-routing';
import { validateIntentExamples, validateReportExamples, type TrainingData } from '../nlu/data';

/** `content/` at the repository root (and beside `src/` in a built `dist/`). */
export const CONTENT_DIR = path.resolve(__dirname, '../../content');

export interface Content {
  readonly city: CityProfile;
  readonly categories: readonly Category[];
  /** Short category names for buttons (`content/reports/category-labels.json`). */
  readonly categoryLabels: Readonly<Record<string, { vi: string; en: string }>>;
  readonly kb: KnowledgeBase;
  readonly training: TrainingData;
  /** Wards, ward areas, the ward × category → agency table (the report desk; canned replies are `city.cannedReplies`). */
  readonly routing: CityRouting;
}

export interface LoadContentOptions {
  /** The content folder (default {@link CONTENT_DIR}). */
  readonly dir?: string;
  /** A city profile name in `<dir>/cities/` or a path to a JSON file (default `hue`). */
  readonly city?: string;
  /** Accept a knowledge base with missing topics (development only). */
  readonly partial?: boolean;
}

/** Loads and validates everything under `content/`. */
export function loadContent(opts: LoadContentOptions = {}): Content {
  const dir = opts.dir ?? CONTENT_DIR;
  const city = loadCityProfile(opts.city ?? 'hue', dir);
  const categories = loadCategories(dir);
  const kb = loadKnowledgeBase(path.join(dir, 'faq'), { city, partial: opts.partial });
  const nluDir = path.join(dir, 'nlu');
  const reportsFile = path.join(nluDir, 'report-examples.json');
  const intentsFile = path.join(nluDir, 'intent-examples.json');
  const training: TrainingData = {
    kb,
    categories,
    reports: validateReportExamples(reportsFile, readJson(reportsFile), categories),
    intents: validateIntentExamples(intentsFile, readJson(intentsFile)),
  };
  const routing = loadCityRouting(opts.city ?? 'hue', dir, categories.map((c) => c.slug));
  return { city, categories, categoryLabels: loadCategoryLabels(dir), kb, training, routing };
}

/** The language model's training data (FAQ topics, categories, examples) from `content/`. */
export function loadTrainingData(opts: Omit<LoadContentOptions, 'city'> = {}): TrainingData {
  return loadContent(opts).training;
}

/** A city profile by name (`content/cities/<name>.json`) or by path to a JSON file. */
export function loadCityProfile(nameOrPath: string, dir: string = CONTENT_DIR): CityProfile {
  const file = cityProfileFile(nameOrPath, dir);
  return parseCityProfile(file, readJson(file));
}

function cityProfileFile(nameOrPath: string, dir: string): string {
  const file = nameOrPath.endsWith('.json') ? path.resolve(nameOrPath) : path.join(dir, 'cities', `${nameOrPath}.json`);
  if (!fs.existsSync(file)) throw new Error(`City profile ${file} not found; set CITY_PROFILE to a file in content/cities/`);
  return file;
}

// ── Report desk (issue 11): wards, ward areas and routing of the city profile ──
/**
 * The routing part of a city profile: its `wards.list` and `wards.polygons` files (beside the
 * profile) and its `routing` block; the category keys of `cannedReplies` are checked here too. A
 * profile without them routes nothing.
 */
export function loadCityRouting(nameOrPath: string, dir: string = CONTENT_DIR, categories: readonly string[] = loadCategories(dir).map((c) => c.slug)): CityRouting {
  const file = cityProfileFile(nameOrPath, dir);
  const raw = readJson(file);
  const files = routingFiles(raw);
  const beside = (name: string) => path.resolve(path.dirname(file), name);
  return parseCityRouting(file, raw, files.list ? readJson(beside(files.list)) : null, files.polygons ? readJson(beside(files.polygons)) : null, categories);
}
// ── end of the report desk's loader ──

export function loadCategories(dir: string = CONTENT_DIR): Category[] {
  const file = path.join(dir, 'reports', 'categories.tsv');
  return categoriesFromRows(file, readTsv(file));
}

function loadCategoryLabels(dir: string): Record<string, { vi: string; en: string }> {
  const raw = readJson(path.join(dir, 'reports', 'category-labels.json')) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith('_'))) as Record<string, { vi: string; en: string }>;
}

/** Reads `<faqDir>/topics.tsv` and every `<faqDir>/topics/*.json`, then validates them. */
export function loadKnowledgeBase(faqDir: string = path.join(CONTENT_DIR, 'faq'), opts: { city?: CityProfile; partial?: boolean } = {}): KnowledgeBase {
  const listed = readTsv(path.join(faqDir, 'topics.tsv')).map((r) => Object.values(r)[0] ?? '');
  const topicsDir = path.join(faqDir, 'topics');
  const names = fs.existsSync(topicsDir) ? fs.readdirSync(topicsDir).filter((f) => f.endsWith('.json')) : [];
  const files = names.map((name) => ({ name, text: fs.readFileSync(path.join(topicsDir, name), 'utf8') }));
  const city = opts.city ?? loadCityProfile(path.join(faqDir, '..', 'cities', 'hue.json'));
  return buildKnowledgeBase(faqDir, listed, files, { city, partial: opts.partial });
}

/** A TSV file with a header row, as records keyed by the header names. */
export function readTsv(file: string): Array<Record<string, string>> {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim());
  return lines.slice(1).map((l) => {
    const cells = l.split('\t');
    const rec: Record<string, string> = {};
    header.forEach((h, i) => {
      rec[h] = (cells[i] ?? '').trim();
    });
    return rec;
  });
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err: unknown) {
    throw new Error(`${file}: cannot read JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}
