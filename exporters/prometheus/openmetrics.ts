/**
 * OpenMetrics 1.0 text, the form that carries exemplars: content negotiation
 * for `/metrics` and the exemplar suffix of a sample line. The families are
 * rendered by the same serializer as text 0.0.4 (`openmetrics: true`); what
 * differs is here: counters are declared without `_total` (their samples keep
 * it), HELP escapes quotes too, `_bucket` lines may end in
 * ` # {trace_id="…",span_id="…"} value timestamp`, and the text ends in `# EOF`.
 */
import type { Exemplar } from '../../src/core/exemplar.js';
import { format_number } from '../../src/core/prometheus-names.js';

/** The content type of OpenMetrics text 1.0.0. */
export const CONTENT_TYPE_OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/**
 * Whether an Accept header prefers OpenMetrics text (muốn OpenMetrics): an
 * `application/openmetrics-text` range with a q-value above 0 and at least
 * that of any `text/plain` range. Prometheus asks for it first by default;
 * browsers, curl and older scrapers get text 0.0.4.
 */
export function wants_openmetrics(accept: string | undefined): boolean {
  if (accept === undefined || !accept.includes('openmetrics')) return false;
  let om = -1;
  let text = -1;
  for (const range of accept.split(',')) {
    const [mediaType = '', ...params] = range.split(';').map((x) => x.trim().toLowerCase());
    let q = 1;
    for (const p of params) {
      if (!p.startsWith('q=')) continue;
      const v = Number(p.slice(2));
      q = Number.isFinite(v) ? v : 0;
    }
    if (mediaType === 'application/openmetrics-text') om = Math.max(om, q);
    else if (mediaType === 'text/plain') text = Math.max(text, q);
  }
  return om > 0 && om >= text;
}

/** The exemplar suffix of a sample line (value scaled like the sample), with the leading space. */
export function exemplar_suffix(e: Exemplar, scale: (v: number) => number): string {
  return ` # {trace_id="${e.trace_id}",span_id="${e.span_id}"} ${format_number(scale(e.gia_tri))} ${(e.thoi_diem_ms / 1000).toFixed(3)}`;
}
