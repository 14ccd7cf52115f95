// The local CA's key and certificate on disk, in <dataDir>/local-ca/:
//   ca-key.pem   PKCS#8 private key, mode 0600 (readable by the user only;
//                the CA refuses a key file others can read or write)
//   ca-cert.pem  the self-signed CA certificate, name-constrained to the
//                policy's upnSuffix when it was created
// Created on first use in a temp folder that is renamed into place, so a crash
// leaves no half-made CA and two processes racing end up with one CA. An
// existing CA is loaded and checked; a damaged one is reported and never
// overwritten (certificates it issued would silently stop being trusted).
import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, webcrypto } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ErrorFacts, LocalCaProblem } from '../../ipc/error-facts.ts';
import { messageFor } from '../../ipc/error-messages.ts';
import { ensureFolder } from '../store/data-folder.ts';
import * as x509 from '../../../native/x509.ts';
import { CA_KEY_ALGORITHM, createCaCertificate } from './local-ca-profile.ts';

export const CA_FOLDER = 'local-ca';
export const CA_KEY_FILE = 'ca-key.pem';
export const CA_CERT_FILE = 'ca-cert.pem';
/** Readable and writable by the owner only (POSIX; Windows ignores the mode, the profile folder is per-user). */
const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_FOLDER_MODE = 0o700;

/**
 * The local CA's files are damaged or inconsistent. The files are left as they
 * are; the facts say which one and what is wrong (words: the message table).
 */
