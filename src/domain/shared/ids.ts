/** Branded ids: platform ids stay strings exactly as received (never Number()). */
export type Brand<T, B extends string> = T & { readonly __brand: B };
export type Psid = Brand<string, 'Psid'>;
export type ZaloUserId = Brand<string, 'ZaloUserId'>;
export type ResidentId = Brand<string, 'ResidentId'>;
export type ReportCode = Brand<string, 'ReportCode'>;
export type Channel = 'messenger' | 'zalo';
export type Locale = 'vi' | 'en';
