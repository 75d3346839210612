/**
 * The refusal error (lỗi mạch mở, "circuit open" error). `thuc_hien` rejects
 * with it when the circuit refuses a call and no `ham_fallback` is set. It is
 * a class so callers can tell a refusal from their own function's failure
 * (`e instanceof LoiMachMo`) and read when to come back without parsing text.
 *
 * The refusals MachCat makes carry no stack trace (see `open_circuit_error`):
 * during an outage they are thrown thousands of times a second, capturing a
 * stack costs several microseconds each (more than the whole refusal
 * otherwise), and the message already says which breaker refused.
 */
import type { TrangThaiMach } from './state.js';

export class LoiMachMo extends Error {
  override readonly name = 'LoiMachMo';
  /** A stable code for logs and `switch` statements. */
  readonly code = 'EMACHCATMO';

  constructor(
    /** The breaker's name (`ten`). */
    readonly ten: string,
    /** Its state when it refused: `"mo"`, or `"nua_mo"` while a trial runs. */
    readonly trang_thai: TrangThaiMach,
    /**
     * Seconds until the next trial call may pass (giây đến lần thử). While a
     * trial runs (`"nua_mo"`) this is an upper bound: the trial may close the
     * circuit sooner.
     */
    readonly giay_den_lan_thu: number,
  ) {
    super(
      trang_thai === 'mo'
        ? `MachCat "${ten}" is open: call refused; next trial in ${giay_den_lan_thu.toFixed(3)} s`
        : `MachCat "${ten}" is half-open and its trial call is running: call refused; next trial in at most ${giay_den_lan_thu.toFixed(3)} s`,
    );
  }
}

/**
 * Makes the refusal error without capturing a stack: the stack trace limit
 * is set to 0 for the construction only.
 */
export function open_circuit_error(name: string, state: TrangThaiMach, seconds_to_trial: number): LoiMachMo {
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 0;
  } catch {
    // A frozen Error: pay for the stack then.
  }
  try {
    return new LoiMachMo(name, state, seconds_to_trial);
  } finally {
    try {
      Error.stackTraceLimit = limit;
    } catch {}
  }
}
