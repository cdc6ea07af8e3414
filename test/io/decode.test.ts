import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { preprocess } from '../../src/core/preprocess.js';
import { decodeImage, decodeFailureReason } from '../../src/io/decode.js';

/**
 * A canvas of `width` x `height` filled with `background`, with a `corner` square of 1/4 the short
 * side at the top left of its center square (the part decoding keeps).
 */
function paint(width: number, height: number, background: string, corner?: string): OffscreenCanvas {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, width, height);
  if (corner) {
    ctx.fillStyle = corner;
    const side = Math.min(width, height);
    ctx.fillRect((width - side) / 2, (height - side) / 2, side / 4, side / 4);
  }
  return canvas;
}

/** Inserts an EXIF APP1 segment holding only the orientation tag (0x0112) right after a JPEG's SOI marker. */
async function withOrientation(jpeg: Blob, orientation: number): Promise<Blob> {
  const bytes = new Uint8Array(await jpeg.arrayBuffer());
  // prettier-ignore
  const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, /* 1 IFD entry */ 0, 1, /* tag */ 0x01, 0x12, /* SHORT */ 0, 3, /* count */ 0, 0, 0, 1,
    /* value */ 0, orientation, 0, 0, /* next IFD */ 0, 0, 0, 0];
  const payload = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff]; // "Exif\0\0"
  const length = payload.length + 2;
  const app1 = [0xff, 0xe1, length >> 8, length & 0xff, ...payload];
  return new Blob([bytes.slice(0, 2), new Uint8Array(app1), bytes.slice(2)], { type: 'image/jpeg' });
}

/** A PNG written byte by byte, for kinds a canvas cannot encode (grayscale, palette, 16-bit). */
async function png(width: number, height: number, colorType: number, bitDepth: number, rows: number[][], palette?: number[]): Promise<Blob> {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (data: Uint8Array) => {
    let c = 0xffffffff;
    for (const b of data) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const u32 = (v: number) => [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  const chunk = (type: string, data: number[] | Uint8Array) => {
    const body = new Uint8Array([...[...type].map((ch) => ch.charCodeAt(0)), ...data]);
    return new Uint8Array([...u32(data.length), ...body, ...u32(crc(body))]);
  };
  const raw = new Uint8Array(rows.flatMap((row) => [0, ...row])); // filter type 0 per row
  const idat = new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream('deflate'))).arrayBuffer());
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', [...u32(width), ...u32(height), bitDepth, colorType, 0, 0, 0]),
    ...(palette ? [chunk('PLTE', palette)] : []),
    chunk('IDAT', idat),
    chunk('IEND', []),
  ];
  return new Blob(parts, { type: 'image/png' });
}

const pixel = (image: ImageData, x: number, y: number) => [...image.data.slice((y * image.width + x) * 4, (y * image.width + x) * 4 + 3)];
const isRed = ([r, g, b]: number[]) => r > 200 && g < 70 && b < 70;
const near = (actual: number[], expected: number[], tolerance = 3) => actual.every((v, i) => Math.abs(v - expected[i]) <= tolerance);

