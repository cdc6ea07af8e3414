import { messageOf } from '../core/errors.js';

/** Colour transparent pixels are composited onto, for training and prediction alike. */
export const BACKGROUND = '#ffffff';

/** How long one image may take to decode before it is skipped, in ms. */
export const DECODE_TIMEOUT_MS = 15000;

/** The side images are decoded to when no other is asked for: the recipe's 224. */
export const DEFAULT_DECODE_SIZE = 224;

/**
 * Decodes an image into the pixels the core takes, upright and already the network's size:
 * - EXIF orientation applied;
 * - the center square (side = the short side) drawn onto a `size` x `size` canvas with high-quality
 *   smoothing, so a 36-megapixel photo is never held at full size, never reaches the GPU, and the
 *   core's crop and resize have nothing left to do (its fast path: bytes to floats in one pass);
 * - transparency composited onto white ({@link BACKGROUND}).
 *
 * JPEGs go through WebCodecs' `ImageDecoder` with a desired size, which makes Chromium decode at
 * 1/2-1/8 scale (DCT scaling): measured 3.5-5x faster than a full decode on 2-36 MP photos, and
 * closer to an exact area average. Other formats, and browsers without `ImageDecoder`, use
 * `createImageBitmap`. Works in a worker (`OffscreenCanvas`, no DOM).
 *
 * @param source a `File`/`Blob`, or any `ImageBitmapSource` (canvas, `<img>`, video, `ImageData`).
 * @param size side of the square in pixels: the base network's input size (224; 96 for
 *   `mobilenet-v2-0.50-96`).
 * @returns `ImageData` of `size` x `size` RGBA pixels (alpha 255): 200,704 bytes at 224.
 * @throws Error with the browser's reason when the bytes are not a decodable image, or after
 *   {@link DECODE_TIMEOUT_MS}; {@link SVG_UNSUPPORTED} for an SVG.
 */
export function decodeImage(source: ImageBitmapSource, size = DEFAULT_DECODE_SIZE): Promise<ImageData> {
  return withTimeout(decode(source, size), DECODE_TIMEOUT_MS);
}

async function decode(source: ImageBitmapSource, size: number): Promise<ImageData> {
  // By content, not name or type: downloaded sets often hold PNGs named .jpg.
  const header = source instanceof Blob ? new DataView(await source.slice(0, 256 * 1024).arrayBuffer()) : undefined;
  if (source instanceof Blob && header && isSvg(source, header)) throw new Error(SVG_UNSUPPORTED);
  const image = source instanceof Blob && header && isJpeg(header) ? await decodeJpeg(source, header, size) : await createImageBitmap(source, { imageOrientation: 'from-image' });
  try {
    const [width, height] = image instanceof ImageBitmap ? [image.width, image.height] : [image.displayWidth, image.displayHeight];
    const side = Math.min(width, height);
    const context = new OffscreenCanvas(size, size).getContext('2d', { willReadFrequently: true })!; // CPU canvas
    context.fillStyle = BACKGROUND;
    context.fillRect(0, 0, size, size);
    context.imageSmoothingQuality = 'high';
    // drawImage applies a VideoFrame's rotation and flip (its EXIF orientation); the center
    // square is the same region in stored and displayed coordinates.
    context.drawImage(image, (width - side) / 2, (height - side) / 2, side, side, 0, 0, size, size);
    return context.getImageData(0, 0, size, size);
  } finally {
    image.close();
  }
}

/**
 * Why an SVG is refused: it has no pixels until drawn at a size, and a worker cannot draw one
 * (`createImageBitmap` of an SVG blob is refused off the main thread).
 */
export const SVG_UNSUPPORTED = 'SVG images are not supported: convert to PNG';

/** An SVG by its type, its name, or its first bytes (`<svg`, or an XML declaration followed by one). */
function isSvg(blob: Blob, header: DataView): boolean {
  if (blob.type === 'image/svg+xml' || (blob instanceof File && /\.svgz?$/i.test(blob.name))) return true;
  const start = new TextDecoder().decode(new Uint8Array(header.buffer, 0, Math.min(header.byteLength, 512))).trimStart();
  return /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(start);
}

/** A JPEG decoded at reduced size where `ImageDecoder` exists; else a full `ImageBitmap`. */
async function decodeJpeg(blob: Blob, header: DataView, side: number): Promise<VideoFrame | ImageBitmap> {
  if (!('ImageDecoder' in globalThis) || !(await ImageDecoder.isTypeSupported('image/jpeg'))) {
    return createImageBitmap(blob, { imageOrientation: 'from-image' });
  }
  const init: ImageDecoderInit = { data: blob.stream(), type: 'image/jpeg' };
  const size = jpegSize(header);
  if (size) {
    // Chromium picks the largest M/8 scale whose pixel count fits the desired size, which can
    // land below the side asked for; asking for twice that keeps the short side at least that.
    const k = Math.min(1, (2 * side) / Math.min(size[0], size[1]));
    init.desiredWidth = Math.round(size[0] * k);
    init.desiredHeight = Math.round(size[1] * k);
  }
  const decoder = new ImageDecoder(init);
  // close() rejects `completed` ("Closed decoder"); Firefox reports that as uncaught unless it is observed.
  decoder.completed.catch(() => undefined);
  try {
    return (await decoder.decode()).image;
  } finally {
    decoder.close();
  }
}

/** JPEG magic bytes: SOI followed by a marker. */
function isJpeg(header: DataView): boolean {
  return header.byteLength >= 3 && header.getUint16(0) === 0xffd8 && header.getUint8(2) === 0xff;
}

/** Stored (un-rotated) `[width, height]` from the start-of-frame marker in a JPEG's first bytes, or null. */
function jpegSize(view: DataView): [number, number] | null {
  for (let p = 2; p + 9 < view.byteLength; p += 2 + view.getUint16(p + 2)) {
    const marker = view.getUint16(p);
    if ((marker & 0xff00) !== 0xff00) return null;
    // SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    if (marker >= 0xffc0 && marker <= 0xffcf && marker !== 0xffc4 && marker !== 0xffc8 && marker !== 0xffcc) {
      return [view.getUint16(p + 7), view.getUint16(p + 5)];
    }
  }
  return null;
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
  const message = messageOf(error);
  if (
    /could not be decoded|InvalidStateError|EncodingError|Failed to decode|NotSupportedError/i.test(message) ||
    (error instanceof DOMException && ['EncodingError', 'InvalidStateError', 'NotSupportedError'].includes(error.name))
  ) {
    return `the browser could not decode it (unsupported format or damaged file: ${message})`;
  }
  return message;
}
