/**
 * What one conversation turn says and whether it failed, collected while it runs (async-local), so
 * the inbox can record the replies in the turn's transaction and send them only after the commit,
 * and can see a failure that Bottender would otherwise swallow.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { OutboundOp } from '../storage/outbox-repo';

export interface TurnOutput {
  readonly channel: string;
  readonly userId: string;
  readonly op: OutboundOp;
}

export interface TurnContext {
  readonly output: TurnOutput[];
  failure: unknown;
}

const storage = new AsyncLocalStorage<TurnContext>();

/** Runs a turn; what it says and whether it failed are in the returned context. */
export async function runTurn(fn: () => Promise<void>): Promise<TurnContext> {
  const ctx: TurnContext = { output: [], failure: undefined };
  await storage.run(ctx, fn);
  return ctx;
}

/**
 * Records what the turn says; false outside a turn (then the caller sends at once). Messages are
 * recorded one by one: each is marked sent as soon as the platform takes it, so a process that
 * dies half-way through a reply resends only what was not yet taken.
 */
export function recordTurnOutput(out: TurnOutput): boolean {
  const ctx = storage.getStore();
  if (!ctx) return false;
  if (out.op.kind === 'messages' && out.op.messages.length > 1) {
    for (const m of out.op.messages) ctx.output.push({ ...out, op: { ...out.op, messages: [m] } });
  } else {
    ctx.output.push(out);
  }
  return true;
}

/** Marks the running turn as failed (its changes are rolled back and it is retried). */
export function failTurn(err: unknown): boolean {
  const ctx = storage.getStore();
  if (!ctx) return false;
  ctx.failure ??= err;
  return true;
}
