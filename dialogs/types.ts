/**
 * What dialogs see of a turn, independent of the channel. Channel adapters (src/channels/*) build a
 * {@link Turn} from a Bottender context and render {@link Outbound} messages for their platform.
 */
import type { Channel, Locale } from '../src/domain/shared/ids';
import type { Resident } from '../src/domain/reports/ports';
import type { Inbound, OutboundMessage } from '../src/domain/messages';
import type { ConversationState } from './state';

export type { Choice, Inbound } from '../src/domain/messages';

/** One message of a reply; see {@link OutboundMessage}. */
export type Outbound = OutboundMessage;

export interface ChannelCapabilities {
  /** How many choices one message can carry (Messenger quick replies: 13; Zalo list buttons: 5). */
  readonly maxChoices: number;
  /** The platform lets residents share a location natively (Zalo). */
  readonly nativeLocation: boolean;
  /** The platform can ask for the resident's phone with their consent (Zalo request_user_info). */
  readonly contactRequest: boolean;
}

export interface Turn {
  readonly channel: Channel;
  readonly userId: string;
  readonly resident: Resident;
  readonly locale: Locale;
  readonly input: Inbound;
  readonly capabilities: ChannelCapabilities;
  readonly state: ConversationState;
  setState(patch: Partial<ConversationState>): void;
  setLocale(locale: Locale): Promise<void>;
  send(messages: readonly Outbound[]): Promise<void>;
  /** Signed URL of the location picker for this resident. */
  locationPickerUrl(): string;
  /** Asks the platform to show its consent form for the resident's contact details. */
  requestContactInfo(title: string, subtitle: string): Promise<void>;
}
