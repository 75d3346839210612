export { khoi_dong_sdk, sdk_hien_tai, SdkDangChay, DUONG_DAN_BO_QUA, type KetQuaTat } from './khoi-dong.js';
export { giai_cau_hinh, type TuyChonSdk, type CauHinh, type GioiHanBoXuLy, type KieuInstrumentationHttp } from './cau-hinh.js';
export { LoiCauHinh } from './loi.js';
export { PipelineMetric } from './pipeline.js';
export { tao_metric_producer } from './metric-producer.js';
export { type ThongKeSdk, type ThongKeTinHieu } from './thong-ke.js';
export { dang_ky_nguon_metric, dang_ky_nha_san_xuat, type NhaSanXuatMetric, pipeline_hien_tai, pipeline_hoac_mac_dinh, the_he_pipeline, type NguonMetric } from './toan-cuc.js';
