/**
 * Options of a Prometheus text rendering. They live in the core because the
 * registry's pipeline contract renders on demand (`export_prometheus`) while
 * the serializer that reads them lives with the exporters.
 */
export interface TuyChonSerializer {
  /** Keep only the scopes this returns true for (e.g. one QuanLyMetrics). */
  loc_scope?: (ten_scope: string) => boolean;
  /** Write `target_info` from the resource (default true). */
  target_info?: boolean;
  /**
   * Expose scaled units in base units (ms -> `_seconds`, KiBy -> `_bytes`,
   * values scaled), which `promtool check metrics` requires. Default true;
   * false keeps OTel's compatibility names (`_milliseconds`), values unchanged.
   */
  don_vi_co_so?: boolean;
  /** OpenMetrics 1.0 text with exemplars and `# EOF` instead of text 0.0.4 (see exporters/prometheus/openmetrics.ts). */
  openmetrics?: boolean;
}
