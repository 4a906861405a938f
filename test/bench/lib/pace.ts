/**
 * A resident's pace in the full-turn suites: after a reply arrives, a resident reads it and types or
 * taps the next message. Drawn uniformly from 0.5–1.5 s (mean 1 s, quicker than people really read
 * and tap, so the load is on the heavy side); residents start at random moments within the first
 * second. Seeded per resident, so every run offers the same load.
 */
import { seededRandom } from '../../../src/domain/nlu/model';

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
