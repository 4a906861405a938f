/**
 * Where the face detector looks. SSD MobileNet v1 sees the image shrunk to 512 × 512, so in a
 * 1600 px street photo a face 35 px high becomes 11 px and is missed. Looking at the whole image
 * and then at overlapping tiles (each shrunk less) finds those faces; the merge in
 * `domain/photos/redaction.ts` joins a face seen twice. Measured on composited street scenes by
 * `npm run bench -- --only redaction` (the recall table in BENCHMARKS.md): of 82 faces 24–113 px
 * high, the whole photo alone found about 46, with 2 × 2 tiles about 69, with 3 × 3 tiles about 76,
 * for about twice the CPU of 2 × 2 (3 s a photo on one core of the bench machine).
 */

export interface DetectorSettings {
  /** Which face-api network. */
  readonly model: 'ssd-mobilenet-v1' | 'tiny-face-detector';
  /** Detections below this confidence are dropped. */
  readonly minScore: number;
  /** Tiles across and down, on top of the whole image; [1, 1]: the whole image only. */
  readonly tiles: readonly [number, number];
  /** Tiles are used only when the longer side is above this (smaller photos gain nothing). */
  readonly tileAbovePx: number;
  /** How much neighbouring tiles overlap, as a share of a tile's side (a face on a seam is whole in one). */
  readonly overlap: number;
  /** Input side of the tiny face detector (multiple of 32); SSD MobileNet v1's is 512. */
  readonly inputSize: number;
}

/** The side the network sees: each window is shrunk to fit it before it is handed over. */
export function netInputSide(s: Pick<DetectorSettings, 'model' | 'inputSize'>): number {
  return s.model === 'ssd-mobilenet-v1' ? 512 : s.inputSize;
}

/**
 * The settings in production, chosen by recall on composited street scenes (see the bench's
 * recall table): SSD MobileNet v1 found more small faces than the tiny detector at any input size,
 * tiles helped more than a lower threshold, and 3 × 3 tiles found most of the faces 2 × 2 missed.
 * A missed face is published; a few seconds of CPU per photo in a background job are not a cost
 * worth saving on that.
 */
export const DEFAULT_DETECTOR_SETTINGS: DetectorSettings = {
  model: 'ssd-mobilenet-v1',
  minScore: 0.4,
  tiles: [3, 3],
  tileAbovePx: 1024,
  overlap: 0.2,
  inputSize: 608,
};

/** Stored with each detection, so boxes can be told apart when the model or its settings change. */
export function describeSettings(s: DetectorSettings, faceApiVersion: string): string {
  const tiles = s.tiles[0] * s.tiles[1] > 1 ? ` tiles=${s.tiles[0]}x${s.tiles[1]}>${s.tileAbovePx}px` : '';
  const input = s.model === 'tiny-face-detector' ? ` input=${s.inputSize}` : '';
  return `face-api@${faceApiVersion} ${s.model} min=${s.minScore}${input}${tiles}`;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** The whole image first, then the tiles (each `1 + overlap` times its share of the side), in whole pixels. */
export function detectionWindows(width: number, height: number, s: Pick<DetectorSettings, 'tiles' | 'tileAbovePx' | 'overlap'>): Rect[] {
  const whole: Rect = { x: 0, y: 0, w: width, h: height };
  const [cols, rows] = s.tiles;
  if (cols * rows <= 1 || Math.max(width, height) <= s.tileAbovePx) return [whole];
  const tw = Math.min(width, Math.ceil((width / cols) * (1 + s.overlap)));
  const th = Math.min(height, Math.ceil((height / rows) * (1 + s.overlap)));
  const out: Rect[] = [whole];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // Spread evenly so the first tile starts at 0 and the last ends at the edge.
      const x = cols === 1 ? 0 : Math.round((c * (width - tw)) / (cols - 1));
      const y = rows === 1 ? 0 : Math.round((r * (height - th)) / (rows - 1));
      out.push({ x, y, w: tw, h: th });
    }
  }
  return out;
}
