/**
 * The real end-to-end stack as child processes: the OpenTelemetry Collector
 * (built from stack/collector-builder.yaml, run with otel-collector.yaml),
 * Jaeger v2 (stack/jaeger.yaml, in-memory storage) and Prometheus (a generated
 * prometheus.yml scraping every 1 s). Every listener is on 127.0.0.1, on free
 * ports unless given; logs go to files in a temp dir. `stop()` ends every
 * process (SIGTERM, then SIGKILL); survivors are killed on process exit and on
 * SIGINT/SIGTERM/SIGHUP too, so nothing outlives a failed or interrupted run.
 * Binaries come from `npm run stack:install` (see `stackBinaries()`).
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOnPath, findPromtool, runPromtool } from '../../support/promtool.js';
import { freePorts, retryOnAddrInUse } from '../../support/ports.js';
import { waitFor } from '../../support/wait.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

// ------------------------------------------------------------------ binaries

/** Reads `KEY=value` lines of stack/versions.env (the pins install.sh uses). */
function versions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(join(REPO, 'stack/versions.env'), 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(\S*)/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) out[m[1]] = m[2];
  }
  return out;
}

export interface StackBinaries {
  otelcol: string;
  jaeger: string;
  prometheus: string;
  promtool: string;
  /** "name (path)" of every binary that is not an executable file. */
  missing: string[];
  /**
   * The built Jaeger UI (a folder with index.html) Jaeger serves through
   * ui.assets_path, or undefined when `npm run stack:install` has not built
   * it: Jaeger then serves the placeholder page of a Go-built binary (the API
   * works all the same, so it is not in `missing`).
   */
  jaegerUi: string | undefined;
}

