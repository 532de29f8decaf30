import { statusOfEnvelopeCode } from '../web-client';
import { isIdName, isListOfIds } from './id-kinds';
import {
  BAD_INTEGERS,
  HUGE_STRING,
  INVALID_IDS,
  LONG_STRING,
  MALFORMED_TEXT,
  NON_DECIMAL_INTEGERS,
  OVERSIZED_LIST_LENGTH,
} from './malformed-values';
import { excerpt, type Outcome, type OutcomeKind } from './outcome';
import type { Attack } from './route-adapter';

/**
 * Routes whose request is a urlencoded form and whose answer is the original web client's
 * envelope (HTTP 200 with `{code, msg, data}`): how the REST adapter attacks them and reads
 * their answers. Form fields are all text, so they are attacked as query parameters are.
 */

export const FORM = 'application/x-www-form-urlencoded';

export interface FormSchema {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: FormSchema[];
  contentMediaType?: string;
}

export interface FormAttack extends Attack {
  body?: string | Blob;
  contentType?: string;
}

const ECHOES = [HUGE_STRING.slice(0, 1024), LONG_STRING.slice(0, 1024)];
const NESTING_DEPTH = 10_000;

function typesOf(schema: FormSchema): string[] {
  if (schema.anyOf) return schema.anyOf.flatMap(typesOf);
  if (Array.isArray(schema.type)) return schema.type;
  return schema.type ? [schema.type] : [];
}

function choices(schema: FormSchema): unknown[] {
  return [...(schema.enum ?? []), ...(schema.anyOf ?? []).flatMap(choices)];
}

const isJson = (schema: FormSchema) =>
  schema.contentMediaType === 'application/json' ||
  (schema.anyOf ?? []).some((branch) => branch.contentMediaType === 'application/json');

/** A lone surrogate as the three bytes a lax encoder sends (encodeURIComponent throws on it). */
function encodeText(value: string): string {
  return value.replace(/\p{Surrogate}|\P{Surrogate}+/gu, (part) =>
    /^\p{Surrogate}$/u.test(part)
      ? [0xe0 | (part.charCodeAt(0) >> 12), 0x80 | ((part.charCodeAt(0) >> 6) & 0x3f)]
          .concat(0x80 | (part.charCodeAt(0) & 0x3f))
          .map((byte) => `%${byte.toString(16).toUpperCase()}`)
          .join('')
      : encodeURIComponent(part),
  );
}

/** A field's value as the client writes it: JSON text where the field holds JSON, else text. */
export function formValue(schema: FormSchema, value: unknown): string | string[] {
  if (isJson(schema)) return JSON.stringify(value);
  if (Array.isArray(value)) {
    return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** The form, encoded; each value already as the client writes it. */
export function encodeForm(form: Record<string, string | string[]>): string {
  return Object.entries(form)
    .flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value]).map(
        (item) => `${encodeText(key)}=${encodeText(item)}`,
      ),
    )
    .join('&');
}

/** Malformed values of every field of a form, around `base` (a plausible form). */
export function formFieldAttacks(
  properties: Record<string, FormSchema>,
  required: string[],
  base: Record<string, string | string[]>,
): FormAttack[] {
  const attacks: FormAttack[] = [];
  const withField = (name: string, value: string | string[]) =>
    encodeForm({ ...base, [name]: value });
  const add = (attack: FormAttack) => attacks.push({ ...attack, content: true });
  for (const [name, schema] of Object.entries(properties)) {
    const integer = typesOf(schema).includes('integer');
    const enumerated = choices(schema).length > 0 && !typesOf(schema).includes('string');
    const emptyAllowed = choices(schema).includes('') || !required.includes(name);
    if (integer) {
      for (const value of NON_DECIMAL_INTEGERS) {
        add({ label: `form ${name}=${value}`, body: withField(name, value), mustReject: true });
      }
      for (const value of BAD_INTEGERS) {
        add({
          label: `form ${name}=${value || '(empty)'}`,
          body: withField(name, value),
          mustReject: !/^-?\d*$/.test(value),
        });
      }
    }
    if (choices(schema).length > 0) {
      add({
        label: `form ${name}: not a choice`,
        body: withField(name, 'not-a-choice'),
        mustReject: enumerated,
      });
    }
    for (const { label, value, neverValid } of MALFORMED_TEXT) {
      add({
        label: `form ${name}: ${label}`,
        body: withField(name, value),
        mustReject: neverValid || enumerated || integer,
      });
    }
    if (isIdName(name) && !isJson(schema)) {
      for (const { label, value } of INVALID_IDS) {
        add({
          label: `form ${name}: ${label}`,
          body: withField(name, value),
          mustReject: !(value === '' && emptyAllowed),
        });
      }
    }
    if (isJson(schema)) {
      const item = isListOfIds(name) ? INVALID_IDS[2].value : 'item';
      for (const [label, value] of [
        ['not JSON', '[unclosed'],
        ['a JSON object', '{"a":1}'],
        ['items of the wrong type', '[1,{},null]'],
        [
          `${OVERSIZED_LIST_LENGTH.toLocaleString('en')} items`,
          JSON.stringify(Array.from({ length: OVERSIZED_LIST_LENGTH }, () => item)),
        ],
        [
          `nested ${NESTING_DEPTH.toLocaleString('en')} deep`,
          `${'['.repeat(NESTING_DEPTH)}${']'.repeat(NESTING_DEPTH)}`,
        ],
      ]) {
        add({ label: `form ${name}: ${label}`, body: withField(name, value), mustReject: true });
      }
    }
    add({
      label: `form ${name} twice`,
      body: `${withField(name, '1')}&${encodeForm({ [name]: '2' })}`,
    });
  }
  return attacks;
}

