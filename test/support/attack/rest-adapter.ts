import type { TestApp } from '../app';
import { enumerateRoutes } from '../routes';
import { isIdName, isListOfIds, kindOfId } from './id-kinds';
import {
  BAD_INTEGERS,
  GARBAGE_AUTHORIZATION,
  HUGE_STRING,
  INVALID_IDS,
  LONG_STRING,
  JSON_OF_EVERY_TYPE,
  MALFORMED_TEXT,
  NON_DECIMAL_INTEGERS,
  OVERSIZED_LIST_LENGTH,
} from './malformed-values';
import {
  FORM,
  encodeForm,
  envelopeOutcome,
  formFieldAttacks,
  formValue,
  wholeFormAttacks,
  type FormSchema,
} from './form-routes';
import { excerpt, type Outcome, type OutcomeKind } from './outcome';
import type { Attack, AttackRoute, Credential, IdSlot, Plan, RouteAdapter } from './route-adapter';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  minLength?: number;
  minimum?: number;
  anyOf?: JsonSchema[];
  additionalProperties?: boolean;
  examples?: unknown[];
  contentMediaType?: string;
  /** The id of what the route acts on, in a form field (the web client's routes). */
  'x-subject-id'?: string;
}

interface Parameter {
  name: string;
  in: string;
  schema?: JsonSchema;
}

