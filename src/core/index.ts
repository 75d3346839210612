export { LoiCauHinh } from './config-error.js';
export { DUONG_DAN_BO_QUA } from './ignored-paths.js';
export { dang_ky_nguon_metric, dang_ky_nha_san_xuat, type NhaSanXuatMetric, pipeline_hien_tai, the_he_pipeline, type NguonMetric } from './registry.js';
