/**
 * The model service (dịch vụ mô hình) of the demo: a Vietnamese sentiment
 * classifier behind `POST /predict`. It owns the model: trains the small ONNX
 * model at start (about 0.1 s), warms it with LamNongModel, and holds
 * readiness (/readyz 503) until the warm-up succeeded.
 *
 *   POST /predict {"text": "..."} -> {"nhan", "do_tin_cay", "xac_suat", "mo_hinh"}
 *   /livez /readyz /healthz(?verbose) /metrics
 */
import { createServer } from 'node:http';
import { trace, SpanStatusCode } from '@opentelemetry/api';
import { KiemTraSucKhoe, khoi_dong_sdk, LamNongModel, LoggerCauTruc, QuanLyMetrics } from '../../src/index.js';
import { boc_xu_ly_http, dang_ky_tat_an_toan } from '../../instrumentation/index.js';
import { DO_DAI_TOI_DA, tao_mo_hinh_cam_xuc, type MoHinhCamXuc } from '../model/index.js';
import { doc_cau_hinh } from './config.js';
import { doc_than_json, lay_van_ban, LoiHttp, tra_json } from './http-json.js';

const TEN_MO_HINH = 'cam_xuc';

const sdk = khoi_dong_sdk({ ten_dich_vu: process.env.OTEL_SERVICE_NAME ?? 'vnai-model', phien_ban_dich_vu: '0.1.0' });
const cau_hinh = doc_cau_hinh();
const logger = new LoggerCauTruc({ ten: 'vnai-model', context_mac_dinh: { dich_vu: 'vnai-model' } });
const metrics = new QuanLyMetrics('vnai_model');
const suc_khoe = new KiemTraSucKhoe({ timeout: 2.0 });
const lam_nong = new LamNongModel({ so_lan_warmup: 5, tu_dong_lam_nong: true });
const tracer = trace.getTracer('vnai-demo', '0.1.0');

let mo_hinh: MoHinhCamXuc | undefined;

async function du_doan(van_ban: string) {
  const m = (await lam_nong.lay_model(TEN_MO_HINH)) as MoHinhCamXuc;
  return tracer.startActiveSpan('du_doan cam_xuc', async (span) => {
    const hen = metrics.timer('inference_ms', { model: TEN_MO_HINH });
    try {
      const kq = await m.du_doan(van_ban);
      const ms = hen.ket_thuc();
      span.setAttributes({ 'vnai.model': TEN_MO_HINH, 'vnai.label': kq.nhan, 'vnai.confidence': kq.do_tin_cay, 'vnai.input_chars': van_ban.length });
      metrics.counter('predictions', { model: TEN_MO_HINH, nhan: kq.nhan }, 1, { mo_ta: 'Predictions served, by label' });
      logger.log_prediction(TEN_MO_HINH, van_ban.length, ms, kq.do_tin_cay);
      return kq;
    } catch (e) {
      span.recordException(e as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw e;
    } finally {
      span.end();
    }
  });
}

const xu_ly = boc_xu_ly_http(
  (req, res) => {
    if (req.method === 'POST' && (req.url ?? '').split('?')[0] === '/predict') {
      doc_than_json(req)
        .then((than) => du_doan(lay_van_ban(than, DO_DAI_TOI_DA)))
        .then((kq) => tra_json(res, 200, { ...kq, mo_hinh: TEN_MO_HINH }))
        .catch((e: unknown) => {
          if (e instanceof LoiHttp) tra_json(res, e.ma, { loi: e.message });
          else {
            logger.error('prediction failed', { path: '/predict' }, e);
            tra_json(res, 500, { loi: 'prediction failed' });
          }
        });
      return;
    }
    tra_json(res, 404, { loi: 'not found' });
  },
  // lam_nong: the Open Inference Protocol health endpoints (/v2/health/*, /v2/models/{name}/ready).
  { suc_khoe, logger, lam_nong },
);

const server = createServer(xu_ly);
server.listen(cau_hinh.model_port, cau_hinh.host, () => {
  const a = server.address();
  const port = a !== null && typeof a === 'object' ? a.port : cau_hinh.model_port;
  logger.info('model service listening', { url: `http://${cau_hinh.host}:${port}` });
});

dang_ky_tat_an_toan({
  server,
  suc_khoe,
  sdk: sdk ?? null,
  tre_drain_ms: cau_hinh.drain_ms,
  truoc_khi_dong: async () => {
    lam_nong.dung_auto_refresh();
    await mo_hinh?.dong();
    await logger.dong();
  },
});

// Registered before the model exists (named, so it fails until that model is
// warmed) and marked for start-up: /startupz stays 503 until the first
// warm-up succeeds, so a slow load is never killed by the liveness probe.
suc_khoe.dang_ky_check('models_warm', lam_nong.ham_kiem_tra_san_sang([TEN_MO_HINH]), 'every model warmed (readiness waits for it)', true, true);

// Serve probes at once (live, not started, not ready), then build and warm the model.
void (async () => {
  try {
    mo_hinh = await tao_mo_hinh_cam_xuc();
    lam_nong.dang_ky_model(TEN_MO_HINH, mo_hinh, { du_lieu_mau: 'Sản phẩm này rất tốt, tôi rất hài lòng', tu_dong_refresh: false });
    suc_khoe.dang_ky_checks_mac_dinh(mo_hinh);
    logger.log_model_event('trained', TEN_MO_HINH, { do_chinh_xac: mo_hinh.do_chinh_xac.kiem_tra, kich_thuoc_bytes: mo_hinh.kich_thuoc_bytes });
    // LamNongModel logs warmup_ok / warmup_loi itself, inside its warm-up span.
    await lam_nong.lam_nong(TEN_MO_HINH);
  } catch (e) {
    logger.critical('model failed to load', {}, e);
  }
})();
