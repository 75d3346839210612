/**
 * Destinations (đích ghi) of log lines: stdout, stderr, a file, or any
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
 * While the sink is blocked lines accumulate here up to `gioi_han` characters;
 * past that a line is dropped and `ghi` returns false so the caller counts it.
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
function nguongChunk(hwm: number | undefined): number {
  const h = typeof hwm === 'number' && hwm > 0 ? hwm : 16 * 1024;
  return Math.max(512, Math.min(16 * 1024, Math.floor(h / 2)));
}

/** What the buffer needs of a sink. */
interface Sink {
  /** Characters to gather before handing a chunk over. */
  readonly nguong: number;
  /** Returns false when the sink wants no more until 'drain'. */
  write(chunk: string): boolean;
  /** Waits until everything handed over has been written (or failed). */
  cho_xong(): Promise<void>;
  /** Synchronous last-chance write (process exit). */
  ghi_dong_bo(chunk: string): void;
  /** Releases the sink (closes files it owns). */
  dong(): Promise<void>;
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
function sonicSink(fd: number, dich: DichGhi, so_huu_fd: boolean): Sink {
  const s = new SonicBoom({ fd, sync: false, minLength: 0, maxLength: 3 * dich.gioi_han + 64 * 1024 });
  let dang_cho_byte = 0;
  let da_dong = false;
  s.on('write', (n: number) => {
    dang_cho_byte = Math.max(0, dang_cho_byte - n);
  });
  s.on('drop', (c: unknown) => {
    dang_cho_byte = Math.max(0, dang_cho_byte - (typeof c === 'string' ? Buffer.byteLength(c) : 0));
    dich.bo_dong(typeof c === 'string' ? dem_dong(c) : 1);
  });
  s.on('drain', () => dich.bo_chan());
  s.on('error', (e: unknown) => {
    dang_cho_byte = 0;
    dich.bao_loi(e);
  });
  s.once('close', () => {
    da_dong = true;
  });
  return {
    nguong: nguongChunk(16 * 1024),
    write: (c) => {
      dang_cho_byte += Buffer.byteLength(c);
      return s.write(c);
    },
    cho_xong: async () => {
      while (dang_cho_byte > 0 && !da_dong) {
        await new Promise<void>((r) => {
          const xong = (): void => {
            s.off('drain', xong);
            s.off('error', xong);
            r();
          };
          s.on('drain', xong);
          s.on('error', xong);
        });
      }
    },
    ghi_dong_bo: (c) => {
      if (da_dong) return;
      if (c.length > 0) s.write(c);
      s.flushSync();
    },
    dong: async () => {
      if (!so_huu_fd || da_dong) return;
      await new Promise<void>((r) => {
        s.once('close', () => r());
        s.once('error', () => r());
        s.end();
      });
    },
  };
}

/** Lines in a chunk (each ends in \n). */
function dem_dong(c: string): number {
  let n = 0;
  for (let i = c.indexOf('\n'); i !== -1; i = c.indexOf('\n', i + 1)) n++;
  return Math.max(1, n);
}

function streamSink(w: Writable, dich: DichGhi): Sink {
  w.on('drain', () => dich.bo_chan());
  w.on('error', (e: unknown) => dich.bao_loi(e));
  return {
    nguong: nguongChunk(w.writableHighWaterMark),
    write: (c) => w.write(c),
    cho_xong: () =>
      new Promise<void>((r) => {
        if (w.destroyed || w.writableEnded) return r();
        // A zero-length write's callback runs once every earlier chunk is done.
        try {
          w.write('', () => r());
        } catch {
          r();
        }
      }),
    ghi_dong_bo: (c) => {
      if (c.length > 0 && !w.destroyed && !w.writableEnded) w.write(c);
    },
    dong: async () => {},
  };
}

/** A destination's counters. */
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
export class DichGhi {
  private cho = '';
  private hen = false;
  private bi_chan = false;
  private sink: Sink | undefined;
  private nguong = 8 * 1024;
  private da_dong = false;
  /** @internal the user stream, when this destination writes to one. */
  stream: Writable | undefined;
  /** Loggers using this destination (files are closed when it drops to zero). */
  so_nguoi_dung = 0;
  bi_bo = 0;
  loi_ghi = 0;
  loi_cuoi: string | undefined;
  private readonly xaHen = (): void => {
    this.hen = false;
    this.xa();
  };

