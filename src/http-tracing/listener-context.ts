/**
 * Listeners of a traced request object run in that request's context.
 *
 * OpenTelemetry's context manager binds every request and response instance
 * (it patches on/once/removeListener... of each one and wraps each listener):
 * that costs a closure per listener and a property definition per method per
 * request. Here one `emit` wrapper per prototype (IncomingMessage,
 * ServerResponse, ClientRequest) looks up the context stored on the object
 * and runs the listeners in it; untraced objects pay one property read.
 * The same wrapper tells the tracer when the object emits the event that
 * ends its span ('close', 'end', 'error').
 */
import { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { context, type Context } from '@opentelemetry/api';

/** What a traced object carries: its listeners' context and, optionally, who wants to hear its ending events. */
export interface Tracked {
  readonly ctx: Context;
  /** Called after the listeners of 'close', 'end' and 'error' ran (before them for 'error'). */
  readonly onEvent: ((event: 'close' | 'end' | 'error', arg: unknown) => void) | undefined;
}

const TRACKED = Symbol('vietnamese-ai-otel.http-tracing');

type Emit = (this: object, event: string | symbol, ...args: unknown[]) => boolean;
interface Patched {
  proto: { emit: Emit };
  original: Emit;
  wrapped: Emit;
}

const apply = Function.prototype.apply;
let patched: Patched[] = [];

/** Attaches a context (and an ending hook) to a request, response or client request. */
export function track(target: object, t: Tracked): void {
  (target as Record<symbol, Tracked>)[TRACKED] = t;
}

/** What `track` attached, if anything. */
export function tracked(target: object): Tracked | undefined {
  return (target as Record<symbol, Tracked | undefined>)[TRACKED];
}

function wrap(proto: { emit: Emit }): Patched {
  const original = proto.emit;
  const wrapped: Emit = function (this: object, ...args) {
    const t = (this as Record<symbol, Tracked | undefined>)[TRACKED];
    if (t === undefined) return original.apply(this, args as [string]);
    const event = args[0];
    const hook = t.onEvent;
    if (hook !== undefined && event === 'error') hook('error', args[1]);
    const r = context.with(t.ctx, apply, original, this, args) as boolean;
    if (hook !== undefined && (event === 'close' || event === 'end')) hook(event, undefined);
    return r;
  };
  proto.emit = wrapped;
  return { proto, original, wrapped };
}

/** Installs the wrappers once (idempotent). */
export function installListenerContext(): void {
  if (patched.length > 0) return;
  patched = [IncomingMessage.prototype, ServerResponse.prototype, ClientRequest.prototype].map((p) => wrap(p as unknown as { emit: Emit }));
}

/** Removes the wrappers, unless someone wrapped over them (then they stay, inert for untracked objects). */
export function uninstallListenerContext(): void {
  for (const p of patched) if (p.proto.emit === p.wrapped) p.proto.emit = p.original;
  patched = [];
}
