import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@/common/api-docs';
import { z } from 'zod';

/** Documents a multipart/form-data body: the fields of `fields`, then the `file` part. */
export function ApiMultipartBody(fields: z.ZodObject): MethodDecorator {
  return applyDecorators(
    ApiConsumes('multipart/form-data'),
    ApiBody({
      schema: () => {
        const json = z.toJSONSchema(fields, { io: 'input' }) as {
          properties?: Record<string, object>;
          required?: string[];
        };
        return {
          type: 'object',
          properties: {
            ...json.properties,
            file: { type: 'string', format: 'binary', description: 'After every other field' },
          },
          required: [...(json.required ?? []), 'file'],
        };
      },
    }),
  );
}
