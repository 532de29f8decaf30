import { getRedisConnectionToken } from '@nestjs-modules/ioredis';
import type { Swappable } from '../generations/swappable';
import type { RedisClient } from './redis.factory';

/**
 * The Redis client is registered under @nestjs-modules/ioredis' own default connection token,
 * so that its `@InjectRedis()` (and any module written for it) gets the hot-swapped client of
 * the generation the current request pinned.
 */
export const REDIS_CLIENT = getRedisConnectionToken();
export const REDIS_GENERATIONS = Symbol('REDIS_GENERATIONS');
export type RedisGenerations = Swappable<RedisClient>;

export { InjectRedis } from '@nestjs-modules/ioredis';
