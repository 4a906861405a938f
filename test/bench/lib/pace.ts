/**
 * A resident's pace in the full-turn suites: after a reply arrives, a resident reads it and types or
 * taps the next message. Drawn uniformly from 0.5–1.5 s (mean 1 s, quicker than people really read
 * and tap, so the load is on the heavy side); residents start at random moments within the first
 * second. Seeded per resident, so every run offers the same load.
 */
import { seededRandom } from '../../../src/nlu/model';

export const THINK_MIN_MS = 500;
export const THINK_MAX_MS = 1500;
export const START_SPREAD_MS = 1000;

const sleep = (msec: number) => new Promise<void>((r) => setTimeout(r, msec));

/** Waits like resident `resident` would before message `index` (index 0: the random start). */
export function residentPace(resident: number): (index: number) => Promise<void> {
  const rnd = seededRandom(1000 + resident);
  return (index) => sleep(index === 0 ? rnd() * START_SPREAD_MS : THINK_MIN_MS + rnd() * (THINK_MAX_MS - THINK_MIN_MS));
}

/** How the method sections describe the pace. */
export const PACE_TEXT =
  `after each reply a resident waits ${THINK_MIN_MS / 1000}–${THINK_MAX_MS / 1000} s (uniform, seeded; mean 1 s, quicker than ` +
  `people read and tap) before the next message, and the residents start at random moments within the first ` +
  `${START_SPREAD_MS / 1000} s, so about 50 turns per second arrive at random`;

/** One measured turn: POST start → reply at the fake, and POST start → 200. */
export interface TurnTiming {
  readonly turnMs: number;
  readonly ackMs: number;
}

export interface TurnSample extends TurnTiming {
  readonly resident: number;
  /** Index of the turn within its phase (0 = the resident's first turn of the phase). */
  readonly index: number;
}

/**
 * Drives residents who each send `count` messages one after another (the next once the reply to the
 * previous one arrived; `turn` returns null when it did not), all residents at once. `paced`: each
 * waits as {@link residentPace} says; otherwise not at all.
 */
export function residentsDriver(turn: (resident: number, index: number) => Promise<TurnTiming | null>) {
  const conversation = async (resident: number, count: number, paced: boolean): Promise<TurnSample[]> => {
    const out: TurnSample[] = [];
    const pause = residentPace(resident);
    for (let index = 0; index < count; index++) {
      if (paced) await pause(index);
      const s = await turn(resident, index);
      if (s) out.push({ resident, index, ...s });
    }
    return out;
  };
  return (residents: number, count: number, paced = false): Promise<TurnSample[]> =>
    Promise.all(Array.from({ length: residents }, (_, r) => conversation(r, count, paced))).then((xs) => xs.flat());
}