function isExecutable(p: string): boolean {
  try {
    return statSync(p).isFile() && (statSync(p).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * Where the binaries are: `VNAI_OTELCOL_BIN`, `VNAI_JAEGER_BIN`,
 * `VNAI_PROMETHEUS_BIN`, `VNAI_PROMTOOL_BIN` when set (e.g. a Jaeger release
 * binary with the full UI), else PATH (prometheus, promtool) or the cache install.sh fills, with the same
 * keys: `<cache>/bin/otelcol-vnai-<builder version>-<manifest sha256[:12]>/`
 * and `<cache>/bin/jaeger-<module version>/`; the Jaeger UI in
 * `<cache>/bin/jaeger-ui-<UI version>/`.
 */
export function stackBinaries(env: NodeJS.ProcessEnv = process.env): StackBinaries {
  const v = versions();
  const cache = env.VNAI_STACK_CACHE ?? join(homedir(), '.cache/vietnamese-ai-otel');
  const hash = createHash('sha256').update(readFileSync(join(REPO, 'stack/collector-builder.yaml'))).digest('hex').slice(0, 12);
  const b = {
    otelcol: env.VNAI_OTELCOL_BIN ?? join(cache, 'bin', `otelcol-vnai-${v.OTELCOL_BUILDER_VERSION}-${hash}`, 'otelcol-vnai'),
    jaeger: env.VNAI_JAEGER_BIN ?? join(cache, 'bin', `jaeger-${v.JAEGER_MODULE_VERSION}`, 'jaeger'),
    prometheus: env.VNAI_PROMETHEUS_BIN ?? findOnPath('prometheus', env) ?? '/usr/bin/prometheus',
    promtool: findPromtool(env) ?? env.VNAI_PROMTOOL_BIN ?? '/usr/bin/promtool',
  };
  const missing = Object.entries(b)
    .filter(([, p]) => !isExecutable(p))
    .map(([k, p]) => `${k} (${p})`);
  const ui = join(cache, 'bin', `jaeger-ui-${v.JAEGER_UI_VERSION}`);
  return { ...b, missing, jaegerUi: existsSync(join(ui, 'index.html')) ? ui : undefined };
}

// ------------------------------------------------------------------ ports

/** Throws, naming them, when any of these loopback ports is taken. */
export async function assertPortsFree(ports: Record<string, number>): Promise<void> {
  const taken: string[] = [];
  await Promise.all(
    Object.entries(ports).map(
      ([name, port]) =>
        new Promise<void>((res) => {
          const s = createServer();
          s.once('error', () => {
            taken.push(`${port} (${name})`);
            res();
          });
          s.listen(port, '127.0.0.1', () => s.close(() => res()));
        }),
    ),
  );
  if (taken.length > 0) throw new Error(`ports in use on 127.0.0.1: ${taken.sort().join(', ')}`);
}

export { freePorts };

export async function freePort(): Promise<number> {
  const [p] = await freePorts(1);
  return p as number;
}

// ------------------------------------------------------------------ waiting

export { waitFor };

async function httpOk(url: string, init?: RequestInit): Promise<boolean> {
  const r = await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
  await r.arrayBuffer();
  return r.ok;
}

// ------------------------------------------------------------------ processes

/** A child process the harness owns: stopped by `stop()` and on exit. */
export interface OwnedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** The file its stdout and stderr go to (undefined when inherited). */
  readonly logFile: string | undefined;
  /** Resolves with the exit code (or signal) once it has exited. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** True while it runs. */
  alive(): boolean;
  /** The last lines of its log, for error messages. */
  logTail(lines?: number): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const owned = new Set<OwnedProcess>();
let hooksInstalled = false;
let stopping = false;

/** True once SIGINT/SIGTERM/SIGHUP started stopping everything (exits are expected then). */
export function stopSignalled(): boolean {
  return stopping;
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Last resort, synchronous: whatever still runs when this process exits.
  process.on('exit', () => {
    for (const p of owned) if (p.alive()) p.child.kill('SIGKILL');
  });
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopping) {
      // Second Ctrl-C: no more grace.
      for (const p of owned) if (p.alive()) p.child.kill('SIGKILL');
      process.exit(130);
    }
    stopping = true;
    process.stderr.write(`\n${sig}: stopping ${[...owned].filter((p) => p.alive()).map((p) => p.name).join(', ') || 'nothing'}...\n`);
    void stopAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, onSignal);
}

/** Stops every process the harness started and that still runs. */
export async function stopAll(graceMs = 5000): Promise<void> {
  await Promise.all([...owned].map((p) => p.stop(graceMs)));
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout+stderr go to this file (default), or are inherited with 'inherit'. */
  logFile?: string | 'inherit';
  /** Keep stdin as a pipe (to talk to the child). */
  stdinPipe?: boolean;
  /** Also pipe stdout to the parent (read `child.stdout`); stderr still goes to the log. */
  stdoutPipe?: boolean;
}

/** Starts a child process the harness owns (see `OwnedProcess`). */
export function startProcess(name: string, command: string, args: string[], opts: StartOptions = {}): OwnedProcess {
  installExitHooks();
  let fd: number | undefined;
  let stdio: StdioOptions;
  const logFile = opts.logFile === 'inherit' ? undefined : (opts.logFile ?? join(mkdtempSync(join(tmpdir(), `vnai-${name}-`)), `${name}.log`));
  if (logFile === undefined) stdio = [opts.stdinPipe ? 'pipe' : 'ignore', opts.stdoutPipe ? 'pipe' : 'inherit', 'inherit'];
  else {
    fd = openSync(logFile, 'a');
    stdio = [opts.stdinPipe ? 'pipe' : 'ignore', opts.stdoutPipe ? 'pipe' : fd, fd];
  }
  const child = spawn(command, args, { cwd: opts.cwd ?? REPO, env: opts.env ?? process.env, stdio });
  if (fd !== undefined) closeSync(fd);
  let running = true;
  const exited = new Promise<number | NodeJS.Signals>((res) => {
    child.once('error', (e) => {
      running = false;
      if (logFile !== undefined) writeFileSync(logFile, `spawn failed: ${e.message}\n`, { flag: 'a' });
      res(-1);
    });
    child.once('exit', (code, signal) => {
      running = false;
      res(code ?? signal ?? -1);
    });
  });
  const p: OwnedProcess = {
    name,
    child,
    logFile,
    exited,
    alive: () => running,
    logTail(lines = 20) {
      if (logFile === undefined || !existsSync(logFile)) return '(no log file)';
      return readFileSync(logFile, 'utf8').split('\n').slice(-lines - 1).join('\n');
    },
    async stop(graceMs = 5000) {
      if (running) {
        child.kill('SIGTERM');
        const t = setTimeout(() => {
          if (running) child.kill('SIGKILL');
        }, graceMs);
        await exited;
        clearTimeout(t);
      }
      owned.delete(p);
    },
  };
  owned.add(p);
  return p;
}

// ------------------------------------------------------------------ the stack

export interface ScrapeTarget {
  /** Prometheus job name. */
  job: string;
  /** host:port serving /metrics. */
  target: string;
}

export interface StackPorts {
  collectorGrpc: number;
  collectorHttp: number;
  collectorProm: number;
  jaegerOtlpGrpc: number;
  jaegerOtlpHttp: number;
  jaegerQueryHttp: number;
  jaegerQueryGrpc: number;
  jaegerHealth: number;
  prometheus: number;
}

/** The usual ports (`npm run stack`); the tests take free ones. */
export const DEFAULT_PORTS: StackPorts = {
  collectorGrpc: 4317,
  collectorHttp: 4318,
  collectorProm: 8889,
  jaegerOtlpGrpc: 14317,
  jaegerOtlpHttp: 14318,
  jaegerQueryHttp: 16686,
  jaegerQueryGrpc: 16685,
  jaegerHealth: 13133,
  prometheus: 9090,
};

export interface StackOptions {
  /** Extra Prometheus scrape targets (the collector's exporter is always scraped, job `otelcol`). */
  scrapeTargets?: ScrapeTarget[];
  /** Fixed ports; those not given are chosen free. */
  ports?: Partial<StackPorts>;
  /** Where logs, configs and data go (default: a fresh temp dir). */
  workDir?: string;
  /** Deadline for every program to be ready, ms (default 60000). */
  readyTimeoutMs?: number;
  binaries?: StackBinaries;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; traceID: string; spanID: string }[];
  processID: string;
  startTime: number;
  duration: number;
  tags: { key: string; type: string; value: unknown }[];
  logs: { timestamp: number; fields: { key: string; value: unknown }[] }[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: { key: string; value: unknown }[] }>;
}

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** One record of the file exporter's output, flattened from OTLP JSON. */
export interface FileLogRecord {
  service: string | undefined;
  traceId: string;
  spanId: string;
  severityText: string | undefined;
  body: unknown;
  attributes: Record<string, unknown>;
}

