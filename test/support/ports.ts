/**
 * Loopback ports for programs that cannot bind port 0 and report back (the
 * collector, Jaeger, Prometheus, a demo whose gateway must know its model
 * service's port). A port found free can be taken before the program binds
 * it (an autocannon client's ephemeral port, another test), so every start
 * that uses them goes through `retryOnAddrInUse`.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';

/** `n` distinct free loopback ports (held open together, then released), none in `avoid`. */
export async function freePorts(n: number, avoid: ReadonlySet<number> = new Set()): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n + avoid.size },
      () =>
        new Promise<ReturnType<typeof createServer>>((res, rej) => {
          const s = createServer();
          s.once('error', rej);
          s.listen(0, '127.0.0.1', () => res(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port).filter((p) => !avoid.has(p));
  await Promise.all(servers.map((s) => new Promise<void>((res) => s.close(() => res()))));
  return ports.slice(0, n);
}

/** Whether an error (its message carries the program's log tail) is a port clash. */
export function isAddrInUse(e: unknown): boolean {
  const msg = e instanceof Error ? e.message : String(e);
  return /EADDRINUSE|address already in use/i.test(msg);
}

/**
 * Runs `start` (which chooses its ports anew each time and cleans up after a
 * failure) again when it failed because a port was taken; at most `tries` times.
 */
export async function retryOnAddrInUse<T>(start: (attempt: number) => Promise<T>, tries = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(attempt);
    } catch (e) {
      if (attempt >= tries || !isAddrInUse(e)) throw e;
      console.warn(`    a port was taken before it was bound (attempt ${attempt} of ${tries}): retrying with new ports`);
    }
  }
}

/**
 * The port a child process reports on stdout as `{"port":N}` once it listens;
 * rejects when it exits first, with `why()` (its stderr so far) in the message.
 */
export function reportedPort(child: ChildProcess, name: string, why: () => string): Promise<number> {
  return new Promise<number>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /\{"port":(\d+)\}/.exec(out);
      if (m) ok(Number(m[1]));
    });
    child.once('exit', () => fail(new Error(`${name} exited before listening:\n${why()}`)));
  });
}
