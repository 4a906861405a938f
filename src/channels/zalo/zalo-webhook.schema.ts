/**
 * zod schemas for Zalo OA webhook events as they arrive on the WIRE (snake_case; reference §2.3–2.5).
 * Every id is a string and stays one. Each parsed event gets our own discriminator `kind`; event
 * names we do not know parse into `kind: 'unknown'` instead of failing.
 */
import { z } from 'zod';
import { boundKey } from '../../domain/shared/sanitise';

/** Platform ids: non-empty strings, exactly as received. */
const id = z.string().min(1);
/** Zalo sends epoch-ms timestamps as strings; a number would still be an exact integer in JSON. */
const stamp = z.union([z.string().min(1), z.number().int().nonnegative()]).transform((v) => String(v));
/** Text-ish values where some senders use numbers (sizes, coordinates, gender). */
const looseText = z.union([z.string(), z.number()]).transform((v) => String(v));
const party = z.object({ id });
const common = {
  app_id: z.string().optional(),
  user_id_by_app: z.string().optional(),
  timestamp: stamp,
};

function eventSchema<const K extends string, const N extends string, S extends z.ZodRawShape>(kind: K, name: N, shape: S) {
  return z.object({ event_name: z.literal(name), ...common, ...shape }).transform((v) => ({ kind, ...v }));
}

const imagePayload = z.object({ url: z.string().min(1), thumbnail: z.string().optional() });
const mediaAttachment = z.object({ type: z.string(), payload: imagePayload });

/** Accepts `attachments` when absent (treated as none). */
const attachments = <T extends z.ZodType>(item: T) => z.array(item).optional().default([]);

const coordinate = looseText.optional();
const locationPayload = z.object({
  coordinates: z
    .object({ latitude: coordinate, longitude: coordinate, lat: coordinate, lng: coordinate, long: coordinate })
    .optional(),
  latitude: coordinate,
  longitude: coordinate,
});

const fromUser = { sender: party, recipient: party };

export const UserSendTextSchema = eventSchema('text', 'user_send_text', {
  ...fromUser,
  message: z.object({ msg_id: id, text: z.string(), quote_msg_id: z.string().optional() }),
});

/** Images and an optional caption come in one event. */
export const UserSendImageSchema = eventSchema('image', 'user_send_image', {
  ...fromUser,
  message: z.object({ msg_id: id, text: z.string().optional(), attachments: attachments(mediaAttachment) }),
});

export const UserSendGifSchema = eventSchema('gif', 'user_send_gif', {
  ...fromUser,
  message: z.object({ msg_id: id, text: z.string().optional(), attachments: attachments(mediaAttachment) }),
});

/** Coordinates are strings on the wire; read them with {@link zaloLocationOf}. */
export const UserSendLocationSchema = eventSchema('location', 'user_send_location', {
  ...fromUser,
  message: z.object({
    msg_id: id,
    text: z.string().optional(),
    attachments: attachments(z.object({ type: z.string(), payload: locationPayload })),
    // Some integrations document message.location; accepted so zaloLocationOf can fall back to it.
    location: z.object({ latitude: coordinate, longitude: coordinate }).optional(),
  }),
});

export const UserSendStickerSchema = eventSchema('sticker', 'user_send_sticker', {
  ...fromUser,
  message: z.object({
    msg_id: id,
    text: z.string().optional(),
    attachments: attachments(z.object({ type: z.string(), payload: z.object({ id: z.string().optional(), url: z.string().optional() }) })),
  }),
});

export const UserSendFileSchema = eventSchema('file', 'user_send_file', {
  ...fromUser,
  message: z.object({
    msg_id: id,
    text: z.string().optional(),
    attachments: attachments(
      z.object({
        type: z.string(),
        payload: z.object({
          url: z.string().min(1),
          name: z.string().optional(),
          size: looseText.optional(),
          checksum: z.string().optional(),
          type: z.string().optional(),
        }),
      }),
    ),
  }),
});

