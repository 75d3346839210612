/**
 * The demo model service, instrumented the standard way (see otel.cjs): the
 * same ONNX sentiment model (the built demo's), the same inference span,
 * metrics and log lines.
 */
'use strict';
const { join } = require('node:path');
const { sdk, prometheus } = require('./otel.cjs');
const pino = require('pino');
const { trace, metrics, SpanStatusCode } = require('@opentelemetry/api');
const { readJson, sendJson, serve } = require('./common.cjs');

const logger = pino({ base: { dich_vu: 'vnai-model' } });
const tracer = trace.getTracer('vnai-demo', '0.1.0');
const meter = metrics.getMeter('vnai-model');
const inferenceMs = meter.createHistogram('vnai_model_inference_ms', { unit: 'ms' });
const predictions = meter.createCounter('vnai_model_predictions', { description: 'Predictions served, by label' });

let model;
function predict(text) {
  return tracer.startActiveSpan('du_doan cam_xuc', async (span) => {
    const t0 = performance.now();
    try {
      const r = await model.du_doan(text);
      const ms = performance.now() - t0;
      inferenceMs.record(ms, { model: 'cam_xuc' });
      span.setAttributes({ 'vnai.model': 'cam_xuc', 'vnai.label': r.nhan, 'vnai.confidence': r.do_tin_cay, 'vnai.input_chars': text.length });
      predictions.add(1, { model: 'cam_xuc', nhan: r.nhan });
      logger.info({ model: 'cam_xuc', input_chars: text.length, ms, do_tin_cay: r.do_tin_cay }, 'prediction');
      return r;
    } catch (e) {
      span.recordException(e);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw e;
    } finally {
      span.end();
    }
  });
}

serve({
  port: Number(process.env.MODEL_PORT ?? 8081),
  host: process.env.HOST ?? '127.0.0.1',
  logger,
  prometheus,
  sdk,
  ready: () => model !== undefined,
  handle(req, res) {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/predict') return sendJson(res, 404, { loi: 'not found' });
    readJson(req)
      .then((body) => {
        if (typeof body?.text !== 'string' || body.text.trim() === '') throw Object.assign(new Error('field "text" must be a string'), { status: 400 });
        return predict(body.text);
      })
      .then((r) => sendJson(res, 200, { ...r, mo_hinh: 'cam_xuc' }))
      .catch((e) => {
        if (e.status !== undefined) return sendJson(res, e.status, { loi: e.message });
        logger.error({ err: e }, 'prediction failed');
        sendJson(res, 500, { loi: 'prediction failed' });
      });
  },
});

void import(join(__dirname, '../../dist/examples/model/index.js')).then(async ({ tao_mo_hinh_cam_xuc }) => {
  const m = await tao_mo_hinh_cam_xuc();
  for (let i = 0; i < 5; i++) await m.du_doan('Sản phẩm này rất tốt, tôi rất hài lòng');
  model = m;
});
