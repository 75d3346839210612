/**
 * The lean HTTP instrumentation: SERVER and CLIENT spans, W3C propagation and
 * the `http.server/client.request.duration` histograms for node:http/https
 * and undici/fetch, all from Node's and undici's diagnostics_channel events.
 * Same spans and attributes as OpenTelemetry's instrumentation-http and
 * instrumentation-undici (test/http-tracing compares them), at a fraction of
 * the per-request cost (docs: /work/shared/design/PER-REQUEST-COST.md).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import { clientRequestCreated, clientRequestError, clientResponseFinish } from './client.js';
import { createInstruments, SCOPE_HTTP, SCOPE_UNDICI } from './instruments.js';
import { installListenerContext, uninstallListenerContext } from './listener-context.js';
import { serverRequestStart } from './server.js';
import { undiciTracer } from './undici.js';

export { SCOPE_HTTP, SCOPE_UNDICI } from './instruments.js';

export interface HttpTracingOptions {
  tracerProvider: TracerProvider;
  meterProvider: MeterProvider;
  /** Trace node:http/https server and client requests. */
  http: boolean;
  /** Trace undici and global fetch. */
  undici: boolean;
  /** Server pathnames not traced. */
  ignore: (pathname: string) => boolean;
}

/**
 * Subscribes to the channels and installs the listener-context wrappers.
 * @returns the function that undoes it.
 */
export function startHttpTracing(o: HttpTracingOptions): () => void {
  const subs: [string, (message: unknown, name: string | symbol) => void][] = [];
  if (o.http) {
    const inst = createInstruments(SCOPE_HTTP, o.tracerProvider, o.meterProvider);
    installListenerContext();
    subs.push(
      ['http.server.request.start', serverRequestStart(inst, { ignore: o.ignore })],
      ['http.client.request.created', clientRequestCreated(inst)],
      ['http.client.response.finish', clientResponseFinish],
      ['http.client.request.error', clientRequestError],
    );
  }
  if (o.undici) {
    const u = undiciTracer(createInstruments(SCOPE_UNDICI, o.tracerProvider, o.meterProvider));
    subs.push(
      ['undici:request:create', u.create],
      ['undici:client:sendHeaders', u.sendHeaders],
      ['undici:request:headers', u.headers],
      ['undici:request:trailers', u.done],
      ['undici:request:error', u.error],
    );
  }
  for (const [name, fn] of subs) subscribe(name, fn);
  return () => {
    for (const [name, fn] of subs) unsubscribe(name, fn);
    if (o.http) uninstallListenerContext();
  };
}
