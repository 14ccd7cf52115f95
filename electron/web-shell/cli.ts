// `npm run web -- [--port 0] [--data-dir DIR] [--config FILE]`: starts the
// services and the web shell, then prints exactly one line on stdout,
// `WEB_SHELL_URL=http://127.0.0.1:PORT/?token=T`, for people and for the e2e
// launcher to read. Everything else goes to stderr.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../services/paths.ts';
import type { ShellServices, ShellServicesOptions } from '../app/app-services.ts';
import { startWebShell } from './server.ts';

export const WEB_USAGE = `Usage: npm run web -- [--port PORT] [--data-dir DIR] [--config FILE]

Serves the app (renderer/dist) on http://127.0.0.1 for development and tests,
with the same services as the desktop app. Prints WEB_SHELL_URL=… when ready.
  --port PORT       port on 127.0.0.1 (default 0: any free port)
  --data-dir DIR    the app's data folder (default: WFA_DATA_DIR, else the per-user one)
  --config FILE     the organisation policy (default: WFA_POLICY, else none)
`;

export interface WebShellIo {
  readonly createServices: (options: ShellServicesOptions) => Promise<ShellServices>;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  /** The built renderer; renderer/dist of this checkout by default. */
  readonly rootDir?: string;
}

export interface WebShellRun {
  /** Stops the shell and the services. */
  stop(): Promise<void>;
}

/** Returns the running shell, or an exit code (2: usage) when it did not start. */
export async function runWebShell(argv: readonly string[], io: WebShellIo): Promise<WebShellRun | number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: { port: { type: 'string', default: '0' }, 'data-dir': { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    io.stderr.write(`web: ${error instanceof Error ? error.message : String(error)}\n\n${WEB_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.stderr.write(WEB_USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) {
    io.stderr.write(`web: --port must be a number from 0 to 65535, not ${JSON.stringify(values.port)}\n`);
    return 2;
  }
  const log = (line: string): void => {
    io.stderr.write(`${line}\n`);
  };
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env });
  const services = await io.createServices({ dataDir, env: io.env, ...(values.config === undefined ? {} : { configPath: values.config }) });
  try {
    const shell = await startWebShell({
      handlers: services.handlers,
      events: services.events,
      rootDir: io.rootDir ?? join(import.meta.dirname, '..', '..', 'renderer', 'dist'),
      port,
      log,
    });
    log(`web shell: data folder ${dataDir}`);
    io.stdout.write(`WEB_SHELL_URL=${shell.url}\n`);
    return {
      async stop() {
        await shell.close();
        await services.close();
      },
    };
  } catch (error) {
    await services.close();
    throw error;
  }
}