  constructor(
    readonly ten: string,
    /** Most characters held in memory while the sink is blocked. */
    readonly gioi_han: number,
  ) {}

  /** @internal */
  gan(s: Sink): void {
    this.sink = s;
    this.nguong = s.nguong;
  }

  /** Appends one line (ending in \n). False when the buffer is full and the line was dropped. */
  ghi(dong: string): boolean {
    const n = this.cho.length + dong.length;
    if (n > this.gioi_han || this.da_dong) {
      this.bi_bo++;
      return false;
    }
    this.cho += dong;
    if (n >= this.nguong) this.xa();
    else if (!this.hen) {
      this.hen = true;
      setImmediate(this.xaHen);
    }
    return true;
  }

  /** Hands what is waiting to the sink, unless it is blocked. */
  private xa(): void {
    if (this.bi_chan || this.cho.length === 0 || this.sink === undefined) return;
    const c = this.cho;
    this.cho = '';
    let ok: boolean;
    try {
      ok = this.sink.write(c);
    } catch (e) {
      this.bao_loi(e);
      return;
    }
    if (!ok) this.bi_chan = true;
  }

  /** @internal the sink drained: resume. */
  bo_chan(): void {
    this.bi_chan = false;
    this.xa();
  }

  /** @internal the sink dropped `n` lines it had accepted: count them as lost to a full buffer. */
  bo_dong(n: number): void {
    this.bi_bo += n;
  }

  /** @internal the sink reported an error: count it, keep going. */
  bao_loi(e: unknown): void {
    this.loi_ghi++;
    try {
      this.loi_cuoi = e instanceof Error ? e.message : String(e);
    } catch {
      this.loi_cuoi = 'unknown';
    }
    this.bi_chan = false;
  }

  /**
   * Writes everything waiting and waits until the sink has it, at most
   * `timeout_ms`. Resolves true when drained, false on timeout.
   */
  async flush(timeout_ms = 5000): Promise<boolean> {
    const sink = this.sink;
    if (sink === undefined) return true;
    let da_het = false;
    const xong = (async (): Promise<boolean> => {
      while (!da_het) {
        this.xa();
        await sink.cho_xong();
        if (this.cho.length === 0 && !this.bi_chan) return true;
        if (this.bi_chan) await new Promise<void>((r) => setTimeout(r, 5).unref());
      }
      return false;
    })();
    // The deadline keeps the process alive: `await log.flush(2000)` with a
    // sink that never drains and nothing else alive must still return false
    // (an unref'd timer let the process exit with the awaiting code never run).
    const r = await race_deadline(xong, timeout_ms, true);
    da_het = true;
    return r.kind === 'settled' && r.value;
  }

  /** Synchronous best effort at process exit. */
  flush_dong_bo(): void {
    const c = this.cho;
    this.cho = '';
    try {
      this.sink?.ghi_dong_bo(c);
    } catch {
      // Exit path: nothing left to tell.
    }
  }

  /** @internal flushes, then releases the sink. */
  async dong(timeout_ms = 5000): Promise<void> {
    const han = performance.now() + timeout_ms;
    await this.flush(timeout_ms);
    this.da_dong = true;
    const sink = this.sink;
    // Releasing a sink that never drains (end() waits for it) is bounded too.
    if (sink !== undefined) await race_deadline(sink.dong(), Math.max(100, han - performance.now()), true).catch(() => {});
  }

