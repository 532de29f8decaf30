import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Menu } from './entities';

/** The deployment's one navigation menu (`menu`), read only. */
@Injectable()
export class MenuRepository {
  constructor(@InjectRepository(Menu) private readonly menus: Repository<Menu>) {}

  all(): Promise<Menu[]> {
    return this.menus.find({ order: { sort: 'ASC', id: 'ASC' } });
  }
}
