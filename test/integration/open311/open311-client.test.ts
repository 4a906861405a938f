/**
 * An Open311 client written from the specification alone (nothing from src/ builds or reads its
 * messages): it talks real HTTP to the app on a loopback port with `fetch`, discovers the endpoint,
 * picks a service, files a request with a photo, follows it by token and by id, and reads the
 * city's answer when staff resolve it. Once in JSON, once in XML.
 */
import { listen } from '../../support/browser';
import { parseXml, record } from '../../support/mini-xml';
import { hostedPhoto, move, publicHarness, resolve, type PublicHarness } from '../../support/public-support';
import { apiKey } from '../../support/public-support';

type Fmt = 'json' | 'xml';
type Rec = Record<string, string>;

/** A GeoReport v2 client: form-encoded POSTs, JSON or XML answers, errors as thrown objects. */
class GeoReportClient {
  constructor(private readonly endpoint: string, private readonly fmt: Fmt, private readonly apiKey: string) {}

  static async discover(origin: string, fmt: Fmt): Promise<{ path: string; formats: string[] }> {
    const res = await fetch(`${origin}/open311/v2/discovery.${fmt}`);
    if (fmt === 'json') {
      const body = (await res.json()) as { endpoints: Array<{ url: string; specification: string; formats: string[] }> };
      const e = body.endpoints.find((x) => x.specification.endsWith('GeoReport_v2'))!;
      return { path: new URL(e.url).pathname, formats: e.formats };
    }
    const doc = parseXml(await res.text());
    const e = doc.children.find((c) => c.name === 'endpoints')!.children[0]!;
    return { path: new URL(record(e).url!).pathname, formats: e.children.find((c) => c.name === 'formats')!.children.map((f) => f.text) };
  }

  private async read(res: Response, root: string, item: string): Promise<Rec[]> {
    const text = await res.text();
    if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status, body: text });
    if (this.fmt === 'json') {
      return (JSON.parse(text) as Array<Record<string, unknown>>).map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === null ? '' : String(v)])));
    }
    const doc = parseXml(text);
    if (doc.name !== root) throw new Error(`expected <${root}>, got <${doc.name}>`);
    return doc.children.filter((c) => c.name === item).map(record);
  }

  async services(): Promise<Rec[]> {
    return this.read(await fetch(`${this.endpoint}/services.${this.fmt}`), 'services', 'service');
  }

  async create(fields: Record<string, string>): Promise<Rec> {
    const body = new URLSearchParams({ api_key: this.apiKey, ...fields });
    const res = await fetch(`${this.endpoint}/requests.${this.fmt}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    return (await this.read(res, 'service_requests', 'request'))[0]!;
  }

  async byToken(token: string): Promise<Rec> {
    return (await this.read(await fetch(`${this.endpoint}/tokens/${encodeURIComponent(token)}.${this.fmt}`), 'service_requests', 'request'))[0]!;
  }

  async request(id: string): Promise<Rec> {
    return (await this.read(await fetch(`${this.endpoint}/requests/${encodeURIComponent(id)}.${this.fmt}`), 'service_requests', 'request'))[0]!;
  }

  async updates(): Promise<Rec[]> {
    return this.read(await fetch(`${this.endpoint}/servicerequestupdates.${this.fmt}`), 'service_request_updates', 'request_update');
  }
}

let h: PublicHarness;
let server: { url: string; close(): Promise<void> };
let key: string;

beforeAll(async () => {
  h = await publicHarness();
  server = await listen(h.rt.app);
  key = (await apiKey(h, 'operator', { name: 'Hue-S app' })).key;
});
afterAll(async () => {
  await server?.close();
  await h?.close();
});

it.each<Fmt>(['json', 'xml'])('a third-party client files a request and follows it to its answer (%s)', async (fmt) => {
  const found = await GeoReportClient.discover(server.url, fmt);
  expect(found.formats).toContain(fmt === 'json' ? 'application/json' : 'text/xml');
  const client = new GeoReportClient(`${server.url}${found.path}`, fmt, key);

  const services = await client.services();
  const lights = services.find((s) => /chiếu sáng/i.test(s.service_name ?? ''))!;
  expect(lights.service_code).toBe('street-lights');

  const created = await client.create({
    service_code: lights.service_code!,
    lat: '16.4712',
    long: '107.588',
    description: `Đèn đường không sáng cả đoạn (${fmt})`,
    media_url: await hostedPhoto(h, fmt === 'json' ? 11 : 12),
    email: 'someone@example.com',
  });
  expect(created.service_request_id).toMatch(/^PA-/);
  expect((await client.byToken(created.token!)).service_request_id).toBe(created.service_request_id);

  const filed = await client.request(created.service_request_id!);
  expect(filed).toMatchObject({ status: 'open', service_code: 'street-lights', description: `Đèn đường không sáng cả đoạn (${fmt})`, status_notes: '' });
  const photo = await fetch(`${server.url}${new URL(filed.media_url!).pathname}`);
  expect(photo.headers.get('content-type')).toBe('image/jpeg');

  // The IOC answers in the console; the client sees it.
  await resolve(h, created.service_request_id!, 'Đã thay bóng đèn hỏng.');
  const answered = await client.request(created.service_request_id!);
  expect(answered).toMatchObject({ status: 'closed', status_notes: 'Đã thay bóng đèn hỏng.', agency_responsible: 'Sở Xây dựng' });
  const fixed = (await client.updates()).find((u) => u.service_request_id === created.service_request_id && u.status === 'fixed');
  expect(fixed).toMatchObject({ description: 'Đã thay bóng đèn hỏng.' });

  // A reopen shows as open again.
  await move(h, created.service_request_id!, { to: 'in_progress' });
  expect((await client.request(created.service_request_id!)).status).toBe('open');

  await expect(client.request('PA-ZZZZZZZ')).rejects.toMatchObject({ status: 404 });
});
