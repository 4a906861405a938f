/**
 * Broadcasts: (1) the before/after card per case from two 1600 px photos (`createCardRenderer`)
 * against a bare sharp composite of the same two photos; (2) one broadcast of 20 resolved cases to
 * 50 Zalo groups through the real app (createApplication on PostgreSQL) against the fake Zalo
 * OpenAPI, with the client's 4,000 requests/minute limit: time until every delivery is sent, and
 * posts per group (duplicates and losses).
 */
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { parseConfig } from '../../src/config';
import type { Actor } from '../../src/domain/staff/actor';
import { silentLogger } from '../../src/logger';
import { createApplication } from '../../src/main';
import { createCardRenderer } from '../../src/media/cards';
import { FsImageStore } from '../../src/media';
import { createDb } from '../../src/storage/db';
import { PgReportsRepo } from '../../src/storage/reports-repo';
import { FakeZaloApi } from '../../dev/fakes/fake-zalo-api';
import { BENCH_ZALO } from './lib/messenger';
import { ms, num, ratio, summarise } from './lib/stats';
import type { Suite, SuiteReport } from './lib/suite';

const CARDS = 20;
const CASES = 20;
const GROUPS = 50;
const CARD_TARGET_MS = 150;
const OPERATOR: Actor = { kind: 'staff', id: '1', role: 'operator', agencies: [], wards: [] };
const COMMS: Actor = { kind: 'staff', id: '2', role: 'communications', agencies: [], wards: [] };

const photo = (seed: number, w = 1600, h = 1200) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: (seed * 53) % 255, g: (seed * 97) % 255, b: (seed * 31) % 255 } } })
    .composite([{ input: Buffer.from(`<svg width="${w}" height="${h}"><circle cx="${w / 2}" cy="${h / 2}" r="${h / 3}" fill="#fff" opacity=".5"/></svg>`) }])
    .jpeg({ quality: 90 })
    .toBuffer();

