/**
 * Destinations of log lines: stdout, stderr, a file, or any
 * Writable, behind one bounded, non-blocking buffer.
 *
 * WHY: a log call must never wait for a slow disk, pipe or socket, and must
 * never lose a line without saying so. Lines are appended to an in-memory
 * string and handed to the sink in chunks, at most one chunk in flight
 * beyond the sink's own high-water mark:
 * - files and stdout/stderr go through sonic-boom (async `fs.write`, handles
 *   EAGAIN and partial writes) on a descriptor we open synchronously, so a
 *   bad path fails at construction, not later;
 * - a user Writable gets `write(chunk)`, and when it returns false (its
 *   buffer is full) nothing more is written until it emits 'drain'.
 * While the sink is blocked lines accumulate here up to `maxPending` characters;
 * past that a line is dropped and `write` returns false so the caller counts it.
 * Chunking also means one sink call per batch instead of one per line.
 */
import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import sonicBoomModule from 'sonic-boom';
import type { SonicBoom as SonicBoomT, SonicBoomOpts } from 'sonic-boom';
import { race_deadline } from '../core/deadline.js';
import { TapHopYeu } from '../core/weak-set.js';

// sonic-boom is CommonJS (`module.exports = SonicBoom`) while its typings
// declare an ES default export: under nodenext the default import is the
// constructor at run time, so say so to the compiler.
const SonicBoom = sonicBoomModule as unknown as new (o: SonicBoomOpts) => SonicBoomT;

/**
 * A chunk is handed to the sink once this many characters are waiting (else
 * at the next macrotask). Half the sink's high-water mark, so a sink that
 * keeps up never reports backpressure (a Writable answers false to any
 * single write of its high-water mark or more, even when it could take it).
 */
function chunkThreshold(hwm: number | undefined): number {
  const h = typeof hwm === 'number' && hwm > 0 ? hwm : 16 * 1024;
  return Math.max(512, Math.min(16 * 1024, Math.floor(h / 2)));
}

/** What the buffer needs of a sink. */
interface Sink {
  /** Characters to gather before handing a chunk over. */
  readonly chunkThreshold: number;
  /** Returns false when the sink wants no more until 'drain'. */
  write(chunk: string): boolean;
  /** Waits until everything handed over has been written (or failed). */
  whenWritten(): Promise<void>;
  /** Synchronous last-chance write (process exit). */
  writeSync(chunk: string): void;
  /** Releases the sink (closes files it owns). */
  close(): Promise<void>;
}

/**
 * A sonic-boom sink, through its public API only. Whether a write is still
 * in flight is counted here: bytes handed to `write()` against the bytes its
 * 'write' event reports written (a failed write loses its bytes: 'error'
 * settles the count). `flush(cb)` does not serve: with `minLength: 0` it
 * answers at once, and with a larger one it also fsyncs on every flush.
 * `maxLength` is a second bound behind our own buffer (it holds at most what
 * one unblocking hands over: never reached in normal operation); lines it
 * would drop are counted through its 'drop' event, like any dropped line.
 */
function sonicSink(fd: number, dest: LogDestination, ownsFd: boolean): Sink {
  const s = new SonicBoom({ fd, sync: false, minLength: 0, maxLength: 3 * dest.maxPending + 64 * 1024 });
  let pendingBytes = 0;
  let closed = false;
  s.on('write', (n: number) => {
    pendingBytes = Math.max(0, pendingBytes - n);
  });
  s.on('drop', (c: unknown) => {
    pendingBytes = Math.max(0, pendingBytes - (typeof c === 'string' ? Buffer.byteLength(c) : 0));
    dest.sinkDropped(typeof c === 'string' ? countLines(c) : 1);
  });
  s.on('drain', () => dest.unblock());
  s.on('error', (e: unknown) => {
    pendingBytes = 0;
    dest.writeFailed(e);
  });
  s.once('close', () => {
    closed = true;
  });
  return {
    chunkThreshold: chunkThreshold(16 * 1024),
    write: (c) => {
      pendingBytes += Buffer.byteLength(c);
      return s.write(c);
    },
    whenWritten: async () => {
      while (pendingBytes > 0 && !closed) {
        await new Promise<void>((r) => {
          const done = (): void => {
            s.off('drain', done);
            s.off('error', done);
            r();
          };
          s.on('drain', done);
          s.on('error', done);
        });
      }
    },
    writeSync: (c) => {
      if (closed) return;
      if (c.length > 0) s.write(c);
      s.flushSync();
    },
    close: async () => {
      if (!ownsFd || closed) return;
      await new Promise<void>((r) => {
        s.once('close', () => r());
        s.once('error', () => r());
        s.end();
      });
    },
  };
}

