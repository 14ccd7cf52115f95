// Generates the tray icons in assets/tray/ from the drawings below:
//   npm run tray-icons        (needs rsvg-convert: apt-get install librsvg2-bin)
// One drawing per stage: the key fob of the app icon, with a badge that says
// the stage by its shape (macOS template images are black and alpha only, so
// colour cannot carry it) and, outside macOS, by its colour too:
//   ok: no badge; notice: a ring; urgent: "!" in a circle; final: "!" in a
//   triangle; expired: "×" in a circle.
// Output (electron/main/tray-icons.ts reads these paths):
//   win/<stage>.ico                          16, 20, 24, 32, 40, 48 px (100 % to 300 % scaling)
//   mac/<stage>Template.png, …Template@2x.png  16 and 32 px, black on transparent
//   linux/<stage>.png, <stage>@2x.png          32 and 64 px
// The outputs are committed; run this again after changing a drawing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRAY_ICON_NAMES as STAGES, type TrayIconName as Stage } from '../electron/ipc/contract-names.ts';
import { REPO_ROOT } from './lib/paths.ts';

/** Badge colours, dark enough for white marks on them (WCAG 3:1 for graphics) and told apart by shape anyway. */
const BADGE_COLOUR: Record<Exclude<Stage, 'ok'>, string> = { notice: '#1d4ed8', urgent: '#b45309', final: '#c81e1e', expired: '#5b0f0f' };

/** The badge's marks on a 32-unit canvas, centred on (23, 23). */
function badge(stage: Exclude<Stage, 'ok'>, fill: string, mark: string, ring = 'none'): string {
  // A white ring in colour, so a dark badge stands out on a dark taskbar too.
  const edge = ring === 'none' ? '' : ` stroke="${ring}" stroke-width="1.2"`;
  switch (stage) {
    case 'notice':
      return `<circle cx="23" cy="23" r="6.5" fill="${fill}"${edge}/><circle cx="23" cy="23" r="3" fill="${mark}"/>`;
    case 'urgent':
      return `<circle cx="23" cy="23" r="7.5" fill="${fill}"${edge}/><path d="M23 18.5v5.5" stroke="${mark}" stroke-width="2.6" stroke-linecap="round"/><circle cx="23" cy="27.2" r="1.5" fill="${mark}"/>`;
    case 'final':
      return `<path d="M23 14.5 31 29.5H15Z" fill="${fill}" stroke="${ring === 'none' ? fill : ring}" stroke-width="1.5" stroke-linejoin="round"/><path d="M23 19.5v4.5" stroke="${mark}" stroke-width="2.4" stroke-linecap="round"/><circle cx="23" cy="27" r="1.4" fill="${mark}"/>`;
    case 'expired':
      return `<circle cx="23" cy="23" r="7.5" fill="${fill}"${edge}/><path d="m19.8 19.8 6.4 6.4m0-6.4-6.4 6.4" stroke="${mark}" stroke-width="2.6" stroke-linecap="round"/>`;
  }
}

/** The space the badge needs: the fob is cut away there, so the badge reads at 16 px. */
function badgeClearance(stage: Exclude<Stage, 'ok'>): string {
  return stage === 'final'
    ? '<path d="M23 11.5 33.5 31.5H12.5Z" fill="#000" stroke="#000" stroke-width="2" stroke-linejoin="round"/>'
    : '<circle cx="23" cy="23" r="9.5" fill="#000"/>';
}

