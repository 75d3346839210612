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

/** Attributes that carry a URL or a query string: their secret query parameters are redacted. */
const URL_KEYS = new Set(['url.full', 'url.query', 'http.url', 'http.target']);

/**
 * Query parameter names redacted inside URLs only: `key` carries API keys in
 * many public APIs' URLs, but as an attribute name (`cache_key`) it is no secret.
 */
const URL_ONLY_SECRET_PARAMS = new Set(['key', 'sig', 'signature', 'x-amz-signature', 'x-goog-signature']);

/** The span redaction processor (bộ che khóa span). */
export class SpanRedactionProcessor implements SpanProcessor {
  private readonly redaction: BoCheKhoa;
  /** Decisions per attribute key (true = redact); bounded. */
  private readonly decisions = new Map<string, boolean>();
  /** Spans whose attributes were redacted (số span đã che; for tests and stats). */
  so_span_da_che = 0;

  /** `terms`: the secret key terms (the `che_khoa` option), or false to redact nothing. */
  constructor(terms: readonly string[] | false) {
    this.redaction = new BoCheKhoa(terms);
  }

  private isSecret(key: string): boolean {
    let secret = this.decisions.get(key);
    if (secret === undefined) {
      secret = this.redaction.la_bi_mat(key);
      if (this.decisions.size < 4096) this.decisions.set(key, secret);
    }
    return secret;
  }

  /** Redacts the values of secret query parameters in a URL or query string. */
  private redactUrl(v: string): string {
    const q = v.indexOf('?');
    const query = q >= 0 ? v.slice(q + 1) : v.includes('=') ? v : '';
    if (query === '') return v;
    let changed = false;
    const redacted = query
      .split('&')
      .map((pair) => {
        const i = pair.indexOf('=');
        if (i <= 0) return pair;
        let name = pair.slice(0, i);
        try {
          name = decodeURIComponent(name);
        } catch {}
        if (!this.isSecret(name) && !URL_ONLY_SECRET_PARAMS.has(name.toLowerCase())) return pair;
        changed = true;
        return `${pair.slice(0, i)}=${encodeURIComponent(GIA_TRI_DA_CHE)}`;
      })
      .join('&');
    if (!changed) return v;
    return q >= 0 ? `${v.slice(0, q + 1)}${redacted}` : redacted;
  }

  onEnding(span: Span): void {
    if (this.redaction.tat) return;
    let redacted = false;
    const a = span.attributes;
    for (const k in a) {
      const v = a[k];
      if (this.isSecret(k)) {
        if (v !== GIA_TRI_DA_CHE) {
          span.setAttribute(k, GIA_TRI_DA_CHE);
          redacted = true;
        }
      } else if (typeof v === 'string' && URL_KEYS.has(k)) {
        const url = this.redactUrl(v);
        if (url !== v) {
          span.setAttribute(k, url);
          redacted = true;
        }
      }
    }
    for (const ev of span.events) if (this.redactAttributes(ev.attributes as Record<string, unknown> | undefined)) redacted = true;
    for (const l of span.links) if (this.redactAttributes(l.attributes as Record<string, unknown> | undefined)) redacted = true;
    if (redacted) this.so_span_da_che++;
  }

  /** Redacts an event's or a link's attributes in place; true when any was. */
  private redactAttributes(a: Record<string, unknown> | undefined): boolean {
    if (a === undefined) return false;
    let redacted = false;
    for (const k in a) {
      if (this.isSecret(k) && a[k] !== GIA_TRI_DA_CHE) {
        a[k] = GIA_TRI_DA_CHE;
        redacted = true;
      }
    }
    return redacted;
  }

  onStart(_span: Span, _ctx: Context): void {}
  onEnd(_span: ReadableSpan): void {}
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}
