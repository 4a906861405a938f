/**
 * The redaction rules: which boxes staff may send, what region a box pixelates, how the detector's
 * boxes merge, and which boxes the public copy uses after a review.
 */
import {
  blockSize,
  boxesAfterDetection,
  checkBoxes,
  effectiveBoxes,
  isPublishable,
  MAX_BOXES,
  mergeDetections,
  pixelationRegion,
  snapToImage,
  type RedactionState,
} from '../../../src/domain/photos/redaction';

const SIZE = { width: 1600, height: 1200 };

describe('checking the boxes staff send', () => {
  it('accepts boxes inside the photo and widens fractional ones to whole pixels that still cover them', () => {
    const r = checkBoxes([{ x: 10, y: 20, w: 100, h: 50 }, { x: 10.6, y: 0.2, w: 20.1, h: 30.5 }], SIZE);
    expect(r).toEqual({ ok: true, boxes: [{ x: 10, y: 20, w: 100, h: 50 }, { x: 10, y: 0, w: 21, h: 31 }] });
  });

  it('accepts a box covering the whole photo and clamps a sub-pixel overhang from a browser', () => {
    expect(checkBoxes([{ x: 0, y: 0, w: 1600, h: 1200 }], SIZE)).toEqual({ ok: true, boxes: [{ x: 0, y: 0, w: 1600, h: 1200 }] });
    expect(checkBoxes([{ x: -0.3, y: 1100, w: 50, h: 100.4 }], SIZE)).toEqual({ ok: true, boxes: [{ x: 0, y: 1100, w: 50, h: 100 }] });
  });

  it('accepts no boxes at all (nothing to hide)', () => {
    expect(checkBoxes([], SIZE)).toEqual({ ok: true, boxes: [] });
  });

  it('refuses what is not a list, or more than 50 boxes', () => {
    expect(checkBoxes({ x: 1 }, SIZE)).toEqual({ ok: false, problems: [{ index: null, code: 'redaction.not-a-list' }] });
    expect(checkBoxes(undefined, SIZE)).toEqual({ ok: false, problems: [{ index: null, code: 'redaction.not-a-list' }] });
    const many = Array.from({ length: MAX_BOXES + 1 }, () => ({ x: 0, y: 0, w: 10, h: 10 }));
    expect(checkBoxes(many, SIZE)).toEqual({ ok: false, problems: [{ index: null, code: 'redaction.too-many-boxes' }] });
    expect(checkBoxes(many.slice(1), SIZE).ok).toBe(true);
  });

  it('names every bad box: not a box, outside the photo, too small', () => {
    const r = checkBoxes(
      [
        { x: 0, y: 0, w: 10, h: 10 },
        { x: '5', y: 0, w: 10, h: 10 },
        null,
        { x: 0, y: 0, w: Number.NaN, h: 10 },
        { x: 1595, y: 0, w: 10, h: 10 },
        { x: 0, y: -5, w: 10, h: 10 },
        { x: 10, y: 10, w: 0, h: 10 },
        { x: 10, y: 10, w: 3, h: 30 },
      ],
      SIZE,
    );
    expect(r).toEqual({
      ok: false,
      problems: [
        { index: 1, code: 'redaction.not-a-box' },
        { index: 2, code: 'redaction.not-a-box' },
        { index: 3, code: 'redaction.not-a-box' },
        { index: 4, code: 'redaction.outside-image' },
        { index: 5, code: 'redaction.outside-image' },
        { index: 6, code: 'redaction.outside-image' },
        { index: 7, code: 'redaction.too-small' },
      ],
    });
  });
});

