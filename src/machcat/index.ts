export { MachCat, type ThongKeMachCat } from './mach-cat.js';
export { TrangThaiMach } from './trang-thai.js';
export { LoiMachMo } from './loi.js';
export { type TuyChonMachCat } from './tuy-chon.js';
export { SCOPE_METRIC as SCOPE_METRIC_MACHCAT } from './telemetry.js';
