/** Values no route should choke on, shared by every adapter. Sizes are bounded on purpose. */

export const HUGE_STRING = 'A'.repeat(100 * 1024);
/** Long enough to break a path or header limit, short enough for one request line. */
export const LONG_STRING = 'B'.repeat(8 * 1024);

export interface MalformedText {
  label: string;
  value: string;
  /** Text no field should store: control characters, lone surrogates. */
  neverValid: boolean;
}

export const MALFORMED_TEXT: MalformedText[] = [
  { label: 'astral characters', value: '𝔘𝔫𝔦😀𓀀', neverValid: false },
  { label: 'right-to-left override', value: 'abc\u202Egnp.exe', neverValid: false },
  { label: 'combining marks', value: `e${'\u0301'.repeat(64)}`, neverValid: false },
  { label: 'NUL character', value: 'before\u0000after', neverValid: true },
  { label: 'control characters', value: 'bell\u0007escape\u001b[31m', neverValid: true },
  { label: 'lone surrogate', value: 'half\uD800pair', neverValid: true },
  {
    label: 'SQL and markup',
    value: `'; DROP TABLE member; -- <script>x</script>`,
    neverValid: false,
  },
  { label: '100 KB string', value: HUGE_STRING, neverValid: false },
];

/** Strings that are no id of anything. */
export const INVALID_IDS: { label: string; value: string }[] = [
  { label: 'empty id', value: '' },
  { label: 'one-character id', value: 'x' },
  { label: 'numeric id', value: '1' },
  { label: 'negative id', value: '-1' },
  { label: 'id with dots', value: '../../etc/passwd' },
  { label: 'id of 41 characters', value: 'k'.repeat(41) },
  { label: 'id with NUL', value: 'k3G7QAe51F\u0000' },
  { label: 'id with unicode', value: 'k3G7QAe51Fé😀' },
  { label: 'id of 8 KB', value: LONG_STRING },
];

/** Integers written other than in decimal: never a page number. */
export const NON_DECIMAL_INTEGERS = ['0x10', '1e1', '0b11', '0o7', 'Infinity'];

/** Other bad values for an integer parameter. */
export const BAD_INTEGERS = ['abc', '', '1.5', '-1', '0', '99999999999999999999999', 'true', '[]'];

/** JSON values of every type, to put where another type is expected. */
export const JSON_OF_EVERY_TYPE: { label: string; value: unknown }[] = [
  { label: 'a number', value: 12345 },
  { label: 'a float', value: 1.5 },
  { label: 'a huge number', value: 1e308 },
  { label: 'a boolean', value: true },
  { label: 'null', value: null },
  { label: 'an object', value: { nested: 'value' } },
  { label: 'an array', value: ['value'] },
  { label: 'a string', value: 'string' },
  { label: 'a numeric string', value: '12' },
  { label: 'a hex string', value: '0x10' },
];

export const OVERSIZED_LIST_LENGTH = 10_000;

/** Authorization values that identify nobody. */
export const GARBAGE_AUTHORIZATION: { label: string; value: string | null }[] = [
  { label: 'none', value: null },
  { label: 'bare "Bearer"', value: 'Bearer' },
  { label: 'garbage bearer', value: 'Bearer garbage' },
  { label: 'three dots', value: 'Bearer a.b.c' },
  { label: 'basic credentials', value: 'Basic dXNlcjpwYXNzd29yZA==' },
  { label: 'bearer of 8 KB', value: `Bearer ${'x'.repeat(8 * 1024)}` },
];