export const broadcastSuite: Suite = {
  name: 'broadcast',
  title: 'Broadcasts: card rendering, and 20 cases to 50 Zalo groups',
  async run(ctx): Promise<SuiteReport> {
    // 1. Cards.
    const store = new FsImageStore(ctx.tmpDir('cards'));
    await store.put('a'.repeat(64) + '.jpg', await photo(1), 'image/jpeg');
    await store.put('b'.repeat(64) + '.jpg', await photo(2, 1200, 1600), 'image/jpeg');
    const renderer = createCardRenderer(store, { cityName: { vi: 'Thành phố Huế', en: 'Hue City' }, color: '#0068ff' });
    const input = (i: number) => ({ beforeKey: 'a'.repeat(64) + '.jpg', afterKey: 'b'.repeat(64) + '.jpg', category: 'Hư hỏng đường, vỉa hè, cầu', place: `Lê Lợi ${i}, phường Vỹ Dạ`, filedOn: '01/12/2026', resolvedOn: '04/12/2026', days: 3, code: 'PA-7K2M9QX', locale: 'vi' as const });
    const warm = performance.now();
    await renderer.renderCase(input(0));
    const warmMs = performance.now() - warm;
    const cardMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < CARDS; i++) {
      let t0 = performance.now();
      await renderer.renderCase(input(i));
      cardMs.push(performance.now() - t0);
      t0 = performance.now();
      // Baseline: the same two photos resized and placed side by side, nothing else.
      const [a, b] = await Promise.all([(await store.get('a'.repeat(64) + '.jpg'))!.data, (await store.get('b'.repeat(64) + '.jpg'))!.data].map((x) => sharp(x).resize(552, 414, { fit: 'cover' }).jpeg().toBuffer()));
      await sharp({ create: { width: 1200, height: 714, channels: 3, background: '#fff' } }).composite([{ input: a!, left: 32, top: 128 }, { input: b!, left: 616, top: 128 }]).jpeg().toBuffer();
      bareMs.push(performance.now() - t0);
    }
    const card = summarise(cardMs);
    const bare = summarise(bareMs);
    ctx.log(`card p50 ${ms(card.p50)} p99 ${ms(card.p99)} (bare ${ms(bare.p50)})`);

    // 2. A broadcast of 20 cases to 50 groups.
    const zalo = new FakeZaloApi({ appId: BENCH_ZALO.appId, appSecret: BENCH_ZALO.appSecret, refreshToken: BENCH_ZALO.refreshToken });
    await zalo.start();
    ctx.defer(() => zalo.stop());
    for (let g = 0; g < GROUPS; g++) zalo.addGroup({ groupId: `group-${g}`, name: `Nhóm ${g}`, members: 50 + g });
    const database = await ctx.database('broadcast');
    const db = createDb(database.url, 10);
    ctx.defer(() => db.close());
    const config = parseConfig({
      ZALO_APP_ID: BENCH_ZALO.appId,
      ZALO_APP_SECRET: BENCH_ZALO.appSecret,
      ZALO_OA_ID: BENCH_ZALO.oaId,
      ZALO_OA_SECRET_KEY: BENCH_ZALO.oaSecretKey,
      ZALO_REFRESH_TOKEN: BENCH_ZALO.refreshToken,
      ZALO_API_URL: zalo.url,
      ZALO_OAUTH_URL: zalo.url,
      DATA_DIR: ctx.tmpDir('broadcast-data'),
      LOG_LEVEL: 'silent',
    });
    const app = createApplication({ config, db, logger: silentLogger });
    await app.start();
    ctx.defer(() => app.stop());
    const uc = app.useCases;
    ctx.log(`making ${CASES} resolved cases`);
    const residents = app.residents;
    const reportsRepo = new PgReportsRepo(db);
    const codes: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const r = await residents.touch('zalo', `76000000000000${String(i).padStart(5, '0')}`, new Date());
      const before = await uc.recordPhoto.fromBytes(await photo(10 + i));
      const report = await reportsRepo.submit(
        { residentId: r.id, channel: 'zalo', category: 'road-damage', description: 'Ổ gà lớn giữa đường', locale: 'vi', place: { lat: 16.46, lng: 107.59, address: `${i + 1} Lê Lợi, phường Vỹ Dạ`, source: 'platform' }, photos: [before], ward: null, createdAt: new Date(Date.now() - 4 * 86_400_000), dueAt: new Date() },
      );
      await uc.changeStatus.execute(report.code, { to: 'assigned', agency: 'so-xay-dung' }, OPERATOR);
      await uc.changeStatus.execute(report.code, { to: 'in_progress' }, OPERATOR);
      const after = await uc.recordPhoto.fromBytes(await photo(100 + i));
      await uc.changeStatus.execute(report.code, { to: 'resolved', note: 'Đã vá mặt đường.', photoIds: [after.key] }, OPERATOR);
      codes.push(report.code);
    }
    // Only redacted copies are broadcast: wait for the face detector's jobs on every photo.
    ctx.log('waiting for the face detector on every photo');
    for (const deadline = Date.now() + 10 * 60_000; ; ) {
      const left = Number((await db.query("SELECT count(*) AS n FROM report_photos p LEFT JOIN photo_redactions x ON x.media_key = p.media_key WHERE x.detected_at IS NULL")).rows[0]?.n ?? 0);
      if (left === 0) break;
      if (Date.now() > deadline) throw new Error(`${left} photos still wait for face detection after 10 minutes`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const targets = (await uc.broadcasts.syncTargets()).map((t) => t.id);
    let t0 = performance.now();
    const composed = await uc.broadcasts.compose({ reports: codes, targets }, COMMS);
    const composeMs = performance.now() - t0;
    ctx.log(`composed in ${ms(composeMs)}; approving to ${targets.length} groups`);
    t0 = performance.now();
    await uc.broadcasts.approve(composed.broadcast.id, COMMS);
    for (;;) {
      const b = await uc.broadcasts.get(composed.broadcast.id);
      if (b.deliveries.every((d) => d.state !== 'pending' && d.state !== 'sending' && d.state !== 'uncertain')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const deliverMs = performance.now() - t0;
    const final = await uc.broadcasts.get(composed.broadcast.id);
    const sent = final.deliveries.filter((d) => d.state === 'sent').length;
    const perGroup = Array.from({ length: GROUPS }, (_, g) => zalo.groupMessages(`group-${g}`).length);
    const duplicates = perGroup.reduce((n, x) => n + Math.max(0, x - CASES), 0);
    const losses = perGroup.reduce((n, x) => n + Math.max(0, CASES - x), 0);
    const calls = zalo.calls().length;
    ctx.log(`delivered in ${ms(deliverMs)}: ${sent}/${GROUPS} sent, ${duplicates} duplicates, ${losses} losses, ${calls} OpenAPI calls`);

    return {
      method:
        `**Cards**: \`createCardRenderer\` (src/media/cards.ts) draws a 1200 px before/after card from two 1600 px JPEGs in the image store ` +
        `(resize both, header, labels, three text lines with the shipped Be Vietnam Pro font, JPEG); one warm-up, then ${CARDS} cards one at a time. ` +
        'Baseline in the same run: the same two photos resized and composited side by side with sharp, no text. ' +
        `**Broadcast**: the real app (createApplication on PostgreSQL, the jobs module) against the fake Zalo OpenAPI with ${GROUPS} groups; ` +
        `${CASES} resolved cases are composed into one broadcast (${CASES} cards) and approved to all ${GROUPS} groups; each delivery uploads ` +
        `and posts ${CASES} images (the last one with the caption), through the Zalo client's token bucket (4,000 requests/minute). Time from approval ` +
        'until no delivery is pending, sending or uncertain; posts counted per group at the fake.',
      tables: [
        {
          columns: ['Measure', 'n', 'p50', 'p99', 'mean', 'max'],
          rows: [
            ['card per case (two 1600 px photos)', String(card.n), ms(card.p50), ms(card.p99), ms(card.mean), ms(card.max)],
            ['bare sharp composite (baseline)', String(bare.n), ms(bare.p50), ms(bare.p99), ms(bare.mean), ms(bare.max)],
            ['card ÷ baseline', '', ratio(card.p50 / bare.p50), ratio(card.p99 / bare.p99), '', ''],
          ],
        },
        {
          columns: ['Broadcast', 'value'],
          rows: [
            ['compose (20 cards + caption + draft)', ms(composeMs)],
            [`deliver to ${GROUPS} groups × ${CASES} images`, ms(deliverMs)],
            ['deliveries sent', `${sent}/${GROUPS}`],
            ['duplicate posts', String(duplicates)],
            ['lost posts', String(losses)],
            ['OpenAPI calls (uploads, posts, syncs)', num(calls)],
          ],
        },
      ],
      targets: [
        { label: 'card rendering per case, p99', target: `≤ ${CARD_TARGET_MS} ms`, measured: ms(card.p99), pass: card.p99 <= CARD_TARGET_MS },
        { label: 'broadcast 20 cases × 50 groups: duplicates and losses', target: '0 and 0', measured: `${duplicates} and ${losses}`, pass: duplicates === 0 && losses === 0 && sent === GROUPS },
      ],
      notes: [
        `The first card took ${ms(warmMs)} (font loading and the fixed parts, drawn once per language and reused).`,
        `Delivering is bound by the Zalo client's rate limit: ${num(calls)} calls at most 4,000 a minute.`,
      ],
    };
  },
};
