/**
 * The three states of a circuit (trạng thái mạch), spelled as in the seed.
 * A const object rather than a TS enum so the values are the plain strings
 * the seed's users compare against (`"dong"`, `"mo"`, `"nua_mo"`).
 */
export const TrangThaiMach = {
  /** Closed (đóng): calls pass; failures are counted in the window. */
  DONG: 'dong',
  /** Open (mở): calls are refused until `timeout_phuc_hoi` has passed. */
  MO: 'mo',
  /** Half-open (nửa mở): exactly one trial call may pass. */
  NUA_MO: 'nua_mo',
} as const;

/** One of `"dong" | "mo" | "nua_mo"`. */
export type TrangThaiMach = (typeof TrangThaiMach)[keyof typeof TrangThaiMach];
