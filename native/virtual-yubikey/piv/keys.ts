// The PIV key commands of the virtual YubiKey, one file per command; applet.ts
// imports them from here.
export { attest } from './attest.ts';
export { generateKeyPair } from './generate.ts';
export { importKey } from './import-key.ts';
export { privateKeyOperation } from './key-operations.ts';
export { moveOrDeleteKey } from './move-delete.ts';
