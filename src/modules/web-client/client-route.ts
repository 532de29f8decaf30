import { z } from 'zod';
import type { IdKind } from '@/common/id-codec';
import { Problem } from '@/common/problem';
import { publicId } from '@/common/public-id';
import { boundedList, decimalInt } from '@/common/schema-types';
import type { Envelope } from './envelope';
import type { WebClientCall } from './web-client-call';

/** How much of what the client expects a route does. */
export type RouteStatus = 'full' | 'partial' | 'empty';

/** Who may call a route, as every operation of the application declares it. */
export type RouteScope =
  | { notOrgScoped: string }
  /** The organization is the `organizationCode` header's (else the member's first). */
  | { orgPermission: string };

/**
 * One route of the original web client, declared once: the README's route table, the OpenAPI
 * document and the handler all come from this.
 */
export interface ClientRoute<Params extends z.ZodObject = z.ZodObject> {
  /** As the client calls it, without the leading slash: `project/task/save`. */
  path: string;
  /** What the client does with it (OpenAPI summary; "owner only" where it is). */
  summary: string;
  /** The service call(s) behind it, for the route table. */
  uses: string;
  status: RouteStatus;
  /** What is left out, for `partial` and `empty`. */
  note?: string;
  /** Reachable without a token (login, register, captcha, token renewal). */
  public?: boolean;
  scope: RouteScope;
  /**
   * The form fields it reads; unknown fields (`remember_me`, `clientid`, ...) are ignored.
   * An id field made with `subjectCode` names what the route acts on: one that does not
   * decode is "not found" (4041), as a REST path id; other bad fields are 400.
   */
  params: Params;
  /**
   * Fields the client sends under a name that does not say what they hold, by that name:
   * `{ id: 'accountCode' }` reads the client's `id` as `accountCode` when `accountCode` itself
   * is absent. The declared name is the one documented (OpenAPI, the README's table), so that
   * a reader of the document, and the attack suite, learn which kind of id the field holds.
   */
  aliases?: Record<string, string>;
  /**
   * For a route whose body is multipart/form-data (read by the handler as it arrives): its
   * fields before the `file` part, for the OpenAPI document.
   */
  multipart?: z.ZodObject;
  /**
   * A file the browser downloads by following a link (`<a href>`): served at GET, answering
   * the file itself (the handler returns a StreamableFile) and its errors as HTTP statuses,
   * not in the envelope. It takes the bearer header, or else the download-pass cookie that the
   * client's login and token renewal set (a link sends no header); no other route reads it.
   */
  download?: { produces: string };
  /**
   * The body a component other than the client's http wrapper reads (the description editor
   * wants `errno`), made from the envelope of a success; errors stay the plain envelope.
   */
  answer?: (envelope: Envelope) => unknown;
  /** Calls the services and maps their answer to what the client reads (the envelope's data). */
  handle(call: WebClientCall<z.output<Params>>): Promise<unknown>;
}

/** Declares a route (keeps the params' type for `handle`). */
export function clientRoute<Params extends z.ZodObject>(
  route: ClientRoute<Params>,
): ClientRoute<Params> {
  return route;
}

const SUBJECT = 'x-subject-id';

/** An opaque id (`*Code`) of `kind` in a form field. */
export function code(kind: IdKind) {
  return publicId(kind);
}

/** The id of what the route acts on: one that does not decode is "not found". */
export function subjectCode(kind: IdKind) {
  return publicId(kind).meta({ [SUBJECT]: kind });
}

/**
 * The subject of a route that may name it another way instead (`project/task/save` names a
 * parent task instead of a project): absent is fine, present and not decoding is "not found".
 */
export function optionalSubjectCode(kind: IdKind) {
  return optionalCode(kind).meta({ [SUBJECT]: kind });
}

/** The form with each aliased field under its declared name (see ClientRoute.aliases). */
export function withDeclaredNames(
  route: Pick<ClientRoute, 'aliases'>,
  form: Record<string, unknown>,
): Record<string, unknown> {
  if (!route.aliases) return form;
  const named = { ...form };
  for (const [sent, declared] of Object.entries(route.aliases)) {
    if (!(sent in named)) continue;
    if (!(declared in named)) named[declared] = named[sent];
    delete named[sent];
  }
  return named;
}

/**
 * The subject fields of a route's params and their kinds: usually one; a route that acts on
 * one thing or another (a task's children, or a project's recycle bin) has one for each.
 */
export function subjectsOf(params: z.ZodObject): { field: string; kind: IdKind }[] {
  const subjects: { field: string; kind: IdKind }[] = [];
  for (const [field, schema] of Object.entries(params.shape)) {
    const meta: Record<string, unknown> | undefined = z.globalRegistry.get(schema as z.ZodType);
    const kind = meta?.[SUBJECT];
    if (typeof kind === 'string') subjects.push({ field, kind: kind as IdKind });
  }
  return subjects;
}

/** An optional id where the client sends '' (or '0') for none. */
export function optionalCode(kind: IdKind) {
  return z
    .union([z.enum(['', '0']).transform(() => undefined), publicId(kind)])
    .optional()
    .transform((value) => value ?? undefined);
}

/** A 0/1 flag as the client sends it (`'0'`, `'1'`, `'true'`, `'false'`). */
export const flag = z
  .enum(['0', '1', 'true', 'false'])
  .transform((value) => value === '1' || value === 'true');

/** A whole number in a form field. */
export function formInt(options: { min: number; max: number }) {
  return decimalInt(options);
}

/** page/pageSize as the client sends them (it asks for up to 300 members at once). */
export const formPage = {
  page: formInt({ min: 1, max: 100_000 }).default(1),
  pageSize: formInt({ min: 1, max: 100 })
    .or(formInt({ min: 101, max: 1000 }).transform(() => 100))
    .default(20),
};

/**
 * A list in a form field as JSON text (`mentions='["..."]'`), each item checked by `item`.
 * With `lone`, a single JSON string counts as a list of one (`"abc"` as `["abc"]`).
 */
export function jsonList<T extends z.ZodType>(
  item: T,
  max: number,
  options: { lone?: boolean } = {},
) {
  return z
    .string()
    .max(max * 64 + 2)
    .meta({ contentMediaType: 'application/json' })
    .transform((text, context) => {
      try {
        const value = JSON.parse(text === '' ? '[]' : text) as unknown;
        return options.lone && typeof value === 'string' ? [value] : value;
      } catch {
        context.addIssue({ code: 'custom', message: 'must be a JSON list' });
        return z.NEVER;
      }
    })
    .pipe(boundedList(item, max));
}

/** For a lookup that may find nothing visible any more: null then; other errors propagate. */
export function onlyNotFound(error: unknown): null {
  if (error instanceof Problem && error.status === 404) return null;
  throw error;
}
