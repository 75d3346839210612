/**
 * Error to text: a short `Name: message` for anything thrown (an Error, a
 * string, a Symbol, an object whose getters or toString throw), never
 * throwing itself, because it runs inside catch blocks of telemetry code.
 */
export function error_text(e: unknown): string {
  try {
    if (e instanceof Error) return e.message === '' ? e.name : `${e.name}: ${e.message}`;
    return String(e);
  } catch {
    return 'unprintable value';
  }
}
