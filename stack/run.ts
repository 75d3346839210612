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
 * Demo (built dist/examples/demo): PORT 8080 (gateway), MODEL_PORT 8081 (model
 * service); VNAI_DEMO_SCRAPE adds Prometheus targets (comma-separated host:port).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoScrapeTargets as scrapeTargetsFor, startDemo, tracedPredict, waitDemoReady, type Demo } from '../test/e2e/support/demo.js';
import { DEFAULT_PORTS, stackBinaries, startStack, stopAll, stopSignalled, waitFor, type ScrapeTarget, type Stack, type StackPorts } from '../test/e2e/support/stack.js';

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

/** The demo's ports: PORT (gateway, default 8080) and MODEL_PORT (model service, default 8081). */
function demoPortsFromEnv(): { port: number; modelPort: number } {
  const one = (name: string, def: number) => {
    const v = process.env[name];
    if (v === undefined || v.trim() === '') return def;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new RangeError(`${name}: expected a port number, got ${JSON.stringify(v)}`);
    return n;
  };
  return { port: one('PORT', 8080), modelPort: one('MODEL_PORT', 8081) };
}

/**
 * The demo's Prometheus targets: both processes' /metrics, as jobs
 * demo-gateway and demo-model (the same metrics pushed over OTLP come
 * through the collector as job vnai-gateway / vnai-model). Known before
 * Prometheus starts; VNAI_DEMO_SCRAPE adds more (comma-separated host:port).
 */
function demoScrapeTargets(): ScrapeTarget[] {
  const { port, modelPort } = demoPortsFromEnv();
  const extra = (process.env.VNAI_DEMO_SCRAPE ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  return [...scrapeTargetsFor(port, modelPort), ...extra.map((target, i) => ({ job: `extra-${i}`, target }))];
}

/**
 * Starts (bắt đầu) the demo service (the built dist/examples/demo: model
 * service and gateway, two processes) pointed at the running stack; `env`
 * is process.env plus OTEL_EXPORTER_OTLP_ENDPOINT (the collector's OTLP/HTTP
 * URL) and OTEL_METRIC_EXPORT_INTERVAL. Both are harness processes, so
 * Ctrl-C stops them with the stack; their output goes to this terminal.
 */
function batDauDemo(env: NodeJS.ProcessEnv): Demo {
  const { port, modelPort } = demoPortsFromEnv();
  const demo = startDemo({ otlpEndpoint: String(env.OTEL_EXPORTER_OTLP_ENDPOINT), port, modelPort, env, logDir: 'inherit' });
  console.log(`  Demo gateway          ${demo.gatewayUrl}   (POST /predict {"text": "..."}; /readyz /healthz?verbose /metrics)`);
  console.log(`  Demo model service    ${demo.modelUrl}`);
  console.log(`  try: curl -s -X POST ${demo.gatewayUrl}/predict -H 'content-type: application/json' -d '{"text":"Sản phẩm rất tốt"}'`);
  console.log(`       curl -s 'http://127.0.0.1:${ports().jaegerQueryHttp}/api/traces?service=vnai-gateway&limit=5'`);
  return demo;
}

/**
 * Once the demo is ready: one request through it (a trace across both
 * services), then, when Jaeger has that trace, its URL and the gateway's
 * search URL, so a person can click straight into it.
 */
async function printJaegerLinks(stack: Stack, demo: Demo): Promise<void> {
  await waitDemoReady(demo);
  const { traceId, response } = await tracedPredict(demo.gatewayUrl, 'Sản phẩm rất tốt');
  if (!response.ok) throw new Error(`the sample request POST ${demo.gatewayUrl}/predict answered HTTP ${response.status}`);
  await waitFor(async () => (await stack.jaegerTraces('vnai-gateway', 20)).some((t) => t.traceID === traceId), 30_000, `trace ${traceId} in Jaeger`);
  const ui = stack.jaegerUi !== undefined ? '' : '   (placeholder UI: run npm run stack:install to build the real one)';
  console.log(`  Jaeger: a demo trace  ${stack.jaegerUrl}/trace/${traceId}${ui}`);
  console.log(`  Jaeger: the gateway   ${stack.jaegerUrl}/search?service=vnai-gateway`);
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
  const ui = stack.jaegerUi !== undefined ? `UI from ${stack.jaegerUi}` : 'placeholder UI: the Jaeger UI is not built, run npm run stack:install';
  console.log(`  Jaeger UI/API         ${stack.jaegerUrl}   (${ui}; API: ${stack.jaegerUrl}/api/services)`);
  console.log(`  Prometheus            ${stack.prometheusUrl}   (Debian's package: classic UI at ${stack.prometheusUrl}/classic/graph)`);
  console.log(`  Collector OTLP/HTTP   ${stack.collectorHttpUrl}   (OTEL_EXPORTER_OTLP_ENDPOINT)`);
  console.log(`  Collector OTLP/gRPC   ${stack.collectorGrpcEndpoint}`);
  console.log(`  Collector metrics     ${stack.collectorPromUrl}`);
  console.log(`  Collector file output ${stack.fileExporterPath}`);

  const demo = batDauDemo({ ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: stack.collectorHttpUrl, OTEL_METRIC_EXPORT_INTERVAL: process.env.OTEL_METRIC_EXPORT_INTERVAL ?? '5000' });
  console.log('Ctrl-C stops everything.');
  printJaegerLinks(stack, demo).catch((e: unknown) => {
    if (!stopSignalled()) console.error(`stack: no demo trace URL: ${e instanceof Error ? e.message : String(e)}`);
  });

  // A program that dies on its own takes the rest down with it.
  const all = [...Object.values(stack.processes), demo.model, demo.gateway];
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
