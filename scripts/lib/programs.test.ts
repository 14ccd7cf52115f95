import { mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MissingProgramError, PROGRAM_PACKAGES, findProgram, requirePrograms } from './programs.ts';
import { REPO_ROOT } from './paths.ts';

const debianPackages = (): string[] =>
  readFileSync(join(REPO_ROOT, 'scripts', 'debian-packages.txt'), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');

describe('programs', () => {
  it('every program comes from a package that setup.sh installs', () => {
    const packages = debianPackages();
    for (const aptPackage of [...Object.values(PROGRAM_PACKAGES), 'opensc-pkcs11']) {
      expect(packages).toContain(aptPackage);
    }
  });

  it('findProgram finds an executable on the given PATH and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfa-programs-'));
    const tool = join(dir, 'wfa-test-tool');
    writeFileSync(tool, '#!/bin/sh\n');
    chmodSync(tool, 0o755);
    expect(findProgram('wfa-test-tool', dir)).toBe(tool);
    expect(findProgram('wfa-no-such-tool', dir)).toBeUndefined();
  });

  it('a missing program is an error naming it and its Debian package', () => {
    let caught: unknown;
    try {
      requirePrograms(['ykman', 'openssl'], '/nonexistent');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MissingProgramError);
    const message = (caught as MissingProgramError).message;
    expect(message).toContain('ykman (Debian package yubikey-manager)');
    expect(message).toContain('apt-get install -y --no-install-recommends yubikey-manager');
  });
});