export interface FileSpan {
  service: string | undefined;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
}

export interface FileMetric {
  service: string | undefined;
  name: string;
}

export interface FileExporterContent {
  spans: FileSpan[];
  logs: FileLogRecord[];
  metrics: FileMetric[];
}

export interface Stack {
  readonly ports: StackPorts;
  readonly workDir: string;
  /** OTLP/HTTP base URL of the collector (the SDK appends /v1/<signal>). */
  readonly collectorHttpUrl: string;
  /** host:port of the collector's OTLP/gRPC receiver. */
  readonly collectorGrpcEndpoint: string;
  /** The collector's prometheus exporter (…/metrics). */
  readonly collectorPromUrl: string;
  /** Jaeger query HTTP API and UI. */
  readonly jaegerUrl: string;
  /** The built Jaeger UI Jaeger serves (ui.assets_path), or undefined: the placeholder page. */
  readonly jaegerUi: string | undefined;
  readonly prometheusUrl: string;
  /** The collector file exporter's output (OTLP JSON lines). */
  readonly fileExporterPath: string;
  readonly processes: { collector: OwnedProcess; jaeger: OwnedProcess; prometheus: OwnedProcess };
  /** Traces of `service` from Jaeger's HTTP API (newest first, up to `limit`). */
  jaegerTraces(service: string, limit?: number): Promise<JaegerTrace[]>;
  /** Service names Jaeger knows. */
  jaegerServices(): Promise<string[]>;
  /** An instant PromQL query; the result vector. */
  promQuery(expr: string): Promise<PromSample[]>;
  /** Parses the file exporter's output so far. */
  readFileExporter(): FileExporterContent;
  /** Stops every program of the stack (SIGTERM, then SIGKILL). Idempotent. */
  stop(): Promise<void>;
}

