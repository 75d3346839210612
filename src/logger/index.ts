export { LoggerCauTruc, type TuyChonLogger, type ThongKeLogger, type DoThoiGian } from './logger-cau-truc.js';
export { CAC_CAP_DO, MUC_DO_OTEL, doc_cap_do, type CapDo, type TenCapDo } from './cap-do.js';
export { KHOA_BI_MAT_MAC_DINH, GIA_TRI_DA_CHE, BoCheKhoa, chuan_hoa_khoa } from './che-khoa.js';
export { voi_context, lay_context, KHOA_DANH_RIENG } from './ngu-canh.js';
export { type DauRa, type ThongKeDich } from './dich-ghi.js';
export { TEN_SCOPE_LOG } from './otel.js';
