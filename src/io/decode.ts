import { INPUT_SIZE } from '../core/preprocess.js';

/** Colour transparent pixels are composited onto, for training and prediction alike. */
export const BACKGROUND = '#ffffff';

/** How long one image may take to decode before it is skipped, in ms. */
export const DECODE_TIMEOUT_MS = 15000;

/**
 * Decodes an image file into upright RGBA pixels ready for the core's preprocessing:
 * - EXIF orientation applied (`imageOrientation: 'from-image'`);
 * - shrunk while decoding so the short side is at most 224 px (aspect kept), so a 36-megapixel
 *   photo never reaches the GPU and memory per image stays ~200 KB;
 * - transparency composited onto white ({@link BACKGROUND}).
 *
 * Works in a worker (`createImageBitmap` and `OffscreenCanvas` only).
 *
 * @param source a `File`/`Blob`, or any `ImageBitmapSource` (canvas, `<img>`, video frame, `ImageData`).
 * @returns `ImageData` with its short side `min(224, original short side)`.
 * @throws Error with the browser's reason when the bytes are not a decodable image, or after
 *   {@link DECODE_TIMEOUT_MS}.
 */
export async function decodeImage(source: ImageBitmapSource): Promise<ImageData> {
  const full = await withTimeout(createImageBitmap(source, { imageOrientation: 'from-image' }), DECODE_TIMEOUT_MS);
  let small: ImageBitmap | undefined;
  try {
    const scale = Math.min(1, INPUT_SIZE / Math.min(full.width, full.height));
    const width = Math.max(1, Math.round(full.width * scale));
    const height = Math.max(1, Math.round(full.height * scale));
    small = scale < 1 ? await createImageBitmap(full, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' }) : full;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    context.fillStyle = BACKGROUND;
    context.fillRect(0, 0, width, height);
    context.drawImage(small, 0, 0);
    return context.getImageData(0, 0, width, height);
  } finally {
    full.close();
    small?.close();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`decoding took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The browser's decode failure, in words a user understands. */
export function decodeFailureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/source image could not be decoded|InvalidStateError|could not be decoded/i.test(message)) {
    return 'the browser could not decode it (unsupported format or damaged file)';
  }
  return message;
}