  thong_ke(): ThongKeDich {
    const t: ThongKeDich = { ten: this.ten, dang_cho: this.cho.length, bi_bo_bo_dem_day: this.bi_bo, loi_ghi: this.loi_ghi };
    if (this.loi_cuoi !== undefined) t.loi_cuoi = this.loi_cuoi;
    return t;
  }
}

/** An output option: stdout, stderr, a file path, or a Writable. */
export type DauRa = 'stdout' | 'stderr' | string | Writable;

function laWritable(x: unknown): x is Writable {
  return typeof x === 'object' && x !== null && typeof (x as Writable).write === 'function' && typeof (x as Writable).on === 'function';
}

/**
 * Live destinations, held weakly: a stream destination of a logger that was
 * dropped without `dong()` must not leak. While lines wait, the pending
 * setImmediate holds the destination, so nothing queued is collected.
 */
const conSong = new TapHopYeu<DichGhi>();
const theoTen = new Map<string, DichGhi>();
const theoStream = new WeakMap<Writable, DichGhi>();
let daGanExit = false;

function ganExit(): void {
  if (daGanExit) return;
  daGanExit = true;
  process.on('exit', () => {
    for (const d of conSong) d.flush_dong_bo();
  });
}

function themSong(d: DichGhi): void {
  conSong.them(d);
}

/** Every destination still alive (for the write-error metric). */
export function cac_dich_song(): Iterable<DichGhi> {
  return conSong;
}

/**
 * The destination for an output option, shared per stdout/stderr/file path.
 * @throws TypeError for a value that is neither a known name, a path, nor a Writable.
 * @throws Error when the file cannot be opened for appending (message names the path).
 */
export function mo_dich(output: unknown, gioi_han: number): DichGhi {
  ganExit();
  if (laWritable(output)) {
    // One destination per stream, so loggers sharing a stream keep line order.
    const co = theoStream.get(output);
    if (co !== undefined) {
      co.so_nguoi_dung++;
      return co;
    }
    const d = new DichGhi('stream', gioi_han);
    d.gan(streamSink(output, d));
    d.so_nguoi_dung++;
    theoStream.set(output, d);
    d.stream = output;
    themSong(d);
    return d;
  }
  if (typeof output !== 'string' || output.trim() === '') {
    throw new TypeError(`output must be "stdout", "stderr", a file path or a Writable stream, got ${output === '' ? 'an empty string' : typeof output}`);
  }
  let ten: string;
  if (output === 'stdout' || output === 'stderr') ten = output;
  else ten = `file:${resolve(output)}`;
  const co = theoTen.get(ten);
  if (co !== undefined) {
    co.so_nguoi_dung++;
    return co;
  }
  let fd: number;
  const laFile = ten.startsWith('file:');
  if (!laFile) fd = output === 'stdout' ? 1 : 2;
  else {
    const p = ten.slice(5);
    try {
      if (statSync(p, { throwIfNoEntry: false })?.isDirectory()) throw new Error('it is a directory');
      mkdirSync(dirname(p), { recursive: true });
      fd = openSync(p, 'a');
    } catch (e) {
      throw new Error(`output: cannot open log file ${JSON.stringify(p)} for appending: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
  const d = new DichGhi(ten, gioi_han);
  try {
    d.gan(sonicSink(fd, d, laFile));
  } catch (e) {
    if (laFile) closeSync(fd);
    throw e;
  }
  d.so_nguoi_dung++;
  theoTen.set(ten, d);
  themSong(d);
  return d;
}

/** A logger stops using `d`: files are closed when no logger uses them any more. */
export async function tra_dich(d: DichGhi): Promise<void> {
  d.so_nguoi_dung--;
  if (d.so_nguoi_dung > 0) {
    await d.flush();
    return;
  }
  if (theoTen.get(d.ten) === d) theoTen.delete(d.ten);
  if (d.stream !== undefined && theoStream.get(d.stream) === d) theoStream.delete(d.stream);
  conSong.xoa(d);
  await d.dong();
}
