/**
 * Faults against the real OpenTelemetry Collector (with Jaeger and
 * Prometheus from the e2e harness): the collector is absent when the service
 * starts, comes up, is stopped in the middle of a load, and comes back. The
 * service (test/reliability/fixtures/measured-service.ts, its own process, run with
 * --unhandled-rejections=strict) must answer every request 200, keep its heap
 * bounded while nothing can be exported, resume exporting after each
 * recovery, and account for every span and log record it made:
 * made = delivered (counted by the SDK, and equal to what the collector's
 * file exporter wrote) + counted drops. Skipped, with the reason printed,
 * when the stack binaries are missing.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chay_dich_vu_do, dong_ket_noi, goi, goi_json, tai, tong_ket, type DichVuDo, type ThongKeDichVu } from '../reliability/helpers.js';
import { parseFileExporter, REPO, stackBinaries, startProcess, startStack, waitFor, type OwnedProcess, type Stack } from './support/stack.js';

const SERVICE = 'vnai-faults';

describe('e2e faults: the collector absent, stopped mid-run, restarted', function () {
  this.timeout(180_000);
  let stack: Stack | undefined;
  let dv: DichVuDo | undefined;
  let collector: OwnedProcess | undefined;
  let failed = false;
  const files: string[] = [];

  /** Starts a collector like the harness does, writing its file exporter output to a new file. */
  async function startCollector(s: Stack): Promise<OwnedProcess> {
    const file = join(s.workDir, `otelcol-file-${files.length + 1}.json`);
    files.push(file);
    const p = startProcess('otelcol', stackBinaries().otelcol, ['--config', join(REPO, 'otel-collector.yaml')], {
      logFile: join(s.workDir, `otelcol-${files.length}.log`),
      env: {
        ...process.env,
        OTELCOL_GRPC_PORT: String(s.ports.collectorGrpc),
        OTELCOL_HTTP_PORT: String(s.ports.collectorHttp),
        OTELCOL_PROM_ENDPOINT: `127.0.0.1:${s.ports.collectorProm}`,
        OTELCOL_FILE_PATH: file,
        JAEGER_OTLP_ENDPOINT: `127.0.0.1:${s.ports.jaegerOtlpGrpc}`,
      },
    });
    await waitFor(
      async () => {
        if (!p.alive()) throw new Error(`collector exited: ${p.logTail()}`);
        const r = await fetch(`${s.collectorHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans":[]}', signal: AbortSignal.timeout(2000) });
        await r.arrayBuffer();
        return r.ok;
      },
      60_000,
      'the collector to accept OTLP/HTTP',
    );
    return p;
  }

  /** Spans and log records of SERVICE written by every collector so far, by `pha`. */
  function received(): { spans: number; logs: number; spansOf(pha: string): number; logsOf(pha: string): number } {
    const all = files.filter((f) => existsSync(f)).map((f) => parseFileExporter(readFileSync(f, 'utf8')));
    const spans = all.flatMap((c) => c.spans).filter((s) => s.service === SERVICE);
    const logs = all.flatMap((c) => c.logs).filter((l) => l.service === SERVICE);
    // The file exporter's span shape has no attributes: read `pha` from the log records, and
    // count spans per phase through the log records' span ids (one log per span).
    const phaOfSpan = new Map(logs.map((l) => [l.spanId, String(l.attributes.pha ?? '')]));
    return {
      spans: spans.length,
      logs: logs.length,
      spansOf: (pha) => spans.filter((s) => phaOfSpan.get(s.spanId) === pha).length,
      logsOf: (pha) => logs.filter((l) => l.attributes.pha === pha).length,
    };
  }

  /**
   * Items the collectors accepted and then lost themselves, by signal, from
   * their logs: on SIGTERM the collector may close the file exporter before
   * its batch processor drained ("Exporting failed. Rejecting data."
   * rejected_items N). Counted so the cross-check stays exact.
   */
  function collectorLost(s: Stack): { traces: number; logs: number } {
    const lost = { traces: 0, logs: 0 };
    for (let i = 1; i <= files.length; i++) {
      const log = join(s.workDir, `otelcol-${i}.log`);
      if (!existsSync(log)) continue;
      for (const line of readFileSync(log, 'utf8').split('\n')) {
        if (!line.includes('"otelcol.component.id": "file"') || !line.includes('rejected_items')) continue;
        const n = Number(/"rejected_items": (\d+)/.exec(line)?.[1] ?? 0);
        if (line.includes('"otelcol.signal": "traces"')) lost.traces += n;
        else if (line.includes('"otelcol.signal": "logs"')) lost.logs += n;
      }
    }
    return lost;
  }

  /** /thong-ke once every span and log made is accounted for (queue drained, exports settled). */
  async function reconciled(d: DichVuDo, ms: number): Promise<ThongKeDichVu> {
    let last: ThongKeDichVu | undefined;
    return waitFor(
      async () => {
        last = await goi_json<ThongKeDichVu>(`${d.url}/thong-ke`);
        const s = last.sdk.spans;
        const l = last.sdk.logs;
        return s.da_xuat + s.tong_bi_bo === last.made.spans && l.da_xuat + l.tong_bi_bo === last.made.logs ? last : undefined;
      },
      ms,
      'made = delivered + dropped',
    ).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}; last: ${last === undefined ? '-' : tong_ket(last)}`);
    });
  }

  before(async function () {
    const bins = stackBinaries();
    if (bins.missing.length > 0) {
      console.warn(`    SKIPPED e2e faults: stack binaries missing: ${bins.missing.join(', ')}. Run: npm run stack:install`);
      this.skip();
    }
    stack = await startStack({ binaries: bins });
    // The collector is absent when the service starts.
    await stack.processes.collector.stop();
    dv = await chay_dich_vu_do({ FAULT_OTLP_URL: stack.collectorHttpUrl, FAULT_OTLP_TIMEOUT_MS: '2000', FAULT_BATCH_DELAY_MS: '200' });
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });

  after(async () => {
    dv?.giet();
    dong_ket_noi();
    await collector?.stop();
    await stack?.stop();
    if (stack !== undefined) {
      if (failed) console.warn(`    e2e faults: logs kept in ${stack.workDir}`);
      else rmSync(stack.workDir, { recursive: true, force: true });
    }
  });

  it('collector absent at start: every request 200, the heap stays bounded through a 20,000-span burst (queues capped)', async () => {
    const d = dv as DichVuDo;
    const m0 = await goi_json<{ heap_used: number; gc: boolean }>(`${d.url}/mem`);
    assert.equal(m0.gc, true);
    const t = await tai(`${d.url}/work?pha=vang`, { ket_noi: 8, toi_da: 500 });
    assert.deepEqual(t.theo_ma, { 200: 500 }, JSON.stringify(t.loi.slice(0, 3)));
    for (let k = 0; k < 4; k++) assert.equal((await goi(`${d.url}/burst?n=5000&pha=vang`, 'POST')).status, 200);
    const m1 = await goi_json<{ heap_used: number }>(`${d.url}/mem`);
    // 20,500 spans + 20,500 log records with a 1 KiB attribute each would be > 40 MiB if kept.
    assert.ok(m1.heap_used - m0.heap_used < 16 * 2 ** 20, `heap grew ${((m1.heap_used - m0.heap_used) / 2 ** 20).toFixed(1)} MiB`);
    assert.equal((await goi(`${d.url}/livez`)).status, 200);
    const tk = await goi_json<ThongKeDichVu>(`${d.url}/thong-ke`);
    assert.ok((tk.sdk.spans.bi_bo.queue_full ?? 0) > 10_000, `queue_full counted: ${tong_ket(tk)}`);
    assert.ok((tk.sdk.logs.bi_bo.queue_full ?? 0) > 10_000, `queue_full counted: ${tong_ket(tk)}`);
    // Down for longer than the export timeout (2 s, retries included): exports in flight fail, and are counted.
    await waitFor(async () => {
      const x = await goi_json<ThongKeDichVu>(`${d.url}/thong-ke`);
      return x.sdk.spans.tong_bi_bo > (x.sdk.spans.bi_bo.queue_full ?? 0) ? true : undefined;
    }, 15_000, 'a failed export counted');
  });

  it('the collector starts: export resumes and new spans and logs reach its file exporter', async () => {
    const s = stack as Stack;
    const d = dv as DichVuDo;
    collector = await startCollector(s);
    await reconciled(d, 30_000);
    const t = await tai(`${d.url}/work?pha=len`, { ket_noi: 4, toi_da: 100 });
    assert.deepEqual(t.theo_ma, { 200: 100 });
    await waitFor(() => received().logsOf('len') === 100 && received().spansOf('len') === 100, 30_000, '100 spans and logs of phase "len" in the file exporter');
  });

  it('the collector is stopped in the middle of a load: every request 200, then it restarts and new spans reach the file exporter and Jaeger', async () => {
    const s = stack as Stack;
    const d = dv as DichVuDo;
    let stopped = false;
    const load = tai(`${d.url}/work?pha=giua`, { ket_noi: 8, toi_da: 3000 });
    const stopper = (async () => {
      await new Promise((r) => setTimeout(r, 300));
      await collector?.stop();
      stopped = true;
    })();
    const [t] = await Promise.all([load, stopper]);
    assert.ok(stopped);
    assert.deepEqual(t.theo_ma, { 200: 3000 }, JSON.stringify(t.loi.slice(0, 3)));
    // While it is down: more work, all served.
    const t2 = await tai(`${d.url}/work?pha=xuong`, { ket_noi: 8, toi_da: 500 });
    assert.deepEqual(t2.theo_ma, { 200: 500 });
    assert.equal((await goi(`${d.url}/burst?n=5000&pha=xuong`, 'POST')).status, 200);
    await new Promise((r) => setTimeout(r, 3000)); // longer than the export timeout

    collector = await startCollector(s);
    await reconciled(d, 30_000);
    const t3 = await tai(`${d.url}/work?pha=sau`, { ket_noi: 4, toi_da: 100 });
    assert.deepEqual(t3.theo_ma, { 200: 100 });
    await waitFor(() => received().logsOf('sau') === 100 && received().spansOf('sau') === 100, 30_000, '100 spans and logs of phase "sau" in the file exporter');
    // Through the restarted collector to Jaeger too.
    await waitFor(
      async () => {
        const traces = await s.jaegerTraces(SERVICE, 1000);
        return traces.flatMap((tr) => tr.spans).filter((sp) => sp.tags.some((g) => g.key === 'vnai.pha' && g.value === 'sau')).length >= 100;
      },
      30_000,
      'the "sau" spans in Jaeger',
    );
  });

  it('made = delivered + counted drops for spans and logs; delivered = what the collectors wrote (+ what they logged losing); the service is alive', async () => {
    const d = dv as DichVuDo;
    assert.equal((await goi(`${d.url}/flush`, 'POST')).status, 200);
    const tk = await reconciled(d, 30_000);
    // Collectors stop gracefully (SIGTERM): what they accepted is written before they exit.
    await collector?.stop();
    collector = undefined;
    const r = received();
    const lost = collectorLost(stack as Stack);
    const summary = `${tong_ket(tk)}; collectors wrote ${r.spans} spans, ${r.logs} logs, and reported losing ${lost.traces} spans, ${lost.logs} logs on their own shutdown`;
    assert.equal(tk.made.spans, 500 + 20_000 + 100 + 3000 + 500 + 5000 + 100, summary);
    assert.equal(tk.sdk.spans.da_xuat, r.spans + lost.traces, summary);
    assert.equal(tk.sdk.logs.da_xuat, r.logs + lost.logs, summary);
    assert.ok(tk.sdk.spans.tong_bi_bo > 0 && tk.sdk.logs.tong_bi_bo > 0, summary);
    assert.ok(Object.keys(tk.sdk.spans.bi_bo).length >= 2, `drops by more than one reason (queue full, export errors): ${summary}`);
    assert.equal(d.song(), true, `the service died (strict unhandled rejections):\n${d.stderr()}`);
    assert.equal((await goi(`${d.url}/livez`)).status, 200);
    console.log(`      ${summary}`);
  });
});
