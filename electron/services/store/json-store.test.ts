import { mkdtemp, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JsonStore } from './json-store.ts';

const schema = z.strictObject({ items: z.array(z.string()) });
const make = async (): Promise<{ dir: string; store: JsonStore<z.infer<typeof schema>> }> => {
  const dir = await mkdtemp(join(tmpdir(), 'wfa-store-'));
  return {
    dir,
    store: new JsonStore(
      join(dir, 'pairing.json'),
      1,
      schema,
      () => ({ items: [] }),
      () => new Date('2026-11-23T10:00:00Z'),
    ),
  };
};

describe('JsonStore', () => {
  it('starts empty, writes atomically with a schema version, reads back', async () => {
    const { dir, store } = await make();
    expect(await store.read()).toEqual({ items: [] });
    await store.write({ items: ['a'] });
    expect(await store.read()).toEqual({ items: ['a'] });
    expect(JSON.parse(await readFile(join(dir, 'pairing.json'), 'utf8'))).toEqual({ schemaVersion: 1, data: { items: ['a'] } });
    expect((await stat(join(dir, 'pairing.json'))).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.each([
    ['corrupt JSON', '{"schemaVersion":1,"data":{"items":['],
    ['an unknown version', '{"schemaVersion":9,"data":{"items":[]}}'],
    ['invalid content', '{"schemaVersion":1,"data":{"items":[1]}}'],
  ])('keeps %s aside as a backup and reports it', async (_what, content) => {
    const { dir, store } = await make();
    await writeFile(join(dir, 'pairing.json'), content);
    expect(await store.read()).toEqual({ items: [] });
    expect(store.problem?.backup).toMatch(/pairing\.json\.2026-11-23T10-00-00-000Z\.bak$/);
    expect(await readFile(store.problem!.backup, 'utf8')).toBe(content);
  });

  it("a write removes the temporary files killed writes left (older than 10 minutes), never one that may be another process's write", async () => {
    const { dir, store } = await make();
    await writeFile(join(dir, '.0123456789ab.tmp'), '{"half');
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    await utimes(join(dir, '.0123456789ab.tmp'), hourAgo, hourAgo);
    await writeFile(join(dir, '.ba9876543210.tmp'), '{"in progress');
    await writeFile(join(dir, '.notes.tmp'), 'not ours');
    await store.write({ items: ['a'] });
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp')).sort()).toEqual(['.ba9876543210.tmp', '.notes.tmp']);
  });

  it('refuses to write a value that does not fit the schema, leaving the file as it was', async () => {
    const { store } = await make();
    await store.write({ items: ['kept'] });
    await expect(store.write({ items: [3] } as unknown as { items: string[] })).rejects.toThrow();
    expect(await store.read()).toEqual({ items: ['kept'] });
  });
});
