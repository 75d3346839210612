/**
 * Helpers of the bad-input and secrets suites (lạm dụng = abuse): the row
 * type of the table, assertions that an error is of the documented class and
 * names the bad argument, a log collector, a raw HTTP client (a socket, so
 * requests node's client would refuse can be sent), an exposition check (the
 * project's parser, and real promtool where installed),
 * and a heap reading after a forced GC.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { assertValidExposition } from '../../support/promtool.js';

/** One row of the bad-input table (dòng bảng). */
export interface DongBang {
  /** The class/function called. */
  readonly lop: string;
  /** The bad input, in words. */
  readonly dau_vao: string;
  /** The documented outcome, in words. */
  readonly mong_doi: string;
  /** Calls it and asserts the outcome. */
  readonly chay: () => unknown;
  /** The row's mocha timeout (ms) when it needs more than the table's default. */
  readonly timeout_ms?: number;
}

type LopLoi = new (...args: never[]) => Error;

/** Asserts `fn` throws an instance of `loai` whose message matches `ten` (the bad argument's name). */
export function nem(fn: () => unknown, loai: LopLoi, ten: RegExp): void {
  let bat: unknown;
  try {
    fn();
  } catch (e) {
    bat = e;
  }
  kiemLoi(bat, loai, ten);
}

/** Asserts the promise `fn()` returns rejects with `loai`/`ten`, and that `fn` itself does not throw synchronously. */
export async function tu_choi(fn: () => Promise<unknown>, loai: LopLoi, ten: RegExp): Promise<void> {
  let p: Promise<unknown>;
  try {
    p = fn();
  } catch (e) {
    assert.fail(`threw synchronously instead of rejecting: ${String(e)}`);
  }
  let bat: unknown;
  try {
    await p;
  } catch (e) {
    bat = e;
  }
  kiemLoi(bat, loai, ten);
}

function kiemLoi(bat: unknown, loai: LopLoi, ten: RegExp): void {
  assert.ok(bat !== undefined, `expected a ${loai.name}, nothing was thrown`);
  assert.ok(bat instanceof loai, `expected a ${loai.name}, got ${bat instanceof Error ? `${bat.name}: ${bat.message}` : String(bat)}`);
  assert.match((bat as Error).message, ten, 'the message names the bad argument');
}

/** A Writable that keeps what a logger writes (bộ thu = collector). */
export interface BoThuLog {
  readonly w: Writable;
  text(): string;
  /** Lines split on "\n" (NDJSON), the empty tail dropped. */
  dong_tho(): string[];
  /** Every line parsed; fails naming the line that is not one JSON object. */
  dong(): Array<Record<string, unknown>>;
  /** Forgets what was kept so far, except the line count (for tests that log megabytes). */
  xoa(): void;
}

export function bo_thu_log(): BoThuLog {
  let t = '';
  /** Lines forgotten by xoa(), replaced by "{}" so counts stay right. */
  let bo = 0;
  const w = new Writable({
    write(c: Buffer | string, _e, cb) {
      t += c.toString();
      cb();
    },
  });
  const dong_tho = (): string[] => {
    const ds = t.split('\n');
    assert.equal(ds.pop(), '', 'output ends with a newline');
    return bo === 0 ? ds : [...Array<string>(bo).fill('{}'), ...ds];
  };
  return {
    w,
    text: () => t,
    xoa: () => {
      bo += t.split('\n').length - 1;
      t = '';
    },
    dong_tho,
    dong: () =>
      dong_tho().map((l, i) => {
        let o: unknown;
        try {
          o = JSON.parse(l);
        } catch (e) {
          assert.fail(`line ${i + 1} is not JSON (${String(e)}): ${l.slice(0, 300)}`);
        }
        assert.ok(o !== null && typeof o === 'object' && !Array.isArray(o), `line ${i + 1} is not one JSON object: ${l.slice(0, 300)}`);
        return o as Record<string, unknown>;
      }),
  };
}

/** Asserts `text` is a valid exposition: the project's parser, and promtool where installed (../../support/promtool.ts). */
export async function promtool_ok(text: string): Promise<void> {
  await assertValidExposition(text);
}

