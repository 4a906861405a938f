/**
 * Photo handling: download from platform attachment URLs, format sniffing, the sharp pipeline
 * (orient, resize, strip metadata, thumbnail, content-hash keys), EXIF GPS, storage, fitting
 * images under Zalo's upload limit, and redaction (face detection in a worker thread, pixelation).
 */
export {
  DEFAULT_DOWNLOAD_TIMEOUT_MS,
  DEFAULT_MAX_PHOTO_BYTES,
  DEFAULT_MAX_REDIRECTS,
  downloadImage,
  type DownloadOptions,
  type ResolveHost,
} from './download';
export { parseFetchAllowList } from './fetch-allow-list';
export {
  DEFAULT_INGEST_CONCURRENCY,
  DEFAULT_INGEST_MARGIN,
  ingestPhotos,
  type IngestPhotosOptions,
  type IngestPhotosResult,
} from './ingest-photos';
export { nonPublicReason } from './ip-ranges';
export { pinnedGet, type PinnedAddress, type PinnedGet, type PinnedGetInit } from './pinned-get';
export { gpsFromExif, type GpsPoint } from './exif-gps';
export { fitImageUnderBytes, ZALO_MAX_IMAGE_BYTES, type FitOptions } from './fit-under-bytes';
export { contentTypeForKey, FsImageStore, isImageKey, type ImageKey, type ImageStore } from './image-store';
export {
  DEFAULT_DECODE_CONCURRENCY,
  DEFAULT_LONG_SIDE,
  DEFAULT_MAX_INPUT_PIXELS,
  DEFAULT_THUMB_SIDE,
  fromSharpError,
  JPEG_QUALITY,
  PhotoPipeline,
  sharedDecodeSlots,
  type InspectedPhoto,
  type PhotoPipelineOptions,
  type ProcessedPhoto,
  type RenderedPhoto,
} from './photo-pipeline';
export { Semaphore } from './semaphore';
export { WorkerFaceDetector, type WorkerFaceDetectorOptions } from './face-detector';
export { DEFAULT_DETECTOR_SETTINGS, type DetectorSettings } from './face-tiles';
export { pixelateJpeg, pixelateRaw, SharpRedactionRenderer, type RawImage } from './pixelate';
export {
  photoError,
  requireSupportedImage,
  sniffImage,
  SUPPORTED_IMAGE_KINDS,
  type ImageKind,
  type PhotoErrorCode,
} from './sniff';
