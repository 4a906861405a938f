/**
 * What the city says to a resident, independent of the channel: dialogs and notifications produce
 * these, and each channel renders them within its platform's limits.
 */

export interface Choice {
  /** Shown on the button; channels shorten it to their limit. */
  readonly title: string;
  /** A token such as `CATEGORY:road-damage`; Zalo sends it back as `#CATEGORY:road-damage`. */
  readonly payload: string;
}

export interface OutboundMessage {
  readonly text: string;
  readonly choices?: readonly Choice[];
  /** A button that opens a web page (map picker) in the platform's in-app browser. */
  readonly link?: { readonly title: string; readonly url: string };
  /** Phone numbers to offer as call buttons (emergencies, hotline). */
  readonly calls?: ReadonlyArray<{ readonly title: string; readonly phone: string }>;
  /** Public image URLs sent before the text (result photos). */
  readonly images?: readonly string[];
}

/** What a resident sent, as the dialogs and the hand-over transcript read it (channel-independent). */
export type Inbound =
  | { kind: 'text'; text: string; payload: string | null }
  | { kind: 'images'; urls: string[]; caption: string | null }
  | { kind: 'location'; lat: number; lng: number; title: string | null; source: 'platform' | 'webview' }
  | { kind: 'follow' }
  | { kind: 'unfollow' }
  | { kind: 'sticker' }
  | { kind: 'file'; name: string | null }
  | { kind: 'link'; url: string | null }
  | { kind: 'contact'; phone: string | null; name: string | null }
  | { kind: 'receipt' }
  /** The people handling a hand-over gave the conversation back (Messenger: the Page Inbox passed the thread back). */
  | { kind: 'handback' }
  | { kind: 'other' };
