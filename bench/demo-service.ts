/**
 * Shared by bench/load.bench.ts and bench/soak.ts: starts the BUILT demo
 * (dist/examples/demo: the model service and the gateway, two processes, as
 * `npm start` does) with a given environment, and drives it with autocannon's
 * programmatic API (a bounded loopback load: fixed connections, fixed time).
 * Needs `npm run build` first (npm run bench does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts, retryOnAddrInUse } from '../test/support/ports.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO = join(REPO, 'dist/examples/demo');

/** The parts of autocannon's options and result used here (it ships no types). */
interface TuyChonAutocannon {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  overallRate?: number;
}
export interface KetQuaAutocannon {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (o: TuyChonAutocannon) => Promise<KetQuaAutocannon>;

export const THAN_PREDICT = JSON.stringify({ text: 'Sản phẩm này rất tốt, giao hàng nhanh, tôi rất hài lòng' });

/** `POST /predict` with a JSON body under autocannon for `giay` seconds. */
export function chay_tai(url: string, o: { giay: number; ket_noi: number; toc_do?: number }): Promise<KetQuaAutocannon> {
  // autocannon returns a thenable instance, not a Promise.
  return Promise.resolve(autocannon({
    url: `${url}/predict`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: THAN_PREDICT,
    connections: o.ket_noi,
    duration: o.giay,
    ...(o.toc_do !== undefined ? { overallRate: o.toc_do } : {}),
  }));
}

/** Free loopback ports (the one helper, shared with the tests). */
export const cong_trong = (n: number): Promise<number[]> => freePorts(n);

/** A running demo (gateway + model service). */
export interface Demo {
  readonly ten: string;
  readonly url: string;
  readonly model_url: string;
  readonly pids: { gateway: number; model: number };
  dung(): Promise<void>;
}

/**
 * Starts the demo with `env` added to the environment (e.g.
 * OTEL_SDK_DISABLED=true, or OTEL_EXPORTER_OTLP_ENDPOINT) and waits until the
 * gateway's /readyz is 200 (it waits for the warmed model). Standard output
 * goes to /dev/null for every variant alike; standard error is passed through.
 * A port taken before the demo bound it (EADDRINUSE) starts it again: on new
 * ports, or on the fixed ones `cong` gives once their holder is gone.
 */
export async function bat_demo(ten: string, env: Record<string, string>, cong?: { port: number; model_port: number }, chay_voi: ChayVoi = {}): Promise<Demo> {
  if (!existsSync(join(DEMO, 'gateway.js'))) throw new Error('dist/examples/demo is missing: run npm run build first');
  return retryOnAddrInUse(async (lan) => {
    if (lan > 1 && cong !== undefined) await new Promise((r) => setTimeout(r, 2000));
    return bat_demo_mot_lan(ten, env, cong ?? (await cong_trong(2).then(([port, model_port]) => ({ port: port as number, model_port: model_port as number }))), chay_voi);
  }, 5);
}

/** Which scripts to run (default: the built demo) and extra node arguments (e.g. --cpu-prof). */
export interface ChayVoi {
  tep?: { gateway: string; model: string };
  node_args?: (dich_vu: 'gateway' | 'model') => string[];
}

async function bat_demo_mot_lan(ten: string, env: Record<string, string>, cong: { port: number; model_port: number }, chay_voi: ChayVoi): Promise<Demo> {
  const { port, model_port } = cong;
  const co_so = { ...process.env, HOST: '127.0.0.1', PORT: String(port), MODEL_PORT: String(model_port), DRAIN_MS: '0', ...env };
  let loi = '';
  const chay = (tep: string, dv: string, vai: 'gateway' | 'model'): ChildProcess => {
    const c = spawn(process.execPath, [...(chay_voi.node_args?.(vai) ?? []), tep], { cwd: REPO, env: { ...co_so, OTEL_SERVICE_NAME: dv }, stdio: ['ignore', 'ignore', 'pipe'] });
    c.stderr!.on('data', (d: Buffer) => {
      process.stderr.write(d);
      loi = (loi + d.toString()).slice(-4000);
    });
    return c;
  };
  const model = chay(chay_voi.tep?.model ?? join(DEMO, 'model-service.js'), `${ten}-model`, 'model');
  const gateway = chay(chay_voi.tep?.gateway ?? join(DEMO, 'gateway.js'), `${ten}-gateway`, 'gateway');
  const url = `http://127.0.0.1:${port}`;
  const dung = async (): Promise<void> => {
    await Promise.all(
      [gateway, model].map(
        (c) =>
          new Promise<void>((r) => {
            if (c.exitCode !== null || c.signalCode !== null) return r();
            const t = setTimeout(() => c.kill('SIGKILL'), 10_000);
            c.once('exit', () => {
              clearTimeout(t);
              r();
            });
            c.kill('SIGTERM');
          }),
      ),
    );
  };
  process.once('exit', () => {
    for (const c of [gateway, model]) if (c.exitCode === null) c.kill('SIGKILL');
  });
  const het = Date.now() + 60_000;
  for (;;) {
    if (gateway.exitCode !== null || model.exitCode !== null) {
      await dung();
      throw new Error(`demo ${ten} exited during start: ${loi}`);
    }
    try {
      const r = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
      await r.arrayBuffer();
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > het) {
      await dung();
      throw new Error(`demo ${ten} not ready within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { ten, url, model_url: `http://127.0.0.1:${model_port}`, pids: { gateway: gateway.pid ?? 0, model: model.pid ?? 0 }, dung };
}

export function trung_vi(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