describe('io: decoding every kind of image', () => {
  it('applies all eight EXIF orientations: the stored top-left corner lands where the tag says', async () => {
    // Stored 40 wide x 20 high, red square at the stored top left.
    const jpeg = await paint(40, 20, '#0000ff', '#ff0000').convertToBlob({ type: 'image/jpeg', quality: 0.95 });
    const corners: Record<number, string> = { 1: 'top-left', 2: 'top-right', 3: 'bottom-right', 4: 'bottom-left', 5: 'top-left', 6: 'top-right', 7: 'bottom-right', 8: 'bottom-left' };
    for (let orientation = 1; orientation <= 8; orientation++) {
      const image = await decodeImage(await withOrientation(jpeg, orientation));
      expect([image.width, image.height], `orientation ${orientation}`).to.deep.equal([224, 224]);
      // 8 px in from each corner: high-quality smoothing blends the crop's edge with what is just outside it.
      const at = {
        'top-left': pixel(image, 8, 8),
        'top-right': pixel(image, 215, 8),
        'bottom-right': pixel(image, 215, 215),
        'bottom-left': pixel(image, 8, 215),
      };
      const red = Object.entries(at)
        .filter(([, p]) => isRed(p))
        .map(([corner]) => corner);
      expect(red, `orientation ${orientation}`).to.deep.equal([corners[orientation]]);
    }
  });

  it('keeps the center square of a large photo, at 224x224', async () => {
    // 4000x3000: the center square is x 500-3500. Red outside it, blue on its left quarter.
    const canvas = paint(4000, 3000, '#00ff00');
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#ff0000';
    ctx.fillRect(0, 0, 500, 3000);
    ctx.fillStyle = '#0000ff';
    ctx.fillRect(500, 0, 750, 3000);
    const image = await decodeImage(await canvas.convertToBlob({ type: 'image/jpeg' }));
    expect([image.width, image.height]).to.deep.equal([224, 224]);
    // 8 px in from the edges: high-quality smoothing blends the crop's edge with what is just outside it.
    expect(near(pixel(image, 8, 112), [0, 0, 255], 8), 'left edge').to.equal(true);
    expect(near(pixel(image, 48, 112), [0, 0, 255], 8), 'left quarter').to.equal(true);
    expect(near(pixel(image, 64, 112), [0, 255, 0], 8), 'beyond it').to.equal(true);
    expect(near(pixel(image, 215, 112), [0, 255, 0], 8), 'right edge').to.equal(true);
  });

  it('composites transparency onto white, and decodes 1x1, WebP, GIF (first frame) and BMP', async () => {
    const transparent = new OffscreenCanvas(8, 8); // all pixels (0, 0, 0, 0)
    transparent.getContext('2d');
    const half = paint(8, 8, 'rgba(255, 0, 0, 0.5)');
    expect(pixel(await decodeImage(await transparent.convertToBlob()), 112, 112)).to.deep.equal([255, 255, 255]);
    expect(near(pixel(await decodeImage(await half.convertToBlob()), 112, 112), [255, 127, 127], 2)).to.equal(true);

    const one = await decodeImage(await paint(1, 1, '#336699').convertToBlob());
    expect([one.width, one.height, ...pixel(one, 0, 0), ...pixel(one, 223, 223)]).to.deep.equal([224, 224, 0x33, 0x66, 0x99, 0x33, 0x66, 0x99]);
    const input = preprocess(one);
    expect(input.shape).to.deep.equal([224, 224, 3]);
    input.dispose();

    const webp = await paint(16, 16, '#ff0000').convertToBlob({ type: 'image/webp', quality: 1 });
    expect(near(pixel(await decodeImage(webp), 112, 112), [255, 0, 0], 6)).to.equal(true);

    // Two 1x1 frames: index 0 = red, then index 1 = blue. LZW (min code size 2): clear, index, end.
    // prettier-ignore
    const gif = new Blob([new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0x80, 0, 0, 255, 0, 0, 0, 0, 255,
      0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0,
      0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4c, 0x01, 0, 0x3b])], { type: 'image/gif' });
    expect(pixel(await decodeImage(gif), 0, 0)).to.deep.equal([255, 0, 0]);

    // 1x1 24-bit BMP, orange (stored blue-green-red, the row padded to 4 bytes).
    // prettier-ignore
    const bmp = new Blob([new Uint8Array([0x42, 0x4d, 58, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 24, 0,
      0, 0, 0, 0, 4, 0, 0, 0, 0x13, 0x0b, 0, 0, 0x13, 0x0b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 128, 255, 0])], { type: 'image/bmp' });
    expect(pixel(await decodeImage(bmp), 112, 112)).to.deep.equal([255, 128, 0]);
  });

  it('turns grayscale, palette and 16-bit PNGs into 3 channels', async () => {
    // 1x1 images: decoding keeps the center square, so wider ones would blend their pixels.
    const gray = await decodeImage(await png(1, 1, 0, 8, [[200]]));
    expect(pixel(gray, 112, 112)).to.deep.equal([200, 200, 200]);
    const palette = await decodeImage(await png(1, 1, 3, 8, [[1]], [255, 0, 0, 0, 128, 255]));
    expect(pixel(palette, 112, 112)).to.deep.equal([0, 128, 255]);
    const sixteen = await decodeImage(await png(1, 1, 2, 16, [[0xff, 0xff, 0x80, 0x00, 0x00, 0x00]]));
    expect(near(pixel(sixteen, 0, 0), [255, 128, 0], 1)).to.equal(true);
    const grayAlpha = await decodeImage(await png(1, 1, 4, 8, [[0, 0]])); // black, fully transparent
    expect(pixel(grayAlpha, 0, 0)).to.deep.equal([255, 255, 255]);
    const t = tf.browser.fromPixels(gray, 3);
    expect(t.shape).to.deep.equal([224, 224, 3]);
    t.dispose();
  });

  it('rejects what the browser cannot decode, quickly, with a reason', async () => {
    const jpeg = new Uint8Array(await (await paint(64, 64, '#808080', '#ff0000').convertToBlob({ type: 'image/jpeg' })).arrayBuffer());
    const broken = {
      'zero-byte.jpg': new Blob([], { type: 'image/jpeg' }),
      'text.jpg': new Blob(['this is not a picture'], { type: 'image/jpeg' }),
      'truncated.jpg': new Blob([jpeg.slice(0, jpeg.length / 3)], { type: 'image/jpeg' }),
      'photo.heic': new Blob([new Uint8Array([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63, 0, 0, 0, 0, 0x6d, 0x69, 0x66, 0x31, 0x68, 0x65, 0x69, 0x63])], { type: 'image/heic' }),
      'scan.tiff': new Blob([new Uint8Array([0x49, 0x49, 42, 0, 8, 0, 0, 0, 0, 0])], { type: 'image/tiff' }),
      'empty.png': new Blob([], { type: 'image/png' }),
    };
    for (const [name, blob] of Object.entries(broken)) {
      const started = performance.now();
      const error = await decodeImage(blob).then(
        () => null,
        (e) => e,
      );
      expect(error, name).to.be.instanceOf(Error);
      expect(decodeFailureReason(error), name).to.match(/could not decode/);
      expect(performance.now() - started, name).to.be.lessThan(3000);
    }
  });
});

describe('io: formats that are refused by name', () => {
  it('an SVG (by type, name or content) is refused with its own reason, not "could not decode"', async () => {
    const svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="red"/></svg>';
    const cases = [new Blob([svg], { type: 'image/svg+xml' }), new File([svg], 'logo.svg'), new Blob([svg.slice(svg.indexOf('<svg'))])];
    for (const blob of cases) {
      const error = await decodeImage(blob).catch((e) => e);
      expect(decodeFailureReason(error)).to.equal('SVG images are not supported: convert to PNG');
    }
  });
});
