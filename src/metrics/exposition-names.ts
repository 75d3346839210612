/**
 * The names a metric occupies in the exposition (tên xuất), and who holds
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
 * `dong()`.
 *
 * A metric occupies its family name without type suffix (the OpenMetrics
 * family: `foo` for counter `foo_total`) and every sample name it writes
 * (`foo_total`, `foo_created`; `h_bucket`, `h_sum`, `h_count`, `h_created`),
 * in both unit modes of the Prometheus exporter.
 */
import { ten_prometheus } from '../core/prometheus-names.js';
import type { LoaiMetric } from './names.js';

/**
 * Prefixes of the families the library's own components write (MachCat,
 * KiemTraSucKhoe, LamNongModel, the loggers, the SDK's self-metrics, the
 * HTTP instrumentation, the resource). A QuanLyMetrics name landing there
 * would corrupt them.
 */
const DANH_RIENG: ReadonlyArray<readonly [string, string]> = [
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
const chu = new Map<string, string>();

/** Every name a metric of type `loai`, OTel name `ten_otel` and unit `don_vi` writes. */
function cacTen(loai: LoaiMetric, ten_otel: string, don_vi: string): Set<string> {
  const ra = new Set<string>();
  for (const co_so of [true, false]) {
    const ho = ten_prometheus(ten_otel, don_vi, loai === 'counter', loai === 'gauge', co_so);
    if (loai === 'counter') {
      const goc = ho.slice(0, -'_total'.length);
      for (const t of [ho, goc, `${goc}_created`]) ra.add(t);
    } else if (loai === 'histogram') {
      for (const t of [ho, `${ho}_bucket`, `${ho}_sum`, `${ho}_count`, `${ho}_created`]) ra.add(t);
    } else ra.add(ho);
  }
  return ra;
}

/**
 * Claims the names of a new metric for `chu_moi`; returns how to free them.
 * @throws TypeError naming both owners when a name is taken.
 */
export function chiem_ten(loai: LoaiMetric, ten_otel: string, don_vi: string, chu_moi: string): () => void {
  const ds = cacTen(loai, ten_otel, don_vi);
  for (const t of ds) {
    const co = chu.get(t) ?? DANH_RIENG.find(([tien_to]) => t.startsWith(tien_to))?.[1];
    if (co !== undefined) {
      throw new TypeError(`${chu_moi}: would be exposed as ${t}, which ${co} already writes; pick another name or namespace (two metrics under one name lose data)`);
    }
  }
  for (const t of ds) chu.set(t, chu_moi);
  return () => {
    for (const t of ds) if (chu.get(t) === chu_moi) chu.delete(t);
  };
}
