// `npm run icons`: renders assets/icon.svg into the app icons the installers
// use (assets/app-icon/): icon.png (1024 px), icon.ico (Windows), icon.icns
// (macOS) and png/NxN.png (Linux). Rendered by Debian's Chromium (the same one
// the tests use), so no image tool is needed; run it again after changing the SVG.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../lib/paths.ts';
import { type RenderedIcon, writeIcns, writeIco } from './icon-containers.ts';

const SOURCE = join(REPO_ROOT, 'assets', 'icon.svg');
export const APP_ICON_DIR = join(REPO_ROOT, 'assets', 'app-icon');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];

async function render(svg: string): Promise<RenderedIcon[]> {
  const browser = await chromium.launch({ executablePath: process.env['WFA_CHROMIUM'] ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    const url = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    const results = await page.evaluate(
      async ({ url, sizes }) => {
        // Runs in the page; the root tsconfig has no DOM types, so the little used here is typed locally.
        interface Canvas {
          width: number;
          height: number;
          getContext(kind: '2d'): {
            drawImage(image: unknown, x: number, y: number, w: number, h: number): void;
            getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
          };
          toBlob(done: (blob: { arrayBuffer(): Promise<ArrayBuffer> } | null) => void, type: string): void;
        }
        const page = globalThis as unknown as { Image: new () => { src: string; decode(): Promise<void> }; document: { createElement(tag: 'canvas'): Canvas } };
        const image = new page.Image();
        image.src = url;
        await image.decode();
        return Promise.all(
          sizes.map(async (size) => {
            const canvas = page.document.createElement('canvas');
            canvas.width = size;
            canvas.height = size;
            const context = canvas.getContext('2d');
            context.drawImage(image, 0, 0, size, size);
            const rgba = Array.from(context.getImageData(0, 0, size, size).data);
            const blob = await new Promise<{ arrayBuffer(): Promise<ArrayBuffer> }>((resolve, reject) =>
              canvas.toBlob((b) => (b === null ? reject(new Error('no PNG')) : resolve(b)), 'image/png'),
            );
            const png = Array.from(new Uint8Array(await blob.arrayBuffer()));
            return { size, png, rgba };
          }),
        );
      },
      { url, sizes: [...SIZES] },
    );
    return results.map((r) => ({ size: r.size, png: Uint8Array.from(r.png), rgba: Uint8Array.from(r.rgba) }));
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const icons = await render(readFileSync(SOURCE, 'utf8'));
  const bySize = (sizes: readonly number[]): RenderedIcon[] => icons.filter((icon) => sizes.includes(icon.size));
  mkdirSync(join(APP_ICON_DIR, 'png'), { recursive: true });
  writeFileSync(join(APP_ICON_DIR, 'icon.png'), icons.find((icon) => icon.size === 1024)!.png);
  writeFileSync(join(APP_ICON_DIR, 'icon.ico'), writeIco(bySize(ICO_SIZES)));
  writeFileSync(join(APP_ICON_DIR, 'icon.icns'), writeIcns(icons));
  for (const icon of bySize(LINUX_SIZES)) writeFileSync(join(APP_ICON_DIR, 'png', `${icon.size}x${icon.size}.png`), icon.png);
  console.log(`icons: written to ${APP_ICON_DIR} from ${SOURCE}`);
}

await main();
