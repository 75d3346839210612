/**
 * The gateway (cổng vào) of the demo: the public `POST /predict`. It calls
 * the model service with global `fetch` (instrumented undici, so the trace
 * crosses the process boundary) under a MachCat circuit breaker: when the model
 * service keeps failing, callers get a fast 503 with Retry-After instead of a
 * pile of timeouts. Readiness waits for the model service's readiness.
 */
import { createServer } from 'node:http';
import { KiemTraSucKhoe, khoi_dong_sdk, LoggerCauTruc, LoiMachMo, MachCat, QuanLyMetrics } from '../../src/index.js';
import { boc_xu_ly_http, dang_ky_tat_an_toan, lay_request_id } from '../../instrumentation/index.js';
import { doc_cau_hinh } from './config.js';
import { doc_than_json, lay_van_ban, LoiHttp, tra_json } from './http-json.js';

const sdk = khoi_dong_sdk({ ten_dich_vu: process.env.OTEL_SERVICE_NAME ?? 'vnai-gateway', phien_ban_dich_vu: '0.1.0' });
const cau_hinh = doc_cau_hinh();
const logger = new LoggerCauTruc({ ten: 'vnai-gateway', context_mac_dinh: { dich_vu: 'vnai-gateway' } });
const metrics = new QuanLyMetrics('vnai_gateway');
const suc_khoe = new KiemTraSucKhoe({ timeout: 2.0 });
const mach = new MachCat({ ten: 'dich-vu-mo-hinh', so_loi_toi_da: 5, cua_so_thoi_gian: 30, timeout_phuc_hoi: 5, tao_span: true });

/** The model service answered with an error status (a dependency failure for the breaker). */
class LoiDichVuMoHinh extends Error {
  override readonly name = 'LoiDichVuMoHinh';
  constructor(readonly ma: number, readonly than: unknown) {
    super(`model service answered ${ma}`);
  }
}

interface PhanHoiMoHinh {
  ma: number;
  than: unknown;
}

/**
 * POSTs JSON to the model service with global `fetch` (undici, instrumented
 * by the SDK: a CLIENT span, and W3C traceparent sent along), forwarding the
 * request id; 5xx and network errors reject (they count against the
 * breaker), 4xx resolve.
 */
async function goi_mo_hinh(duong: string, than: unknown, request_id: string | undefined): Promise<PhanHoiMoHinh> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (request_id !== undefined) headers['x-request-id'] = request_id;
  const res = await fetch(`${cau_hinh.model_url}${duong}`, { method: 'POST', headers, body: JSON.stringify(than), signal: AbortSignal.timeout(5000) });
  const v: unknown = await res.json().catch(() => undefined);
  if (res.status >= 500) throw new LoiDichVuMoHinh(res.status, v);
  return { ma: res.status, than: v };
}

/** GETs a probe of the model service: true on 2xx. */
async function tham_do_mo_hinh(duong: string): Promise<boolean> {
  try {
    const res = await fetch(`${cau_hinh.model_url}${duong}`, { signal: AbortSignal.timeout(1500) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

suc_khoe.dang_ky_checks_mac_dinh();
suc_khoe.dang_ky_check('model_service', () => tham_do_mo_hinh('/readyz'), 'the model service is ready (readiness waits for it)', true);

const xu_ly = boc_xu_ly_http(
  (req, res) => {
    if (req.method === 'POST' && (req.url ?? '').split('?')[0] === '/predict') {
      const hen = metrics.timer('predict_ms', { route: '/predict' });
      doc_than_json(req)
        .then((than) => mach.thuc_hien(goi_mo_hinh, '/predict', { text: lay_van_ban(than, 5000) }, lay_request_id(req)))
        .then((kq) => {
          tra_json(res, kq.ma, kq.than);
          metrics.counter('predictions', { ket_qua: kq.ma < 300 ? 'ok' : 'tu_choi' }, 1, { mo_ta: 'Predictions proxied, by outcome' });
        })
        .catch((e: unknown) => {
          if (e instanceof LoiHttp) return tra_json(res, e.ma, { loi: e.message });
          if (e instanceof LoiMachMo) {
            metrics.counter('predictions', { ket_qua: 'mach_mo' }, 1, { mo_ta: 'Predictions proxied, by outcome' });
            return tra_json(res, 503, { loi: 'model service unavailable (circuit open)', mach: e.trang_thai }, { 'retry-after': String(Math.max(1, Math.ceil(e.giay_den_lan_thu))) });
          }
          metrics.counter('predictions', { ket_qua: 'loi' }, 1, { mo_ta: 'Predictions proxied, by outcome' });
          logger.error('model service call failed', { model_url: cau_hinh.model_url }, e);
          tra_json(res, 502, { loi: 'model service failed' });
        })
        .finally(() => hen.ket_thuc());
      return;
    }
    tra_json(res, 404, { loi: 'not found' });
  },
  { suc_khoe, logger },
);

const server = createServer(xu_ly);
server.listen(cau_hinh.port, cau_hinh.host, () => {
  const a = server.address();
  const port = a !== null && typeof a === 'object' ? a.port : cau_hinh.port;
  logger.info('gateway listening', { url: `http://${cau_hinh.host}:${port}`, model_url: cau_hinh.model_url });
});

dang_ky_tat_an_toan({
  server,
  suc_khoe,
  sdk: sdk ?? null,
  tre_drain_ms: cau_hinh.drain_ms,
  truoc_khi_dong: () => logger.dong(),
});
