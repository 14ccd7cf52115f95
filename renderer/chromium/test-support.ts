// A renderer page in Debian's Chromium, for what jsdom does not do (the
// native <dialog> and its top layer, where the focus goes): esbuild bundles a
// page from renderer/src/test/chromium/, and playwright-core opens it in a
// blank page with the app's stylesheet.
import { join } from 'node:path';
import { build } from 'esbuild';
import { openBrowser, type OpenBrowser } from '../../e2e/support/browser.ts';

const PAGES = join(import.meta.dirname, '..', 'src', 'test', 'chromium');

export interface RendererPage extends OpenBrowser {
  /** Loads the page afresh: a new app, a new fake bridge, nothing left from the last test. */
  load(): Promise<void>;
}

export async function openRendererPage(page: string): Promise<RendererPage> {
  const result = await build({
    entryPoints: [join(PAGES, page)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    outdir: 'out',
    write: false,
    loader: { '.svg': 'dataurl', '.png': 'dataurl' },
    // React's development build, as the renderer's other tests use.
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  });
  const script = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const style = result.outputFiles.find((file) => file.path.endsWith('.css'));
  if (script === undefined) throw new Error(`esbuild produced no script for ${page}`);
  const browser = await openBrowser();
  return {
    ...browser,
    async load() {
      await browser.page.setContent('<!doctype html><html lang="en"><head><title>Workforce Access</title></head><body><div id="root"></div></body></html>');
      if (style !== undefined) await browser.page.addStyleTag({ content: style.text });
      await browser.page.addScriptTag({ content: script.text });
    },
  };
}
