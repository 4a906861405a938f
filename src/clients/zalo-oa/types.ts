/**
 * Public types of the Zalo OA client. Field names are ours (camelCase); the wire names live only in
 * the client and the fake. Every platform id is a string exactly as Zalo sent it.
 */

/** One OA's token pair as stored. `accessToken` null = none yet; `expiresAt` null = unknown expiry. */
export interface ZaloTokenPair {
  readonly accessToken: string | null;
  readonly refreshToken: string;
  readonly expiresAt: Date | null;
}

/**
 * Durable home of the OA token pair (port; PostgreSQL implementation in `storage/zalo-token-repo.ts`).
 *
 * Zalo refresh tokens are single-use: whoever refreshes must persist the new pair before using it,
 * and only one refresh may run at a time across all processes of the bot.
 */
export interface TokenStore {
  /** The stored pair, or null when the OA was never seeded. */
  load(oaId: string): Promise<ZaloTokenPair | null>;
  /** Stores (insert or replace) the pair. */
  save(oaId: string, pair: ZaloTokenPair): Promise<void>;
  /**
   * Runs one refresh under a lock shared by every process. Under the lock it re-reads the stored
   * pair; if its access token is no longer `staleAccessToken` (another process already refreshed),
   * it returns the stored pair without calling `doRefresh`. Otherwise it calls `doRefresh` with the
   * stored pair (null when empty), saves the result before releasing the lock, and returns it.
   */
  refreshLocked(
    oaId: string,
    staleAccessToken: string | null,
    doRefresh: (current: ZaloTokenPair | null) => Promise<ZaloTokenPair>,
  ): Promise<ZaloTokenPair>;
}

/** The subset of a pino logger the client uses. Never pass tokens or message text to it. */
export interface ZaloLogger {
  warn(obj: Record<string, unknown>, msg?: string): void;
  debug(obj: Record<string, unknown>, msg?: string): void;
}

export interface ZaloRetryOptions {
  /** Total tries for transient failures (rate limit, 5xx, network), first try included. Default 5. */
  readonly maxAttempts?: number;
  /** First back-off delay; later ones grow ×4 (1 s, 4 s, 16 s, …). Default 1000. */
  readonly baseDelayMs?: number;
  /** Cap of one back-off delay. Default 60000. */
  readonly maxDelayMs?: number;
}

export interface ZaloOaClientOptions {
  readonly appId: string;
  readonly appSecret: string;
  readonly oaId: string;
  readonly tokenStore: TokenStore;
  /** Used only when the store is empty. Refresh tokens are single-use; the store wins once seeded. */
  readonly initialRefreshToken?: string;
  /** Optional seed access token; its expiry is unknown, so it is used until Zalo refuses it. */
  readonly initialAccessToken?: string;
  /** Default https://openapi.zalo.me */
  readonly apiUrl?: string;
  /** Default https://oauth.zaloapp.com */
  readonly oauthUrl?: string;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  /** Injectable for fast tests; default real timers. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); default Math.random. */
  readonly random?: () => number;
  readonly logger?: ZaloLogger;
  readonly retry?: ZaloRetryOptions;
  /** App-wide request budget of this process (token bucket). Default 4000 per minute. */
  readonly requestsPerMinute?: number;
  /** Refresh the access token when less than this is left. Default one hour. */
  readonly refreshMarginMs?: number;
  /** Per-request timeout. Default 15000. */
  readonly timeoutMs?: number;
}

/** Image reference for {@link ZaloOaClient.sendImage}: a public URL or an id from `uploadImage`. */
export type ZaloImageRef = { readonly url: string } | { readonly attachmentId: string };

export type ZaloButtonType = 'oa.query.hide' | 'oa.query.show' | 'oa.open.url' | 'oa.open.phone';

/**
 * A button under a list. `payload` is the text sent back for `oa.query.*`, the URL for
 * `oa.open.url` and the phone number for `oa.open.phone`.
 */
export interface ZaloButton {
  readonly title: string;
  readonly type: ZaloButtonType;
  readonly payload: string;
}

export type ZaloDefaultAction =
  | { readonly type: 'oa.open.url'; readonly url: string }
  | { readonly type: 'oa.query.show' | 'oa.query.hide'; readonly payload: string };

export interface ZaloListElement {
  readonly title: string;
  readonly subtitle?: string;
  readonly imageUrl?: string;
  readonly defaultAction?: ZaloDefaultAction;
}

export interface ZaloListMessage {
  readonly text?: string;
  readonly elements: readonly ZaloListElement[];
  readonly buttons: readonly ZaloButton[];
}

export interface ZaloRequestUserInfo {
  readonly title: string;
  readonly subtitle: string;
  readonly imageUrl: string;
}

export interface ZaloSharedInfo {
  readonly name?: string;
  readonly phone?: string;
  readonly address?: string;
  readonly city?: string;
  readonly district?: string;
  readonly ward?: string;
}

export interface ZaloUserDetail {
  readonly userId: string;
  readonly userIdByApp?: string;
  readonly displayName?: string;
  readonly avatar?: string;
  readonly isFollower?: boolean;
  readonly isSensitive?: boolean;
  /** As Zalo sends it ("DD/MM/YYYY" per one source); not parsed. */
  readonly lastInteractionDate?: string;
  readonly sharedInfo?: ZaloSharedInfo;
  readonly raw: unknown;
}

export interface ZaloUserQuota {
  /** Last time the resident interacted with the OA, or null when Zalo does not say. */
  readonly lastInteraction: Date | null;
  readonly raw: unknown;
}

export type ZaloTemplateData = Readonly<Record<string, string | number>>;
