/**
 * Address search through node-geocoder (default provider: OpenStreetMap/Nominatim at GEOCODER_URL).
 * Queries are biased to the city; failures become "not found" so the dialog can offer the map.
 */
import NodeGeocoder from 'node-geocoder';
import type { GeocodeResult, Geocoder } from '../../domain/reports/ports';
import type { Logger } from '../../logger';

export interface GeocoderOptions {
  readonly provider: string;
  /** Provider base URL (e.g. a self-hosted Nominatim); the provider's public default when absent. */
  readonly url: string | undefined;
  readonly countryCode: string;
  /** Appended to queries that do not name the city, e.g. "Huế, Việt Nam". */
  readonly suffix: string;
  readonly language: string;
  readonly logger: Logger;
  readonly timeoutMs?: number;
}

export function createGeocoder(o: GeocoderOptions): Geocoder {
  const timeoutMs = o.timeoutMs ?? 5000;
  const fetchWithAgent = (url: string, init: RequestInit = {}) =>
    fetch(url, {
      ...init,
      headers: { ...(init.headers as Record<string, string> | undefined), 'user-agent': 'phananh-bot (city field-report chatbot)' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  const geocoder = NodeGeocoder({
    provider: o.provider as 'openstreetmap',
    ...(o.url ? { osmServer: o.url } : {}),
    language: o.language,
    fetch: fetchWithAgent,
  } as unknown as NodeGeocoder.Options);

  const suffixWords = o.suffix.split(',')[0]!.trim().toLowerCase();
  return {
    async search(query: string): Promise<GeocodeResult | null> {
      const q = query.toLowerCase().includes(suffixWords) ? query : `${query}, ${o.suffix}`;
      try {
        const res = await geocoder.geocode({ q, countrycodes: o.countryCode, limit: 3 } as never);
        const hit = res.find((r) => typeof r.latitude === 'number' && typeof r.longitude === 'number');
        if (!hit) return null;
        const address = (hit.formattedAddress ?? [hit.streetNumber, hit.streetName, hit.city].filter(Boolean).join(', ')) || query;
        return { lat: hit.latitude!, lng: hit.longitude!, address };
      } catch (err) {
        o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'geocoder search failed');
        return null;
      }
    },
    async reverse(lat: number, lng: number): Promise<string | null> {
      try {
        const res = await geocoder.reverse({ lat, lon: lng });
        return res[0]?.formattedAddress ?? null;
      } catch (err) {
        o.logger.debug({ err: err instanceof Error ? err.message : String(err) }, 'reverse geocoding failed');
        return null;
      }
    },
  };
}