export class LocalCaError extends Error {
  readonly code = 'LOCAL_CA_DAMAGED';
  readonly facts: ErrorFacts['LOCAL_CA_DAMAGED'];
  constructor(
    readonly folder: string,
    problem: LocalCaProblem,
    options: { cause?: unknown; file?: string; why?: string; keyFile?: string } = {},
  ) {
    const facts = {
      folder,
      problem,
      ...(options.file === undefined ? {} : { file: options.file }),
      ...(options.why === undefined ? {} : { why: options.why }),
      ...(options.keyFile === undefined ? {} : { keyFile: options.keyFile }),
    };
    super(messageFor('LOCAL_CA_DAMAGED', facts), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LocalCaError';
    this.facts = facts;
  }
}

/**
 * The CA's key file can be read (or replaced) by other users: whoever read it
 * can issue certificates as this CA. The CA refuses to start; nothing is changed.
 */
export class LocalCaKeyExposedError extends Error {
  readonly code = 'LOCAL_CA_KEY_EXPOSED';
  readonly detail: string;
  readonly facts: ErrorFacts['LOCAL_CA_KEY_EXPOSED'];
  constructor(
    readonly keyFile: string,
    readonly mode: number,
  ) {
    const facts = { keyFile, mode: mode.toString(8).padStart(3, '0') };
    super(messageFor('LOCAL_CA_KEY_EXPOSED', facts));
    this.name = 'LocalCaKeyExposedError';
    this.facts = facts;
    this.detail = `${keyFile}: mode ${mode.toString(8).padStart(3, '0')}, expected 600`;
  }
}

export interface LoadedCa {
  readonly folder: string;
  readonly certificate: x509.X509Certificate;
  /** Non-extractable WebCrypto key for @peculiar/x509's generators. */
  readonly privateKey: webcrypto.CryptoKey;
  /** True when this call created the CA. */
  readonly created: boolean;
}

/** Group and other permission bits: none may be set on the key file (POSIX; Windows has no such bits). */
const SHARED_PERMISSIONS = 0o077;

/** Reads the key file through one open handle, refusing it first if others may read or write it. */
async function readKeyFile(path: string): Promise<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new LocalCaError(dirname(path), 'unreadable', { file: CA_KEY_FILE, why: (e as NodeJS.ErrnoException).code ?? (e as Error).message, cause: e });
  }
  try {
    const mode = (await handle.stat()).mode & 0o777;
    if (process.platform !== 'win32' && (mode & SHARED_PERMISSIONS) !== 0) throw new LocalCaKeyExposedError(path, mode);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function writeDurably(path: string, data: string, mode: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncFolder(path: string): Promise<void> {
  // A rename is durable once the folder entry is on disk (not possible on Windows: ignore).
  const folder = await open(path, 'r').catch(() => null);
  if (folder === null) return;
  await folder.sync().catch(() => undefined);
  await folder.close();
}

/** Creates the CA; false when another process created one first (that one is kept). */
async function createCa(dataDir: string, folder: string, now: Date, upnSuffix: string): Promise<boolean> {
  const keys = (await webcrypto.subtle.generateKey(CA_KEY_ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const certificate = await createCaCertificate(keys, now, upnSuffix);
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
  pkcs8.fill(0);
  const temp = join(dataDir, `.${CA_FOLDER}-${randomBytes(6).toString('hex')}.tmp`);
  await mkdir(temp, { mode: PRIVATE_FOLDER_MODE });
  try {
    await writeDurably(join(temp, CA_KEY_FILE), keyPem, PRIVATE_FILE_MODE);
    await writeDurably(join(temp, CA_CERT_FILE), certificate.toString('pem'), 0o644);
    await syncFolder(temp);
    // rename(2) does not replace a folder that has files in it: if another
    // process created the CA meanwhile, its CA stays and this one is dropped.
    await rename(temp, folder);
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    // EEXIST/ENOTEMPTY on POSIX, EPERM on Windows: the folder is there now.
    if ((code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM') && (await exists(folder))) return false;
    throw e;
  }
  await syncFolder(dataDir);
  return true;
}

function samePublicKey(a: KeyObject, spkiDer: ArrayBuffer): boolean {
  return Buffer.from(a.export({ format: 'der', type: 'spki' })).equals(Buffer.from(spkiDer));
}

async function loadCa(folder: string, created: boolean): Promise<LoadedCa> {
  const read = async (name: string): Promise<Buffer> => {
    try {
      return await readFile(join(folder, name));
    } catch (e) {
      throw new LocalCaError(folder, 'unreadable', { file: name, why: (e as NodeJS.ErrnoException).code ?? (e as Error).message, cause: e });
    }
  };
  const keyPem = await readKeyFile(join(folder, CA_KEY_FILE));
  const certPem = await read(CA_CERT_FILE);
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: keyPem, format: 'pem' });
  } catch (e) {
    throw new LocalCaError(folder, 'not-a-key', { file: CA_KEY_FILE, cause: e });
  } finally {
    keyPem.fill(0);
  }
  if (keyObject.asymmetricKeyType !== 'ec' || keyObject.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new LocalCaError(folder, 'not-p256', { file: CA_KEY_FILE });
  }
  let certificate: x509.X509Certificate;
  try {
    certificate = new x509.X509Certificate(certPem.toString('utf8'));
  } catch (e) {
    throw new LocalCaError(folder, 'not-a-certificate', { file: CA_CERT_FILE, cause: e });
  }
  if (!samePublicKey(createPublicKey(keyObject), certificate.publicKey.rawData)) {
    throw new LocalCaError(folder, 'key-mismatch', { file: CA_CERT_FILE, keyFile: CA_KEY_FILE });
  }
  const constraints = certificate.getExtension(x509.BasicConstraintsExtension);
  if (constraints?.ca !== true || certificate.getExtension(x509.SubjectKeyIdentifierExtension) === null) {
    throw new LocalCaError(folder, 'not-a-ca', { file: CA_CERT_FILE });
  }
  const pkcs8 = keyObject.export({ format: 'der', type: 'pkcs8' });
  try {
    const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, CA_KEY_ALGORITHM, false, ['sign']);
    return { folder, certificate, privateKey, created };
  } finally {
    pkcs8.fill(0);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Loads the CA from `<dataDir>/local-ca` if there is one; never writes (the sign-in check only reads). */
export async function loadExistingCa(dataDir: string): Promise<LoadedCa | null> {
  const folder = join(dataDir, CA_FOLDER);
  return (await exists(folder)) ? loadCa(folder, false) : null;
}

/** Loads the CA from `<dataDir>/local-ca`, creating it first (constrained to `upnSuffix`) if there is none. */
export async function loadOrCreateCa(dataDir: string, now: Date, upnSuffix: string): Promise<LoadedCa> {
  const folder = join(dataDir, CA_FOLDER);
  if (await exists(folder)) return loadCa(folder, false);
  await ensureFolder(dataDir);
  return loadCa(folder, await createCa(dataDir, folder, now, upnSuffix));
}
