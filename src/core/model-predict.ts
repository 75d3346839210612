/**
 * Finding a model's predict function, shared by the warm-up (LamNongModel)
 * and the `model_inference` health check so both call the same thing.
 *
 * One precedence: `du_doan`, then `predict` (methods called on the model, so
 * `this` works), then the model itself when it is a function. A named method
 * wins over calling the value: a class, or a function carrying a `predict`
 * method, must not be invoked bare.
 */
export function find_predict(model: unknown): ((x: unknown) => unknown) | undefined {
  if (model !== null && (typeof model === 'object' || typeof model === 'function')) {
    const m = model as { du_doan?: unknown; predict?: unknown };
    const f = typeof m.du_doan === 'function' ? m.du_doan : typeof m.predict === 'function' ? m.predict : undefined;
    if (f !== undefined) return (x) => (f as (this: unknown, x: unknown) => unknown).call(model, x);
  }
  if (typeof model === 'function') return (x) => (model as (x: unknown) => unknown)(x);
  return undefined;
}
