import { Body, type PipeTransform } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiBody } from './api-docs';
import { z } from 'zod';
import { Problem, type FieldProblem } from './problem';

/** Validates with a zod schema; a failure is a 400 naming every offending field. */
export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.infer<T> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    throw Problem.invalid(fieldProblems(result.error.issues));
  }
}

/** A request with thousands of bad or unknown fields gets this many named back. */
const MAX_REPORTED_FIELDS = 20;
/** Field names are the client's own text: echoed back no longer than this. */
const MAX_FIELD_NAME_LENGTH = 100;

/** One entry per offending field; each unknown key named on its own, never a joined list. */
function fieldProblems(issues: z.core.$ZodIssue[]): FieldProblem[] {
  const problems = issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          field: [...issue.path, key].join('.'),
          message: 'is not a known field',
        }))
      : [{ field: issue.path.join('.') || '(body)', message: issue.message }],
  );
  return problems.slice(0, MAX_REPORTED_FIELDS).map((problem) => ({
    ...problem,
    field: problem.field.slice(0, MAX_FIELD_NAME_LENGTH),
  }));
}

/** The validated request body; documents the schema in OpenAPI. */
export function ValidBody<T extends z.ZodType>(schema: T): ParameterDecorator {
  return Body(new ZodValidationPipe(schema));
}

export interface MessageOptions {
  /** Fields taken apart (the ids a request is about, see SubjectId): not the schema's. */
  omit?: string[];
  /** proto3 strings have no null: "" in these `optional` fields clears them. */
  emptyMeansNull?: string[];
  /** proto3 numbers have no null: 0 in these `optional` fields (where 0 is no value) clears them. */
  zeroMeansNull?: string[];
  /** proto3 repeated fields have no presence: an absent one in these is the empty list. */
  repeated?: string[];
}

/** Validates an RPC's message with the schema its REST operation uses. */
export class MessagePipe<T extends z.ZodType> extends ZodValidationPipe<T> {
  constructor(
    schema: T,
    private readonly options: MessageOptions,
  ) {
    super(schema);
  }

  override transform(value: unknown): z.infer<T> {
    const message = { ...(value as Record<string, unknown>) };
    for (const field of this.options.omit ?? []) delete message[field];
    for (const field of this.options.emptyMeansNull ?? []) {
      if (message[field] === '') message[field] = null;
    }
    for (const field of this.options.zeroMeansNull ?? []) {
      if (message[field] === 0) message[field] = null;
    }
    for (const field of this.options.repeated ?? []) message[field] ??= [];
    return super.transform(message);
  }
}

/**
 * The validated message of an RPC. Only the fields the caller set are there (the server
 * decodes without proto3 defaults), so presence means what it means in a REST body.
 */
export function ValidPayload<T extends z.ZodType>(
  schema: T,
  options: MessageOptions = {},
): ParameterDecorator {
  return Payload(new MessagePipe(schema, options));
}

/** The OpenAPI request body of a zod schema. */
export function ApiZodBody(schema: z.ZodType): MethodDecorator {
  return ApiBody({ schema: () => z.toJSONSchema(schema, { io: 'input' }) });
}
