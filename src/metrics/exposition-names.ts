/**
 * The names a metric occupies in the exposition, and who holds
 * each: the one place where a collision between metrics is found.
 *
 * WHY: two metrics that map to one Prometheus/OpenMetrics name do not fail
 * anywhere by themselves. Two instances with the same namespace give two
 * identical series (Prometheus keeps one); `gauge("dur_seconds")` and
 * `histogram("dur_ms")` both become `dur_seconds` (one family is dropped);
 * `latency_ms` and `latency_s`, counter `foo` and `foo_total`, a namespace
 * '' metric named like a built-in one: all silently lose data. So every
 * name a metric would write is claimed when the metric is created, and a
 * claim on a name another metric holds is a TypeError naming both owners,
 * at the call that makes the collision. Names are freed by `reset()` and
 * `dong()` (close).
 *
 * A metric occupies its family name without type suffix (the OpenMetrics
 * family: `foo` for counter `foo_total`) and every sample name it writes
 * (`foo_total`, `foo_created`; `h_bucket`, `h_sum`, `h_count`, `h_created`),
 * in both unit modes of the Prometheus exporter.
 */
import { prometheus_name } from '../core/prometheus-names.js';
import type { MetricKind } from './names.js';

/**
 * Prefixes of the families the library's own components write (MachCat,
 * KiemTraSucKhoe, LamNongModel, the loggers, the SDK's self-metrics, the
 * HTTP instrumentation, the resource). A QuanLyMetrics name landing there
 * would corrupt them.
 */
const BUILT_IN_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['machcat_', 'MachCat (built-in machcat_* metrics)'],
  ['suc_khoe_', 'KiemTraSucKhoe (built-in suc_khoe_* metrics)'],
  ['lam_nong_', 'LamNongModel (built-in lam_nong_* metrics)'],
  ['vietnamese_ai_logger_', 'LoggerCauTruc (built-in vietnamese_ai_logger_* metrics)'],
  ['otel_', 'the OpenTelemetry SDK (built-in otel_* self-metrics)'],
  ['http_server_', 'the HTTP instrumentation (built-in http_server_* metrics)'],
  ['http_client_', 'the HTTP instrumentation (built-in http_client_* metrics)'],
  ['target_info', 'the resource (target_info)'],
];

/** Name -> who holds it (a description such as `QuanLyMetrics("ns").counter("x")`). */
const owners = new Map<string, string>();

/** Every name a metric of type `kind`, OTel name `otelName` and unit `unit` writes. */
function exposedNames(kind: MetricKind, otelName: string, unit: string): Set<string> {
  const names = new Set<string>();
  for (const baseUnits of [true, false]) {
    const family = prometheus_name(otelName, unit, kind === 'counter', kind === 'gauge', baseUnits);
    if (kind === 'counter') {
      const stem = family.slice(0, -'_total'.length);
      for (const n of [family, stem, `${stem}_created`]) names.add(n);
    } else if (kind === 'histogram') {
      for (const n of [family, `${family}_bucket`, `${family}_sum`, `${family}_count`, `${family}_created`]) names.add(n);
    } else names.add(family);
  }
  return names;
}

/**
 * Claims the names of a new metric for `owner`; returns how to free them.
 * @throws TypeError naming both owners when a name is taken.
 */
export function claim_names(kind: MetricKind, otelName: string, unit: string, owner: string): () => void {
  const names = exposedNames(kind, otelName, unit);
  for (const n of names) {
    const holder = owners.get(n) ?? BUILT_IN_PREFIXES.find(([prefix]) => n.startsWith(prefix))?.[1];
    if (holder !== undefined) {
      throw new TypeError(`${owner}: would be exposed as ${n}, which ${holder} already writes; pick another name or namespace (two metrics under one name lose data)`);
    }
  }
  for (const n of names) owners.set(n, owner);
  return () => {
    for (const n of names) if (owners.get(n) === owner) owners.delete(n);
  };
}
