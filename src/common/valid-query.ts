import { Query } from '@nestjs/common';
import { ApiQuery } from './api-docs';
import { applyDecorators } from '@nestjs/common';
import { z } from 'zod';
import { text, type TextOptions } from './schema-types';
import { ZodValidationPipe } from './zod-validation';

const ESCAPE = /%[0-9A-Fa-f]{2}/;

function undecodable(value: string): boolean {
  if (!ESCAPE.test(value)) return false;
  try {
    decodeURIComponent(value);
    return false;
  } catch {
    return true;
  }
}

/**
 * Free text from a query string. The query parser keeps an escape that is no UTF-8 (a lone
 * surrogate, `%ED%A0%80`) as its raw escapes: such a value is refused, not searched for.
 */
export function queryText(options: TextOptions): z.ZodString {
  return text(options).refine((value) => !undecodable(value), {
    message: 'is not valid UTF-8',
  });
}

/** The validated query string; a bad value is a 400 naming the parameter. */
export function ValidQuery<T extends z.ZodType>(schema: T): ParameterDecorator {
  return Query(new ZodValidationPipe(schema));
}

/** Documents each parameter of a zod object schema as an OpenAPI query parameter. */
export function ApiZodQuery(schema: z.ZodObject): MethodDecorator {
  let json: { properties?: Record<string, object> } | undefined;
  const properties = () =>
    (json ??= z.toJSONSchema(schema, { io: 'input' }) as NonNullable<typeof json>).properties ?? {};
  return applyDecorators(
    ...Object.keys(schema.shape).map((name) =>
      ApiQuery({ name, required: false, schema: () => properties()[name] }),
    ),
  );
}
