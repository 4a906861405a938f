import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderTopicText } from '../../../src/domain/faq/knowledge-base';
import { validateIntentExamples, validateReportExamples } from '../../../src/nlu/data';
import { CONTENT_DIR, loadCategories, loadCityProfile, loadKnowledgeBase, readTsv } from '../../../src/storage/content-loader';

const faqDir = path.join(CONTENT_DIR, 'faq');
const city = loadCityProfile('hue');
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));

/** A scratch copy of content/ that a test may break. */
function copyDialogs(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phananh-kb-'));
  fs.cpSync(path.join(CONTENT_DIR, 'faq'), path.join(dir, 'faq'), { recursive: true });
  fs.cpSync(path.join(CONTENT_DIR, 'cities'), path.join(dir, 'cities'), { recursive: true });
  return dir;
}

describe('FAQ knowledge base', () => {
  it('loads every topic listed in topics.tsv, validated, in the listed order', () => {
    const kb = loadKnowledgeBase();
    const listed = readTsv(path.join(faqDir, 'topics.tsv')).map((r) => r['topic']);
    expect(listed).toHaveLength(41);
    expect(kb.topics.map((t) => t.slug)).toEqual(listed);
    expect(kb.warnings).toEqual([]);
  });

  it('refuses a missing topic file and names the slug, but partial mode tolerates it', () => {
    const dir = copyDialogs();
    fs.rmSync(path.join(dir, 'faq', 'topics', 'ket-hon.json'));
    expect(() => loadKnowledgeBase(path.join(dir, 'faq'))).toThrow(/missing topic files.*ket-hon/);
    const partial = loadKnowledgeBase(path.join(dir, 'faq'), { partial: true });
    expect(partial.topics.map((t) => t.slug)).not.toContain('ket-hon');
    expect(partial.warnings.join(' ')).toMatch(/ket-hon/);
  });

  it('refuses a topic that is not listed in topics.tsv and names it', () => {
    const dir = copyDialogs();
    const entry = JSON.parse(fs.readFileSync(path.join(faqDir, 'topics', 'ket-hon.json'), 'utf8')) as { slug: string };
    entry.slug = 'nuoi-con-nuoi';
    fs.writeFileSync(path.join(dir, 'faq', 'topics', 'nuoi-con-nuoi.json'), JSON.stringify(entry));
    expect(() => loadKnowledgeBase(path.join(dir, 'faq'))).toThrow(/not listed in topics.tsv: nuoi-con-nuoi/);
  });

  it('refuses an unknown city placeholder at load time, naming the file and the placeholder', () => {
    const dir = copyDialogs();
    const file = path.join(dir, 'faq', 'topics', 'mot-cua.json');
    const entry = JSON.parse(fs.readFileSync(file, 'utf8')) as { short: { vi: string } };
    entry.short.vi = `${entry.short.vi} {{city.mayor}}`;
    fs.writeFileSync(file, JSON.stringify(entry));
    expect(() => loadKnowledgeBase(path.join(dir, 'faq'))).toThrow(/mot-cua\.json short\.vi: \{\{city\.mayor\}\}/);
  });

  it('refuses a related slug that does not exist', () => {
    const dir = copyDialogs();
    const file = path.join(dir, 'faq', 'topics', 'ket-hon.json');
    const entry = JSON.parse(fs.readFileSync(file, 'utf8')) as { related: string[] };
    entry.related = ['khong-ton-tai'];
    fs.writeFileSync(file, JSON.stringify(entry));
    expect(() => loadKnowledgeBase(path.join(dir, 'faq'))).toThrow(/related slug "khong-ton-tai"/);
  });

  it('fills city placeholders, choosing the locale of bilingual values', () => {
    expect(renderTopicText('Gọi {{city.hotline}} hoặc đến {{city.oneStop.address}}', city, 'vi')).toBe('Gọi 1022 hoặc đến 01 Lê Lai, phường Thuận Hóa, thành phố Huế');
    expect(renderTopicText('Welcome to {{ city.name }}: {{city.portal.city}}', city, 'en')).toBe('Welcome to Hue City: https://dichvucong.hue.gov.vn');
    expect(() => renderTopicText('{{city.nope}}', city, 'vi')).toThrow(/city profile has no "nope"/);
    expect(() => renderTopicText('{{city.serviceArea}}', city, 'vi')).toThrow(/not a string/);
  });

  it('every topic renders in both languages without a leftover placeholder', () => {
    for (const t of loadKnowledgeBase().topics) {
      for (const locale of ['vi', 'en'] as const) {
        expect(renderTopicText(t.short[locale], city, locale)).not.toMatch(/\{\{|\}\}/);
      }
    }
  });
});

describe('NLU example files', () => {
  const categories = loadCategories();

  it('have at least 25 Vietnamese and 8 English reports for each of the 14 categories', () => {
    const reports = validateReportExamples('report-examples.json', readJson(path.join(CONTENT_DIR, 'nlu', 'report-examples.json')), categories);
    expect(Object.keys(reports.categories).sort()).toEqual(categories.map((c) => c.slug).sort());
    expect(categories).toHaveLength(14);
    for (const c of Object.values(reports.categories)) {
      expect(c.vi.length).toBeGreaterThanOrEqual(25);
      expect(c.en.length).toBeGreaterThanOrEqual(8);
    }
  });

  it('have enough status, emergency, smalltalk and out-of-scope examples in both languages', () => {
    const intents = validateIntentExamples('intent-examples.json', readJson(path.join(CONTENT_DIR, 'nlu', 'intent-examples.json')));
    const count = (p: { vi: string[]; en: string[] }): number => p.vi.length + p.en.length;
    expect(count(intents.status)).toBeGreaterThanOrEqual(40);
    expect(count(intents.smalltalk)).toBeGreaterThanOrEqual(40);
    expect(count(intents.unknown)).toBeGreaterThanOrEqual(60);
    const emergency = Object.values(intents.emergency).reduce((n, p) => n + (p ? count(p) : 0), 0);
    expect(emergency).toBeGreaterThanOrEqual(60);
  });

  it('reject a file whose categories differ from categories.tsv, naming the difference', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phananh-nlu-'));
    const file = path.join(dir, 'report-examples.json');
    const data = JSON.parse(fs.readFileSync(path.join(CONTENT_DIR, 'nlu', 'report-examples.json'), 'utf8')) as { categories: Record<string, unknown> };
    data.categories['potholes'] = data.categories['road-damage'];
    delete data.categories['road-damage'];
    fs.writeFileSync(file, JSON.stringify(data));
    expect(() => validateReportExamples(file, readJson(file), categories)).toThrow(/missing: road-damage; unknown: potholes/);
  });
});
