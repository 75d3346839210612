export { MachCat, type ThongKeMachCat } from './breaker.js';
export { TrangThaiMach } from './state.js';
export { LoiMachMo } from './errors.js';
export { type TuyChonMachCat } from './options.js';
export { SCOPE_METRIC as SCOPE_METRIC_MACHCAT } from './telemetry.js';