interface Operation {
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface RestRoute extends AttackRoute {
  method: string;
  /** OpenAPI template: `/api/v1/projects/{id}`. */
  path: string;
  parameters: Parameter[];
  body?: JsonSchema;
  /** The body is a urlencoded form (else JSON). */
  form: boolean;
  /** Answers HTTP 200 with `{code, msg, data}`, errors included. */
  enveloped: boolean;
}

/** A concrete HTTP request; path values and the query are already URL-encoded. */
export interface RestAttack extends Attack {
  pathValues: Record<string, string>;
  query?: string;
  body?: string | Blob;
  contentType?: string;
}

const TIMEOUT_MS = 15_000;
/** A run of a huge input's characters: a problem that contains it echoes the input. */
const ECHOES = [HUGE_STRING.slice(0, 1024), LONG_STRING.slice(0, 1024)];
const MAX_FIELDS_ATTACKED = 20;
const NESTING_DEPTH = 10_000;

const KIND_BY_STATUS: Record<number, OutcomeKind> = {
  400: 'invalid',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  413: 'invalid',
  414: 'invalid',
  415: 'invalid',
  422: 'invalid',
  431: 'invalid',
};

function typesOf(schema: JsonSchema): string[] {
  if (schema.anyOf) return schema.anyOf.flatMap(typesOf);
  if (Array.isArray(schema.type)) return schema.type;
  return schema.type ? [schema.type] : [];
}

function hasType(schema: JsonSchema, value: unknown): boolean {
  const types = typesOf(schema);
  if (types.length === 0) return true;
  return types.some((type) => {
    switch (type) {
      case 'integer':
        return Number.isInteger(value);
      case 'number':
        return typeof value === 'number';
      case 'array':
        return Array.isArray(value);
      case 'object':
        return !!value && typeof value === 'object' && !Array.isArray(value);
      case 'null':
        return value === null;
      default:
        return typeof value === type;
    }
  });
}

function nonNull(schema: JsonSchema): JsonSchema {
  return schema.anyOf?.find((branch) => branch.type !== 'null') ?? schema;
}

/** A lone surrogate as the three bytes a lax encoder sends (encodeURIComponent throws on it). */
function encodeSurrogate(unit: number): string {
  return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
    .map((byte) => `%${byte.toString(16).toUpperCase()}`)
    .join('');
}

function encode(value: string): string {
  return value.replace(/\p{Surrogate}|\P{Surrogate}+/gu, (part) =>
    /^\p{Surrogate}$/u.test(part) ? encodeSurrogate(part.charCodeAt(0)) : encodeURIComponent(part),
  );
}

function nested(depth: number, open: string, close: string, inner = 'null'): string {
  return `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
}

/** Routes described by the app's OpenAPI document, answering with RFC 9457 problem details. */
export class RestAdapter implements RouteAdapter<RestRoute, RestAttack> {
  readonly label = 'REST';

  constructor(private readonly app: TestApp) {}

  async routes(): Promise<RestRoute[]> {
    const response = await fetch(`${this.app.baseUrl}/docs-json`);
    if (!response.ok) throw new Error(`GET /docs-json: ${response.status}`);
    const document = (await response.json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const table = new Map(
      enumerateRoutes(this.app)
        .filter((route) => route.kind === 'http')
        .map((route) => [`${route.method} ${route.path}`, route]),
    );
    const routes: RestRoute[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const upper = method.toUpperCase();
        const nestPath = path.replace(/\{(\w+)\}/g, ':$1');
        const known = table.get(`${upper} ${nestPath}`);
        if (!known) throw new Error(`${upper} ${path} is documented but not in the route table`);
        table.delete(`${upper} ${nestPath}`);
        const parameters = operation.parameters ?? [];
        const content = operation.requestBody?.content ?? {};
        const form = !!content[FORM];
        const body = content['application/json']?.schema ?? content[FORM]?.schema;
        routes.push({
          name: `REST ${upper} ${path}`,
          method: upper,
          path,
          parameters,
          body,
          form,
          enveloped: known.enveloped === true,
          isPublic: known.isPublic,
          ownerOnly: /owner only/i.test(`${operation.summary} ${operation.description}`),
          readOnly: upper === 'GET',
          idSlots: this.idSlots(path, parameters, body),
          tokenFields: Object.keys(body?.properties ?? {}).filter((name) => /token$/i.test(name)),
        });
      }
    }
    // Routes left out of the document (metrics) still get what needs no schema.
    for (const route of table.values()) {
      const path = route.path!.replace(/:(\w+)/g, '{$1}');
      const parameters = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path' }));
      routes.push({
        name: `REST ${route.method} ${path} (undocumented)`,
        method: route.method!,
        path,
        parameters,
        form: false,
        enveloped: route.enveloped === true,
        isPublic: route.isPublic,
        ownerOnly: false,
        readOnly: route.method === 'GET',
        idSlots: this.idSlots(path, parameters),
        tokenFields: [],
      });
    }
    return routes;
  }

  private idSlots(path: string, parameters: Parameter[], body?: JsonSchema): IdSlot[] {
    const segments = path.split('/');
    const slots: IdSlot[] = [];
    for (const parameter of parameters) {
      if (!isIdName(parameter.name)) continue;
      const at = segments.indexOf(`{${parameter.name}}`);
      const context = at > 0 ? [segments[at - 1]] : [];
      slots.push({
        name: parameter.name,
        kind: kindOfId(parameter.name, context),
        list: isListOfIds(parameter.name),
        target: parameter.in === 'path',
      });
    }
    // A bare `id` in a body takes its kind from the path, nearest segment first.
    const pathWords = segments.filter((segment) => segment && !segment.startsWith('{')).reverse();
    for (const [name, property] of Object.entries(body?.properties ?? {})) {
      if (!isIdName(name)) continue;
      slots.push({
        name,
        kind: kindOfId(name, pathWords),
        list: isListOfIds(name),
        target: property['x-subject-id'] !== undefined,
      });
    }
    return slots;
  }

  private idValue(route: RestRoute, name: string, plan: Plan): string | string[] {
    const given = plan.ids?.[name];
    if (given !== undefined) return given;
    const slot = route.idSlots.find((candidate) => candidate.name === name);
    if (!slot?.kind) return 'unmapped-id';
    return slot.list ? plan.resources.all(slot.kind) : plan.resources.one(slot.kind);
  }

  private plausible(
    route: RestRoute,
    schema: JsonSchema,
    name: string,
    plan: Plan,
    depth = 0,
  ): unknown {
    if (isIdName(name)) return this.idValue(route, name, plan);
    const own = nonNull(schema);
    const examples = schema.examples ?? own.examples;
    if (examples?.length) return examples[0];
    if (own.enum) return own.enum[0];
    const [type] = typesOf(own);
    switch (type) {
      case 'integer':
      case 'number':
        return own.minimum ?? 1;
      case 'boolean':
        return true;
      case 'array':
        return own.items ? [this.plausible(route, own.items, '', plan, depth + 1)] : [];
      case 'object': {
        if (depth > 4) return {};
        const object: Record<string, unknown> = {};
        for (const [key, property] of Object.entries(own.properties ?? {})) {
          object[key] = this.plausible(route, property, key, plan, depth + 1);
        }
        return object;
      }
      default:
        if (own.format === 'date-time') return new Date().toISOString();
        if (own.format === 'uri') return 'https://example.test/picture.png';
        if (own.format === 'email') return 'attack@example.test';
        return 'Attack sample'.padEnd(own.minLength ?? 0, 'x');
    }
  }

  private baseBody(route: RestRoute, plan: Plan): Record<string, unknown> | undefined {
    if (!route.body) return undefined;
    const body = this.plausible(route, route.body, '', plan) as Record<string, unknown>;
    return { ...body, ...plan.fields };
  }

  private pathValues(route: RestRoute, plan: Plan): Record<string, string> {
    const values: Record<string, string> = {};
    for (const parameter of route.parameters.filter((entry) => entry.in === 'path')) {
      values[parameter.name] = encode(String(this.idValue(route, parameter.name, plan)));
    }
    return values;
  }

  /** The plausible body of a form route, each value as the client writes it. */
  private baseForm(route: RestRoute, plan: Plan): Record<string, string | string[]> {
    const properties = route.body?.properties ?? {};
    return Object.fromEntries(
      Object.entries(this.baseBody(route, plan) ?? {}).map(([name, value]) => [
        name,
        formValue((properties[name] ?? {}) as FormSchema, value),
      ]),
    );
  }

  call(route: RestRoute, plan: Plan, credential: Credential): Promise<Outcome> {
    if (route.form) {
      return this.send(
        route,
        {
          label: 'plausible request',
          pathValues: this.pathValues(route, plan),
          body: encodeForm(this.baseForm(route, plan)),
        },
        credential,
      );
    }
    const body = this.baseBody(route, plan);
    return this.send(
      route,
      {
        label: 'plausible request',
        pathValues: this.pathValues(route, plan),
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      credential,
    );
  }

  attacks(route: RestRoute, plan: Plan): RestAttack[] {
    const pathValues = this.pathValues(route, plan);
    const base = this.baseBody(route, plan);
    const baseJson = base === undefined ? undefined : JSON.stringify(base);
    const attacks: RestAttack[] = [];
    const add = (
      attack: Omit<RestAttack, 'pathValues'> & { pathValues?: Record<string, string> },
    ) => attacks.push({ pathValues, body: baseJson, ...attack });

    for (const parameter of route.parameters.filter((entry) => entry.in === 'path')) {
      const isId = isIdName(parameter.name);
      const raw = [
        ...INVALID_IDS.map(({ label, value }) => ({ label, value: encode(value) })),
        ...MALFORMED_TEXT.map(({ label, value }) => ({ label, value: encode(value) })),
        { label: 'bad URL escape', value: '%zz' },
        { label: 'truncated UTF-8 escape', value: '%E0%A4%A' },
        { label: 'encoded slash and dots', value: '%2e%2e%2f%2e%2e%2fadmin' },
      ];
      for (const { label, value } of raw) {
        add({
          label: `path ${parameter.name}: ${label}`,
          pathValues: { ...pathValues, [parameter.name]: value || '%20' },
          mustReject: isId,
        });
      }
    }

    // Values the handler reads: behind the token check.
    const content = (attack: Omit<RestAttack, 'pathValues'>) => add({ ...attack, content: true });
    for (const parameter of route.parameters.filter((entry) => entry.in === 'query')) {
      const schema = nonNull(parameter.schema ?? {});
      const query = (value: string) => `${parameter.name}=${encode(value)}`;
      if (typesOf(schema).includes('integer')) {
        for (const value of NON_DECIMAL_INTEGERS) {
          content({
            label: `query ${parameter.name}=${value}`,
            query: query(value),
            mustReject: true,
          });
        }
        for (const value of BAD_INTEGERS) {
          content({
            label: `query ${parameter.name}=${value}`,
            query: query(value),
            mustReject: !/^-?\d*$/.test(value),
          });
        }
      }
      if (schema.enum) {
        content({
          label: `query ${parameter.name}: not a choice`,
          query: query('not-a-choice'),
          mustReject: true,
        });
      }
      for (const { label, value, neverValid } of MALFORMED_TEXT) {
        content({
          label: `query ${parameter.name}: ${label}`,
          query: query(value),
          mustReject: neverValid || !!schema.enum || typesOf(schema).includes('integer'),
        });
      }
      content({
        label: `query ${parameter.name} twice`,
        query: `${query('1')}&${query('2')}`,
      });
    }
    content({ label: 'unknown query parameter', query: 'attackExtra=1' });
    content({ label: 'query __proto__ key', query: '__proto__%5BattackPolluted%5D=1' });
    content({
      label: 'query constructor key',
      query: 'constructor%5Bprototype%5D%5BattackPolluted%5D=1',
    });

    for (const { label, value } of GARBAGE_AUTHORIZATION) {
      add({
        label: `authorization: ${label}`,
        authorization: value,
        expect: route.isPublic ? undefined : 'unauthenticated',
      });
    }
    if (route.form) {
      const form = this.baseForm(route, plan);
      const properties = (route.body?.properties ?? {}) as Record<string, FormSchema>;
      for (const attack of formFieldAttacks(properties, route.body?.required ?? [], form)) {
        add(attack);
      }
      for (const attack of wholeFormAttacks(form, (route.body?.required ?? []).length > 0)) {
        add(attack);
      }
      return attacks;
    }
    if (route.body && base) this.bodyAttacks(route, route.body, base, content);
    if (route.method !== 'GET' && route.method !== 'HEAD') this.wholeBodyAttacks(route, add);
    return attacks;
  }

  private bodyAttacks(
    route: RestRoute,
    schema: JsonSchema,
    base: Record<string, unknown>,
    add: (attack: Omit<RestAttack, 'pathValues'>) => void,
  ): void {
    const strict = schema.additionalProperties === false;
    const withField = (name: string, value: unknown) => JSON.stringify({ ...base, [name]: value });
    /** The body with `raw` JSON text as the value of `name`, first. */
    const withRaw = (name: string, raw: string) => {
      const others = Object.fromEntries(Object.entries(base).filter(([key]) => key !== name));
      const tail = JSON.stringify(others).slice(1);
      return `{${JSON.stringify(name)}:${raw}${tail === '}' ? '}' : `,${tail}`}`;
    };
    const properties = Object.entries(schema.properties ?? {}).slice(0, MAX_FIELDS_ATTACKED);
    for (const [name, property] of properties) {
      for (const { label, value } of JSON_OF_EVERY_TYPE) {
        add({
          label: `body ${name}: ${label}`,
          body: withField(name, value),
          mustReject: !hasType(property, value),
        });
      }
      const own = nonNull(property);
      if (typesOf(own).includes('string')) {
        for (const { label, value, neverValid } of MALFORMED_TEXT) {
          add({
            label: `body ${name}: ${label}`,
            body: withField(name, value),
            mustReject: neverValid,
          });
        }
      }
      if (isIdName(name)) {
        for (const { label, value } of INVALID_IDS) {
          const invalid = isListOfIds(name) ? [value] : value;
          add({
            label: `body ${name}: ${label}`,
            body: withField(name, invalid),
            mustReject: true,
          });
        }
      }
      if (typesOf(own).includes('array')) {
        const item = Array.isArray(base[name]) ? (base[name] as unknown[])[0] : 'item';
        add({
          label: `body ${name}: ${OVERSIZED_LIST_LENGTH.toLocaleString('en')} items`,
          body: withField(
            name,
            Array.from({ length: OVERSIZED_LIST_LENGTH }, () => item),
          ),
          mustReject: true,
        });
        add({
          label: `body ${name}: items of the wrong type`,
          body: withField(name, [1, {}, null]),
          mustReject: true,
        });
      }
      add({
        label: `body ${name}: nested ${NESTING_DEPTH.toLocaleString('en')} deep`,
        body: withRaw(name, nested(NESTING_DEPTH, '[', ']')),
        mustReject: true,
      });
    }
    add({
      label: 'body with an extra field',
      body: withField('attackExtra', 'x'),
      mustReject: strict,
    });
    add({
      label: 'body with a __proto__ key',
      body: withRaw('__proto__', '{"attackPolluted":true}'),
      mustReject: strict,
    });
    add({
      label: 'body with a constructor.prototype key',
      body: withRaw('constructor', '{"prototype":{"attackPolluted":true}}'),
      mustReject: strict,
    });
    const manyKeys = Object.fromEntries(
      Array.from({ length: OVERSIZED_LIST_LENGTH }, (_, index) => [`key${index}`, index]),
    );
    add({
      label: 'body with 10,000 unknown keys',
      body: JSON.stringify({ ...base, ...manyKeys }),
      mustReject: strict,
    });
  }

  private wholeBodyAttacks(
    route: RestRoute,
    add: (attack: Omit<RestAttack, 'pathValues'>) => void,
  ) {
    const hasBody = !!route.body;
    const invalidJson = ['{', '{"a":', '{"a":1,}', "{'a':1}", 'nul', '\u0000', ' '];
    for (const body of invalidJson) {
      add({ label: `invalid JSON ${JSON.stringify(body)}`, body, mustReject: hasBody });
    }
    for (const body of ['[]', '"text"', '12', 'null', 'true']) {
      add({ label: `JSON body ${body}`, body, mustReject: hasBody });
    }
    const contentTypes: [string, string][] = [
      ['text/plain', '{"a":1}'],
      ['application/x-www-form-urlencoded', 'name=attack&id=1'],
      ['multipart/form-data; boundary=attack', '--attack\r\ngarbage'],
      ['application/xml', '<a>1</a>'],
      ['application/json; charset=utf-16', '{"a":1}'],
      ['application/problem+json', '{"a":1}'],
      ['', '{"a":1}'],
    ];
    for (const [contentType, body] of contentTypes) {
      add({
        label: `content type ${JSON.stringify(contentType)}`,
        contentType,
        // A Blob without a type goes out with no content type at all.
        body: contentType ? body : new Blob([body]),
        mustReject: hasBody,
      });
    }
    add({
      label: `array nested ${NESTING_DEPTH.toLocaleString('en')} deep`,
      body: nested(NESTING_DEPTH, '[', ']'),
      mustReject: hasBody,
    });
    add({
      label: `object nested ${NESTING_DEPTH.toLocaleString('en')} deep`,
      body: nested(NESTING_DEPTH, '{"a":', '}'),
      mustReject: hasBody,
    });
    add({
      label: 'body over the size limit',
      body: JSON.stringify({ padding: HUGE_STRING.repeat(12) }),
      mustReject: true,
    });
  }

  async send(route: RestRoute, attack: RestAttack, credential: Credential): Promise<Outcome> {
    const path = route.path.replace(
      /\{(\w+)\}/g,
      (_, name: string) => attack.pathValues[name] ?? 'x',
    );
    const url = `${this.app.baseUrl}${path}${attack.query ? `?${attack.query}` : ''}`;
    const headers: Record<string, string> = {};
    const authorization =
      attack.authorization === undefined ? credential.authorization : attack.authorization;
    if (authorization !== undefined && authorization !== null)
      headers.authorization = authorization;
    if (attack.contentType !== undefined) {
      if (attack.contentType) headers['content-type'] = attack.contentType;
    } else if (typeof attack.body === 'string') {
      headers['content-type'] = route.form ? FORM : 'application/json';
    }
    const sendsBody =
      attack.body !== undefined && route.method !== 'GET' && route.method !== 'HEAD';
    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: route.method,
        headers,
        body: sendsBody ? attack.body : undefined,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      text = await response.text();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      return {
        kind: 'fault',
        status: `no answer (${cause})`,
        excerpt: '',
        text: '',
        elapsedMs: performance.now() - started,
      };
    }
    if (route.enveloped) return envelopeOutcome(response, text, performance.now() - started);
    return this.outcome(response, text, performance.now() - started);
  }

  private outcome(response: Response, text: string, elapsedMs: number): Outcome {
    const status = response.status;
    const common = { status: String(status), excerpt: excerpt(text), text, elapsedMs };
    if (status >= 500 && status !== 503) return { kind: 'fault', ...common };
    if (status < 400) return { kind: 'ok', ...common };
    const kind = status === 503 ? 'unavailable' : (KIND_BY_STATUS[status] ?? 'rejected');
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.startsWith('application/problem+json')) {
      return {
        kind,
        ...common,
        breach: `content type ${JSON.stringify(contentType)}, not application/problem+json`,
      };
    }
    let problem: { status?: unknown; title?: unknown; errors?: { field?: string }[] };
    try {
      problem = JSON.parse(text) as typeof problem;
    } catch {
      return { kind, ...common, breach: 'problem body is not JSON' };
    }
    const field = problem.errors?.[0]?.field;
    if (problem.status !== status) {
      return {
        kind,
        field,
        ...common,
        breach: `problem status ${String(problem.status)} ≠ ${status}`,
      };
    }
    if (typeof problem.title !== 'string')
      return { kind, field, ...common, breach: 'problem has no title' };
    if (ECHOES.some((echo) => text.includes(echo))) {
      return {
        kind,
        field,
        ...common,
        breach: `problem body of ${text.length} bytes echoes the input`,
      };
    }
    return { kind, field, ...common };
  }

  close(): void {}
}