describe('the region a box pixelates', () => {
  it('is the box plus 15% of its longer side on every side, at least 4 px, clipped to the photo', () => {
    expect(pixelationRegion({ x: 100, y: 100, w: 100, h: 140 }, SIZE)).toEqual({ x: 79, y: 79, w: 142, h: 182 });
    expect(pixelationRegion({ x: 100, y: 100, w: 10, h: 10 }, SIZE)).toEqual({ x: 96, y: 96, w: 18, h: 18 });
    expect(pixelationRegion({ x: 0, y: 1150, w: 100, h: 50 }, SIZE)).toEqual({ x: 0, y: 1135, w: 115, h: 65 });
  });

  it('is cut in at most six blocks across its longer side, blocks of at least 6 px', () => {
    expect(blockSize({ x: 0, y: 0, w: 142, h: 182 })).toBe(31);
    expect(blockSize({ x: 0, y: 0, w: 18, h: 18 })).toBe(6);
    expect(blockSize({ x: 0, y: 0, w: 1600, h: 1200 })).toBe(267);
  });
});

describe('merging what the detector saw', () => {
  it('joins a face seen in the whole photo and in a tile into one box covering both, keeping the best score', () => {
    const merged = mergeDetections([
      { x: 100, y: 100, w: 50, h: 60, score: 0.7 },
      { x: 104, y: 98, w: 52, h: 66, score: 0.9 },
      { x: 400, y: 100, w: 50, h: 60, score: 0.8 },
    ]);
    expect(merged).toEqual([
      { x: 100, y: 98, w: 56, h: 66, score: 0.9 },
      { x: 400, y: 100, w: 50, h: 60, score: 0.8 },
    ]);
  });

  it('keeps neighbouring faces apart when they barely touch', () => {
    const merged = mergeDetections([
      { x: 0, y: 0, w: 50, h: 50, score: 0.9 },
      { x: 45, y: 0, w: 50, h: 50, score: 0.8 },
    ]);
    expect(merged).toHaveLength(2);
  });

  it('snaps detections to whole pixels inside the photo and drops slivers', () => {
    expect(snapToImage({ x: -3.2, y: 10.5, w: 40.2, h: 20.1, score: 0.98765 }, SIZE)).toEqual({ x: 0, y: 10, w: 37, h: 21, score: 0.988 });
    expect(snapToImage({ x: 1598, y: 10, w: 30, h: 30, score: 0.9 }, SIZE)).toBeNull();
  });
});

describe('which boxes the public copy uses', () => {
  const face = { x: 10, y: 10, w: 40, h: 50, score: 0.9 };
  const plate = { x: 500, y: 900, w: 200, h: 50 };
  const pending: RedactionState = { status: 'pending', autoBoxes: [], staffBoxes: null, detectedAt: null };

  it('is not public until the detector has run', () => {
    expect(isPublishable(pending)).toBe(false);
    expect(isPublishable({ detectedAt: new Date() })).toBe(true);
  });

  it('uses the automatic boxes until staff review, then the staff boxes only', () => {
    expect(effectiveBoxes({ status: 'auto', autoBoxes: [face], staffBoxes: null })).toEqual([{ x: 10, y: 10, w: 40, h: 50 }]);
    expect(effectiveBoxes({ status: 'reviewed', autoBoxes: [face], staffBoxes: [plate] })).toEqual([plate]);
  });

  it('after a detection without review: the automatic boxes', () => {
    expect(boxesAfterDetection(pending, [face])).toEqual({ status: 'auto', staffBoxes: null });
  });

  it('staff saved before the detector ran: faces it finds are added unless a staff box already covers them', () => {
    const reviewed: RedactionState = { status: 'reviewed', autoBoxes: [], staffBoxes: [plate, { x: 5, y: 5, w: 50, h: 60 }], detectedAt: null };
    const other = { x: 300, y: 300, w: 40, h: 40, score: 0.8 };
    expect(boxesAfterDetection(reviewed, [face, other])).toEqual({ status: 'reviewed', staffBoxes: [plate, { x: 5, y: 5, w: 50, h: 60 }, { x: 300, y: 300, w: 40, h: 40 }] });
  });

  it('staff reviewed after an earlier detection: a rerun keeps the staff boxes (a face they deleted stays deleted)', () => {
    const reviewed: RedactionState = { status: 'reviewed', autoBoxes: [face], staffBoxes: [plate], detectedAt: new Date() };
    expect(boxesAfterDetection(reviewed, [face])).toEqual({ status: 'reviewed', staffBoxes: [plate] });
  });
});
