/**
 * `vietnamese-ai-otel/instrumentation`: the HTTP layer. Probe and /metrics
 * endpoints for node:http, express and fastify, request middleware (request
 * id, `log_request` with the trace id, `http.server.request.duration` when
 * OTel's HTTP instrumentation does not record it), a separate probe server,
 * and graceful shutdown.
 */
export {
  tra_loi,
  giai_duong_dan,
  la_verbose,
  muon_health_json,
  CONTENT_TYPE_HEALTH_JSON,
  type PhanHoi,
  type YeuCauThamDo,
  type LoaiThamDo,
  type DuongDanThamDo,
  type TuyChonThamDo,
} from './probe-endpoints.js';
export { tao_xu_ly_tham_do, boc_xu_ly_http, tao_theo_doi_http, ghi_phan_hoi, type XuLyHttp, type TuyChonHttp } from './node-http.js';
export { theo_doi_request, giai_theo_doi, lay_request_id, type LoggerRequest, type TuyChonTheoDoi, type TheoDoiDaGiai } from './request-tracking.js';
export { khoi_tao_thoi_gian_http } from './http-duration.js';
export { gan_express, middleware_express, middleware_tham_do_express } from './express.js';
export { gan_fastify } from './fastify.js';
export { tao_may_chu_tham_do, type MayChuThamDo, type TuyChonMayChuThamDo } from './probe-server.js';
export { dang_ky_tat_an_toan, type TatAnToan, type TuyChonTatAnToan, type KetQuaTatAnToan, type BuocTat, type MayChuDong } from './graceful-shutdown.js';
export { CONTENT_TYPE_PROMETHEUS, CONTENT_TYPE_OPENMETRICS } from '../exporters/prometheus/index.js';
