import { z } from 'zod';

/**
 * Building blocks every request schema uses, for REST and gRPC alike, so that what a text,
 * a list or a number may hold is decided once.
 */

/** C0 controls, DEL and C1 controls. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, with tab, line feed and carriage return allowed (multi-line text). */
const CONTROL_CHARACTERS_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** A surrogate not paired with its other half: it has no UTF-8 form. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** False when a stored value could not be shown or compared faithfully. */
function isCleanText(value: string, multiline: boolean): boolean {
  const controls = multiline ? CONTROL_CHARACTERS_BUT_LINE_BREAKS : CONTROL_CHARACTERS;
  return !controls.test(value) && !LONE_SURROGATE.test(value);
}

export const CONTROL_CHARACTER_MESSAGE = 'must not contain control characters or lone surrogates';

/** Adds the clean-text rule to any string schema (plain, email, URL). */
export function cleanText<T extends z.ZodString | z.ZodStringFormat>(
  schema: T,
  options: { multiline?: boolean } = {},
): T {
  const multiline = options.multiline ?? false;
  return schema.refine((value) => isCleanText(value, multiline), {
    message: multiline
      ? 'must not contain control characters other than tab and line breaks, or lone surrogates'
      : CONTROL_CHARACTER_MESSAGE,
    abort: true,
  }) as T;
}

export interface TextOptions {
  max: number;
  /** Names and titles: trimmed, and blank is "required". */
  required?: boolean;
  /** Descriptions and comments may hold tab and line breaks. */
  multiline?: boolean;
}

/**
 * A free-text field: no control characters (line breaks only where allowed), well-formed. A
 * required one is trimmed before it is checked, so the line break a text box adds when Enter
 * submits it (as the web client's task box does) is dropped, not refused.
 */
export function text(options: TextOptions): z.ZodString {
  if (!options.required) return cleanText(z.string(), options).max(options.max);
  return cleanText(z.string().trim(), options).min(1, 'required').max(options.max);
}

/**
 * A list with at most `max` items. zod checks an array's length before it parses a single
 * item (a unit test holds it to that), so an oversized list costs no per-item work.
 */
export function boundedList<T extends z.ZodType>(item: T, max: number, min = 0) {
  return z.array(item).min(min, `at least ${min} items`).max(max, `at most ${max} items`);
}

const DECIMAL = /^[0-9]{1,15}$/;

/**
 * A whole number from a query string (decimal digits only: no `0x10`, `1e3`, ` 16` or "")
 * or from a message field (a number).
 */
export function decimalInt(options: { min: number; max: number }) {
  const bounded = z.number().int().min(options.min).max(options.max);
  return z
    .union([bounded, z.string().regex(DECIMAL, 'must be a decimal integer')])
    .transform(Number)
    .pipe(bounded);
}
