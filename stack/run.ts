/**
 * `npm run stack`: starts the OpenTelemetry Collector (otel-collector.yaml),
 * Jaeger v2 and Prometheus on 127.0.0.1 at their usual ports, then the demo
 * service pointed at the collector; prints the URLs; Ctrl-C stops everything.
 * Binaries come from `npm run stack:install`.
 *
 * Ports (env, default): OTELCOL_GRPC_PORT 4317, OTELCOL_HTTP_PORT 4318,
 * OTELCOL_PROM_PORT 8889, JAEGER_OTLP_GRPC_PORT 14317, JAEGER_OTLP_HTTP_PORT 14318,
 * JAEGER_QUERY_HTTP_PORT 16686, JAEGER_QUERY_GRPC_PORT 16685,
 * JAEGER_HEALTH_PORT 13133, PROMETHEUS_PORT 9090.
 * Demo: VNAI_DEMO_CMD (a shell command run with the OTEL_* env set) and
 * VNAI_DEMO_SCRAPE (comma-separated host:port list Prometheus scrapes), until
 * `batDauDemo` below starts the demo itself.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PORTS, stackBinaries, startProcess, startStack, stopAll, stopSignalled, type OwnedProcess, type ScrapeTarget, type StackPorts } from '../test/e2e/support/stack.js';

const ENV_PORTS: Record<keyof StackPorts, string> = {
  collectorGrpc: 'OTELCOL_GRPC_PORT',
  collectorHttp: 'OTELCOL_HTTP_PORT',
  collectorProm: 'OTELCOL_PROM_PORT',
  jaegerOtlpGrpc: 'JAEGER_OTLP_GRPC_PORT',
  jaegerOtlpHttp: 'JAEGER_OTLP_HTTP_PORT',
  jaegerQueryHttp: 'JAEGER_QUERY_HTTP_PORT',
  jaegerQueryGrpc: 'JAEGER_QUERY_GRPC_PORT',
  jaegerHealth: 'JAEGER_HEALTH_PORT',
  prometheus: 'PROMETHEUS_PORT',
};

function ports(): StackPorts {
  const out = { ...DEFAULT_PORTS };
  for (const [k, name] of Object.entries(ENV_PORTS) as [keyof StackPorts, string][]) {
    const v = process.env[name];
    if (v === undefined || v === '') continue;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new RangeError(`${name}: expected a port number, got ${JSON.stringify(v)}`);
    out[k] = n;
  }
  return out;
}

/**
 * LEAD: the demo's Prometheus targets (host:port serving /metrics), known
 * before Prometheus starts. For now from VNAI_DEMO_SCRAPE.
 */
function demoScrapeTargets(): ScrapeTarget[] {
  const list = (process.env.VNAI_DEMO_SCRAPE ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  return list.map((target, i) => ({ job: i === 0 ? 'demo' : `demo-${i}`, target }));
}

/**
 * LEAD: fill in. Starts (bắt đầu) the demo service pointed at the running
 * stack; `env` is process.env plus OTEL_EXPORTER_OTLP_ENDPOINT (the
 * collector's OTLP/HTTP URL) and OTEL_METRIC_EXPORT_INTERVAL. Start every
 * process with `startProcess(...)` so Ctrl-C stops it with the stack; return them.
 * For now: runs VNAI_DEMO_CMD when set.
 */
function batDauDemo(env: NodeJS.ProcessEnv): OwnedProcess[] {
  const cmd = process.env.VNAI_DEMO_CMD;
  if (cmd === undefined || cmd.trim() === '') {
    console.log('note: the demo service will start here once it is wired in (stack/run.ts batDauDemo);');
    console.log('      meanwhile point any service at the collector: OTEL_EXPORTER_OTLP_ENDPOINT=' + String(env.OTEL_EXPORTER_OTLP_ENDPOINT));
    console.log('      or run one with the stack: VNAI_DEMO_CMD="npm start" VNAI_DEMO_SCRAPE=127.0.0.1:8080 npm run stack');
    return [];
  }
  console.log(`demo: ${cmd}`);
  return [startProcess('demo', 'bash', ['-c', cmd], { env, logFile: 'inherit' })];
}

async function main(): Promise<void> {
  const bins = stackBinaries();
  if (bins.missing.length > 0) {
    console.error(`stack: binaries missing: ${bins.missing.join(', ')}\nrun: npm run stack:install`);
    process.exit(1);
  }
  const workDir = mkdtempSync(join(tmpdir(), 'vnai-stack-'));
  const t0 = performance.now();
  const stack = await startStack({ ports: ports(), workDir, binaries: bins, scrapeTargets: demoScrapeTargets() });
  console.log(`stack ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (logs, configs, data: ${workDir})`);
  console.log(`  Jaeger UI/API         ${stack.jaegerUrl}   (go-installed Jaeger: placeholder UI, full API: ${stack.jaegerUrl}/api/services)`);
  console.log(`  Prometheus            ${stack.prometheusUrl}`);
  console.log(`  Collector OTLP/HTTP   ${stack.collectorHttpUrl}   (OTEL_EXPORTER_OTLP_ENDPOINT)`);
  console.log(`  Collector OTLP/gRPC   ${stack.collectorGrpcEndpoint}`);
  console.log(`  Collector metrics     ${stack.collectorPromUrl}`);
  console.log(`  Collector file output ${stack.fileExporterPath}`);

  const demo = batDauDemo({ ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: stack.collectorHttpUrl, OTEL_METRIC_EXPORT_INTERVAL: process.env.OTEL_METRIC_EXPORT_INTERVAL ?? '5000' });
  console.log('Ctrl-C stops everything.');

  // A program that dies on its own takes the rest down with it.
  const all = [...Object.values(stack.processes), ...demo];
  const first = await Promise.race(all.map(async (p) => ({ p, code: await p.exited })));
  if (stopSignalled()) return; // Ctrl-C: the harness is stopping everything and exits.
  console.error(`stack: ${first.p.name} exited (${String(first.code)}); stopping the rest`);
  if (first.p.logFile !== undefined) console.error(first.p.logTail());
  await stopAll();
  process.exit(1);
}

main().catch(async (e: unknown) => {
  console.error(`stack: ${e instanceof Error ? e.message : String(e)}`);
  await stopAll();
  process.exit(1);
});
