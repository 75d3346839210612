/**
 * Soak (issue 7; bounded, optional, not in CI): the demo with the FULL SDK on
 * (OTLP to a real collector from the e2e harness when its binaries exist,
 * else to a null sink) under a steady, rate-limited loopback load for
 * SOAK_SECONDS (default 600). Every SOAK_SAMPLE_SECONDS (default 10) it
 * samples, from outside, each process's RSS (`ps`) and the V8 heap the
 * service itself reports (/healthz?verbose: he_thong is system-wide, so the
 * heap comes from /metrics' process metrics when present, else RSS only).
 * Reports the slope of a least-squares line over the SECOND half of the
 * samples (MiB per minute), per process: no growth trend means a slope near
 * zero. Writes .bench-results/soak.json.
 *
 * Reproduce (no npm script; run after `npm run build`):
 *   SOAK_SECONDS=600 npx tsx bench/soak.ts
 * env: SOAK_SECONDS (600), SOAK_SAMPLE_SECONDS (10), SOAK_RATE (req/s, 1000), SOAK_CONNECTIONS (10)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stackBinaries, startStack, type Stack } from '../test/e2e/support/stack.js';
import { bat_demo, chay_tai, REPO, type Demo, type KetQuaAutocannon } from './demo-service.js';

function so_env(bien: string, mac_dinh: number): number {
  const v = Number(process.env[bien] ?? mac_dinh);
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${bien} must be an integer >= 1`);
  return v;
}
const GIAY = so_env('SOAK_SECONDS', 600);
const MAU_GIAY = so_env('SOAK_SAMPLE_SECONDS', 10);
const TOC_DO = so_env('SOAK_RATE', 1000);
const KET_NOI = so_env('SOAK_CONNECTIONS', 10);

/** RSS in MiB of a pid, from ps (outside the process: nothing new is exposed). */
function rss_mib(pid: number): number {
  const out = execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  return Number(out) / 1024;
}

/** Least-squares slope of y over x. */
function do_doc(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += ((x[i] as number) - mx) * ((y[i] as number) - my);
    sxx += ((x[i] as number) - mx) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

interface Mau {
  t_s: number;
  gateway_rss_mib: number;
  model_rss_mib: number;
}

let stack: Stack | undefined;
let sink: Server | undefined;
let demo: Demo | undefined;
try {
  let dich: string;
  let otlp: string;
  const bins = stackBinaries();
  if (bins.missing.length === 0) {
    stack = await startStack({ binaries: bins });
    otlp = stack.collectorHttpUrl;
    dich = 'a real OpenTelemetry Collector';
  } else {
    const s = createServer((q, r) => {
      q.resume();
      q.on('end', () => r.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    sink = s;
    otlp = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    dich = 'a null OTLP sink (stack binaries missing)';
  }
  const d = await bat_demo('soak', { OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: otlp, OTEL_METRIC_EXPORT_INTERVAL: '10000' });
  demo = d;
  console.log(`soak: ${GIAY} s at ${TOC_DO} req/s (${KET_NOI} connections), POST /predict, full SDK -> ${dich}; sampling every ${MAU_GIAY} s`);

  const mau: Mau[] = [];
  const t0 = performance.now();
  const tai: Promise<KetQuaAutocannon> = chay_tai(d.url, { giay: GIAY, ket_noi: KET_NOI, toc_do: TOC_DO });
  let xong = false;
  void tai.finally(() => (xong = true));
  while (!xong && performance.now() - t0 < (GIAY + 5) * 1000) {
    const m: Mau = {
      t_s: Math.round((performance.now() - t0) / 100) / 10,
      gateway_rss_mib: rss_mib(d.pids.gateway),
      model_rss_mib: rss_mib(d.pids.model),
    };
    mau.push(m);
    console.log(`  t=${m.t_s.toFixed(0).padStart(4)} s  gateway RSS ${m.gateway_rss_mib.toFixed(1)} MiB  model RSS ${m.model_rss_mib.toFixed(1)} MiB`);
    const tiep = t0 + mau.length * MAU_GIAY * 1000;
    while (!xong && performance.now() < tiep) await new Promise((r) => setTimeout(r, 200));
  }
  const r = await tai;

  const nua = mau.slice(Math.floor(mau.length / 2));
  const x = nua.map((m) => m.t_s / 60);
  const doc = (k: keyof Omit<Mau, 't_s'>): number | undefined => (nua.length >= 2 ? do_doc(x, nua.map((m) => m[k])) : undefined);
  const ket_qua = {
    ten: 'soak',
    node: process.version,
    thoi_diem: new Date().toISOString(),
    tuy_chon: { giay: GIAY, mau_giay: MAU_GIAY, toc_do: TOC_DO, ket_noi: KET_NOI, dich },
    tai: { rps: r.requests.average, tong: r.requests.total, p99_ms: r.latency.p99, non2xx: r.non2xx, loi: r.errors + r.timeouts },
    do_doc_mib_moi_phut_nua_sau: {
      gateway_rss: doc('gateway_rss_mib'),
      model_rss: doc('model_rss_mib'),
    },
    mau,
  };
  const f = (v: number | undefined) => (v === undefined ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(3)}`);
  const s = ket_qua.do_doc_mib_moi_phut_nua_sau;
  console.log(`\nsoak: ${r.requests.total} requests (${r.requests.average.toFixed(0)} req/s, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors + r.timeouts}), ${mau.length} samples`);
  console.log('| process | first sample MiB | last sample MiB | slope over 2nd half (MiB/min) |');
  console.log('|---|---:|---:|---:|');
  const dau = mau[0];
  const cuoi = mau[mau.length - 1];
  console.log(`| gateway RSS | ${dau?.gateway_rss_mib.toFixed(1)} | ${cuoi?.gateway_rss_mib.toFixed(1)} | ${f(s.gateway_rss)} |`);
  console.log(`| model RSS | ${dau?.model_rss_mib.toFixed(1)} | ${cuoi?.model_rss_mib.toFixed(1)} | ${f(s.model_rss)} |`);
  console.log(`reproduce: npm run build && SOAK_SECONDS=${GIAY} npx tsx bench/soak.ts`);
  mkdirSync(join(REPO, '.bench-results'), { recursive: true });
  writeFileSync(join(REPO, '.bench-results/soak.json'), `${JSON.stringify(ket_qua, null, 2)}\n`);
} finally {
  await demo?.dung();
  await stack?.stop();
  sink?.close();
}
