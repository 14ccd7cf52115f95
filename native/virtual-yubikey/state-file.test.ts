import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStateFile, saveStateFile, StateFileError } from './state-file.ts';
import { newCardState } from './index.ts';
import { type CardState, factoryPivState, STATE_HEADER } from './state.ts';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vyk-state-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function sample(): CardState {
  const state = factoryPivState('yk5.7.1', 23456789);
  state.objects['5fc102'] = '3019d4e739da739ced39ce739d836858210842108421c84210c3eb';
  state.keys['9a'] = { algorithm: 0x11, pinPolicy: 2, touchPolicy: 1, origin: 'generated', privateKeyPkcs8: '3041020100' };
  state.pinRetriesLeft = 1;
  return state;
}

/** Writes raw text as a state file and returns the StateFileError loading it gives. */
function loadError(text: string): StateFileError {
  const file = join(dir, 'card.json');
  writeFileSync(file, text);
  try {
    loadStateFile(file);
  } catch (error) {
    expect(error).toBeInstanceOf(StateFileError);
    expect(readFileSync(file, 'utf8')).toBe(text); // a bad file is never touched
    return error as StateFileError;
  }
  throw new Error('expected loadStateFile to fail');
}

describe('state file', () => {
  it('saves and loads back the same card', () => {
    const file = join(dir, 'card.json');
    saveStateFile(file, sample());
    expect(loadStateFile(file)).toEqual(sample());
  });

  it('keeps the per-card attestation root, so the same key comes back with the same chain', () => {
    const file = join(dir, 'card.json');
    const card = newCardState('yk5.4.3', 34567890);
    expect(card.attestationRoot).toMatch(/^30/);
    saveStateFile(file, card);
    expect(loadStateFile(file)).toEqual(card);
  });

  it('refuses a file of the previous format (version 1), saying to delete it', () => {
    const old = { ...sample(), formatVersion: 1 };
    expect(loadError(JSON.stringify(old)).message).toMatch(/field "formatVersion": formatVersion must be 2 .*delete it/);
  });

  it('is readable by its owner only (0600) and says it is test-only state', () => {
    const file = join(dir, 'card.json');
    saveStateFile(file, sample());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { header: string };
    expect(json.header).toBe(STATE_HEADER);
    expect(json.header).toMatch(/TEST-ONLY/);
  });

  it('replaces the file by rename: a new inode each save, and no temp files left behind', () => {
    const file = join(dir, 'card.json');
    saveStateFile(file, sample());
    const first = statSync(file).ino;
    const changed = sample();
    changed.pinRetriesLeft = 3;
    saveStateFile(file, changed);
    expect(statSync(file).ino).not.toBe(first);
    expect(loadStateFile(file)?.pinRetriesLeft).toBe(3);
    expect(readdirSync(dir)).toEqual(['card.json']);
  });

  it('a failed save leaves the previous file intact and no temp file', () => {
    const file = join(dir, 'card.json');
    saveStateFile(file, sample());
    const before = readFileSync(file, 'utf8');
    const broken = { ...sample(), pinHex: 'zz' };
    expect(() => saveStateFile(file, broken)).toThrow(StateFileError);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['card.json']);
  });

  it('returns null when there is no file yet (a new key is made)', () => {
    expect(loadStateFile(join(dir, 'missing.json'))).toBeNull();
  });

  it('reports a file that is not JSON, naming the file', () => {
    const error = loadError('{"header": ');
    expect(error.message).toContain(join(dir, 'card.json'));
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('reports every bad field by its path', () => {
    const state = sample() as unknown as Record<string, unknown>;
    state['pinRetriesLeft'] = 9;
    state['profile'] = 'yk9.9.9';
    (state['keys'] as Record<string, Record<string, unknown>>)['9a']!['origin'] = 'stolen';
    const error = loadError(JSON.stringify(state));
    expect(error.message).toContain('field "profile"');
    expect(error.message).toContain('field "keys.9a.origin"');
    expect(error.problems.length).toBeGreaterThanOrEqual(2);
  });

  it('checks retry counters against their maximum, and key lengths against the algorithm', () => {
    const tooMany = { ...sample(), pinRetriesLeft: 4, pinRetriesMax: 3 };
    expect(loadError(JSON.stringify(tooMany)).message).toContain('field "pinRetriesLeft"');
    const shortKey = { ...sample(), managementKey: { algorithm: 0x0a, keyHex: '0102030405060708', touchPolicy: 1 } };
    expect(loadError(JSON.stringify(shortKey)).message).toContain('field "managementKey.keyHex"');
  });

  it('rejects a file without the test-only header, and unknown fields', () => {
    expect(loadError(JSON.stringify({ ...sample(), header: 'my key' })).message).toContain('field "header"');
    expect(loadError(JSON.stringify({ ...sample(), extra: 1 })).message).toMatch(/extra/);
  });
});
