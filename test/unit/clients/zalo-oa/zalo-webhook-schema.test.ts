import fs from 'node:fs';
import path from 'node:path';
import {
  isZaloUserMessage,
  parseZaloEvent,
  zaloConversationKey,
  zaloDedupeKey,
  zaloLocationOf,
  type ZaloWebhookEvent,
} from '../../../../src/channels/zalo/zalo-webhook.schema';
import { createZaloWebhooks, zaloWebhook } from '../../../../dev/fakes/zalo-webhooks';

const FIXTURES = path.join(__dirname, '../../../fixtures/zalo');
const RESIDENT = '5519028374615903382';
const OA = '2950471185532601093';

function fixture(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
}

function parsed(body: unknown): ZaloWebhookEvent {
  const r = parseZaloEvent(body);
  if (!r.ok) throw new Error(r.error);
  return r.event;
}

describe('Zalo webhook schema', () => {
  const expectedKinds: Record<string, ZaloWebhookEvent['kind']> = {
    'follow.json': 'follow',
    'unfollow.json': 'unfollow',
    'user_seen_message.json': 'seen',
    'user_send_file.json': 'file',
    'user_send_group_text.json': 'unknown',
    'user_send_image.json': 'image',
    'user_send_location.json': 'location',
    'user_send_sticker.json': 'sticker',
    'user_send_text.json': 'text',
    'user_submit_info.json': 'submit-info',
  };

  it('has an expectation for every fixture file', () => {
    expect(fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort()).toEqual(Object.keys(expectedKinds).sort());
  });

  it.each(Object.entries(expectedKinds))('parses %s as kind %s', (file, kind) => {
    expect(parsed(fixture(file)).kind).toBe(kind);
  });

  it('a text message keeps ids as strings and is keyed by msg_id and by the sender', () => {
    const ev = parsed(fixture('user_send_text.json'));
    if (ev.kind !== 'text') throw new Error('expected text');
    expect(ev.sender.id).toBe(RESIDENT);
    expect(ev.recipient.id).toBe(OA);
    expect(ev.timestamp).toBe('1763798412345');
    expect(ev.message.text).toContain('giấy khai sinh');
    expect(isZaloUserMessage(ev)).toBe(true);
    expect(zaloDedupeKey(ev)).toBe('9c1f4b2e7a3d50e86f21');
    expect(zaloConversationKey(ev)).toBe(RESIDENT);
  });

  it('an image message carries the caption and every image url together', () => {
    const ev = parsed(fixture('user_send_image.json'));
    if (ev.kind !== 'image') throw new Error('expected image');
    expect(ev.message.text).toBe('Đèn đường trước số 45 Lê Lợi bị tắt 3 đêm nay');
    expect(ev.message.attachments.map((a) => a.payload.url)).toEqual(['https://f21-zpc.zdn.vn/jpg/3094417781045291660/6f0c2b9de51e4a7a.jpg']);
  });

  it('a location pin yields numeric coordinates from the string fields and the place name', () => {
    const ev = parsed(fixture('user_send_location.json'));
    if (ev.kind !== 'location') throw new Error('expected location');
    expect(zaloLocationOf(ev)).toEqual({ latitude: 10.7731452, longitude: 106.7003819, name: '45 Lê Lợi, Phường Bến Thành' });
  });

  it('reads coordinates defensively: numbers, lat/long layouts, message.location; refuses garbage and 0,0', () => {
    const base = { event_name: 'user_send_location', timestamp: '1', sender: { id: RESIDENT }, recipient: { id: OA } };
    const loc = (message: Record<string, unknown>) => {
      const ev = parsed({ ...base, message: { msg_id: 'm1', ...message } });
      if (ev.kind !== 'location') throw new Error('expected location');
      return zaloLocationOf(ev);
    };
    expect(loc({ attachments: [{ type: 'location', payload: { coordinates: { latitude: 16.46, longitude: 107.59 } } }] })).toMatchObject({ latitude: 16.46, longitude: 107.59 });
    expect(loc({ attachments: [{ type: 'location', payload: { coordinates: { lat: '16.46', long: '107.59' } } }] })).toMatchObject({ latitude: 16.46, longitude: 107.59 });
    expect(loc({ location: { latitude: '16.46', longitude: '107.59' } })).toMatchObject({ latitude: 16.46, longitude: 107.59 });
    expect(loc({ attachments: [{ type: 'location', payload: { coordinates: { latitude: 'abc', longitude: '107' } } }] })).toBeUndefined();
    expect(loc({ attachments: [{ type: 'location', payload: { coordinates: { latitude: '0', longitude: '0' } } }] })).toBeUndefined();
    expect(loc({ attachments: [{ type: 'location', payload: { coordinates: { latitude: '95', longitude: '107' } } }] })).toBeUndefined();
    expect(loc({})).toBeUndefined();
  });

  it('a seen receipt is keyed by its sorted msg ids and belongs to the recipient resident', () => {
    const ev = parsed(fixture('user_seen_message.json'));
    expect(zaloDedupeKey(ev)).toBe('seen:63ecf43f0df7dba892e6,a81c55e07b2d49f6c013');
    expect(zaloConversationKey(ev)).toBe(RESIDENT);
    const shuffled = parsed(zaloWebhook.userSeenMessage({ userId: RESIDENT, msgIds: ['b', 'a'] }).event);
    expect(zaloDedupeKey(shuffled)).toBe('seen:a,b');
  });

  it('follow and unfollow are keyed by event, follower and timestamp', () => {
    const ev = parsed(fixture('follow.json'));
    expect(zaloConversationKey(ev)).toBe('7381164029935572014');
    expect(zaloDedupeKey(ev)).toBe('follow:7381164029935572014:1763797001526');
    expect(zaloDedupeKey(parsed(fixture('unfollow.json')))).toBe('unfollow:7381164029935572014:1763899120773');
  });

  it('submitted info parses in the classic shape and in the newer full_address shape, every field optional', () => {
    const classic = parsed(fixture('user_submit_info.json'));
    if (classic.kind !== 'submit-info') throw new Error('expected submit-info');
    expect(classic.info).toMatchObject({ name: 'Trần Thị Bích Ngọc', phone: '84903123456', ward: 'Phường Bến Thành', district: '' });
    expect(zaloDedupeKey(classic)).toBe(`user_submit_info:${RESIDENT}:1763798890112`);

    const newer = parsed(
      zaloWebhook.userSubmitInfo({ userId: RESIDENT, info: { name: 'Lê Văn Tám', full_address: { user_city: 'Huế', user_ward: 'Phường Phú Hội' } } }).event,
    );
    if (newer.kind !== 'submit-info') throw new Error('expected submit-info');
    expect(newer.info.full_address).toEqual({ user_city: 'Huế', user_ward: 'Phường Phú Hội' });

    const empty = parsed({ event_name: 'user_submit_info', timestamp: '1', sender: { id: RESIDENT }, recipient: { id: OA } });
    if (empty.kind !== 'submit-info') throw new Error('expected submit-info');
    expect(empty.info).toEqual({});
  });

  it('receipts and OA echoes belong to the recipient; a receipt key does not collide with the echo of the same message', () => {
    const echo = parsed(zaloWebhook.oaSendText({ userId: RESIDENT, msgId: 'abc', text: 'Cảm ơn' }).event);
    const received = parsed(zaloWebhook.userReceivedMessage({ userId: RESIDENT, msgId: 'abc' }).event);
    expect(echo.kind).toBe('oa-echo');
    expect(received.kind).toBe('received');
    expect(zaloConversationKey(echo)).toBe(RESIDENT);
    expect(zaloConversationKey(received)).toBe(RESIDENT);
    expect(zaloDedupeKey(echo)).toBe('abc');
    expect(zaloDedupeKey(received)).toBe('received:abc');
  });

  it('chat-now taps belong to the flat user_id', () => {
    const ev = parsed(zaloWebhook.userClickChatnow({ userId: RESIDENT, timestamp: '42' }).event);
    expect(ev.kind).toBe('chatnow');
    expect(zaloConversationKey(ev)).toBe(RESIDENT);
    expect(zaloDedupeKey(ev)).toBe(`user_click_chatnow:${RESIDENT}:42`);
  });

  it('every webhook builder produces an event the schema accepts with the right kind', () => {
    const wh = createZaloWebhooks();
    const u = { userId: RESIDENT };
    const cases: Array<[unknown, ZaloWebhookEvent['kind']]> = [
      [wh.userSendText({ ...u, text: 'Xin chào' }).event, 'text'],
      [wh.userSendImage({ ...u, imageUrls: ['http://127.0.0.1/a.jpg', 'http://127.0.0.1/b.jpg'], text: 'ổ gà' }).event, 'image'],
      [wh.userSendLocation({ ...u, lat: 16.4637, lng: 107.5909 }).event, 'location'],
      [wh.userSendSticker(u).event, 'sticker'],
      [wh.userSendFile({ ...u, url: 'http://127.0.0.1/f.pdf' }).event, 'file'],
      [wh.userSendLink({ ...u, url: 'https://hue.gov.vn' }).event, 'link'],
      [wh.userSubmitInfo({ ...u, info: { phone: '84903123456' } }).event, 'submit-info'],
      [wh.follow(u).event, 'follow'],
      [wh.unfollow(u).event, 'unfollow'],
      [wh.userSeenMessage({ ...u, msgIds: ['m1'] }).event, 'seen'],
      [wh.userReceivedMessage({ ...u, msgId: 'm1' }).event, 'received'],
    ];
    for (const [body, kind] of cases) expect(parsed(body).kind).toBe(kind);
    const loc = parsed(wh.userSendLocation({ ...u, lat: 16.4637, lng: 107.5909 }).event);
    if (loc.kind !== 'location') throw new Error('expected location');
    expect(loc.message.attachments[0]?.payload.coordinates?.latitude).toBe('16.4637');
  });

  it('audio, video, gif and link events are accepted', () => {
    const base = { timestamp: '1', sender: { id: RESIDENT }, recipient: { id: OA } };
    for (const [name, kind] of [['user_send_audio', 'audio'], ['user_send_video', 'video'], ['user_send_gif', 'gif']] as const) {
      const payload = { url: 'https://example.zdn.vn/x', thumbnail: 'https://example.zdn.vn/t' };
      expect(parsed({ ...base, event_name: name, message: { msg_id: 'm', attachments: [{ type: kind, payload }] } }).kind).toBe(kind);
    }
  });

  it('an event name we do not know is accepted as unknown, keeping the whole body', () => {
    const ev = parsed({ event_name: 'add_user_to_tag', timestamp: '5', oa_id: OA, user_id: RESIDENT, tag: 'phuong-1' });
    if (ev.kind !== 'unknown') throw new Error('expected unknown');
    expect(ev.raw.tag).toBe('phuong-1');
    expect(zaloConversationKey(ev)).toBe(RESIDENT);
    expect(zaloDedupeKey(ev)).toBe(`add_user_to_tag:${RESIDENT}:5`);
    expect(parsed({ event_name: 'something_new' }).kind).toBe('unknown');
  });

  it('returns a parse error (never throws) for non-objects, a missing event_name or a broken known event', () => {
    expect(parseZaloEvent(null)).toMatchObject({ ok: false });
    expect(parseZaloEvent([1, 2])).toMatchObject({ ok: false });
    expect(parseZaloEvent('user_send_text')).toMatchObject({ ok: false });
    expect(parseZaloEvent({ timestamp: '1' })).toMatchObject({ ok: false, error: 'event_name is missing' });
    const broken = parseZaloEvent({ event_name: 'user_send_text', timestamp: '1', sender: { id: RESIDENT }, recipient: { id: OA }, message: { text: 'x' } });
    expect(broken).toMatchObject({ ok: false, eventName: 'user_send_text' });
    if (!broken.ok) expect(broken.error).toContain('message.msg_id');
    // Ids are never coerced from numbers: a numeric sender id is a shape error.
    expect(parseZaloEvent({ event_name: 'user_send_text', timestamp: '1', sender: { id: 5519028374615903 }, recipient: { id: OA }, message: { msg_id: 'm', text: 'x' } }).ok).toBe(false);
  });
});
