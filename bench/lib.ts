/**
 * The benchmark harness (bộ đo). Cases registered on one `BangDo` run in the
 * same process, in interleaved rounds (A B C, A B C, ...), so that machine
 * noise hits every case alike; each case reports the median ns/op over its
 * rounds, and ratios are taken between medians of the same run. Results are
 * printed as a table and written to `.bench-results/<name>.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TuyChonChay {
  /** Rounds per case (the median is over these). Default 7. */
  vong?: number;
  /** Operations per round for sync cases. Default 100_000. */
  lan?: number;
  /** Warm-up operations before the first round. Default lan / 4. */
  khoi_dong?: number;
}

interface Ca {
  ten: string;
  ham: () => unknown;
  bat_dong_bo: boolean;
  lan?: number;
  mau: number[];
}

export interface KetQuaCa {
  ten: string;
  ns_moi_lan: number;
  ops_moi_giay: number;
  vong: number[];
}

export interface TyLe {
  ten: string;
  tu: string;
  mau: string;
  ty_le: number;
  /** The bar this ratio must meet, if any (e.g. "<= 1.1"). */
  nguong?: string;
  dat?: boolean;
}

function trungVi(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export class BangDo {
  private readonly ca: Ca[] = [];
  private readonly ketQua = new Map<string, KetQuaCa>();
  private readonly tyLe: TyLe[] = [];
  readonly ghi_chu: string[] = [];

  constructor(readonly ten: string) {}

  /** A synchronous case: `ham` is called `lan` times per round. */
  them(ten: string, ham: () => unknown, lan?: number): this {
    this.ca.push({ ten, ham, bat_dong_bo: false, mau: [], ...(lan !== undefined ? { lan } : {}) });
    return this;
  }

  /** An async case: each op is awaited in turn (sequential, like a request path). */
  them_async(ten: string, ham: () => Promise<unknown>, lan?: number): this {
    this.ca.push({ ten, ham, bat_dong_bo: true, mau: [], ...(lan !== undefined ? { lan } : {}) });
    return this;
  }

  private async motVong(c: Ca, lan: number): Promise<number> {
    const f = c.ham;
    const t0 = process.hrtime.bigint();
    if (c.bat_dong_bo) for (let i = 0; i < lan; i++) await f();
    else for (let i = 0; i < lan; i++) f();
    return Number(process.hrtime.bigint() - t0) / lan;
  }

  async chay(t: TuyChonChay = {}): Promise<this> {
    const vong = t.vong ?? 7;
    const lanMacDinh = t.lan ?? 100_000;
    for (const c of this.ca) {
      const lan = c.lan ?? lanMacDinh;
      await this.motVong(c, t.khoi_dong ?? Math.max(1, lan >> 2));
    }
    for (let v = 0; v < vong; v++) {
      for (const c of this.ca) {
        (globalThis as { gc?: () => void }).gc?.();
        c.mau.push(await this.motVong(c, c.lan ?? lanMacDinh));
      }
    }
    for (const c of this.ca) {
      const ns = trungVi(c.mau);
      this.ketQua.set(c.ten, { ten: c.ten, ns_moi_lan: ns, ops_moi_giay: 1e9 / ns, vong: c.mau });
    }
    return this;
  }

  /** ns/op of a case that has run. */
  ns(ten: string): number {
    const k = this.ketQua.get(ten);
    if (k === undefined) throw new Error(`no result for case ${JSON.stringify(ten)}`);
    return k.ns_moi_lan;
  }

  /**
   * Records `tu / mau` of ns/op (cost ratio: < 1 means `tu` is cheaper).
   * `nguong` like "<= 1.1" is checked and shown.
   */
  ty_le(ten: string, tu: string, mau: string, nguong?: string): number {
    const r = this.ns(tu) / this.ns(mau);
    const tl: TyLe = { ten, tu, mau, ty_le: r };
    if (nguong !== undefined) {
      const m = /^(<=|>=)\s*([0-9.]+)$/.exec(nguong.trim());
      if (m === null) throw new Error(`bad threshold ${nguong}`);
      tl.nguong = nguong;
      tl.dat = m[1] === '<=' ? r <= Number(m[2]) : r >= Number(m[2]);
    }
    this.tyLe.push(tl);
    return r;
  }

  /** Records an external figure (e.g. a throughput measured otherwise). */
  them_ket_qua(ten: string, ns_moi_lan: number): void {
    this.ketQua.set(ten, { ten, ns_moi_lan, ops_moi_giay: 1e9 / ns_moi_lan, vong: [ns_moi_lan] });
  }

  /** Prints the table and writes `.bench-results/<ten>.json`. */
  in(): void {
    const rows = [...this.ketQua.values()];
    const w = Math.max(...rows.map((r) => r.ten.length), 10);
    console.log(`\n## ${this.ten}`);
    console.log(`${'case'.padEnd(w)}  ${'ns/op'.padStart(10)}  ${'ops/s'.padStart(12)}`);
    for (const r of rows) {
      console.log(`${r.ten.padEnd(w)}  ${r.ns_moi_lan.toFixed(1).padStart(10)}  ${Math.round(r.ops_moi_giay).toLocaleString('en-US').padStart(12)}`);
    }
    for (const t of this.tyLe) {
      const bar = t.nguong === undefined ? '' : `  bar ${t.nguong}: ${t.dat ? 'MET' : 'NOT MET'}`;
      console.log(`ratio ${t.ten}: ${t.ty_le.toFixed(3)}x  (${t.tu} / ${t.mau})${bar}`);
    }
    for (const g of this.ghi_chu) console.log(`note: ${g}`);
    const dir = join(process.cwd(), '.bench-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${this.ten}.json`),
      JSON.stringify({ ten: this.ten, node: process.version, thoi_diem: new Date().toISOString(), ket_qua: rows, ty_le: this.tyLe, ghi_chu: this.ghi_chu }, null, 2),
    );
  }
}
