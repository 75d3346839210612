import assert from 'node:assert/strict';
import { createTraceState, INVALID_SPAN_CONTEXT, isValidSpanId, isValidTraceId, ROOT_CONTEXT, trace, TraceFlags, type Context, type SpanContext } from '@opentelemetry/api';
import { isTracingSuppressed, suppressTracing } from '@opentelemetry/core';
import { AlwaysOffSampler, ParentBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { dropped_span, known_drop, type KnownDrop } from '../../src/http-tracing/dropped-span.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';
const under = (sc: SpanContext, ctx: Context = ROOT_CONTEXT): Context => trace.setSpanContext(ctx, sc);

/** Every kind of parent the SDK's Tracer tells apart. */
const PARENTS: [string, Context][] = [
  ['no parent', ROOT_CONTEXT],
  ['a remote unsampled parent with trace state', under({ traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.NONE, isRemote: true, traceState: createTraceState('vendor=v1,other=2') })],
  ['a remote sampled parent', under({ traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED, isRemote: true })],
  ['a local sampled parent with trace state', under({ traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED, traceState: createTraceState('k=v') })],
  ['a local unsampled parent', under({ traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.NONE })],
  ['a remote unsampled parent with another flag bit set', under({ traceId: TRACE, spanId: SPAN, traceFlags: 0x02, isRemote: true })],
  ['a remote sampled parent with another flag bit set', under({ traceId: TRACE, spanId: SPAN, traceFlags: 0x03, isRemote: true })],
  ['the invalid span context', under(INVALID_SPAN_CONTEXT)],
  ['a parent with a malformed trace id, sampled', under({ traceId: 'not-hex', spanId: SPAN, traceFlags: TraceFlags.SAMPLED, isRemote: true })],
  ['suppressed tracing', suppressTracing(ROOT_CONTEXT)],
  ['suppressed tracing under an unsampled parent', suppressTracing(under({ traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.NONE, isRemote: true }))],
];

describe('http-tracing/dropped-span: the span a known sampler drops, made without the Tracer', () => {
  it('knows the drops of the two spec samplers that drop, and of no other', () => {
    assert.equal(known_drop('parentbased_always_off'), 'unsampled_parent');
    assert.equal(known_drop('always_off'), 'all');
    for (const s of ['parentbased_always_on', 'always_on', 'traceidratio', 'parentbased_traceidratio', 'PARENTBASED_ALWAYS_OFF', '']) assert.equal(known_drop(s), undefined, s);
  });

  const samplers: [KnownDrop, () => ParentBasedSampler | AlwaysOffSampler, number][] = [
    // [drop, the sampler the SDK builds for it, how many of PARENTS it records]
    ['unsampled_parent', () => new ParentBasedSampler({ root: new AlwaysOffSampler() }), 3],
    ['all', () => new AlwaysOffSampler(), 0],
  ];
  for (const [drop, sampler, recorded] of samplers) {
    it(`"${drop}": the same span as the SDK's Tracer with that sampler, for every kind of parent`, () => {
      const tracer = new TracerProvider({ sampler: sampler() }).getTracer('t');
      let sdkRecorded = 0;
      let made = 0;
      for (const [name, ctx] of PARENTS) {
        const sdk = tracer.startSpan('s', { attributes: { a: 1 } }, ctx);
        const ours = dropped_span(drop, ctx);
        if (sdk.isRecording() || isTracingSuppressed(ctx)) {
          if (sdk.isRecording()) sdkRecorded++;
          assert.equal(ours, undefined, `${name}: left to the Tracer`);
          continue;
        }
        made++;
        assert.ok(ours !== undefined, `${name}: made without the Tracer`);
        assert.equal(ours.isRecording(), false, name);
        const a = ours.spanContext();
        const b = sdk.spanContext();
        assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${name}: the same fields`);
        assert.equal(a.traceFlags, b.traceFlags, `${name}: flags`);
        assert.equal(a.traceState, b.traceState, `${name}: the parent's trace state, the same object`);
        assert.ok(isValidSpanId(a.spanId) && a.spanId !== SPAN && a.spanId !== b.spanId, `${name}: a new span id`);
        const parent = trace.getSpanContext(ctx);
        if (parent !== undefined && isValidTraceId(parent.traceId) && parent.spanId !== INVALID_SPAN_CONTEXT.spanId) assert.equal(a.traceId, b.traceId, `${name}: the parent's trace id`);
        else assert.ok(isValidTraceId(a.traceId) && a.traceId !== b.traceId, `${name}: a new trace id`);
      }
      assert.equal(sdkRecorded, recorded, 'the SDK records exactly the sampled parents');
      assert.equal(made, PARENTS.length - recorded - 2, 'every other span (but the two suppressed) is made here');
    });
  }

  it('new trace and span ids differ from call to call', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const sc = dropped_span('all', ROOT_CONTEXT)!.spanContext();
      seen.add(sc.traceId);
      seen.add(sc.spanId);
    }
    assert.equal(seen.size, 2000);
  });
});
