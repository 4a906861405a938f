/**
 * Sends a photo to a Zalo resident: Zalo accepts JPG/PNG up to 1 MB, so larger photos are
 * re-encoded with sharp first, uploaded, then sent by attachment id.
 */
import { ZALO_IMAGE_MAX_BYTES, type ZaloOaClient } from '../../clients/zalo-oa';
import { fitImageUnderBytes } from '../../media';

export async function sendPhotoToZalo(client: ZaloOaClient, userId: string, photo: Buffer, caption?: string): Promise<string> {
  const fitted = await fitImageUnderBytes(photo, ZALO_IMAGE_MAX_BYTES);
  const isPng = fitted[0] === 0x89 && fitted[1] === 0x50;
  const attachmentId = await client.uploadImage(fitted, isPng ? 'photo.png' : 'photo.jpg', isPng ? 'image/png' : 'image/jpeg');
  return client.sendImage(userId, { attachmentId }, caption);
}
