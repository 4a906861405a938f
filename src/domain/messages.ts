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
