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
