// What the key host (key-host.ts) and the process that started it say to each
// other: one JSON object a line, on the host's stdin and stdout. The host runs
// any number of keys, each as `npm run virtual-yubikey` would with the same
// arguments, and reports what each key's own process would show: its stdout
// (the READY line), its stderr, and its exit code (cli-args.ts EXIT), which
// here means the key is out: its vpcd connection closed.
import { z } from 'zod';

const keyId = z.number().int().nonnegative();

export const HostRequest = z.discriminatedUnion('type', [
  /** Plug in key `id`, given the CLI's arguments (`--reader N --state FILE ...`). */
  z.object({ type: z.literal('plug'), id: keyId, args: z.array(z.string()) }),
  /** Pull key `id` out, as SIGTERM does to the CLI; answered by its `exit` (code 0). */
  z.object({ type: z.literal('pull'), id: keyId }),
]);
export type HostRequest = z.infer<typeof HostRequest>;

export const HostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('stdout'), id: keyId, text: z.string() }),
  z.object({ type: z.literal('stderr'), id: keyId, text: z.string() }),
  /** Key `id` is out (pulled, --fault-after, or could not be plugged); the last message about it. */
  z.object({ type: z.literal('exit'), id: keyId, code: z.number().int() }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

/** Parses one line; undefined when it is not a message of `schema`. */
export function parseLine<T>(schema: z.ZodType<T>, line: string): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
