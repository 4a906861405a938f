export { ZaloOaClient, ZALO_IMAGE_MAX_BYTES, ZALO_LIST_MAX_BUTTONS, ZALO_LIST_MAX_ELEMENTS } from './zalo-oa-client';
export { InMemoryTokenStore } from './memory-token-store';
export { ZaloTransportError, nextIctMorning, nextMinute, zaloErrorAction } from './zalo-errors';
export type * from './types';
export { ZALO_LIMITS } from './zalo-limits';
