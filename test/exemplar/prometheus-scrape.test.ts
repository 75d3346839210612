/**
 * The OpenMetrics output against Prometheus's own parser: a real Prometheus
 * (PATH or VNAI_PROMETHEUS_BIN) with `--enable-feature=exemplar-storage`
 * scrapes a node:http service with the SDK every second; the scrape must
 * succeed (`up == 1`) and `/api/v1/query_exemplars` must return the trace ids
 * of the service's own server spans. Skipped visibly without Prometheus
 * (a failure instead with VNAI_REQUIRE_PROMETHEUS=1, as in CI).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { BoNhoSpanExporter, khoi_dong_sdk, type SdkDangChay } from '../../src/index.js';
import { boc_xu_ly_http } from '../../instrumentation/index.js';
import { findOnPath } from '../support/promtool.js';
import { freePorts, retryOnAddrInUse } from '../support/ports.js';
import { skipCurrentTest } from '../support/skip-hooks.js';
import { waitFor } from '../support/wait.js';
import { dong, goi, nghe } from '../instrumentation/support.js';

const PROMETHEUS = process.env.VNAI_PROMETHEUS_BIN || findOnPath('prometheus');
const LY_DO = 'prometheus not found (apt-get install prometheus, or set VNAI_PROMETHEUS_BIN)';

interface ChayPrometheus {
  url: string;
  p: ChildProcess;
  thu_muc: string;
}

async function batPrometheus(muc_tieu: string): Promise<ChayPrometheus> {
  return retryOnAddrInUse(async () => {
    const [port] = await freePorts(1, new Set([Number(muc_tieu.split(':')[1])]));
    const thu_muc = mkdtempSync(join(tmpdir(), 'vnai-prom-'));
    const cfg = join(thu_muc, 'prometheus.yml');
    writeFileSync(cfg, `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: svc\n    static_configs:\n      - targets: [${JSON.stringify(muc_tieu)}]\n`);
    const log = join(thu_muc, 'prometheus.log');
    const p = spawn(PROMETHEUS!, [`--config.file=${cfg}`, `--storage.tsdb.path=${join(thu_muc, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--enable-feature=exemplar-storage', '--log.level=warn'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let loi = '';
    p.stderr!.on('data', (c: Buffer) => {
      loi += c.toString();
      writeFileSync(log, loi);
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor(
        async () => {
          if (p.exitCode !== null) throw new Error(`prometheus exited ${p.exitCode}: ${loi.slice(-500)}`);
          return (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok === true;
        },
        30_000,
        'prometheus ready',
        200,
      );
    } catch (e) {
      p.kill();
      rmSync(thu_muc, { recursive: true, force: true });
      throw e;
    }
    return { url, p, thu_muc };
  });
}

describe('exemplars: a real Prometheus scrapes OpenMetrics and stores them', function () {
  this.timeout(90_000);
  let sdk: SdkDangChay | undefined;
  let server: Server | undefined;
  let prom: ChayPrometheus | undefined;
  afterEach(async () => {
    if (prom !== undefined) {
      const p = prom.p;
      const xong = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await Promise.race([xong, new Promise((r) => setTimeout(r, 5000))]);
      if (p.exitCode === null) p.kill('SIGKILL');
      rmSync(prom.thu_muc, { recursive: true, force: true });
      prom = undefined;
    }
    if (server !== undefined) await dong(server);
    server = undefined;
    await sdk?.tat();
    sdk = undefined;
  });

  it('up == 1, and query_exemplars returns the server spans\' trace ids', async () => {
    if (PROMETHEUS === undefined) {
      if (process.env.VNAI_REQUIRE_PROMETHEUS === '1') assert.fail(`VNAI_REQUIRE_PROMETHEUS=1 but ${LY_DO}`);
      skipCurrentTest('prometheus', LY_DO);
      return;
    }
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'prometheus', logs_exporter: 'none', env: {} })!;
    server = createServer(boc_xu_ly_http((_req, res) => res.end('ok'), {}));
    const url = await nghe(server);
    for (let i = 0; i < 5; i++) assert.equal((await goi(`${url}/work`)).status, 200);
    await sdk.flush();
    const ids = new Set((sdk.exporters.traces[0] as BoNhoSpanExporter).lay_spans().filter((s) => s.kind === SpanKind.SERVER).map((s) => s.spanContext().traceId));
    assert.equal(ids.size, 5);

    prom = await batPrometheus(`127.0.0.1:${(server.address() as AddressInfo).port}`);
    const p = prom;
    const q = async <T>(duong: string, params: Record<string, string>): Promise<T> => {
      const r = await fetch(`${p.url}${duong}?${new URLSearchParams(params)}`);
      const o = (await r.json()) as { status: string; data: T; error?: string };
      if (o.status !== 'success') throw new Error(`${duong}: ${o.error ?? o.status}`);
      return o.data;
    };
    await waitFor(
      async () => {
        const r = await q<{ result: Array<{ value: [number, string] }> }>('/api/v1/query', { query: 'up{job="svc"}' });
        return r.result[0]?.value[1] === '1';
      },
      30_000,
      'up{job="svc"} == 1 (the OpenMetrics scrape parsed)',
      500,
    );
    const bay_gio = Date.now() / 1000;
    const tim = await waitFor(
      async () => {
        const r = await q<Array<{ exemplars: Array<{ labels: Record<string, string>; value: string }> }>>('/api/v1/query_exemplars', {
          query: 'http_server_request_duration_seconds_bucket{job="svc"}',
          start: String(bay_gio - 600),
          end: String(bay_gio + 600),
        });
        const ex = r.flatMap((s) => s.exemplars);
        return ex.length > 0 ? ex : undefined;
      },
      30_000,
      'exemplars of http_server_request_duration_seconds stored',
      500,
    );
    for (const e of tim) assert.ok(ids.has(e.labels.trace_id!), `exemplar trace id ${e.labels.trace_id} is not one of the server spans`);
    // Prometheus logs scrape parse errors; there must be none.
    assert.doesNotMatch(readFileSync(join(p.thu_muc, 'prometheus.log'), { flag: 'a+' }).toString(), /invalid|error parsing|parse error/i);
  });
});