export const UserSendLinkSchema = eventSchema('link', 'user_send_link', {
  ...fromUser,
  message: z.object({
    msg_id: id,
    text: z.string().optional(),
    attachments: attachments(
      z.object({
        type: z.string(),
        payload: z.object({
          url: z.string().optional(),
          thumbnail: z.string().optional(),
          description: z.string().optional(),
          title: z.string().optional(),
        }),
      }),
    ),
  }),
});

const genericMediaPayload = z.object({ url: z.string().optional(), thumbnail: z.string().optional(), description: z.string().optional() });

/** Accepted so they are acknowledged and recorded; the bot has nothing to do with them yet. */
export const UserSendAudioSchema = eventSchema('audio', 'user_send_audio', {
  ...fromUser,
  message: z.object({ msg_id: id, text: z.string().optional(), attachments: attachments(z.object({ type: z.string(), payload: genericMediaPayload })) }),
});

export const UserSendVideoSchema = eventSchema('video', 'user_send_video', {
  ...fromUser,
  message: z.object({ msg_id: id, text: z.string().optional(), attachments: attachments(z.object({ type: z.string(), payload: genericMediaPayload })) }),
});

/**
 * Answer to a request_user_info template. Two shapes are seen (reference §2.5): the classic flat
 * `info{name, phone, address, city, district, ward}` and a newer one with `full_address`. Every
 * field is optional.
 */
export const UserSubmitInfoSchema = eventSchema('submit-info', 'user_submit_info', {
  ...fromUser,
  info: z
    .object({
      name: looseText.optional(),
      phone: looseText.optional(),
      address: looseText.optional(),
      city: looseText.optional(),
      district: looseText.optional(),
      ward: looseText.optional(),
      user_dob: looseText.optional(),
      gender: looseText.optional(),
      full_address: z
        .object({
          user_address: looseText.optional(),
          user_ward: looseText.optional(),
          user_district: looseText.optional(),
          user_city: looseText.optional(),
        })
        .optional(),
    })
    .optional()
    .default({}),
});

const followShape = { oa_id: z.string().optional(), follower: party, source: z.string().optional() };
export const FollowSchema = eventSchema('follow', 'follow', followShape);
export const UnfollowSchema = eventSchema('unfollow', 'unfollow', followShape);

/** Delivery receipt of an OA message (also used for ZBS/ZNS receipts, then with `tracking_id`). */
export const UserReceivedMessageSchema = eventSchema('received', 'user_received_message', {
  sender: party,
  recipient: party,
  message: z.object({ msg_id: id, delivery_time: stamp.optional(), tracking_id: z.string().optional() }),
});

export const UserSeenMessageSchema = eventSchema('seen', 'user_seen_message', {
  sender: party,
  recipient: party,
  message: z.object({ msg_ids: z.array(id).min(1) }),
});

export const UserClickChatnowSchema = eventSchema('chatnow', 'user_click_chatnow', {
  oa_id: z.string().optional(),
  user_id: id,
});

/** `oa_send_*` except group and anonymous variants (their recipient is not a resident id). */
export function isOaEchoName(name: string): name is `oa_send_${string}` {
  return /^oa_send_[a-z_]+$/.test(name) && !name.startsWith('oa_send_group_') && !name.startsWith('oa_send_anonymous_');
}

/** What the OA sent (from this bot, OA Manager or any other tool), echoed back. */
export const OaSendEchoSchema = z
  .object({
    event_name: z.custom<`oa_send_${string}`>((v) => typeof v === 'string' && isOaEchoName(v)),
    ...common,
    sender: z.object({ id, admin_id: z.string().optional() }),
    recipient: party,
    message: z
      .object({ msg_id: z.string().optional(), text: z.string().optional(), attachments: z.array(z.unknown()).optional() })
      .optional(),
  })
  .transform((v) => ({ kind: 'oa-echo' as const, ...v }));

/** Any other event: kept whole in `raw`. */
export const UnknownEventSchema = z
  .looseObject({ event_name: z.string().min(1), timestamp: stamp.optional() })
  .transform((v) => ({ kind: 'unknown' as const, event_name: v.event_name, timestamp: v.timestamp, raw: v as Record<string, unknown> }));

