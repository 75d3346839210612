/**
 * The demo's model: a Vietnamese sentiment classifier the project trains
 * itself (TypeScript) and runs as ONNX (onnxruntime-node). Used by the demo
 * service and the tests; not part of the published SDK.
 */
export { tao_mo_hinh_cam_xuc, MoHinhCamXuc, huan_luyen_va_xuat, DO_DAI_TOI_DA, type KetQuaCamXuc, type DoChinhXac, type TuyChonMoHinhCamXuc, type MoHinhOnnx } from './sentiment-model.js';
export { NHAN_CAM_XUC, type NhanCamXuc, tao_du_lieu, chia_du_lieu, type MauCamXuc } from './data.js';
export { SO_CHIEU, tach_tu, dac_trung_day, dac_trung_thua } from './features.js';
export { huan_luyen, xac_suat_ts, do_chinh_xac, THAM_SO_MAC_DINH, type TrongSo, type ThamSoHuanLuyen } from './train.js';
export { xuat_onnx, doc_metadata, TEN_DAU_VAO, TEN_DAU_RA, OPSET } from './export-onnx.js';
