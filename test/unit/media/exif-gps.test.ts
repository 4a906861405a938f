import sharp from 'sharp';
import { gpsFromExif } from '../../../src/media/exif-gps';
import * as fx from '../../fixtures/images';

async function exifOf(image: Buffer): Promise<Buffer | undefined> {
  return (await sharp(image).metadata()).exif;
}

describe('gpsFromExif', () => {
  it('when a photo was taken in Hà Nội, returns its position in decimal degrees', async () => {
    const gps = gpsFromExif(await exifOf(await fx.rotatedJpegWithGps(fx.HANOI)));
    expect(gps).not.toBeNull();
    expect(gps!.lat).toBeCloseTo(fx.HANOI.lat, 4);
    expect(gps!.lng).toBeCloseTo(fx.HANOI.lng, 4);
  });

  it('when a photo was taken south and west of Greenwich, returns negative degrees', async () => {
    const exif = await exifOf(
      await fx.jpegWithExif({
        IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '33/1 52/1 1230/100', GPSLongitudeRef: 'W', GPSLongitude: '70/1 30/1 0/1' },
      }),
    );
    const gps = gpsFromExif(exif);
    expect(gps!.lat).toBeCloseTo(-(33 + 52 / 60 + 12.3 / 3600), 6);
    expect(gps!.lng).toBeCloseTo(-70.5, 6);
  });

  it('when the photo has EXIF but no GPS, suggests no location', async () => {
    expect(gpsFromExif(await exifOf(await fx.jpegWithExif({ IFD0: { Make: 'Cam' } })))).toBeNull();
  });

  it('when the photo has no EXIF at all, suggests no location', async () => {
    expect(gpsFromExif(await exifOf(await fx.png()))).toBeNull();
    expect(gpsFromExif(undefined)).toBeNull();
  });

  it('when the camera had no fix and wrote 0,0, suggests no location', async () => {
    const exif = await exifOf(
      await fx.jpegWithExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '0/1 0/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '0/1 0/1 0/1' } }),
    );
    expect(gpsFromExif(exif)).toBeNull();
  });

  it('when the coordinates are out of range, suggests no location', async () => {
    const exif = await exifOf(
      await fx.jpegWithExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '95/1 0/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '10/1 0/1 0/1' } }),
    );
    expect(gpsFromExif(exif)).toBeNull();
  });

  it('when the EXIF block is garbage, suggests no location instead of failing the photo', () => {
    expect(gpsFromExif(Buffer.from('Exif\0\0II*\0\xff\xff\xff\xff garbage', 'latin1'))).toBeNull();
    expect(gpsFromExif(Buffer.from('nonsense'))).toBeNull();
  });
});
