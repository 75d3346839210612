/**
 * Failures inside telemetry are reported, not swallowed: they go to OTel's
 * `diag` (warn) once per cause, never thrown into the app.
 *
 * WHY once per cause: a failing instrument or exporter fails on every call
 * or collection; one line says what broke, a line per call would flood the
 * app's console. A cause is where it happened plus the error's text; the
 * set of reported causes is bounded, so a stream of distinct messages (an id
 * in each) cannot grow memory: past the bound one last line says so.
 */
import { diag } from '@opentelemetry/api';
import { error_text } from './error-text.js';

const MAX_CAUSES = 128;
const MAX_TEXT = 200;
const reported = new Set<string>();
let saturated = false;

/** Reports `e`, raised at `where` (e.g. "metric source vietnamese-ai-otel/machcat"), once per cause. Never throws. */
export function report_failure(where: string, e: unknown): void {
  try {
    const text = error_text(e);
    const cause = `${where}: ${text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text}`;
    if (reported.has(cause)) return;
    if (reported.size >= MAX_CAUSES) {
      if (!saturated) {
        saturated = true;
        diag.warn(`vietnamese-ai-otel: more than ${MAX_CAUSES} distinct telemetry failures; further ones are not reported`);
      }
      return;
    }
    reported.add(cause);
    diag.warn(`vietnamese-ai-otel: telemetry failed (reported once): ${cause}`);
  } catch {
    // A diag logger that throws has nowhere left to report to.
  }
}