/** Lines in a chunk (each ends in \n). */
function countLines(c: string): number {
  let n = 0;
  for (let i = c.indexOf('\n'); i !== -1; i = c.indexOf('\n', i + 1)) n++;
  return Math.max(1, n);
}

function streamSink(w: Writable, dest: LogDestination): Sink {
  w.on('drain', () => dest.unblock());
  w.on('error', (e: unknown) => dest.writeFailed(e));
  return {
    chunkThreshold: chunkThreshold(w.writableHighWaterMark),
    write: (c) => w.write(c),
    whenWritten: () =>
      new Promise<void>((r) => {
        if (w.destroyed || w.writableEnded) return r();
        // A zero-length write's callback runs once every earlier chunk is done.
        try {
          w.write('', () => r());
        } catch {
          r();
        }
      }),
    writeSync: (c) => {
      if (c.length > 0 && !w.destroyed && !w.writableEnded) w.write(c);
    },
    close: async () => {},
  };
}

/** A destination's counters (thống kê đích ghi = destination statistics). */
export interface ThongKeDich {
  /** Where lines go: `stdout`, `stderr`, `file:<path>`, `stream`. */
  ten: string;
  /** Characters waiting in memory now. */
  dang_cho: number;
  /** Lines refused because the buffer was full. */
  bi_bo_bo_dem_day: number;
  /** Write errors the sink reported (each may have lost a chunk of lines). */
  loi_ghi: number;
  /** The last write error's message. */
  loi_cuoi?: string;
}

/** The buffer in front of one sink. Shared by every logger that names the same output. */
export class LogDestination {
  /** Lines waiting to be handed to the sink. */
  private pending = '';
  private flushScheduled = false;
  /** The sink asked for no more until 'drain'. */
  private blocked = false;
  private sink: Sink | undefined;
  private chunkThreshold = 8 * 1024;
  private closed = false;
  /** @internal the user stream, when this destination writes to one. */
  stream: Writable | undefined;
  /** Loggers using this destination (files are closed when it drops to zero). */
  userCount = 0;
  /** Lines dropped: refused by a full buffer, or dropped by the sink. */
  dropped = 0;
  writeErrors = 0;
  lastError: string | undefined;
  private readonly scheduledHandOver = (): void => {
    this.flushScheduled = false;
    this.handOver();
  };

  constructor(
    /** Where lines go: stdout, stderr, file:<path>, stream. */
    readonly name: string,
    /** Most characters held in memory while the sink is blocked. */
    readonly maxPending: number,
  ) {}

  /** @internal */
  attach(sink: Sink): void {
    this.sink = sink;
    this.chunkThreshold = sink.chunkThreshold;
  }

  /** Appends one line (ending in \n). False when the buffer is full and the line was dropped. */
  write(line: string): boolean {
    const n = this.pending.length + line.length;
    if (n > this.maxPending || this.closed) {
      this.dropped++;
      return false;
    }
    this.pending += line;
    if (n >= this.chunkThreshold) this.handOver();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.scheduledHandOver);
    }
    return true;
  }

  /** Hands what is waiting to the sink, unless it is blocked. */
  private handOver(): void {
    if (this.blocked || this.pending.length === 0 || this.sink === undefined) return;
    const chunk = this.pending;
    this.pending = '';
    let accepted: boolean;
    try {
      accepted = this.sink.write(chunk);
    } catch (e) {
      this.writeFailed(e);
      return;
    }
    if (!accepted) this.blocked = true;
  }

  /** @internal the sink drained: resume. */
  unblock(): void {
    this.blocked = false;
    this.handOver();
  }

  /** @internal the sink dropped `n` lines it had accepted: count them as lost to a full buffer. */
  sinkDropped(n: number): void {
    this.dropped += n;
  }

  /** @internal the sink reported an error: count it, keep going. */
  writeFailed(e: unknown): void {
    this.writeErrors++;
    try {
      this.lastError = e instanceof Error ? e.message : String(e);
    } catch {
      this.lastError = 'unknown';
    }
    this.blocked = false;
  }

  /**
   * Writes everything waiting and waits until the sink has it, at most
   * `timeout_ms`. Resolves true when drained, false on timeout.
   */
  async flush(timeout_ms = 5000): Promise<boolean> {
    const sink = this.sink;
    if (sink === undefined) return true;
    let timedOut = false;
    const drained = (async (): Promise<boolean> => {
      while (!timedOut) {
        this.handOver();
        await sink.whenWritten();
        if (this.pending.length === 0 && !this.blocked) return true;
        if (this.blocked) await new Promise<void>((r) => setTimeout(r, 5).unref());
      }
      return false;
    })();
    // The deadline keeps the process alive: `await log.flush(2000)` with a
    // sink that never drains and nothing else alive must still return false
    // (an unref'd timer let the process exit with the awaiting code never run).
    const r = await race_deadline(drained, timeout_ms, true);
    timedOut = true;
    return r.kind === 'settled' && r.value;
  }

  /** Synchronous best effort at process exit. */
  flushSync(): void {
    const chunk = this.pending;
    this.pending = '';
    try {
      this.sink?.writeSync(chunk);
    } catch {
      // Exit path: nothing left to tell.
    }
  }

  /** @internal flushes, then releases the sink. */
  async close(timeout_ms = 5000): Promise<void> {
    const deadline = performance.now() + timeout_ms;
    await this.flush(timeout_ms);
    this.closed = true;
    const sink = this.sink;
    // Releasing a sink that never drains (end() waits for it) is bounded too.
    if (sink !== undefined) await race_deadline(sink.close(), Math.max(100, deadline - performance.now()), true).catch(() => {});
  }

  stats(): ThongKeDich {
    const stats: ThongKeDich = { ten: this.name, dang_cho: this.pending.length, bi_bo_bo_dem_day: this.dropped, loi_ghi: this.writeErrors };
    if (this.lastError !== undefined) stats.loi_cuoi = this.lastError;
    return stats;
  }
}