const KNOWN = {
  user_send_text: UserSendTextSchema,
  user_send_image: UserSendImageSchema,
  user_send_gif: UserSendGifSchema,
  user_send_location: UserSendLocationSchema,
  user_send_sticker: UserSendStickerSchema,
  user_send_file: UserSendFileSchema,
  user_send_link: UserSendLinkSchema,
  user_send_audio: UserSendAudioSchema,
  user_send_video: UserSendVideoSchema,
  user_submit_info: UserSubmitInfoSchema,
  follow: FollowSchema,
  unfollow: UnfollowSchema,
  user_received_message: UserReceivedMessageSchema,
  user_seen_message: UserSeenMessageSchema,
  user_click_chatnow: UserClickChatnowSchema,
} as const;

export type ZaloUserSendText = z.output<typeof UserSendTextSchema>;
export type ZaloUserSendImage = z.output<typeof UserSendImageSchema>;
export type ZaloUserSendGif = z.output<typeof UserSendGifSchema>;
export type ZaloUserSendLocation = z.output<typeof UserSendLocationSchema>;
export type ZaloUserSendSticker = z.output<typeof UserSendStickerSchema>;
export type ZaloUserSendFile = z.output<typeof UserSendFileSchema>;
export type ZaloUserSendLink = z.output<typeof UserSendLinkSchema>;
export type ZaloUserSendAudio = z.output<typeof UserSendAudioSchema>;
export type ZaloUserSendVideo = z.output<typeof UserSendVideoSchema>;
export type ZaloUserSubmitInfo = z.output<typeof UserSubmitInfoSchema>;
export type ZaloFollow = z.output<typeof FollowSchema>;
export type ZaloUnfollow = z.output<typeof UnfollowSchema>;
export type ZaloUserReceivedMessage = z.output<typeof UserReceivedMessageSchema>;
export type ZaloUserSeenMessage = z.output<typeof UserSeenMessageSchema>;
export type ZaloUserClickChatnow = z.output<typeof UserClickChatnowSchema>;
export type ZaloOaSendEcho = z.output<typeof OaSendEchoSchema>;
export type ZaloUnknownEvent = z.output<typeof UnknownEventSchema>;

/** A message a resident sent to the OA (1:1). */
export type ZaloUserMessageEvent =
  | ZaloUserSendText
  | ZaloUserSendImage
  | ZaloUserSendGif
  | ZaloUserSendLocation
  | ZaloUserSendSticker
  | ZaloUserSendFile
  | ZaloUserSendLink
  | ZaloUserSendAudio
  | ZaloUserSendVideo;

/** Every webhook event, discriminated by `kind`. */
export type ZaloWebhookEvent =
  | ZaloUserMessageEvent
  | ZaloUserSubmitInfo
  | ZaloFollow
  | ZaloUnfollow
  | ZaloUserReceivedMessage
  | ZaloUserSeenMessage
  | ZaloUserClickChatnow
  | ZaloOaSendEcho
  | ZaloUnknownEvent;

export type ZaloEventKind = ZaloWebhookEvent['kind'];

export type ZaloParseResult =
  | { readonly ok: true; readonly event: ZaloWebhookEvent }
  | { readonly ok: false; readonly eventName: string | undefined; readonly error: string };

const USER_MESSAGE_KINDS: ReadonlySet<ZaloEventKind> = new Set(['text', 'image', 'gif', 'location', 'sticker', 'file', 'link', 'audio', 'video']);

export function isZaloUserMessage(ev: ZaloWebhookEvent): ev is ZaloUserMessageEvent {
  return USER_MESSAGE_KINDS.has(ev.kind);
}

/**
 * Parses one webhook body (already JSON-decoded). Never throws: a body that is not an object with
 * an `event_name`, or a known event with a broken shape, is `{ ok: false }`; unknown event names are
 * `{ ok: true, event: { kind: 'unknown' } }`. Error texts name fields, never their values.
 */
