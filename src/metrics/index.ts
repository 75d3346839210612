export { QuanLyMetrics, BIEN_BUCKET_MAC_DINH, type TuyChonQuanLyMetrics, type HenGio, type TuyChonMetric, type ThongKeHistogram } from './manager.js';
export { PhacThaoPhanVi, phan_vi, DO_CHINH_XAC } from './quantile-sketch.js';
