import { describe, expect, it } from 'vitest';
import { ICNS_TYPES, icoBitmap, writeIcns, writeIco, type RenderedIcon } from './icon-containers.ts';

/** A fake PNG (the containers copy PNG bytes as they are) and a solid RGBA image. */
function icon(size: number, rgba: readonly [number, number, number, number] = [10, 20, 30, 255]): RenderedIcon {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.from(`png-${size}`)]);
  const pixels = Buffer.alloc(size * size * 4);
  for (let i = 0; i < size * size; i++) pixels.set(rgba, i * 4);
  return { size, png, rgba: pixels };
}

describe('writeIco', () => {
  const sizes = [16, 32, 48, 256];
  const ico = Buffer.from(writeIco(sizes.map((s) => icon(s))));

  it('has a directory entry per size, pointing at its image', () => {
    expect(ico.readUInt16LE(2)).toBe(1);
    expect(ico.readUInt16LE(4)).toBe(sizes.length);
    sizes.forEach((size, i) => {
      const entry = 6 + 16 * i;
      expect(ico[entry] === 0 ? 256 : ico[entry]).toBe(size);
      expect(ico.readUInt16LE(entry + 6)).toBe(32);
      const length = ico.readUInt32LE(entry + 8);
      const offset = ico.readUInt32LE(entry + 12);
      expect(offset + length).toBeLessThanOrEqual(ico.length);
      const image = ico.subarray(offset, offset + length);
      if (size === 256) expect(image.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      else expect(image.readUInt32LE(0)).toBe(40); // BITMAPINFOHEADER
    });
  });

  it('refuses an image larger than an .ico can hold', () => {
    expect(() => writeIco([icon(512)])).toThrow(/at most 256/);
  });
});

describe('icoBitmap', () => {
  it('stores BGRA rows bottom-up, with the height doubled for the mask', () => {
    const rgba = Buffer.alloc(2 * 2 * 4);
    rgba.set([255, 0, 0, 255], 0); // top-left red
    rgba.set([0, 0, 255, 128], 12); // bottom-right blue, half transparent
    const bmp = Buffer.from(icoBitmap({ size: 2, png: new Uint8Array(), rgba }));
    expect(bmp.readInt32LE(8)).toBe(4);
    // Row 0 of the file is the bottom row: its second pixel is the blue one.
    expect([...bmp.subarray(40 + 4, 40 + 8)]).toEqual([255, 0, 0, 128]);
    // The top row comes last: its first pixel is red, in BGRA order.
    expect([...bmp.subarray(40 + 8, 40 + 12)]).toEqual([0, 0, 255, 255]);
    expect(bmp.length).toBe(40 + 16 + 4 * 2);
  });

  it('refuses pixels that do not match the size', () => {
    expect(() => icoBitmap({ size: 4, png: new Uint8Array(), rgba: new Uint8Array(3) })).toThrow(/RGBA bytes/);
  });
});

describe('writeIcns', () => {
  it('holds every element type whose size was rendered, with lengths that add up', () => {
    const icns = Buffer.from(writeIcns([16, 32, 64, 128, 256, 512, 1024].map((s) => icon(s))));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let at = 8; at < icns.length;) {
      types.push(icns.subarray(at, at + 4).toString('ascii'));
      const length = icns.readUInt32BE(at + 4);
      expect(icns.subarray(at + 8, at + 12)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      at += length;
    }
    expect(types).toEqual(ICNS_TYPES.map(([type]) => type));
  });
});
