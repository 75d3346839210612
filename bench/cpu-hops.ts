/**
 * CPU per request and where it goes (issue 15): the process CPU time of a
 * service from /proc (all threads), and the self time of a V8 CPU profile
 * (`--cpu-prof`) split into the hops of a request's telemetry, by the file
 * each sampled function lives in.
 */
import { readFileSync } from 'node:fs';

/** User + system CPU time of a process so far (µs), from /proc/<pid>/stat: all its threads (GC and compiler helpers too). */
export function cpu_us(pid: number): number {
  return ticks_us(`/proc/${pid}/stat`);
}

/**
 * The same for the main thread alone (/proc/<pid>/task/<pid>/stat): the one
 * thread that serves requests, so the steadiest cost figure per request.
 */
export function main_thread_cpu_us(pid: number): number {
  return ticks_us(`/proc/${pid}/task/${pid}/stat`);
}

function ticks_us(path: string): number {
  const stat = readFileSync(path, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[11]) + Number(f[12]);
  return (ticks / 100) * 1e6; // USER_HZ is 100 on Linux
}

export const HOPS = ['instrumentation', 'context', 'spans', 'log_records', 'metrics', 'export', 'app_and_node'] as const;
export type Hop = (typeof HOPS)[number];

/** The hop a function belongs to, by its script URL. */
export function hop_of(url: string): Hop | undefined {
  if (url === '') return undefined;
  if (/instrumentation-(http|undici|pino)|@opentelemetry\/instrumentation\/|require-in-the-middle|import-in-the-middle|\/src\/http-tracing\/|\/dist\/instrumentation\//.test(url)) return 'instrumentation';
  if (/context-async-hooks|@opentelemetry\/api\/|async_hooks|async_local_storage|async_context_frame/.test(url)) return 'context';
  if (/sdk-trace|@opentelemetry\/core\/|\/src\/sdk\/span-redaction/.test(url)) return 'spans';
  if (/sdk-logs|\/src\/logger\/|\/src\/core\/(serializer|json-string|redaction)|\/pino\/|sonic-boom|thread-stream|pino-std-serializers|fast-redact/.test(url)) return 'log_records';
  if (/sdk-metrics|\/src\/metrics\/|\/src\/pipeline\/|\/src\/core\/(exemplar|registry)|prom-client|exporter-prometheus/.test(url)) return 'metrics';
  if (/otlp-transformer|otlp-exporter-base|exporter-(trace|logs|metrics)-otlp|protobufjs|\/exporters\//.test(url)) return 'export';
  return 'app_and_node';
}

interface Profile {
  nodes: { id: number; callFrame: { url: string; functionName: string } }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * Each hop's share of the main thread's busy time in the samples in the last `window_us` before
 * `end_offset_us` from the profile's end (the load window: the profile also
 * covers start-up and shutdown), as fractions. Idle time is left out.
 */
export function hops_of_profile(path: string, window_us: number, end_offset_us: number): Record<Hop, number> {
  const t = selfTimes(path, window_us, end_offset_us);
  const busy = HOPS.reduce((n, h) => n + t[h], 0);
  for (const h of HOPS) t[h] = busy > 0 ? t[h] / busy : 0;
  return t;
}

function selfTimes(path: string, window_us: number, end_offset_us: number): Record<Hop, number> {
  const p = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const hop = new Map<number, Hop | undefined>();
  for (const n of p.nodes) {
    const fn = n.callFrame.functionName;
    hop.set(n.id, fn === '(idle)' || fn === '(root)' ? undefined : fn === '(garbage collector)' || fn === '(program)' ? 'app_and_node' : hop_of(n.callFrame.url) ?? 'app_and_node');
  }
  const out = Object.fromEntries(HOPS.map((h) => [h, 0])) as Record<Hop, number>;
  const to = p.endTime - end_offset_us;
  const from = to - window_us;
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    const d = p.timeDeltas[i] ?? 0;
    t += d;
    if (t < from || t > to) continue;
    const h = hop.get(p.samples[i]!);
    // A sample's time is the delta to the next one.
    if (h !== undefined) out[h] += p.timeDeltas[i + 1] ?? 0;
  }
  return out;
}
