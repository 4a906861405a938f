import exifReader from 'exif-reader';

/** A position in decimal degrees (WGS84 as phones record it); south and west are negative. */
export type GpsPoint = { lat: number; lng: number };

/** Degrees from an EXIF GPS coordinate: `[deg, min, sec]` rationals, or a single decimal value. */
function toDegrees(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (!Array.isArray(value) || value.length === 0) return null;
  const [d, m = 0, s = 0] = value as unknown[];
  if (typeof d !== 'number' || typeof m !== 'number' || typeof s !== 'number') return null;
  const deg = d + m / 60 + s / 3600;
  return Number.isFinite(deg) ? deg : null;
}

/**
 * The hemisphere ref decides the sign ('S' / 'W' negative). Without a ref, the value's own sign is
 * kept rather than dropping the position.
 */
function signed(value: number, ref: unknown, negative: 'S' | 'W', positive: 'N' | 'E'): number {
  const r = typeof ref === 'string' ? ref.trim().toUpperCase() : '';
  if (r.startsWith(negative)) return -Math.abs(value);
  if (r.startsWith(positive)) return Math.abs(value);
  return value;
}

/**
 * Reads the GPS position from a raw EXIF block (as returned by sharp's `metadata().exif`).
 * Returns null when there is none or it is unusable: malformed EXIF, out of range, or exactly
 * (0, 0), which cameras write when they had no fix. Never throws: a bad EXIF block must not cost
 * the resident their photo.
 */
export function gpsFromExif(exif: Buffer | undefined): GpsPoint | null {
  if (!exif || exif.length === 0) return null;
  let gps: Record<string, unknown> | undefined;
  try {
    gps = exifReader(exif).GPSInfo;
  } catch {
    return null;
  }
  if (!gps) return null;
  const latDeg = toDegrees(gps['GPSLatitude']);
  const lngDeg = toDegrees(gps['GPSLongitude']);
  if (latDeg === null || lngDeg === null) return null;
  const lat = signed(latDeg, gps['GPSLatitudeRef'], 'S', 'N');
  const lng = signed(lngDeg, gps['GPSLongitudeRef'], 'W', 'E');
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  if (lat === 0 && lng === 0) return null;
  return { lat, lng };
}
