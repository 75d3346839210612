/**
 * The one option-checking helper every facade uses: what it accepts, and that
 * every refusal names the owner and the option, with the right error class
 * (TypeError for the wrong kind of value, RangeError for a value out of range).
 */
import assert from 'node:assert/strict';
import { boolean_option, check_options, describe_value, function_option, number_option, options_object, string_option } from '../../src/core/options.js';

const refuses = (f: () => unknown, kind: typeof TypeError | typeof RangeError, ...parts: RegExp[]): void => {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof kind, `expected a ${kind.name}, got ${String(e)}`);
    for (const p of parts) assert.match((e as Error).message, p);
    return true;
  });
};

describe('core/options: one way to check options passed in code', () => {
  it('check_options: undefined is {}; the object itself is returned; a non-object or an unknown key is a TypeError naming it', () => {
    assert.deepEqual(check_options('Owner', undefined, ['a']), {});
    const o = { a: 1 };
    assert.equal(check_options('Owner', o, new Set(['a', 'b'])), o);
    for (const bad of [null, 'a', 3, ['a'], true]) refuses(() => check_options('Owner', bad, ['a']), TypeError, /^Owner: options must be an object, got /);
    refuses(() => check_options('Owner', { a: 1, typo: 2 }, ['a', 'b']), TypeError, /^Owner: unknown option "typo"/, /known: a, b/);
    assert.deepEqual(options_object('Owner', { anything: 1 }), { anything: 1 });
  });

  it('number_option: the fallback for undefined; TypeError for a non-number; RangeError naming the bounds for NaN, infinities, fractions and out-of-range values', () => {
    assert.equal(number_option('O', 'n', undefined, 7), 7);
    assert.equal(number_option('O', 'n', 0, 7, { min: 0 }), 0);
    assert.equal(number_option('O', 'n', 2.5, 7, { min: 0, min_exclusive: true, max: 3 }), 2.5);
    refuses(() => number_option('O', 'n', '5', 7), TypeError, /^O: n must be a number, got "5"$/);
    refuses(() => number_option('O', 't', 5n, 7, { unit: 'seconds' }), TypeError, /t must be a number of seconds, got a bigint \(5n\)/);
    refuses(() => number_option('O', 'n', Number.NaN, 7), RangeError, /n must be a finite number, got NaN/);
    refuses(() => number_option('O', 'n', Infinity, 7, { min: 0 }), RangeError, /n must be a finite number >= 0, got Infinity/);
    refuses(() => number_option('O', 'n', 1.5, 7, { integer: true, min: 1 }), RangeError, /n must be an integer >= 1, got 1.5/);
    refuses(() => number_option('O', 'n', 0, 7, { integer: true, min: 1, max: 10 }), RangeError, /n must be an integer >= 1 and <= 10, got 0/);
    refuses(() => number_option('O', 'n', 11, 7, { integer: true, min: 1, max: 10 }), RangeError, /<= 10, got 11/);
    refuses(() => number_option('O', 't', 0, 7, { min: 0, min_exclusive: true, unit: 'seconds' }), RangeError, /t must be a finite number of seconds > 0, got 0/);
    refuses(() => number_option('O', 'n', 11, 7, { max: 10 }), RangeError, /n must be a finite number <= 10, got 11/);
  });

  it('boolean_option, function_option: the fallback (or undefined) for undefined; null and other kinds are a TypeError naming the option', () => {
    assert.equal(boolean_option('O', 'b', undefined, true), true);
    assert.equal(boolean_option('O', 'b', false, true), false);
    for (const bad of [null, 'true', 1]) refuses(() => boolean_option('O', 'b', bad, true), TypeError, /^O: b must be a boolean, got /);
    const f = (): number => 1;
    assert.equal(function_option('O', 'f', f), f);
    assert.equal(function_option('O', 'f', undefined), undefined);
    for (const bad of [null, 'f', {}]) refuses(() => function_option('O', 'f', bad), TypeError, /^O: f must be a function, got /);
  });

  it('string_option: non-empty by default; allow_empty and pattern rules; messages say what was expected', () => {
    assert.equal(string_option('O', 's', undefined, 'dflt'), 'dflt');
    assert.equal(string_option('O', 's', 'x', 'dflt'), 'x');
    for (const bad of ['', '   ', 3, null]) refuses(() => string_option('O', 's', bad, 'dflt'), TypeError, /^O: s must be a non-empty string, got /);
    assert.equal(string_option('O', 's', '', 'dflt', { allow_empty: true }), '');
    refuses(() => string_option('O', 's', 5, 'dflt', { allow_empty: true }), TypeError, /s must be a string, got 5/);
    refuses(() => string_option('O', 'unit', 'm s', '', { pattern: /^\S*$/, expected: 'a UCUM unit' }), TypeError, /unit must be a UCUM unit, got "m s"/);
  });

  it('describe_value shows strings quoted and objects by kind, never their contents', () => {
    assert.deepEqual(
      [describe_value('a'), describe_value(1), describe_value(undefined), describe_value(null), describe_value([1]), describe_value({ secret: 'x' }), describe_value(() => 1), describe_value(2n)],
      ['"a"', '1', 'undefined', 'null', 'an array', 'object', 'function', 'a bigint (2n)'],
    );
  });
});
