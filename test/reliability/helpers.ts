/**
 * Helpers (hỗ trợ) of the fault tests: start the measured service
 * (fixtures/measured-service.ts) in a child process, talk to it over loopback HTTP,
 * and drive a bounded loopback load whose every answer is recorded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportedPort } from '../support/ports.js';

export const THU_MUC_REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURE = join(THU_MUC_REPO, 'test/reliability/fixtures/measured-service.ts');

export const doi = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Delivered vs dropped of one signal, as `sdk.thong_ke()` returns it. */
export interface TkTinHieu {
  da_xuat: number;
  bi_bo: Record<string, number>;
  tong_bi_bo: number;
}

export interface ThongKeDichVu {
  made: { spans: number; logs: number };
  sdk: { spans: TkTinHieu; logs: TkTinHieu };
  logger: { tong: number; tong_bi_bo: number };
}

/** The measured service, running. */
export interface DichVuDo {
  readonly con: ChildProcess;
  readonly url: string;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** True while it runs. */
  song(): boolean;
  readonly thoat: Promise<{ ma: number | null; tin_hieu: NodeJS.Signals | null; t: number }>;
  /** SIGKILL if still running. */
  giet(): void;
}

/** Starts fixtures/measured-service.ts with `--unhandled-rejections=strict --expose-gc`. */
export async function chay_dich_vu_do(env: Record<string, string>): Promise<DichVuDo> {
  const con = spawn(process.execPath, ['--unhandled-rejections=strict', '--expose-gc', '--import', 'tsx', FIXTURE], {
    cwd: THU_MUC_REPO,
    env: { ...process.env, OTEL_SDK_DISABLED: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let loi = '';
  con.stderr!.on('data', (c: Buffer) => (loi += c.toString()));
  let chay = true;
  const thoat = new Promise<{ ma: number | null; tin_hieu: NodeJS.Signals | null; t: number }>((r) =>
    con.once('exit', (ma, tin_hieu) => {
      chay = false;
      r({ ma, tin_hieu, t: performance.now() });
    }),
  );
  const port = await reportedPort(con, 'measured-service', () => loi);
  return {
    con,
    url: `http://127.0.0.1:${port}`,
    stderr: () => loi,
    song: () => chay,
    thoat,
    giet: () => {
      if (chay) con.kill('SIGKILL');
    },
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One request over a keep-alive loopback agent: status and body text. */
export function goi(url: string, method = 'GET', timeout_ms = 15_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, timeout: timeout_ms }, (res) => {
      const phan: Buffer[] = [];
      res.on('data', (c: Buffer) => phan.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(phan).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within ${timeout_ms} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export async function goi_json<T>(url: string, method = 'GET'): Promise<T> {
  const r = await goi(url, method);
  if (r.status !== 200) throw new Error(`${method} ${url}: HTTP ${r.status}: ${r.body.slice(0, 200)}`);
  return JSON.parse(r.body) as T;
}

/** What a load run saw: answers by status, and transport errors. */
export interface KetQuaTai {
  theo_ma: Record<number, number>;
  loi: string[];
  tong: number;
}

/**
 * A bounded loopback load (tải): `ket_noi` concurrent loops, each sending
 * `GET <url>` back to back until `dung()` returns true or `toi_da` requests
 * were sent in all. Stops a loop at its first transport error when
 * `dung_khi_loi` (used once the server is expected to close).
 */
export async function tai(url: string, o: { ket_noi: number; toi_da: number; dung?: () => boolean; dung_khi_loi?: boolean }): Promise<KetQuaTai> {
  const kq: KetQuaTai = { theo_ma: {}, loi: [], tong: 0 };
  let gui = 0;
  const vong = async (): Promise<void> => {
    while (gui < o.toi_da && !(o.dung?.() ?? false)) {
      gui++;
      try {
        const r = await goi(url);
        kq.theo_ma[r.status] = (kq.theo_ma[r.status] ?? 0) + 1;
        kq.tong++;
      } catch (e) {
        kq.loi.push(e instanceof Error ? e.message : String(e));
        if (o.dung_khi_loi === true) return;
      }
    }
  };
  await Promise.all(Array.from({ length: o.ket_noi }, vong));
  return kq;
}

/** Drops the keep-alive sockets (between phases that restart servers). */
export function dong_ket_noi(): void {
  agent.destroy();
}

/** Asserts made = delivered + counted drops, for spans and logs; returns a summary line. */
export function tong_ket(tk: ThongKeDichVu): string {
  const s = tk.sdk.spans;
  const l = tk.sdk.logs;
  return `spans made ${tk.made.spans} = delivered ${s.da_xuat} + dropped ${s.tong_bi_bo} ${JSON.stringify(s.bi_bo)}; logs made ${tk.made.logs} = delivered ${l.da_xuat} + dropped ${l.tong_bi_bo} ${JSON.stringify(l.bi_bo)}`;
}
