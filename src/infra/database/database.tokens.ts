import type { DataSource } from 'typeorm';
import type { Swappable } from '../generations/swappable';

export const DATABASE_GENERATIONS = Symbol('DATABASE_GENERATIONS');
export type DatabaseGenerations = Swappable<DataSource>;