/** The key fob: body, ring hole, contact. `template`: black shapes only, the hole and contact cut out. */
function drawing(stage: Stage, template: boolean): string {
  const body = template ? '#000' : '#1f4e79';
  const outline = template ? 'none' : '#ffffff';
  const mask =
    stage === 'ok'
      ? ''
      : `<mask id="m" maskUnits="userSpaceOnUse" x="0" y="0" width="32" height="32"><rect width="32" height="32" fill="#fff"/>${badgeClearance(stage)}</mask>`;
  const holes = template ? '<circle cx="13" cy="7.5" r="2.2" fill="#000"/><rect x="9" y="13" width="8" height="8" rx="1.5" fill="#000"/>' : '';
  const fob = template
    ? `<mask id="h" maskUnits="userSpaceOnUse" x="0" y="0" width="32" height="32"><rect width="32" height="32" fill="#fff"/>${holes}</mask><g mask="url(#h)"><rect x="5" y="2" width="16" height="27" rx="4.5" fill="${body}"/></g>`
    : `<rect x="5" y="2" width="16" height="27" rx="4.5" fill="${body}" stroke="${outline}" stroke-width="1.2"/><circle cx="13" cy="7.5" r="2.2" fill="#ffffff"/><rect x="9" y="13" width="8" height="8" rx="1.5" fill="#d4a017"/>`;
  const marks =
    stage === 'ok' ? '' : badge(stage, template ? '#000' : BADGE_COLOUR[stage], template ? 'transparent' : '#ffffff', template ? 'none' : '#ffffff');
  // In a template the badge's marks are holes: drawn in the badge's mask, not in a colour.
  const templateBadge =
    stage === 'ok' || !template
      ? marks
      : `<mask id="b" maskUnits="userSpaceOnUse" x="0" y="0" width="32" height="32"><rect width="32" height="32" fill="#fff"/>${badge(stage, 'transparent', '#000').replace(/fill="transparent"/g, 'fill="none"')}</mask><g mask="url(#b)">${badge(stage, '#000', '#000')}</g>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32"><defs>${mask}</defs><g${stage === 'ok' ? '' : ' mask="url(#m)"'}>${fob}</g>${template ? templateBadge : marks}</svg>\n`;
}

function render(svgPath: string, size: number): Buffer {
  try {
    return execFileSync('rsvg-convert', ['--width', String(size), '--height', String(size), '--format', 'png', svgPath]);
  } catch (error) {
    throw new Error(`rsvg-convert failed (apt-get install librsvg2-bin): ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** An .ico of PNG images (Windows Vista and later read PNG entries at every size). */
export function icoFromPngs(images: readonly { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1: icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt8(0, entry + 2); // no palette
    header.writeUInt8(0, entry + 3);
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

function main(): void {
  const out = join(REPO_ROOT, 'assets', 'tray');
  const work = mkdtempSync(join(tmpdir(), 'wfa-tray-icons-'));
  try {
    for (const dir of ['win', 'mac', 'linux']) mkdirSync(join(out, dir), { recursive: true });
    for (const stage of STAGES) {
      const colour = join(work, `${stage}.svg`);
      const template = join(work, `${stage}-template.svg`);
      writeFileSync(colour, drawing(stage, false));
      writeFileSync(template, drawing(stage, true));
      writeFileSync(join(out, 'win', `${stage}.ico`), icoFromPngs([16, 20, 24, 32, 40, 48].map((size) => ({ size, png: render(colour, size) }))));
      writeFileSync(join(out, 'mac', `${stage}Template.png`), render(template, 16));
      writeFileSync(join(out, 'mac', `${stage}Template@2x.png`), render(template, 32));
      writeFileSync(join(out, 'linux', `${stage}.png`), render(colour, 32));
      writeFileSync(join(out, 'linux', `${stage}@2x.png`), render(colour, 64));
      process.stdout.write(`tray icons: ${stage}\n`);
    }
    // A sheet of every icon, large, for people to look at (not packaged: .wfa-run is ignored).
    const sheet = join(REPO_ROOT, '.wfa-run', 'tray-icons');
    mkdirSync(sheet, { recursive: true });
    for (const stage of STAGES) {
      writeFileSync(join(sheet, `${stage}.png`), render(join(work, `${stage}.svg`), 128));
      writeFileSync(join(sheet, `${stage}-template.png`), render(join(work, `${stage}-template.svg`), 128));
      writeFileSync(join(sheet, `${stage}.svg`), readFileSync(join(work, `${stage}.svg`)));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
