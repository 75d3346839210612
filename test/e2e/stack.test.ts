/**
 * End to end against the real programs: a service using the SDK (its own
 * process) sends traces, logs and metrics over OTLP/HTTP to a real
 * OpenTelemetry Collector, which forwards traces to a real Jaeger v2 and
 * re-exports metrics for a real Prometheus; Prometheus also scrapes the
 * service's own /metrics. Needs `npm run stack:install` first; skipped, with
 * the reason printed, when the binaries are missing.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import {
  freePort,
  promtoolCheckMetrics,
  REPO,
  stackBinaries,
  startProcess,
  startStack,
  waitFor,
  type JaegerTrace,
  type OwnedProcess,
  type Stack,
} from './support/stack.js';

const N = 5;
const SERVICE = 'e2e-probe';
const PULL_JOB = 'e2e-probe-pull';

interface ProbeTrace {
  traceId: string;
  parentSpanId: string;
  childSpanId: string;
}

/** The probe's stdout, one JSON object per line, as an async queue. */
function jsonLines(p: OwnedProcess): () => Promise<Record<string, unknown>> {
  const rl = createInterface({ input: p.child.stdout as NodeJS.ReadableStream });
  const it = rl[Symbol.asyncIterator]();
  return async () => {
    for (;;) {
      const r = await it.next();
      if (r.done === true) throw new Error(`${p.name} closed its stdout\n${p.logTail()}`);
      const line = String(r.value).trim();
      if (line.startsWith('{')) return JSON.parse(line) as Record<string, unknown>;
    }
  };
}

