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
import type { KnownDrop } from './dropped-span.js';
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
  /**
   * What `tracerProvider`'s sampler is known to drop, from the SDK that built
   * it: those spans are started without the tracer and without building their
   * start attributes. Unset: every span goes through the tracer.
   */
  drop?: KnownDrop;
}

/**
 * Subscribes to the channels and installs the listener-context wrappers.
 * @returns the function that undoes it.
 */
export function startHttpTracing(options: HttpTracingOptions): () => void {
  const subscriptions: [string, (message: unknown, name: string | symbol) => void][] = [];
  if (options.http) {
    const inst = createInstruments(SCOPE_HTTP, options.tracerProvider, options.meterProvider, options.drop);
    installListenerContext();
    subscriptions.push(
      ['http.server.request.start', serverRequestStart(inst, { ignore: options.ignore })],
      ['http.client.request.created', clientRequestCreated(inst)],
      ['http.client.response.finish', clientResponseFinish],
      ['http.client.request.error', clientRequestError],
    );
  }
  if (options.undici) {
    const undici = undiciTracer(createInstruments(SCOPE_UNDICI, options.tracerProvider, options.meterProvider, options.drop));
    subscriptions.push(
      ['undici:request:create', undici.create],
      ['undici:client:sendHeaders', undici.sendHeaders],
      ['undici:request:headers', undici.headers],
      ['undici:request:trailers', undici.done],
      ['undici:request:error', undici.error],
    );
  }
  for (const [name, fn] of subscriptions) subscribe(name, fn);
  return () => {
    for (const [name, fn] of subscriptions) unsubscribe(name, fn);
    if (options.http) uninstallListenerContext();
  };
}
