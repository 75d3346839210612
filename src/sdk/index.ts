export { khoi_dong_sdk, sdk_hien_tai } from './start.js';
export { SdkDangChay, type KetQuaTat } from './running-sdk.js';
export { giai_cau_hinh, type TuyChonSdk, type CauHinh, type GioiHanBoXuLy, type KieuInstrumentationHttp } from './config.js';
export { type ThongKeSdk, type ThongKeTinHieu } from './stats.js';
