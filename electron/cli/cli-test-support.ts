// Test-only: runs the CLI in-process with a given transport, stdin and environment.
import { PassThrough } from 'node:stream';
import type { Transport } from '../../native/pcsc/transport.ts';
import { runCli } from './main.ts';
import { secretReader } from './secrets-input.ts';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('utf8');
}

export async function wfa(transport: Transport, args: string[], stdin = '', env: Record<string, string | undefined> = {}): Promise<Run> {
  const input = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  input.end(stdin);
  const code = await runCli(args, { stdout, stderr, secrets: secretReader(input, stderr), transport: async () => transport, env });
  return { code, stdout: out(), stderr: err() };
}
