// Which remote-debugging switch, if any, a command line carries. A packaged
// app refuses to start with one (packaged-app.ts): it would let any local
// program drive the window — and its window.wfa — over the DevTools protocol.
// (`--inspect` and friends are switched off by the nodeCliInspect fuse.)
// Plain function, so every spelling Chromium accepts is tested without Electron.

/** Chromium's switches that open the DevTools protocol to other programs. */
const REMOTE_DEBUGGING_SWITCHES = ['remote-debugging-port', 'remote-debugging-pipe'];

/**
 * The first remote-debugging switch in `args` (the arguments after the
 * executable), read as Chromium's base::CommandLine reads them: switches
 * start with "--" or "-" (and "/" on Windows, where names are case-blind),
 * a value follows "=", and nothing after a bare "--" is a switch.
 */
export function remoteDebuggingSwitch(args: readonly string[], platform: string): string | null {
  const windows = platform === 'win32';
  for (const arg of args) {
    if (arg === '--') return null;
    const prefix = /^(--|-)/.exec(arg)?.[0] ?? (windows && arg.startsWith('/') ? '/' : null);
    if (prefix === null) continue;
    let name = arg.slice(prefix.length).split('=')[0] ?? '';
    if (windows) name = name.toLowerCase();
    if (REMOTE_DEBUGGING_SWITCHES.includes(name)) return name;
  }
  return null;
}
