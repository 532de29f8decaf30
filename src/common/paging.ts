import { decimalInt } from './schema-types';

/** page/pageSize of every list, from a query string or a message (0 or absent: the default). */
export const pageFields = {
  page: decimalInt({ min: 1, max: 100_000 }).default(1),
  pageSize: decimalInt({ min: 1, max: 100 }).default(20),
};

export interface Paging {
  page: number;
  pageSize: number;
}

/** Rows to skip for a page. */
export const offset = ({ page, pageSize }: Paging) => (page - 1) * pageSize;
