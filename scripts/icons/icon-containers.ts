// The two icon containers the installers need, written from rendered images:
// Windows .ico and macOS .icns. Both formats are simple tables of images;
// writing them here keeps the build offline (no converter to download).

/** One rendered square image: PNG bytes and the same pixels as RGBA (row 0 at the top). */
export interface RenderedIcon {
  readonly size: number;
  readonly png: Uint8Array;
  readonly rgba: Uint8Array;
}

/**
 * A 32-bit BMP image as an .ico entry holds it: BITMAPINFOHEADER with the
 * height doubled (colour + mask), BGRA rows bottom-up, then the 1-bit AND
 * mask (all zero: the alpha channel decides). Small sizes go in this form,
 * which every Windows icon reader (and NSIS) accepts.
 */
export function icoBitmap(icon: RenderedIcon): Uint8Array {
  const { size, rgba } = icon;
  if (rgba.length !== size * size * 4) throw new Error(`icon ${size}: expected ${size * size * 4} RGBA bytes, got ${rgba.length}`);
  const maskRow = Math.ceil(size / 32) * 4;
  const out = Buffer.alloc(40 + size * size * 4 + maskRow * size);
  out.writeUInt32LE(40, 0); // biSize
  out.writeInt32LE(size, 4); // biWidth
  out.writeInt32LE(size * 2, 8); // biHeight: colour and mask
  out.writeUInt16LE(1, 12); // biPlanes
  out.writeUInt16LE(32, 14); // biBitCount
  // biCompression 0 (BI_RGB), the rest 0.
  for (let y = 0; y < size; y++) {
    const row = size - 1 - y; // bottom-up
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = 40 + (row * size + x) * 4;
      out[to] = rgba[from + 2]!;
      out[to + 1] = rgba[from + 1]!;
      out[to + 2] = rgba[from]!;
      out[to + 3] = rgba[from + 3]!;
    }
  }
  return out;
}

/** A Windows .ico: 256 px as PNG (Vista and later), smaller sizes as 32-bit bitmaps. */
export function writeIco(icons: readonly RenderedIcon[]): Uint8Array {
  const images = icons.map((icon) => ({ size: icon.size, data: icon.size >= 256 ? icon.png : icoBitmap(icon) }));
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, i) => {
    if (size > 256) throw new Error(`an .ico image is at most 256 px, not ${size}`);
    const entry = 6 + 16 * i;
    header[entry] = size === 256 ? 0 : size; // 0 means 256
    header[entry + 1] = size === 256 ? 0 : size;
    header.writeUInt16LE(1, entry + 4); // planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(data.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.data)]);
}

/**
 * The PNG element types of an .icns file and the pixel size each holds
 * (Apple's IconFamily types; the @2x ones are for Retina).
 */
export const ICNS_TYPES: readonly (readonly [type: string, pixels: number])[] = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32], // 16@2x
  ['icp6', 64],
  ['ic12', 64], // 32@2x
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256], // 128@2x
  ['ic09', 512],
  ['ic14', 512], // 256@2x
  ['ic10', 1024], // 512@2x
];

/** A macOS .icns: 'icns', total length, then (type, length, PNG) per element; big-endian. */
export function writeIcns(icons: readonly RenderedIcon[]): Uint8Array {
  const bySize = new Map(icons.map((icon) => [icon.size, icon.png]));
  const elements = ICNS_TYPES.flatMap(([type, pixels]) => {
    const png = bySize.get(pixels);
    if (png === undefined) return [];
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(8 + png.length, 4);
    return [head, png];
  });
  const body = Buffer.concat(elements);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + body.length, 4);
  return Buffer.concat([head, body]);
}
