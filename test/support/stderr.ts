/**
 * Captures what `fn` writes to stderr (OTel's console diag logger writes
 * there through the console methods it saved at load, so patching
 * console.warn would miss it). Returns the lines written.
 */
export function bat_stderr(fn: () => void): string[] {
  const viet = process.stderr.write;
  const ra: string[] = [];
  process.stderr.write = ((chunk: string | Uint8Array) => {
    ra.push(...String(chunk).split('\n').filter((l) => l !== ''));
    return true;
  }) as typeof process.stderr.write;
  try {
    fn();
  } finally {
    process.stderr.write = viet;
  }
  return ra;
}