/** Sample value of the first line of Prometheus text matching name and all label pairs. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('e2e: SDK -> real OpenTelemetry Collector -> Jaeger v2 and Prometheus', function () {
  this.timeout(120_000);

  let stack: Stack | undefined;
  let probe: OwnedProcess | undefined;
  let probePort = 0;
  let probeTraces: ProbeTrace[] = [];
  let metricsText = '';
  let pullResult: { up: number; value: number } | undefined;

  before(async function () {
    const bins = stackBinaries();
    if (bins.missing.length > 0) {
      console.warn(`    SKIPPED e2e: stack binaries missing: ${bins.missing.join(', ')}. Run: npm run stack:install`);
      this.skip();
    }
    probePort = await freePort();
    stack = await startStack({ scrapeTargets: [{ job: PULL_JOB, target: `127.0.0.1:${probePort}` }], binaries: bins });

    probe = startProcess('probe', process.execPath, ['--import', 'tsx', join(REPO, 'test/e2e/support/probe-service.ts')], {
      logFile: join(stack.workDir, 'probe.log'),
      stdinPipe: true,
      stdoutPipe: true,
      env: { ...process.env, PROBE_OTLP_ENDPOINT: stack.collectorHttpUrl, PROBE_PROM_PORT: String(probePort), PROBE_N: String(N), PROBE_SERVICE: SERVICE },
    });
    const next = jsonLines(probe);
    const ready = await next();
    assert.equal(ready.ready, true, `probe did not start: ${JSON.stringify(ready)}\n${probe.logTail()}`);
    assert.equal(ready.flushed, true, `the probe's SDK could not deliver to the collector\n${probe.logTail()}`);
    probeTraces = ready.traces as ProbeTrace[];

    // While the service runs: Prometheus scrapes its pull endpoint for real.
    const s = stack;
    pullResult = await waitFor(
      async () => {
        const [up] = await s.promQuery(`up{job="${PULL_JOB}"}`);
        const [v] = await s.promQuery(`e2e_probe_requests_total{job="${PULL_JOB}"}`);
        return up !== undefined && v !== undefined && Number(v.value[1]) === N ? { up: Number(up.value[1]), value: Number(v.value[1]) } : undefined;
      },
      30_000,
      `Prometheus to scrape e2e_probe_requests_total=${N} from the service`,
    );
    const r = await fetch(`http://127.0.0.1:${probePort}/metrics`);
    assert.equal(r.status, 200);
    metricsText = await r.text();

    // Shut the service down: sdk.tat() flushes every signal to the collector.
    probe.child.stdin?.write('stop\n');
    const done = await next();
    assert.equal(done.done, true);
    assert.equal(await probe.exited, 0, probe.logTail());
    setupDone = true;
  });

  let failed = false;
  let setupDone = false;
  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });
  after(async () => {
    await probe?.stop();
    await stack?.stop();
    // Logs, configs and Prometheus data stay for a failed run only.
    if (stack !== undefined) {
      if (failed || !setupDone) console.warn(`    e2e stack logs kept in ${stack.workDir}`);
      else rmSync(stack.workDir, { recursive: true, force: true });
    }
  });

  it(`the probe made ${N} distinct traces`, () => {
    assert.equal(probeTraces.length, N);
    assert.equal(new Set(probeTraces.map((t) => t.traceId)).size, N);
  });

  it(`Jaeger's HTTP API returns all ${N} traces, each parent -> child (CHILD_OF)`, async () => {
    const s = stack as Stack;
    await waitFor(async () => (await s.jaegerServices()).includes(SERVICE), 30_000, `Jaeger to know service ${SERVICE}`);
    const jaegerTraces: JaegerTrace[] = await waitFor(
      async () => {
        const ts = await s.jaegerTraces(SERVICE, N * 4);
        const complete = ts.filter((t) => t.spans.length >= 2);
        return complete.length >= N ? ts : undefined;
      },
      30_000,
      `${N} complete traces in Jaeger`,
    );
    const byId = new Map(jaegerTraces.map((t) => [t.traceID, t]));
    assert.equal(jaegerTraces.length, N, `Jaeger has ${jaegerTraces.length} traces of ${SERVICE}, expected ${N}`);
    for (const p of probeTraces) {
      const t = byId.get(p.traceId);
      assert.ok(t, `trace ${p.traceId} missing from Jaeger`);
      assert.equal(t.spans.length, 2);
      const parent = t.spans.find((sp) => sp.spanID === p.parentSpanId);
      const child = t.spans.find((sp) => sp.spanID === p.childSpanId);
      assert.ok(parent && child, `trace ${p.traceId}: spans ${t.spans.map((sp) => sp.spanID).join(',')}`);
      assert.equal(parent.operationName, 'probe.parent');
      assert.equal(child.operationName, 'probe.child');
      assert.deepEqual(parent.references, []);
      assert.deepEqual(
        child.references.map((r) => [r.refType, r.traceID, r.spanID]),
        [['CHILD_OF', p.traceId, p.parentSpanId]],
      );
      assert.equal(t.processes[parent.processID]?.serviceName, SERVICE);
    }
  });

  it(`the collector's file exporter holds the ${N} log records, each with a trace id Jaeger has`, async () => {
    const s = stack as Stack;
    const records = await waitFor(
      () => {
        const r = s.readFileExporter().logs.filter((l) => l.service === SERVICE);
        return r.length >= N ? r : undefined;
      },
      30_000,
      `${N} log records in ${s.fileExporterPath}`,
    );
    assert.equal(records.length, N);
    const jaegerIds = await waitFor(
      async () => {
        const ids = new Set((await s.jaegerTraces(SERVICE, N * 4)).map((t) => t.traceID));
        return ids.size >= N ? ids : undefined;
      },
      30_000,
      `${N} traces in Jaeger`,
    );
    for (const rec of records) {
      assert.ok(jaegerIds.has(rec.traceId), `log record trace id ${rec.traceId} is not in Jaeger`);
      const p = probeTraces.find((t) => t.traceId === rec.traceId);
      assert.equal(rec.spanId, p?.childSpanId, 'the record carries the span it was emitted in');
      assert.equal(rec.body, `probe log ${String(rec.attributes['probe.i'])}`);
      assert.equal(rec.severityText, 'INFO');
    }
    assert.deepEqual(new Set(records.map((r) => r.attributes['probe.i'])), new Set(Array.from({ length: N }, (_, i) => i)));
    // The same file also carries the spans (traces pipeline) and metrics.
    const f = s.readFileExporter();
    assert.equal(f.spans.filter((sp) => sp.service === SERVICE).length, 2 * N);
    assert.ok(f.metrics.some((m) => m.service === SERVICE && m.name === 'e2e_probe_requests'));
  });

  it("the collector's prometheus exporter shows the counter pushed over OTLP", async () => {
    const s = stack as Stack;
    const text = await waitFor(
      async () => {
        const t = await (await fetch(s.collectorPromUrl)).text();
        return sample(t, 'e2e_probe_requests_total', { job: SERVICE }) === N ? t : undefined;
      },
      30_000,
      `e2e_probe_requests_total=${N} at ${s.collectorPromUrl}`,
    );
    assert.equal(sample(text, 'e2e_probe_requests_total', { job: SERVICE, probe_kind: 'e2e' }), N);
  });

  it('Prometheus scraped the running service (up=1) and answers PromQL for the counter from both paths', async () => {
    const s = stack as Stack;
    assert.deepEqual(pullResult, { up: 1, value: N });
    // Pushed over OTLP, re-exported by the collector, scraped from it (job = service.name).
    const viaCollector = await waitFor(
      async () => {
        const [v] = await s.promQuery(`sum(e2e_probe_requests_total{job="${SERVICE}"})`);
        return v !== undefined && Number(v.value[1]) === N ? v : undefined;
      },
      30_000,
      `PromQL e2e_probe_requests_total{job="${SERVICE}"} = ${N}`,
    );
    assert.equal(Number(viaCollector.value[1]), N);
    const [upCollector] = await s.promQuery('up{job="otelcol"}');
    assert.equal(upCollector?.value[1], '1');
  });

  it("promtool check metrics passes on the service's /metrics", async () => {
    assert.match(metricsText, new RegExp(`^e2e_probe_requests_total\\{[^}]*\\} ${N}$`, 'm'));
    const r = await promtoolCheckMetrics(metricsText);
    assert.equal(r.code, 0, `promtool check metrics failed:\n${r.output}`);
  });

  it('stop() ends every program of the stack', async () => {
    const s = stack as Stack;
    const ps = Object.values(s.processes);
    assert.ok(ps.every((p) => p.alive()));
    await s.stop();
    for (const p of ps) {
      assert.equal(p.alive(), false, `${p.name} still runs`);
      assert.throws(() => process.kill(p.child.pid as number, 0), /ESRCH/, `${p.name} (pid ${p.child.pid}) still exists`);
    }
  });
});
