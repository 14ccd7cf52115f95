// A STAND-IN for Electron's Linux distribution folder, for electron-builder's
// `electronDist` option. Electron's binary cannot be downloaded on the build
// machines, so `npm run package:verify` packages the app around this folder:
// what electron-builder copies from it is a shell script that says it is a
// stand-in and exits 1. Nothing built with it runs Electron, and nothing claims to.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STAND_IN_NOTE = "a stand-in for Electron's Linux distribution (its binary cannot be downloaded here); it is not Electron and runs nothing";

/** Makes the stand-in folder (emptied first): `electron`, `version`, `resources/`, and a note saying what it is. */
export function makeElectronStandIn(dir: string, electronVersion: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const executable = join(dir, 'electron');
  writeFileSync(executable, `#!/bin/sh\n# ${STAND_IN_NOTE}.\necho "This is ${STAND_IN_NOTE} (made by npm run package:verify)." >&2\nexit 1\n`);
  chmodSync(executable, 0o755);
  writeFileSync(join(dir, 'version'), `${electronVersion}\n`);
  writeFileSync(join(dir, 'STAND-IN.txt'), `This folder is ${STAND_IN_NOTE}.\nnpm run package:verify gives it to electron-builder as electronDist.\n`);
  return dir;
}
