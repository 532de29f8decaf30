import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The project space's 日程 (Schedule) tab: the client opens `project/space/events/:code` only
 * when the menu has a row for it, else its 404 page. Its lists answer empty (msproject has no
 * calendar). Id 169 after the original's 168; a deployment whose administrators have added
 * entries since gets the next free id, and one that already has the entry, or no project
 * space (153), is left as it is.
 */
export class ScheduleTabMenu1796592000000 implements MigrationInterface {
  name = 'ScheduleTabMenu1796592000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'INSERT INTO `menu` (`id`, `parentId`, `title`, `icon`, `url`, `filePath`, `params`, `node`, `sort`, `status`, `isInner`, `values`, `showSlider`) ' +
        "SELECT GREATEST(t.`top` + 1, 169), 153, '日程', '', 'project/space/events', 'project/space/events', ':code', 'project/index/info', 30, 1, 1, '', 0 " +
        'FROM (SELECT COALESCE(MAX(`id`), 0) AS `top` FROM `menu`) t ' +
        "WHERE NOT EXISTS (SELECT 1 FROM `menu` e WHERE e.`url` = 'project/space/events') " +
        'AND EXISTS (SELECT 1 FROM `menu` s WHERE s.`id` = 153)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "DELETE FROM `menu` WHERE `url` = 'project/space/events' AND `parentId` = 153",
    );
  }
}
