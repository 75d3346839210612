/**
 * The demo gateway, instrumented the standard way (see otel.cjs): same
 * route, same call to the model service with global fetch behind a circuit
 * breaker (opossum), same span around the breaker call, same metrics.
 */
'use strict';
const { sdk, prometheus } = require('./otel.cjs');
const pino = require('pino');
const CircuitBreaker = require('opossum');
const { trace, metrics, SpanStatusCode } = require('@opentelemetry/api');
const { readJson, sendJson, serve } = require('./common.cjs');

const host = process.env.HOST ?? '127.0.0.1';
const modelUrl = `http://${host}:${process.env.MODEL_PORT ?? 8081}`;
const logger = pino({ base: { dich_vu: 'vnai-gateway' } });
const tracer = trace.getTracer('vnai-gateway');
const meter = metrics.getMeter('vnai-gateway');
const predictMs = meter.createHistogram('vnai_gateway_predict_ms', { unit: 'ms' });
const predictions = meter.createCounter('vnai_gateway_predictions', { description: 'Predictions proxied, by outcome' });

async function callModel(body, requestId) {
  const res = await fetch(`${modelUrl}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': requestId }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
  const v = await res.json().catch(() => undefined);
  if (res.status >= 500) throw Object.assign(new Error(`model service answered ${res.status}`), { status: res.status });
  return { status: res.status, body: v };
}
const breaker = new CircuitBreaker(callModel, { timeout: false, errorThresholdPercentage: 50, resetTimeout: 5000, rollingCountTimeout: 30000 });

let modelReady = false;
const pollReady = () =>
  fetch(`${modelUrl}/readyz`)
    .then((r) => ((modelReady = r.ok), r.arrayBuffer()))
    .catch(() => undefined)
    .finally(() => modelReady || setTimeout(pollReady, 200));
pollReady();

serve({
  port: Number(process.env.PORT ?? 8080),
  host,
  logger,
  prometheus,
  sdk,
  ready: () => modelReady,
  handle(req, res, id) {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/predict') return sendJson(res, 404, { loi: 'not found' });
    const t0 = performance.now();
    readJson(req)
      .then((body) =>
        tracer.startActiveSpan('machcat dich-vu-mo-hinh', (span) =>
          breaker.fire({ text: body.text }, id).then(
            (r) => (span.end(), r),
            (e) => {
              span.recordException(e);
              span.setStatus({ code: SpanStatusCode.ERROR });
              span.end();
              throw e;
            },
          ),
        ),
      )
      .then((r) => {
        sendJson(res, r.status, r.body);
        predictions.add(1, { ket_qua: r.status < 300 ? 'ok' : 'tu_choi' });
      })
      .catch((e) => {
        if (e.status === 400 || e.status === 413) return sendJson(res, e.status, { loi: e.message });
        predictions.add(1, { ket_qua: 'loi' });
        logger.error({ err: e }, 'model service call failed');
        sendJson(res, breaker.opened ? 503 : 502, { loi: 'model service failed' });
      })
      .finally(() => predictMs.record(performance.now() - t0, { route: '/predict' }));
  },
});
