/**
 * Soak: the app's memory over 10 minutes of steady traffic. Residents talk to the bot at a
 * resident's pace the whole time — whole reports with a photo and a location pin, questions, "my
 * reports" — while the runner samples the app process's RSS and its heap after a full collection.
 * A leak shows as a trend: the suite fits a line through the samples after the warm-up minute.
 *
 * BENCH_SOAK_MINUTES shortens or lengthens the run (default 10).
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import sharp from 'sharp';
import { startHost } from './lib/host';
import { keepAliveAgent, post } from './lib/http-load';
import { benchWebhooks, prepared, startFakes } from './lib/messenger';
import { residentPace } from './lib/pace';
import { mb, ms, num, summarise } from './lib/stats';
import type { Suite, SuiteReport } from './lib/suite';

const RESIDENTS = 12;
const SAMPLE_EVERY_MS = 10_000;
const WARM_UP_MS = 60_000;
const REPLY_TIMEOUT_MS = 15_000;
/** "No growth trend": RSS may not climb faster than this once warm (1 MB/min = 10 MB over the run). */
const RSS_SLOPE_TARGET_MB_PER_MIN = 1;
const HUE = { lat: 16.4637, lng: 107.5909 };

interface MemorySample {
  readonly atMs: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
}

/** Least-squares slope in bytes per minute. */
function slopePerMinute(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxx === 0 ? 0 : (sxy / sxx) * 60_000;
}

/** A 1600×1200 photo with real-looking detail (so JPEG sizes and decoding cost are realistic). */
async function photo(seed: number): Promise<Buffer> {
  const w = 400;
  const h = 300;
  const raw = Buffer.alloc(w * h * 3);
  let x = seed * 2654435761;
  for (let i = 0; i < raw.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    raw[i] = ((i % (w * 3)) / 6 + (x >>> 26)) & 255;
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } }).resize(1600, 1200).jpeg({ quality: 85 }).toBuffer();
}