/** Whole bodies that are no form of the client's, or are forms it never sends. */
export function wholeFormAttacks(base: Record<string, string | string[]>, hasFields: boolean) {
  const plausible = encodeForm(base);
  const attacks: FormAttack[] = [];
  for (const [label, body] of [
    ['bad escape', `${plausible}&a=%zz`],
    ['truncated UTF-8 escape', `${plausible}&a=%E0%A4%A`],
    ['escaped lone surrogate', `${plausible}&a=%ED%A0%80`],
  ]) {
    attacks.push({ label: `form with a ${label}`, body, mustReject: true });
  }
  for (const [label, body] of [
    ['empty fields', `&&&${plausible}&&=&`],
    ['a field without "="', `${plausible}&lonely`],
    ['an extra field', `${plausible}&attackExtra=x`],
    ['a __proto__ field', `${plausible}&__proto__%5BattackPolluted%5D=1&__proto__=1`],
    [
      'a constructor.prototype field',
      `${plausible}&constructor%5Bprototype%5D%5BattackPolluted%5D=1`,
    ],
    [
      '10,000 unknown fields',
      `${plausible}&${Array.from({ length: OVERSIZED_LIST_LENGTH }, (_, i) => `key${i}=${i}`).join('&')}`,
    ],
  ]) {
    attacks.push({ label: `form with ${label}`, body });
  }
  const contentTypes: [string, string][] = [
    ['application/json', JSON.stringify(base)],
    ['text/plain', plausible],
    ['multipart/form-data; boundary=attack', '--attack\r\ngarbage'],
    ['application/xml', '<a>1</a>'],
    ['', plausible],
  ];
  for (const [contentType, body] of contentTypes) {
    attacks.push({
      label: `content type ${JSON.stringify(contentType)}`,
      contentType,
      body: contentType ? body : new Blob([body]),
      mustReject: hasFields,
    });
  }
  attacks.push({
    label: 'form over the size limit',
    body: encodeForm({ ...base, padding: HUGE_STRING.repeat(12) }),
    mustReject: true,
  });
  return attacks;
}

const KIND_BY_STATUS: Record<number, OutcomeKind> = {
  200: 'ok',
  400: 'invalid',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  503: 'unavailable',
};

/** What an envelope says: HTTP 200 always, the outcome in its code, a field named in its msg. */
export function envelopeOutcome(response: Response, text: string, elapsedMs: number): Outcome {
  const common = { status: `HTTP ${response.status}`, excerpt: excerpt(text), text, elapsedMs };
  if (response.status !== 200) {
    const kind = response.status >= 500 && response.status !== 503 ? 'fault' : 'rejected';
    return { kind, ...common, breach: `HTTP ${response.status}, not 200 with an envelope` };
  }
  let envelope: { code?: unknown; msg?: unknown; data?: unknown };
  try {
    envelope = JSON.parse(text) as typeof envelope;
  } catch {
    return { kind: 'fault', ...common, breach: 'the answer is not JSON' };
  }
  if (
    typeof envelope.code !== 'number' ||
    typeof envelope.msg !== 'string' ||
    !('data' in envelope) ||
    Object.keys(envelope).length !== 3
  ) {
    return { kind: 'fault', ...common, breach: 'the answer is not {code, msg, data}' };
  }
  const status = statusOfEnvelopeCode(envelope.code);
  const kind: OutcomeKind =
    status >= 500 && status !== 503 ? 'fault' : (KIND_BY_STATUS[status] ?? 'rejected');
  const at = { ...common, status: `code ${envelope.code}` };
  const field = status === 400 ? /^([^\s:]+): /.exec(envelope.msg)?.[1] : undefined;
  if (kind === 'ok' && envelope.msg !== '') {
    return { kind, ...at, breach: 'success with a message (the client pops it as a notice)' };
  }
  if (kind !== 'ok' && ECHOES.some((echo) => text.includes(echo))) {
    return { kind, field, ...at, breach: `an error of ${text.length} bytes echoes the input` };
  }
  return { kind, field, ...at };
}
