/**
 * One reply per turn: dialogs send as they go (an acknowledgement, then the next question), and
 * the resident receives as few messages as possible. {@link bufferTurn} collects what a turn
 * sends and {@link compact} joins plain notes into the message that follows them and drops a
 * text repeated within the turn, so "Đã nhận 3 ảnh" and "Sự việc ở đâu?" arrive as one message.
 */
import type { Outbound, Turn } from './types';

/** Longest text we build by joining (channels split longer texts into several messages). */
const JOIN_LIMIT = 1500;
/** Messenger button templates carry at most 640 characters; keep joined texts with buttons below. */
const JOIN_LIMIT_BUTTONS = 600;

function isPlain(m: Outbound): boolean {
  return !m.choices?.length && !m.link && !m.calls?.length && !m.images?.length;
}

/** Joins plain notes into the next message and drops repeated texts (see the module comment). */
export function compact(messages: readonly Outbound[]): Outbound[] {
  const out: Outbound[] = [];
  const seen = new Set<string>();
  for (const m of messages) {
    const key = m.text.trim();
    if (isPlain(m) && key !== '' && seen.has(key)) continue;
    if (key !== '') seen.add(key);
    const prev = out[out.length - 1];
    if (prev && isPlain(prev) && prev.text.trim() === key) {
      // The note says what the question says: keep the question only.
      out[out.length - 1] = m;
      continue;
    }
    if (prev && isPlain(prev) && !m.images?.length) {
      const limit = m.link || m.calls?.length ? JOIN_LIMIT_BUTTONS : JOIN_LIMIT;
      const text = prev.text.trim() === '' ? m.text : m.text.trim() === '' ? prev.text : `${prev.text}\n${m.text}`;
      if ([...text].length <= limit) {
        out[out.length - 1] = { ...m, text };
        continue;
      }
    }
    out.push(m);
  }
  return out;
}

/**
 * A view of `turn` whose `send` collects messages until {@link flush}. Anything that reaches the
 * platform another way (Zalo's contact form) flushes first, so the order is kept.
 */
export function bufferTurn(turn: Turn): { turn: Turn; flush(): Promise<void>; prepend(messages: readonly Outbound[]): void; pending(): number } {
  let pending: Outbound[] = [];
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const out = compact(pending);
    pending = [];
    await turn.send(out);
  };
  const view: Turn = {
    get channel() {
      return turn.channel;
    },
    get userId() {
      return turn.userId;
    },
    get resident() {
      return turn.resident;
    },
    get locale() {
      return turn.locale;
    },
    get input() {
      return turn.input;
    },
    get capabilities() {
      return turn.capabilities;
    },
    get state() {
      return turn.state;
    },
    setState: (patch) => turn.setState(patch),
    setLocale: (locale) => turn.setLocale(locale),
    send: async (messages) => {
      pending.push(...messages);
    },
    locationPickerUrl: () => turn.locationPickerUrl(),
    requestContactInfo: async (title, subtitle) => {
      await flush();
      await turn.requestContactInfo(title, subtitle);
    },
  };
  return {
    turn: view,
    flush,
    /** Puts messages before what the turn has sent so far (not yet flushed). */
    prepend: (messages) => {
      pending = [...messages, ...pending];
    },
    pending: () => pending.length,
  };
}
