/**
 * A fake Nominatim (the OpenStreetMap geocoder) on loopback with a small gazetteer of Huế
 * places, for tests and the simulator. `/search?q=` and `/reverse?lat=&lon=` in Nominatim's JSON shape.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fold } from '../../src/domain/shared/text';

export interface Place {
  readonly names: readonly string[];
  readonly lat: number;
  readonly lng: number;
  readonly display: string;
}

export const HUE_GAZETTEER: readonly Place[] = [
  { names: ['le loi', 'lê lợi'], lat: 16.4665, lng: 107.5905, display: 'Lê Lợi, Phường Thuận Hóa, Thành phố Huế' },
  { names: ['hung vuong', 'hùng vương'], lat: 16.4605, lng: 107.5985, display: 'Hùng Vương, Phường Thuận Hóa, Thành phố Huế' },
  { names: ['tran hung dao', 'trần hưng đạo'], lat: 16.4712, lng: 107.5880, display: 'Trần Hưng Đạo, Phường Phú Xuân, Thành phố Huế' },
  { names: ['phan dinh phung', 'phan đình phùng'], lat: 16.4598, lng: 107.5862, display: 'Phan Đình Phùng, Phường Thuận Hóa, Thành phố Huế' },
  { names: ['cho dong ba', 'chợ đông ba', 'dong ba'], lat: 16.4727, lng: 107.5883, display: 'Chợ Đông Ba, Phường Phú Xuân, Thành phố Huế' },
  { names: ['truong tien', 'trường tiền'], lat: 16.4681, lng: 107.5888, display: 'Cầu Trường Tiền, Thành phố Huế' },
  { names: ['dai noi', 'đại nội', 'kinh thanh', 'kinh thành'], lat: 16.4698, lng: 107.5786, display: 'Đại Nội, Phường Phú Xuân, Thành phố Huế' },
  { names: ['ba trieu', 'bà triệu'], lat: 16.4632, lng: 107.6032, display: 'Bà Triệu, Phường Vỹ Dạ, Thành phố Huế' },
  { names: ['nguyen hue', 'nguyễn huệ'], lat: 16.4617, lng: 107.5868, display: 'Nguyễn Huệ, Phường Thuận Hóa, Thành phố Huế' },
  { names: ['ben thanh', 'bến thành'], lat: 10.7725, lng: 106.6980, display: 'Phường Bến Thành, Thành phố Hồ Chí Minh' },
];



export class FakeNominatim {
  private server: http.Server | undefined;
  readonly queries: string[] = [];

  constructor(private readonly places: readonly Place[] = HUE_GAZETTEER) {}

  get url(): string {
    const a = this.server?.address() as AddressInfo | undefined;
    if (!a) throw new Error('FakeNominatim is not started');
    return `http://127.0.0.1:${a.port}`;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const send = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (u.pathname === '/search') {
        const q = fold(u.searchParams.get('q') ?? '');
        this.queries.push(q);
        const hits = this.places.filter((p) => p.names.some((n) => q.includes(fold(n))));
        return send(hits.map((p, i) => ({ place_id: i + 1, lat: String(p.lat), lon: String(p.lng), display_name: p.display, address: { road: p.display.split(',')[0], city: 'Huế', country: 'Việt Nam', country_code: 'vn' } })));
      }
      if (u.pathname === '/reverse') {
        const lat = Number(u.searchParams.get('lat'));
        const lng = Number(u.searchParams.get('lon'));
        let best: Place | undefined;
        let bestD = Infinity;
        for (const p of this.places) {
          const dd = (p.lat - lat) ** 2 + (p.lng - lng) ** 2;
          if (dd < bestD) {
            bestD = dd;
            best = p;
          }
        }
        if (!best || bestD > 0.0004) return send({ error: 'Unable to geocode' });
        return send({ place_id: 1, lat: String(lat), lon: String(lng), display_name: `Gần ${best.display}`, address: { road: best.display.split(',')[0], city: 'Huế', country: 'Việt Nam', country_code: 'vn' } });
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
