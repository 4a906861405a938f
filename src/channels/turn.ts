/**
 * Builds the channel-independent {@link Turn} that dialogs see from a Bottender context.
 */
import type { Context } from 'bottender';
import type { ChannelCapabilities, Inbound, Outbound, Turn } from '../../dialogs/types';
import { parseState, type ConversationState } from '../../dialogs/state';
import type { Resident, ResidentsRepo } from '../domain/reports/ports';
import type { Channel, Locale } from '../domain/shared/ids';

export interface TurnParts {
  readonly channel: Channel;
  readonly userId: string;
  readonly input: Inbound;
  readonly resident: Resident;
  readonly capabilities: ChannelCapabilities;
  readonly residents: ResidentsRepo;
  readonly send: (messages: readonly Outbound[], locale: Locale) => Promise<void>;
  readonly locationPickerUrl: (locale: Locale) => string;
  readonly requestContactInfo?: (title: string, subtitle: string) => Promise<void>;
}

export function buildTurn(context: Pick<Context, 'state' | 'setState'>, p: TurnParts): Turn {
  const parsed = parseState(context.state);
  let state: ConversationState = parsed.state;
  if (parsed.reset) context.setState({ ...state } as never);
  let locale: Locale = p.resident.locale;
  return {
    channel: p.channel,
    userId: p.userId,
    resident: p.resident,
    get locale() {
      return locale;
    },
    input: p.input,
    capabilities: p.capabilities,
    get state() {
      return state;
    },
    setState(patch) {
      state = { ...state, ...patch };
      context.setState(patch as never);
    },
    async setLocale(l) {
      locale = l;
      await p.residents.setLocale(p.resident.id, l);
    },
    send: (messages) => p.send(messages, locale),
    locationPickerUrl: () => p.locationPickerUrl(locale),
    requestContactInfo: p.requestContactInfo ?? (async () => undefined),
  };
}

/** Splits text into chunks of at most `max` characters, preferring paragraph, line, sentence, then word boundaries. */
export function splitText(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text.normalize('NFC');
  while ([...rest].length > max) {
    const chars = [...rest];
    const head = chars.slice(0, max).join('');
    let cut = -1;
    for (const sep of ['\n\n', '\n', '. ', ' ']) {
      const i = head.lastIndexOf(sep);
      if (i > max * 0.5) {
        cut = i + sep.length;
        break;
      }
    }
    if (cut <= 0) cut = head.length;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) out.push(rest);
  return out;
}

/** Shortens a button title to `max` characters with an ellipsis. */
export function shorten(title: string, max: number): string {
  const chars = [...title];
  return chars.length <= max ? title : `${chars.slice(0, max - 1).join('')}…`;
}
