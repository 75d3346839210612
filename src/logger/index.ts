export { LoggerCauTruc, type ThongKeLogger, type DoThoiGian } from './logger.js';
export { type TuyChonLogger } from './options.js';
export { CAC_CAP_DO, MUC_DO_OTEL, doc_cap_do, type CapDo, type TenCapDo } from './levels.js';
export { KHOA_BI_MAT_MAC_DINH, GIA_TRI_DA_CHE, BoCheKhoa, chuan_hoa_khoa } from '../core/redaction.js';
export { voi_context, lay_context, KHOA_DANH_RIENG } from './context.js';
export { type DauRa, type ThongKeDich } from './destination.js';
export { TEN_SCOPE_LOG } from './otel.js';
