// Every stage has its tray icon for each OS, in the sizes that OS asks for.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/lib/paths.ts';
import { TRAY_ICON_NAMES } from '../ipc/contract-names.ts';
import { trayIconPath } from './tray-icons.ts';

const TRAY_DIR = join(REPO_ROOT, 'assets', 'tray');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR. */
function pngSize(file: Buffer): [number, number] {
  expect(file.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  return [file.readUInt32BE(16), file.readUInt32BE(20)];
}

/** The sizes of an .ico's images, each checked to be a PNG of that size. */
function icoSizes(file: Buffer): number[] {
  expect([file.readUInt16LE(0), file.readUInt16LE(2)]).toEqual([0, 1]);
  return Array.from({ length: file.readUInt16LE(4) }, (_, i) => {
    const entry = 6 + 16 * i;
    const size = file.readUInt8(entry) || 256;
    const image = file.subarray(file.readUInt32LE(entry + 12), file.readUInt32LE(entry + 12) + file.readUInt32LE(entry + 8));
    expect(pngSize(image)).toEqual([size, size]);
    return size;
  });
}

describe('tray icons', () => {
  it.each(TRAY_ICON_NAMES)('%s: Windows .ico from 16 to 48 px', (icon) => {
    expect(icoSizes(readFileSync(trayIconPath(TRAY_DIR, icon, 'win32')))).toEqual([16, 20, 24, 32, 40, 48]);
  });

  it.each(TRAY_ICON_NAMES)('%s: macOS template image (…Template.png), 16 px and @2x', (icon) => {
    const path = trayIconPath(TRAY_DIR, icon, 'darwin');
    expect(path).toMatch(/Template\.png$/);
    expect(pngSize(readFileSync(path))).toEqual([16, 16]);
    expect(pngSize(readFileSync(path.replace(/\.png$/, '@2x.png')))).toEqual([32, 32]);
  });

  it.each(TRAY_ICON_NAMES)('%s: Linux PNG, 32 px and @2x', (icon) => {
    const path = trayIconPath(TRAY_DIR, icon, 'linux');
    expect(pngSize(readFileSync(path))).toEqual([32, 32]);
    expect(existsSync(path.replace(/\.png$/, '@2x.png'))).toBe(true);
  });
});
