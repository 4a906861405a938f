/**
 * PLACEHOLDER: Zalo OA webhook ack and full-turn figures. Not measured yet; the Zalo channel is
 * being built. Whoever adds it: fill in {@link measureZalo} and keep the suite name, so the section
 * and the `--only zalo` switch stay stable.
 *
 * Suggested shape, mirroring the Messenger suites:
 * - ack: a bare express endpoint checking `X-ZEvent-Signature` (`mac=` SHA-256 of appId + raw body
 *   + timestamp + OA secret key, constant-time compare) in a host like hosts/bare-host.ts, against
 *   the app's POST /webhooks/zalo in hosts/app-host.ts; signed events from
 *   test/fakes/zalo-webhooks.ts (`userSendText`), each from a new user with a new msg id;
 *   `closedLoop` from lib/http-load.ts; report throughput, p50/p99 and app ÷ bare.
 * - full turns: like messenger-turns.bench.ts, with replies recorded by test/fakes/fake-zalo-api.ts.
 */
import type { BenchContext } from './lib/context';
import type { Suite, SuiteReport } from './lib/suite';

/** TODO(zalo): measure Zalo acks and full turns here; return tables and targets like messenger-ack. */
export async function measureZalo(_ctx: BenchContext): Promise<SuiteReport> {
  return {
    pending: true,
    method: '_Not measured yet._ Zalo OA webhook ack throughput and p50/p99 (app vs a bare `X-ZEvent-Signature` endpoint) and full-turn latency (event → reply recorded at the fake Zalo OA API) will be added here by the Zalo channel work (`measureZalo` in `test/bench/zalo.bench.ts`).',
    tables: [],
    targets: [],
    notes: [],
  };
}

export const zaloSuite: Suite = {
  name: 'zalo',
  title: 'Zalo OA webhook ack and full turns',
  run: measureZalo,
};
