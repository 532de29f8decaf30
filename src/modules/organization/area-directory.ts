import { Injectable } from '@nestjs/common';
import type * as AreaData from '@vant/area-data';

/** A province, city or district of China, by its GB/T 2260 code. */
export interface Area {
  code: string;
  name: string;
  /** The cities of a province, the districts of a city; empty for a district. */
  children: Area[];
}

/**
 * China's provinces, cities and districts for address pickers, from the MIT-licensed
 * `@vant/area-data` package (GB/T 2260 codes): built once, then shared.
 */
@Injectable()
export class AreaDirectory {
  private built?: Area[];

  tree(): Area[] {
    this.built ??= buildTree();
    return this.built;
  }
}

/** Codes are six digits: a city shares its province's first two, a district its city's four. */
function buildTree(): Area[] {
  // The area table (about 3,500 entries) loads with the first request for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { areaList } = require('@vant/area-data') as typeof AreaData;
  const node = ([code, name]: [string, string]): Area => ({ code, name, children: [] });
  const provinces = Object.entries(areaList.province_list).map(node);
  const cities = Object.entries(areaList.city_list).map(node);
  const byPrefix = (areas: Area[], digits: number) => {
    const map = new Map<string, Area>();
    for (const area of areas) map.set(area.code.slice(0, digits), area);
    return map;
  };
  const provinceOf = byPrefix(provinces, 2);
  const cityOf = byPrefix(cities, 4);
  for (const city of cities) provinceOf.get(city.code.slice(0, 2))?.children.push(city);
  for (const district of Object.entries(areaList.county_list).map(node)) {
    cityOf.get(district.code.slice(0, 4))?.children.push(district);
  }
  return provinces;
}