/** An output option (đầu ra): stdout, stderr, a file path, or a Writable. */
export type DauRa = 'stdout' | 'stderr' | string | Writable;

function isWritable(x: unknown): x is Writable {
  return typeof x === 'object' && x !== null && typeof (x as Writable).write === 'function' && typeof (x as Writable).on === 'function';
}

/**
 * Live destinations, held weakly: a stream destination of a logger that was
 * dropped without `dong()` must not leak. While lines wait, the pending
 * setImmediate holds the destination, so nothing queued is collected.
 */
const liveDestinations = new TapHopYeu<LogDestination>();
/** stdout, stderr and file destinations, by name. */
const byName = new Map<string, LogDestination>();
const byStream = new WeakMap<Writable, LogDestination>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const d of liveDestinations) d.flushSync();
  });
}

/** Every destination still alive (for the write-error metric). */
export function live_destinations(): Iterable<LogDestination> {
  return liveDestinations;
}

/**
 * The destination for an output option, shared per stream, stdout/stderr or file path.
 * @throws TypeError for a value that is neither a known name, a path, nor a Writable.
 * @throws Error when the file cannot be opened for appending (message names the path).
 */
export function open_destination(output: unknown, maxPending: number): LogDestination {
  installExitHook();
  if (isWritable(output)) return streamDestination(output, maxPending);
  if (typeof output !== 'string' || output.trim() === '') {
    throw new TypeError(`output must be "stdout", "stderr", a file path or a Writable stream, got ${output === '' ? 'an empty string' : typeof output}`);
  }
  const name = output === 'stdout' || output === 'stderr' ? output : `file:${resolve(output)}`;
  const existing = byName.get(name);
  if (existing !== undefined) {
    existing.userCount++;
    return existing;
  }
  const isFile = output !== 'stdout' && output !== 'stderr';
  const fd = isFile ? openForAppend(name.slice('file:'.length)) : output === 'stdout' ? 1 : 2;
  const d = new LogDestination(name, maxPending);
  try {
    d.attach(sonicSink(fd, d, isFile));
  } catch (e) {
    if (isFile) closeSync(fd);
    throw e;
  }
  d.userCount++;
  byName.set(name, d);
  liveDestinations.them(d);
  return d;
}

/** One destination per stream, so loggers sharing a stream keep line order. */
function streamDestination(stream: Writable, maxPending: number): LogDestination {
  const existing = byStream.get(stream);
  if (existing !== undefined) {
    existing.userCount++;
    return existing;
  }
  const d = new LogDestination('stream', maxPending);
  d.attach(streamSink(stream, d));
  d.userCount++;
  byStream.set(stream, d);
  d.stream = stream;
  liveDestinations.them(d);
  return d;
}

/**
 * A descriptor open for appending to the file at `path`, opened synchronously
 * (parent directories made) so a bad path fails at construction.
 */
function openForAppend(path: string): number {
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new Error('it is a directory');
    mkdirSync(dirname(path), { recursive: true });
    return openSync(path, 'a');
  } catch (e) {
    throw new Error(`output: cannot open log file ${JSON.stringify(path)} for appending: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** A logger stops using `d`: files are closed when no logger uses them any more. */
export async function release_destination(d: LogDestination): Promise<void> {
  d.userCount--;
  if (d.userCount > 0) {
    await d.flush();
    return;
  }
  if (byName.get(d.name) === d) byName.delete(d.name);
  if (d.stream !== undefined && byStream.get(d.stream) === d) byStream.delete(d.stream);
  liveDestinations.xoa(d);
  await d.close();
}
