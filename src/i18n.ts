/**
 * i18next with resources from `locales/<lng>/<namespace>.json`, loaded synchronously at start-up.
 * Keys look like `report:ask.photo`; never build a key by concatenation.
 */
import fs from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';
import type { Locale } from './domain/shared/ids';

export const LOCALES_DIR = path.resolve(__dirname, '../locales');
export const SUPPORTED_LOCALES: readonly Locale[] = ['vi', 'en'];

export type Translate = (key: string, vars?: Record<string, unknown>) => string;

export interface I18n {
  t(locale: Locale, key: string, vars?: Record<string, unknown>): string;
  forLocale(locale: Locale): Translate;
}

export function createI18n(dir = LOCALES_DIR): I18n {
  const resources: Record<string, Record<string, unknown>> = {};
  const namespaces = new Set<string>();
  for (const lng of SUPPORTED_LOCALES) {
    resources[lng] = {};
    for (const f of fs.readdirSync(path.join(dir, lng)).filter((x) => x.endsWith('.json'))) {
      const ns = f.replace(/\.json$/, '');
      namespaces.add(ns);
      resources[lng]![ns] = JSON.parse(fs.readFileSync(path.join(dir, lng, f), 'utf8'));
    }
  }
  const inst = i18next.createInstance();
  void inst.init({
    resources: resources as never,
    lng: 'vi',
    fallbackLng: 'vi',
    ns: [...namespaces],
    defaultNS: 'common',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  } as never);
  const fixed = new Map<Locale, TFunction>(SUPPORTED_LOCALES.map((l) => [l, inst.getFixedT(l)]));
  return {
    t: (locale, key, vars) => String(fixed.get(locale)!(key, vars as never)),
    forLocale: (locale) => (key, vars) => String(fixed.get(locale)!(key, vars as never)),
  };
}
