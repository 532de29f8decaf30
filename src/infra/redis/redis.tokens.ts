import { Inject } from '@nestjs/common';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** Injects the Redis client (ioredis API) of the current configuration. */
export const InjectRedis = (): ParameterDecorator & PropertyDecorator => Inject(REDIS_CLIENT);
