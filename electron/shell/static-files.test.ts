import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeFor, resolveStaticPath } from './static-files.ts';

const root = resolve('/srv/renderer/dist');

describe('resolveStaticPath', () => {
  it('maps files under the root', () => {
    expect(resolveStaticPath('/assets/app.js', root)).toBe(join(root, 'assets', 'app.js'));
    expect(resolveStaticPath('/index.html', root)).toBe(join(root, 'index.html'));
  });

  it('gives index.html for the root and for routes of the single-page app', () => {
    expect(resolveStaticPath('/', root)).toBe(join(root, 'index.html'));
    expect(resolveStaticPath('/pairing/new', root)).toBe(join(root, 'index.html'));
  });

  it.each([
    '/../secret.txt',
    '/assets/../../etc/passwd.txt',
    '/%2e%2e/etc/passwd.txt',
    '/..%2f..%2fetc%2fpasswd.txt',
    '/.env.txt',
    '/assets/.git/config.txt',
    '/a\\..\\b.txt',
    '/x%00.js',
    '/%E0%A4%A.js',
    'relative.js',
  ])('refuses %s', (path) => {
    expect(resolveStaticPath(path, root)).toBeNull();
  });
});

describe('contentTypeFor', () => {
  it("knows the renderer's file types and falls back to bytes", () => {
    expect(contentTypeFor('a.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('a.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('a.bin')).toBe('application/octet-stream');
  });
});
