export { khoi_dong_sdk, sdk_hien_tai, SdkDangChay, DUONG_DAN_BO_QUA, type KetQuaTat } from './start.js';
export { giai_cau_hinh, type TuyChonSdk, type CauHinh, type GioiHanBoXuLy, type KieuInstrumentationHttp } from './config.js';
export { LoiCauHinh } from '../core/config-error.js';
export { PipelineMetric } from '../pipeline/metric-pipeline.js';
export { tao_metric_producer } from '../pipeline/metric-producer.js';
export { type ThongKeSdk, type ThongKeTinHieu } from './stats.js';
export { dang_ky_nguon_metric, dang_ky_nha_san_xuat, type NhaSanXuatMetric, pipeline_hien_tai, pipeline_hoac_mac_dinh, the_he_pipeline, type NguonMetric } from '../core/registry.js';
