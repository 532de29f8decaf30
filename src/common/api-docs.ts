/**
 * The OpenAPI documentation decorators the routes use. They record the same metadata, under the
 * same keys and in the same shape, as `@nestjs/swagger`'s decorators of the same names, which
 * its document scanner reads; that package (with es-toolkit, about a sixth of the modules a
 * start would load) is loaded only when /docs or /docs-json is first requested
 * (`openapi-docs.ts`).
 */

const KEY = {
  operation: 'swagger/apiOperation',
  response: 'swagger/apiResponse',
  produces: 'swagger/apiProduces',
  consumes: 'swagger/apiConsumes',
  tags: 'swagger/apiUseTags',
  parameters: 'swagger/apiParameters',
  security: 'swagger/apiSecurity',
  excludeController: 'swagger/apiExcludeController',
} as const;

type Decorator = MethodDecorator & ClassDecorator;

/** The entries of `value` that are not undefined, in their order. */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}

/** Appends `values` to the list under `key`, on the method when decorating one, else the class. */
function appendTo(key: string, values: unknown[]): Decorator {
  return ((target: object, _method?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = (descriptor ? descriptor.value : target) as object;
    const previous = (Reflect.getMetadata(key, holder) as unknown[] | undefined) ?? [];
    Reflect.defineMetadata(key, [...previous, ...values], holder);
    return descriptor ?? target;
  }) as Decorator;
}

/** Merges `value` into the method's object under `key`. */
function mergeOnMethod(key: string, value: object): MethodDecorator {
  return (_target, _method, descriptor) => {
    const previous = Reflect.getMetadata(key, descriptor.value as object) as object | undefined;
    Reflect.defineMetadata(key, { ...previous, ...value }, descriptor.value as object);
    return descriptor;
  };
}

/**
 * A JSON schema, or what makes it: built the first time the document reads it (converting
 * the routes' zod schemas took about 70 ms of every start, for a document most processes never
 * build).
 */
export type SchemaSource = object | (() => object);

/** One more OpenAPI parameter (or the body) of the method: `defaults` overridden by `options`. */
function parameter(
  defaults: object,
  { schema, ...options }: { schema?: SchemaSource; [option: string]: unknown },
): MethodDecorator {
  const entry: Record<string, unknown> = { ...defaults, ...defined(options) };
  if (typeof schema === 'function') {
    const make = schema as () => object;
    let built: object | undefined;
    Object.defineProperty(entry, 'schema', {
      enumerable: true,
      configurable: true,
      get: () => (built ??= make()),
    });
  } else if (schema !== undefined) entry.schema = schema;
  return (_target, _method, descriptor) => {
    const holder = descriptor.value as object;
    const previous = (Reflect.getMetadata(KEY.parameters, holder) as unknown[] | undefined) ?? [];
    Reflect.defineMetadata(KEY.parameters, [...previous, entry], holder);
    return descriptor;
  };
}

export interface ApiOperationOptions {
  summary?: string;
  description?: string;
}

export function ApiOperation(options: ApiOperationOptions): MethodDecorator {
  return mergeOnMethod(KEY.operation, defined({ summary: '', ...options }));
}

export function ApiTags(...tags: string[]): Decorator {
  return appendTo(KEY.tags, tags);
}

export function ApiConsumes(...mimeTypes: string[]): Decorator {
  return appendTo(KEY.consumes, mimeTypes);
}

export function ApiProduces(...mimeTypes: string[]): Decorator {
  return appendTo(KEY.produces, mimeTypes);
}

/** The bearer token security requirement (the document's `bearer` scheme). */
export function ApiBearerAuth(): Decorator {
  return appendTo(KEY.security, [{ bearer: [] }]);
}

/** Leaves the controller's routes out of the document. */
export function ApiExcludeController(): ClassDecorator {
  return (target) => {
    const previous =
      (Reflect.getMetadata(KEY.excludeController, target) as unknown[] | undefined) ?? [];
    Reflect.defineMetadata(KEY.excludeController, [...previous, true], target);
    return target;
  };
}

/** The description of the 200 response. */
export function ApiOkResponse(options: { description: string }): MethodDecorator {
  return (_target, _method, descriptor) => {
    const holder = descriptor.value as object;
    const responses = Reflect.getMetadata(KEY.response, holder) as object | undefined;
    const entry = { description: options.description, type: undefined, isArray: undefined };
    Reflect.defineMetadata(KEY.response, { ...responses, 200: entry }, holder);
    return descriptor;
  };
}

/** The request body, described by a JSON schema. */
export function ApiBody(options: { schema: SchemaSource; required?: boolean }): MethodDecorator {
  return parameter({ type: String, required: true }, { in: 'body', ...options });
}

/** A query parameter, described by a JSON schema. */
export function ApiQuery(options: { name: string; required?: boolean; schema: SchemaSource }) {
  return parameter({ name: '', required: true }, { in: 'query', ...options });
}

/** A path parameter. */
export function ApiParam(options: {
  name: string;
  type: StringConstructor;
  description: string;
}): MethodDecorator {
  return parameter({ name: '', required: true }, { in: 'path', ...options });
}

const whenDocumented: Array<() => void> = [];

/**
 * Documentation that a library writes with `@nestjs/swagger` itself (it loads the package when
 * it decorates): applied to the method when the document is first built.
 */
export function WhenDocumented(decorator: () => MethodDecorator): MethodDecorator {
  return (target, method, descriptor) => {
    whenDocumented.push(() => decorator()(target, method, descriptor));
    return descriptor;
  };
}

/** Applies the documentation left for when `@nestjs/swagger` is loaded (once). */
export function applyDeferredDocs(): void {
  for (const apply of whenDocumented.splice(0)) apply();
}