/** An HTTP answer read from a raw socket. */
export interface TraLoiTho {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one raw HTTP/1.1 request (`Connection: close`) and parses the
 * answer. Raw, so a malformed request line or an unknown method goes out as
 * written.
 */
export function goi_tho(port: number, dong_yeu_cau: string, headers: Record<string, string> = {}, timeout_ms = 5000): Promise<TraLoiTho> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    const phan: Buffer[] = [];
    const hen = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer within ${timeout_ms} ms to ${dong_yeu_cau.slice(0, 80)}`));
    }, timeout_ms);
    s.on('connect', () => {
      let req = `${dong_yeu_cau}\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n`;
      for (const [k, v] of Object.entries(headers)) req += `${k}: ${v}\r\n`;
      s.write(`${req}\r\n`);
    });
    s.on('data', (c: Buffer) => phan.push(c));
    let xong = false;
    const ket_thuc = (loi: Error | undefined): void => {
      if (xong) return;
      xong = true;
      clearTimeout(hen);
      const t = Buffer.concat(phan).toString('utf8');
      // A server may answer (e.g. 431) and reset the connection while we still write: the answer counts.
      if (t === '' && loi !== undefined) {
        reject(loi);
        return;
      }
      const i = t.indexOf('\r\n\r\n');
      const dau = (i < 0 ? t : t.slice(0, i)).split('\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(dau[0] ?? '');
      if (m === null) {
        reject(new Error(`not an HTTP answer: ${JSON.stringify(t.slice(0, 200))}`));
        return;
      }
      const h: Record<string, string> = {};
      for (const l of dau.slice(1)) {
        const j = l.indexOf(':');
        if (j > 0) h[l.slice(0, j).trim().toLowerCase()] = l.slice(j + 1).trim();
      }
      let body = i < 0 ? '' : t.slice(i + 4);
      if (h['transfer-encoding'] === 'chunked') body = boChunk(body);
      resolve({ status: Number(m[1]), headers: h, body });
    };
    s.on('error', (e) => ket_thuc(e));
    s.on('close', () => ket_thuc(undefined));
  });
}

function boChunk(b: string): string {
  let ra = '';
  let i = 0;
  while (i < b.length) {
    const j = b.indexOf('\r\n', i);
    if (j < 0) break;
    const n = parseInt(b.slice(i, j), 16);
    if (!(n > 0)) break;
    ra += b.slice(j + 2, j + 2 + n);
    i = j + 2 + n + 2;
  }
  return ra;
}

let gcFn: (() => void) | undefined;

/** Forces a full GC (enables `gc` on the fly when node was started without --expose-gc). */
export function gc(): void {
  if (gcFn === undefined) {
    const g = (globalThis as { gc?: () => void }).gc;
    if (typeof g === 'function') gcFn = g;
    else {
      setFlagsFromString('--expose_gc');
      gcFn = runInNewContext('gc') as () => void;
    }
  }
  gcFn();
  gcFn();
}

/** Heap in use after a forced GC (bytes). */
export function heap_sau_gc(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** Unhandled rejections seen while `bat_dau()`..`dung()` (to prove abuse leaves none behind). */
export function theo_doi_tu_choi(): { ds: unknown[]; dung(): void } {
  const ds: unknown[] = [];
  const nghe = (l: unknown): void => {
    ds.push(l);
  };
  process.on('unhandledRejection', nghe);
  return { ds, dung: () => process.off('unhandledRejection', nghe) };
}

/** Waits `ms`. */
export const cho = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A Proxy that throws on every trap (get, has, ownKeys, getPrototypeOf, ...). */
export function proxy_nem(): object {
  const nem_ = (ten: string) => () => {
    throw new Error(`proxy trap ${ten}`);
  };
  return new Proxy(
    {},
    {
      get: nem_('get'),
      has: nem_('has'),
      ownKeys: nem_('ownKeys'),
      getPrototypeOf: nem_('getPrototypeOf'),
      getOwnPropertyDescriptor: nem_('getOwnPropertyDescriptor'),
      set: nem_('set'),
      apply: nem_('apply'),
    },
  );
}
