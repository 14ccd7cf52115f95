// electron-builder.yml as electron-builder reads it (js-yaml, its own parser),
// and the Electron fuses a shipped app must set (REQUIRED_FUSES).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { z } from 'zod';
import { REPO_ROOT } from '../lib/paths.ts';

export const BUILDER_CONFIG_FILE = join(REPO_ROOT, 'electron-builder.yml');

/** The fuses of a packaged build (https://www.electronjs.org/docs/latest/tutorial/fuses). */
export const REQUIRED_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableCookieEncryption: true,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
} as const;

const configSchema = z.looseObject({
  appId: z.string(),
  productName: z.string(),
  electronFuses: z.record(z.string(), z.boolean()).nullish(),
  asarUnpack: z.array(z.string()).optional(),
});

export type BuilderConfig = z.output<typeof configSchema>;

export function readBuilderConfig(file = BUILDER_CONFIG_FILE): BuilderConfig {
  return configSchema.parse(load(readFileSync(file, 'utf8')));
}

/** What differs from REQUIRED_FUSES: a missing or different value, or a fuse set that is not asked for. */
export function fuseProblems(fuses: Readonly<Record<string, boolean>> | null | undefined): string[] {
  if (fuses === null || fuses === undefined) return ['electronFuses is missing: no fuse would be flipped'];
  const problems: string[] = [];
  for (const [name, wanted] of Object.entries(REQUIRED_FUSES)) {
    if (fuses[name] !== wanted) problems.push(`${name} is ${String(fuses[name])}, should be ${String(wanted)}`);
  }
  for (const name of Object.keys(fuses)) {
    if (!(name in REQUIRED_FUSES)) problems.push(`${name} is set, but is not one of the required fuses`);
  }
  return problems;
}
