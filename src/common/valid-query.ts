import { Query } from '@nestjs/common';
import { ApiQuery } from './api-docs';
import { applyDecorators } from '@nestjs/common';
import { z } from 'zod';
import { ZodValidationPipe } from './zod-validation';

/** The validated query string; a bad value is a 400 naming the parameter. */
export function ValidQuery<T extends z.ZodType>(schema: T): ParameterDecorator {
  return Query(new ZodValidationPipe(schema));
}

/** Documents each parameter of a zod object schema as an OpenAPI query parameter. */
export function ApiZodQuery(schema: z.ZodObject): MethodDecorator {
  const json = z.toJSONSchema(schema, { io: 'input' }) as {
    properties?: Record<string, object>;
  };
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) =>
      ApiQuery({ name, required: false, schema: property }),
    ),
  );
}
