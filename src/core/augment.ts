/** RGBA pixels, as `ImageData` holds them (an `ImageData` is one). */
/** The most augmented copies per training image: each one costs as much as reading the image again. */
export const MAX_AUGMENT = 16;

export interface Pixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Uniform numbers in [0, 1): `Math.random`, or {@link seededRandom} for repeatable runs. */
export type AugmentRandom = () => number;

/**
 * The documented augmentation set, per copy. Every value is drawn uniformly from its range.
 * - `scale`: side of a random square crop, as a share of the image's side (0.8-1: up to 1.25x zoom);
 *   its position is random too; the crop is resized back to the full size (bilinear).
 * - `flip`: probability of a horizontal mirror.
 * - `brightness`: added to every channel, in levels of 0-255 (±20, about ±8%).
 * - `contrast`: factor around the image's mean level (0.85-1.15).
 */
export const AUGMENTATION = { scale: [0.8, 1], flip: 0.5, brightness: [-20, 20], contrast: [0.85, 1.15] } as const;

/** mulberry32: a small, fast generator whose sequence is fixed by `seed` (any number). */
export function seededRandom(seed: number): AugmentRandom {
  let state = Math.floor(seed * 0x9e3779b9) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One randomly augmented copy of decoded pixels, the same size (see {@link AUGMENTATION}): a
 * random crop of 80-100% of the side resized back, a horizontal flip half the time, and small
 * brightness and contrast changes. Plain arithmetic on the bytes, no tensors: about 1-2 ms for
 * 224x224, in a worker or the page. Training uses it for extra copies of training images only,
 * never for validation or prediction.
 *
 * @param image RGBA pixels (alpha is kept as it is); not modified.
 * @returns new pixels of `image`'s width and height.
 */
export function augmentImage(image: Pixels, random: AugmentRandom = Math.random): Pixels {
  const { width, height, data } = image;
  const between = ([low, high]: readonly [number, number]) => low + (high - low) * random();
  const scale = between(AUGMENTATION.scale);
  const cropWidth = width * scale;
  const cropHeight = height * scale;
  const left = (width - cropWidth) * random();
  const top = (height - cropHeight) * random();
  const flip = random() < AUGMENTATION.flip;
  const brightness = between(AUGMENTATION.brightness);
  const contrast = between(AUGMENTATION.contrast);
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) sum += data[i] + data[i + 1] + data[i + 2];
  const mean = sum / ((data.length / 4) * 3);
  const out = new Uint8ClampedArray(data.length);
  const clamp = (v: number, max: number) => (v < 0 ? 0 : v > max ? max : v);
  for (let y = 0; y < height; y++) {
    // Pixel centres of the output mapped into the crop.
    const sy = clamp(top + ((y + 0.5) * cropHeight) / height - 0.5, height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, height - 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = clamp(left + (((flip ? width - 1 - x : x) + 0.5) * cropWidth) / width - 0.5, width - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, width - 1);
      const fx = sx - x0;
      const a = (y0 * width + x0) * 4;
      const b = (y0 * width + x1) * 4;
      const c = (y1 * width + x0) * 4;
      const d = (y1 * width + x1) * 4;
      const o = (y * width + x) * 4;
      for (let k = 0; k < 3; k++) {
        const top = data[a + k] + (data[b + k] - data[a + k]) * fx;
        const bottom = data[c + k] + (data[d + k] - data[c + k]) * fx;
        const value = top + (bottom - top) * fy;
        // Uint8ClampedArray rounds and clamps to 0-255.
        out[o + k] = (value - mean) * contrast + mean + brightness;
      }
      out[o + 3] = data[(Math.round(sy) * width + Math.round(sx)) * 4 + 3];
    }
  }
  return { data: out, width, height };
}
