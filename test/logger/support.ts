/** Test helpers (hỗ trợ): a Writable that records what a logger writes. */
import { Writable } from 'node:stream';
import type { LoggerCauTruc } from '../../src/logger/index.js';

export interface BoThu {
  readonly w: Writable;
  /** Everything written so far. */
  text(): string;
  /** Every line, parsed (throws if a line is not valid JSON). */
  dong(): Array<Record<string, unknown>>;
}

/** A Writable that keeps every chunk (thu = collect). */
export function bo_thu(): BoThu {
  let t = '';
  const w = new Writable({
    write(c: Buffer | string, _e, cb) {
      t += c.toString();
      cb();
    },
  });
  return {
    w,
    text: () => t,
    dong: () =>
      t
        .split('\n')
        .filter((x) => x !== '')
        .map((x) => JSON.parse(x) as Record<string, unknown>),
  };
}

/** Flushes the logger, then returns its parsed lines. */
export async function doc(l: LoggerCauTruc, b: BoThu): Promise<Array<Record<string, unknown>>> {
  assertTrue(await l.flush());
  return b.dong();
}

function assertTrue(x: boolean): void {
  if (!x) throw new Error('flush timed out');
}