function prometheusYaml(targets: ScrapeTarget[], collectorProm: string): string {
  const job = (name: string, target: string, honor: boolean) =>
    [`  - job_name: ${JSON.stringify(name)}`, ...(honor ? ['    honor_labels: true'] : []), '    static_configs:', `      - targets: [${JSON.stringify(target)}]`].join('\n');
  return [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    // The collector re-exports OTLP metrics with job/instance from service.name
    // and service.instance.id: keep those rather than the scrape's own.
    job('otelcol', collectorProm, true),
    ...targets.map((t) => job(t.job, t.target, false)),
    '',
  ].join('\n');
}

/** OTLP JSON AnyValue -> plain JS value. */
function anyValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if ('stringValue' in o) return o.stringValue;
  if ('intValue' in o) return Number(o.intValue);
  if ('doubleValue' in o) return o.doubleValue;
  if ('boolValue' in o) return o.boolValue;
  if ('arrayValue' in o) return ((o.arrayValue as { values?: unknown[] }).values ?? []).map(anyValue);
  if ('kvlistValue' in o) return attrs((o.kvlistValue as { values?: unknown[] }).values);
  if ('bytesValue' in o) return o.bytesValue;
  return undefined;
}

function attrs(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list as { key: string; value: unknown }[]) out[kv.key] = anyValue(kv.value);
  return out;
}

type Json = Record<string, unknown>;
const arr = (x: unknown): Json[] => (Array.isArray(x) ? (x as Json[]) : []);

/** Parses the collector file exporter's output (one OTLP JSON request per line). */
export function parseFileExporter(text: string): FileExporterContent {
  const out: FileExporterContent = { spans: [], logs: [], metrics: [] };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let doc: Json;
    try {
      doc = JSON.parse(line) as Json;
    } catch {
      continue; // a line being written right now
    }
    for (const rs of arr(doc.resourceSpans)) {
      const service = attrs((rs.resource as Json | undefined)?.attributes)['service.name'] as string | undefined;
      for (const ss of arr(rs.scopeSpans))
        for (const s of arr(ss.spans))
          out.spans.push({ service, traceId: String(s.traceId ?? ''), spanId: String(s.spanId ?? ''), parentSpanId: String(s.parentSpanId ?? ''), name: String(s.name ?? '') });
    }
    for (const rl of arr(doc.resourceLogs)) {
      const service = attrs((rl.resource as Json | undefined)?.attributes)['service.name'] as string | undefined;
      for (const sl of arr(rl.scopeLogs))
        for (const r of arr(sl.logRecords))
          out.logs.push({
            service,
            traceId: String(r.traceId ?? ''),
            spanId: String(r.spanId ?? ''),
            severityText: r.severityText as string | undefined,
            body: anyValue(r.body),
            attributes: attrs(r.attributes),
          });
    }
    for (const rm of arr(doc.resourceMetrics)) {
      const service = attrs((rm.resource as Json | undefined)?.attributes)['service.name'] as string | undefined;
      for (const sm of arr(rm.scopeMetrics)) for (const m of arr(sm.metrics)) out.metrics.push({ service, name: String(m.name ?? '') });
    }
  }
  return out;
}

