/**
 * Span redaction (che khóa span): a span processor that, as each span ends
 * and while it is still writable (`onEnding`), replaces the values of
 * secret-looking attributes (password, token, authorization, api_key,
 * secret, cookie, ...: the same rule as LoggerCauTruc's redaction) in the
 * span and its events, and the values of secret-looking query parameters
 * inside URL attributes (`url.full`, `url.query`, `http.url`, `http.target`).
 * It sits before the exporting processors, so no exporter ever sees a secret.
 */
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { BoCheKhoa, GIA_TRI_DA_CHE } from '../core/redaction.js';

const KHOA_URL = new Set(['url.full', 'url.query', 'http.url', 'http.target']);

/**
 * Query parameter names redacted inside URLs only: `key` carries API keys in
 * many public APIs' URLs, but as an attribute name (`cache_key`) it is no secret.
 */
const KHOA_QUERY_THEM = new Set(['key', 'sig', 'signature', 'x-amz-signature', 'x-goog-signature']);

export class BoCheKhoaSpan implements SpanProcessor {
  private readonly che: BoCheKhoa;
  /** Decisions per attribute key (true = redact); bounded. */
  private readonly quyetDinh = new Map<string, boolean>();
  /** Spans whose attributes were redacted (for tests and stats). */
  so_span_da_che = 0;

  constructor(tu_khoa: readonly string[] | false) {
    this.che = new BoCheKhoa(tu_khoa);
  }

  private biMat(k: string): boolean {
    let v = this.quyetDinh.get(k);
    if (v === undefined) {
      v = this.che.la_bi_mat(k);
      if (this.quyetDinh.size < 4096) this.quyetDinh.set(k, v);
    }
    return v;
  }

  /** Redacts the values of secret query parameters in a URL or query string. */
  private cheUrl(v: string): string {
    const q = v.indexOf('?');
    const phan = q >= 0 ? v.slice(q + 1) : v.includes('=') ? v : '';
    if (phan === '') return v;
    let doi = false;
    const moi = phan
      .split('&')
      .map((cap) => {
        const i = cap.indexOf('=');
        if (i <= 0) return cap;
        let ten = cap.slice(0, i);
        try {
          ten = decodeURIComponent(ten);
        } catch {}
        if (!this.biMat(ten) && !KHOA_QUERY_THEM.has(ten.toLowerCase())) return cap;
        doi = true;
        return `${cap.slice(0, i)}=${encodeURIComponent(GIA_TRI_DA_CHE)}`;
      })
      .join('&');
    if (!doi) return v;
    return q >= 0 ? `${v.slice(0, q + 1)}${moi}` : moi;
  }

  onEnding(span: Span): void {
    if (this.che.tat) return;
    let che = false;
    const a = span.attributes;
    for (const k in a) {
      const v = a[k];
      if (this.biMat(k)) {
        if (v !== GIA_TRI_DA_CHE) {
          span.setAttribute(k, GIA_TRI_DA_CHE);
          che = true;
        }
      } else if (typeof v === 'string' && KHOA_URL.has(k)) {
        const moi = this.cheUrl(v);
        if (moi !== v) {
          span.setAttribute(k, moi);
          che = true;
        }
      }
    }
    for (const ev of span.events) if (this.cheThuocTinh(ev.attributes as Record<string, unknown> | undefined)) che = true;
    for (const l of span.links) if (this.cheThuocTinh(l.attributes as Record<string, unknown> | undefined)) che = true;
    if (che) this.so_span_da_che++;
  }

  /** Redacts an event's or a link's attributes in place; true when any was. */
  private cheThuocTinh(a: Record<string, unknown> | undefined): boolean {
    if (a === undefined) return false;
    let che = false;
    for (const k in a) {
      if (this.biMat(k) && a[k] !== GIA_TRI_DA_CHE) {
        a[k] = GIA_TRI_DA_CHE;
        che = true;
      }
    }
    return che;
  }

  onStart(_span: Span, _ctx: Context): void {}
  onEnd(_span: ReadableSpan): void {}
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}
