/**
 * The demo service (examples/demo, BUILT into dist/) as two harness-owned
 * child processes: the model service (vnai-model) and the gateway
 * (vnai-gateway). Started directly rather than through the launcher
 * (dist/examples/start.js) so that each is a process of its own that a test
 * can stop alone (the breaker scenario) and `npm run stack` can name; both
 * are stopped with the harness's other processes on exit or Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePorts, REPO, startProcess, waitFor, type OwnedProcess, type ScrapeTarget } from './stack.js';

/** Where `npm run build` puts the demo's entry points. */
export const DEMO_DIST = join(REPO, 'dist/examples/demo');

export interface DemoOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's OTLP/HTTP base URL. */
  otlpEndpoint: string;
  /** Gateway port (PORT); known before Prometheus starts (it scrapes it). */
  port: number;
  /** Model service port (MODEL_PORT). */
  modelPort: number;
  /** Where the gateway calls the model (MODEL_URL; default the model service itself). */
  modelUrl?: string;
  /** Base environment (default process.env); OTEL_* given here win over the defaults below. */
  env?: NodeJS.ProcessEnv;
  /** A directory for `gateway.log` and `model.log`, or 'inherit' to print to this terminal. */
  logDir: string | 'inherit';
}

export interface Demo {
  readonly gateway: OwnedProcess;
  readonly model: OwnedProcess;
  readonly port: number;
  readonly modelPort: number;
  readonly gatewayUrl: string;
  readonly modelUrl: string;
  /** Prometheus targets: both processes' /metrics (jobs demo-gateway, demo-model). */
  readonly scrapeTargets: ScrapeTarget[];
  /** Stops both (SIGTERM: graceful shutdown flushes their telemetry). */
  stop(): Promise<void>;
}

/**
 * The demo's Prometheus scrape targets for these ports, jobs demo-gateway and
 * demo-model: the metrics the collector re-exports carry job=<service.name>
 * (vnai-gateway, vnai-model), so the two paths stay apart in PromQL.
 */
export function demoScrapeTargets(port: number, modelPort: number): ScrapeTarget[] {
  return [
    { job: 'demo-gateway', target: `127.0.0.1:${port}` },
    { job: 'demo-model', target: `127.0.0.1:${modelPort}` },
  ];
}

/** Two free loopback ports for the demo (gateway, model). */
export async function freeDemoPorts(): Promise<{ port: number; modelPort: number }> {
  const [port, modelPort] = await freePorts(2);
  return { port: port as number, modelPort: modelPort as number };
}

/**
 * Starts the model service and the gateway on 127.0.0.1, exporting to
 * `otlpEndpoint` with short export intervals (so tests see telemetry within
 * a second or two). Does not wait for readiness: see `waitDemoReady`.
 */
export function startDemo(opts: DemoOptions): Demo {
  for (const f of ['gateway.js', 'model-service.js'])
    if (!existsSync(join(DEMO_DIST, f))) throw new Error(`${join(DEMO_DIST, f)} is missing: run npm run build first`);
  const { port, modelPort } = opts;
  const base: NodeJS.ProcessEnv = {
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_BLRP_SCHEDULE_DELAY: '200',
    ...(opts.env ?? process.env),
    OTEL_EXPORTER_OTLP_ENDPOINT: opts.otlpEndpoint,
    HOST: '127.0.0.1',
    PORT: String(port),
    MODEL_PORT: String(modelPort),
    MODEL_URL: opts.modelUrl ?? `http://127.0.0.1:${modelPort}`,
  };
  const log = (name: string) => (opts.logDir === 'inherit' ? 'inherit' : join(opts.logDir, `${name}.log`));
  const model = startProcess('vnai-model', process.execPath, [join(DEMO_DIST, 'model-service.js')], {
    env: { ...base, OTEL_SERVICE_NAME: 'vnai-model' },
    logFile: log('model'),
  });
  const gateway = startProcess('vnai-gateway', process.execPath, [join(DEMO_DIST, 'gateway.js')], {
    env: { ...base, OTEL_SERVICE_NAME: 'vnai-gateway' },
    logFile: log('gateway'),
  });
  return {
    gateway,
    model,
    port,
    modelPort,
    gatewayUrl: `http://127.0.0.1:${port}`,
    modelUrl: `http://127.0.0.1:${modelPort}`,
    scrapeTargets: demoScrapeTargets(port, modelPort),
    async stop() {
      await Promise.all([gateway.stop(15_000), model.stop(15_000)]);
    },
  };
}

/** Waits until the gateway's /readyz answers 200 (which waits for the warmed model). */
export async function waitDemoReady(demo: Demo, deadlineMs = 60_000): Promise<void> {
  await waitFor(
    async () => {
      for (const p of [demo.gateway, demo.model]) if (!p.alive()) throw new Error(`${p.name} exited (${String(await p.exited)})\n${p.logTail()}`);
      const r = await fetch(`${demo.gatewayUrl}/readyz`, { signal: AbortSignal.timeout(3000) });
      await r.arrayBuffer();
      return r.status === 200;
    },
    deadlineMs,
    `the demo gateway ${demo.gatewayUrl}/readyz to answer 200`,
  ).catch((e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`${msg}\n--- gateway ---\n${demo.gateway.logTail()}\n--- model ---\n${demo.model.logTail()}`);
  });
}

export interface TracedPredict {
  /** The trace id the request's traceparent carried (sampled): look the trace up by it. */
  traceId: string;
  /** The span id in that traceparent: the parent of the gateway's SERVER span. */
  parentSpanId: string;
  response: Response;
  /** The response body as text. */
  body: string;
}

/** POST /predict {"text": ...} to the gateway with a fresh, sampled W3C traceparent. */
export async function tracedPredict(gatewayUrl: string, text: string, timeoutMs = 10_000): Promise<TracedPredict> {
  const traceId = randomBytes(16).toString('hex');
  const parentSpanId = randomBytes(8).toString('hex');
  const response = await fetch(`${gatewayUrl}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${parentSpanId}-01` },
    body: JSON.stringify({ text }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { traceId, parentSpanId, response, body: await response.text() };
}
