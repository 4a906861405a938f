/**
 * Counts signed webhook requests in flight, so the inbox worker can tell when acknowledging is the
 * bottleneck. Platforms retry (and eventually disable) webhooks that answer slowly, while a turn
 * that starts a little later harms nobody; so while the webhook endpoints are saturated the worker
 * paces the turns it starts (see `InboxWorker`), and catches up when the burst is over.
 */
import { performance } from 'node:perf_hooks';
import type { Response } from 'express';

export class IngressGauge {
  private n = 0;
  private lastBusy = Number.NEGATIVE_INFINITY;

  /**
   * @param busyAt requests in flight from which the endpoints count as saturated.
   * @param holdMs how long they still count as saturated after the count last reached `busyAt`
   *   (a burst makes the count swing around the threshold; without this the worker would start a
   *   flood of turns at every dip).
   */
  constructor(readonly busyAt = 8, readonly holdMs = 250) {}

  get inFlight(): number {
    return this.n;
  }

  get busy(): boolean {
    return this.n >= this.busyAt || performance.now() - this.lastBusy < this.holdMs;
  }

  /**
   * Counts one signed webhook request until its response is finished or aborted. Called by the
   * webhook routes after the signature check, so unsigned or slow-to-upload requests (anyone can
   * send those) cannot make the endpoints look saturated.
   */
  track(res: Pick<Response, 'once'>): void {
    this.n++;
    if (this.n >= this.busyAt) this.lastBusy = performance.now();
    let done = false;
    const leave = () => {
      if (done) return;
      done = true;
      this.n--;
    };
    res.once('finish', leave);
    res.once('close', leave);
  }
}
