/**
 * Export (xuất) of trained weights as ONNX bytes, built in TypeScript with
 * `onnx-proto` (the ONNX protobuf schema for protobufjs): no Python, no
 * download. The graph is
 *
 *   dac_trung[N,512] -MatMul W1- Add b1 - Relu -MatMul W2- Add b2 - Softmax -> xac_suat[N,3]
 *
 * with a dynamic batch dimension `N`. Weights are stored as float32.
 * Metadata properties carry the labels and the training report, so a model
 * read back from a cache file still describes itself.
 */
import onnxProto from 'onnx-proto';
import type { TrongSo } from './train.js';

const { onnx } = onnxProto;

/** Names of the graph's input and output. */
export const TEN_DAU_VAO = 'dac_trung';
export const TEN_DAU_RA = 'xac_suat';
/** The opset the graph targets (Softmax with the axis=-1 default of opset 13). */
export const OPSET = 13;

function tensor(ten: string, dims: number[], du_lieu: Float64Array): onnxProto.onnx.ITensorProto {
  return { name: ten, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: Array.from(Float32Array.from(du_lieu)) };
}

function giaTriFloat(ten: string, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto {
  return {
    name: ten,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

/** Builds the ONNX model bytes for weights `w`; `mo_ta` becomes metadata (string values). */
export function xuat_onnx(w: TrongSo, nhan: readonly string[], mo_ta: Record<string, string> = {}): Uint8Array {
  if (nhan.length !== w.so_lop) throw new RangeError(`xuat_onnx: ${nhan.length} labels for ${w.so_lop} outputs`);
  const node = (op: string, vao: string[], ra: string, thuoc_tinh: onnxProto.onnx.IAttributeProto[] = []): onnxProto.onnx.INodeProto => ({
    opType: op,
    input: vao,
    output: [ra],
    name: `${op}_${ra}`,
    attribute: thuoc_tinh,
  });
  const model: onnxProto.onnx.IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'vietnamese-ai-otel',
    producerVersion: '0.1.0',
    docString: 'Vietnamese sentiment (tieu_cuc / trung_tinh / tich_cuc): hashed word and bigram features -> MLP',
    metadataProps: Object.entries({ nhan: JSON.stringify(nhan), ...mo_ta }).map(([key, value]) => ({ key, value })),
    graph: {
      name: 'cam_xuc_tieng_viet',
      input: [giaTriFloat(TEN_DAU_VAO, ['N', w.so_chieu])],
      output: [giaTriFloat(TEN_DAU_RA, ['N', w.so_lop])],
      initializer: [
        tensor('W1', [w.so_chieu, w.so_an], w.w1),
        tensor('b1', [w.so_an], w.b1),
        tensor('W2', [w.so_an, w.so_lop], w.w2),
        tensor('b2', [w.so_lop], w.b2),
      ],
      node: [
        node('MatMul', [TEN_DAU_VAO, 'W1'], 'an_matmul'),
        node('Add', ['an_matmul', 'b1'], 'an_add'),
        node('Relu', ['an_add'], 'an'),
        node('MatMul', ['an', 'W2'], 'logit_matmul'),
        node('Add', ['logit_matmul', 'b2'], 'logit'),
        node('Softmax', ['logit'], TEN_DAU_RA, [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 }]),
      ],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/** The metadata properties of ONNX bytes (reads a cached model's description back). */
export function doc_metadata(bytes: Uint8Array): Record<string, string> {
  const m = onnx.ModelProto.decode(bytes);
  const ra: Record<string, string> = {};
  for (const p of m.metadataProps) if (p.key) ra[p.key] = p.value ?? '';
  return ra;
}