export const soakSuite: Suite = {
  name: 'soak',
  title: 'Soak: memory over 10 minutes of steady traffic',
  async run(ctx): Promise<SuiteReport> {
    const minutes = Number(process.env.BENCH_SOAK_MINUTES ?? '10');
    if (!Number.isFinite(minutes) || minutes < 2) throw new Error('BENCH_SOAK_MINUTES must be a number ≥ 2');
    const durationMs = minutes * 60_000;
    const db = await ctx.database('soak');
    const fakes = await startFakes(ctx);
    const photos = await Promise.all([1, 2, 3, 4].map(async (s) => fakes.graph.hostFile(await photo(s), 'image/jpeg')));
    const graphHost = new URL(fakes.graph.url).host;
    const app = await startHost('soak', 'app-host.ts', {
      log: ctx.log,
      env: { ...fakes.appHostEnv(db.url), BENCH_MEDIA_FETCH_ALLOW: graphHost },
      nodeFlags: ['--expose-gc'],
    });
    ctx.defer(() => app.stop());
    const port = app.info.port!;
    const agent = keepAliveAgent(RESIDENTS);
    ctx.defer(() => agent.destroy());

    // Replies per resident, counted from the fake's records (a turn may answer with more than one message).
    let cursor = 0;
    const seen = new Map<string, number>();
    const poll = setInterval(() => {
      const records = fakes.graph.sentMessageRecords();
      for (; cursor < records.length; cursor++) {
        const psid = records[cursor]!.psid;
        seen.set(psid, (seen.get(psid) ?? 0) + 1);
      }
    }, 5);
    ctx.defer(() => clearInterval(poll));
    const waitForReply = async (psid: string, before: number): Promise<boolean> => {
      const deadline = Date.now() + REPLY_TIMEOUT_MS;
      while (Date.now() < deadline) {
        if ((seen.get(psid) ?? 0) > before) return true;
        await new Promise((r) => setTimeout(r, 10));
      }
      return false;
    };

    /** One resident's round: a whole report, a question, their reports. */
    const round = (psid: string, k: number) => [
      benchWebhooks.postback({ psid, payload: 'REPORT_START' }),
      benchWebhooks.text({ psid, text: `Ổ gà lớn trước chợ, xe máy dễ té (lần ${k})` }),
      benchWebhooks.image({ psid, urls: [photos[k % photos.length]!] }),
      benchWebhooks.location({ psid, lat: HUE.lat + (k % 50) * 0.0002, lng: HUE.lng + (k % 37) * 0.0002 }),
      benchWebhooks.quickReply({ psid, text: 'Đúng vị trí', payload: 'LOCATION_CONFIRM' }),
      benchWebhooks.quickReply({ psid, text: 'Đường, vỉa hè hư', payload: 'CATEGORY:road-damage' }),
      benchWebhooks.quickReply({ psid, text: 'Gửi', payload: 'REPORT_CONFIRM' }),
      benchWebhooks.text({ psid, text: k % 2 === 0 ? 'lam can cuoc cong dan o dau' : 'giờ làm việc của bộ phận một cửa' }),
      benchWebhooks.text({ psid, text: 'Báo cáo của tôi' }),
    ];

    const turnMs: number[] = [];
    let turns = 0;
    let timeouts = 0;
    let badAcks = 0;
    const t0 = performance.now();
    const until = t0 + durationMs;
    const resident = async (r: number): Promise<void> => {
      const psid = `soak-${r}`;
      const pause = residentPace(r);
      let index = 0;
      for (let k = 0; performance.now() < until; k++) {
        for (const req of round(psid, k)) {
          if (performance.now() >= until) return;
          await pause(index++);
          const before = seen.get(psid) ?? 0;
          const start = performance.now();
          const ack = await post(agent, port, prepared(req));
          if (ack.status !== 200) badAcks++;
          if (await waitForReply(psid, before)) turnMs.push(performance.now() - start);
          else timeouts++;
          turns++;
        }
      }
    };

    const samples: MemorySample[] = [];
    const sample = async () => {
      const m = await app.call<{ rss: number; heapUsed: number; external: number; collected: boolean }>('memory');
      if (!m.collected) throw new Error('the soak host must run with --expose-gc');
      samples.push({ atMs: performance.now() - t0, rss: m.rss, heapUsed: m.heapUsed, external: m.external });
      ctx.log(`${num((performance.now() - t0) / 1000)} s: RSS ${mb(m.rss)}, heap ${mb(m.heapUsed)}, ${turns} turns`);
    };
    const idle = await app.call<{ rss: number; heapUsed: number }>('memory');
    ctx.log(`soak: ${RESIDENTS} residents for ${minutes} min; idle RSS ${mb(idle.rss)}`);
    const sampler = (async () => {
      while (performance.now() < until) {
        await new Promise((r) => setTimeout(r, Math.min(SAMPLE_EVERY_MS, Math.max(0, until - performance.now()))));
        await sample();
      }
    })();
    await Promise.all([...Array.from({ length: RESIDENTS }, (_, r) => resident(r)), sampler]);
    const wallMs = performance.now() - t0;
    const drain = await app.call<{ counts: Record<string, number> }>('drain');
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const reports = await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM reports').finally(() => pg.end());
    const usage = await app.call<{ maxRssBytes: number }>('usage');
    await app.stop();

    const warm = samples.filter((s) => s.atMs >= WARM_UP_MS);
    const rssSlope = slopePerMinute(warm.map((s) => ({ x: s.atMs, y: s.rss })));
    const heapSlope = slopePerMinute(warm.map((s) => ({ x: s.atMs, y: s.heapUsed })));
    const first = warm[0];
    const last = samples.at(-1);
    const turnsSummary = summarise(turnMs);
    const perSecond = (turns * 1000) / wallMs;
    const rows = samples
      .filter((_, i) => (i + 1) % 6 === 0 || i === samples.length - 1)
      .map((s) => [`${num(s.atMs / 60_000, 1)} min`, mb(s.rss), mb(s.heapUsed), mb(s.external)]);

    return {
      method:
        `${RESIDENTS} Messenger residents talk to the app (wired as in \`src/main.ts\`, in a child process, real PostgreSQL, the ` +
        `fakes on loopback) for ${minutes} minutes without a break, each at a resident's pace (0.5–1.5 s between a reply and ` +
        'the next message). Each round is a whole report (start, description, a 1600×1200 photo downloaded from the fake ' +
        'Graph API and run through the photo pipeline, a location pin, confirm, category, send), one question typed without ' +
        `diacritics and "Báo cáo của tôi". Every ${SAMPLE_EVERY_MS / 1000} s the runner asks the app for its RSS and, after a ` +
        'full garbage collection (`--expose-gc`), its heap. The trend is the least-squares slope through the samples after ' +
        `the first ${WARM_UP_MS / 60_000} minute (warm-up: caches, pools, the model, JIT). The baseline is the same process idle ` +
        'right after start.',
      tables: [
        {
          columns: ['', 'value'],
          rows: [
            ['turns', `${num(turns)} (${num(perSecond, 1)}/s); reports filed ${num(reports.rows[0]!.n)}`],
            ['turn latency (POST → first reply) p50 / p99', `${ms(turnsSummary.p50)} / ${ms(turnsSummary.p99)}`],
            ['idle RSS after start (baseline)', mb(idle.rss)],
            [`RSS at ${num(WARM_UP_MS / 60_000)} min → end`, `${first ? mb(first.rss) : 'n/a'} → ${last ? mb(last.rss) : 'n/a'}`],
            ['RSS at end ÷ idle', last ? `${(last.rss / idle.rss).toFixed(2)}×` : 'n/a'],
            ['RSS trend after warm-up', `${(rssSlope / 1e6).toFixed(2)} MB/min`],
            ['heap after GC trend after warm-up', `${(heapSlope / 1e6).toFixed(2)} MB/min`],
            ['peak RSS', mb(usage.maxRssBytes)],
          ],
        },
        { title: 'Samples (every minute)', columns: ['time', 'RSS', 'heap after GC', 'external'], rows },
      ],
      targets: [
        {
          label: `RSS growth over ${minutes} minutes of steady traffic (trend after warm-up)`,
          target: `no growth trend (≤ ${RSS_SLOPE_TARGET_MB_PER_MIN} MB/min)`,
          measured: `${(rssSlope / 1e6).toFixed(2)} MB/min`,
          pass: rssSlope / 1e6 <= RSS_SLOPE_TARGET_MB_PER_MIN && timeouts === 0,
        },
      ],
      notes: [
        `Replies not seen within ${REPLY_TIMEOUT_MS / 1000} s: ${timeouts}; non-200 acks: ${badAcks}. Inbox at the end: ${JSON.stringify(drain.counts)}.`,
        'The heap trend is the leak signal (what survives a full collection); RSS also holds memory the allocator keeps for reuse (sharp/libvips, glibc arenas), which levels off rather than climbing.',
      ],
    };
  },
};
