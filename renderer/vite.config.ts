// Builds the renderer (`npm run build:renderer`) into renderer/dist: index.html
// plus hashed JS, CSS and icon files. Nothing inline, so the page runs under
// the app's strict CSP (script-src 'self'; style-src 'self').
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { bundleBudget } from './tooling/bundle-budget.ts';

const rendererDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: rendererDir,
  // Relative URLs: the same build is served from app://wfa/ (Electron) and http://127.0.0.1:PORT/ (web shell).
  base: './',
  plugins: [react(), bundleBudget({ maxGzipBytes: 150 * 1024 })],
  // The icons live in the repository's assets/ folder, outside the Vite root.
  server: { fs: { allow: [repoRoot] } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Icons as files, not data: URLs, so the CSP's img-src never needs more than 'self'.
    assetsInlineLimit: 0,
    // Electron 41 runs Chromium 14x; the web shell runs in Debian's Chromium.
    target: 'chrome120',
  },
});