/**
 * Starts collector, Jaeger and Prometheus and waits until each answers.
 * Throws (after stopping whatever started) when a binary is missing, a
 * program exits early or is not ready within the deadline; the error carries
 * the tail of its log.
 */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  // Ports chosen free can be taken before a program binds them: choose again.
  return retryOnAddrInUse(() => startStackOnce(opts));
}

async function startStackOnce(opts: StackOptions): Promise<Stack> {
  const bins = opts.binaries ?? stackBinaries();
  if (bins.missing.length > 0) throw new Error(`stack binaries missing: ${bins.missing.join(', ')}; run: npm run stack:install`);
  const keys = Object.keys(DEFAULT_PORTS) as (keyof StackPorts)[];
  const want = keys.filter((k) => opts.ports?.[k] === undefined);
  // A fixed port someone else holds would make a foreign server look ready.
  const fixed = Object.fromEntries(keys.filter((k) => opts.ports?.[k] !== undefined).map((k) => [k, opts.ports?.[k] as number]));
  await assertPortsFree(fixed);
  // Never one of the scrape targets' ports (the demo's, chosen before the stack).
  const targets = new Set((opts.scrapeTargets ?? []).map((t) => Number(t.target.split(':').pop())));
  const free = await freePorts(want.length, targets);
  const ports = { ...opts.ports } as StackPorts;
  want.forEach((k, i) => (ports[k] = free[i] as number));

  const workDir = opts.workDir ?? mkdtempSync(join(tmpdir(), 'vnai-stack-'));
  const fileExporterPath = join(workDir, 'otelcol-file.json');
  const promYml = join(workDir, 'prometheus.yml');
  const collectorProm = `127.0.0.1:${ports.collectorProm}`;
  writeFileSync(promYml, prometheusYaml(opts.scrapeTargets ?? [], collectorProm));
  // Created now so readers never meet a missing file.
  writeFileSync(fileExporterPath, '');

  const base = { ...process.env };
  const jaeger = startProcess('jaeger', bins.jaeger, ['--config', join(REPO, 'stack/jaeger.yaml')], {
    logFile: join(workDir, 'jaeger.log'),
    env: {
      ...base,
      JAEGER_OTLP_GRPC_PORT: String(ports.jaegerOtlpGrpc),
      JAEGER_OTLP_HTTP_PORT: String(ports.jaegerOtlpHttp),
      JAEGER_QUERY_HTTP_PORT: String(ports.jaegerQueryHttp),
      JAEGER_QUERY_GRPC_PORT: String(ports.jaegerQueryGrpc),
      JAEGER_HEALTH_PORT: String(ports.jaegerHealth),
      JAEGER_UI_ASSETS: bins.jaegerUi ?? '',
    },
  });
  const collector = startProcess('otelcol', bins.otelcol, ['--config', join(REPO, 'otel-collector.yaml')], {
    logFile: join(workDir, 'otelcol.log'),
    env: {
      ...base,
      OTELCOL_GRPC_PORT: String(ports.collectorGrpc),
      OTELCOL_HTTP_PORT: String(ports.collectorHttp),
      OTELCOL_PROM_ENDPOINT: collectorProm,
      OTELCOL_FILE_PATH: fileExporterPath,
      JAEGER_OTLP_ENDPOINT: `127.0.0.1:${ports.jaegerOtlpGrpc}`,
    },
  });
  const prometheus = startProcess(
    'prometheus',
    bins.prometheus,
    [
      `--config.file=${promYml}`,
      `--storage.tsdb.path=${join(workDir, 'prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${ports.prometheus}`,
      '--storage.tsdb.retention.time=1d',
      // Exemplars scraped over OpenMetrics are kept (query_exemplars).
      '--enable-feature=exemplar-storage',
      '--log.level=warn',
    ],
    { logFile: join(workDir, 'prometheus.log') },
  );
  const processes = { collector, jaeger, prometheus };
  const stop = async () => {
    await Promise.all(Object.values(processes).map((p) => p.stop()));
  };

  const collectorHttpUrl = `http://127.0.0.1:${ports.collectorHttp}`;
  const collectorPromUrl = `http://${collectorProm}/metrics`;
  const jaegerUrl = `http://127.0.0.1:${ports.jaegerQueryHttp}`;
  const prometheusUrl = `http://127.0.0.1:${ports.prometheus}`;

  const deadline = opts.readyTimeoutMs ?? 60_000;
  const ready = async (p: OwnedProcess, what: string, check: () => Promise<boolean>) => {
    await waitFor(
      async () => {
        if (!p.alive()) throw new Error(`${p.name} exited early (${String(await p.exited)})`);
        return await check();
      },
      deadline,
      `${p.name}: ${what}`,
    ).catch((e: unknown) => {
      const msg = e instanceof Error ? e.message : String(e);
      throw new Error(`${msg}\n--- ${p.logFile} ---\n${p.logTail()}`);
    });
  };
  try {
    await Promise.all([
      ready(jaeger, 'query API and health', async () => (await httpOk(`${jaegerUrl}/api/services`)) && (await httpOk(`http://127.0.0.1:${ports.jaegerHealth}/status`))),
      // An empty OTLP/JSON export: accepted once the receiver is up.
      ready(
        collector,
        'OTLP/HTTP receiver and prometheus exporter',
        async () =>
          (await httpOk(`${collectorHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans":[]}' })) &&
          (await httpOk(collectorPromUrl)),
      ),
      ready(prometheus, '/-/ready', () => httpOk(`${prometheusUrl}/-/ready`)),
    ]);
  } catch (e) {
    await stop();
    throw e;
  }

  const getJson = async <T>(url: string): Promise<T> => {
    const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
    const body = await r.text();
    if (!r.ok) throw new Error(`GET ${url}: HTTP ${r.status}: ${body.slice(0, 300)}`);
    return JSON.parse(body) as T;
  };

  return {
    ports,
    workDir,
    collectorHttpUrl,
    collectorGrpcEndpoint: `127.0.0.1:${ports.collectorGrpc}`,
    collectorPromUrl,
    jaegerUrl,
    jaegerUi: bins.jaegerUi,
    prometheusUrl,
    fileExporterPath,
    processes,
    async jaegerServices() {
      const r = await getJson<{ data: string[] | null }>(`${jaegerUrl}/api/services`);
      return r.data ?? [];
    },
    async jaegerTraces(service, limit = 100) {
      const q = new URLSearchParams({ service, limit: String(limit), lookback: '1h' });
      const r = await getJson<{ data: JaegerTrace[] | null; errors: unknown }>(`${jaegerUrl}/api/traces?${q}`);
      return r.data ?? [];
    },
    async promQuery(expr) {
      const r = await getJson<{ status: string; data: { resultType: string; result: PromSample[] }; error?: string }>(`${prometheusUrl}/api/v1/query?${new URLSearchParams({ query: expr })}`);
      if (r.status !== 'success') throw new Error(`PromQL ${expr}: ${r.error ?? r.status}`);
      if (r.data.resultType !== 'vector') throw new Error(`PromQL ${expr}: expected a vector, got ${r.data.resultType}`);
      return r.data.result;
    },
    readFileExporter() {
      return parseFileExporter(readFileSync(fileExporterPath, 'utf8'));
    },
    stop,
  };
}

/** Runs `promtool check metrics` on Prometheus text; exit code and output. */
export async function promtoolCheckMetrics(text: string, promtool = stackBinaries().promtool): Promise<{ code: number; output: string }> {
  const r = await runPromtool(text, promtool);
  return { code: r.code ?? -1, output: r.output };
}
