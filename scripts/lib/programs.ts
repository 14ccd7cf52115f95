// The outside programs the runners and interop tests call, and the Debian
// package of each (every package is also in scripts/debian-packages.txt,
// which scripts/setup.sh installs). A missing one is an error that names both:
// interop tests never skip.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const PROGRAM_PACKAGES = {
  pcscd: 'pcscd',
  ykman: 'yubikey-manager',
  'yubico-piv-tool': 'yubico-piv-tool',
  'pkcs11-tool': 'opensc',
  'opensc-tool': 'opensc',
  openssl: 'openssl',
  // The test rig (scripts/lib/rig.ts) and the pcscd-restart test (tests/interop/native-monitor.test.ts).
  unshare: 'util-linux',
  ip: 'iproute2',
  // A terminal (pty) for the CLI's secret prompts (tests/interop/native-terminal.test.ts).
  script: 'bsdutils',
} as const;

export type Program = keyof typeof PROGRAM_PACKAGES;

/** OpenSC's PKCS#11 module (Debian package opensc-pkcs11, `dpkg -L opensc-pkcs11`). */
export const OPENSC_PKCS11_MODULE = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';

// pcscd lives in /usr/sbin, which a non-root PATH often lacks.
const EXTRA_DIRS = ['/usr/sbin', '/sbin'];

/** The full path of `program`, or undefined when it is not installed. */
export function findProgram(program: string, path = process.env['PATH'] ?? ''): string | undefined {
  const dirs = [...path.split(delimiter).filter((d) => d !== ''), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export interface Missing {
  /** A program name or a file path. */
  readonly what: string;
  readonly aptPackage: string;
}

export class MissingProgramError extends Error {
  constructor(readonly missing: readonly Missing[]) {
    const packages = [...new Set(missing.map((m) => m.aptPackage))].join(' ');
    super(
      `missing ${missing.map((m) => `${m.what} (Debian package ${m.aptPackage})`).join(', ')}. ` +
        `Install with: apt-get install -y --no-install-recommends ${packages} (or run \`bash scripts/setup.sh\` as root)`,
    );
    this.name = 'MissingProgramError';
  }
}

/** Throws MissingProgramError naming each missing program and its apt package. */
export function requirePrograms(programs: readonly Program[], path?: string): void {
  const missing: Missing[] = [];
  for (const program of programs) {
    if (findProgram(program, path) === undefined) missing.push({ what: program, aptPackage: PROGRAM_PACKAGES[program] });
  }
  if (programs.includes('pkcs11-tool')) {
    try {
      accessSync(OPENSC_PKCS11_MODULE, constants.R_OK);
    } catch {
      missing.push({ what: OPENSC_PKCS11_MODULE, aptPackage: 'opensc-pkcs11' });
    }
  }
  if (missing.length > 0) throw new MissingProgramError(missing);
}
