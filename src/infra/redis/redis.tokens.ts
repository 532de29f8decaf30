import { Inject } from '@nestjs/common';
import type { Swappable } from '../generations/swappable';
import type { RedisClient } from './redis.factory';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
export const REDIS_GENERATIONS = Symbol('REDIS_GENERATIONS');
export type RedisGenerations = Swappable<RedisClient>;

/** Injects the Redis client (ioredis API) of the generation pinned by the current request. */
export const InjectRedis = (): ParameterDecorator & PropertyDecorator => Inject(REDIS_CLIENT);
