/**
 * Configuration error (lỗi cấu hình): thrown by `khoi_dong_sdk()` when an
 * option or environment variable is malformed. `bien` names the variable or
 * option so the fix is obvious from the message alone.
 */
export class LoiCauHinh extends Error {
  override readonly name = 'LoiCauHinh';
  constructor(
    /** The environment variable or option at fault, e.g. `OTEL_TRACES_EXPORTER`. */
    readonly bien: string,
    message: string,
  ) {
    super(`${bien}: ${message}`);
  }
}
