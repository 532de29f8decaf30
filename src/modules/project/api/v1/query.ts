export { ApiZodQuery, ValidQuery } from '@/common/valid-query';