export function parseZaloEvent(body: unknown): ZaloParseResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, eventName: undefined, error: 'body is not a JSON object' };
  }
  const name = (body as Record<string, unknown>).event_name;
  if (typeof name !== 'string' || name === '') return { ok: false, eventName: undefined, error: 'event_name is missing' };
  const schema: z.ZodType<ZaloWebhookEvent, unknown> = Object.hasOwn(KNOWN, name)
    ? KNOWN[name as keyof typeof KNOWN]
    : isOaEchoName(name)
      ? OaSendEchoSchema
      : UnknownEventSchema;
  const r = schema.safeParse(body);
  if (!r.success) {
    const where = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`).join('; ');
    return { ok: false, eventName: name, error: `invalid ${name}: ${where}` };
  }
  return { ok: true, event: r.data };
}

/** The resident's OA-scoped id: the key that serialises handling of one conversation. */
export function zaloConversationKey(ev: ZaloWebhookEvent): string {
  switch (ev.kind) {
    case 'follow':
    case 'unfollow':
      return ev.follower.id;
    case 'received':
    case 'seen':
    case 'oa-echo':
      return ev.recipient.id;
    case 'chatnow':
      return ev.user_id;
    case 'unknown': {
      const raw = ev.raw;
      return idAt(raw, 'sender') ?? idAt(raw, 'follower') ?? str(raw.user_id) ?? `unknown:${ev.event_name}`;
    }
    default:
      return ev.sender.id;
  }
}

/**
 * Idempotency key of a delivery (Zalo retries; delivery is at-least-once). Message events use
 * `msg_id`; receipts are prefixed because a receipt carries the id of the OA message it is about,
 * which the `oa_send_*` echo also uses. A read receipt lists every message it covers, so its key is
 * bounded ({@link boundKey}): past 200 characters it is a hash of the sorted ids.
 */
export function zaloDedupeKey(ev: ZaloWebhookEvent): string {
  switch (ev.kind) {
    case 'seen':
      return boundKey(`seen:${[...ev.message.msg_ids].sort().join(',')}`);
    case 'received':
      return `received:${ev.message.msg_id}`;
    case 'oa-echo':
      return ev.message?.msg_id || `${ev.event_name}:${ev.recipient.id}:${ev.timestamp}`;
    case 'follow':
    case 'unfollow':
    case 'submit-info':
    case 'chatnow':
      return `${ev.event_name}:${zaloConversationKey(ev)}:${ev.timestamp}`;
    case 'unknown': {
      const msg = ev.raw.message;
      const msgId = typeof msg === 'object' && msg !== null ? str((msg as Record<string, unknown>).msg_id) : undefined;
      return msgId ?? `${ev.event_name}:${zaloConversationKey(ev)}:${ev.timestamp ?? ''}`;
    }
    default:
      return ev.message.msg_id;
  }
}

export interface ZaloLocation {
  readonly latitude: number;
  readonly longitude: number;
  /** The place name the resident picked, if any. */
  readonly name: string | undefined;
}

/** Reads the coordinates of a location event defensively (strings, numbers, several layouts). */
export function zaloLocationOf(ev: ZaloUserSendLocation): ZaloLocation | undefined {
  const name = ev.message.text?.trim() || undefined;
  for (const a of ev.message.attachments) {
    const c = a.payload.coordinates;
    const found =
      toLatLng(c?.latitude, c?.longitude ?? c?.lng ?? c?.long) ?? toLatLng(c?.lat, c?.lng ?? c?.long) ?? toLatLng(a.payload.latitude, a.payload.longitude);
    if (found) return { ...found, name };
  }
  const l = ev.message.location;
  const found = l ? toLatLng(l.latitude, l.longitude) : undefined;
  return found ? { ...found, name } : undefined;
}

function toLatLng(lat: string | undefined, lng: string | undefined): { latitude: number; longitude: number } | undefined {
  if (lat === undefined || lng === undefined || lat.trim() === '' || lng.trim() === '') return undefined;
  const latitude = Number(lat.trim().replace(',', '.'));
  const longitude = Number(lng.trim().replace(',', '.'));
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  if (latitude === 0 && longitude === 0) return undefined; // "no fix" placeholder, never a Vietnamese address
  return { latitude, longitude };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function idAt(raw: Record<string, unknown>, key: string): string | undefined {
  const o = raw[key];
  return typeof o === 'object' && o !== null ? str((o as Record<string, unknown>).id) : undefined;
}
